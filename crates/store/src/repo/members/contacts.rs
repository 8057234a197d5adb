//! The contact log and suspension proposals.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entity::{members::contact, members::suspension_proposal};
use crate::raw;

pub use contact::Model as Contact;
pub use suspension_proposal::Model as SuspensionProposal;

pub struct NewContact {
    pub member_id: i64,
    pub kind: String,
    pub contacted_on: NaiveDate,
    pub reached: bool,
    /// Sealed by the caller (`App::seal_text`).
    pub note_enc: Option<String>,
    pub by_user_id: Option<i64>,
    pub by_name: String,
}

/// Records a contact. When the member was reached, their last-contact date moves forward (and a
/// failed attempt before it no longer marks them unreachable); when not, the first failed attempt
/// since they were last reached marks them unreachable.
pub async fn insert(db: &impl ConnectionTrait, c: NewContact) -> Result<Contact, DbErr> {
    let (member_id, on, reached) = (c.member_id, c.contacted_on, c.reached);
    let m = contact::ActiveModel {
        member_id: Set(c.member_id),
        kind: Set(c.kind),
        contacted_on: Set(c.contacted_on),
        reached: Set(c.reached),
        note_enc: Set(c.note_enc),
        by_user_id: Set(c.by_user_id),
        by_name: Set(c.by_name),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let b = db.get_database_backend();
    if reached {
        db.execute_raw(raw(
            b,
            "UPDATE members SET last_contact_on = ? WHERE id = ? AND (last_contact_on IS NULL OR last_contact_on < ?)",
            vec![on.into(), member_id.into(), on.into()],
        ))
        .await?;
        db.execute_raw(raw(
            b,
            "UPDATE members SET unreachable_since = NULL WHERE id = ? AND unreachable_since <= ?",
            vec![member_id.into(), on.into()],
        ))
        .await?;
    } else {
        db.execute_raw(raw(
            b,
            "UPDATE members SET unreachable_since = ? WHERE id = ? \
             AND (last_contact_on IS NULL OR last_contact_on < ?) AND (unreachable_since IS NULL OR unreachable_since > ?)",
            vec![on.into(), member_id.into(), on.into(), on.into()],
        ))
        .await?;
    }
    Ok(m)
}

pub async fn of_member(db: &impl ConnectionTrait, member_id: i64) -> Result<Vec<Contact>, DbErr> {
    contact::Entity::find()
        .filter(contact::Column::MemberId.eq(member_id))
        .order_by_desc(contact::Column::ContactedOn)
        .order_by_desc(contact::Column::Id)
        .all(db)
        .await
}

pub async fn propose_suspension(
    db: &impl ConnectionTrait,
    member_id: i64,
    kind: &str,
    reason: String,
    days_lost: i32,
    by: Option<i64>,
    by_name: String,
) -> Result<SuspensionProposal, DbErr> {
    suspension_proposal::ActiveModel {
        member_id: Set(member_id),
        kind: Set(kind.into()),
        status: Set("pending".into()),
        reason: Set(reason),
        days_lost: Set(days_lost),
        proposed_by: Set(by),
        proposed_by_name: Set(by_name),
        created_at: Set(Utc::now()),
        decided_on: Set(None),
        decided_by: Set(None),
        decided_by_name: Set(None),
        decision_note: Set(None),
        ended_on: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// Writes every field of `p` back.
pub async fn save_proposal(db: &impl ConnectionTrait, p: SuspensionProposal) -> Result<SuspensionProposal, DbErr> {
    let am: suspension_proposal::ActiveModel = p.into();
    am.reset_all().update(db).await
}

/// The proposals still waiting for approval of members in `scope`'s subtrees (the member's
/// organisation path), oldest first: (proposal, member's organisation path).
pub async fn pending_in(
    db: &impl ConnectionTrait,
    scope: &crate::Scope,
) -> Result<Vec<(SuspensionProposal, String, String)>, DbErr> {
    use crate::entity::members::member;
    let members: Vec<(i64, String, String)> = member::Entity::find()
        .select_only()
        .column(member::Column::Id)
        .column(member::Column::OrgPath)
        .column(member::Column::Name)
        .filter(scope.condition(member::Column::OrgPath))
        .filter(sea_orm::sea_query::Expr::cust(
            "id IN (SELECT member_id FROM suspension_proposals WHERE status = 'pending')",
        ))
        .into_tuple()
        .all(db)
        .await?;
    let by_id: std::collections::HashMap<i64, (String, String)> =
        members.into_iter().map(|(id, path, name)| (id, (path, name))).collect();
    let list = suspension_proposal::Entity::find()
        .filter(suspension_proposal::Column::Status.eq("pending"))
        .filter(suspension_proposal::Column::MemberId.is_in(by_id.keys().copied()))
        .order_by_asc(suspension_proposal::Column::Id)
        .all(db)
        .await?;
    Ok(list
        .into_iter()
        .filter_map(|p| by_id.get(&p.member_id).map(|(path, name)| (p.clone(), path.clone(), name.clone())))
        .collect())
}

pub async fn proposals_of(db: &impl ConnectionTrait, member_id: i64) -> Result<Vec<SuspensionProposal>, DbErr> {
    suspension_proposal::Entity::find()
        .filter(suspension_proposal::Column::MemberId.eq(member_id))
        .order_by_desc(suspension_proposal::Column::Id)
        .all(db)
        .await
}

/// Inserts many contacts at once (demo data), then recomputes every member's
/// last-contact date from the log.
pub async fn insert_many_and_refresh(db: &impl ConnectionTrait, list: Vec<NewContact>) -> Result<(), DbErr> {
    let now = Utc::now();
    let mut it = list.into_iter().peekable();
    while it.peek().is_some() {
        let batch: Vec<contact::ActiveModel> = it
            .by_ref()
            .take(300)
            .map(|c| contact::ActiveModel {
                member_id: Set(c.member_id),
                kind: Set(c.kind),
                contacted_on: Set(c.contacted_on),
                reached: Set(c.reached),
                note_enc: Set(c.note_enc),
                by_user_id: Set(c.by_user_id),
                by_name: Set(c.by_name),
                created_at: Set(now),
                ..Default::default()
            })
            .collect();
        contact::Entity::insert_many(batch).exec_without_returning(db).await?;
    }
    let b = db.get_database_backend();
    db.execute_raw(raw(
        b,
        "UPDATE members SET last_contact_on = (SELECT MAX(c.contacted_on) FROM contacts c WHERE c.member_id = members.id AND c.reached = ?)",
        vec![true.into()],
    ))
    .await?;
    db.execute_raw(raw(
        b,
        "UPDATE members SET unreachable_since = (SELECT MIN(c.contacted_on) FROM contacts c WHERE c.member_id = members.id \
         AND c.reached = ? AND (members.last_contact_on IS NULL OR c.contacted_on > members.last_contact_on))",
        vec![false.into()],
    ))
    .await?;
    Ok(())
}
