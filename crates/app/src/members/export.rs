//! Ledger exports as xlsx and PDF, laid out as a worker would print and file them: a title, the unit, date and
//! filter, Chinese headers, sensible widths, A4 landscape fitted to the page width with the header repeated on
//! every page and page numbers (see [`crate::platform::report`]).

use std::io::{Seek, SeekFrom};

use futures_util::StreamExt;
use honglian_domain::platform::authz::Permission;
use honglian_store::repo::members::mobility::{self, Ledger, LedgerFilter, LedgerRow};

use crate::members::mobility::{LedgerItem, LedgerQuery};
use crate::platform::audit::Event;
use crate::platform::pdf;
use crate::platform::report::{Report, ReportFormat, write_report};
use crate::{App, AppError, AppResult, Ctx};

/// A finished export: the workbook in an anonymous temporary file (gone once closed), read from the start.
pub struct Export {
    pub filename: String,
    pub file: std::fs::File,
    pub rows: usize,
}

/// Rows handed from the database to the table writer at a time.
const BATCH: usize = 1000;

pub fn ledger_title(l: Ledger) -> &'static str {
    match l {
        Ledger::Outflow => "外出党员台账",
        Ledger::Return => "回归党员台账",
        Ledger::Inflow => "流入党员台账",
    }
}

type Column = (&'static str, f64, fn(&LedgerItem) -> String);

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(|x| x.to_string()).unwrap_or_default()
}

fn gender(i: &LedgerItem) -> String {
    match i.gender.as_deref() {
        Some("male") => "男".into(),
        Some("female") => "女".into(),
        _ => String::new(),
    }
}

fn columns(l: Ledger) -> Vec<Column> {
    match l {
        Ledger::Outflow => vec![
            ("姓名", 10.0, |i| i.record.name.clone()),
            ("性别", 5.0, gender),
            ("出生年份", 9.0, |i| opt(&i.birth_year)),
            ("身份证号", 20.0, |i| opt(&i.id_number)),
            ("联系电话", 13.0, |i| opt(&i.phone)),
            ("所在党组织", 24.0, |i| opt(&i.member_org_name)),
            ("外出地", 18.0, |i| i.record.place.clone()),
            ("详细地址", 24.0, |i| opt(&i.record.address)),
            ("工作单位", 20.0, |i| opt(&i.record.employer)),
            ("职业", 10.0, |i| opt(&i.record.occupation)),
            ("外出原因", 9.0, |i| i.record.reason_label.clone()),
            ("外出日期", 11.0, |i| i.record.start_date.to_string()),
            ("预计返回", 11.0, |i| opt(&i.record.expected_return)),
            ("接收党组织", 24.0, |i| {
                i.record.receiving_org_name.clone().or(i.record.external_org_name.clone()).unwrap_or_default()
            }),
            ("活动证号", 14.0, |i| opt(&i.record.mobile_card_no)),
            ("联系人", 8.0, |i| opt(&i.record.contact_person)),
            ("最近联系", 11.0, |i| opt(&i.last_contact_on)),
            ("未联系天数", 9.0, |i| opt(&i.days_since_contact)),
        ],
        Ledger::Return => vec![
            ("姓名", 10.0, |i| i.record.name.clone()),
            ("性别", 5.0, gender),
            ("身份证号", 20.0, |i| opt(&i.id_number)),
            ("联系电话", 13.0, |i| opt(&i.phone)),
            ("所在党组织", 24.0, |i| opt(&i.member_org_name)),
            ("外出地", 18.0, |i| i.record.place.clone()),
            ("外出日期", 11.0, |i| i.record.start_date.to_string()),
            ("回归日期", 11.0, |i| opt(&i.record.ended_on)),
            ("现居住地", 18.0, |i| opt(&i.record.end_place)),
            ("组织关系", 10.0, |i| match i.record.relationship_stays {
                Some(true) => "保留".into(),
                Some(false) => "转接".into(),
                None => String::new(),
            }),
            ("备注", 24.0, |i| opt(&i.record.end_note)),
        ],
        Ledger::Inflow => vec![
            ("姓名", 10.0, |i| i.record.name.clone()),
            ("身份证号", 20.0, |i| opt(&i.id_number)),
            ("联系电话", 13.0, |i| opt(&i.phone)),
            ("来自", 18.0, |i| i.record.place.clone()),
            ("原所在党组织", 24.0, |i| opt(&i.record.external_org_name)),
            ("原组织联系方式", 16.0, |i| opt(&i.record.external_org_contact)),
            ("参加活动党组织", 24.0, |i| opt(&i.record.receiving_org_name)),
            ("工作单位", 20.0, |i| opt(&i.record.employer)),
            ("职业", 10.0, |i| opt(&i.record.occupation)),
            ("流入日期", 11.0, |i| i.record.start_date.to_string()),
            ("活动证号", 14.0, |i| opt(&i.record.mobile_card_no)),
        ],
    }
}

/// The ledger as a printed table: its columns as the report's.
fn report_columns(l: Ledger) -> Vec<pdf::Column> {
    columns(l)
        .into_iter()
        .map(|(name, width, _)| {
            let c = pdf::Column::new(name, width as f32);
            // Numbers and dates are read whole: they never wrap.
            let c = match name {
                "身份证号" => c.fit("440883199001011234"),
                "联系电话" => c.fit("13800138000"),
                "姓名" => c.fit("欧阳明明"),
                "联系人" => c.fit("张秀兰"),
                "活动证号" => c.fit("WC0000000"),
                "性别" => c.fit("性别"),
                "出生年份" => c.fit("出生年份"),
                n if n.ends_with("日期") || n == "预计返回" || n == "最近联系" => c.fit("2026-12-31"),
                _ => c,
            };
            if width <= 11.0 { c.center() } else { c }
        })
        .collect()
}

fn ledger_cells(l: Ledger) -> impl Fn(&LedgerItem) -> Vec<String> {
    let getters: Vec<_> = columns(l).into_iter().map(|(_, _, get)| get).collect();
    move |item| getters.iter().map(|get| get(item)).collect()
}

/// The scope in which an export may show personal fields in clear: none without a reason; refused without the
/// unmask permission or with a reason shorter than 2 characters.
pub(crate) fn unmask_scope(
    actor: &crate::platform::actor::Actor,
    reason: Option<&str>,
) -> AppResult<Option<honglian_store::Scope>> {
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if r.chars().count() < 2 => Err(AppError::field("reason", "请填写导出明文的原因（至少 2 个字）")),
        Some(_) => Ok(Some(
            actor.scope(Permission::MemberUnmask).map_err(|_| AppError::Forbidden("没有导出明文的权限".into()))?,
        )),
        None => Ok(None),
    }
}

impl App {
    /// Exports a ledger with the list's filters. Personal fields are masked unless
    /// the exporter may unmask and gives a reason; every export is audited with its filter.
    pub async fn ledger_export(
        &self,
        ctx: &Ctx,
        ledger: Ledger,
        q: LedgerQuery,
        unmask_reason: Option<String>,
        format: ReportFormat,
    ) -> AppResult<Export> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::MemberRead)?;
        let unmask = unmask_scope(actor, unmask_reason.as_deref())?;
        let org_name = match q.org.map(honglian_domain::RecordId::get) {
            Some(id) => Some(self.org_in(&self.db, &scope, id).await?),
            None => None,
        };
        let subtree = org_name.as_ref().map(|o| o.path.clone());
        let f = LedgerFilter {
            subtree,
            province_code: q.province.clone().filter(|s| !s.is_empty()),
            city_code: q.city.clone().filter(|s| !s.is_empty()),
            reason: q.reason.clone().filter(|s| !s.is_empty()),
            from: q.from,
            to: q.to,
            name: q.q.clone().filter(|s| !s.is_empty()),
        };
        // The count and the rows from one snapshot, so that the heading's count is the rows' count.
        // The rows may come from the read replica; the scope, the organisation and the labels from the primary.
        let snapshot = honglian_store::begin_snapshot(&self.reader(ctx).await).await?;
        let total = mobility::ledger_count(&snapshot, ledger, &scope, &f).await?;
        let unit = match &org_name {
            Some(o) => o.name.clone(),
            None => actor.grants.iter().find_map(|g| g.org_name.clone()).unwrap_or_default(),
        };
        let today = crate::today();
        let mut filter_desc = Vec::new();
        if let Some(c) = f.city_code.as_deref().or(f.province_code.as_deref()).and_then(honglian_domain::region::name) {
            filter_desc.push(format!("地区：{c}"));
        }
        if let Some(r) = f.reason.as_deref().and_then(honglian_domain::members::mobility::OutflowReason::from_code) {
            filter_desc.push(format!("原因：{}", r.label()));
        }
        if f.from.is_some() || f.to.is_some() {
            filter_desc.push(format!("日期：{} 至 {}", opt(&f.from), opt(&f.to)));
        }
        let intro = format!(
            "导出人：{}    共 {} 人{}{}",
            actor.display_name,
            total,
            if filter_desc.is_empty() { String::new() } else { format!("    筛选：{}", filter_desc.join("，")) },
            if unmask.is_some() { "    （含敏感信息，注意保密）" } else { "" }
        );
        let report = Report {
            title: format!("{unit}{}", ledger_title(ledger)),
            sheet: ledger_title(ledger).into(),
            unit,
            date: today.to_string(),
            intro: vec![intro],
            columns: report_columns(ledger),
            landscape: true,
        };
        let stream = mobility::ledger_stream(&snapshot, ledger, &scope, &f).await?;
        let (to_cells, unmask_rows) = (ledger_cells(ledger), unmask.clone());
        let hidden = self.labelled_beyond(&self.db, ctx).await?;
        let cells = move |app: &App, row: LedgerRow| {
            // A member labelled above the exporter's clearance stays masked (platform::labels).
            let clear = unmask_rows.as_ref().filter(|_| row.record.member_id.is_none_or(|id| !hidden.contains(&id)));
            app.ledger_item(row, clear, today).map(|item| to_cells(&item))
        };
        let (file, rows) = self.write_streamed(stream, cells, report, format).await?;
        snapshot.commit().await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("ledger.export", "ledger", ledger_title(ledger)).with(serde_json::json!({
                "ledger": format!("{ledger:?}").to_lowercase(),
                "filter": {"org": q.org.map(honglian_domain::RecordId::get), "province": f.province_code, "city": f.city_code, "reason": f.reason, "from": f.from, "to": f.to, "q": f.name},
                "rows": rows,
                "format": format.extension(),
                "unmasked": unmask.is_some(),
                "reason": unmask_reason,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(Export { filename: format!("{}-{today}.{}", ledger_title(ledger), format.extension()), file, rows })
    }

    /// Streams rows from a snapshot to the xlsx or PDF writer on a blocking thread (which decrypts, masks and
    /// formats them with `cells`), in batches, so that reading and writing overlap and neither the rows nor the
    /// document are ever all in memory.
    pub(crate) async fn write_streamed<T: Send + 'static, E>(
        &self,
        rows: impl futures_util::Stream<Item = Result<T, E>>,
        cells: impl Fn(&App, T) -> AppResult<Vec<String>> + Send + 'static,
        report: Report,
        format: ReportFormat,
    ) -> AppResult<(std::fs::File, usize)>
    where
        AppError: From<E>,
    {
        let temp = |e: std::io::Error| AppError::Internal(anyhow::anyhow!("无法创建导出临时文件：{e}"));
        let mut file = tempfile::tempfile().map_err(temp)?;
        let out = file.try_clone().map_err(temp)?;
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<T>>(4);
        let app = self.clone();
        let writer = tokio::task::spawn_blocking(move || {
            let rows = std::iter::from_fn(|| rx.blocking_recv()).flatten().map(|row| cells(&app, row));
            write_report(&report, format, rows, &out)
        });
        let mut rows = Box::pin(rows);
        let mut batch = Vec::with_capacity(BATCH);
        let mut failed = None;
        while let Some(row) = rows.next().await {
            match row {
                Ok(row) => batch.push(row),
                Err(e) => {
                    failed = Some(AppError::from(e));
                    break;
                }
            }
            // A send fails only when the writer stopped early; its error is the one to report.
            if batch.len() == BATCH && tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH))).await.is_err()
            {
                break;
            }
        }
        if failed.is_none() && !batch.is_empty() {
            let _ = tx.send(batch).await;
        }
        drop(tx);
        drop(rows);
        let n = writer.await.map_err(|e| AppError::Internal(anyhow::anyhow!("导出线程异常：{e}")))??;
        if let Some(e) = failed {
            return Err(e);
        }
        file.seek(SeekFrom::Start(0)).map_err(temp)?;
        Ok((file, n))
    }
}

/// The roster's columns (党员名册, as the county's form has them).
fn roster_columns() -> Vec<pdf::Column> {
    use pdf::Column as C;
    vec![
        C::new("姓名", 10.0).fit("欧阳明明"),
        C::new("性别", 5.0).fit("性别").center(),
        C::new("民族", 6.0).fit("民族").center(),
        C::new("出生年月", 9.0).fit("1990.01").center(),
        C::new("公民身份号码", 20.0).fit("440883199001011234"),
        C::new("学历", 9.0).center(),
        C::new("入党时间", 11.0).fit("2026-12-31").center(),
        C::new("转正时间", 11.0).fit("2026-12-31").center(),
        C::new("党员类别", 9.0).fit("预备党员").center(),
        C::new("所在党支部", 24.0),
        C::new("工作单位及职务", 24.0),
        C::new("联系电话", 13.0).fit("13800138000"),
        C::new("备注", 12.0),
    ]
}

impl App {
    /// The member roster (党员名册) with the list's filters, as xlsx or PDF. Personal fields are masked (the birth
    /// year only, as the list shows it) unless the exporter gives a reason, and then only for members whose
    /// organisation the exporter may unmask; audited with the filter.
    pub async fn member_roster(
        &self,
        ctx: &Ctx,
        q: crate::members::registry::MemberQuery,
        unmask_reason: Option<String>,
        format: ReportFormat,
    ) -> AppResult<Export> {
        use honglian_domain::members::member::{Education, Gender, MemberCategory, MemberStatus};
        use honglian_store::repo::members::registry as members;
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::MemberRead)?;
        let unmask = unmask_scope(actor, unmask_reason.as_deref())?;
        let f = self.member_filter(actor, &scope, &q).await?;
        let unit = match q.org.map(honglian_domain::RecordId::get) {
            Some(id) => self.org_in(&self.db, &scope, id).await?.name,
            None => actor.grants.iter().find_map(|g| g.org_name.clone()).unwrap_or_default(),
        };
        let today = crate::today();
        // The rows may come from the read replica; the scope, the organisation and the labels from the primary.
        let snapshot = honglian_store::begin_snapshot(&self.reader(ctx).await).await?;
        let total = members::count(&snapshot, &scope, &f).await?;
        let mut filter_desc = Vec::new();
        if let Some(c) = f.category.as_deref().and_then(MemberCategory::from_code) {
            filter_desc.push(format!("类别：{}", c.label()));
        }
        if let Some(s) = f.status.as_deref().and_then(MemberStatus::from_code) {
            filter_desc.push(format!("状态：{}", s.label()));
        }
        if let Some(t) = &f.tag {
            filter_desc.push(format!("标签：{t}"));
        }
        if let Some(m) = &f.mobility {
            filter_desc.push(if m == "outflow" { "外出中".into() } else { "未外出".into() });
        }
        if let Some(n) = &f.name {
            filter_desc.push(format!("姓名含：{n}"));
        }
        let intro = format!(
            "导出人：{}    共 {} 人{}{}",
            actor.display_name,
            total,
            if filter_desc.is_empty() { String::new() } else { format!("    筛选：{}", filter_desc.join("，")) },
            if unmask.is_some() { "    （含敏感信息，注意保密）" } else { "" }
        );
        let report = Report {
            title: format!("{unit}党员名册"),
            sheet: "党员名册".into(),
            unit,
            date: today.to_string(),
            intro: vec![intro],
            columns: roster_columns(),
            landscape: true,
        };
        let unmask_rows = unmask.clone();
        let hidden = self.labelled_beyond(&self.db, ctx).await?;
        let cells = move |app: &App, (m, org_name): (members::Member, String)| -> AppResult<Vec<String>> {
            // A member labelled above the exporter's clearance stays masked (platform::labels).
            let clear = unmask_rows.as_ref().is_some_and(|s| s.contains(&m.org_path)) && !hidden.contains(&m.id);
            let p = app.open_personal(&m)?;
            // After an erasure the birth date keeps its year only, and the fields read "已删除".
            let birth = if clear && !p.erased {
                m.birth_date.format("%Y.%m").to_string()
            } else {
                chrono::Datelike::year(&m.birth_date).to_string()
            };
            let (id_number, phone) = (p.id_shown(clear), p.phone_shown(clear));
            let work = match (m.employer.as_deref(), m.occupation.as_deref()) {
                (Some(e), Some(o)) => format!("{e} {o}"),
                (Some(e), None) => e.to_string(),
                (None, Some(o)) => o.to_string(),
                (None, None) => String::new(),
            };
            let mut note = Vec::new();
            if m.status != "normal" {
                note.push(MemberStatus::from_code(&m.status).map(|s| s.label()).unwrap_or_default().to_string());
            }
            if m.outflow_open != 0 {
                note.push("外出中".to_string());
            }
            Ok(vec![
                m.name,
                Gender::from_code(&m.gender).map(|g| g.label()).unwrap_or_default().into(),
                m.ethnicity.unwrap_or_default(),
                birth,
                id_number,
                m.education.as_deref().and_then(Education::from_code).map(|e| e.label()).unwrap_or_default().into(),
                m.joined_on.to_string(),
                opt(&m.full_on),
                MemberCategory::from_code(&m.category).map(|c| c.label()).unwrap_or_default().into(),
                org_name,
                work,
                phone.unwrap_or_default(),
                note.join("，"),
            ])
        };
        let stream = members::stream(&snapshot, &scope, &f).await?;
        let (file, rows) = self.write_streamed(stream, cells, report, format).await?;
        snapshot.commit().await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("member.export", "member", "党员名册").with(serde_json::json!({
                "filter": {"org": q.org.map(honglian_domain::RecordId::get), "status": f.status, "category": f.category, "tag": f.tag, "mobility": f.mobility, "q": f.name},
                "rows": rows,
                "format": format.extension(),
                "unmasked": unmask.is_some(),
                "reason": unmask_reason,
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(Export { filename: format!("党员名册-{today}.{}", format.extension()), file, rows })
    }
}
