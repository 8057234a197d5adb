//! Evaluations (季评比 / 观摩评比) with their targets and evaluators' scores, and annual reviews
//! (述职评议) with ratings.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::Scope;
use crate::entity::{
    goals::evaluation, goals::evaluation_score, goals::evaluation_target, goals::review, organisations::org,
};

pub use evaluation::Model as Evaluation;
pub use evaluation_score::Model as ScoreRow;
pub use review::Model as Review;

/// A new evaluation, validated by the caller; `sheet` is JSON.
#[derive(Debug, Clone)]
pub struct NewEvaluation {
    pub kind: String,
    pub title: String,
    pub period: String,
    pub sheet: String,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    organiser: &org::Model,
    e: NewEvaluation,
    targets: &[i64],
    by: Option<i64>,
) -> Result<Evaluation, DbErr> {
    let ev = evaluation::ActiveModel {
        org_id: Set(organiser.id),
        org_path: Set(organiser.path.clone()),
        kind: Set(e.kind),
        title: Set(e.title),
        period: Set(e.period),
        sheet: Set(e.sheet),
        status: Set("open".into()),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    if !targets.is_empty() {
        evaluation_target::Entity::insert_many(
            targets.iter().map(|t| evaluation_target::ActiveModel { evaluation_id: Set(ev.id), org_id: Set(*t) }),
        )
        .exec(db)
        .await?;
    }
    Ok(ev)
}

/// The record if its organisation lies in `scope`, else `None` (as for an id that does not exist).
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: i64) -> Result<Option<Evaluation>, DbErr> {
    evaluation::Entity::find_by_id(id).filter(scope.condition(evaluation::Column::OrgPath)).one(db).await
}

pub async fn list(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<Evaluation>, DbErr> {
    evaluation::Entity::find()
        .filter(scope.condition(evaluation::Column::OrgPath))
        .order_by_desc(evaluation::Column::Id)
        .all(db)
        .await
}

pub async fn targets(db: &impl ConnectionTrait, id: i64) -> Result<Vec<i64>, DbErr> {
    Ok(evaluation_target::Entity::find()
        .filter(evaluation_target::Column::EvaluationId.eq(id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| t.org_id)
        .collect())
}

pub async fn scores(db: &impl ConnectionTrait, id: i64) -> Result<Vec<ScoreRow>, DbErr> {
    evaluation_score::Entity::find().filter(evaluation_score::Column::EvaluationId.eq(id)).all(db).await
}

/// Replaces one evaluator's scores of one target.
pub async fn put_scores(
    db: &impl ConnectionTrait,
    id: i64,
    evaluator: i64,
    target: i64,
    items: &[(String, i32)],
) -> Result<(), DbErr> {
    evaluation_score::Entity::delete_many()
        .filter(evaluation_score::Column::EvaluationId.eq(id))
        .filter(evaluation_score::Column::EvaluatorId.eq(evaluator))
        .filter(evaluation_score::Column::TargetId.eq(target))
        .exec(db)
        .await?;
    if items.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    evaluation_score::Entity::insert_many(items.iter().map(|(item, score)| evaluation_score::ActiveModel {
        evaluation_id: Set(id),
        evaluator_id: Set(evaluator),
        target_id: Set(target),
        item: Set(item.clone()),
        score: Set(*score),
        created_at: Set(now),
        ..Default::default()
    }))
    .exec(db)
    .await?;
    Ok(())
}

pub async fn close(db: &impl ConnectionTrait, e: Evaluation) -> Result<Evaluation, DbErr> {
    let mut am: evaluation::ActiveModel = e.into();
    am.status = Set("closed".into());
    am.update(db).await
}

/// Records (or replaces) an organisation's review of a year.
pub async fn put_review(
    db: &impl ConnectionTrait,
    target: &org::Model,
    year: i32,
    rating: String,
    comment: Option<String>,
    reviewer: String,
    by: Option<i64>,
) -> Result<Review, DbErr> {
    review::Entity::delete_many()
        .filter(review::Column::OrgId.eq(target.id))
        .filter(review::Column::Year.eq(year))
        .exec(db)
        .await?;
    review::ActiveModel {
        org_id: Set(target.id),
        org_path: Set(target.path.clone()),
        year: Set(year),
        rating: Set(rating),
        comment: Set(comment),
        reviewer: Set(reviewer),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn reviews(db: &impl ConnectionTrait, scope: &Scope, year: i32) -> Result<Vec<Review>, DbErr> {
    review::Entity::find()
        .filter(scope.condition(review::Column::OrgPath))
        .filter(review::Column::Year.eq(year))
        .order_by_asc(review::Column::OrgId)
        .all(db)
        .await
}
