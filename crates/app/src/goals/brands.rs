//! Party-building brand projects (党建品牌): each organisation registers one or two a year with a
//! goal and a checklist of deliverables; the status follows from the checklist. County admins mark
//! cultivation targets (百千万提升工程) and follow them across the county.

use honglian_domain::{RecordId, Year};
use std::collections::HashMap;

use chrono::Datelike;
use honglian_domain::FieldErrors;
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::required_text;
use honglian_store::Scope;
use honglian_store::repo::goals::brands::{self, BrandFields, BrandProject};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// An organisation registers at most this many brand projects a year.
const MAX_PER_YEAR: u64 = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChecklistItem {
    pub item: String,
    #[serde(default)]
    pub done: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BrandView {
    pub id: i64,
    pub org: OrgName,
    pub year: i32,
    pub name: String,
    pub goal: String,
    pub checklist: Vec<ChecklistItem>,
    /// planning (nothing delivered) | in_progress | done (every deliverable done) — from the checklist.
    pub status: String,
    pub status_label: String,
    /// A 百千万提升工程 cultivation target.
    pub cultivation: bool,
    pub can_edit: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BrandGallery {
    pub items: Vec<BrandView>,
    pub total: u64,
    pub cultivation: u64,
    pub done: u64,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct BrandInput {
    /// Only when registering.
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub org_id: Option<i64>,
    /// Only when registering; default this year.
    pub year: Option<Year>,
    pub name: String,
    pub goal: String,
    pub checklist: Vec<ChecklistItem>,
    /// Only county admins may change it.
    pub cultivation: Option<bool>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BrandQuery {
    /// The subtree; default: my top organisation.
    pub org: Option<RecordId>,
    /// Default: this year.
    pub year: Option<Year>,
    /// Only cultivation targets.
    pub cultivation: Option<bool>,
}

fn status_of(list: &[ChecklistItem]) -> &'static str {
    match list.iter().filter(|i| i.done).count() {
        0 => "planning",
        n if n == list.len() => "done",
        _ => "in_progress",
    }
}

fn status_label(code: &str) -> &'static str {
    match code {
        "done" => "已建成",
        "in_progress" => "创建中",
        _ => "谋划中",
    }
}

/// Name, goal and a checklist of 1–20 deliverables.
fn fields(input: &BrandInput, cultivation: bool) -> Result<BrandFields, FieldErrors> {
    let mut e = FieldErrors::new();
    let name = required_text(&input.name, "品牌名称", 60).map_err(|m| e.add("name", m)).ok();
    let goal = required_text(&input.goal, "创建目标", 500).map_err(|m| e.add("goal", m)).ok();
    if input.checklist.is_empty() || input.checklist.len() > 20 {
        e.add("checklist", "请列出 1–20 项建设成果");
    }
    if input.checklist.iter().any(|i| i.item.trim().is_empty() || i.item.chars().count() > 100) {
        e.add("checklist", "每项成果须填写，且不超过 100 个字");
    }
    e.into_result()?;
    let checklist: Vec<ChecklistItem> =
        input.checklist.iter().map(|i| ChecklistItem { item: i.item.trim().to_string(), done: i.done }).collect();
    Ok(BrandFields {
        name: name.expect("validated"),
        goal: goal.expect("validated"),
        status: status_of(&checklist).into(),
        checklist: serde_json::to_string(&checklist).unwrap_or_else(|_| "[]".into()),
        cultivation,
    })
}

impl App {
    async fn brand_views(&self, ctx: &Ctx, list: Vec<BrandProject>) -> AppResult<Vec<BrandView>> {
        let write = ctx.actor()?.scope(Permission::BrandWrite).unwrap_or(Scope::none());
        let names: HashMap<i64, String> = self.org_names(&list.iter().map(|b| b.org_id).collect::<Vec<_>>()).await?;
        Ok(list
            .into_iter()
            .map(|b| BrandView {
                org: OrgName { id: b.org_id, name: names.get(&b.org_id).cloned().unwrap_or_default() },
                checklist: serde_json::from_str(&b.checklist).unwrap_or_default(),
                status_label: status_label(&b.status).into(),
                can_edit: write.contains(&b.org_path),
                id: b.id,
                year: b.year,
                name: b.name,
                goal: b.goal,
                status: b.status,
                cultivation: b.cultivation,
            })
            .collect())
    }

    /// The gallery of a subtree's brand projects for a year.
    pub async fn brand_list(&self, ctx: &Ctx, q: BrandQuery) -> AppResult<BrandGallery> {
        let root = self.subtree_root(ctx, q.org.map(RecordId::get), Permission::OrgRead).await?;
        let year = q.year.map(Year::get).unwrap_or_else(|| crate::today().year());
        let list = brands::list(&self.db, &Scope::Paths(vec![root.path]), year, q.cultivation).await?;
        let items = self.brand_views(ctx, list).await?;
        Ok(BrandGallery {
            total: items.len() as u64,
            cultivation: items.iter().filter(|b| b.cultivation).count() as u64,
            done: items.iter().filter(|b| b.status == "done").count() as u64,
            items,
        })
    }

    /// Registers a brand project (at most two per organisation and year).
    pub async fn brand_create(&self, ctx: &Ctx, input: BrandInput) -> AppResult<BrandView> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::BrandWrite)?;
        let org_id = input.org_id.ok_or_else(|| AppError::field("org_id", "请选择党组织"))?;
        let owner = self.org_in(&self.db, &scope, org_id).await?;
        let year = input.year.map(Year::get).unwrap_or_else(|| crate::today().year());
        let cultivation = input.cultivation.unwrap_or(false) && actor.has(Permission::EvaluationWrite);
        let f = fields(&input, cultivation)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        if brands::count_of(&txn, owner.id, year).await? >= MAX_PER_YEAR {
            return Err(AppError::field(
                "name",
                format!("每个党组织每年登记 1–{MAX_PER_YEAR} 个党建品牌，{year} 年已满"),
            ));
        }
        let b = brands::insert(&txn, &owner, year, f, ctx.actor_id()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("brand.create", "brand_project", b.id).with(serde_json::json!({"org_id": owner.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.brand_views(ctx, vec![b]).await?.remove(0))
    }

    /// Edits a project: name, goal, deliverables done; county admins also mark cultivation targets.
    pub async fn brand_update(&self, ctx: &Ctx, id: i64, input: BrandInput) -> AppResult<BrandView> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::BrandWrite)?;
        let current = brands::get(&self.db, &scope, id).await?.ok_or_else(|| AppError::not_found("党建品牌"))?;
        let cultivation = match input.cultivation {
            Some(c) if c != current.cultivation => {
                if !actor.has(Permission::EvaluationWrite) {
                    return Err(AppError::field("cultivation", "培育对象由县委组织部确定"));
                }
                c
            }
            _ => current.cultivation,
        };
        let f = fields(&input, cultivation)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let b = brands::update(&txn, current, f).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("brand.update", "brand_project", b.id)
                .with(serde_json::json!({"status": b.status, "cultivation": b.cultivation})),
        )
        .await?;
        txn.commit().await?;
        Ok(self.brand_views(ctx, vec![b]).await?.remove(0))
    }
}
