//! Mobile members: outflow, return and inflow records, ledgers, the contact log,
//! lost contact and suspension proposals. The home organisation manages a
//! member's outflow; the receiving organisation sees the members it receives.

use chrono::NaiveDate;
use honglian_domain::mask::{mask_address, mask_id_number, mask_phone};
use honglian_domain::members::member::Phone;
use honglian_domain::members::mobility::{
    APPROACHING_DAYS, ContactKind, LostStage, OutflowReason, Reach, days_between, lost_cutoff, lost_on, lost_stage,
    quiet_since, removal_due_on, transfer_due_on,
};
use honglian_domain::platform::authz::Permission;
use honglian_domain::region::Location;
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{FieldErrors, IdNumber};
use honglian_domain::{PageNo, PerPage, RecordId};
use honglian_store::repo::members::contacts::{self, NewContact};
use honglian_store::repo::members::mobility::{
    self, Ledger, LedgerFilter, LedgerRow, LostFilter, MobilityRecord, MobilityRecordActive,
};
use honglian_store::repo::members::registry as members;
use honglian_store::repo::{Page, PageReq, organisations::orgs};
use honglian_store::{Scope, Unscoped};
use sea_orm::{ActiveValue::NotSet, Set};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// Months without contact after which a mobile member counts as lost (configurable).
pub const DEFAULT_LOST_MONTHS: u32 = 6;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MobilityView {
    pub id: i64,
    pub member_id: Option<i64>,
    /// outflow | inflow
    pub direction: String,
    /// open | closed
    pub status: String,
    /// The member's name (or the inflow person's).
    pub name: String,
    pub province_code: Option<String>,
    pub city_code: Option<String>,
    pub county_code: Option<String>,
    /// "广东省 广州市 天河区".
    pub place: String,
    pub address: Option<String>,
    /// A member's employer and occupation are those of the member record (for a closed outflow:
    /// as they were at the return); an inflow person's from elsewhere are kept with the record.
    pub employer: Option<String>,
    pub occupation: Option<String>,
    pub reason: OutflowReason,
    pub reason_label: String,
    pub start_date: NaiveDate,
    pub expected_return: Option<NaiveDate>,
    pub receiving_org_id: Option<i64>,
    pub receiving_org_name: Option<String>,
    pub external_org_name: Option<String>,
    pub external_org_contact: Option<String>,
    pub mobile_card_no: Option<String>,
    pub contact_person: Option<String>,
    pub ended_on: Option<NaiveDate>,
    pub end_place: Option<String>,
    pub relationship_stays: Option<bool>,
    pub end_note: Option<String>,
}

/// A ledger line: the record and who it is about (personal fields masked unless unmasked for export).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LedgerItem {
    #[serde(flatten)]
    pub record: MobilityView,
    pub gender: Option<String>,
    /// The birth year only (see `MemberView::birth_year`).
    pub birth_year: Option<i32>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub member_org_id: Option<i64>,
    pub member_org_name: Option<String>,
    pub last_contact_on: Option<NaiveDate>,
    /// Days since the last contact (or since the outflow began, if never contacted).
    pub days_since_contact: Option<i64>,
    /// An open outflow of a registered member: the day six months away at the place is reached, when
    /// the organisational relationship should be transferred there (建议转接).
    pub transfer_due_on: Option<NaiveDate>,
    /// That day has come.
    pub transfer_due: bool,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct OutflowInput {
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub member_id: Option<i64>,
    pub province_code: Option<String>,
    pub city_code: Option<String>,
    pub county_code: Option<String>,
    pub address: Option<String>,
    /// Written to the member record (the one place they are kept): absent keeps, "" clears.
    pub employer: Option<String>,
    pub occupation: Option<String>,
    pub reason: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub expected_return: Option<NaiveDate>,
    /// The receiving organisation in this system (e.g. a chamber branch), or
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub receiving_org_id: Option<i64>,
    /// a receiving organisation outside the system, with its contact.
    pub external_org_name: Option<String>,
    pub external_org_contact: Option<String>,
    pub mobile_card_no: Option<String>,
    pub contact_person: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReturnInput {
    pub returned_on: NaiveDate,
    /// Where the member is now.
    pub current_place: Option<String>,
    /// Whether the organisational relationship stays where it is.
    pub relationship_stays: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct InflowInput {
    /// A member of this system, or
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub member_id: Option<i64>,
    /// a member from elsewhere: name, ID number and phone.
    pub name: Option<String>,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    /// Where they come from.
    pub province_code: Option<String>,
    pub city_code: Option<String>,
    pub county_code: Option<String>,
    /// Their home organisation and its contact.
    pub external_org_name: Option<String>,
    pub external_org_contact: Option<String>,
    /// The local organisation they take part in.
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub receiving_org_id: Option<i64>,
    pub employer: Option<String>,
    pub occupation: Option<String>,
    pub reason: Option<String>,
    pub start_date: Option<NaiveDate>,
    pub mobile_card_no: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ContactInput {
    /// call | visit | wechat | greeting | census
    pub kind: String,
    pub contacted_on: NaiveDate,
    /// Whether the member was actually reached (a missed call is logged but does not clear 失联).
    #[serde(default = "yes")]
    pub reached: bool,
    pub note: Option<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContactView {
    pub id: i64,
    pub member_id: i64,
    pub kind: ContactKind,
    pub kind_label: String,
    pub contacted_on: NaiveDate,
    pub reached: bool,
    pub note: Option<String>,
    pub by_name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LostView {
    pub member_id: i64,
    pub name: String,
    pub org_id: i64,
    pub org_name: String,
    /// normal | suspended
    pub status: String,
    pub last_contact_on: Option<NaiveDate>,
    /// The first failed attempt to reach the member since they were last reached.
    pub unreachable_since: Option<NaiveDate>,
    /// Away: the start of the open outflow; None for a member at home.
    pub outflow_start: Option<NaiveDate>,
    pub away: bool,
    /// The day from which the member has been out of touch, and the days since.
    pub quiet_since: NaiveDate,
    pub days_since_contact: i64,
    /// The day the member reaches (or reached) the limit of months out of touch.
    pub lost_on: NaiveDate,
    pub city: Option<String>,
    /// The person responsible for keeping in touch.
    pub contact_person: Option<String>,
    pub receiving_org_name: Option<String>,
    /// A suspension has already been proposed.
    pub suspension_proposed: bool,
    /// The caller manages the member (home organisation): suspension is theirs to propose. False
    /// for the organisation that only receives the member.
    pub home: bool,
    /// The day the membership was suspended (停止党籍), if it was and the day is recorded.
    pub suspended_on: Option<NaiveDate>,
    /// Two years after the suspension: removal is due if the member is still out of touch.
    pub removal_due_on: Option<NaiveDate>,
    pub stage: LostStage,
    pub stage_label: String,
}

/// Query of the ledgers (the same filters drive the xlsx export).
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerQuery {
    /// Organisation whose subtree to list (members of it, or received by it).
    pub org: Option<RecordId>,
    pub province: Option<String>,
    pub city: Option<String>,
    pub reason: Option<String>,
    /// From this date (inclusive): start date, or return date for the return ledger.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Name contains.
    pub q: Option<String>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LostQuery {
    pub org: Option<RecordId>,
    /// true: away (an open outflow) only; false: at home only.
    pub away: Option<bool>,
    /// true: suspended members only; false: members whose membership is not suspended.
    pub suspended: Option<bool>,
    /// true: instead of the lost, the members who will reach the limit within the next 30 days (即将失联).
    pub soon: Option<bool>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

impl App {
    pub(crate) fn mobility_view(
        &self,
        r: MobilityRecord,
        name: String,
        receiving_org_name: Option<String>,
    ) -> AppResult<MobilityView> {
        let reason = OutflowReason::from_code(&r.reason).unwrap_or(OutflowReason::Other);
        let address = self.open_text(RECORDS, "address", r.member_id.unwrap_or(0), r.address_enc.as_deref())?;
        Ok(MobilityView {
            id: r.id,
            member_id: r.member_id,
            direction: r.direction,
            status: r.status,
            name,
            place: Location {
                province: r.province_code.clone(),
                city: r.city_code.clone(),
                county: r.county_code.clone(),
            }
            .display(),
            province_code: r.province_code,
            city_code: r.city_code,
            county_code: r.county_code,
            address,
            employer: r.employer,
            occupation: r.occupation,
            reason,
            reason_label: reason.label().into(),
            start_date: r.start_date,
            expected_return: r.expected_return,
            receiving_org_id: r.receiving_org_id,
            receiving_org_name,
            external_org_name: r.external_org_name,
            external_org_contact: r.external_org_contact,
            mobile_card_no: r.mobile_card_no,
            contact_person: r.contact_person,
            ended_on: r.ended_on,
            end_place: r.end_place,
            relationship_stays: r.relationship_stays,
            end_note: r.end_note,
        })
    }

    async fn record_view(&self, r: MobilityRecord) -> AppResult<MobilityView> {
        // The record's member: every caller of `record_view` reached the record through their scope.
        #[allow(clippy::disallowed_methods, reason = "the member of a mobility record the caller reached")]
        let reached = Scope::All(Unscoped::system());
        let member = match r.member_id {
            Some(id) => members::get(&self.db, &reached, id).await?,
            None => None,
        };
        let name = match (&member, &r.person_name) {
            (Some(m), _) => m.name.clone(),
            (None, Some(n)) => n.clone(),
            _ => String::new(),
        };
        let ro = match r.receiving_org_id {
            Some(id) => Some(orgs::name_of(&self.db, id).await?),
            None => None,
        };
        let work = member.map(|m| (m.employer, m.occupation));
        Ok(with_work(self.mobility_view(r, name, ro)?, work))
    }

    /// Validates the destination / origin location.
    fn location(e: &mut FieldErrors, p: &Option<String>, c: &Option<String>, k: &Option<String>) -> Location {
        match Location::parse(p.as_deref(), c.as_deref(), k.as_deref()) {
            Ok(l) => l,
            Err(errs) => {
                for (f, msgs) in errs.0 {
                    for m in msgs {
                        e.add(&f, m);
                    }
                }
                Location::default()
            }
        }
    }

    async fn receiving_org(
        &self,
        e: &mut FieldErrors,
        id: Option<i64>,
    ) -> AppResult<Option<honglian_store::repo::organisations::orgs::Org>> {
        Ok(match id {
            // An outflow may be received by any organisation of the deployment (another county's
            // included): naming it links nothing of theirs to the caller.
            Some(id) => match orgs::get(&self.db, &any_receiver(), id).await? {
                Some(o) if o.status == "active" => Some(o),
                _ => {
                    e.add("receiving_org_id", "接收党组织不存在或已撤销");
                    None
                }
            },
            None => None,
        })
    }

    pub async fn outflow_create(&self, ctx: &Ctx, input: OutflowInput) -> AppResult<MobilityView> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let v = self.outflow_register(&txn, ctx, input).await?;
        txn.commit().await?;
        Ok(v)
    }

    /// Registers an outflow in the caller's transaction: the form of the ledger, and a member's
    /// report confirmed by the home organisation go through the same checks and writes.
    pub(crate) async fn outflow_register(
        &self,
        txn: &honglian_store::WriteTxn,
        ctx: &Ctx,
        input: OutflowInput,
    ) -> AppResult<MobilityView> {
        let member_id = input.member_id.ok_or_else(|| AppError::field("member_id", "请选择党员"))?;
        let m = self.member_home(txn, ctx, member_id, "外出登记").await?;
        if m.status != "normal" {
            return Err(AppError::field("member_id", "只能为状态正常的党员登记外出"));
        }
        let mut e = FieldErrors::new();
        let loc = Self::location(&mut e, &input.province_code, &input.city_code, &input.county_code);
        if loc.province.is_none() {
            e.add("province_code", "请选择外出地省份");
        }
        if loc.city.is_none() {
            e.add("city_code", "请选择外出地城市");
        }
        let reason = match nonempty(input.reason.clone()) {
            Some(r) => e.check("reason", OutflowReason::from_code(&r).ok_or(format!("外出原因“{r}”无效"))),
            None => {
                e.add("reason", "请选择外出原因");
                None
            }
        };
        let start = input.start_date;
        match start {
            None => e.add("start_date", "请填写外出日期"),
            Some(s) if s > crate::today() => e.add("start_date", "外出日期不能晚于今天"),
            Some(s) if s < m.joined_on => e.add("start_date", "外出日期不能早于入党日期"),
            _ => {}
        }
        if let (Some(s), Some(r)) = (start, input.expected_return)
            && r < s
        {
            e.add("expected_return", "预计返回日期不能早于外出日期");
        }
        let receiving = self.receiving_org(&mut e, input.receiving_org_id).await?;
        if receiving.as_ref().is_some_and(|o| o.id == m.org_id) {
            e.add("receiving_org_id", "接收党组织不能是党员所在的党组织");
        }
        let external = e
            .check("external_org_name", optional_text(input.external_org_name.as_deref(), "接收组织名称", 100))
            .flatten();
        if receiving.is_some() && external.is_some() {
            e.add("external_org_name", "已选择系统内接收党组织时不填写系统外组织");
        }
        let external_contact = e
            .check(
                "external_org_contact",
                optional_text(input.external_org_contact.as_deref(), "接收组织联系方式", 100),
            )
            .flatten();
        let address = e.check("address", optional_text(input.address.as_deref(), "外出地址", 200)).flatten();
        // Employer and occupation belong to the member record: absent keeps them, "" clears one.
        let employer =
            input.employer.as_deref().map(|v| e.check("employer", optional_text(Some(v), "工作单位", 100)).flatten());
        let occupation =
            input.occupation.as_deref().map(|v| e.check("occupation", optional_text(Some(v), "职业", 50)).flatten());
        let card =
            e.check("mobile_card_no", optional_text(input.mobile_card_no.as_deref(), "流动党员活动证号", 40)).flatten();
        let contact_person =
            e.check("contact_person", optional_text(input.contact_person.as_deref(), "联系人", 50)).flatten();
        e.into_result()?;
        if mobility::open_outflow(txn, m.id).await?.is_some() {
            return Err(AppError::Conflict {
                title: "该党员已有未结束的外出登记，请先登记回归".into(),
                errors: FieldErrors::single("member_id", "已有未结束的外出登记"),
            });
        }
        let r = mobility::insert(
            txn,
            MobilityRecordActive {
                id: NotSet,
                member_id: Set(Some(m.id)),
                direction: Set("outflow".into()),
                status: Set("open".into()),
                person_name: Set(None),
                person_id_number_enc: Set(None),
                person_id_number_bidx: Set(None),
                person_phone_enc: Set(None),
                province_code: Set(loc.province),
                city_code: Set(loc.city),
                county_code: Set(loc.county),
                address_enc: Set(self.seal_text(RECORDS, "address", m.id, address.as_deref())),
                employer: Set(None),
                occupation: Set(None),
                reason: Set(reason.expect("validated").code().into()),
                start_date: Set(start.expect("validated")),
                expected_return: Set(input.expected_return),
                receiving_org_id: Set(receiving.as_ref().map(|o| o.id)),
                external_org_name: Set(external),
                external_org_contact: Set(external_contact),
                mobile_card_no: Set(card),
                contact_person: Set(contact_person),
                ended_on: Set(None),
                end_place: Set(None),
                relationship_stays: Set(None),
                end_note: Set(None),
                created_by: Set(ctx.actor_id()),
                created_at: NotSet,
                updated_at: NotSet,
            },
        )
        .await
        .map_err(|err| match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict {
                title: "该党员已有未结束的外出登记，请先登记回归".into(),
                errors: FieldErrors::single("member_id", "已有未结束的外出登记"),
            },
            _ => err.into(),
        })?;
        let employer = employer.filter(|v| *v != m.employer);
        let occupation = occupation.filter(|v| *v != m.occupation);
        let member_fields: Vec<&str> = [("employer", employer.is_some()), ("occupation", occupation.is_some())]
            .into_iter()
            .filter_map(|(f, changed)| changed.then_some(f))
            .collect();
        members::set_work(txn, m.id, employer.clone(), occupation.clone()).await?;
        self.audit(
            txn,
            ctx,
            Event::ok("mobility.outflow", "member", m.id).with(serde_json::json!({
                "record_id": r.id, "city": r.city_code, "receiving_org_id": r.receiving_org_id,
                "member_fields": member_fields,
            })),
        )
        .await?;
        let work = (employer.unwrap_or(m.employer), occupation.unwrap_or(m.occupation));
        Ok(with_work(self.mobility_view(r, m.name, receiving.map(|o| o.name))?, Some(work)))
    }

    /// Closes an open outflow with the member's return.
    pub async fn outflow_return(&self, ctx: &Ctx, record_id: i64, input: ReturnInput) -> AppResult<MobilityView> {
        let txn = honglian_store::begin_write(&self.db).await?;
        let (r, name) = self.outflow_close(&txn, ctx, record_id, input).await?;
        txn.commit().await?;
        let ro = match r.receiving_org_id {
            Some(id) => Some(orgs::name_of(&self.db, id).await?),
            None => None,
        };
        self.mobility_view(r, name, ro)
    }

    /// Closes an open outflow with the member's return in the caller's transaction (the ledger's form, a
    /// member's own return report confirmed); the closed record and the member's name.
    pub(crate) async fn outflow_close(
        &self,
        txn: &honglian_store::WriteTxn,
        ctx: &Ctx,
        record_id: i64,
        input: ReturnInput,
    ) -> AppResult<(MobilityRecord, String)> {
        let reach = ctx.actor()?.scope(Permission::MemberRead)?;
        let r = mobility::get(txn, &reach, record_id).await?.ok_or_else(|| AppError::not_found("外出登记"))?;
        let member_id =
            r.member_id.filter(|_| r.direction == "outflow").ok_or_else(|| AppError::not_found("外出登记"))?;
        let m = self.member_home(txn, ctx, member_id, "回归登记").await?;
        if r.status != "open" {
            return Err(AppError::Conflict { title: "该外出登记已结束".into(), errors: FieldErrors::new() });
        }
        let mut e = FieldErrors::new();
        if input.returned_on < r.start_date {
            e.add("returned_on", "回归日期不能早于外出日期");
        }
        if input.returned_on > crate::today() {
            e.add("returned_on", "回归日期不能晚于今天");
        }
        let place = e.check("current_place", optional_text(input.current_place.as_deref(), "现居住地", 100)).flatten();
        let note = e.check("note", optional_text(input.note.as_deref(), "备注", 500)).flatten();
        e.into_result()?;
        let mut am: MobilityRecordActive = r.into();
        am.status = Set("closed".into());
        am.ended_on = Set(Some(input.returned_on));
        am.end_place = Set(place);
        am.relationship_stays = Set(Some(input.relationship_stays));
        am.end_note = Set(note);
        // Where the member worked while away, as it was (the member record moves on).
        am.employer = Set(m.employer.clone());
        am.occupation = Set(m.occupation.clone());
        let r = mobility::update(txn, am).await?;
        // The return is a contact: the member at home is counted from it for the lost-contact rule.
        let actor = ctx.actor()?;
        self.record_contact(
            txn,
            ctx,
            NewContact {
                member_id,
                kind: ContactKind::Return.code().into(),
                contacted_on: input.returned_on,
                reached: true,
                note_enc: self.seal_text(
                    "contacts",
                    "note",
                    m.id,
                    Some(&format!("回归登记：{}", r.end_place.as_deref().unwrap_or("已返回"))),
                ),
                by_user_id: Some(actor.user_id),
                by_name: actor.display_name.clone(),
            },
        )
        .await?;
        self.audit(
            txn,
            ctx,
            Event::ok("mobility.return", "member", member_id)
                .with(serde_json::json!({"record_id": r.id, "relationship_stays": input.relationship_stays})),
        )
        .await?;
        Ok((r, m.name))
    }

    /// Registers a member from elsewhere who takes part in a local organisation.
    pub async fn inflow_create(&self, ctx: &Ctx, input: InflowInput) -> AppResult<MobilityView> {
        let scope = ctx.actor()?.scope(Permission::MemberWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let local_id =
            input.receiving_org_id.ok_or_else(|| AppError::field("receiving_org_id", "请选择参加活动的党组织"))?;
        let local = self.org_in(&txn, &scope, local_id).await?;
        let mut e = FieldErrors::new();
        let (member, name, id_enc, id_bidx, phone_enc) = match input.member_id {
            Some(mid) => {
                // Linking a member to my organisation must not be how I come to see them: only a
                // member I already see can be named, and such a member needs no inflow (mine, or
                // already received here after their home branch registered the outflow).
                let m = self.member_for(&txn, ctx, mid, Permission::MemberRead).await?;
                if scope.contains(&m.org_path) {
                    e.add("member_id", "本范围内的党员不需要登记流入");
                } else {
                    e.add("member_id", "该党员已由其所在党组织登记外出并由本组织接收，不需要再登记流入");
                }
                (Some(m.id), m.name, None, None, None)
            }
            None => {
                let name = e.check("name", required_text(input.name.as_deref().unwrap_or(""), "姓名", 50));
                let id = e.check("id_number", IdNumber::parse(input.id_number.as_deref().unwrap_or("")));
                let phone = match nonempty(input.phone.clone()) {
                    Some(p) => e.check("phone", Phone::parse(&p)),
                    None => None,
                };
                let bidx = id.as_ref().map(|i| self.crypto.blind_index("id_number", i.as_str()));
                if let Some(b) = &bidx
                    && let Some(existing) = members::find_by_id_number(&txn, b).await?
                {
                    // A member of another organisation joins here through their home branch's outflow
                    // (which names this organisation as receiving); the inflow ledger is for people
                    // from outside the deployment. Only a member the caller already sees is named.
                    if self.member_access(&txn, ctx, existing.clone(), Permission::MemberRead).await.is_ok() {
                        e.add("id_number", format!("该党员已在系统中（{}），不需要登记流入", existing.name));
                    } else {
                        drop(txn);
                        self.audit_lookup(ctx, "id_number", "mobility.inflow").await?;
                        return Err(AppError::field(
                            "id_number",
                            "该身份证号的党员已在本系统登记，请联系其所在党组织登记外出，并选择本组织为接收组织",
                        ));
                    }
                }
                let aad = |f: &str| format!("mobility_records.{f}:{}", bidx.clone().unwrap_or_default());
                (
                    None,
                    name.unwrap_or_default(),
                    id.as_ref().map(|i| self.crypto.seal(i.as_str(), &aad("person_id_number"))),
                    bidx.clone(),
                    phone.as_ref().map(|p| self.crypto.seal(p.as_str(), &aad("person_phone"))),
                )
            }
        };
        let loc = Self::location(&mut e, &input.province_code, &input.city_code, &input.county_code);
        let reason = match nonempty(input.reason.clone()) {
            Some(r) => e.check("reason", OutflowReason::from_code(&r).ok_or(format!("流入原因“{r}”无效"))),
            None => Some(OutflowReason::WorkBusiness),
        };
        let start = input.start_date.unwrap_or_else(crate::today);
        if start > crate::today() {
            e.add("start_date", "流入日期不能晚于今天");
        }
        let home = e.check(
            "external_org_name",
            required_text(input.external_org_name.as_deref().unwrap_or(""), "原所在党组织", 100),
        );
        let home_contact = e
            .check("external_org_contact", optional_text(input.external_org_contact.as_deref(), "原组织联系方式", 100))
            .flatten();
        let employer = e.check("employer", optional_text(input.employer.as_deref(), "工作单位", 100)).flatten();
        let occupation = e.check("occupation", optional_text(input.occupation.as_deref(), "职业", 50)).flatten();
        let card =
            e.check("mobile_card_no", optional_text(input.mobile_card_no.as_deref(), "流动党员活动证号", 40)).flatten();
        e.into_result()?;
        let r = mobility::insert(
            &txn,
            MobilityRecordActive {
                id: NotSet,
                member_id: Set(member),
                direction: Set("inflow".into()),
                status: Set("open".into()),
                person_name: Set(if member.is_none() { Some(name.clone()) } else { None }),
                person_id_number_enc: Set(id_enc),
                person_id_number_bidx: Set(id_bidx),
                person_phone_enc: Set(phone_enc),
                province_code: Set(loc.province),
                city_code: Set(loc.city),
                county_code: Set(loc.county),
                address_enc: Set(None),
                employer: Set(employer),
                occupation: Set(occupation),
                reason: Set(reason.expect("validated").code().into()),
                start_date: Set(start),
                expected_return: Set(None),
                receiving_org_id: Set(Some(local.id)),
                external_org_name: Set(home),
                external_org_contact: Set(home_contact),
                mobile_card_no: Set(card),
                contact_person: Set(None),
                ended_on: Set(None),
                end_place: Set(None),
                relationship_stays: Set(None),
                end_note: Set(None),
                created_by: Set(ctx.actor_id()),
                created_at: NotSet,
                updated_at: NotSet,
            },
        )
        .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("mobility.inflow", "mobility_record", r.id).with(serde_json::json!({"org_id": local.id})),
        )
        .await?;
        txn.commit().await?;
        self.mobility_view(r, name, Some(local.name))
    }

    /// Ends an inflow (the member left the local organisation).
    pub async fn inflow_end(
        &self,
        ctx: &Ctx,
        record_id: i64,
        ended_on: NaiveDate,
        note: Option<String>,
    ) -> AppResult<MobilityView> {
        let scope = ctx.actor()?.scope(Permission::MemberWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let r = mobility::get(&txn, &scope, record_id)
            .await?
            .filter(|r| r.direction == "inflow")
            .ok_or_else(|| AppError::not_found("流入登记"))?;
        self.org_in(&txn, &scope, r.receiving_org_id.unwrap_or_default())
            .await
            .map_err(|_| AppError::not_found("流入登记"))?;
        if r.status != "open" {
            return Err(AppError::Conflict { title: "该流入登记已结束".into(), errors: FieldErrors::new() });
        }
        if ended_on < r.start_date || ended_on > crate::today() {
            return Err(AppError::field("ended_on", "结束日期应在流入日期与今天之间"));
        }
        let mut am: MobilityRecordActive = r.into();
        am.status = Set("closed".into());
        am.ended_on = Set(Some(ended_on));
        am.end_note = Set(note.map(|n| n.chars().take(500).collect()));
        let r = mobility::update(&txn, am).await?;
        self.audit(&txn, ctx, Event::ok("mobility.inflow_end", "mobility_record", r.id)).await?;
        txn.commit().await?;
        self.record_view(r).await
    }

    /// A member's mobility history, newest first.
    pub async fn member_mobility(&self, ctx: &Ctx, member_id: i64) -> AppResult<Vec<MobilityView>> {
        let m = self.member_for(&self.db, ctx, member_id, Permission::MemberRead).await?;
        let list = mobility::history(&self.db, m.id).await?;
        let mut out = Vec::with_capacity(list.len());
        for r in list {
            let ro = match r.receiving_org_id {
                Some(id) => Some(orgs::name_of(&self.db, id).await?),
                None => None,
            };
            let work = (m.employer.clone(), m.occupation.clone());
            out.push(with_work(self.mobility_view(r, m.name.clone(), ro)?, Some(work)));
        }
        Ok(out)
    }

    fn ledger_filter(&self, q: &LedgerQuery, subtree: Option<String>) -> LedgerFilter {
        LedgerFilter {
            subtree,
            province_code: nonempty(q.province.clone()),
            city_code: nonempty(q.city.clone()),
            reason: nonempty(q.reason.clone()),
            from: q.from,
            to: q.to,
            name: nonempty(q.q.clone()),
        }
    }

    async fn subtree_path(&self, scope: &Scope, org: Option<i64>) -> AppResult<Option<String>> {
        Ok(match org {
            Some(id) => Some(self.org_in(&self.db, scope, id).await?.path),
            None => None,
        })
    }

    /// Turns a ledger row into an item; `unmask` gives plaintext personal fields.
    /// One ledger row as shown. `unmask`: the organisations over which the caller unmasks (with a
    /// reason given); a row is shown in clear only where that covers the member's organisation, or,
    /// for an open record, the organisation receiving them — the same rule as for one member.
    pub(crate) fn ledger_item(
        &self,
        row: LedgerRow,
        unmask: Option<&Scope>,
        today: NaiveDate,
    ) -> AppResult<LedgerItem> {
        let unmask = unmask.is_some_and(|s| {
            row.member_org_path.as_deref().is_some_and(|p| s.contains(p))
                || (row.record.status == "open" && row.receiving_org_path.as_deref().is_some_and(|p| s.contains(p)))
        });
        // A registered member's own fields, else the ones recorded with the mobility record.
        // The associated data is `<column prefix><field>:<blind index>`, as they were sealed.
        let (prefix, id_enc, phone_enc, bidx) = match (&row.member_id_number_enc, &row.member_id_number_bidx) {
            (Some(enc), Some(bidx)) => ("members.", Some(enc.as_str()), row.member_phone_enc.as_deref(), bidx.as_str()),
            _ => (
                "mobility_records.person_",
                row.record.person_id_number_enc.as_deref(),
                row.record.person_phone_enc.as_deref(),
                row.record.person_id_number_bidx.as_deref().unwrap_or_default(),
            ),
        };
        let open = |v: Option<&str>, field: &str| {
            v.map(|v| self.crypto.open(v, &format!("{prefix}{field}:{bidx}"))).transpose().map_err(AppError::Internal)
        };
        let (id_number, phone) = (open(id_enc, "id_number")?, open(phone_enc, "phone")?);
        let (id_number, phone) = if unmask {
            (id_number, phone)
        } else {
            (id_number.as_deref().map(mask_id_number), phone.as_deref().map(mask_phone))
        };
        let since = row.member_last_contact_on.map_or(row.record.start_date, |l| l.max(row.record.start_date));
        let counts_days = row.record.status == "open" && row.record.member_id.is_some();
        let due_on = (counts_days && row.record.direction == "outflow").then(|| transfer_due_on(row.record.start_date));
        let name = row.member_name.clone().or(row.record.person_name.clone()).unwrap_or_default();
        let work = row.record.member_id.map(|_| (row.member_employer.clone(), row.member_occupation.clone()));
        let mut record = with_work(self.mobility_view(row.record, name, row.receiving_org_name)?, work);
        if !unmask {
            // The detailed address is personal free text: masked like a member's address.
            record.address = record.address.as_deref().map(mask_address);
        }
        Ok(LedgerItem {
            gender: row.member_gender,
            birth_year: row.member_birth_date.map(|d| chrono::Datelike::year(&d)),
            id_number,
            phone,
            member_org_id: row.member_org_id,
            member_org_name: row.member_org_name,
            last_contact_on: row.member_last_contact_on,
            days_since_contact: counts_days.then(|| days_between(since, today)),
            transfer_due_on: due_on,
            transfer_due: due_on.is_some_and(|d| d <= today),
            record,
        })
    }

    pub async fn ledger_list(&self, ctx: &Ctx, ledger: Ledger, q: LedgerQuery) -> AppResult<Page<LedgerItem>> {
        let scope = ctx.actor()?.scope(Permission::MemberRead)?;
        let subtree = self.subtree_path(&scope, q.org.map(RecordId::get)).await?;
        let f = self.ledger_filter(&q, subtree);
        let page = mobility::ledger(
            &self.db,
            ledger,
            &scope,
            &f,
            PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into)),
        )
        .await?;
        let today = crate::today();
        let items = page.items.into_iter().map(|r| self.ledger_item(r, None, today)).collect::<AppResult<_>>()?;
        Ok(Page { total: page.total, items })
    }

    pub async fn contact_add(&self, ctx: &Ctx, member_id: i64, input: ContactInput) -> AppResult<ContactView> {
        let actor = ctx.actor()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        // The home organisation, or the organisation that receives the member.
        let m = match self.member_for(&txn, ctx, member_id, Permission::MemberWrite).await {
            Ok(m) => m,
            Err(err) => {
                let scope = actor.scope(Permission::MemberWrite).map_err(|_| err)?;
                if !mobility::received_in(&txn, member_id, &scope).await? {
                    return Err(AppError::not_found("党员"));
                }
                members::get(&txn, &scope, member_id).await?.ok_or_else(|| AppError::not_found("党员"))?
            }
        };
        let kind = ContactKind::from_code(&input.kind)
            .ok_or_else(|| AppError::field("kind", format!("联系方式“{}”无效", input.kind)))?;
        if kind == ContactKind::SelfReport {
            return Err(AppError::field("kind", "“本人报平安”由党员本人在指尖党建中提交"));
        }
        if input.contacted_on > crate::today() {
            return Err(AppError::field("contacted_on", "联系日期不能晚于今天"));
        }
        let note = optional_text(input.note.as_deref(), "联系情况", 500).map_err(|m| AppError::field("note", m))?;
        let c = self
            .record_contact(
                &txn,
                ctx,
                NewContact {
                    member_id: m.id,
                    kind: kind.code().into(),
                    contacted_on: input.contacted_on,
                    reached: input.reached,
                    note_enc: self.seal_text("contacts", "note", m.id, note.as_deref()),
                    by_user_id: Some(actor.user_id),
                    by_name: actor.display_name.clone(),
                },
            )
            .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("contact.create", "member", m.id)
                .with(serde_json::json!({"kind": kind.code(), "reached": input.reached})),
        )
        .await?;
        txn.commit().await?;
        self.contact_view(c)
    }

    pub async fn contact_list(&self, ctx: &Ctx, member_id: i64) -> AppResult<Vec<ContactView>> {
        let m = self.member_for(&self.db, ctx, member_id, Permission::MemberRead).await?;
        contacts::of_member(&self.db, m.id).await?.into_iter().map(|c| self.contact_view(c)).collect()
    }

    /// Lost members (失联): away or at home, suspended ones included with the date of suspension and
    /// the next step. The home organisation and the receiving one both see them; `home` says
    /// whether the caller manages the member (suspension is theirs to propose).
    pub async fn lost_list(&self, ctx: &Ctx, q: LostQuery) -> AppResult<Page<LostView>> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::MemberRead)?;
        let write = actor.scope(Permission::MemberWrite).ok();
        let subtree = self.subtree_path(&scope, q.org.map(RecordId::get)).await?;
        let today = crate::today();
        let months = self.config.lost_contact_months;
        let soon = q.soon == Some(true);
        let filter = if soon {
            // Not lost today (so not suspended either), lost within the coming days.
            LostFilter { subtree, away: q.away, suspended: Some(false), not_lost_at: Some(lost_cutoff(today, months)) }
        } else {
            LostFilter { subtree, away: q.away, suspended: q.suspended, not_lost_at: None }
        };
        let horizon = if soon { today + chrono::Days::new(APPROACHING_DAYS) } else { today };
        let page = mobility::lost_contacts(
            &self.db,
            &scope,
            &filter,
            lost_cutoff(horizon, months),
            PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into)),
        )
        .await?;
        Ok(Page {
            total: page.total,
            items: page
                .items
                .into_iter()
                .map(|r| {
                    let reach = Reach {
                        last_contact: r.last_contact_on,
                        outflow_start: r.outflow_start,
                        unreachable_since: r.unreachable_since,
                    };
                    let since = quiet_since(reach).unwrap_or(today);
                    let suspended = r.status == "suspended";
                    let suspended_on = r.suspended_on.filter(|_| suspended);
                    let stage = lost_stage(suspended, suspended_on, lost_on(since, months), today);
                    LostView {
                        lost_on: lost_on(since, months),
                        days_since_contact: days_between(since, today),
                        quiet_since: since,
                        member_id: r.member_id,
                        name: r.member_name,
                        org_id: r.org_id,
                        org_name: r.org_name,
                        home: write.as_ref().is_some_and(|w| w.contains(&r.org_path)),
                        status: r.status,
                        last_contact_on: r.last_contact_on,
                        unreachable_since: r.unreachable_since,
                        away: r.outflow_start.is_some(),
                        outflow_start: r.outflow_start,
                        city: r.city_code.as_deref().and_then(honglian_domain::region::name).map(str::to_string),
                        contact_person: r.contact_person,
                        receiving_org_name: r.receiving_org_name,
                        suspension_proposed: r.proposed,
                        suspended_on,
                        removal_due_on: suspended_on.map(removal_due_on),
                        stage,
                        stage_label: stage.label().into(),
                    }
                })
                .collect(),
        })
    }
}

/// A view of a member's record with the member's employer and occupation where the record keeps
/// none of its own (an open outflow; the record of a closed one keeps them as they were).
fn with_work(mut v: MobilityView, work: Option<(Option<String>, Option<String>)>) -> MobilityView {
    if let Some((employer, occupation)) = work
        && v.employer.is_none()
        && v.occupation.is_none()
    {
        v.employer = employer;
        v.occupation = occupation;
    }
    v
}

/// The table of mobility records (free text sealed: `platform::sealing`).
const RECORDS: &str = "mobility_records";

impl App {
    pub(crate) fn contact_view(&self, c: contacts::Contact) -> AppResult<ContactView> {
        let note = self.open_text("contacts", "note", c.member_id, c.note_enc.as_deref())?;
        Ok(contact_view(c, note))
    }
}

fn contact_view(c: contacts::Contact, note: Option<String>) -> ContactView {
    let kind = ContactKind::from_code(&c.kind).unwrap_or(ContactKind::Call);
    ContactView {
        id: c.id,
        member_id: c.member_id,
        kind,
        kind_label: kind.label().into(),
        contacted_on: c.contacted_on,
        reached: c.reached,
        note,
        by_name: c.by_name,
        created_at: c.created_at,
    }
}

/// The reach of a receiving organisation's id: any organisation of the deployment.
#[allow(clippy::disallowed_methods, reason = "an outflow may be received by any organisation of the deployment")]
fn any_receiver() -> Scope {
    Scope::All(Unscoped::system())
}
