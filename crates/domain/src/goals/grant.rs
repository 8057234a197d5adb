//! Incentive grants (以奖代补): organisations earn points from their coverage, duties, key tasks, brand
//! projects and a manual assessment, and the points choose a grant tier. Money is counted in exact fen
//! ([`Fen`]) and points in hundredths, so every figure on the approval sheet adds up to the cent.

use std::fmt::Write;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::members::import::normalize_text;
use crate::organisations::coverage::div_half_up;
use crate::validation::FieldErrors;

/// An amount of money in fen (分, 1/100 yuan). Never a float: 0.1 + 0.2 yuan must be 0.30.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema)]
pub struct Fen(pub i64);

/// The largest grant tier: 1,000,000 yuan.
const MAX_TIER_AMOUNT: Fen = Fen(100_000_000);

impl Fen {
    /// Parses yuan as people type them: `3000`, `3,000.5`, `3000.50`, `￥3000`, `3000元`, full-width digits
    /// and punctuation. Thousands separators must group by three (so a European `3,5` is not misread as
    /// 35); at most two decimals; no sign.
    pub fn parse_yuan(s: &str) -> Result<Fen, String> {
        let text = normalize_text(s);
        let t = text.strip_prefix(['￥', '¥']).unwrap_or(&text).trim_start();
        let t = t.strip_suffix('元').unwrap_or(t).trim_end();
        if t.is_empty() {
            return Err("请输入金额".into());
        }
        if t.starts_with('-') {
            return Err("金额不能为负数".into());
        }
        let malformed = || format!("金额“{text}”格式不正确，应为如 3000 或 3,000.50 的数字");
        let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
        let (int, frac) = t.split_once('.').unwrap_or((t, ""));
        let groups: Vec<&str> = int.split(',').collect();
        let grouped = groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
        if !grouped || !groups.iter().all(|g| digits(g)) || !(frac.is_empty() || digits(frac)) {
            return Err(malformed());
        }
        if frac.len() > 2 {
            return Err("金额最多精确到分（两位小数）".into());
        }
        let fen = groups
            .iter()
            .flat_map(|g| g.bytes())
            .chain(format!("{frac:0<2}").bytes())
            .try_fold(0i64, |n, b| n.checked_mul(10)?.checked_add(i64::from(b - b'0')));
        fen.map(Fen).ok_or_else(|| "金额过大".into())
    }

    /// `3,000.00`: yuan with thousands separators and two decimals, as on a payment form.
    pub fn yuan_string(self) -> String {
        let fen = self.0.unsigned_abs();
        let yuan = (fen / 100).to_string();
        let mut out = String::from(if self.0 < 0 { "-" } else { "" });
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        write!(out, ".{:02}", fen % 100).expect("writing to a String");
        out
    }
}

/// A grant tier: organisations scoring at least `min_score` points get `amount`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Tier {
    /// 0..=100 points.
    pub min_score: u32,
    pub amount: Fen,
    /// e.g. 一档.
    pub label: String,
}

/// How points are earned, configured by the county: the weight of each part in points (summing to 100),
/// and the tiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct GrantCriteria {
    /// Organisational coverage rate of the hosts in the organisation's area.
    pub coverage: u32,
    /// Share of duty results that are blue.
    pub duties: u32,
    /// Share of key tasks done.
    pub tasks: u32,
    /// Share of brand projects done.
    pub brand: u32,
    /// The assessors' own judgement.
    pub manual: u32,
    pub tiers: Vec<Tier>,
}

/// The defaults: duties and tasks weigh most, since the grant rewards work done rather than structures
/// built; three tiers from 70 points.
pub fn default_criteria() -> GrantCriteria {
    let tier = |min_score, yuan: i64, label: &str| Tier { min_score, amount: Fen(yuan * 100), label: label.into() };
    GrantCriteria {
        coverage: 20,
        duties: 30,
        tasks: 25,
        brand: 10,
        manual: 15,
        tiers: vec![tier(90, 10_000, "一档"), tier(80, 6_000, "二档"), tier(70, 3_000, "三档")],
    }
}

/// What an organisation achieved. Rates are (numerator, denominator) pairs so that nothing is a float. A
/// 0 denominator means the part does not apply (a branch without key tasks, say): it earns nothing, and the
/// total is scaled up over the parts that do apply, so nobody is penalised for work they were not given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GrantInputs {
    pub coverage: (u32, u32),
    pub duties_blue: (u32, u32),
    pub tasks_done: (u32, u32),
    pub brand_done: (u32, u32),
    /// The manual assessment, 0..=100 percent of the manual part.
    pub manual_percent: u32,
}

/// Points earned, each part and the total in hundredths of a point: `coverage: 1850` is 18.50 of the
/// coverage part's 20. The total is the sum of the parts as shown, so the sheet adds up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct GrantScore {
    pub coverage: u32,
    pub duties: u32,
    pub tasks: u32,
    pub brand: u32,
    pub manual: u32,
    /// The weights of the parts that apply (the manual part always does), out of 100.
    pub applicable_weight: u32,
    /// The parts' sum scaled to 100 over the applicable weight, in hundredths of a point.
    pub total_hundredths: u32,
    /// The highest tier whose minimum the total reaches; None below every tier.
    pub tier: Option<Tier>,
}

/// Scores `i` under `c`: each part is its weight times its rate, in hundredths of a point rounded half up
/// (a rate above 1, which a correct count never gives, counts as 1; a manual percent above 100 as 100).
/// `c` is expected to have passed [`validate_criteria`]; out-of-range weights saturate rather than panic.
pub fn score(c: &GrantCriteria, i: &GrantInputs) -> GrantScore {
    let part = |weight: u32, (num, den): (u32, u32)| -> u32 {
        if den == 0 {
            return 0;
        }
        let hundredths = div_half_up(u128::from(weight) * 100 * u128::from(num.min(den)), u128::from(den));
        u32::try_from(hundredths).unwrap_or(u32::MAX)
    };
    let coverage = part(c.coverage, i.coverage);
    let duties = part(c.duties, i.duties_blue);
    let tasks = part(c.tasks, i.tasks_done);
    let brand = part(c.brand, i.brand_done);
    let manual = part(c.manual, (i.manual_percent, 100));
    let earned = [coverage, duties, tasks, brand, manual].into_iter().fold(0u32, u32::saturating_add);
    let applies = |weight: u32, (_, den): (u32, u32)| if den == 0 { 0 } else { weight };
    let applicable_weight = [
        applies(c.coverage, i.coverage),
        applies(c.duties, i.duties_blue),
        applies(c.tasks, i.tasks_done),
        applies(c.brand, i.brand_done),
        c.manual,
    ]
    .into_iter()
    .fold(0u32, u32::saturating_add);
    let total_weight = [c.coverage, c.duties, c.tasks, c.brand, c.manual].into_iter().fold(0u32, u32::saturating_add);
    let total_hundredths = if applicable_weight == 0 || applicable_weight == total_weight {
        earned
    } else {
        u32::try_from(div_half_up(u128::from(earned) * u128::from(total_weight), u128::from(applicable_weight)))
            .unwrap_or(u32::MAX)
    };
    let tier = c
        .tiers
        .iter()
        .filter(|t| u64::from(total_hundredths) >= u64::from(t.min_score) * 100)
        .max_by_key(|t| t.min_score)
        .cloned();
    GrantScore { coverage, duties, tasks, brand, manual, applicable_weight, total_hundredths, tier }
}

/// Checks criteria: the weights sum to 100 (field `weights`); at least one tier, each with a label, a
/// minimum of 0 to 100 points that no other tier has, and an amount above 0 and at most 1,000,000 yuan
/// (field `tiers`).
pub fn validate_criteria(c: &GrantCriteria) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    let sum: u64 = [c.coverage, c.duties, c.tasks, c.brand, c.manual].into_iter().map(u64::from).sum();
    if sum != 100 {
        e.add("weights", format!("各项权重之和须为 100，现为 {sum}"));
    }
    if c.tiers.is_empty() {
        e.add("tiers", "请至少设置一个奖励档次");
    }
    for (i, t) in c.tiers.iter().enumerate() {
        let n = i + 1;
        if t.label.trim().is_empty() {
            e.add("tiers", format!("第 {n} 档的名称不能为空"));
        }
        if t.min_score > 100 {
            e.add("tiers", format!("第 {n} 档的最低分须在 0 至 100 之间"));
        } else if c.tiers[..i].iter().any(|o| o.min_score == t.min_score) {
            e.add("tiers", format!("第 {n} 档的最低分 {} 与其他档次重复", t.min_score));
        }
        if t.amount <= Fen(0) || t.amount > MAX_TIER_AMOUNT {
            e.add("tiers", format!("第 {n} 档的金额须大于 0 且不超过 {} 元", MAX_TIER_AMOUNT.yuan_string()));
        }
    }
    e.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_are_parsed_to_exact_fen() {
        let ok = [
            ("3000", 300_000),
            ("3,000.5", 300_050),
            ("3000.50", 300_050),
            ("3000.05", 300_005),
            ("3000.", 300_000),
            ("￥3000", 300_000),
            ("¥ 3,000", 300_000),
            ("３，０００．５０", 300_050),
            ("￥３０００元", 300_000),
            (" 1,234,567.89 ", 123_456_789),
            ("0.01", 1),
            ("0", 0),
            ("007", 700),
            ("92233720368547758.07", i64::MAX),
        ];
        for (s, fen) in ok {
            assert_eq!(Fen::parse_yuan(s), Ok(Fen(fen)), "{s}");
        }
        let malformed = |s: &str| Err(format!("金额“{s}”格式不正确，应为如 3000 或 3,000.50 的数字"));
        for s in ["abc", "3,5", "30,00", ",300", "3000,", "1,2345", "3.000.0", ".5", "+3", "3 000", "3e3", "三千"] {
            assert_eq!(Fen::parse_yuan(s), malformed(s), "{s}");
        }
        assert_eq!(Fen::parse_yuan("３ ０００"), malformed("3 000"));
        assert_eq!(Fen::parse_yuan("3000.505"), Err("金额最多精确到分（两位小数）".into()));
        assert_eq!(Fen::parse_yuan("-3000"), Err("金额不能为负数".into()));
        assert_eq!(Fen::parse_yuan("￥-5"), Err("金额不能为负数".into()));
        assert_eq!(Fen::parse_yuan(" "), Err("请输入金额".into()));
        assert_eq!(Fen::parse_yuan("￥"), Err("请输入金额".into()));
        assert_eq!(Fen::parse_yuan("92233720368547758.08"), Err("金额过大".into()));
    }

    #[test]
    fn fen_are_written_as_yuan() {
        let cases = [
            (0, "0.00"),
            (5, "0.05"),
            (300_050, "3,000.50"),
            (100_000, "1,000.00"),
            (99_999, "999.99"),
            (123_456_789, "1,234,567.89"),
            (-300_000, "-3,000.00"),
            (i64::MIN, "-92,233,720,368,547,758.08"),
        ];
        for (fen, s) in cases {
            assert_eq!(Fen(fen).yuan_string(), s);
        }
        for fen in [0, 1, 99, 100, 300_050, 123_456_789, i64::MAX] {
            assert_eq!(Fen::parse_yuan(&Fen(fen).yuan_string()), Ok(Fen(fen)));
        }
    }

    fn inputs() -> GrantInputs {
        GrantInputs {
            coverage: (37, 40),
            duties_blue: (101, 120),
            tasks_done: (2, 3),
            brand_done: (1, 2),
            manual_percent: 80,
        }
    }

    #[test]
    fn points_are_exact_hundredths() {
        let s = score(&default_criteria(), &inputs());
        // 20 · 37/40 = 18.5; 30 · 101/120 = 25.25; 25 · 2/3 = 16.666… → 16.67; 10 · 1/2 = 5; 15 · 0.8 = 12.
        assert_eq!((s.coverage, s.duties, s.tasks, s.brand, s.manual), (1850, 2525, 1667, 500, 1200));
        assert_eq!(s.total_hundredths, 7742);
        assert_eq!(s.tier.map(|t| (t.label, t.amount)), Some(("三档".to_string(), Fen(300_000))));
        // Half up: 25 · 1/8 = 3.125 → 3.13.
        let s = score(&default_criteria(), &GrantInputs { tasks_done: (1, 8), ..inputs() });
        assert_eq!(s.tasks, 313);
    }

    #[test]
    fn empty_and_excessive_rates() {
        let none = GrantInputs {
            coverage: (0, 0),
            duties_blue: (5, 0),
            tasks_done: (0, 3),
            brand_done: (0, 0),
            manual_percent: 0,
        };
        let s = score(&default_criteria(), &none);
        assert_eq!((s.total_hundredths, s.tier), (0, None));
        // No key tasks were given: the other parts are scaled up to 100 (75 of 75 applicable points).
        let no_tasks = GrantInputs {
            coverage: (4, 4),
            duties_blue: (9, 9),
            tasks_done: (0, 0),
            brand_done: (2, 2),
            manual_percent: 100,
        };
        let s = score(&default_criteria(), &no_tasks);
        assert_eq!((s.tasks, s.applicable_weight, s.total_hundredths), (0, 75, 10_000));
        // Half of each applicable part: 37.5 of 75 → 50.00.
        let half =
            GrantInputs { coverage: (1, 2), duties_blue: (1, 2), brand_done: (1, 2), manual_percent: 50, ..no_tasks };
        assert_eq!(score(&default_criteria(), &half).total_hundredths, 5_000);
        let all = GrantInputs {
            coverage: (9, 4),
            duties_blue: (u32::MAX, u32::MAX),
            tasks_done: (3, 3),
            brand_done: (1, 1),
            manual_percent: 250,
        };
        let s = score(&default_criteria(), &all);
        assert_eq!((s.coverage, s.manual, s.total_hundredths), (2000, 1500, 10_000));
        assert_eq!(s.tier.unwrap().label, "一档");
        let absurd = GrantCriteria { coverage: u32::MAX, duties: u32::MAX, ..default_criteria() };
        assert_eq!(score(&absurd, &all).total_hundredths, u32::MAX);
    }

    #[test]
    fn the_highest_tier_reached_is_chosen() {
        let c = default_criteria();
        let tier_at = |manual_percent: u32, coverage: (u32, u32)| {
            // Duties, tasks and brand full (65 points); the manual part and coverage vary.
            let i =
                GrantInputs { coverage, duties_blue: (1, 1), tasks_done: (1, 1), brand_done: (1, 1), manual_percent };
            let s = score(&c, &i);
            (s.total_hundredths, s.tier.map(|t| t.label))
        };
        let label = |s: &str| Some(s.to_string());
        assert_eq!(tier_at(100, (1, 1)), (10_000, label("一档")));
        assert_eq!(tier_at(100, (1, 2)), (9_000, label("一档"))); // exactly 90.00
        assert_eq!(tier_at(100, (999, 2000)), (8_999, label("二档"))); // coverage 9.99
        // Coverage 9.995 shows as 10.00, and the total is the sum of what is shown.
        assert_eq!(tier_at(100, (1999, 4000)), (9_000, label("一档")));
        assert_eq!(tier_at(100, (0, 1)), (8_000, label("二档")));
        assert_eq!(tier_at(99, (0, 1)), (7_985, label("三档")));
        assert_eq!(tier_at(0, (1, 4)), (7_000, label("三档")));
        assert_eq!(tier_at(0, (998, 4000)), (6_999, None));
        assert_eq!(tier_at(0, (0, 1)), (6_500, None));
        // Tiers in any order; a tier at 0 catches everyone.
        let mut c2 = c.clone();
        c2.tiers.reverse();
        c2.tiers.push(Tier { min_score: 0, amount: Fen(100), label: "鼓励".into() });
        let s = score(&c2, &GrantInputs { manual_percent: 0, coverage: (0, 1), ..inputs() });
        assert_eq!(s.tier.unwrap().label, "鼓励");
        let s = score(&c2, &GrantInputs { manual_percent: 100, coverage: (1, 1), duties_blue: (1, 1), ..inputs() });
        assert_eq!((s.total_hundredths, s.tier.unwrap().label.as_str()), (8_667, "二档"));
    }

    #[test]
    fn criteria_validation() {
        assert_eq!(validate_criteria(&default_criteria()), Ok(()));
        let e = validate_criteria(&GrantCriteria { manual: 5, tiers: vec![], ..default_criteria() }).unwrap_err();
        assert_eq!(e.0["weights"], ["各项权重之和须为 100，现为 90"]);
        assert_eq!(e.0["tiers"], ["请至少设置一个奖励档次"]);
        let huge = GrantCriteria { coverage: u32::MAX, duties: u32::MAX, ..default_criteria() };
        assert_eq!(validate_criteria(&huge).unwrap_err().0["weights"], ["各项权重之和须为 100，现为 8589934640"]);
        let tier = |min_score, fen, label: &str| Tier { min_score, amount: Fen(fen), label: label.into() };
        let bad = GrantCriteria {
            tiers: vec![
                tier(90, 100_000_000, "一档"), // exactly 1,000,000 yuan: allowed
                tier(90, 0, "二档"),
                tier(101, 100_000_001, " "),
                tier(70, -1, "三档"),
            ],
            ..default_criteria()
        };
        let limit = "金额须大于 0 且不超过 1,000,000.00 元";
        assert_eq!(
            validate_criteria(&bad).unwrap_err().0["tiers"],
            [
                "第 2 档的最低分 90 与其他档次重复".to_string(),
                format!("第 2 档的{limit}"),
                "第 3 档的名称不能为空".to_string(),
                "第 3 档的最低分须在 0 至 100 之间".to_string(),
                format!("第 3 档的{limit}"),
                format!("第 4 档的{limit}"),
            ]
        );
    }
}
