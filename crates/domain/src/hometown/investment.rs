//! 回乡工程: investment drives (招商推介会) held with the chambers, and the project leads (项目线索) that
//! members and drives bring home, each moving through a pipeline — lead → contacted → visited →
//! signed → landed, or dropped with a reason — forwards only, one dated step after another.

use chrono::NaiveDate;

use crate::goals::grant::Fen;
use crate::organisations::org::code_enum;

code_enum!(
    /// Where a lead stands.
    LeadStage {
        Lead = "lead": "线索",
        Contacted = "contacted": "已对接",
        Visited = "visited": "已考察",
        Signed = "signed": "已签约",
        Landed = "landed": "已落地",
        Dropped = "dropped": "已终止",
    }
);

code_enum!(
    /// The sector of a project, as investment promotion offices count them.
    Sector {
        Manufacturing = "manufacturing": "先进制造",
        AgriFood = "agri_food": "农产品加工",
        Tourism = "tourism": "文旅康养",
        Services = "services": "现代服务业",
        Energy = "energy": "新能源",
        Electronics = "electronics": "电子信息",
        Construction = "construction": "建筑建材",
        Logistics = "logistics": "商贸物流",
        Other = "other": "其他",
    }
);

impl LeadStage {
    /// Its place in the pipeline (dropped comes after every stage but is no stage of it).
    fn rank(self) -> u8 {
        match self {
            LeadStage::Lead => 0,
            LeadStage::Contacted => 1,
            LeadStage::Visited => 2,
            LeadStage::Signed => 3,
            LeadStage::Landed => 4,
            LeadStage::Dropped => 5,
        }
    }

    /// Landed or dropped: nothing moves it further.
    pub fn is_final(self) -> bool {
        matches!(self, LeadStage::Landed | LeadStage::Dropped)
    }
}

/// The largest amount a lead may name: 10 billion yuan. Sums of a county's leads stay exact in a
/// browser's numbers (below 2^53 fen) up to some 9,000 leads at this cap, far beyond a county's
/// pipeline; the figures add with checked arithmetic.
pub const MAX_AMOUNT: Fen = Fen(1_000_000_000_000);

/// Checks an amount of a lead: `field` names it in the message.
pub fn check_amount(amount: Fen, what: &str) -> Result<(), String> {
    if amount.0 < 0 {
        Err(format!("{what}不能为负数"))
    } else if amount > MAX_AMOUNT {
        Err(format!("{what}不能超过 100 亿元"))
    } else {
        Ok(())
    }
}

/// A step of the pipeline: the stage reached, the day it was reached, and for a landing the amount
/// actually invested, for a drop the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub to: LeadStage,
    pub on: NaiveDate,
    pub landed: Option<Fen>,
    pub reason: String,
}

/// Why a lead at `from` (reached on `from_on`) may not take `step` today; the message names the
/// field to correct (`to`, `on`, `landed`, `reason`).
pub fn check_step(
    from: LeadStage,
    from_on: NaiveDate,
    step: &Step,
    today: NaiveDate,
) -> Result<(), (&'static str, String)> {
    if from.is_final() {
        return Err(("to", format!("线索{}，不能再变更阶段", from.label())));
    }
    if step.to == LeadStage::Lead || step.to.rank() <= from.rank() {
        return Err(("to", format!("线索当前为“{}”，只能向后推进或终止", from.label())));
    }
    super::check_date(step.on, today).map_err(|m| ("on", m))?;
    if step.on < from_on {
        return Err(("on", format!("日期不能早于上一阶段（{}，{from_on}）", from.label())));
    }
    match step.to {
        LeadStage::Landed => match step.landed {
            None => return Err(("landed", "落地须填写实际到位投资额".into())),
            Some(f) if f.0 <= 0 => return Err(("landed", "实际到位投资额须大于 0".into())),
            Some(f) => check_amount(f, "实际到位投资额").map_err(|m| ("landed", m))?,
        },
        LeadStage::Dropped if step.reason.trim().is_empty() => {
            return Err(("reason", "终止须说明原因".into()));
        }
        _ => {}
    }
    Ok(())
}

/// Default days after which a lead that has not moved is reminded of (a county may set its own).
pub const DEFAULT_STALE_DAYS: u32 = 30;
/// The range a county may choose.
pub const STALE_DAYS_RANGE: std::ops::RangeInclusive<u32> = 7..=180;

/// Whether a lead last moved on `moved_on` is due a reminder today: still in the pipeline and
/// unmoved for `days` days or more.
pub fn is_stale(stage: LeadStage, moved_on: NaiveDate, today: NaiveDate, days: u32) -> bool {
    !stage.is_final() && (today - moved_on).num_days() >= i64::from(days)
}

/// Yuan in 万元 with two decimals, as investment reports write them (`12,345.67`), exact: the fen are
/// rounded half up only at the last digit shown.
pub fn wan_yuan(f: Fen) -> String {
    // 1 万元 = 1,000,000 fen; two decimals of 万元 = 10,000 fen.
    let hundredths = (f.0 + 5_000).div_euclid(10_000);
    Fen(hundredths).yuan_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn step(to: LeadStage, on: &str) -> Step {
        Step { to, on: d(on), landed: None, reason: String::new() }
    }

    #[test]
    fn a_lead_moves_forwards_only() {
        use LeadStage::*;
        let today = d("2026-12-07");
        assert!(check_step(Lead, d("2026-01-01"), &step(Contacted, "2026-02-01"), today).is_ok());
        assert!(
            check_step(Lead, d("2026-01-01"), &step(Visited, "2026-02-01"), today).is_ok(),
            "a step may be skipped"
        );
        assert_eq!(check_step(Visited, d("2026-01-01"), &step(Contacted, "2026-02-01"), today).unwrap_err().0, "to");
        assert_eq!(check_step(Visited, d("2026-01-01"), &step(Visited, "2026-02-01"), today).unwrap_err().0, "to");
        assert_eq!(check_step(Signed, d("2026-01-01"), &step(Lead, "2026-02-01"), today).unwrap_err().0, "to");
        for from in [Landed, Dropped] {
            let e = check_step(from, d("2026-01-01"), &step(Signed, "2026-02-01"), today).unwrap_err();
            assert_eq!(e.0, "to");
            assert!(e.1.contains(from.label()), "{}", e.1);
        }
    }

    #[test]
    fn dates_follow_one_another_and_stop_today() {
        use LeadStage::*;
        let today = d("2026-12-07");
        assert_eq!(check_step(Lead, d("2026-03-01"), &step(Contacted, "2026-02-28"), today).unwrap_err().0, "on");
        assert!(check_step(Lead, d("2026-03-01"), &step(Contacted, "2026-03-01"), today).is_ok());
        assert_eq!(check_step(Lead, d("2026-03-01"), &step(Contacted, "2026-12-08"), today).unwrap_err().0, "on");
    }

    #[test]
    fn landing_names_its_amount_and_dropping_its_reason() {
        use LeadStage::*;
        let today = d("2026-12-07");
        assert_eq!(check_step(Signed, d("2026-01-01"), &step(Landed, "2026-02-01"), today).unwrap_err().0, "landed");
        let mut s = step(Landed, "2026-02-01");
        s.landed = Some(Fen(0));
        assert_eq!(check_step(Signed, d("2026-01-01"), &s, today).unwrap_err().0, "landed");
        s.landed = Some(Fen(MAX_AMOUNT.0 + 1));
        assert_eq!(check_step(Signed, d("2026-01-01"), &s, today).unwrap_err().0, "landed");
        s.landed = Some(Fen(3_000_000_000));
        assert!(check_step(Signed, d("2026-01-01"), &s, today).is_ok());
        assert_eq!(check_step(Visited, d("2026-01-01"), &step(Dropped, "2026-02-01"), today).unwrap_err().0, "reason");
        let mut s = step(Dropped, "2026-02-01");
        s.reason = "投资方资金链紧张".into();
        assert!(check_step(Visited, d("2026-01-01"), &s, today).is_ok());
    }

    #[test]
    fn a_lead_unmoved_for_the_county_days_is_stale() {
        use LeadStage::*;
        let today = d("2026-12-07");
        assert!(is_stale(Contacted, d("2026-11-07"), today, 30));
        assert!(!is_stale(Contacted, d("2026-11-08"), today, 30));
        assert!(!is_stale(Landed, d("2020-01-01"), today, 30), "a landed lead is done");
        assert!(!is_stale(Dropped, d("2020-01-01"), today, 30));
    }

    #[test]
    fn amounts_are_shown_in_wan_yuan_exactly() {
        assert_eq!(wan_yuan(Fen(0)), "0.00");
        assert_eq!(wan_yuan(Fen(1_000_000)), "1.00");
        assert_eq!(wan_yuan(Fen(123_456_789_000)), "123,456.79");
        assert_eq!(wan_yuan(Fen(4_999)), "0.00");
        assert_eq!(wan_yuan(Fen(5_000)), "0.01");
        assert!(check_amount(Fen(-1), "意向投资额").is_err());
        assert!(check_amount(MAX_AMOUNT, "意向投资额").is_ok());
    }
}
