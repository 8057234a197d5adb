//! The demo's relationship transfers (组织关系转接), in flight both ways on any day of the year: a member of a
//! Wuchuan home branch who works in Guangzhou asked to move to the chamber branch (waiting for it to accept);
//! the chamber branch asked a 金乡 branch to take one of its members; its letters out to organisations outside
//! the system — one with the receipt overdue, one still within the month, one whose receipt came back; a
//! letter from outside registered a member; and one request accepted last month.

use chrono::Days;
use honglian_domain::party_affairs::transfers::{TransferKind, TransferStatus};
use honglian_store::Scope;
use honglian_store::repo::members::mobility;
use honglian_store::repo::members::registry as members;
use honglian_store::repo::organisations::orgs::{self, Org, OrgFilter};
use honglian_store::repo::party_affairs::transfers::{self as repo, NewTransfer};
use honglian_store::repo::{PageReq, party_affairs::dues};
use sea_orm::ConnectionTrait;

use crate::members::registry::MemberInput;
use crate::{App, AppResult, Ctx};

/// A transfer of the demo, the rest filled in.
fn transfer(
    kind: TransferKind,
    status: TransferStatus,
    member: (i64, &str),
    started_on: chrono::NaiveDate,
) -> NewTransfer {
    NewTransfer {
        kind: kind.code(),
        status: status.code(),
        member_id: Some(member.0),
        member_name: member.1.into(),
        from: (None, None, String::new()),
        to: (None, None, String::new()),
        destination: None,
        numbered: None,
        letter_no: None,
        started_on,
        valid_days: None,
        dues_paid_to: None,
        receipt_on: None,
        decided_on: None,
        decided_by: None,
        note: None,
        created_by: None,
        created_by_name: Some("演示数据".into()),
    }
}

fn end(o: &Org) -> (Option<i64>, Option<String>, String) {
    (Some(o.id), Some(o.path.clone()), o.name.clone())
}

impl App {
    pub(crate) async fn demo_transfers(
        &self,
        txn: &impl ConnectionTrait,
        gz: &Org,
        home: &Org,
        jinxiang: &Org,
    ) -> AppResult<()> {
        let today = crate::today();
        let ago = |n: u64| today - Days::new(n);
        #[allow(clippy::disallowed_methods, reason = "the demo loader picks a 金乡 branch to receive a request")]
        let all = Scope::All(honglian_store::Unscoped::system());
        let jx_branch = orgs::list(
            txn,
            &all,
            &OrgFilter { subtree: Some(jinxiang.path.clone()), kind: Some("branch".into()), ..Default::default() },
            PageReq::new(Some(1), Some(1)),
        )
        .await?
        .items
        .into_iter()
        .next();
        let normal = |list: Vec<(i64, String, String, chrono::NaiveDate)>| -> Vec<(i64, String)> {
            list.into_iter().filter(|m| m.2 == "normal").map(|m| (m.0, m.1)).collect()
        };
        let gz_m = normal(members::of_org(txn, gz.id).await?);
        // Home-branch members at home: a move would otherwise leave an outflow received elsewhere open under
        // the chamber branch.
        let mut home_m = Vec::new();
        for m in normal(members::of_org(txn, home.id).await?) {
            if mobility::open_outflow(txn, m.0).await?.is_none() {
                home_m.push(m);
            }
        }
        let paid_to = |id: i64| async move {
            AppResult::Ok(dues::paid_months(txn, &[id]).await?.into_iter().map(|(_, m)| m).max())
        };
        let county = crate::platform::settings::county_of(&gz.path).unwrap_or(gz.id);
        let mut seq = 0;

        // Waiting for the chamber branch to accept: a home-branch member settled in Guangzhou.
        if let Some(m) = home_m.get(5) {
            let mut t = transfer(TransferKind::Within, TransferStatus::Requested, (m.0, &m.1), ago(5));
            t.from = end(home);
            t.to = end(gz);
            t.dues_paid_to = paid_to(m.0).await?;
            t.note = Some("在广州吴川商会会员企业稳定就业一年以上，本人申请将组织关系转入商会党支部".into());
            repo::insert(txn, t).await?;
        }
        // Accepted last month: the member now belongs to the chamber branch.
        if let Some(m) = home_m.get(7) {
            let mut t = transfer(TransferKind::Within, TransferStatus::Accepted, (m.0, &m.1), ago(40));
            t.from = end(home);
            t.to = end(gz);
            t.decided_on = Some(ago(35));
            repo::insert(txn, t).await?;
            #[allow(clippy::disallowed_methods, reason = "the demo loader moves the member it just picked")]
            let member = members::get(txn, &Scope::All(honglian_store::Unscoped::system()), m.0).await?;
            if let Some(member) = member {
                self.move_member(txn, &Ctx::system(), member, gz, ago(35)).await?;
            }
        }
        // Sent by the chamber branch to a 金乡 branch, waiting there.
        if let (Some(m), Some(jx)) = (gz_m.get(8), jx_branch.as_ref()) {
            let mut t = transfer(TransferKind::Within, TransferStatus::Requested, (m.0, &m.1), ago(3));
            t.from = end(gz);
            t.to = end(jx);
            t.dues_paid_to = paid_to(m.0).await?;
            t.note = Some("随配偶到金乡县工作定居".into());
            repo::insert(txn, t).await?;
        }
        // Letters out of the system: overdue, within the month, returned.
        let letters = [
            (2, 40, "中共广州市天河区委组织部", "广州市天河区智慧城科技园", None),
            (4, 10, "中共深圳市宝安区委组织部", "深圳市宝安区新安街道", None),
            (6, 60, "中共佛山市南海区委组织部", "佛山市南海区桂城街道", Some(45)),
        ];
        for (k, days, to, dest, returned) in letters {
            let Some(m) = gz_m.get(k) else { continue };
            seq += 1;
            let issued = ago(days);
            let status = if returned.is_some() { TransferStatus::Returned } else { TransferStatus::Issued };
            let mut t = transfer(TransferKind::LetterOut, status, (m.0, &m.1), issued);
            t.from = end(gz);
            t.to = (None, None, to.into());
            t.destination = Some(dest.into());
            t.numbered = Some((county, chrono::Datelike::year(&issued), seq));
            t.letter_no = Some(format!("〔{}〕{seq}", chrono::Datelike::year(&issued)));
            t.valid_days = Some(30);
            t.dues_paid_to = paid_to(m.0).await?;
            t.receipt_on = returned.map(ago);
            t.decided_on = returned.map(ago);
            repo::insert(txn, t).await?;
            if returned.is_some() {
                #[allow(clippy::disallowed_methods, reason = "the demo loader marks the member it just picked")]
                let member = members::get(txn, &Scope::All(honglian_store::Unscoped::system()), m.0).await?;
                if let Some(member) = member {
                    members::set_status(txn, member, "transferred_out", None).await?;
                }
            }
        }
        // A letter from outside the system, registered: the member joined the chamber branch.
        let id = crate::demo::demo_id_number("440904", 77);
        let row = self.member_row(
            MemberInput {
                org_id: Some(gz.id),
                name: Some("周建国".into()),
                id_number: Some(id.as_str().into()),
                ethnicity: Some("汉族".into()),
                occupation: Some("电气工程师".into()),
                employer: Some("广州鉴江建材有限公司".into()),
                joined_on: Some(ago(365 * 9)),
                category: Some("full".into()),
                full_on: Some(ago(365 * 8)),
                status: Some("normal".into()),
                ..Default::default()
            },
            None,
            (gz.id, gz.path.clone()),
            &[],
        )?;
        if members::find_by_id_number(txn, &row.id_number_bidx).await?.is_none() {
            let m = members::insert(txn, row).await?;
            let mut t = transfer(TransferKind::LetterIn, TransferStatus::Registered, (m.id, &m.name), ago(25));
            t.from = (None, None, "中共茂名市电白区委组织部".into());
            t.to = end(gz);
            t.letter_no = Some(format!("电组转〔{}〕57", chrono::Datelike::year(&ago(25))));
            t.valid_days = Some(30);
            t.receipt_on = Some(ago(20));
            t.decided_on = Some(ago(20));
            repo::insert(txn, t).await?;
        }
        Ok(())
    }
}
