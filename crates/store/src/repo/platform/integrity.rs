//! Records whose integrity is kept with a MAC (migration 0037): the access-control grants and the
//! money records (dues payments, care-fund donations, incentive grants). Each protected table has a
//! `mac` column, set in the writing transaction by the use case (`app::platform::integrity`) from the
//! row's canonical text as written; a row edited, copied or inserted outside the application no
//! longer matches. The canonical text lists the fields that carry the record's meaning (who, what,
//! how much, which organisation), built from the typed row, so it is the same on SQLite and
//! PostgreSQL.
//!
//! These functions read rows by id without a scope: they are the integrity machinery of a use case
//! that has already loaded (and scope-checked) the record it writes, and they return only the
//! canonical text and MAC, never the record, to the caller.

use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entity::goals::incentive_grant;
use crate::entity::hometown::care_donation;
use crate::entity::party_affairs::dues_payment;
use crate::entity::platform::grant;
use crate::raw;

/// A table whose rows carry a MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Protected {
    /// Who may do what where (`grants`).
    Grants,
    /// 党费缴纳记录.
    DuesPayments,
    /// 关爱基金捐款.
    CareDonations,
    /// 激励资金.
    IncentiveGrants,
}

impl Protected {
    pub const ALL: [Protected; 4] =
        [Protected::Grants, Protected::DuesPayments, Protected::CareDonations, Protected::IncentiveGrants];

    pub fn table(self) -> &'static str {
        match self {
            Protected::Grants => "grants",
            Protected::DuesPayments => "dues_payments",
            Protected::CareDonations => "care_donations",
            Protected::IncentiveGrants => "incentive_grants",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Protected::Grants => "授权",
            Protected::DuesPayments => "党费缴纳记录",
            Protected::CareDonations => "关爱基金捐款",
            Protected::IncentiveGrants => "激励资金",
        }
    }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_else(|| "-".into())
}

/// A grant's canonical text.
pub fn grant_text(g: &grant::Model) -> String {
    format!("{}|{}|{}|{}|{}|{}", g.id, g.user_id, g.role, opt(g.org_id), opt(g.department_id), opt(g.host_id))
}

fn dues_text(p: &dues_payment::Model) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
        p.id,
        p.member_id,
        p.months,
        p.amount_fen,
        p.extra_fen,
        p.paid_on,
        p.method,
        p.collected_by_org_id,
        p.remitted,
        opt(p.recorded_by)
    )
}

fn donation_text(d: &care_donation::Model) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}",
        d.id,
        d.org_id,
        d.donor_kind,
        d.donor_name,
        d.amount_fen,
        d.received_on,
        d.receipt_no,
        opt(d.voided_on),
        opt(d.voided_by)
    )
}

fn incentive_text(g: &incentive_grant::Model) -> String {
    format!(
        "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
        g.id,
        g.org_id,
        g.year,
        opt(g.tier.as_ref()),
        g.amount_fen,
        g.status,
        opt(g.approved_by),
        opt(g.disbursed_fen),
        opt(g.disbursed_on),
        opt(g.voucher.as_ref())
    )
}

/// The canonical texts of rows, in id order: those with the given ids (`Some`), or up to `limit`
/// rows with an id above `after` (`None`).
async fn texts(
    db: &impl ConnectionTrait,
    p: Protected,
    ids: Option<&[i64]>,
    after: i64,
    limit: u64,
) -> Result<Vec<(i64, String)>, DbErr> {
    macro_rules! rows {
        ($m:ident, $f:ident) => {{
            let mut q = $m::Entity::find().order_by_asc($m::Column::Id);
            q = match ids {
                Some(ids) => q.filter($m::Column::Id.is_in(ids.iter().copied())),
                None => q.filter($m::Column::Id.gt(after)).limit(limit),
            };
            q.all(db).await?.iter().map(|r| (r.id, $f(r))).collect()
        }};
    }
    Ok(match p {
        Protected::Grants => rows!(grant, grant_text),
        Protected::DuesPayments => rows!(dues_payment, dues_text),
        Protected::CareDonations => rows!(care_donation, donation_text),
        Protected::IncentiveGrants => rows!(incentive_grant, incentive_text),
    })
}

/// The canonical texts of the rows with these ids (a row that does not exist is left out).
pub async fn texts_of(db: &impl ConnectionTrait, p: Protected, ids: &[i64]) -> Result<Vec<(i64, String)>, DbErr> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(texts(db, p, Some(chunk), 0, 0).await?);
    }
    Ok(out)
}

/// The MACs kept on the rows with these ids (None where none is).
pub async fn macs_of(
    db: &impl ConnectionTrait,
    p: Protected,
    ids: &[i64],
) -> Result<Vec<(i64, Option<String>)>, DbErr> {
    let b = db.get_database_backend();
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let sql = format!("SELECT id, mac FROM {} WHERE id IN ({marks}) ORDER BY id", p.table());
        let rows = db.query_all_raw(raw(b, &sql, chunk.iter().map(|&i| i.into()).collect())).await?;
        for r in rows {
            out.push((r.try_get("", "id")?, r.try_get("", "mac")?));
        }
    }
    Ok(out)
}

/// Writes the MACs of rows.
pub async fn set_macs(db: &impl ConnectionTrait, p: Protected, macs: &[(i64, String)]) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    let sql = format!("UPDATE {} SET mac = ? WHERE id = ?", p.table());
    for (id, mac) in macs {
        db.execute_raw(raw(b, &sql, vec![mac.clone().into(), (*id).into()])).await?;
    }
    Ok(())
}

/// One row as checked: its id, canonical text and the MAC it carries.
pub type Checked = (i64, String, Option<String>);

/// Up to `limit` rows with an id above `after`, in id order, with their MACs.
pub async fn batch(db: &impl ConnectionTrait, p: Protected, after: i64, limit: u64) -> Result<Vec<Checked>, DbErr> {
    let rows = texts(db, p, None, after, limit).await?;
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let macs: std::collections::HashMap<i64, Option<String>> = macs_of(db, p, &ids).await?.into_iter().collect();
    Ok(rows.into_iter().map(|(id, text)| (id, text, macs.get(&id).cloned().flatten())).collect())
}

/// The ids of rows that carry no MAC (the adoption of a database written before 0037, and the demo's
/// bulk writes).
pub async fn unstamped(db: &impl ConnectionTrait, p: Protected) -> Result<Vec<i64>, DbErr> {
    let b = db.get_database_backend();
    let sql = format!("SELECT id FROM {} WHERE mac IS NULL ORDER BY id", p.table());
    db.query_all_raw(raw(b, &sql, vec![])).await?.into_iter().map(|r| r.try_get("", "id")).collect()
}
