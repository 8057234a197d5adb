//! An organisation's organisational-life record for a year (组织生活记录), as it is printed and filed: each meeting
//! held with its date, kind, topic, attendance (应到/实到/请假/缺席) and who was absent or on leave.

use honglian_domain::RecordId;
use honglian_domain::range::Year;
use serde::Deserialize;

use crate::members::export::Export;
use crate::platform::audit::Event;
use crate::platform::pdf::Column;
use crate::platform::report::{Report, ReportFormat, report_file};
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RecordQuery {
    /// The organisation (with its party groups and lower organisations).
    pub org: RecordId,
    /// Default: this year.
    pub year: Option<Year>,
}

/// A year's record is printed whole; a subtree with more activities than this is asked for organisation by
/// organisation.
const MAX_ACTIVITIES: u64 = 5000;

fn columns() -> Vec<Column> {
    vec![
        Column::new("日期", 11.0).fit("2026-12-31").center(),
        Column::new("类型", 10.0).fit("组织生活会").center(),
        Column::new("主题", 30.0),
        Column::new("党组织", 18.0),
        Column::new("主持人", 8.0).fit("欧阳明明"),
        Column::new("应到", 5.0).fit("应到").center(),
        Column::new("实到", 5.0).fit("实到").center(),
        Column::new("请假", 5.0).fit("请假").center(),
        Column::new("缺席", 5.0).fit("缺席").center(),
        Column::new("请假及缺席人员", 36.0).lines(12),
    ]
}

impl App {
    /// The record of `org` (and the organisations under it) for a year, oldest meeting first, as xlsx or PDF.
    /// Names are not personal fields that are masked; the export is audited like the others.
    pub async fn org_life_record(&self, ctx: &Ctx, q: RecordQuery, format: ReportFormat) -> AppResult<Export> {
        let year = q.year.map(Year::get).unwrap_or_else(|| chrono::Datelike::year(&crate::today()));
        let from = chrono::NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| AppError::field("year", "年度无效"))?;
        let to = chrono::NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| AppError::field("year", "年度无效"))?;
        let mut list_q = crate::org_life::activities::ActivityQuery {
            org: Some(q.org),
            from: Some(from),
            to: Some(to),
            status: Some("active".into()),
            per_page: Some(honglian_domain::PerPage::new(200).map_err(|e| AppError::field("per_page", e))?),
            ..Default::default()
        };
        // The list's own permission and scope (a community's members see its activities too).
        let first = self.activity_list(ctx, list_q.clone()).await?;
        if first.total > MAX_ACTIVITIES {
            return Err(AppError::field(
                "org",
                format!("该组织本年度有 {} 次活动，超过 {MAX_ACTIVITIES} 次，请选择下级组织分别打印", first.total),
            ));
        }
        let org = self.org_name_of(q.org.get()).await?;
        let mut activities = first.items;
        let mut page = 1;
        while (activities.len() as u64) < first.total {
            page += 1;
            list_q.page = Some(honglian_domain::PageNo::new(page).map_err(|e| AppError::field("page", e))?);
            let more = self.activity_list(ctx, list_q.clone()).await?.items;
            if more.is_empty() {
                break;
            }
            activities.extend(more);
        }
        activities.sort_by_key(|a| (a.start_at, a.id));
        let mut rows = Vec::with_capacity(activities.len());
        let (mut expected, mut present) = (0i64, 0i64);
        let ids: Vec<i64> = activities.iter().map(|a| a.id).collect();
        let mut not_present: std::collections::HashMap<i64, Vec<_>> = std::collections::HashMap::new();
        for x in honglian_store::repo::org_life::activities::not_present_at(&self.db, &ids).await? {
            not_present.entry(x.activity_id).or_default().push(x);
        }
        for a in &activities {
            let names = |status: &str| {
                not_present
                    .get(&a.id)
                    .into_iter()
                    .flatten()
                    .filter(|x| x.status == status)
                    .map(|x| match x.reason.as_deref().filter(|r| !r.trim().is_empty()) {
                        Some(r) => format!("{}（{}）", x.name, r.trim()),
                        None => x.name.clone(),
                    })
                    .collect::<Vec<_>>()
            };
            let (leave, absent) = (names("leave"), names("absent"));
            let mut who = Vec::new();
            if !absent.is_empty() {
                who.push(format!("缺席：{}", absent.join("、")));
            }
            if !leave.is_empty() {
                who.push(format!("请假：{}", leave.join("、")));
            }
            expected += a.expected;
            present += a.present;
            let day = (a.start_at + chrono::Duration::hours(8)).date_naive();
            rows.push(vec![
                day.to_string(),
                a.kind_label.clone(),
                a.topic.clone(),
                a.orgs.iter().map(|o| o.name.as_str()).collect::<Vec<_>>().join("、"),
                a.host.clone().unwrap_or_default(),
                a.expected.to_string(),
                a.present.to_string(),
                a.on_leave.to_string(),
                a.absent.to_string(),
                who.join("；"),
            ]);
        }
        let actor = ctx.actor()?;
        let today = crate::today();
        let rate =
            if expected > 0 { format!("{:.1}%", present as f64 * 100.0 / expected as f64) } else { "—".into() };
        let report = Report {
            title: format!("{org}{year}年组织生活记录"),
            sheet: format!("{year}年组织生活记录"),
            unit: org.clone(),
            date: today.to_string(),
            intro: vec![format!(
                "导出人：{}    {year} 年共 {} 次活动，应到 {expected} 人次，实到 {present} 人次，参加率 {rate}",
                actor.display_name,
                activities.len()
            )],
            columns: columns(),
            landscape: true,
        };
        let n = rows.len();
        let (file, written) = report_file(report, format, rows).await?;
        debug_assert_eq!(n, written);
        let txn = honglian_store::begin_write(&self.db).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("org_life.record_export", "org", q.org.get().to_string()).with(serde_json::json!({
                "year": year, "rows": written, "format": format.extension(),
            })),
        )
        .await?;
        txn.commit().await?;
        Ok(Export {
            filename: format!("{org}{year}年组织生活记录-{today}.{}", format.extension()),
            file,
            rows: written,
        })
    }

    /// The organisation's name, once the list has shown the caller may see it.
    async fn org_name_of(&self, id: i64) -> AppResult<String> {
        honglian_store::repo::organisations::orgs::names(&self.db, &[id])
            .await?
            .remove(&id)
            .ok_or_else(|| AppError::not_found("党组织"))
    }
}
