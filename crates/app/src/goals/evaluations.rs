//! Evaluations (季评比 / 观摩评比): a scoring sheet of weighted items, targets, scores from several
//! evaluators, results and ranking; and annual reviews (述职评议) with ratings. Results and rankings
//! are for the county admins who hold `evaluation.write`: they are never pushed to members.

use honglian_domain::Year;
use std::collections::HashMap;

use chrono::Datelike;
use honglian_domain::FieldErrors;
use honglian_domain::goals::evaluation::{self, EvaluationKind, Ranked, ReviewRating, Score, SheetItem};
use honglian_domain::org_life::duty::Period;
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::{optional_text, required_text};
use honglian_store::Scope;
use honglian_store::repo::goals::evaluations::{self, NewEvaluation};
use honglian_store::repo::organisations::orgs;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationView {
    pub id: i64,
    pub kind: String,
    pub kind_label: String,
    pub title: String,
    /// e.g. 2026-Q3
    pub period: String,
    /// open | closed
    pub status: String,
    pub sheet: Vec<SheetItem>,
    pub targets: Vec<OrgName>,
    /// How many evaluators have scored so far.
    pub evaluators: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RankedView {
    pub org: OrgName,
    /// Out of 100 in hundredths: 8750 = 87.50.
    pub total_hundredths: u32,
    pub rank: u32,
    pub evaluators: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvaluationDetail {
    #[serde(flatten)]
    pub evaluation: EvaluationView,
    pub results: Vec<RankedView>,
    /// My own scores: target id → item code → score.
    pub my_scores: HashMap<i64, HashMap<String, i32>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EvaluationInput {
    /// The organising organisation (the county).
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    /// quarterly | observation
    pub kind: String,
    pub title: String,
    /// YYYY-Qn
    pub period: String,
    pub sheet: Vec<SheetItem>,
    pub target_ids: Vec<i64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ScoreInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub target_id: i64,
    /// item code → score (0..=max_score).
    pub scores: HashMap<String, u32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewView {
    pub id: i64,
    pub org: OrgName,
    pub year: i32,
    /// excellent | good | fair | poor
    pub rating: String,
    pub rating_label: String,
    pub comment: Option<String>,
    pub reviewer: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReviewInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    pub year: Year,
    pub rating: String,
    pub comment: Option<String>,
}

impl App {
    async fn evaluation_view(&self, e: &evaluations::Evaluation) -> AppResult<(EvaluationView, Vec<i64>)> {
        let targets = evaluations::targets(&self.db, e.id).await?;
        let names = self.org_names(&targets).await?;
        let mut evaluators: Vec<i64> =
            evaluations::scores(&self.db, e.id).await?.iter().map(|s| s.evaluator_id).collect();
        evaluators.sort_unstable();
        evaluators.dedup();
        Ok((
            EvaluationView {
                id: e.id,
                kind_label: EvaluationKind::from_code(&e.kind).map(|k| k.label()).unwrap_or_default().into(),
                kind: e.kind.clone(),
                title: e.title.clone(),
                period: e.period.clone(),
                status: e.status.clone(),
                sheet: serde_json::from_str(&e.sheet).unwrap_or_default(),
                targets: targets
                    .iter()
                    .map(|t| OrgName { id: *t, name: names.get(t).cloned().unwrap_or_default() })
                    .collect(),
                evaluators: evaluators.len() as u32,
            },
            targets,
        ))
    }

    pub async fn evaluation_list(&self, ctx: &Ctx) -> AppResult<Vec<EvaluationView>> {
        let scope = ctx.actor()?.scope(Permission::EvaluationWrite)?;
        let mut out = Vec::new();
        for e in evaluations::list(&self.db, &scope).await? {
            out.push(self.evaluation_view(&e).await?.0);
        }
        Ok(out)
    }

    async fn evaluation_for(&self, ctx: &Ctx, id: i64) -> AppResult<evaluations::Evaluation> {
        let scope = ctx.actor()?.scope(Permission::EvaluationWrite)?;
        evaluations::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("评比"))
    }

    /// An evaluation with its ranking and my scores.
    pub async fn evaluation_get(&self, ctx: &Ctx, id: i64) -> AppResult<EvaluationDetail> {
        let e = self.evaluation_for(ctx, id).await?;
        let (view, targets) = self.evaluation_view(&e).await?;
        let rows = evaluations::scores(&self.db, id).await?;
        let me = ctx.actor()?.user_id;
        let mut my_scores: HashMap<i64, HashMap<String, i32>> = HashMap::new();
        for s in rows.iter().filter(|s| s.evaluator_id == me) {
            my_scores.entry(s.target_id).or_default().insert(s.item.clone(), s.score);
        }
        let scores: Vec<Score> = rows
            .iter()
            .map(|s| Score {
                evaluator_id: s.evaluator_id,
                target_id: s.target_id,
                item: s.item.clone(),
                score: s.score.max(0) as u32,
            })
            .collect();
        let names: HashMap<i64, String> = view.targets.iter().map(|t| (t.id, t.name.clone())).collect();
        let results = evaluation::rank(&view.sheet, &targets, &scores)
            .into_iter()
            .map(|Ranked { target_id, total_hundredths, rank, evaluators }| RankedView {
                org: OrgName { id: target_id, name: names.get(&target_id).cloned().unwrap_or_default() },
                total_hundredths,
                rank,
                evaluators,
            })
            .collect();
        Ok(EvaluationDetail { evaluation: view, results, my_scores })
    }

    pub async fn evaluation_create(&self, ctx: &Ctx, input: EvaluationInput) -> AppResult<EvaluationDetail> {
        let scope = ctx.actor()?.scope(Permission::EvaluationWrite)?;
        let organiser = self.org_in(&self.db, &scope, input.org_id).await?;
        let mut e = FieldErrors::new();
        let title = required_text(&input.title, "评比名称", 100).map_err(|m| e.add("title", m)).ok();
        if EvaluationKind::from_code(&input.kind).is_none() {
            e.add("kind", "评比类型须为季度评比或观摩评比");
        }
        if !matches!(Period::parse(&input.period), Ok(Period::Quarter { .. })) {
            e.add("period", "评比期间的格式为 2026-Q3");
        }
        if let Err(errs) = evaluation::validate_sheet(&input.sheet) {
            e.merge(errs);
        }
        let mut targets = input.target_ids.clone();
        targets.sort_unstable();
        targets.dedup();
        let found = orgs::get_many(&self.db, &Scope::Paths(vec![organiser.path.clone()]), &targets).await?;
        if targets.is_empty()
            || found.len() != targets.len()
            || !found.iter().all(|o| o.path.starts_with(&organiser.path))
        {
            e.add("target_ids", "请选择参评的党组织（须在组织单位管辖范围内）");
        }
        e.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let ev = evaluations::insert(
            &txn,
            &organiser,
            NewEvaluation {
                kind: input.kind,
                title: title.expect("validated"),
                period: input.period,
                sheet: serde_json::to_string(&input.sheet).unwrap_or_else(|_| "[]".into()),
            },
            &targets,
            ctx.actor_id(),
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("evaluation.create", "evaluation", ev.id).with(serde_json::json!({"targets": targets.len()})),
        )
        .await?;
        txn.commit().await?;
        self.evaluation_get(ctx, ev.id).await
    }

    /// Records my scores of one target (replacing my earlier ones).
    pub async fn evaluation_score(&self, ctx: &Ctx, id: i64, input: ScoreInput) -> AppResult<EvaluationDetail> {
        let e = self.evaluation_for(ctx, id).await?;
        if e.status != "open" {
            return Err(AppError::conflict("评比已结束，不能再打分"));
        }
        if !evaluations::targets(&self.db, id).await?.contains(&input.target_id) {
            return Err(AppError::field("target_id", "该党组织不在本次评比中"));
        }
        let sheet: Vec<SheetItem> = serde_json::from_str(&e.sheet).unwrap_or_default();
        let mut errors = FieldErrors::new();
        for (item, score) in &input.scores {
            if let Err(errs) = evaluation::validate_score(&sheet, item, *score) {
                errors.merge(errs);
            }
        }
        errors.into_result()?;
        let items: Vec<(String, i32)> = input.scores.iter().map(|(k, v)| (k.clone(), *v as i32)).collect();
        let me = ctx.actor()?.user_id;
        let txn = honglian_store::begin_write(&self.db).await?;
        evaluations::put_scores(&txn, id, me, input.target_id, &items).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("evaluation.score", "evaluation", id)
                .with(serde_json::json!({"target_id": input.target_id, "scores": input.scores})),
        )
        .await?;
        txn.commit().await?;
        self.evaluation_get(ctx, id).await
    }

    pub async fn evaluation_close(&self, ctx: &Ctx, id: i64) -> AppResult<EvaluationDetail> {
        let e = self.evaluation_for(ctx, id).await?;
        if e.status != "open" {
            return Err(AppError::conflict("评比已结束"));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        evaluations::close(&txn, e).await?;
        self.audit(&txn, ctx, Event::ok("evaluation.close", "evaluation", id)).await?;
        txn.commit().await?;
        self.evaluation_get(ctx, id).await
    }

    pub async fn review_list(&self, ctx: &Ctx, year: Option<i32>) -> AppResult<Vec<ReviewView>> {
        let scope = ctx.actor()?.scope(Permission::EvaluationWrite)?;
        let year = year.unwrap_or_else(|| crate::today().year());
        let list = evaluations::reviews(&self.db, &scope, year).await?;
        let names = self.org_names(&list.iter().map(|r| r.org_id).collect::<Vec<_>>()).await?;
        Ok(list
            .into_iter()
            .map(|r| ReviewView {
                org: OrgName { id: r.org_id, name: names.get(&r.org_id).cloned().unwrap_or_default() },
                rating_label: ReviewRating::from_code(&r.rating).map(|x| x.label()).unwrap_or_default().into(),
                id: r.id,
                year: r.year,
                rating: r.rating,
                comment: r.comment,
                reviewer: r.reviewer,
            })
            .collect())
    }

    /// Records an organisation's annual review (述职评议) rating; a second one for the year replaces it.
    pub async fn review_put(&self, ctx: &Ctx, input: ReviewInput) -> AppResult<ReviewView> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::EvaluationWrite)?;
        let target = self.org_in(&self.db, &scope, input.org_id).await?;
        let mut e = FieldErrors::new();
        let rating = ReviewRating::from_code(&input.rating);
        if rating.is_none() {
            e.add("rating", "评议等次须为好、较好、一般或差");
        }
        let comment =
            optional_text(input.comment.as_deref(), "评议意见", 1000).map_err(|m| e.add("comment", m)).ok().flatten();
        e.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let r = evaluations::put_review(
            &txn,
            &target,
            input.year.get(),
            input.rating,
            comment,
            actor.display_name.clone(),
            ctx.actor_id(),
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("review.put", "review", r.id).with(serde_json::json!({"org_id": target.id, "rating": r.rating})),
        )
        .await?;
        txn.commit().await?;
        Ok(ReviewView {
            org: OrgName { id: target.id, name: target.name },
            rating_label: rating.map(|x| x.label()).unwrap_or_default().into(),
            id: r.id,
            year: r.year,
            rating: r.rating,
            comment: r.comment,
            reviewer: r.reviewer,
        })
    }
}
