//! Communities (regional committees and chain alliances): member organisations with their
//! "2+1+X+N" roles, part-time committee members, and the rotating secretaries' rota with
//! hand-over notes and audited swaps.
//!
//! Who sees a community: whoever sees the community organisation, and every organisation that
//! belongs to it (people's records stay under the usual subtree rule).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use honglian_domain::FieldErrors;
use honglian_domain::communities::community::{self, CommunityRole, DEFAULT_ROTA_MONTHS, RotaSwap, RotaTerm};
use honglian_domain::organisations::org::OrgKind;
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::{optional_text, required_text};
use honglian_store::Scope;
use honglian_store::repo::communities::registry::{self as communities, COMMUNITY_KINDS};
use honglian_store::repo::organisations::orgs::{self, Org};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::org_life::duties::Counts;
use crate::platform::audit::Event;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

const SETTING_ROLE_LABELS: &str = "community_role_labels";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SecretaryRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommunityView {
    pub id: i64,
    pub name: String,
    /// chain_alliance | regional_org
    pub kind: String,
    pub kind_label: String,
    pub secretary: Option<String>,
    pub member_count: i64,
    /// The rotating secretary on duty today, if the community keeps a rota.
    pub on_duty: Option<SecretaryRef>,
    /// Whether the caller may edit the community (members, rota).
    pub can_edit: bool,
    /// The community's working rhythm this year (周例会、月督导、季评比、年述职 — how the 五共
    /// mechanism, 议事共商、组织共建、资源共享、人才共育、发展共促, is carried out), as lights of the
    /// duty engine.
    pub rhythm: Counts,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommunityMemberView {
    pub org_id: i64,
    pub org_name: String,
    pub kind_label: String,
    /// lead | coordinator | member | partner
    pub role: String,
    pub role_label: String,
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartTimeMemberView {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub position: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RotaItem {
    pub secretary: SecretaryRef,
    pub start: NaiveDate,
    /// Inclusive.
    pub end: NaiveDate,
    /// Another secretary took this term (a swap).
    pub swapped: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RotaList {
    pub items: Vec<RotaItem>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SecretaryView {
    pub id: i64,
    pub name: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    pub position: i32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HandoverView {
    pub id: i64,
    pub term_start: NaiveDate,
    pub note: String,
    pub author: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SwapView {
    pub term_start: NaiveDate,
    pub secretary: SecretaryRef,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RotaView {
    /// The first term starts here.
    pub anchor: Option<NaiveDate>,
    /// Months per term.
    pub months: u32,
    pub secretaries: Vec<SecretaryView>,
    pub current: Option<RotaItem>,
    pub next: Option<RotaItem>,
    pub swaps: Vec<SwapView>,
    pub handovers: Vec<HandoverView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoleLabel {
    pub role: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommunityDetail {
    #[serde(flatten)]
    pub community: CommunityView,
    pub members: Vec<CommunityMemberView>,
    pub part_time_members: Vec<PartTimeMemberView>,
    pub rota: RotaView,
    /// The "2+1+X+N" role labels in use (configurable).
    pub role_labels: Vec<RoleLabel>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CommunityMemberInput {
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
    /// lead | coordinator | member | partner
    pub role: String,
    pub since: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PartTimeMemberInput {
    pub name: String,
    /// The resident unit or department.
    pub unit: String,
    pub position: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RotaSettingsInput {
    pub anchor: NaiveDate,
    pub months: u32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SecretaryInput {
    pub name: String,
    /// The secretary's own organisation (a member of the alliance), if any.
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub org_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SwapInput {
    pub term_start: NaiveDate,
    #[schema(value_type = honglian_domain::RecordId)]
    pub secretary_id: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct HandoverInput {
    pub term_start: NaiveDate,
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RotaQuery {
    /// YYYY-MM-DD; default: today.
    pub from: Option<NaiveDate>,
    /// YYYY-MM-DD; default: a year after `from`.
    pub to: Option<NaiveDate>,
}

fn kind_label(kind: &str) -> String {
    OrgKind::from_code(kind).map(|k| k.label()).unwrap_or_default().into()
}

impl App {
    /// The community `id` if the caller sees it (or, with `write`, may edit it).
    pub(crate) async fn community_for(&self, ctx: &Ctx, id: i64, write: bool) -> AppResult<Org> {
        let actor = ctx.actor()?;
        let read = actor.scope(Permission::OrgRead)?;
        let org = communities::get(&self.db, &read, id)
            .await?
            .filter(|o| COMMUNITY_KINDS.contains(&o.kind.as_str()) && o.status == "active")
            .ok_or_else(|| AppError::not_found("党建联盟或区域性党组织"))?;
        if write && !actor.scope(Permission::CommunityWrite).is_ok_and(|s| s.contains(&org.path)) {
            return Err(AppError::forbidden());
        }
        Ok(org)
    }

    /// What the communities of the caller's organisations share with them: the caller's read scope,
    /// and the communities (exactly those organisations, not their subtrees) that one of the caller's
    /// organisations belongs to. A community shares its own activities and tasks, never the records
    /// filed under it or under its other member organisations.
    pub(crate) async fn community_shares(&self, ctx: &Ctx) -> AppResult<(Scope, Vec<i64>)> {
        let read = ctx.actor()?.scope(Permission::OrgRead)?;
        let shared = communities::visible(&self.db, &read, COMMUNITY_KINDS)
            .await?
            .into_iter()
            .filter(|c| !read.contains(&c.path))
            .map(|c| c.id)
            .collect();
        Ok((read, shared))
    }

    /// The "2+1+X+N" role labels of the caller's county.
    pub async fn community_role_labels(&self, ctx: &Ctx) -> AppResult<Vec<RoleLabel>> {
        self.county_role_labels(self.reader_county(ctx)?).await
    }

    /// A county's role labels (its own names, else the deployment's, else the defaults).
    async fn county_role_labels(&self, county: Option<i64>) -> AppResult<Vec<RoleLabel>> {
        let custom: HashMap<String, String> = match self.county_setting(SETTING_ROLE_LABELS, county).await? {
            Some(v) => serde_json::from_str(&v).unwrap_or_default(),
            None => HashMap::new(),
        };
        Ok(CommunityRole::ALL
            .iter()
            .map(|r| RoleLabel {
                role: r.code().into(),
                label: custom.get(r.code()).cloned().unwrap_or_else(|| r.label().into()),
            })
            .collect())
    }

    /// Renames the "2+1+X+N" roles of the caller's county (its county admin only).
    pub async fn set_community_role_labels(&self, ctx: &Ctx, labels: Vec<RoleLabel>) -> AppResult<Vec<RoleLabel>> {
        let county = self.writer_county(ctx, Permission::SettingsBusiness)?;
        let mut map = HashMap::new();
        let mut errors = FieldErrors::default();
        for l in labels {
            if CommunityRole::from_code(&l.role).is_none() {
                errors.add("role", format!("未知的联盟角色：{}", l.role));
                continue;
            }
            match required_text(&l.label, "角色名称", 20) {
                Ok(v) => {
                    map.insert(l.role, v);
                }
                Err(e) => errors.add("label", e),
            }
        }
        errors.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.set_county_setting(&txn, SETTING_ROLE_LABELS, county, &serde_json::to_string(&map).unwrap_or_default())
            .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("settings.community_roles", "settings", SETTING_ROLE_LABELS)
                .with(serde_json::json!({"county": county, "labels": map})),
        )
        .await?;
        txn.commit().await?;
        self.county_role_labels(Some(county)).await
    }

    /// Communities the caller sees; `kinds` narrows to chain alliances for GET /alliances.
    pub async fn community_list(&self, ctx: &Ctx, kinds: &[&str]) -> AppResult<Vec<CommunityView>> {
        let actor = ctx.actor()?;
        let read = actor.scope(Permission::OrgRead)?;
        let list = communities::visible(&self.db, &read, kinds).await?;
        let rhythms = self.rhythms(&list).await?;
        let counts: HashMap<i64, i64> =
            communities::member_counts(&self.db, &list.iter().map(|o| o.id).collect::<Vec<_>>())
                .await?
                .into_iter()
                .collect();
        let write = actor.scope(Permission::CommunityWrite).ok();
        let mut out = Vec::with_capacity(list.len());
        for o in list {
            let (current, _) = self.rota_now(o.id).await?;
            out.push(CommunityView {
                rhythm: rhythms.get(&o.id).copied().unwrap_or_default(),
                member_count: counts.get(&o.id).copied().unwrap_or(0),
                on_duty: current.map(|c| c.secretary),
                can_edit: write.as_ref().is_some_and(|s| s.contains(&o.path)),
                kind_label: kind_label(&o.kind),
                id: o.id,
                name: o.name,
                kind: o.kind,
                secretary: o.secretary,
            });
        }
        Ok(out)
    }

    pub async fn community_get(&self, ctx: &Ctx, id: i64) -> AppResult<CommunityDetail> {
        let org = self.community_for(ctx, id, false).await?;
        let labels = self.county_role_labels(county_of(&org.path)).await?;
        let label = |r: &str| labels.iter().find(|l| l.role == r).map(|l| l.label.clone()).unwrap_or_default();
        let members: Vec<CommunityMemberView> = communities::members_of(&self.db, id)
            .await?
            .into_iter()
            .map(|(m, o)| CommunityMemberView {
                org_id: o.id,
                kind_label: kind_label(&o.kind),
                org_name: o.name,
                role_label: label(&m.role),
                role: m.role,
                since: m.since,
            })
            .collect();
        let part_time_members = communities::part_time_members(&self.db, id)
            .await?
            .into_iter()
            .map(|p| PartTimeMemberView { id: p.id, name: p.name, unit: p.unit, position: p.position })
            .collect();
        let rota = self.rota_view(id).await?;
        let can_edit = ctx.actor()?.scope(Permission::CommunityWrite).is_ok_and(|s| s.contains(&org.path));
        let rhythm = self.rhythms(std::slice::from_ref(&org)).await?.remove(&org.id).unwrap_or_default();
        Ok(CommunityDetail {
            community: CommunityView {
                rhythm,
                member_count: members.len() as i64,
                on_duty: rota.current.as_ref().map(|c| c.secretary.clone()),
                can_edit,
                kind_label: kind_label(&org.kind),
                id: org.id,
                name: org.name,
                kind: org.kind,
                secretary: org.secretary,
            },
            members,
            part_time_members,
            rota,
            role_labels: labels,
        })
    }

    /// Adds an organisation (from anywhere in the caller's scope) to the community, or changes its role.
    pub async fn community_member_put(&self, ctx: &Ctx, id: i64, input: CommunityMemberInput) -> AppResult<()> {
        let community = self.community_for(ctx, id, true).await?;
        let role = CommunityRole::from_code(&input.role)
            .ok_or_else(|| AppError::field("role", "联盟角色须为牵头单位、协调部门、成员单位或合作单位"))?;
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let member = self
            .org_in(&self.db, &scope, input.org_id)
            .await
            .map_err(|_| AppError::field("org_id", "找不到该党组织，或不在您的管理范围内"))?;
        if member.id == community.id {
            return Err(AppError::field("org_id", "不能把联盟自身加为成员"));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        communities::upsert_member(&txn, id, &member, role.code(), input.since).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("community.member", "org", id)
                .with(serde_json::json!({"org_id": member.id, "role": role.code()})),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn community_member_remove(&self, ctx: &Ctx, id: i64, org_id: i64) -> AppResult<()> {
        self.community_for(ctx, id, true).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        if !communities::remove_member(&txn, id, org_id).await? {
            return Err(AppError::not_found("联盟成员单位"));
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("community.member_remove", "org", id).with(serde_json::json!({"org_id": org_id})),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn part_time_member_add(
        &self,
        ctx: &Ctx,
        id: i64,
        input: PartTimeMemberInput,
    ) -> AppResult<PartTimeMemberView> {
        self.community_for(ctx, id, true).await?;
        let mut errors = FieldErrors::default();
        let name = required_text(&input.name, "姓名", 30).map_err(|e| errors.add("name", e)).ok();
        let unit = required_text(&input.unit, "所在单位", 60).map_err(|e| errors.add("unit", e)).ok();
        let position =
            optional_text(input.position.as_deref(), "职务", 30).map_err(|e| errors.add("position", e)).ok().flatten();
        errors.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let p =
            communities::add_part_time_member(&txn, id, name.expect("validated"), unit.expect("validated"), position)
                .await?;
        self.audit(&txn, ctx, Event::ok("community.part_time_member", "org", id).with(serde_json::json!({"id": p.id})))
            .await?;
        txn.commit().await?;
        Ok(PartTimeMemberView { id: p.id, name: p.name, unit: p.unit, position: p.position })
    }

    /// The lights of the community's own duties this year.
    /// The lights of the communities' own duties this year, in one evaluation (one cache entry, however
    /// many communities are listed).
    async fn rhythms(&self, list: &[Org]) -> AppResult<HashMap<i64, Counts>> {
        if list.is_empty() {
            return Ok(HashMap::new());
        }
        let scope = Scope::Paths(list.iter().map(|c| c.path.clone()).collect());
        let ev = self.evaluate(&scope, crate::today().year()).await?;
        Ok(list
            .iter()
            .map(|c| {
                let mut counts = honglian_domain::org_life::duty::LightCounts::default();
                for r in ev.orgs.iter().filter(|o| o.id == c.id).flat_map(|o| &o.results) {
                    counts.add(r.light);
                }
                (c.id, counts.into())
            })
            .collect())
    }

    /// The rota inputs of a community: (secretary ids in order, names, anchor, months, swaps).
    async fn rota_inputs(&self, id: i64) -> AppResult<Option<RotaInputs>> {
        let Some(r) = communities::rota(&self.db, id).await? else {
            return Ok(None);
        };
        let secretaries = communities::secretaries(&self.db, id).await?;
        let swaps = communities::swaps(&self.db, id).await?;
        Ok(Some(RotaInputs {
            anchor: r.anchor,
            months: r.months.max(1) as u32,
            order: secretaries.iter().filter(|s| s.active).map(|s| s.id).collect(),
            names: secretaries.iter().map(|s| (s.id, s.name.clone())).collect(),
            swaps: swaps.iter().map(|s| RotaSwap { term_start: s.term_start, secretary_id: s.secretary_id }).collect(),
            secretaries,
            swap_rows: swaps,
        }))
    }

    async fn rota_now(&self, id: i64) -> AppResult<(Option<RotaItem>, Option<RotaItem>)> {
        let Some(r) = self.rota_inputs(id).await? else {
            return Ok((None, None));
        };
        let (cur, next) = community::on_duty(&r.order, r.anchor, r.months, &r.swaps, crate::today());
        Ok((cur.map(|t| r.item(t)), next.map(|t| r.item(t))))
    }

    async fn rota_view(&self, id: i64) -> AppResult<RotaView> {
        let Some(r) = self.rota_inputs(id).await? else {
            return Ok(RotaView {
                anchor: None,
                months: DEFAULT_ROTA_MONTHS,
                secretaries: vec![],
                current: None,
                next: None,
                swaps: vec![],
                handovers: vec![],
            });
        };
        let (cur, next) = community::on_duty(&r.order, r.anchor, r.months, &r.swaps, crate::today());
        let org_ids: Vec<i64> = r.secretaries.iter().filter_map(|s| s.org_id).collect();
        let orgs = orgs::names(&self.db, &org_ids).await?;
        let handovers = communities::handovers(&self.db, id)
            .await?
            .into_iter()
            .map(|h| HandoverView {
                id: h.id,
                term_start: h.term_start,
                note: h.note,
                author: h.author,
                created_at: h.created_at,
            })
            .collect();
        Ok(RotaView {
            anchor: Some(r.anchor),
            months: r.months,
            current: cur.map(|t| r.item(t)),
            next: next.map(|t| r.item(t)),
            swaps: r
                .swap_rows
                .iter()
                .map(|s| SwapView {
                    term_start: s.term_start,
                    secretary: r.secretary(s.secretary_id),
                    reason: s.reason.clone(),
                })
                .collect(),
            secretaries: r
                .secretaries
                .iter()
                .filter(|s| s.active)
                .map(|s| SecretaryView {
                    id: s.id,
                    name: s.name.clone(),
                    org_id: s.org_id,
                    org_name: s.org_id.and_then(|i| orgs.get(&i).cloned()),
                    position: s.position,
                })
                .collect(),
            handovers,
        })
    }

    /// GET /alliances/{id}/rota: the terms overlapping [from, to].
    pub async fn rota_list(&self, ctx: &Ctx, id: i64, q: RotaQuery) -> AppResult<RotaList> {
        self.community_for(ctx, id, false).await?;
        let from = q.from.unwrap_or_else(crate::today);
        let to = q.to.unwrap_or_else(|| from + chrono::Duration::days(365));
        if to < from {
            return Err(AppError::field("to", "结束日期不能早于开始日期"));
        }
        let Some(r) = self.rota_inputs(id).await? else {
            return Ok(RotaList { items: vec![] });
        };
        let items =
            community::rota(&r.order, r.anchor, r.months, &r.swaps, from, to).into_iter().map(|t| r.item(t)).collect();
        Ok(RotaList { items })
    }

    pub async fn rota_settings(&self, ctx: &Ctx, id: i64, input: RotaSettingsInput) -> AppResult<RotaView> {
        self.community_for(ctx, id, true).await?;
        community::validate_rota_months(input.months)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        communities::set_rota(&txn, id, input.anchor, input.months as i32).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("community.rota", "org", id)
                .with(serde_json::json!({"anchor": input.anchor, "months": input.months})),
        )
        .await?;
        txn.commit().await?;
        self.rota_view(id).await
    }

    pub async fn secretary_add(&self, ctx: &Ctx, id: i64, input: SecretaryInput) -> AppResult<RotaView> {
        self.community_for(ctx, id, true).await?;
        let name = required_text(&input.name, "轮值书记姓名", 30).map_err(|e| AppError::field("name", e))?;
        if let Some(org_id) = input.org_id
            && !communities::members_of(&self.db, id).await?.iter().any(|(m, _)| m.org_id == org_id)
        {
            return Err(AppError::field("org_id", "轮值书记须来自联盟的成员单位"));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let s = communities::add_secretary(&txn, id, name, input.org_id).await?;
        if communities::rota(&txn, id).await?.is_none() {
            // The first secretary starts a rota from the first day of this month.
            let today = crate::today();
            let anchor = today.with_day0(0).unwrap_or(today);
            communities::set_rota(&txn, id, anchor, DEFAULT_ROTA_MONTHS as i32).await?;
        }
        self.audit(
            &txn,
            ctx,
            Event::ok("community.secretary", "org", id).with(serde_json::json!({"secretary_id": s.id})),
        )
        .await?;
        txn.commit().await?;
        self.rota_view(id).await
    }

    /// Another secretary takes a term; the reason is required and the swap audited.
    pub async fn rota_swap(&self, ctx: &Ctx, id: i64, input: SwapInput) -> AppResult<RotaView> {
        self.community_for(ctx, id, true).await?;
        let r = self.rota_inputs(id).await?.ok_or_else(|| AppError::field("term_start", "该联盟尚未设置轮值"))?;
        community::validate_swap(r.anchor, r.months, input.term_start)?;
        if !r.order.contains(&input.secretary_id) {
            return Err(AppError::field("secretary_id", "请选择本联盟的轮值书记"));
        }
        let reason = required_text(&input.reason, "调换原因", 200).map_err(|e| AppError::field("reason", e))?;
        let before = community::rota(&r.order, r.anchor, r.months, &r.swaps, input.term_start, input.term_start)
            .first()
            .map(|t| t.secretary_id);
        let txn = honglian_store::begin_write(&self.db).await?;
        communities::put_swap(&txn, id, input.term_start, input.secretary_id, reason.clone(), ctx.actor_id()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("community.rota_swap", "org", id).with(serde_json::json!({
                "term_start": input.term_start, "from_secretary_id": before, "to_secretary_id": input.secretary_id, "reason": reason
            })),
        )
        .await?;
        txn.commit().await?;
        self.rota_view(id).await
    }

    pub async fn handover_add(&self, ctx: &Ctx, id: i64, input: HandoverInput) -> AppResult<RotaView> {
        self.community_for(ctx, id, true).await?;
        let note = required_text(&input.note, "交接内容", 2000).map_err(|e| AppError::field("note", e))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let h = communities::add_handover(
            &txn,
            id,
            input.term_start,
            note,
            ctx.actor()?.display_name.clone(),
            ctx.actor_id(),
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("community.handover", "org", id).with(serde_json::json!({"handover_id": h.id})),
        )
        .await?;
        txn.commit().await?;
        self.rota_view(id).await
    }
}

struct RotaInputs {
    anchor: NaiveDate,
    months: u32,
    order: Vec<i64>,
    names: HashMap<i64, String>,
    swaps: Vec<RotaSwap>,
    secretaries: Vec<communities::Secretary>,
    swap_rows: Vec<communities::Swap>,
}

impl RotaInputs {
    fn secretary(&self, id: i64) -> SecretaryRef {
        SecretaryRef { id, name: self.names.get(&id).cloned().unwrap_or_default() }
    }

    fn item(&self, t: RotaTerm) -> RotaItem {
        RotaItem { secretary: self.secretary(t.secretary_id), start: t.start, end: t.end, swapped: t.swapped }
    }
}
