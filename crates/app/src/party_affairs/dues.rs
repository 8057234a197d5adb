//! 党费: the member's own organisation registers the dues base (the monthly after-tax salary, sealed,
//! or the category's fixed amount) from the month it applies; dues are collected by the home branch or,
//! while the member is away, by the organisation receiving them (credited to the member: one ledger);
//! a month is never paid twice; arrears are counted for each member and summed by branch. The member
//! sees their own on the phone. Rules in `honglian_domain::party_affairs::dues`.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use honglian_domain::goals::grant::Fen;
use honglian_domain::party_affairs::dues::{self as rules, ACT_MONTHS, Base, DuesCategory, Month, WARN_MONTHS};
use honglian_domain::platform::authz::Permission;
use honglian_domain::validation::optional_text;
use honglian_domain::{FieldErrors, RecordId, Year};
use honglian_store::Scope;
use honglian_store::repo::members::mobility;
use honglian_store::repo::members::registry::Member;
use honglian_store::repo::party_affairs::dues::{self as repo, DuesBase, DuesMember, NewBase, NewPayment};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::members::export::Export;
use crate::org_life::activities::OrgName;
use crate::platform::audit::Event;
use crate::platform::pdf::Column;
use crate::platform::report::{Report, ReportFormat, report_file};
use crate::{App, AppError, AppResult, Ctx};

const TABLE: &str = "dues_bases";
/// The largest monthly base accepted: 10 million yuan.
const MAX_BASE: Fen = Fen(1_000_000_000);

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DuesBaseInput {
    /// The month it applies from, `YYYY-MM` (a new salary applies from the month it is paid).
    pub from: String,
    pub category: DuesCategory,
    /// The monthly after-tax salary in yuan (employed and retired members).
    #[serde(default)]
    pub base: Option<String>,
    /// A farmer member's monthly amount in yuan (0.2–1).
    #[serde(default)]
    pub farmer: Option<String>,
    /// The branch allows paying by the quarter.
    #[serde(default)]
    pub quarterly: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuesBaseView {
    pub from: String,
    pub category: DuesCategory,
    pub category_label: String,
    /// The monthly dues: for those who collect them and the member (from it and the category the salary
    /// could be worked out).
    pub monthly_fen: Option<i64>,
    /// The salary in yuan: only for those who write the member's record (it is personal).
    pub base: Option<String>,
    pub quarterly: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuesMonthView {
    /// `YYYY-MM`.
    pub month: String,
    /// For those who collect and the member (see `DuesBaseView::monthly_fen`).
    pub due_fen: Option<i64>,
    pub paid: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuesPaymentView {
    pub id: i64,
    pub months: Vec<String>,
    /// For those who collect and the member.
    pub amount_fen: Option<i64>,
    pub extra_fen: Option<i64>,
    pub paid_on: NaiveDate,
    pub method: String,
    /// Where it was collected (the home branch, or the one receiving the member while away).
    pub collected_by: OrgName,
    /// A voluntary extra of 1,000 yuan or more: remitted in full to the Central Committee.
    pub remitted: bool,
    pub note: String,
    pub recorded_by_name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberDues {
    pub member_id: i64,
    pub name: String,
    /// None until a base is registered.
    pub current: Option<DuesBaseView>,
    pub bases: Vec<DuesBaseView>,
    /// The months of the year asked for (to this month in the current year), due and paid.
    pub months: Vec<DuesMonthView>,
    /// Every month before this one due and unpaid (not only this year): the arrears.
    pub unpaid: Vec<String>,
    /// For those who collect and the member.
    pub unpaid_fen: Option<i64>,
    /// Unpaid months in a row up to last month: 3 → warned, 6 → for the branch to handle.
    pub months_behind: usize,
    pub warn: bool,
    pub act: bool,
    pub payments: Vec<DuesPaymentView>,
    /// The caller may record a payment (the home branch, or the organisation receiving the member).
    pub can_collect: bool,
    /// The caller may change the base (the home branch).
    pub can_set_base: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DuesPaymentInput {
    /// The months paid, `YYYY-MM`, oldest first.
    pub months: Vec<String>,
    pub paid_on: NaiveDate,
    /// 现金, 微信, 银行转账 … as written.
    pub method: String,
    /// A voluntary extra in yuan (自愿多交).
    #[serde(default)]
    pub extra: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DuesQuery {
    pub year: Option<Year>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DuesSummaryQuery {
    /// An organisation whose subtree to sum (default: the caller's whole scope).
    pub org: Option<RecordId>,
    pub year: Option<Year>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuesBranchRow {
    pub org: OrgName,
    pub members: u64,
    /// Members without a base yet.
    pub without_base: u64,
    pub due_fen: i64,
    pub paid_fen: i64,
    /// Members 3–5 months behind, and 6 or more.
    pub warned: u64,
    pub to_act: u64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuesSummary {
    pub year: i32,
    pub rows: Vec<DuesBranchRow>,
    pub due_fen: i64,
    pub paid_fen: i64,
    pub warned: u64,
    pub to_act: u64,
}

/// A member of a ledger: their schedule (None without a base), latest category and months paid.
struct LedgerMember {
    member: DuesMember,
    schedule: Option<Vec<(Month, Fen)>>,
    category: Option<DuesCategory>,
    paid: Vec<Month>,
}

fn bases(list: &[(DuesBase, Option<Fen>)]) -> Vec<Base> {
    list.iter()
        .filter_map(|(b, base)| {
            Some(Base {
                from: Month::parse(&b.from_month).ok()?,
                category: DuesCategory::from_code(&b.category)?,
                base: *base,
                farmer_fen: b.farmer_fen,
            })
        })
        .collect()
}

/// The largest voluntary extra in one payment: 1 million yuan.
const MAX_EXTRA: Fen = Fen(100_000_000);
/// A payment may be recorded up to this many days after it was made.
const LATE_ENTRY_DAYS: i64 = 60;
/// At most this many months in one payment.
const MAX_MONTHS: usize = 12;

impl App {
    /// The bases with their salaries opened (a base that cannot be opened is an error, never "no base").
    fn opened(&self, list: Vec<DuesBase>) -> AppResult<Vec<(DuesBase, Option<Fen>)>> {
        list.into_iter()
            .map(|b| {
                let base = self.open_text(TABLE, "base", b.member_id, b.base_enc.as_deref())?;
                let base = base
                    .map(|s| s.parse::<i64>().map(Fen))
                    .transpose()
                    .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("党费基数无法读取")))?;
                Ok((b, base))
            })
            .collect()
    }

    /// The member and whether the caller collects (home or receiving organisation) and sets the base (home).
    async fn dues_member(&self, ctx: &Ctx, member_id: i64) -> AppResult<(Member, bool, bool)> {
        let m = self.member_for(&self.db, ctx, member_id, Permission::MemberRead).await?;
        let write = ctx.actor()?.scope(Permission::MemberWrite).ok();
        // Dues are kept for members in good standing only.
        let normal = m.status == "normal";
        let home = normal && write.as_ref().is_some_and(|w| w.contains(&m.org_path));
        let receives = match &write {
            Some(w) if normal && !home => mobility::received_in(&self.db, m.id, w).await?,
            _ => false,
        };
        Ok((m, home || receives, home))
    }

    /// The view of a member's dues; `show_base`: the salary is shown (the home branch, the member); the
    /// amounts go to those who collect and the member (`collect || show_base`), never to readers only.
    async fn member_dues(
        &self,
        m: Member,
        year: i32,
        (collect, set_base, show_base): (bool, bool, bool),
    ) -> AppResult<MemberDues> {
        let show_amounts = collect || show_base;
        let today = crate::today();
        let this_month = Month::of(today);
        let stored = self.opened(repo::bases_of(&self.db, &[m.id]).await?)?;
        let list = bases(&stored);
        let paid: Vec<Month> = repo::paid_months(&self.db, &[m.id])
            .await?
            .into_iter()
            .filter_map(|(_, s)| Month::parse(&s).ok())
            .collect();
        let until = this_month.min(Month { year, month: 12 });
        let schedule = if list.is_empty() {
            vec![]
        } else {
            rules::schedule(m.joined_on, &list, this_month).map_err(AppError::conflict)?
        };
        let (unpaid, behind) = rules::arrears(&schedule, &paid, this_month);
        let due_of: HashMap<Month, i64> = schedule.iter().map(|(mo, f)| (*mo, f.0)).collect();
        let amount = |f: i64| show_amounts.then_some(f);
        let views: Vec<DuesBaseView> = list
            .iter()
            .map(|b| DuesBaseView {
                from: b.from.to_string(),
                category: b.category,
                category_label: b.category.label().into(),
                monthly_fen: amount(rules::monthly(b.category, b.base, b.farmer_fen).map_or(0, |f| f.0)),
                base: if show_base { b.base.map(|f| f.yuan_string()) } else { None },
                quarterly: stored.iter().find(|s| s.0.from_month == b.from.to_string()).is_some_and(|s| s.0.quarterly),
            })
            .collect();
        let payments = repo::payments_of(&self.db, m.id).await?;
        let names = self.org_names(&payments.iter().map(|p| p.collected_by_org_id).collect::<Vec<_>>()).await?;
        Ok(MemberDues {
            member_id: m.id,
            name: m.name.clone(),
            current: views
                .iter()
                .rev()
                .find(|b| Month::parse(&b.from).is_ok_and(|f| f <= this_month))
                .or(views.first())
                .cloned(),
            months: schedule
                .iter()
                .filter(|(mo, _)| mo.year == year && *mo <= until)
                .map(|(mo, f)| DuesMonthView { month: mo.to_string(), due_fen: amount(f.0), paid: paid.contains(mo) })
                .collect(),
            unpaid_fen: amount(unpaid.iter().map(|mo| due_of.get(mo).copied().unwrap_or(0)).sum()),
            unpaid: unpaid.iter().map(Month::to_string).collect(),
            months_behind: behind,
            warn: behind >= WARN_MONTHS,
            act: behind >= ACT_MONTHS,
            bases: views,
            payments: payments
                .into_iter()
                .map(|p| DuesPaymentView {
                    collected_by: OrgName {
                        id: p.collected_by_org_id,
                        name: names.get(&p.collected_by_org_id).cloned().unwrap_or_default(),
                    },
                    months: p.months.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
                    id: p.id,
                    amount_fen: amount(p.amount_fen),
                    extra_fen: amount(p.extra_fen),
                    paid_on: p.paid_on,
                    method: p.method,
                    remitted: p.remitted,
                    note: p.note,
                    recorded_by_name: p.recorded_by_name,
                })
                .collect(),
            can_collect: collect,
            can_set_base: set_base,
        })
    }

    /// A member's dues: bases, the year's months, arrears, payments.
    pub async fn dues_get(&self, ctx: &Ctx, member_id: i64, q: DuesQuery) -> AppResult<MemberDues> {
        let (m, collect, set_base) = self.dues_member(ctx, member_id).await?;
        let year = q.year.map_or(chrono::Datelike::year(&crate::today()), |y| y.get());
        self.member_dues(m, year, (collect, set_base, set_base)).await
    }

    /// The home branch registers the base from a month on (the salary sealed), audited.
    pub async fn dues_base_set(&self, ctx: &Ctx, member_id: i64, input: DuesBaseInput) -> AppResult<MemberDues> {
        let actor = ctx.actor()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let m = self.member_home(&txn, ctx, member_id, "党费基数").await?;
        check_member(ctx, &m)?;
        let mut e = FieldErrors::new();
        let from = e.check("from", Month::parse(&input.from));
        let base = match (input.category, input.base.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
            (DuesCategory::Employed | DuesCategory::Retired, Some(s)) => e.check(
                "base",
                Fen::parse_yuan(s).and_then(|f| match f {
                    f if f > MAX_BASE => Err("月工资收入过大".into()),
                    Fen(0) => Err("月工资收入须大于 0".into()),
                    f => Ok(f),
                }),
            ),
            (DuesCategory::Employed | DuesCategory::Retired, None) => {
                e.add("base", "请填写月工资收入（税后）");
                None
            }
            _ => None,
        };
        let farmer = match (input.category, input.farmer.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
            (DuesCategory::Farmer, Some(s)) => e.check("farmer", Fen::parse_yuan(s)).map(|f| f.0),
            _ => None,
        };
        if let Some(f) = from
            && f < Month::of(m.joined_on)
        {
            e.add("from", format!("不能早于入党的月份（{}）", Month::of(m.joined_on)));
        }
        if input.category == DuesCategory::Farmer {
            e.check("farmer", rules::monthly(DuesCategory::Farmer, None, farmer).map(|_| ()));
        }
        e.into_result()?;
        let from = from.unwrap_or(Month::of(m.joined_on));
        // Months already paid keep the dues they were paid at: a new base starts after them.
        let last_paid =
            repo::paid_months(&txn, &[m.id]).await?.into_iter().filter_map(|x| Month::parse(&x.1).ok()).max();
        if let Some(last) = last_paid
            && from <= last
        {
            return Err(AppError::field("from", format!("{last} 及以前的党费已交纳，新的基数须从 {} 起", last.next())));
        }
        repo::set_base(
            &txn,
            NewBase {
                member_id: m.id,
                from_month: from.to_string(),
                category: input.category.code().into(),
                base_enc: base.and_then(|b| self.seal_text(TABLE, "base", m.id, Some(&b.0.to_string()))),
                farmer_fen: farmer,
                quarterly: input.quarterly,
                created_by: Some(actor.user_id),
            },
        )
        .await
        .map_err(|err| match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => {
                AppError::conflict("该月份的基数正在被修改，请刷新后再试")
            }
            _ => err.into(),
        })?;
        // Neither the salary nor the amount (which would give the salary away) is audited.
        self.audit(
            &txn,
            ctx,
            Event::ok("dues.base", "member", m.id).with(serde_json::json!({
                "from": from.to_string(), "category": input.category.code(), "quarterly": input.quarterly})),
        )
        .await?;
        txn.commit().await?;
        let year = chrono::Datelike::year(&crate::today());
        self.member_dues(m, year, (true, true, true)).await
    }

    /// Records a payment (the home branch, or the organisation receiving the member while away): the
    /// months' dues by the member's bases, a voluntary extra; a month is never paid twice.
    pub async fn dues_pay(&self, ctx: &Ctx, member_id: i64, input: DuesPaymentInput) -> AppResult<MemberDues> {
        let actor = ctx.actor()?;
        let (m, collect, home) = self.dues_member(ctx, member_id).await?;
        if !collect {
            return Err(AppError::Forbidden("党费由党员所在党组织或接收其的党组织收缴".into()));
        }
        check_member(ctx, &m)?;
        let mut e = FieldErrors::new();
        if input.months.len() > MAX_MONTHS {
            e.add("months", format!("一次最多交纳 {MAX_MONTHS} 个月"));
        }
        let months: Vec<Month> = input.months.iter().filter_map(|s| e.check("months", Month::parse(s))).collect();
        let extra = match input.extra.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => e
                .check(
                    "extra",
                    Fen::parse_yuan(s).and_then(|f| {
                        if f > MAX_EXTRA { Err("自愿多交一次最多 100 万元".into()) } else { Ok(f) }
                    }),
                )
                .unwrap_or(Fen(0)),
            None => Fen(0),
        };
        let method = e
            .check("method", honglian_domain::validation::required_text(&input.method, "交纳方式", 20))
            .unwrap_or_default();
        let note = e.check("note", optional_text(input.note.as_deref(), "备注", 200)).flatten().unwrap_or_default();
        let today = crate::today();
        if input.paid_on > today {
            e.add("paid_on", "交纳日期不能晚于今天");
        } else if input.paid_on < today - chrono::Duration::days(LATE_ENTRY_DAYS) {
            e.add("paid_on", format!("只能登记 {LATE_ENTRY_DAYS} 天内的交纳"));
        }
        e.into_result()?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let stored = self.opened(repo::bases_of(&txn, &[m.id]).await?)?;
        let list = bases(&stored);
        if list.is_empty() {
            return Err(AppError::field("months", "请先登记党费基数"));
        }
        let current = stored.iter().rev().find(|b| b.0.from_month <= Month::of(input.paid_on).to_string());
        let quarterly = current.or(stored.first()).is_some_and(|b| b.0.quarterly);
        rules::check_cover(&months, m.joined_on, input.paid_on, quarterly)
            .map_err(|msg| AppError::field("months", msg))?;
        let last = *months.last().unwrap_or(&Month::of(input.paid_on));
        let schedule = rules::schedule(m.joined_on, &list, last).map_err(|msg| AppError::field("months", msg))?;
        let already: Vec<String> = repo::paid_months(&txn, &[m.id]).await?.into_iter().map(|x| x.1).collect();
        if let Some(dup) = months.iter().find(|mo| already.contains(&mo.to_string())) {
            return Err(AppError::conflict(format!("{dup} 的党费已交纳")));
        }
        let mut amount = 0i64;
        for mo in &months {
            match schedule.iter().find(|s| s.0 == *mo) {
                Some(s) => amount += s.1.0,
                None => return Err(AppError::field("months", format!("{mo} 在党费基数登记之前，没有应交的党费"))),
            }
        }
        // Collected where the caller is: the home branch, or the organisation receiving the member.
        let collected_by = if home {
            m.org_id
        } else {
            mobility::open_outflow(&txn, m.id).await?.and_then(|r| r.receiving_org_id).unwrap_or(m.org_id)
        };
        let p = repo::insert_payment(
            &txn,
            NewPayment {
                member_id: m.id,
                months: months.iter().map(Month::to_string).collect(),
                amount_fen: amount,
                extra_fen: extra.0,
                paid_on: input.paid_on,
                method,
                collected_by_org_id: collected_by,
                remitted: rules::remitted_to_centre(extra),
                note,
                recorded_by: Some(actor.user_id),
                recorded_by_name: actor.display_name.clone(),
            },
        )
        .await
        .map_err(|err| match err.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::conflict("所选月份的党费已交纳"),
            _ => err.into(),
        })?;
        self.stamp(&txn, honglian_store::repo::platform::integrity::Protected::DuesPayments, &[p.id]).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("dues.pay", "member", m.id).with(serde_json::json!({
                "payment_id": p.id, "months": p.months, "paid_on": p.paid_on, "remitted": p.remitted,
                "collected_by_org_id": collected_by})),
        )
        .await?;
        txn.commit().await?;
        let year = chrono::Datelike::year(&crate::today());
        self.member_dues(m, year, (collect, home, home)).await
    }

    /// The members in normal status of `scope` (under `org` when given) with their schedules (an error
    /// when no base is registered) and the months they paid, and their organisations' names.
    async fn dues_ledger_rows(
        &self,
        scope: &Scope,
        org: Option<RecordId>,
        this_month: Month,
    ) -> AppResult<(Vec<LedgerMember>, HashMap<i64, String>)> {
        let subtree = match org {
            Some(id) => Some(self.org_in(&self.db, scope, id.get()).await?.path),
            None => None,
        };
        let members = repo::members_in(&self.db, scope, subtree.as_deref()).await?;
        let ids: Vec<i64> = members.iter().map(|m| m.id).collect();
        let mut stored: HashMap<i64, Vec<(DuesBase, Option<Fen>)>> = HashMap::new();
        for b in self.opened(repo::bases_of(&self.db, &ids).await?)? {
            stored.entry(b.0.member_id).or_default().push(b);
        }
        let mut paid: HashMap<i64, Vec<Month>> = HashMap::new();
        for (id, s) in repo::paid_months(&self.db, &ids).await? {
            if let Ok(mo) = Month::parse(&s) {
                paid.entry(id).or_default().push(mo);
            }
        }
        let names = self.org_names(&members.iter().map(|m| m.org_id).collect::<Vec<_>>()).await?;
        let rows = members
            .into_iter()
            .map(|m| {
                let list = bases(stored.get(&m.id).map_or(&[][..], |v| v.as_slice()));
                LedgerMember {
                    schedule: rules::schedule(m.joined_on, &list, this_month).ok(),
                    category: list.iter().max_by_key(|b| b.from).map(|b| b.category),
                    paid: paid.remove(&m.id).unwrap_or_default(),
                    member: m,
                }
            })
            .collect();
        Ok((rows, names))
    }

    /// Dues by branch over the caller's scope (or one organisation's subtree) for a year: members,
    /// due and paid, those warned (3 months behind) and those for the branch to handle (6).
    pub async fn dues_summary(&self, ctx: &Ctx, q: DuesSummaryQuery) -> AppResult<DuesSummary> {
        let scope = ctx.actor()?.scope(Permission::MemberRead)?;
        let today = crate::today();
        let this_month = Month::of(today);
        let year = q.year.map_or(chrono::Datelike::year(&today), |y| y.get());
        let (members, names) = self.dues_ledger_rows(&scope, q.org, this_month).await?;
        let mut rows: BTreeMap<i64, DuesBranchRow> = BTreeMap::new();
        for m in &members {
            let org_id = m.member.org_id;
            let row = rows.entry(org_id).or_insert_with(|| DuesBranchRow {
                org: OrgName { id: org_id, name: names.get(&org_id).cloned().unwrap_or_default() },
                members: 0,
                without_base: 0,
                due_fen: 0,
                paid_fen: 0,
                warned: 0,
                to_act: 0,
            });
            row.members += 1;
            let Some(schedule) = &m.schedule else {
                row.without_base += 1;
                continue;
            };
            for (mo, f) in schedule.iter().filter(|(mo, _)| mo.year == year) {
                row.due_fen += f.0;
                if m.paid.contains(mo) {
                    row.paid_fen += f.0;
                }
            }
            let (_, behind) = rules::arrears(schedule, &m.paid, this_month);
            if behind >= ACT_MONTHS {
                row.to_act += 1;
            } else if behind >= WARN_MONTHS {
                row.warned += 1;
            }
        }
        let rows: Vec<DuesBranchRow> = rows.into_values().collect();
        Ok(DuesSummary {
            year,
            due_fen: rows.iter().map(|r| r.due_fen).sum(),
            paid_fen: rows.iter().map(|r| r.paid_fen).sum(),
            warned: rows.iter().map(|r| r.warned).sum(),
            to_act: rows.iter().map(|r| r.to_act).sum(),
            rows,
        })
    }

    /// The collection ledger (党费收缴登记表) of a year as xlsx or PDF, for those who collect (member
    /// write over the members: the amounts follow from the salaries): each member in good standing
    /// with the category, the monthly dues, each month paid (✓), owed (欠) or not yet due, the year's due
    /// and paid, and the months behind. Audited.
    pub async fn dues_ledger(&self, ctx: &Ctx, q: DuesSummaryQuery, format: ReportFormat) -> AppResult<Export> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::MemberWrite)?;
        let today = crate::today();
        let this_month = Month::of(today);
        let year = q.year.map_or(chrono::Datelike::year(&today), |y| y.get());
        let (members, names) = self.dues_ledger_rows(&scope, q.org, this_month).await?;
        let yuan = |f: i64| Fen(f).yuan_string();
        let (mut due_total, mut paid_total, mut behind_members) = (0i64, 0i64, 0usize);
        let rows: Vec<Vec<String>> = members
            .iter()
            .map(|m| {
                let mut row = vec![
                    m.member.name.clone(),
                    names.get(&m.member.org_id).cloned().unwrap_or_default(),
                    m.category.map_or("未登记基数".to_string(), |c| c.label().to_string()),
                ];
                let Some(schedule) = &m.schedule else {
                    row.extend(std::iter::repeat_n(String::new(), 16));
                    return row;
                };
                let due_in = |mo: u32| schedule.iter().find(|(x, _)| x.year == year && x.month == mo).map(|(_, f)| *f);
                let monthly = (1..=12).rev().find_map(due_in);
                row.push(monthly.map_or(String::new(), |f| f.yuan_string()));
                let (mut due, mut paid) = (0i64, 0i64);
                for mo in 1..=12 {
                    let month = Month { year, month: mo };
                    row.push(match due_in(mo) {
                        Some(f) if m.paid.contains(&month) => {
                            due += f.0;
                            paid += f.0;
                            "✓".into()
                        }
                        Some(f) if month < this_month => {
                            due += f.0;
                            "欠".into()
                        }
                        Some(f) => {
                            due += f.0;
                            String::new()
                        }
                        None => "—".into(),
                    });
                }
                let (_, behind) = rules::arrears(schedule, &m.paid, this_month);
                due_total += due;
                paid_total += paid;
                if behind >= WARN_MONTHS {
                    behind_members += 1;
                }
                row.extend([yuan(due), yuan(paid), if behind > 0 { behind.to_string() } else { String::new() }]);
                row
            })
            .collect();
        let unit = match q.org {
            Some(id) => self.org_in(&self.db, &scope, id.get()).await?.name,
            None => actor.grants.iter().find_map(|g| g.org_name.clone()).unwrap_or_default(),
        };
        let mut columns = vec![
            Column::new("姓名", 8.0).fit("欧阳晓明"),
            Column::new("所在党支部", 22.0),
            Column::new("类别", 8.0),
            Column::new("月缴（元）", 8.0).fit("9,999.99"),
        ];
        columns.extend((1..=12).map(|m| Column::new(format!("{m}月"), 3.5).center()));
        columns.extend([
            Column::new("应缴（元）", 9.0).fit("99,999.99"),
            Column::new("已缴（元）", 9.0).fit("99,999.99"),
            Column::new("连续欠缴月数", 6.0).center(),
        ]);
        let report = Report {
            title: format!("{year}年度党费收缴登记表"),
            sheet: format!("{year}年党费"),
            unit,
            date: today.to_string(),
            intro: vec![format!(
                "党员 {} 名；本年应缴 {} 元（截至本月），已缴 {} 元；连续欠缴 3 个月及以上 {} 名。✓ 已缴，欠 到期未缴，— 不在缴纳期。导出人：{}",
                members.len(),
                yuan(due_total),
                yuan(paid_total),
                behind_members,
                actor.display_name
            )],
            columns,
            landscape: true,
        };
        let (file, written) = report_file(report, format, rows).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("dues.ledger", "dues", year.to_string()).with(
                serde_json::json!({"rows": written, "format": format.extension(), "org": q.org.map(|o| o.get())}),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(Export {
            filename: format!("{year}年度党费收缴登记表.{}", format.extension()), file, rows: written
        })
    }

    /// The signed-in member's own dues (the phone).
    pub async fn my_dues(&self, ctx: &Ctx, q: DuesQuery) -> AppResult<MemberDues> {
        let actor = ctx.actor()?;
        if actor.member_id.is_none() || !actor.has(Permission::MemberSelf) {
            return Err(AppError::forbidden());
        }
        let m = self.own_member(&self.db, ctx).await?;
        let year = q.year.map_or(chrono::Datelike::year(&crate::today()), |y| y.get());
        // Their own salary is theirs to see.
        self.member_dues(m, year, (false, false, true)).await
    }
}

/// Dues are kept for members in good standing, and nobody handles their own.
fn check_member(ctx: &Ctx, m: &Member) -> AppResult<()> {
    if m.status != "normal" {
        return Err(AppError::conflict("该党员不是正常状态，不登记党费"));
    }
    if ctx.actor()?.member_id == Some(m.id) {
        return Err(AppError::Forbidden("不能办理本人的党费".into()));
    }
    Ok(())
}
