//! Scoring sheets of the community evaluations (季评比, 观摩评比) and the ratings of the annual report
//! review (述职评议). Evaluators score targets item by item on a sheet; [`rank`] turns the scores into
//! totals out of 100 and a ranking. Totals are exact fractions rounded once, so two targets that scored
//! the same always tie, whatever order the scores came in.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::organisations::coverage::div_half_up;
use crate::organisations::org::code_enum;
use crate::validation::FieldErrors;

code_enum!(
    /// Which evaluation a sheet is for.
    EvaluationKind {
        Quarterly = "quarterly": "季度评比",
        Observation = "observation": "观摩评比",
    }
);

code_enum!(
    /// A rating of the annual report review (述职评议).
    ReviewRating {
        Excellent = "excellent": "好",
        Good = "good": "较好",
        Fair = "fair": "一般",
        Poor = "poor": "差",
    }
);

/// One item of a scoring sheet: scored 0..=`max_score`, counting `weight` in the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SheetItem {
    pub code: String,
    pub label: String,
    pub weight: u32,
    pub max_score: u32,
}

/// One evaluator's score for one target on one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Score {
    pub evaluator_id: i64,
    pub target_id: i64,
    /// [`SheetItem::code`].
    pub item: String,
    pub score: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Ranked {
    pub target_id: i64,
    /// The total out of 100 in hundredths, kept as an integer to stay exact: 8750 = 87.50.
    pub total_hundredths: u32,
    /// Competition ranking: 1, 2, 2, 4.
    pub rank: u32,
    /// How many evaluators scored the target on any item.
    pub evaluators: u32,
}

/// Totals and ranks the `targets` (each once, whatever the duplicates).
///
/// Per item, the evaluators' scores are averaged and divided by the item's maximum; the total is the
/// weighted mean of these over the whole sheet, times 100, rounded half up to hundredths. An item nobody
/// scored counts 0, so a target without any score totals 0 with 0 evaluators. Scores of other targets or
/// of items not on the sheet are ignored; a score above the item's maximum (which [`validate_score`]
/// refuses) counts as the maximum; when an evaluator scored the same target and item twice, the later
/// score counts.
///
/// Targets are ordered by descending total, equal totals sharing a rank (1, 2, 2, 4) and being listed
/// by `target_id`.
pub fn rank(sheet: &[SheetItem], targets: &[i64], scores: &[Score]) -> Vec<Ranked> {
    // (target, item index, evaluator) → score: inserting keeps the later of two scores.
    let mut cells = BTreeMap::new();
    for s in scores {
        if let Some(k) = sheet.iter().position(|i| i.code == s.item) {
            cells.insert((s.target_id, k, s.evaluator_id), s.score.min(sheet[k].max_score));
        }
    }
    let weights: u128 = sheet.iter().map(|i| u128::from(i.weight)).sum();
    let mut ids = targets.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut out: Vec<Ranked> = ids
        .into_iter()
        .map(|target_id| {
            // Per item: (sum of scores, number of scores).
            let mut items = vec![(0u128, 0u128); sheet.len()];
            let mut evaluators = BTreeSet::new();
            for (&(_, k, evaluator), &score) in
                cells.range((target_id, 0, i64::MIN)..=(target_id, usize::MAX, i64::MAX))
            {
                items[k].0 += u128::from(score);
                items[k].1 += 1;
                evaluators.insert(evaluator);
            }
            // Item k contributes weight · sum / (count · max_score) weight points.
            let parts: Vec<(u128, u128)> = sheet
                .iter()
                .zip(items)
                .filter(|(_, (_, count))| *count > 0)
                .map(|(item, (sum, count))| (u128::from(item.weight) * sum, count * u128::from(item.max_score)))
                .collect();
            let total_hundredths = if weights == 0 {
                0
            } else {
                exact_total(&parts, weights).unwrap_or_else(|| approximate_total(&parts, weights))
            };
            Ranked { target_id, total_hundredths, rank: 0, evaluators: evaluators.len() as u32 }
        })
        .collect();
    out.sort_by(|a, b| b.total_hundredths.cmp(&a.total_hundredths).then(a.target_id.cmp(&b.target_id)));
    for i in 0..out.len() {
        out[i].rank = match i.checked_sub(1).map(|p| &out[p]) {
            Some(prev) if prev.total_hundredths == out[i].total_hundredths => prev.rank,
            _ => i as u32 + 1,
        };
    }
    out
}

/// 10000 · Σ aₖ/bₖ / `weights`, rounded half up, computed as one exact fraction; None when that fraction
/// outgrows 128 bits.
fn exact_total(parts: &[(u128, u128)], weights: u128) -> Option<u32> {
    let (num, den) = parts.iter().try_fold((0u128, 1u128), |(n, d), &(a, b)| {
        let g = gcd(d, b);
        let den = (d / g).checked_mul(b)?;
        let num = n.checked_mul(b / g)?.checked_add(a.checked_mul(d / g)?)?;
        let g = gcd(num, den);
        Some((num / g, den / g))
    })?;
    u32::try_from(div_half_up(num.checked_mul(10_000)?, den.checked_mul(weights)?)).ok()
}

/// [`exact_total`] for the sheets it cannot handle, which need dozens of items whose maxima and evaluator
/// counts share no factor: fixed point at 10⁻¹⁵ of a weight point, so the total is off by at most one
/// hundredth, and only when it lies within a hair of a rounding boundary.
fn approximate_total(parts: &[(u128, u128)], weights: u128) -> u32 {
    const SCALE: u128 = 1_000_000_000_000_000;
    let num = parts.iter().fold(0u128, |n, &(a, b)| n.saturating_add(a.saturating_mul(SCALE) / b));
    u32::try_from(div_half_up(num.saturating_mul(10_000), SCALE.saturating_mul(weights))).unwrap_or(u32::MAX)
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Checks a sheet: at least one item; each with a unique code, a label, a weight of at least 1 and a
/// maximum of 1 to 1000. All errors go to the field `items`.
pub fn validate_sheet(sheet: &[SheetItem]) -> Result<(), FieldErrors> {
    let mut e = FieldErrors::new();
    if sheet.is_empty() {
        e.add("items", "评分表至少需要一个评分项");
    }
    for (i, item) in sheet.iter().enumerate() {
        let n = i + 1;
        if item.code.trim().is_empty() {
            e.add("items", format!("第 {n} 个评分项的代码不能为空"));
        } else if sheet[..i].iter().any(|o| o.code == item.code) {
            e.add("items", format!("评分项代码“{}”重复", item.code));
        }
        if item.label.trim().is_empty() {
            e.add("items", format!("第 {n} 个评分项的名称不能为空"));
        }
        if item.weight == 0 {
            e.add("items", format!("第 {n} 个评分项的权重须至少为 1"));
        }
        if !(1..=1000).contains(&item.max_score) {
            e.add("items", format!("第 {n} 个评分项的满分须在 1 至 1000 之间"));
        }
    }
    e.into_result()
}

/// Checks one score: the item is on the sheet and the score does not exceed its maximum.
pub fn validate_score(sheet: &[SheetItem], item: &str, score: u32) -> Result<(), FieldErrors> {
    match sheet.iter().find(|i| i.code == item) {
        None => Err(FieldErrors::single("score", format!("评分项“{item}”不在评分表中"))),
        Some(i) if score > i.max_score => {
            Err(FieldErrors::single("score", format!("“{}”的得分不能超过满分 {} 分", i.label, i.max_score)))
        }
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(code: &str, weight: u32, max_score: u32) -> SheetItem {
        SheetItem { code: code.into(), label: format!("{code}项"), weight, max_score }
    }

    fn score(evaluator_id: i64, target_id: i64, item: &str, score: u32) -> Score {
        Score { evaluator_id, target_id, item: item.into(), score }
    }

    /// (target, total, rank, evaluators) of every result.
    fn table(r: &[Ranked]) -> Vec<(i64, u32, u32, u32)> {
        r.iter().map(|r| (r.target_id, r.total_hundredths, r.rank, r.evaluators)).collect()
    }

    #[test]
    fn weighted_means_of_normalised_scores() {
        // Work 60 % (out of 10), brand 40 % (out of 20).
        let sheet = [item("work", 60, 10), item("brand", 40, 20)];
        let scores = [
            score(1, 100, "work", 9),
            score(2, 100, "work", 8),   // work mean 8.5/10
            score(1, 100, "brand", 15), // brand 15/20 (evaluator 2 did not score it)
        ];
        // 60 · 0.85 + 40 · 0.75 = 81 → 81.00
        assert_eq!(table(&rank(&sheet, &[100], &scores)), [(100, 8100, 1, 2)]);
        // Full and zero marks.
        let full = [score(1, 7, "work", 10), score(1, 7, "brand", 20), score(1, 8, "work", 0), score(1, 8, "brand", 0)];
        assert_eq!(table(&rank(&sheet, &[7, 8], &full)), [(7, 10_000, 1, 1), (8, 0, 2, 1)]);
    }

    #[test]
    fn totals_are_exact_and_rounded_half_up_once() {
        // 1/32 = 3.125 % → 3.13.
        let sheet = [item("a", 1, 32)];
        assert_eq!(rank(&sheet, &[1], &[score(1, 1, "a", 1)])[0].total_hundredths, 313);
        // 2/3 = 66.666… % → 66.67.
        let sheet = [item("a", 1, 3)];
        assert_eq!(rank(&sheet, &[1], &[score(1, 1, "a", 2)])[0].total_hundredths, 6667);
        // Thirds that add up to exactly 25.005 %: (1/3 + 10006/60000) / 2 = 0.25005 → 25.01, which
        // rounding each item or summing decimals would get wrong.
        let sheet = [item("a", 1, 10), item("b", 1, 1000)];
        let mut scores = vec![score(1, 1, "a", 3), score(2, 1, "a", 3), score(3, 1, "a", 4)];
        scores.extend((1..=60).map(|e| score(e, 1, "b", if e == 60 { 153 } else { 167 })));
        assert_eq!(table(&rank(&sheet, &[1], &scores)), [(1, 2501, 1, 60)]);
    }

    #[test]
    fn competition_ranking_with_ties() {
        let sheet = [item("a", 1, 100)];
        let scores = [
            score(1, 30, "a", 85),
            score(1, 10, "a", 85),
            score(1, 20, "a", 90),
            score(1, 40, "a", 70),
            score(1, 50, "a", 85),
        ];
        let r = rank(&sheet, &[40, 30, 20, 10, 50, 60, 30], &scores);
        assert_eq!(
            table(&r),
            [(20, 9000, 1, 1), (10, 8500, 2, 1), (30, 8500, 2, 1), (50, 8500, 2, 1), (40, 7000, 5, 1), (60, 0, 6, 0)]
        );
        // Equal totals reached by different scores still tie: 2 × 75 and 50 + 100.
        let scores = [score(1, 1, "a", 75), score(2, 1, "a", 75), score(1, 2, "a", 50), score(2, 2, "a", 100)];
        assert_eq!(table(&rank(&sheet, &[2, 1], &scores)), [(1, 7500, 1, 2), (2, 7500, 1, 2)]);
        assert!(rank(&sheet, &[], &scores).is_empty());
    }

    #[test]
    fn stray_duplicate_and_excessive_scores() {
        let sheet = [item("a", 1, 10), item("b", 1, 10)];
        let scores = [
            score(1, 1, "a", 4),
            score(1, 1, "a", 6),   // the same evaluator again: replaces the 4
            score(1, 1, "zz", 10), // not on the sheet
            score(1, 2, "b", 99),  // above the maximum: counts 10
            score(1, 3, "a", 10),  // not a target
        ];
        assert_eq!(table(&rank(&sheet, &[1, 2], &scores)), [(2, 5000, 1, 1), (1, 3000, 2, 1)]);
        // A sheet without weight ranks everyone at 0.
        assert_eq!(table(&rank(&[], &[1], &scores)), [(1, 0, 1, 0)]);
        assert_eq!(table(&rank(&[item("a", 0, 10)], &[1], &scores)), [(1, 0, 1, 1)]);
    }

    #[test]
    fn pathological_sheets_fall_back_to_fixed_point() {
        // 40 items out of distinct primes, one point each: the common denominator has over 100 digits.
        let primes: Vec<u32> = (500..1000).filter(|&n| (2..n).all(|m| n % m != 0)).take(40).collect();
        let sheet: Vec<SheetItem> = primes.iter().map(|&p| item(&p.to_string(), 1, p)).collect();
        let scores: Vec<Score> = primes.iter().map(|p| score(1, 1, &p.to_string(), 1)).collect();
        let parts: Vec<(u128, u128)> = primes.iter().map(|&p| (1, u128::from(p))).collect();
        assert_eq!(exact_total(&parts, 40), None);
        let expected = primes.iter().map(|&p| 1.0 / f64::from(p)).sum::<f64>() / 40.0 * 10_000.0;
        let got = rank(&sheet, &[1], &scores)[0].total_hundredths;
        assert_eq!(got, expected.round() as u32);
        // Full marks stay exact.
        let full: Vec<Score> = primes.iter().map(|&p| score(1, 1, &p.to_string(), p)).collect();
        assert_eq!(rank(&sheet, &[1], &full)[0].total_hundredths, 10_000);
        assert_eq!(approximate_total(&[(1, 3), (1, 6)], 1), 5000);
    }

    #[test]
    fn sheet_and_score_validation() {
        let sheet = [item("work", 60, 10), item("brand", 40, 20)];
        assert_eq!(validate_sheet(&sheet), Ok(()));
        assert_eq!(validate_sheet(&[]).unwrap_err().0["items"], ["评分表至少需要一个评分项"]);
        let bad = [
            item("work", 0, 0),
            SheetItem { label: " ".into(), ..item("work", 1, 1001) },
            SheetItem { code: "".into(), ..item("x", 1, 1000) },
        ];
        assert_eq!(
            validate_sheet(&bad).unwrap_err().0["items"],
            [
                "第 1 个评分项的权重须至少为 1",
                "第 1 个评分项的满分须在 1 至 1000 之间",
                "评分项代码“work”重复",
                "第 2 个评分项的名称不能为空",
                "第 2 个评分项的满分须在 1 至 1000 之间",
                "第 3 个评分项的代码不能为空",
            ]
        );
        assert_eq!(validate_score(&sheet, "brand", 20), Ok(()));
        assert_eq!(validate_score(&sheet, "brand", 0), Ok(()));
        assert_eq!(validate_score(&sheet, "brand", 21).unwrap_err().0["score"], ["“brand项”的得分不能超过满分 20 分"]);
        assert_eq!(validate_score(&sheet, "x", 1).unwrap_err().0["score"], ["评分项“x”不在评分表中"]);
        assert_eq!(EvaluationKind::from_code("observation"), Some(EvaluationKind::Observation));
        assert_eq!(ReviewRating::ALL.iter().map(|r| r.label()).collect::<Vec<_>>(), ["好", "较好", "一般", "差"]);
    }
}
