//! 我的: the signed-in member's own record (masked; they may unmask their own), their branch and its
//! secretary's contact and, while away, where they are, the organisation receiving them there and their
//! mobile-member card (流动党员活动证).

use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use honglian_domain::FieldErrors;
use honglian_domain::members::mobility::ContactKind;
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::{optional_text, required_text};
use honglian_store::Scope;
use honglian_store::entity::members::census_entry;
use honglian_store::repo::members::census;
use honglian_store::repo::members::contacts::{self, NewContact};
use honglian_store::repo::members::registry as members;
use honglian_store::repo::organisations::{committee, orgs};
use sea_orm::Set;
use serde::Serialize;
use utoipa::ToSchema;

use crate::members::census::CENSUS;
use crate::members::export::Export;
use crate::members::mobility::{ContactView, MobilityView};
use crate::members::registry::{MemberView, Unmasked};
use crate::platform::audit::Event;
use crate::platform::pdf::Column;
use crate::platform::report::{Report, ReportFormat, report_file};
use crate::{App, AppError, AppResult, Ctx};

/// An organisation as a member needs it: whom to ask and how to reach them. The contact is the
/// organisation's published office contact, never a person's own phone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyOrg {
    pub id: i64,
    pub name: String,
    /// The secretary in office today (from the committee; the organisation's record otherwise).
    pub secretary: Option<String>,
    pub contact: Option<String>,
}

/// The mobile-member card (流动党员活动证) of an open outflow.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MobileCard {
    pub number: String,
    pub name: String,
    pub home_org: String,
    /// The organisation receiving the member where they are (or the one outside the system).
    pub receiving_org: Option<String>,
    pub place: String,
    pub since: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyProfile {
    /// The member's own record, masked as any view without unmask.
    pub member: MemberView,
    pub branch: MyOrg,
    /// The open outflow (外出中): where they are and the organisation receiving them there.
    pub outflow: Option<MobilityView>,
    pub receiving: Option<MyOrg>,
    pub card: Option<MobileCard>,
    /// The last day the member was reached (or reported in themselves).
    pub last_contact_on: Option<NaiveDate>,
}

/// 报平安: the member tells their branch they are well, optionally how they are.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
pub struct MyContactInput {
    /// How they are and where, in their own words (optional; sealed like any contact note).
    pub note: Option<String>,
}

/// A census question (摸排: where are you now, are you well) put to the member themselves.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyCensusQuestion {
    pub entry_id: i64,
    pub campaign_id: i64,
    pub campaign: String,
    /// The organisation asking (the campaign's).
    pub asked_by: String,
    /// When it was answered, by the member or by their branch.
    pub answered_at: Option<DateTime<Utc>>,
    /// The member answered it themselves (and may change the answer until the branch records it).
    pub answered_by_self: bool,
    /// What the answer says (the member's own, or what the branch recorded of where they are).
    pub current_place: Option<String>,
    pub current_employer: Option<String>,
    pub needs: Option<String>,
}

/// The member's answer to a census question.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
pub struct MyCensusAnswer {
    /// Where they are now (city, district …).
    pub current_place: String,
    pub current_employer: Option<String>,
    /// Anything they need from the party organisation (optional).
    pub needs: Option<String>,
    /// How they are, in their own words (optional; it goes to the contact log, sealed).
    pub note: Option<String>,
}

impl App {
    /// The census questions of campaigns still open that concern the signed-in member.
    pub async fn my_census(&self, ctx: &Ctx) -> AppResult<Vec<MyCensusQuestion>> {
        let member_id = my_own_member_id(ctx)?;
        let user_id = ctx.actor()?.user_id;
        let mut out = Vec::new();
        for (e, c) in census::open_entries_of(&self.db, member_id).await? {
            let text = self.census_text(&e)?;
            out.push(MyCensusQuestion {
                entry_id: e.id,
                campaign_id: c.id,
                campaign: c.name,
                asked_by: orgs::name_of(&self.db, c.org_id).await?,
                answered_at: e.verified_at,
                answered_by_self: e.verified_by == Some(user_id),
                current_place: text.current_place,
                current_employer: e.current_employer,
                needs: text.needs,
            });
        }
        Ok(out)
    }

    /// The member answers a census question themselves: the entry is recorded as reached, with where
    /// they are, and the contact log gets a self-report, so the lost-contact clock starts again
    /// without a phone call. The branch's own assessment (现实表现, 思想动态) is not theirs to write,
    /// and once the branch has recorded the entry the member's answer is no longer taken.
    pub async fn my_census_answer(&self, ctx: &Ctx, entry_id: i64, a: MyCensusAnswer) -> AppResult<MyCensusQuestion> {
        let member_id = my_own_member_id(ctx)?;
        let actor = ctx.actor()?;
        let mut errs = FieldErrors::new();
        let place = errs.check("current_place", required_text(&a.current_place, "现所在地", 100));
        let employer =
            errs.check("current_employer", optional_text(a.current_employer.as_deref(), "现工作单位", 100)).flatten();
        let needs = errs.check("needs", optional_text(a.needs.as_deref(), "诉求", 500)).flatten();
        let note = errs.check("note", optional_text(a.note.as_deref(), "近况", 500)).flatten();
        errs.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let m = self.own_member(&txn, ctx).await?;
        if m.status != "normal" {
            return Err(AppError::conflict("档案状态不是正常，请直接联系所在党支部"));
        }
        let (e, c) = census::open_entries_of(&txn, member_id)
            .await?
            .into_iter()
            .find(|(e, _)| e.id == entry_id)
            .ok_or_else(|| AppError::not_found("摸排"))?;
        if e.verified_at.is_some() && e.verified_by != Some(actor.user_id) {
            return Err(AppError::conflict("党支部已登记了这次摸排，如有变化请直接联系党支部"));
        }
        let am = census_entry::ActiveModel {
            reached: Set(Some(true)),
            current_place_enc: Set(self.seal_text(CENSUS, "current_place", member_id, place.as_deref())),
            current_employer: Set(employer),
            needs_enc: Set(self.seal_text(CENSUS, "needs", member_id, needs.as_deref())),
            verified_by: Set(Some(actor.user_id)),
            verified_by_name: Set(Some(format!("{}（本人）", m.name))),
            verified_at: Set(Some(Utc::now())),
            ..Default::default()
        };
        if !census::save_self_answer(&txn, am, e.id, actor.user_id).await? {
            return Err(AppError::conflict("党支部已登记了这次摸排，如有变化请直接联系党支部"));
        }
        let note = note.unwrap_or_else(|| format!("在手机上回复了“{}”", c.name));
        self.self_report(&txn, ctx, &m, actor.user_id, Some(&note)).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("census.self_answer", "member", member_id).with(serde_json::json!({"census_id": c.id})),
        )
        .await?;
        txn.commit().await?;
        self.my_census(ctx)
            .await?
            .into_iter()
            .find(|q| q.entry_id == entry_id)
            .ok_or_else(|| AppError::not_found("摸排"))
    }

    /// A copy of everything Honglian keeps about the signed-in member (PIPL § 45), as xlsx or PDF: their
    /// record in clear (it is theirs), where they have been away and who received them, when their
    /// organisation contacted them (their own reports in full; the organisation's notes stay its working
    /// record), the organisational life they were expected at, their reports, census answers and
    /// learning marks, and their account's message settings. Audited like an unmask.
    pub async fn my_data(&self, ctx: &Ctx, format: ReportFormat) -> AppResult<Export> {
        use honglian_domain::members::member::{Education, Gender, MemberCategory, MemberStatus};
        let member_id = my_own_member_id(ctx)?;
        let actor = ctx.actor()?;
        let m = self.own_member(&self.db, ctx).await?;
        let p = self.open_personal(&m)?;
        let org = orgs::name_of(&self.db, m.org_id).await?;
        let mut rows: Vec<Vec<String>> = Vec::new();
        let mut row = |what: &str, item: &str, value: String, on: String| {
            rows.push(vec![what.into(), item.into(), value, on]);
        };
        let label = |v: Option<&str>| v.unwrap_or("").to_string();
        let record = [
            ("姓名", m.name.clone()),
            ("性别", Gender::from_code(&m.gender).map(|g| g.label().to_string()).unwrap_or_default()),
            ("民族", label(m.ethnicity.as_deref())),
            ("出生日期", m.birth_date.to_string()),
            ("公民身份号码", p.id_number.clone()),
            ("联系电话", label(p.phone.as_deref())),
            ("住址", label(p.address.as_deref())),
            (
                "学历",
                m.education
                    .as_deref()
                    .and_then(Education::from_code)
                    .map(|e| e.label().to_string())
                    .unwrap_or_default(),
            ),
            ("工作单位", label(m.employer.as_deref())),
            ("职业", label(m.occupation.as_deref())),
            ("所在党组织", org.clone()),
            ("党员类别", MemberCategory::from_code(&m.category).map(|c| c.label().to_string()).unwrap_or_default()),
            ("入党日期", m.joined_on.to_string()),
            ("转正日期", m.full_on.map(|d| d.to_string()).unwrap_or_default()),
            ("档案状态", MemberStatus::from_code(&m.status).map(|s| s.label().to_string()).unwrap_or_default()),
            ("最近联系日期", m.last_contact_on.map(|d| d.to_string()).unwrap_or_default()),
        ];
        for (item, value) in record {
            row("基本信息", item, value, String::new());
        }
        for r in self.member_mobility(ctx, member_id).await? {
            let what = if r.direction == "outflow" { "外出记录" } else { "流入记录" };
            let received = r.receiving_org_name.clone().or(r.external_org_name.clone()).unwrap_or_default();
            let value = format!(
                "{}；{}{}{}",
                r.place,
                r.reason_label,
                if received.is_empty() { String::new() } else { format!("；接收组织：{received}") },
                match r.ended_on {
                    Some(d) => format!("；{d} 结束"),
                    None => "；外出中".into(),
                }
            );
            row(what, r.mobile_card_no.as_deref().unwrap_or(""), value, r.start_date.to_string());
        }
        for c in contacts::of_member(&self.db, member_id).await? {
            let own = c.kind == ContactKind::SelfReport.code();
            let note = if own { self.open_text("contacts", "note", member_id, c.note_enc.as_deref())? } else { None };
            let kind = ContactKind::from_code(&c.kind).map(|k| k.label().to_string()).unwrap_or_default();
            let value = format!(
                "{}{}{}",
                if c.reached { "联系上" } else { "未联系上" },
                if own { String::new() } else { format!("；{}", c.by_name) },
                note.map(|n| format!("；{n}")).unwrap_or_default()
            );
            row("联系记录", &kind, value, c.contacted_on.to_string());
        }
        for a in self.member_activities(ctx, member_id).await? {
            let orgs: Vec<String> = a.orgs.into_iter().map(|o| o.name).collect();
            let status = match a.status.as_str() {
                "present" => "出席",
                "leave" => "请假",
                "absent" => "缺席",
                _ => "应到",
            };
            row(
                "组织生活",
                &a.kind_label,
                format!("{}（{}）；{status}", a.topic, orgs.join("、")),
                (a.start_at + chrono::Duration::hours(8)).date_naive().to_string(),
            );
        }
        for r in self.my_reports(ctx).await? {
            row(&r.kind_label, &r.status_label, format!("{}；{}", r.place, r.reason_label), r.start_date.to_string());
        }
        for q in self.my_census(ctx).await? {
            if q.answered_by_self {
                row(
                    "摸排回复",
                    &q.campaign,
                    format!(
                        "{}{}",
                        q.current_place.unwrap_or_default(),
                        q.needs.map(|n| format!("；{n}")).unwrap_or_default()
                    ),
                    q.answered_at
                        .map(|t| (t + chrono::Duration::hours(8)).date_naive().to_string())
                        .unwrap_or_default(),
                );
            }
        }
        for v in self.my_learning(ctx).await?.venues {
            if let Some(on) = v.visited_on {
                row("学习", "我去过", v.venue.name, on.to_string());
            }
        }
        row("账号", "用户名", actor.username.clone(), String::new());
        if let Some(pref) = honglian_store::repo::platform::outbox::pref(&self.db, actor.user_id).await? {
            let (t, f, o) = crate::platform::outbox::email_aad(actor.user_id);
            if let Some(email) = self.open_text(t, f, o, pref.email_enc.as_deref())? {
                let on = if pref.email_on { "开启" } else { "关闭" };
                row("账号", "邮件通知", format!("{email}（{on}）"), String::new());
            }
        }
        let today = crate::today();
        let report = Report {
            title: format!("{}的个人信息副本", m.name),
            sheet: "个人信息副本".into(),
            unit: org,
            date: today.to_string(),
            intro: vec![format!(
                "依《个人信息保护法》第四十五条，本人查阅、复制。含身份证号等敏感信息，请妥善保管。    生成：{today}"
            )],
            columns: vec![
                Column::new("类别", 10.0),
                Column::new("项目", 14.0),
                Column::new("内容", 52.0),
                Column::new("日期", 12.0).fit("2026-12-31"),
            ],
            landscape: false,
        };
        let (file, written) = report_file(report, format, rows).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("member.export_own", "member", member_id)
                .with(serde_json::json!({"format": format.extension(), "rows": written})),
        )
        .await?;
        txn.commit().await?;
        Ok(Export { filename: format!("个人信息副本_{today}.{}", format.extension()), file, rows: written })
    }

    pub async fn my_profile(&self, ctx: &Ctx) -> AppResult<MyProfile> {
        let member_id = my_member_id(ctx)?;
        let member = self.member_get(ctx, member_id).await?;
        let outflow = self
            .member_mobility(ctx, member_id)
            .await?
            .into_iter()
            .find(|r| r.direction == "outflow" && r.status == "open");
        let branch = self.my_org(member.org_id).await?.ok_or_else(|| AppError::not_found("党组织"))?;
        let receiving = match outflow.as_ref().and_then(|o| o.receiving_org_id) {
            Some(id) => self.my_org(id).await?,
            None => None,
        };
        let card = outflow.as_ref().and_then(|o| {
            Some(MobileCard {
                number: o.mobile_card_no.clone()?,
                name: member.name.clone(),
                home_org: branch.name.clone(),
                receiving_org: o.receiving_org_name.clone().or_else(|| o.external_org_name.clone()),
                place: o.place.clone(),
                since: o.start_date,
            })
        });
        let last_contact_on = self.own_member(&self.db, ctx).await?.last_contact_on;
        Ok(MyProfile { member, branch, outflow, receiving, card, last_contact_on })
    }

    /// 报平安: the member reports in; it lands in the contact log as a contact that reached them, so the
    /// lost-contact clock starts again without a phone call.
    pub async fn my_contact(&self, ctx: &Ctx, input: MyContactInput) -> AppResult<ContactView> {
        // Only a member account reports in; its input is looked at after that.
        my_member_id(ctx)?;
        let actor = ctx.actor()?;
        let note = optional_text(input.note.as_deref(), "近况", 500).map_err(|m| AppError::field("note", m))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let m = self.own_member(&txn, ctx).await?;
        let member_id = m.id;
        if m.status != "normal" {
            return Err(AppError::conflict("档案状态不是正常，请直接联系所在党支部"));
        }
        let c = self.self_report(&txn, ctx, &m, actor.user_id, note.as_deref()).await?;
        self.audit(&txn, ctx, Event::ok("contact.self_report", "member", member_id)).await?;
        txn.commit().await?;
        self.contact_view(c)
    }

    /// The member's own ID number, phone and address in clear: theirs to see without a reason, audited
    /// like any unmask.
    pub async fn my_unmask(&self, ctx: &Ctx) -> AppResult<Unmasked> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let m = self.own_member(&txn, ctx).await?;
        let member_id = m.id;
        let p = self.open_personal(&m)?;
        self.audit(
            &txn,
            ctx,
            Event::ok("member.unmask_own", "member", member_id)
                .with(serde_json::json!({"fields": ["id_number", "phone", "address"]})),
        )
        .await?;
        txn.commit().await?;
        Ok(Unmasked { id_number: p.id_number, phone: p.phone, address: p.address })
    }

    /// A member reporting in themselves, in their contact log: a contact that reached them today (the
    /// lost-contact clock starts again), with their own words sealed.
    async fn self_report(
        &self,
        txn: &honglian_store::WriteTxn,
        ctx: &Ctx,
        m: &members::Member,
        user_id: i64,
        note: Option<&str>,
    ) -> AppResult<contacts::Contact> {
        self.record_contact(
            txn,
            ctx,
            NewContact {
                member_id: m.id,
                kind: ContactKind::SelfReport.code().into(),
                contacted_on: crate::today(),
                reached: true,
                note_enc: self.seal_text("contacts", "note", m.id, note),
                by_user_id: Some(user_id),
                by_name: m.name.clone(),
            },
        )
        .await
    }

    /// The member's own branch, or the organisation receiving them: reached through their own record.
    async fn my_org(&self, id: i64) -> AppResult<Option<MyOrg>> {
        #[allow(
            clippy::disallowed_methods,
            reason = "the member's own branch and the one receiving them, named on their own record"
        )]
        let theirs = Scope::All(honglian_store::Unscoped::system());
        let Some(o) = orgs::get(&self.db, &theirs, id).await? else { return Ok(None) };
        let today = crate::today();
        let posts = committee::held_on(&self.db, &[id], today).await?;
        // The secretary's name only, from the organisation's own subtree.
        let secretary = match posts.iter().find(|p| p.post == "secretary") {
            Some(p) => members::get(&self.db, &Scope::Paths(vec![o.path.clone()]), p.member_id).await?.map(|m| m.name),
            None => None,
        };
        Ok(Some(MyOrg { id: o.id, name: o.name, secretary: secretary.or(o.secretary), contact: o.contact }))
    }
}

fn my_member_id(ctx: &Ctx) -> AppResult<i64> {
    ctx.actor()?.member_id.ok_or_else(|| AppError::Forbidden("该账号没有关联党员档案".into()))
}

/// The signed-in member's own record id, for what only a member account does on the portal (answer a
/// census, take a copy of their data).
fn my_own_member_id(ctx: &Ctx) -> AppResult<i64> {
    let actor = ctx.actor()?;
    match actor.member_id {
        Some(id) if actor.has(Permission::MemberSelf) => Ok(id),
        _ => Err(AppError::Forbidden("只有关联了党员档案的党员账号可以使用".into())),
    }
}
