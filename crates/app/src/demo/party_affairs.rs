//! The demo's dues (党费): this year's bases and collections for the 广州 chamber branch and for
//! member_demo's home branch — most paid up month by month or by the quarter, a few three months behind
//! (warned) and one six or more (for the branch to handle), on every day of the year: bases from the same
//! month a year ago (or from admission).

use chrono::NaiveDate;
use honglian_domain::goals::grant::Fen;
use honglian_domain::party_affairs::dues::{self as rules, Base, DuesCategory, Month};
use honglian_store::repo::members::registry as members;
use honglian_store::repo::organisations::orgs::Org;
use honglian_store::repo::party_affairs::dues::{self as repo, NewBase, NewPayment};
use sea_orm::ConnectionTrait;

use super::Rng;
use crate::{App, AppResult};

impl App {
    pub(crate) async fn demo_dues(&self, txn: &impl ConnectionTrait, orgs: &[&Org]) -> AppResult<()> {
        let today = crate::today();
        let this_month = Month::of(today);
        // Eleven months back: a year of months on any day, so that the behind ones are behind in January too.
        let year_ago = (0..11).fold(this_month, |m, _| m.prev());
        let mut rng = Rng(17);
        for org in orgs {
            for (k, (id, _, status, joined_on)) in members::of_org(txn, org.id).await?.into_iter().enumerate() {
                if status != "normal" {
                    continue;
                }
                let (category, base, farmer) = match k % 10 {
                    7 => (DuesCategory::Retired, Some(Fen(320_000 + rng.below(30) as i64 * 10_000)), None),
                    8 => (DuesCategory::Farmer, None, Some(50)),
                    9 => (DuesCategory::Student, None, None),
                    _ => (DuesCategory::Employed, Some(Fen(280_000 + rng.below(90) as i64 * 10_000)), None),
                };
                let from = year_ago.max(Month::of(joined_on));
                repo::set_base(
                    txn,
                    NewBase {
                        member_id: id,
                        from_month: from.to_string(),
                        category: category.code().into(),
                        base_enc: base.and_then(|b| self.seal_text("dues_bases", "base", id, Some(&b.0.to_string()))),
                        farmer_fen: farmer,
                        quarterly: k % 4 == 3,
                        created_by: None,
                    },
                )
                .await?;
                let bases = [Base { from, category, base, farmer_fen: farmer }];
                let schedule = rules::schedule(joined_on, &bases, this_month).unwrap_or_default();
                // Months unpaid (this month's counts from next month on): most none or this month only, a few
                // three months behind (warned), one six (to handle).
                let behind = match k {
                    4 => 7,
                    1 | 11 | 23 => 4,
                    _ if k % 6 == 5 => 1,
                    _ => 0,
                };
                let paid: Vec<(Month, Fen)> =
                    schedule.iter().take(schedule.len().saturating_sub(behind)).copied().collect();
                // Paid by the quarter where the branch allows it, month by month otherwise.
                let chunk = if k % 4 == 3 { 3 } else { 1 };
                for group in paid.chunks(chunk) {
                    let last = group.last().expect("a month").0;
                    let paid_on = NaiveDate::from_ymd_opt(last.year, last.month, 10 + (k % 15) as u32)
                        .filter(|d| *d <= today)
                        .unwrap_or(today);
                    repo::insert_payment(
                        txn,
                        NewPayment {
                            member_id: id,
                            months: group.iter().map(|(m, _)| m.to_string()).collect(),
                            amount_fen: group.iter().map(|(_, f)| f.0).sum(),
                            extra_fen: 0,
                            paid_on,
                            method: if k % 3 == 0 { "现金" } else { "微信" }.into(),
                            collected_by_org_id: org.id,
                            remitted: false,
                            note: String::new(),
                            recorded_by: None,
                            recorded_by_name: format!("{}组织委员", org.name.trim_end_matches("党支部")),
                        },
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }
}
