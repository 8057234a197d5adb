//! Census campaigns (摸排): the list of mobile members to verify, their
//! verification, progress per organisation, and closing, which writes the
//! results to the member records and the contact log.
//!
//! Each entry is seen and verified by the member's organisation and by the organisation receiving
//! them (issue 16: the chamber branch where the member works knows where they are); only the
//! campaign's organisation closes it, and the home organisation then finds the result in the
//! member's record and contact log.

use honglian_domain::FieldErrors;
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{PageNo, PerPage, RecordId};
use honglian_store::entity::members::census_entry;
use honglian_store::repo::members::census::{self, Campaign, EntryFilter};
use honglian_store::repo::members::contacts::NewContact;
use honglian_store::repo::members::mobility::{self, MobilityRecordActive};
use honglian_store::repo::{Page, PageReq, members::registry as members, organisations::orgs};
use honglian_store::{Scope, Unscoped};
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewCampaign {
    /// e.g. 2026年第四季度流动党员摸排
    pub name: String,
    /// e.g. 2026-Q4
    pub period: String,
    #[schema(value_type = honglian_domain::RecordId)]
    pub org_id: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgProgress {
    pub org_id: i64,
    pub org_name: String,
    pub total: i64,
    pub verified: i64,
    pub reached: i64,
    /// verified / total, 0–1.
    pub completion: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CampaignView {
    pub id: i64,
    pub name: String,
    pub period: String,
    pub org_id: i64,
    pub org_name: String,
    /// open | closed
    pub status: String,
    pub total: i64,
    pub verified: i64,
    pub reached: i64,
    pub completion: f64,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Per organisation, within the caller's scope.
    pub by_org: Vec<OrgProgress>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EntryView {
    pub id: i64,
    pub member_id: i64,
    pub member_name: String,
    pub org_id: i64,
    pub org_name: String,
    /// The organisation receiving the member when the campaign started (it verifies them too).
    pub receiving_org_id: Option<i64>,
    pub receiving_org_name: Option<String>,
    pub reached: Option<bool>,
    pub current_place: Option<String>,
    pub current_employer: Option<String>,
    pub circumstances: Option<String>,
    pub thoughts: Option<String>,
    pub needs: Option<String>,
    pub verified_by_name: Option<String>,
    pub verified_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EntryInput {
    pub reached: bool,
    pub current_place: Option<String>,
    pub current_employer: Option<String>,
    pub circumstances: Option<String>,
    /// 思想动态
    pub thoughts: Option<String>,
    pub needs: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntryQuery {
    /// Organisation whose subtree to list: its members, or those it receives.
    pub org: Option<RecordId>,
    /// true: verified only; false: still to verify.
    pub verified: Option<bool>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

fn period_ok(p: &str) -> bool {
    let b = p.as_bytes();
    b.len() == 7 && p[..4].parse::<u32>().is_ok() && &p[4..6] == "-Q" && matches!(b[6], b'1'..=b'4')
}

impl App {
    async fn campaign_view(&self, c: Campaign, scope: &Scope) -> AppResult<CampaignView> {
        // The caller's scope: entries lie in the campaign's subtree, or are received in the scope.
        let rows = census::progress(&self.db, c.id, scope).await?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let names = orgs::names(&self.db, &ids).await?;
        let by_org: Vec<OrgProgress> = rows
            .iter()
            .map(|(id, total, verified, reached)| OrgProgress {
                org_id: *id,
                org_name: names.get(id).cloned().unwrap_or_default(),
                total: *total,
                verified: *verified,
                reached: *reached,
                completion: if *total > 0 { *verified as f64 / *total as f64 } else { 0.0 },
            })
            .collect();
        let total: i64 = by_org.iter().map(|p| p.total).sum();
        let verified: i64 = by_org.iter().map(|p| p.verified).sum();
        let reached: i64 = by_org.iter().map(|p| p.reached).sum();
        let org_name = orgs::name_of(&self.db, c.org_id).await?;
        Ok(CampaignView {
            id: c.id,
            name: c.name,
            period: c.period,
            org_id: c.org_id,
            org_name,
            status: c.status,
            total,
            verified,
            reached,
            completion: if total > 0 { verified as f64 / total as f64 } else { 0.0 },
            created_at: c.created_at,
            closed_at: c.closed_at,
            by_org,
        })
    }

    async fn campaign_for(&self, ctx: &Ctx, id: i64, p: Permission) -> AppResult<(Campaign, Scope)> {
        let scope = ctx.actor()?.scope(p)?;
        match census::get(&self.db, &scope, id).await? {
            Some(c) => Ok((c, scope)),
            None => Err(AppError::not_found("摸排")),
        }
    }

    pub async fn census_create(&self, ctx: &Ctx, input: NewCampaign) -> AppResult<CampaignView> {
        let scope = ctx.actor()?.scope(Permission::MemberWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let org = self.org_in(&txn, &scope, input.org_id).await?;
        let mut e = FieldErrors::new();
        let name = e.check("name", required_text(&input.name, "摸排名称", 60));
        let period = input.period.trim().to_uppercase();
        if !period_ok(&period) {
            e.add("period", "期间应写成 2026-Q4 这样的季度");
        }
        e.into_result()?;
        if census::list(&txn, &Scope::Paths(vec![org.path.clone()]))
            .await?
            .iter()
            .any(|c| c.org_id == org.id && c.period == period)
        {
            return Err(AppError::Conflict {
                title: format!("{}已有 {period} 的摸排", org.name),
                errors: FieldErrors::single("period", "该期间已有摸排"),
            });
        }
        let (c, n) = census::create(&txn, name.expect("validated"), period, org.id, &org.path, ctx.actor_id()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("census.create", "census", c.id)
                .with(serde_json::json!({"org_id": org.id, "period": c.period, "entries": n})),
        )
        .await?;
        txn.commit().await?;
        self.campaign_view(c, &scope).await
    }

    pub async fn census_list(&self, ctx: &Ctx) -> AppResult<Vec<CampaignView>> {
        let scope = ctx.actor()?.scope(Permission::MemberRead)?;
        // Campaigns over the caller's organisations, and those with members the caller receives.
        let mut out = Vec::new();
        for c in census::concerning(&self.db, &scope).await? {
            out.push(self.campaign_view(c, &scope).await?);
        }
        Ok(out)
    }

    pub async fn census_get(&self, ctx: &Ctx, id: i64) -> AppResult<CampaignView> {
        let (c, scope) = self.campaign_for(ctx, id, Permission::MemberRead).await?;
        self.campaign_view(c, &scope).await
    }

    pub async fn census_entries(&self, ctx: &Ctx, id: i64, q: EntryQuery) -> AppResult<Page<EntryView>> {
        let (c, scope) = self.campaign_for(ctx, id, Permission::MemberRead).await?;
        let subtree = match q.org.map(RecordId::get) {
            Some(o) => Some(self.org_in(&self.db, &scope, o).await?.path),
            None => None,
        };
        let page = census::entries(
            &self.db,
            c.id,
            &scope,
            &EntryFilter { subtree, verified: q.verified },
            PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into)),
        )
        .await?;
        let mut items = Vec::with_capacity(page.items.len());
        let org_ids: Vec<i64> =
            page.items.iter().flat_map(|e| [Some(e.org_id), e.receiving_org_id]).flatten().collect();
        let org_list = orgs::names(&self.db, &org_ids).await?;
        // The entries' members: the scoped entry list reached them.
        #[allow(clippy::disallowed_methods, reason = "members of entries the scoped list returned")]
        let reached = Scope::All(Unscoped::system());
        for e in page.items {
            let name = members::get(&self.db, &reached, e.member_id).await?.map(|m| m.name).unwrap_or_default();
            let text = self.census_text(&e)?;
            items.push(entry_view(e, text, name, &org_list));
        }
        Ok(Page { total: page.total, items })
    }

    pub async fn census_record(&self, ctx: &Ctx, id: i64, entry_id: i64, input: EntryInput) -> AppResult<EntryView> {
        let actor = ctx.actor()?;
        let (c, scope) = self.campaign_for(ctx, id, Permission::MemberWrite).await?;
        if c.status != "open" {
            return Err(AppError::Conflict {
                title: "该摸排已结束，不能再登记".into(), errors: FieldErrors::new()
            });
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        // The member's organisation, or the one receiving them.
        let e = match census::entry(&txn, &scope, entry_id).await? {
            Some(e) if e.campaign_id == c.id => e,
            _ => return Err(AppError::not_found("摸排对象")),
        };
        let mut errs = FieldErrors::new();
        let place =
            errs.check("current_place", optional_text(input.current_place.as_deref(), "现所在地", 100)).flatten();
        let employer = errs
            .check("current_employer", optional_text(input.current_employer.as_deref(), "现工作单位", 100))
            .flatten();
        let circumstances =
            errs.check("circumstances", optional_text(input.circumstances.as_deref(), "现实表现", 500)).flatten();
        let thoughts = errs.check("thoughts", optional_text(input.thoughts.as_deref(), "思想动态", 500)).flatten();
        let needs = errs.check("needs", optional_text(input.needs.as_deref(), "诉求", 500)).flatten();
        if input.reached && place.is_none() {
            errs.add("current_place", "已联系上的党员请填写现所在地");
        }
        errs.into_result()?;
        let mut am: census_entry::ActiveModel = e.into();
        am.reached = Set(Some(input.reached));
        let member = am.member_id.clone().unwrap();
        let seal = |f: &str, v: Option<String>| self.seal_text(CENSUS, f, member, v.as_deref());
        am.current_place_enc = Set(seal("current_place", place));
        am.current_employer = Set(employer);
        am.circumstances_enc = Set(seal("circumstances", circumstances));
        am.thoughts_enc = Set(seal("thoughts", thoughts));
        am.needs_enc = Set(seal("needs", needs));
        am.verified_by = Set(Some(actor.user_id));
        am.verified_by_name = Set(Some(actor.display_name.clone()));
        am.verified_at = Set(Some(chrono::Utc::now()));
        let e = census::save_entry(&txn, am).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("census.record", "member", e.member_id)
                .with(serde_json::json!({"census_id": c.id, "reached": input.reached})),
        )
        .await?;
        txn.commit().await?;
        #[allow(clippy::disallowed_methods, reason = "the member of the entry just recorded in the caller's scope")]
        let reached = Scope::All(Unscoped::system());
        let name = members::get(&self.db, &reached, e.member_id).await?.map(|m| m.name).unwrap_or_default();
        let org_ids: Vec<i64> = [Some(e.org_id), e.receiving_org_id].into_iter().flatten().collect();
        let org_list = orgs::names(&self.db, &org_ids).await?;
        let text = self.census_text(&e)?;
        Ok(entry_view(e, text, name, &org_list))
    }

    /// Closes the campaign: every verified entry becomes a contact-log entry, and
    /// what was found is written to the member (employer) and the open outflow (place).
    pub async fn census_close(&self, ctx: &Ctx, id: i64) -> AppResult<CampaignView> {
        let scope = ctx.actor()?.scope(Permission::MemberWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let c = census::get(&txn, &scope, id).await?.ok_or_else(|| AppError::not_found("摸排"))?;
        // Only whoever manages the campaign's whole subtree may close it.
        if !scope.contains(&c.org_path) {
            // The caller sees the campaign (it concerns their scope), so saying why is no leak.
            return Err(AppError::Forbidden("只有发起摸排的组织可以结束摸排".into()));
        }
        if c.status != "open" {
            return Err(AppError::Conflict { title: "该摸排已结束".into(), errors: FieldErrors::new() });
        }
        let day = crate::today();
        let entries = census::verified_entries(&txn, c.id).await?;
        #[allow(
            clippy::disallowed_methods,
            reason = "the members of the entries of a campaign whose whole subtree is the caller's"
        )]
        let closing = Scope::All(Unscoped::system());
        for e in &entries {
            let text = self.census_text(e)?;
            let reached = e.reached.unwrap_or(false);
            let mut note = format!("{}：{}", c.name, if reached { "已联系上" } else { "未联系上" });
            for (label, v) in [
                ("现所在地", &text.current_place),
                ("现工作单位", &e.current_employer),
                ("思想动态", &text.thoughts),
                ("诉求", &text.needs),
            ] {
                if let Some(v) = v {
                    note.push_str(&format!("；{label}：{v}"));
                }
            }
            let on = e.verified_at.map(|t| (t + chrono::Duration::hours(8)).date_naive()).unwrap_or(day);
            self.record_contact(
                &txn,
                ctx,
                NewContact {
                    member_id: e.member_id,
                    kind: "census".into(),
                    contacted_on: on,
                    reached,
                    note_enc: self.seal_text(
                        "contacts",
                        "note",
                        e.member_id,
                        Some(&note.chars().take(1000).collect::<String>()),
                    ),
                    by_user_id: e.verified_by,
                    by_name: e.verified_by_name.clone().unwrap_or_default(),
                },
            )
            .await?;
            if reached {
                if let Some(emp) = &e.current_employer
                    && let Some(m) = members::get(&txn, &closing, e.member_id).await?
                {
                    members::set_employer(&txn, m.id, emp).await?;
                }
                if let Some(r) = mobility::open_outflow(&txn, e.member_id).await? {
                    let mut am: MobilityRecordActive = r.into();
                    if let Some(p) = &text.current_place {
                        am.address_enc = Set(self.seal_text("mobility_records", "address", e.member_id, Some(p)));
                        mobility::update(&txn, am).await?;
                    }
                }
            }
        }
        let c = census::close(&txn, c).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("census.close", "census", c.id).with(serde_json::json!({"written": entries.len()})),
        )
        .await?;
        txn.commit().await?;
        self.campaign_view(c, &scope).await
    }
}

/// The table whose free text is sealed (`platform::sealing`).
pub(crate) const CENSUS: &str = "census_entries";

/// A census entry's sealed free text, opened.
pub(crate) struct CensusText {
    pub current_place: Option<String>,
    pub circumstances: Option<String>,
    pub thoughts: Option<String>,
    pub needs: Option<String>,
}

impl App {
    pub(crate) fn census_text(&self, e: &census_entry::Model) -> AppResult<CensusText> {
        let open = |f: &str, v: &Option<String>| self.open_text(CENSUS, f, e.member_id, v.as_deref());
        Ok(CensusText {
            current_place: open("current_place", &e.current_place_enc)?,
            circumstances: open("circumstances", &e.circumstances_enc)?,
            thoughts: open("thoughts", &e.thoughts_enc)?,
            needs: open("needs", &e.needs_enc)?,
        })
    }
}

fn entry_view(
    e: census_entry::Model,
    t: CensusText,
    member_name: String,
    org_names: &std::collections::HashMap<i64, String>,
) -> EntryView {
    EntryView {
        id: e.id,
        member_id: e.member_id,
        member_name,
        org_id: e.org_id,
        org_name: org_names.get(&e.org_id).cloned().unwrap_or_default(),
        receiving_org_id: e.receiving_org_id,
        receiving_org_name: e.receiving_org_id.and_then(|id| org_names.get(&id).cloned()),
        reached: e.reached,
        current_place: t.current_place,
        current_employer: e.current_employer,
        circumstances: t.circumstances,
        thoughts: t.thoughts,
        needs: t.needs,
        verified_by_name: e.verified_by_name,
        verified_at: e.verified_at,
    }
}

impl App {
    /// A census campaign's results (摸排结果) with the entries' filters, as print-ready xlsx or PDF: each member,
    /// whether reached, where and how they are; audited. Read a page at a time into the writer.
    pub async fn census_export(
        &self,
        ctx: &Ctx,
        id: i64,
        q: EntryQuery,
        format: crate::platform::report::ReportFormat,
    ) -> AppResult<crate::members::export::Export> {
        use crate::platform::pdf::Column as C;
        use crate::platform::report::Report;
        let c = self.census_get(ctx, id).await?;
        let today = crate::today();
        let columns = vec![
            C::new("姓名", 10.0).fit("欧阳明明"),
            C::new("所在党组织", 22.0),
            C::new("接收党组织", 20.0),
            C::new("联系上", 6.0).fit("未核实").center(),
            C::new("现所在地", 18.0),
            C::new("现工作单位", 18.0),
            C::new("现状", 24.0).lines(4),
            C::new("思想状况", 16.0).lines(4),
            C::new("诉求", 16.0).lines(4),
            C::new("核实人", 8.0).fit("欧阳明明"),
            C::new("核实日期", 11.0).fit("2026-12-31").center(),
        ];
        let status = if c.status == "closed" { "已结束" } else { "进行中" };
        let report = Report {
            title: format!("{}摸排结果", c.name),
            sheet: "摸排结果".into(),
            unit: c.org_name.clone(),
            date: today.to_string(),
            intro: vec![format!(
                "期次：{}（{status}）    导出人：{}    共 {} 人，已核实 {} 人，联系上 {} 人，完成率 {:.1}%",
                c.period,
                ctx.actor()?.display_name,
                c.total,
                c.verified,
                c.reached,
                c.completion * 100.0
            )],
            columns,
            landscape: true,
        };
        let per_page = PerPage::new(200).map_err(|e| AppError::field("per_page", e))?;
        let filter = serde_json::json!({"org": q.org.map(RecordId::get), "verified": q.verified});
        let pages = futures_util::stream::try_unfold(Some(1i128), move |page| {
            let (app, ctx, q) = (self.clone(), ctx.clone(), q.clone());
            async move {
                let Some(page) = page else { return Ok(None) };
                let q = EntryQuery {
                    page: Some(PageNo::new(page).map_err(|e| AppError::field("page", e))?),
                    per_page: Some(per_page),
                    ..q
                };
                let items = app.census_entries(&ctx, id, q).await?.items;
                let next = (items.len() == 200).then_some(page + 1);
                Ok::<_, AppError>(Some((futures_util::stream::iter(items.into_iter().map(Ok::<_, AppError>)), next)))
            }
        });
        let rows = futures_util::TryStreamExt::try_flatten(pages);
        let cells = |_: &App, e: EntryView| -> AppResult<Vec<String>> {
            let opt = |v: Option<String>| v.unwrap_or_default();
            Ok(vec![
                e.member_name,
                e.org_name,
                opt(e.receiving_org_name),
                match (e.reached, e.verified_at) {
                    (_, None) => "未核实".into(),
                    (Some(true), _) => "是".into(),
                    _ => "否".into(),
                },
                opt(e.current_place),
                opt(e.current_employer),
                opt(e.circumstances),
                opt(e.thoughts),
                opt(e.needs),
                opt(e.verified_by_name),
                e.verified_at.map(|t| (t + chrono::Duration::hours(8)).date_naive().to_string()).unwrap_or_default(),
            ])
        };
        let (file, rows) = self.write_streamed(rows, cells, report, format).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("census.export", "census_campaign", id).with(serde_json::json!({
                "filter": filter,
                "rows": rows,
                "format": format.extension(),
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(crate::members::export::Export {
            filename: format!("{}摸排结果-{today}.{}", c.name, format.extension()),
            file,
            rows,
        })
    }
}
