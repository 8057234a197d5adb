//! Annual key task lists (重点工作清单): lists, tasks with their owner and co-organisations,
//! progress reports with evidence, and promotion meetings.

use chrono::{NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set, Value,
};

use crate::entity::{
    goals::task, goals::task_evidence, goals::task_list, goals::task_meeting, goals::task_org, goals::task_report,
    organisations::org,
};
use crate::repo::members::mobility::scope_sql;
use crate::{Scope, raw};

pub use task::Model as Task;
pub use task_evidence::Model as Evidence;
pub use task_list::Model as TaskList;
pub use task_meeting::Model as Meeting;
pub use task_org::Model as TaskOrg;
pub use task_report::Model as Report;

pub async fn insert_list(
    db: &impl ConnectionTrait,
    issuer: &org::Model,
    year: i32,
    title: String,
    issued_on: NaiveDate,
    by: Option<i64>,
) -> Result<TaskList, DbErr> {
    task_list::ActiveModel {
        org_id: Set(issuer.id),
        org_path: Set(issuer.path.clone()),
        year: Set(year),
        title: Set(title),
        issued_on: Set(issued_on),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// A list issued by an organisation in `scope` (its issuer edits it), else `None`.
pub async fn list_issued(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<TaskList>, DbErr> {
    task_list::Entity::find_by_id(id).filter(scope.condition(task_list::Column::OrgPath)).one(db).await
}

/// The list of a task the caller already reached through their scope.
pub async fn list_of(db: &impl ConnectionTrait, task: &Task) -> Result<Option<TaskList>, DbErr> {
    task_list::Entity::find_by_id(task.list_id).one(db).await
}

/// Lists of a year that `scope` sees: issued inside it, or holding a task of an organisation inside it.
pub async fn lists_visible(db: &impl ConnectionTrait, scope: &Scope, year: i32) -> Result<Vec<TaskList>, DbErr> {
    let b = db.get_database_backend();
    let mut values: Vec<Value> = vec![year.into()];
    let own = scope_sql(scope, "l.org_path", &mut values);
    let via = scope_sql(scope, "o.org_path", &mut values);
    let sql = format!(
        "SELECT l.id AS id FROM task_lists l WHERE l.year = ? AND ({own} OR EXISTS (SELECT 1 FROM tasks t \
         JOIN task_orgs o ON o.task_id = t.id WHERE t.list_id = l.id AND {via}))"
    );
    let ids = ids_of(db.query_all_raw(raw(b, &sql, values)).await?)?;
    task_list::Entity::find().filter(task_list::Column::Id.is_in(ids)).order_by_asc(task_list::Column::Id).all(db).await
}

fn ids_of(rows: Vec<sea_orm::QueryResult>) -> Result<Vec<i64>, DbErr> {
    rows.into_iter().map(|r| r.try_get("", "id")).collect()
}

/// The input of a new or edited task, validated by the caller.
#[derive(Debug, Clone)]
pub struct TaskFields {
    pub title: String,
    pub description: Option<String>,
    pub deadline: NaiveDate,
    /// JSON array of milestones.
    pub milestones: String,
}

/// Inserts a task with its owner and co-organisations.
pub async fn insert_task(
    db: &impl ConnectionTrait,
    list: &TaskList,
    owner: &org::Model,
    co: &[org::Model],
    f: TaskFields,
) -> Result<Task, DbErr> {
    let now = Utc::now();
    let t = task::ActiveModel {
        list_id: Set(list.id),
        year: Set(list.year),
        owner_org_id: Set(owner.id),
        owner_path: Set(owner.path.clone()),
        title: Set(f.title),
        description: Set(f.description),
        deadline: Set(f.deadline),
        milestones: Set(f.milestones),
        done_on: Set(None),
        reported_percent: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    set_orgs(db, t.id, owner, co).await?;
    Ok(t)
}

/// Replaces the owner and co-organisations of a task.
pub async fn set_orgs(
    db: &impl ConnectionTrait,
    task_id: i64,
    owner: &org::Model,
    co: &[org::Model],
) -> Result<(), DbErr> {
    task_org::Entity::delete_many().filter(task_org::Column::TaskId.eq(task_id)).exec(db).await?;
    let rows = std::iter::once((owner, true)).chain(co.iter().filter(|c| c.id != owner.id).map(|c| (c, false))).map(
        |(o, is_owner)| task_org::ActiveModel {
            task_id: Set(task_id),
            org_id: Set(o.id),
            org_path: Set(o.path.clone()),
            owner: Set(is_owner),
        },
    );
    task_org::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// The task if `scope` reaches it through its owner, one of its co-organisations or its list's
/// issuer, else `None` (as for an id that does not exist).
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Task>, DbErr> {
    use sea_orm::Condition;
    use sea_orm::sea_query::Query;
    task::Entity::find_by_id(id)
        .filter(
            Condition::any()
                .add(scope.condition(task::Column::OwnerPath))
                .add(
                    task::Column::ListId.in_subquery(
                        Query::select()
                            .column(task_list::Column::Id)
                            .from(task_list::Entity)
                            .cond_where(scope.condition(task_list::Column::OrgPath))
                            .to_owned(),
                    ),
                )
                .add(
                    task::Column::Id.in_subquery(
                        Query::select()
                            .column(task_org::Column::TaskId)
                            .from(task_org::Entity)
                            .cond_where(scope.condition(task_org::Column::OrgPath))
                            .to_owned(),
                    ),
                ),
        )
        .one(db)
        .await
}

/// The task if its owner is exactly one of `org_ids` (communities sharing their own tasks).
pub async fn get_owned_by(db: &impl ConnectionTrait, org_ids: &[i64], id: i64) -> Result<Option<Task>, DbErr> {
    if org_ids.is_empty() {
        return Ok(None);
    }
    task::Entity::find_by_id(id).filter(task::Column::OwnerOrgId.is_in(org_ids.iter().copied())).one(db).await
}

pub async fn update(db: &impl ConnectionTrait, mut am: task::ActiveModel) -> Result<Task, DbErr> {
    am.updated_at = Set(Utc::now());
    am.update(db).await
}

pub async fn orgs_of(db: &impl ConnectionTrait, task_ids: &[i64]) -> Result<Vec<TaskOrg>, DbErr> {
    if task_ids.is_empty() {
        return Ok(vec![]);
    }
    task_org::Entity::find().filter(task_org::Column::TaskId.is_in(task_ids.iter().copied())).all(db).await
}

/// Filters of the task list.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    pub year: Option<i32>,
    pub list_id: Option<i64>,
    /// Only tasks owned by these organisations (a community's roll-up).
    pub owners: Option<Vec<i64>>,
}

/// Tasks in `subtree`: owned or co-organised by an organisation in it, or on a list issued in it.
pub async fn tasks_in(db: &impl ConnectionTrait, subtree: &Scope, f: &TaskFilter) -> Result<Vec<Task>, DbErr> {
    let b = db.get_database_backend();
    let mut values: Vec<Value> = Vec::new();
    let via = scope_sql(subtree, "o.org_path", &mut values);
    let issued = scope_sql(subtree, "l.org_path", &mut values);
    let mut sql = format!(
        "SELECT t.id AS id FROM tasks t JOIN task_lists l ON l.id = t.list_id WHERE (EXISTS (SELECT 1 FROM task_orgs o \
         WHERE o.task_id = t.id AND {via}) OR {issued})"
    );
    if let Some(y) = f.year {
        sql.push_str(" AND t.year = ?");
        values.push(y.into());
    }
    if let Some(l) = f.list_id {
        sql.push_str(" AND t.list_id = ?");
        values.push(l.into());
    }
    if let Some(owners) = &f.owners {
        if owners.is_empty() {
            return Ok(vec![]);
        }
        sql.push_str(&format!(" AND t.owner_org_id IN ({})", vec!["?"; owners.len()].join(", ")));
        values.extend(owners.iter().map(|o| Value::from(*o)));
    }
    let ids = ids_of(db.query_all_raw(raw(b, &sql, values)).await?)?;
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let mut out = Vec::with_capacity(ids.len());
    // Bounded IN lists keep both backends within their parameter limits.
    for chunk in ids.chunks(500) {
        out.extend(task::Entity::find().filter(task::Column::Id.is_in(chunk.iter().copied())).all(db).await?);
    }
    out.sort_by(|a, b| a.deadline.cmp(&b.deadline).then(a.id.cmp(&b.id)));
    Ok(out)
}

pub async fn reports_of(db: &impl ConnectionTrait, task_id: i64) -> Result<Vec<Report>, DbErr> {
    task_report::Entity::find()
        .filter(task_report::Column::TaskId.eq(task_id))
        .order_by_desc(task_report::Column::CreatedAt)
        .order_by_desc(task_report::Column::Id)
        .all(db)
        .await
}

pub async fn add_report(
    db: &impl ConnectionTrait,
    task_id: i64,
    org_id: i64,
    percent: i32,
    note: String,
    author: String,
    by: Option<i64>,
) -> Result<Report, DbErr> {
    task_report::ActiveModel {
        task_id: Set(task_id),
        org_id: Set(org_id),
        percent: Set(percent),
        note: Set(note),
        author: Set(author),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn add_evidence(db: &impl ConnectionTrait, e: Evidence) -> Result<Evidence, DbErr> {
    task_evidence::ActiveModel {
        report_id: Set(e.report_id),
        task_id: Set(e.task_id),
        filename: Set(e.filename),
        content_type: Set(e.content_type),
        size: Set(e.size),
        storage_key: Set(e.storage_key),
        created_at: Set(e.created_at),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn evidence_of(db: &impl ConnectionTrait, task_id: i64) -> Result<Vec<Evidence>, DbErr> {
    task_evidence::Entity::find()
        .filter(task_evidence::Column::TaskId.eq(task_id))
        .order_by_asc(task_evidence::Column::Id)
        .all(db)
        .await
}

/// One piece of evidence of a task the caller already reached through their scope.
pub async fn evidence(db: &impl ConnectionTrait, task: &Task, id: i64) -> Result<Option<Evidence>, DbErr> {
    task_evidence::Entity::find_by_id(id).filter(task_evidence::Column::TaskId.eq(task.id)).one(db).await
}

pub async fn meetings_of(db: &impl ConnectionTrait, list_id: i64) -> Result<Vec<Meeting>, DbErr> {
    task_meeting::Entity::find()
        .filter(task_meeting::Column::ListId.eq(list_id))
        .order_by_desc(task_meeting::Column::HeldOn)
        .all(db)
        .await
}

pub async fn add_meeting(
    db: &impl ConnectionTrait,
    list_id: i64,
    held_on: NaiveDate,
    title: String,
    decisions: String,
    by: Option<i64>,
) -> Result<Meeting, DbErr> {
    task_meeting::ActiveModel {
        list_id: Set(list_id),
        held_on: Set(held_on),
        title: Set(title),
        decisions: Set(decisions),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}
