//! Member use cases. Personal fields (ID number, phone, address) are sealed
//! before they reach the store and masked in every view; plaintext leaves only
//! through [`App::member_unmask`], which demands a reason and is audited.

use chrono::NaiveDate;
use honglian_domain::mask::{mask_address, mask_id_number, mask_phone};
use honglian_domain::members::member::{
    Education, Gender, MemberCategory, MemberStatus, Phone, check_dates, check_probation,
};
use honglian_domain::members::retention::{ERASED, erase_due_on, is_erased_marker};
use honglian_domain::platform::authz::Permission;
use honglian_domain::platform::labels::SecurityLabel;
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{FieldErrors, IdNumber};
use honglian_domain::{PageNo, PerPage, RecordId};
use honglian_store::Scope;
use honglian_store::repo::members::registry::{self as members, Member, MemberFilter, MemberRow};
use honglian_store::repo::{Page, PageReq, organisations::orgs};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::platform::settings::county_of;
use crate::{Actor, App, AppError, AppResult, Ctx};

/// A member as the API shows it: personal fields masked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberView {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub name: String,
    pub gender: Gender,
    pub ethnicity: Option<String>,
    /// The birth year only: the full date is 8 of the ID number's characters (see `mask`).
    pub birth_year: i32,
    /// Masked, e.g. `****************3X`.
    pub id_number: String,
    /// Masked, e.g. `*******5678`.
    pub phone: Option<String>,
    /// Masked after the first six characters.
    pub address: Option<String>,
    pub education: Option<Education>,
    pub occupation: Option<String>,
    pub employer: Option<String>,
    pub joined_on: NaiveDate,
    pub category: MemberCategory,
    pub full_on: Option<NaiveDate>,
    pub tags: Vec<String>,
    pub status: MemberStatus,
    /// The day the membership was suspended (停止党籍), while suspended and if recorded.
    pub suspended_on: Option<NaiveDate>,
    /// Away: the member has an open outflow (外出中).
    pub away: bool,
    /// The day the member left (已出党, 已故, 已转出), while in such a status.
    pub left_on: Option<NaiveDate>,
    /// When the personal fields were erased (PIPL retention or a request): the ID number, phone and
    /// address then read "已删除", the birth date keeps its year only, employer and occupation are empty.
    pub personal_erased_at: Option<chrono::DateTime<chrono::Utc>>,
    /// The day the retention period erases the personal fields of a member who left (none while the
    /// member is in the roll, once erased, or when the deployment erases nothing by itself).
    pub personal_erase_due: Option<NaiveDate>,
    /// The caller manages the member's record (membership matters): false for a member the caller
    /// only receives (open outflow to the caller's organisation) or only reads.
    pub home: bool,
    /// The record's security label (安全标记): 敏感 shows the personal fields in clear only to accounts
    /// the security administrator has cleared.
    pub security_label: SecurityLabel,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// The plaintext personal fields, returned by an audited unmask.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unmasked {
    pub id_number: String,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// Submitted member fields. For create, `org_id`, `name`, `id_number` and
/// `joined_on` are required; for update, a missing field keeps its value and
/// an empty string clears an optional one.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MemberInput {
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub org_id: Option<i64>,
    pub name: Option<String>,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub education: Option<String>,
    pub occupation: Option<String>,
    pub employer: Option<String>,
    pub joined_on: Option<NaiveDate>,
    pub category: Option<String>,
    pub full_on: Option<NaiveDate>,
    pub tags: Option<Vec<String>>,
    pub status: Option<String>,
    /// With `status` = suspended: the day the membership was suspended (default: today).
    pub suspended_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// Organisation whose subtree to list.
    pub org: Option<RecordId>,
    pub status: Option<String>,
    pub category: Option<String>,
    pub tag: Option<String>,
    /// Name contains.
    pub q: Option<String>,
    /// `outflow`: away, i.e. with an open outflow (外出中); `local`: the others.
    pub mobility: Option<String>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

/// An exact-match lookup by ID number or phone. Sent in a request body, never in a URL (proxies
/// and access logs keep URLs); each lookup is audited.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MemberLookup {
    /// Organisation whose subtree to search (default: all I see).
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub org: Option<i64>,
    /// The complete ID number.
    pub id_number: Option<String>,
    /// The complete phone number.
    pub phone: Option<String>,
}

/// The plaintext of a member's personal fields, decrypted. After an erasure the ID number reads
/// [`ERASED`] and `erased` is set.
pub(crate) struct Personal {
    pub(crate) id_number: String,
    pub(crate) phone: Option<String>,
    pub(crate) address: Option<String>,
    pub(crate) erased: bool,
}

impl Personal {
    /// The ID number as shown: in clear, masked, or "已删除".
    pub(crate) fn id_shown(&self, clear: bool) -> String {
        match (self.erased, clear) {
            (true, _) => ERASED.into(),
            (false, true) => self.id_number.clone(),
            (false, false) => mask_id_number(&self.id_number),
        }
    }

    /// The phone as shown: in clear or masked; "已删除" once erased (a number entered since is shown).
    pub(crate) fn phone_shown(&self, clear: bool) -> Option<String> {
        match (&self.phone, self.erased) {
            (None, true) => Some(ERASED.into()),
            (p, _) if clear => p.clone(),
            (p, _) => p.as_deref().map(mask_phone),
        }
    }

    /// The address as shown, like the phone.
    pub(crate) fn address_shown(&self, clear: bool) -> Option<String> {
        match (&self.address, self.erased) {
            (None, true) => Some(ERASED.into()),
            (a, _) if clear => a.clone(),
            (a, _) => a.as_deref().map(mask_address),
        }
    }
}

const SETTING_TAGS: &str = "member_tags";

impl App {
    pub(crate) fn aad(field: &str, bidx: &str) -> String {
        format!("members.{field}:{bidx}")
    }

    pub(crate) fn open_personal(&self, m: &Member) -> AppResult<Personal> {
        let open = |field: &str, v: &str| {
            self.crypto
                .open(v, &Self::aad(field, &m.id_number_bidx))
                .map_err(|e| AppError::Internal(e.context(format!("党员 {} 的 {field} 无法解密", m.id))))
        };
        let id_number = open("id_number", &m.id_number_enc)?;
        // The sealed stand-in of an erased ID number (`retention::erased_id_marker`).
        let erased = is_erased_marker(&id_number);
        Ok(Personal {
            id_number: if erased { ERASED.into() } else { id_number },
            phone: m.phone_enc.as_deref().map(|v| open("phone", v)).transpose()?,
            address: m.address_enc.as_deref().map(|v| open("address", v)).transpose()?,
            erased,
        })
    }

    /// `write`: the caller's scope of member writes (their own organisations), if any.
    pub(crate) fn member_view(&self, m: Member, org_name: String, write: Option<&Scope>) -> AppResult<MemberView> {
        let p = self.open_personal(&m)?;
        let home = write.is_some_and(|w| w.contains(&m.org_path));
        let tags = members::tags_of(&m);
        Ok(MemberView {
            id: m.id,
            org_id: m.org_id,
            org_name,
            name: m.name,
            gender: Gender::from_code(&m.gender).unwrap_or(Gender::Male),
            ethnicity: m.ethnicity,
            birth_year: chrono::Datelike::year(&m.birth_date),
            id_number: p.id_shown(false),
            phone: p.phone_shown(false),
            address: p.address_shown(false),
            education: m.education.as_deref().and_then(Education::from_code),
            occupation: m.occupation,
            employer: m.employer,
            joined_on: m.joined_on,
            category: MemberCategory::from_code(&m.category).unwrap_or(MemberCategory::Full),
            full_on: m.full_on,
            tags,
            status: MemberStatus::from_code(&m.status).unwrap_or(MemberStatus::Normal),
            suspended_on: m.suspended_on.filter(|_| m.status == "suspended"),
            away: m.outflow_open != 0,
            personal_erase_due: m
                .left_on
                .filter(|_| m.personal_erased_at.is_none())
                .and_then(|l| erase_due_on(l, self.config.security.privacy.retention_years)),
            left_on: m.left_on,
            personal_erased_at: m.personal_erased_at,
            home,
            security_label: crate::platform::labels::label(&m.security_label),
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
    }

    /// The member tags of the caller's county (for the forms).
    pub async fn member_tags(&self, ctx: &Ctx) -> AppResult<Vec<String>> {
        self.county_member_tags(self.reader_county(ctx)?).await
    }

    /// The member tags of a county (its own list, else the deployment's, else the defaults).
    pub async fn county_member_tags(&self, county: Option<i64>) -> AppResult<Vec<String>> {
        county_member_tags_in(&self.db, county).await
    }
}

/// [`App::county_member_tags`] read through `db` (the write transaction's own connection).
pub(crate) async fn county_member_tags_in(
    db: &impl sea_orm::ConnectionTrait,
    county: Option<i64>,
) -> AppResult<Vec<String>> {
    Ok(match crate::platform::settings::county_setting_in(db, SETTING_TAGS, county).await? {
        Some(v) => serde_json::from_str(&v).unwrap_or_default(),
        None => honglian_domain::members::member::DEFAULT_TAGS.iter().map(|s| s.to_string()).collect(),
    })
}

impl App {
    /// Replaces the member tags of the caller's county (its county admin only).
    pub async fn set_member_tags(&self, ctx: &Ctx, tags: Vec<String>) -> AppResult<Vec<String>> {
        let county = self.writer_county(ctx, Permission::SettingsBusiness)?;
        let mut clean: Vec<String> = Vec::new();
        for t in tags {
            let t = t.trim().to_string();
            if t.is_empty() || t.chars().count() > 20 {
                return Err(AppError::field("tags", "标签不能为空且不超过 20 个字"));
            }
            if !clean.contains(&t) {
                clean.push(t);
            }
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        self.set_county_setting(&txn, SETTING_TAGS, county, &serde_json::to_string(&clean).unwrap_or_default()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("settings.member_tags", "settings", SETTING_TAGS)
                .with(serde_json::json!({"county": county, "tags": clean})),
        )
        .await?;
        txn.commit().await?;
        Ok(clean)
    }

    /// Validates input merged onto the current record and seals it.
    pub(crate) fn member_row(
        &self,
        input: MemberInput,
        current: Option<(&Member, &Personal)>,
        org: (i64, String),
        allowed: &[String],
    ) -> AppResult<MemberRow> {
        let mut e = FieldErrors::new();
        let cur = current.map(|c| c.0);
        let text = |new: Option<String>, old: Option<&Option<String>>| -> Option<String> {
            match new {
                Some(v) => Some(v),
                None => old.cloned().flatten(),
            }
        };
        let name = e.check(
            "name",
            required_text(&input.name.clone().or(cur.map(|c| c.name.clone())).unwrap_or_default(), "姓名", 50),
        );
        let id_raw = input.id_number.clone().or(current.map(|c| c.1.id_number.clone())).unwrap_or_default();
        let id = e.check("id_number", IdNumber::parse(&id_raw));
        let phone_raw = text(input.phone.clone(), current.map(|c| &c.1.phone));
        let phone = match phone_raw.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => e.check("phone", Phone::parse(p)),
        };
        let address = e
            .check(
                "address",
                optional_text(text(input.address.clone(), current.map(|c| &c.1.address)).as_deref(), "住址", 200),
            )
            .flatten();
        let gender = match input.gender.as_deref().filter(|s| !s.is_empty()) {
            Some(g) => e.check("gender", Gender::from_code(g).ok_or("性别无效")),
            None => cur.and_then(|c| Gender::from_code(&c.gender)).or(id.as_ref().map(|i| i.gender())),
        };
        if let (Some(g), Some(i)) = (gender, &id)
            && input.gender.is_some()
            && g != i.gender()
        {
            e.add("gender", "性别与身份证号不符");
        }
        let birth = input.birth_date.or(if input.id_number.is_some() { None } else { cur.map(|c| c.birth_date) });
        let birth = match (birth, &id) {
            (Some(b), Some(i)) if b != i.birth_date() => {
                e.add("birth_date", format!("出生日期与身份证号不符（身份证号为 {}）", i.birth_date()));
                None
            }
            (Some(b), _) => Some(b),
            (None, Some(i)) => Some(i.birth_date()),
            (None, None) => None,
        };
        let ethnicity = e
            .check("ethnicity", optional_text(text(input.ethnicity, cur.map(|c| &c.ethnicity)).as_deref(), "民族", 20))
            .flatten();
        let education = match text(input.education, cur.map(|c| &c.education)).filter(|s| !s.is_empty()) {
            Some(v) => e
                .check("education", Education::from_code(&v).ok_or(format!("学历“{v}”无效")))
                .map(|x| x.code().to_string()),
            None => None,
        };
        let occupation = e
            .check(
                "occupation",
                optional_text(text(input.occupation, cur.map(|c| &c.occupation)).as_deref(), "职业", 50),
            )
            .flatten();
        let employer = e
            .check(
                "employer",
                optional_text(text(input.employer, cur.map(|c| &c.employer)).as_deref(), "工作单位", 100),
            )
            .flatten();
        // The probation rule is checked when the form sets a date or the category, so that an old
        // record can still be edited in other fields.
        let probation_touched = input.joined_on.is_some() || input.category.is_some() || input.full_on.is_some();
        let joined_on = input.joined_on.or(cur.map(|c| c.joined_on));
        if joined_on.is_none() {
            e.add("joined_on", "请填写入党日期");
        }
        let category_code = input.category.or(cur.map(|c| c.category.clone())).unwrap_or_else(|| "full".into());
        let category = e.check(
            "category",
            MemberCategory::from_code(&category_code).ok_or(format!("党员类别“{category_code}”无效")),
        );
        let full_on = if input.full_on.is_some() { input.full_on } else { cur.and_then(|c| c.full_on) };
        let status_code = input.status.or(cur.map(|c| c.status.clone())).unwrap_or_else(|| "normal".into());
        let status =
            e.check("status", MemberStatus::from_code(&status_code).ok_or(format!("党员状态“{status_code}”无效")));
        let tags = match input.tags {
            Some(t) => t,
            None => cur.map(members::tags_of).unwrap_or_default(),
        };
        for t in &tags {
            if !allowed.contains(t) {
                e.add("tags", format!("标签“{t}”不在标签列表中"));
            }
        }
        if let (Some(b), Some(j), Some(c)) = (birth, joined_on, category) {
            for (k, v) in check_dates(b, j, c, full_on, crate::today()).0 {
                for m in v {
                    e.add(&k, m);
                }
            }
            if probation_touched {
                for (k, v) in check_probation(j, c, full_on, crate::today()).0 {
                    for m in v {
                        e.add(&k, m);
                    }
                }
            }
        }
        e.into_result()?;
        let id = id.expect("validated");
        let bidx = self.crypto.blind_index("id_number", id.as_str());
        Ok(MemberRow {
            org_id: org.0,
            org_path: org.1,
            name: name.expect("validated"),
            gender: gender.unwrap_or(id.gender()).code().into(),
            ethnicity,
            birth_date: birth.expect("validated"),
            id_number_enc: self.crypto.seal(id.as_str(), &Self::aad("id_number", &bidx)),
            phone_enc: phone.as_ref().map(|p| self.crypto.seal(p.as_str(), &Self::aad("phone", &bidx))),
            phone_bidx: phone.as_ref().map(|p| self.crypto.blind_index("phone", p.as_str())),
            address_enc: address.as_deref().map(|a| self.crypto.seal(a, &Self::aad("address", &bidx))),
            id_number_bidx: bidx,
            education,
            occupation,
            employer,
            joined_on: joined_on.expect("validated"),
            category: category.expect("validated").code().into(),
            full_on,
            tags,
            status: status.expect("validated").code().into(),
        })
    }

    /// Loads a member the caller may see with `p`; members see their own record.
    pub(crate) async fn member_for(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        id: i64,
        p: Permission,
    ) -> AppResult<Member> {
        let m = self.member_reached(db, ctx, id, p).await?.ok_or_else(|| AppError::not_found("党员"))?;
        self.member_access(db, ctx, m, p).await
    }

    /// The member if the caller reaches them at all: their own record, or through their scope for
    /// reading or for `p` (filed there or received there); `member_access` then decides what the
    /// caller may do. Forbidden for someone who may do nothing with members.
    async fn member_reached(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        id: i64,
        p: Permission,
    ) -> AppResult<Option<Member>> {
        let actor = ctx.actor()?;
        if actor.member_id == Some(id) && actor.has(Permission::MemberSelf) {
            #[allow(clippy::disallowed_methods, reason = "the caller's own member record")]
            let own = Scope::All(honglian_store::Unscoped::system());
            return Ok(members::get(db, &own, id).await?);
        }
        let reach = match actor.scope_any(&[Permission::MemberRead, p]) {
            Ok(s) => s,
            Err(e) if !actor.has(Permission::MemberSelf) => return Err(e),
            Err(_) => return Ok(None),
        };
        Ok(members::get(db, &reach, id).await?)
    }

    /// The member record linked to the signed-in account (`member_id`), whatever their scope: a
    /// member's phone reaches their own record and nothing else through this.
    pub(crate) async fn own_member(&self, db: &impl sea_orm::ConnectionTrait, ctx: &Ctx) -> AppResult<Member> {
        let id = ctx.actor()?.member_id.ok_or_else(|| AppError::Forbidden("该账号没有关联党员档案".into()))?;
        #[allow(clippy::disallowed_methods, reason = "the caller's own member record")]
        let own = Scope::All(honglian_store::Unscoped::system());
        members::get(db, &own, id).await?.ok_or_else(|| AppError::not_found("党员"))
    }

    /// Loads a member for a change that belongs to the member's own (home) organisation: membership
    /// matters such as their record, transfers, outflows and suspension. The organisation receiving
    /// the member sees them and may log contacts, verify them in a census and hold their
    /// organisational life with them, but is told that `what` is for the home organisation.
    pub(crate) async fn member_home(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        id: i64,
        what: &str,
    ) -> AppResult<Member> {
        match self.member_for(db, ctx, id, Permission::MemberWrite).await {
            Err(AppError::NotFound(n)) => {
                let received = match ctx.actor()?.scope(Permission::MemberWrite) {
                    Ok(scope) => honglian_store::repo::members::mobility::received_in(db, id, &scope).await?,
                    Err(_) => false,
                };
                Err(if received {
                    AppError::Forbidden(format!("{what}由党员所在党组织办理，接收组织可登记联系情况和摸排核实"))
                } else {
                    AppError::NotFound(n)
                })
            }
            other => other,
        }
    }

    /// Records that an exact-match lookup by a personal field (`field`, never its value) found a
    /// record the caller may not see, in its own transaction: the refused write that revealed it is
    /// rolled back. Such answers are an oracle for masked values, so each one is audited.
    pub(crate) async fn audit_lookup(&self, ctx: &Ctx, field: &'static str, during: &'static str) -> AppResult<()> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let ev = Event {
            action: "lookup.exact_match",
            object_type: "member",
            object_id: None,
            result: "found",
            detail: serde_json::json!({"field": field, "during": during}),
        };
        self.audit(&txn, ctx, ev).await?;
        txn.commit().await?;
        Ok(())
    }

    /// `m` if the caller may do `p` to it (see [`Self::member_for`]).
    pub(crate) async fn member_access(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        ctx: &Ctx,
        m: Member,
        p: Permission,
    ) -> AppResult<Member> {
        let actor = ctx.actor()?;
        let id = m.id;
        let own = actor.member_id == Some(id)
            && actor.has(Permission::MemberSelf)
            && matches!(p, Permission::MemberRead | Permission::MemberUnmask);
        if own {
            return Ok(m);
        }
        match actor.scope(p) {
            Ok(scope) if scope.contains(&m.org_path) => Ok(m),
            // The receiving organisation reads (and may unmask) the members it receives.
            Ok(scope)
                if matches!(p, Permission::MemberRead | Permission::MemberUnmask)
                    && honglian_store::repo::members::mobility::received_in(db, m.id, &scope).await? =>
            {
                Ok(m)
            }
            Ok(_) => Err(AppError::not_found("党员")),
            Err(e) if actor.has(Permission::MemberRead) || actor.has(Permission::MemberSelf) => {
                // Can read but not do `p`: say so only if they can see the member.
                match actor.scope(Permission::MemberRead) {
                    Ok(s) if s.contains(&m.org_path) => Err(e),
                    _ => Err(AppError::not_found("党员")),
                }
            }
            Err(e) => Err(e),
        }
    }

    pub async fn member_get(&self, ctx: &Ctx, id: i64) -> AppResult<MemberView> {
        let actor = ctx.actor()?;
        // The member and their organisation's name in one query (one round trip fewer than
        // `member_for` + `member_views`); the same access check.
        #[allow(clippy::disallowed_methods, reason = "the caller's own member record")]
        let own_record = Scope::All(honglian_store::Unscoped::system());
        let reach = if actor.member_id == Some(id) && actor.has(Permission::MemberSelf) {
            own_record
        } else {
            actor
                .scope(Permission::MemberRead)
                .map_err(|e| if actor.has(Permission::MemberSelf) { AppError::not_found("党员") } else { e })?
        };
        let (m, org_name) =
            members::get_with_org_name(&self.db, &reach, id).await?.ok_or_else(|| AppError::not_found("党员"))?;
        let m = self.member_access(&self.db, ctx, m, Permission::MemberRead).await?;
        self.member_view(m, org_name, ctx.actor()?.scope(Permission::MemberWrite).ok().as_ref())
    }

    pub async fn member_list(&self, ctx: &Ctx, q: MemberQuery) -> AppResult<Page<MemberView>> {
        let scope = ctx.actor()?.scope(Permission::MemberRead)?;
        let f = self.member_filter(ctx.actor()?, &scope, &q).await?;
        let page =
            members::list(&self.db, &scope, &f, PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into)))
                .await?;
        let write = ctx.actor()?.scope(Permission::MemberWrite).ok();
        let items = page
            .items
            .into_iter()
            .map(|(m, org_name)| self.member_view(m, org_name, write.as_ref()))
            .collect::<AppResult<_>>()?;
        Ok(Page { total: page.total, items })
    }

    /// The list's query as a filter, the organisation checked against the scope (the list and the roster).
    pub(crate) async fn member_filter(&self, actor: &Actor, scope: &Scope, q: &MemberQuery) -> AppResult<MemberFilter> {
        let q = q.clone();
        let subtree = match q.org.map(RecordId::get) {
            Some(id) => match self.org_path(actor.tree_version, id).await? {
                Some(p) if scope.contains(&p) => Some(p),
                _ => return Err(AppError::not_found("党组织")),
            },
            None => None,
        };
        let nonempty = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let mut f = MemberFilter {
            subtree,
            status: nonempty(q.status),
            category: nonempty(q.category),
            tag: nonempty(q.tag),
            name: nonempty(q.q),
            ..Default::default()
        };
        f.mobility = match nonempty(q.mobility).as_deref() {
            None => None,
            Some(m @ ("outflow" | "local")) => Some(m.to_string()),
            Some(other) => {
                return Err(AppError::field("mobility", format!("流动状态“{other}”无效，应为 outflow 或 local")));
            }
        };
        Ok(f)
    }

    /// The members I see whose ID number or phone is exactly the one given. Audited with which
    /// fields were asked and how many matched (never the values).
    pub async fn member_lookup(&self, ctx: &Ctx, input: MemberLookup) -> AppResult<Page<MemberView>> {
        let scope = ctx.actor()?.scope(Permission::MemberRead)?;
        let subtree = match input.org {
            Some(id) => Some(self.org_in(&self.db, &scope, id).await?.path),
            None => None,
        };
        let nonempty = |s: Option<String>| s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let mut f = MemberFilter { subtree, ..Default::default() };
        let mut fields = Vec::new();
        if let Some(raw) = nonempty(input.id_number) {
            let id = IdNumber::parse(&raw).map_err(|e| AppError::field("id_number", e.to_string()))?;
            f.id_number_bidx = Some(self.crypto.blind_index("id_number", id.as_str()));
            fields.push("id_number");
        }
        if let Some(raw) = nonempty(input.phone) {
            let p = Phone::parse(&raw).map_err(|e| AppError::field("phone", e))?;
            f.phone_bidx = Some(self.crypto.blind_index("phone", p.as_str()));
            fields.push("phone");
        }
        if fields.is_empty() {
            return Err(AppError::field("id_number", "请输入完整的身份证号或手机号"));
        }
        let page = members::list(&self.db, &scope, &f, PageReq::new(Some(1), Some(20))).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let ev = Event {
            action: "member.lookup",
            object_type: "member",
            object_id: None,
            result: "ok",
            detail: serde_json::json!({"fields": fields, "found": page.total}),
        };
        self.audit(&txn, ctx, ev).await?;
        txn.commit().await?;
        let write = ctx.actor()?.scope(Permission::MemberWrite).ok();
        let items = page
            .items
            .into_iter()
            .map(|(m, org_name)| self.member_view(m, org_name, write.as_ref()))
            .collect::<AppResult<_>>()?;
        Ok(Page { total: page.total, items })
    }

    pub async fn member_create(&self, ctx: &Ctx, input: MemberInput) -> AppResult<MemberView> {
        let scope = ctx.actor()?.scope(Permission::MemberWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let org_id = input.org_id.ok_or_else(|| AppError::field("org_id", "请选择所在党组织"))?;
        let org = self.org_in(&txn, &scope, org_id).await?;
        if org.status != "active" {
            return Err(AppError::field("org_id", "所选党组织已撤销"));
        }
        let tags = county_member_tags_in(&txn, county_of(&org.path)).await?;
        let given_suspended_on = input.suspended_on;
        let row = self.member_row(input, None, (org.id, org.path.clone()), &tags)?;
        if members::find_by_id_number(&txn, &row.id_number_bidx).await?.is_some() {
            drop(txn);
            self.audit_lookup(ctx, "id_number", "member.create").await?;
            return Err(duplicate_id_number());
        }
        let joined_on = row.joined_on;
        let m = members::insert(&txn, row).await.map_err(unique_to_conflict)?;
        let suspended_on = suspension_date(None, &m.status, given_suspended_on, joined_on)?;
        let m = if suspended_on.is_some() { members::set_suspended_on(&txn, m, suspended_on).await? } else { m };
        self.audit(&txn, ctx, Event::ok("member.create", "member", m.id).with(serde_json::json!({"org_id": org.id})))
            .await?;
        txn.commit().await?;
        self.member_view(m, org.name, Some(&scope))
    }

    pub async fn member_update(&self, ctx: &Ctx, id: i64, mut input: MemberInput) -> AppResult<MemberView> {
        let input_suspended_on = input.suspended_on.take();
        let txn = honglian_store::begin_write(&self.db).await?;
        // Read-modify-write: a concurrent transfer or edit of this member commits before or after
        // this one, never in between.
        members::lock(&txn, id).await?;
        let current = self.member_home(&txn, ctx, id, "党员信息").await?;
        if input.org_id.is_some_and(|o| o != current.org_id) {
            return Err(AppError::field("org_id", "变更所在组织请使用“组织关系转接”"));
        }
        input.org_id = None;
        let personal = self.open_personal(&current)?;
        let tags = county_member_tags_in(&txn, county_of(&current.org_path)).await?;
        let row =
            self.member_row(input, Some((&current, &personal)), (current.org_id, current.org_path.clone()), &tags)?;
        if row.id_number_bidx != current.id_number_bidx
            && members::find_by_id_number(&txn, &row.id_number_bidx).await?.is_some()
        {
            drop(txn);
            self.audit_lookup(ctx, "id_number", "member.update").await?;
            return Err(duplicate_id_number());
        }
        let mut changed: Vec<&str> = changed_fields(&current, &personal, &row, self);
        let suspended_on = suspension_date(
            Some((&current.status, current.suspended_on)),
            &row.status,
            input_suspended_on,
            row.joined_on,
        )?;
        if suspended_on != current.suspended_on {
            changed.push("suspended_on");
        }
        let m = members::update(&txn, id, row).await.map_err(unique_to_conflict)?;
        let m =
            if suspended_on != m.suspended_on { members::set_suspended_on(&txn, m, suspended_on).await? } else { m };
        self.audit(&txn, ctx, Event::ok("member.update", "member", id).with(serde_json::json!({"fields": changed})))
            .await?;
        txn.commit().await?;
        let org_name = orgs::name_of(&self.db, m.org_id).await?;
        self.member_view(m, org_name, ctx.actor()?.scope(Permission::MemberWrite).ok().as_ref())
    }

    /// A direct move by someone who writes at both ends (the county reorganising its branches); recorded
    /// as a transfer accepted at once. Between organisations that are not both the caller's, a request
    /// goes to the receiver (`transfer_request`).
    pub async fn member_transfer(
        &self,
        ctx: &Ctx,
        id: i64,
        org_id: i64,
        note: Option<String>,
    ) -> AppResult<MemberView> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::MemberWrite)?;
        let note = note.map(|n| n.chars().take(200).collect::<String>()).filter(|n| !n.trim().is_empty());
        let txn = honglian_store::begin_write(&self.db).await?;
        members::lock(&txn, id).await?;
        let m = self.member_home(&txn, ctx, id, "组织关系转接").await?;
        let target = self.org_in(&txn, &scope, org_id).await?;
        if target.status != "active" {
            return Err(AppError::field("org_id", "目标党组织已撤销"));
        }
        if target.id == m.org_id {
            return Err(AppError::field("org_id", "党员已在该组织"));
        }
        self.check_movable(&txn, &m).await?;
        let today = crate::today();
        let from = (Some(m.org_id), Some(m.org_path.clone()), orgs::name_of(&txn, m.org_id).await?);
        let (member_id, member_name) = (m.id, m.name.clone());
        let m = self.move_member(&txn, ctx, m, &target, today).await?;
        honglian_store::repo::party_affairs::transfers::insert(
            &txn,
            honglian_store::repo::party_affairs::transfers::NewTransfer {
                kind: "within",
                status: "accepted",
                member_id: Some(member_id),
                member_name,
                from,
                to: (Some(target.id), Some(target.path.clone()), target.name.clone()),
                destination: None,
                numbered: None,
                letter_no: None,
                started_on: today,
                valid_days: None,
                dues_paid_to: None,
                receipt_on: None,
                decided_on: Some(today),
                decided_by: Some(actor.user_id),
                note,
                created_by: Some(actor.user_id),
                created_by_name: Some(actor.display_name.clone()),
            },
        )
        .await?;
        txn.commit().await?;
        self.member_view(m, target.name, Some(&scope))
    }

    pub async fn member_unmask(&self, ctx: &Ctx, id: i64, reason: &str) -> AppResult<Unmasked> {
        let reason = reason.trim();
        if reason.chars().count() < 2 {
            return Err(AppError::field("reason", "请填写查看原因（至少 2 个字）"));
        }
        if reason.chars().count() > 200 {
            return Err(AppError::field("reason", "查看原因不能超过 200 个字"));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let m = self.member_for(&txn, ctx, id, Permission::MemberUnmask).await?;
        self.check_label(&txn, ctx, &m).await?;
        let p = self.open_personal(&m)?;
        self.audit(
            &txn,
            ctx,
            Event::ok("member.unmask", "member", id)
                .with(serde_json::json!({"reason": reason, "fields": ["id_number", "phone", "address"]})),
        )
        .await?;
        txn.commit().await?;
        Ok(Unmasked { id_number: p.id_shown(true), phone: p.phone_shown(true), address: p.address_shown(true) })
    }

    /// Statistics helper: scope of member reading for the caller.
    pub fn member_scope(&self, ctx: &Ctx) -> AppResult<Scope> {
        ctx.actor()?.scope(Permission::MemberRead)
    }
}

/// The suspension date after an update: kept while the member stays suspended (or the one given),
/// today (or the one given) when the status becomes suspended, none otherwise.
fn suspension_date(
    was: Option<(&str, Option<NaiveDate>)>,
    status: &str,
    given: Option<NaiveDate>,
    joined_on: NaiveDate,
) -> AppResult<Option<NaiveDate>> {
    if status != "suspended" {
        if given.is_some() {
            return Err(AppError::field("suspended_on", "只有停止党籍的党员才有停止党籍日期"));
        }
        return Ok(None);
    }
    let on = match (given, was) {
        (Some(d), _) => d,
        (None, Some(("suspended", on))) => return Ok(on),
        (None, _) => crate::today(),
    };
    if on > crate::today() {
        return Err(AppError::field("suspended_on", "停止党籍日期不能晚于今天"));
    }
    if on < joined_on {
        return Err(AppError::field("suspended_on", "停止党籍日期不能早于入党日期"));
    }
    Ok(Some(on))
}

fn duplicate_id_number() -> AppError {
    AppError::Conflict {
        title: "该身份证号已登记为党员，不能重复登记".into(),
        errors: FieldErrors::single("id_number", "该身份证号已登记为党员"),
    }
}

fn unique_to_conflict(e: sea_orm::DbErr) -> AppError {
    match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => duplicate_id_number(),
        _ => e.into(),
    }
}

/// Names of the fields an update changes (never their values: they may be personal).
fn changed_fields(cur: &Member, p: &Personal, new: &MemberRow, app: &App) -> Vec<&'static str> {
    let mut out = Vec::new();
    let opened = |field: &str, v: &Option<String>| {
        v.as_deref().and_then(|s| app.crypto.open(s, &App::aad(field, &new.id_number_bidx)).ok())
    };
    if cur.name != new.name {
        out.push("name");
    }
    if cur.id_number_bidx != new.id_number_bidx {
        out.push("id_number");
    }
    if p.phone != opened("phone", &new.phone_enc) {
        out.push("phone");
    }
    if p.address != opened("address", &new.address_enc) {
        out.push("address");
    }
    for (name, a, b) in [
        ("gender", &cur.gender, &new.gender),
        ("category", &cur.category, &new.category),
        ("status", &cur.status, &new.status),
    ] {
        if a != b {
            out.push(name);
        }
    }
    for (name, a, b) in [
        ("ethnicity", &cur.ethnicity, &new.ethnicity),
        ("education", &cur.education, &new.education),
        ("occupation", &cur.occupation, &new.occupation),
        ("employer", &cur.employer, &new.employer),
    ] {
        if a != b {
            out.push(name);
        }
    }
    if cur.birth_date != new.birth_date {
        out.push("birth_date");
    }
    if cur.joined_on != new.joined_on {
        out.push("joined_on");
    }
    if cur.full_on != new.full_on {
        out.push("full_on");
    }
    if members::tags_of(cur) != new.tags {
        out.push("tags");
    }
    out
}
