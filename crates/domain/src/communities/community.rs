//! Party-building communities (产业链党建联盟, 区域性党组织): the roles of the units in an alliance, and the
//! rota of the rotating secretary (轮值书记), under which the units' secretaries chair the community in turn,
//! a few months each.
//!
//! Pure functions: the app layer stores the secretaries in order, the anchor (the first term's first day),
//! the term length and the one-off swaps, and asks [`rota`] or [`on_duty`] for the terms. Nothing about the
//! terms is stored, so changing the order or the length re-plans the future without migrating anything.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::organisations::org::code_enum;
use crate::validation::FieldErrors;

code_enum!(
    /// The roles of an alliance's "2+1+X+N": two lead units (2), a coordinating department (1), member
    /// units (X) and partner units (N).
    CommunityRole {
        Lead = "lead": "牵头单位",
        Coordinator = "coordinator": "协调部门",
        Member = "member": "成员单位",
        Partner = "partner": "合作单位",
    }
);

/// A rotating secretary serves two months unless configured otherwise.
pub const DEFAULT_ROTA_MONTHS: u32 = 2;

/// The most terms one call returns: 1,000 terms are 83 years even at one month each, more than any
/// calendar shows, and a range typed with a far-future end must not loop for ever.
const MAX_TERMS: usize = 1_000;

/// A one-off change of the rota: the term starting on `term_start` is chaired by `secretary_id` instead
/// of the secretary whose turn it is (e.g. because that one is away). The turns after it are unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RotaSwap {
    pub term_start: NaiveDate,
    pub secretary_id: i64,
}

/// One term of the rota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct RotaTerm {
    pub secretary_id: i64,
    /// First day.
    pub start: NaiveDate,
    /// Last day, inclusive: the day before the next term starts.
    pub end: NaiveDate,
    /// A [`RotaSwap`] names this term's secretary.
    pub swapped: bool,
}

/// A rota's parameters, the terms being computed on demand.
struct Rota<'a> {
    secretary_ids: &'a [i64],
    anchor: NaiveDate,
    months: u32,
    swaps: &'a [RotaSwap],
}

impl<'a> Rota<'a> {
    /// None for a rota without terms: no secretaries, or terms of 0 months.
    fn new(secretary_ids: &'a [i64], anchor: NaiveDate, months: u32, swaps: &'a [RotaSwap]) -> Option<Self> {
        (!secretary_ids.is_empty() && months > 0).then_some(Rota { secretary_ids, anchor, months, swaps })
    }

    /// First day of term `i`, counted from the anchor rather than from the previous term (see [`rota`]);
    /// None beyond the last representable date.
    fn start(&self, i: u32) -> Option<NaiveDate> {
        self.anchor.checked_add_months(Months::new(i.checked_mul(self.months)?))
    }

    fn term(&self, i: u32) -> Option<RotaTerm> {
        let start = self.start(i)?;
        let end = self.start(i.checked_add(1)?)?.pred_opt()?;
        // The newest swap of a term wins, so a swap can be corrected by recording another.
        let swap = self.swaps.iter().rfind(|s| s.term_start == start);
        let turn = self.secretary_ids[i as usize % self.secretary_ids.len()];
        Some(RotaTerm { secretary_id: swap.map_or(turn, |s| s.secretary_id), start, end, swapped: swap.is_some() })
    }

    /// The index of the term containing `date`; 0 for a date before the anchor (terms before it do not
    /// exist). Term i starts in the month `i * months` after the anchor's, clamping only ever moves its
    /// day, so the month difference names the term, or the one after it when `date` comes before that
    /// term's first day.
    fn index_at(&self, date: NaiveDate) -> u32 {
        let month_no = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
        let months = month_no(date) - month_no(self.anchor);
        let Ok(i) = u32::try_from(months / i64::from(self.months)) else {
            return 0;
        };
        if self.start(i).is_some_and(|s| s > date) { i.saturating_sub(1) } else { i }
    }
}

/// The terms overlapping `from..=to`, in order (at most 1,000). Terms last `months` calendar months from
/// `anchor`, each counted from the anchor so that a rota anchored on the 31st keeps coming back to the
/// 31st (31 January, 28 February, 31 March, …); the secretaries take them in the order given, round robin,
/// except where a [`RotaSwap`] names another secretary. Empty when there are no secretaries, `months` is 0
/// (see [`validate_rota_months`]) or `from > to`.
pub fn rota(
    secretary_ids: &[i64],
    anchor: NaiveDate,
    months: u32,
    swaps: &[RotaSwap],
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<RotaTerm> {
    let Some(r) = Rota::new(secretary_ids, anchor, months, swaps).filter(|_| from <= to) else {
        return Vec::new();
    };
    (r.index_at(from)..).map_while(|i| r.term(i)).take_while(|t| t.start <= to).take(MAX_TERMS).collect()
}

/// The term containing `today` and the one after it. Before the anchor nobody is on duty yet and the
/// next term is the first one.
pub fn on_duty(
    secretary_ids: &[i64],
    anchor: NaiveDate,
    months: u32,
    swaps: &[RotaSwap],
    today: NaiveDate,
) -> (Option<RotaTerm>, Option<RotaTerm>) {
    let Some(r) = Rota::new(secretary_ids, anchor, months, swaps) else {
        return (None, None);
    };
    let i = r.index_at(today);
    match r.term(i) {
        Some(current) if current.start <= today => (Some(current), r.term(i + 1)),
        first => (None, first),
    }
}

/// A term lasts 1 to 12 months.
pub fn validate_rota_months(months: u32) -> Result<(), FieldErrors> {
    if (1..=12).contains(&months) {
        Ok(())
    } else {
        Err(FieldErrors::single("rota_months", "轮值周期须为 1 至 12 个月"))
    }
}

/// A swap must name the first day of a term of the rota, or it would silently change nothing.
pub fn validate_swap(anchor: NaiveDate, months: u32, term_start: NaiveDate) -> Result<(), FieldErrors> {
    let is_start = Rota::new(&[0], anchor, months, &[])
        .is_some_and(|r| term_start >= anchor && r.start(r.index_at(term_start)) == Some(term_start));
    if is_start {
        Ok(())
    } else {
        Err(FieldErrors::single("term_start", "调换日期须为某一轮值任期的开始日期"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn term(secretary_id: i64, start: NaiveDate, end: NaiveDate) -> RotaTerm {
        RotaTerm { secretary_id, start, end, swapped: false }
    }

    const SECRETARIES: [i64; 3] = [11, 22, 33];

    #[test]
    fn round_robin_over_a_year() {
        let terms = rota(&SECRETARIES, d(2026, 1, 1), 2, &[], d(2026, 1, 1), d(2026, 12, 31));
        assert_eq!(
            terms,
            [
                term(11, d(2026, 1, 1), d(2026, 2, 28)),
                term(22, d(2026, 3, 1), d(2026, 4, 30)),
                term(33, d(2026, 5, 1), d(2026, 6, 30)),
                term(11, d(2026, 7, 1), d(2026, 8, 31)),
                term(22, d(2026, 9, 1), d(2026, 10, 31)),
                term(33, d(2026, 11, 1), d(2026, 12, 31)),
            ]
        );
        // Monthly terms continue the rotation into the next year.
        let terms = rota(&SECRETARIES, d(2025, 11, 15), 1, &[], d(2026, 1, 20), d(2026, 3, 1));
        assert_eq!(terms, [term(33, d(2026, 1, 15), d(2026, 2, 14)), term(11, d(2026, 2, 15), d(2026, 3, 14)),]);
        assert_eq!(DEFAULT_ROTA_MONTHS, 2);
    }

    #[test]
    fn a_window_returns_every_term_it_touches() {
        let all = rota(&SECRETARIES, d(2026, 1, 1), 2, &[], d(2026, 1, 1), d(2026, 12, 31));
        // One day inside a term, a term's last day, the first day of the next.
        assert_eq!(rota(&SECRETARIES, d(2026, 1, 1), 2, &[], d(2026, 4, 15), d(2026, 4, 15)), all[1..2]);
        assert_eq!(rota(&SECRETARIES, d(2026, 1, 1), 2, &[], d(2026, 4, 30), d(2026, 5, 1)), all[1..3]);
        assert_eq!(rota(&SECRETARIES, d(2026, 1, 1), 2, &[], d(2026, 5, 1), d(2026, 5, 1)), all[2..3]);
        assert!(rota(&SECRETARIES, d(2026, 1, 1), 2, &[], d(2026, 5, 2), d(2026, 5, 1)).is_empty());
    }

    #[test]
    fn anchored_on_the_31st_the_terms_come_back_to_the_31st() {
        let terms = rota(&[1, 2], d(2026, 1, 31), 1, &[], d(2026, 1, 1), d(2026, 5, 31));
        assert_eq!(
            terms,
            [
                term(1, d(2026, 1, 31), d(2026, 2, 27)),
                term(2, d(2026, 2, 28), d(2026, 3, 30)),
                term(1, d(2026, 3, 31), d(2026, 4, 29)),
                term(2, d(2026, 4, 30), d(2026, 5, 30)),
                term(1, d(2026, 5, 31), d(2026, 6, 29)),
            ]
        );
        // 29 February in a leap year; the days between two terms are never lost nor doubled.
        let terms = rota(&[1, 2], d(2023, 8, 31), 6, &[], d(2023, 1, 1), d(2025, 12, 31));
        let starts: Vec<NaiveDate> = terms.iter().map(|t| t.start).collect();
        assert_eq!(starts, [d(2023, 8, 31), d(2024, 2, 29), d(2024, 8, 31), d(2025, 2, 28), d(2025, 8, 31)]);
        assert!(terms.windows(2).all(|w| w[0].end.succ_opt() == Some(w[1].start)));
        // A one-day window on a clamped term start finds that term.
        assert_eq!(rota(&[1, 2], d(2023, 8, 31), 6, &[], d(2025, 2, 28), d(2025, 2, 28))[0].start, d(2025, 2, 28));
        assert_eq!(rota(&[1, 2], d(2023, 8, 31), 6, &[], d(2025, 2, 27), d(2025, 2, 27))[0].start, d(2024, 8, 31));
    }

    #[test]
    fn a_swap_replaces_one_term_only() {
        let swaps = [
            RotaSwap { term_start: d(2026, 3, 1), secretary_id: 33 },
            RotaSwap { term_start: d(2026, 4, 1), secretary_id: 99 }, // not a term start: ignored
        ];
        let terms = rota(&SECRETARIES, d(2026, 1, 1), 2, &swaps, d(2026, 1, 1), d(2026, 8, 31));
        let who: Vec<(i64, bool)> = terms.iter().map(|t| (t.secretary_id, t.swapped)).collect();
        assert_eq!(who, [(11, false), (33, true), (33, false), (11, false)]);
        // A later swap of the same term wins.
        let swaps = [swaps[0], RotaSwap { term_start: d(2026, 3, 1), secretary_id: 44 }];
        assert_eq!(rota(&SECRETARIES, d(2026, 1, 1), 2, &swaps, d(2026, 3, 5), d(2026, 3, 5))[0].secretary_id, 44);
    }

    #[test]
    fn no_terms_before_the_anchor() {
        let terms = rota(&SECRETARIES, d(2026, 3, 10), 2, &[], d(2025, 6, 1), d(2026, 6, 1));
        assert_eq!(terms, [term(11, d(2026, 3, 10), d(2026, 5, 9)), term(22, d(2026, 5, 10), d(2026, 7, 9))]);
        assert!(rota(&SECRETARIES, d(2026, 3, 10), 2, &[], d(2025, 6, 1), d(2026, 3, 9)).is_empty());
        // Earlier day in the anchor's own month.
        assert_eq!(rota(&SECRETARIES, d(2026, 3, 10), 2, &[], d(2026, 3, 1), d(2026, 3, 10)).len(), 1);
    }

    #[test]
    fn no_secretaries_or_no_months_means_no_terms() {
        assert!(rota(&[], d(2026, 1, 1), 2, &[], d(2026, 1, 1), d(2026, 12, 31)).is_empty());
        assert!(rota(&SECRETARIES, d(2026, 1, 1), 0, &[], d(2026, 1, 1), d(2026, 12, 31)).is_empty());
        assert_eq!(on_duty(&[], d(2026, 1, 1), 2, &[], d(2026, 5, 1)), (None, None));
        assert_eq!(on_duty(&SECRETARIES, d(2026, 1, 1), 0, &[], d(2026, 5, 1)), (None, None));
    }

    #[test]
    fn huge_ranges_are_capped() {
        let max = NaiveDate::MAX;
        let terms = rota(&SECRETARIES, d(2026, 1, 1), 1, &[], d(2026, 1, 1), d(9999, 12, 31));
        assert_eq!(terms.len(), MAX_TERMS);
        assert_eq!(terms[999].start, d(2109, 4, 1));
        // Far from the anchor, near the last representable date: no overflow, no panic.
        let terms = rota(&SECRETARIES, d(2026, 1, 1), 12, &[], d(9999, 1, 1), max);
        assert_eq!(terms.len(), MAX_TERMS);
        assert_eq!(terms[0], term([11, 22, 33][(9999 - 2026) % 3], d(9999, 1, 1), d(9999, 12, 31)));
        let terms = rota(&SECRETARIES, d(2026, 1, 1), 12, &[], max.pred_opt().unwrap(), max);
        assert!(terms.is_empty(), "the last term would end beyond the calendar");
        assert_eq!(on_duty(&SECRETARIES, d(2026, 1, 1), 12, &[], max), (None, None));
        let min = NaiveDate::MIN;
        assert_eq!(rota(&SECRETARIES, d(2026, 1, 1), 12, &[], min, d(2026, 1, 1)).len(), 1);
    }

    #[test]
    fn on_duty_gives_the_current_and_the_next_term() {
        let swaps = [RotaSwap { term_start: d(2026, 5, 1), secretary_id: 44 }];
        let (now, next) = on_duty(&SECRETARIES, d(2026, 1, 1), 2, &swaps, d(2026, 4, 30));
        assert_eq!(now, Some(term(22, d(2026, 3, 1), d(2026, 4, 30))));
        assert_eq!(next, Some(RotaTerm { swapped: true, ..term(44, d(2026, 5, 1), d(2026, 6, 30)) }));
        let (now, next) = on_duty(&SECRETARIES, d(2026, 1, 1), 2, &swaps, d(2026, 5, 1));
        assert_eq!((now.unwrap().secretary_id, next.unwrap().secretary_id), (44, 11));
        // Before the anchor: nobody yet, the first term next.
        let (now, next) = on_duty(&SECRETARIES, d(2026, 1, 1), 2, &[], d(2025, 12, 31));
        assert_eq!((now, next), (None, Some(term(11, d(2026, 1, 1), d(2026, 2, 28)))));
        // On the anchor.
        let (now, _) = on_duty(&SECRETARIES, d(2026, 1, 1), 2, &[], d(2026, 1, 1));
        assert_eq!(now.unwrap().start, d(2026, 1, 1));
        // A single secretary serves every term.
        let (now, next) = on_duty(&[7], d(2026, 1, 1), 3, &[], d(2026, 7, 4));
        assert_eq!(
            (now.unwrap().start, next.unwrap().start, next.unwrap().secretary_id),
            (d(2026, 7, 1), d(2026, 10, 1), 7)
        );
    }

    #[test]
    fn validation() {
        assert_eq!(validate_rota_months(1), Ok(()));
        assert_eq!(validate_rota_months(12), Ok(()));
        for bad in [0, 13, u32::MAX] {
            let e = validate_rota_months(bad).unwrap_err();
            assert_eq!(e.0["rota_months"], ["轮值周期须为 1 至 12 个月"]);
        }
        let anchor = d(2026, 1, 31);
        assert_eq!(validate_swap(anchor, 1, d(2026, 1, 31)), Ok(()));
        assert_eq!(validate_swap(anchor, 1, d(2026, 2, 28)), Ok(()));
        assert_eq!(validate_swap(anchor, 2, d(2026, 3, 31)), Ok(()));
        for bad in [d(2026, 2, 28), d(2026, 3, 30), d(2025, 12, 31), d(2026, 1, 1)] {
            let e = validate_swap(anchor, 2, bad).unwrap_err();
            assert!(e.0.contains_key("term_start"), "{bad}");
        }
        assert!(validate_swap(anchor, 0, anchor).is_err());
        assert_eq!(CommunityRole::from_code("coordinator").map(CommunityRole::label), Some("协调部门"));
    }
}
