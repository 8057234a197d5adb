//! Printed tables (ledgers, rosters, records) in the two formats people file: xlsx and PDF, from one description.
//!
//! Both are laid out for A4: a title, the unit (单位) and the date in the page header, the table's header row
//! repeated on every page, a 序号 column, and 第 N 页 共 M 页 at the foot. Rows are streamed into either writer one
//! at a time, so a 100,000-row ledger is never in memory.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, XlsxError};
use serde::Deserialize;

use crate::platform::pdf::{Column, TablePdf, TableSpec};
use crate::{AppError, AppResult};

/// The format of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ReportFormat {
    Xlsx,
    Pdf,
}

impl ReportFormat {
    pub fn extension(self) -> &'static str {
        match self {
            Self::Xlsx => "xlsx",
            Self::Pdf => "pdf",
        }
    }
}

/// A table to print: what is said around it and its columns (widths in Excel's character units, which the PDF
/// uses as proportions).
#[derive(Clone, Debug)]
pub struct Report {
    pub title: String,
    /// The worksheet's name (at most 31 characters).
    pub sheet: String,
    pub unit: String,
    pub date: String,
    /// Lines under the title on the first page: counts, filters, a confidentiality note.
    pub intro: Vec<String>,
    pub columns: Vec<Column>,
    pub landscape: bool,
}

fn xlsx_err(e: XlsxError) -> AppError {
    AppError::Internal(anyhow::anyhow!("生成 xlsx 失败：{e}"))
}

fn pdf_err(e: std::io::Error) -> AppError {
    AppError::Internal(anyhow::anyhow!("生成 PDF 失败：{e}"))
}

/// Excel's header and footer codes start with '&'; a literal one is doubled.
fn header_text(s: &str) -> String {
    s.replace('&', "&&")
}

/// Writes a report whose rows are already at hand into a temporary file, on a blocking thread, and
/// rewinds it for the download; returns the file and the rows written.
pub async fn report_file(
    report: Report,
    format: ReportFormat,
    rows: Vec<Vec<String>>,
) -> AppResult<(std::fs::File, usize)> {
    let temp = |e: std::io::Error| AppError::Internal(anyhow::anyhow!("无法创建导出临时文件：{e}"));
    tokio::task::spawn_blocking(move || -> AppResult<(std::fs::File, usize)> {
        use std::io::{Seek, SeekFrom};
        let mut file = tempfile::tempfile().map_err(temp)?;
        let written = write_report(&report, format, rows.into_iter().map(Ok), &file)?;
        file.seek(SeekFrom::Start(0)).map_err(temp)?;
        Ok((file, written))
    })
    .await
    .map_err(|e| AppError::Internal(anyhow::anyhow!("导出线程异常：{e}")))?
}

/// Writes the report into `out` as the rows arrive; returns the rows written.
pub fn write_report(
    report: &Report,
    format: ReportFormat,
    rows: impl Iterator<Item = AppResult<Vec<String>>>,
    out: &std::fs::File,
) -> AppResult<usize> {
    match format {
        ReportFormat::Xlsx => write_xlsx(report, rows, out),
        ReportFormat::Pdf => write_pdf(report, rows, out),
    }
}

fn write_pdf(
    report: &Report,
    rows: impl Iterator<Item = AppResult<Vec<String>>>,
    out: &std::fs::File,
) -> AppResult<usize> {
    let mut columns = vec![Column::new("序号", 5.0).fit("99999").center()];
    columns.extend(report.columns.iter().cloned());
    let wide: f32 = columns.iter().map(|c| c.width).sum();
    let spec = TableSpec {
        title: report.title.clone(),
        unit: report.unit.clone(),
        date: report.date.clone(),
        intro: report.intro.clone(),
        columns,
        landscape: report.landscape,
        // Smaller type for the widest ledgers, so that an ID number stays on one line.
        font_size: if wide > 200.0 { 7.0 } else { 8.5 },
    };
    let mut pdf = TablePdf::new(spec, std::io::BufWriter::with_capacity(256 * 1024, out)).map_err(pdf_err)?;
    let mut cells: Vec<String> = Vec::with_capacity(report.columns.len() + 1);
    let mut n = 0usize;
    for row in rows {
        let row = row?;
        n += 1;
        cells.clear();
        cells.push(n.to_string());
        cells.extend(row);
        pdf.row(&cells).map_err(pdf_err)?;
    }
    pdf.finish().map_err(pdf_err)?;
    Ok(n)
}

/// The sheet in constant-memory mode (rows go to a temporary file, strings inline), one row in memory at a time.
fn write_xlsx(
    report: &Report,
    rows: impl Iterator<Item = AppResult<Vec<String>>>,
    out: &std::fs::File,
) -> AppResult<usize> {
    let last = report.columns.len() as u16; // one more for 序号
    let mut wb = Workbook::new();
    // Excel's own level: about a third faster than the default 6 for a file about 5 % larger.
    wb.set_zip_compression_level(3);
    let ws = wb.add_worksheet_with_constant_memory().map_err(xlsx_err)?;
    ws.set_name(&report.sheet).map_err(xlsx_err)?;
    let title_f = Format::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let sub_f = Format::new().set_font_size(10).set_align(FormatAlign::Left).set_text_wrap();
    let head_f = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_background_color("#F2DCDB")
        .set_text_wrap();
    ws.set_column_width(0, 6).map_err(xlsx_err)?;
    for (c, col) in report.columns.iter().enumerate() {
        ws.set_column_width(c as u16 + 1, col.width).map_err(xlsx_err)?;
    }
    ws.merge_range(0, 0, 0, last, &report.title, &title_f).map_err(xlsx_err)?;
    ws.set_row_height(0, 30).map_err(xlsx_err)?;
    let mut subtitle = vec![format!("单位：{}", report.unit), format!("日期：{}", report.date)];
    subtitle.extend(report.intro.iter().cloned());
    ws.merge_range(1, 0, 1, last, &subtitle.join("    "), &sub_f).map_err(xlsx_err)?;
    ws.write_string_with_format(2, 0, "序号", &head_f).map_err(xlsx_err)?;
    for (c, col) in report.columns.iter().enumerate() {
        ws.write_string_with_format(2, c as u16 + 1, &col.header, &head_f).map_err(xlsx_err)?;
    }
    let mut n = 0usize;
    for row in rows {
        let row = row?;
        let r = n as u32 + 3;
        n += 1;
        // Data cells carry no format: looking a format up hashes all of it, for every cell (a tenth
        // of the export's time). The printed grid comes from the print gridlines below.
        ws.write_number(r, 0, n as f64).map_err(xlsx_err)?;
        for (c, v) in row.into_iter().enumerate() {
            ws.write_string(r, c as u16 + 1, v).map_err(xlsx_err)?;
        }
    }
    // Print-ready: A4, fitted to the page width, the header row repeated, unit and date at the top of every
    // page and the page number at the foot.
    ws.set_freeze_panes(3, 0).map_err(xlsx_err)?;
    if report.landscape {
        ws.set_landscape();
    } else {
        ws.set_portrait();
    }
    ws.set_print_gridlines(true);
    ws.set_paper_size(9); // A4
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.4, 0.4, 0.7, 0.7, 0.3, 0.3);
    ws.set_repeat_rows(2, 2).map_err(xlsx_err)?;
    let header: String = format!(
        "&L单位：{}&C{}&R日期：{}",
        header_text(&report.unit),
        header_text(&report.title),
        header_text(&report.date)
    )
    .chars()
    .take(250)
    .collect();
    ws.set_header(&header);
    ws.set_footer("&C第 &P 页 共 &N 页");
    wb.save_to_writer(out).map_err(xlsx_err)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Prints the PDF writer's rows/s and the process's peak RSS for a 100,000-row outflow-like ledger (run by
    /// hand: `cargo test -p honglian-app --release -- --ignored --nocapture pdf_writer_figures`; no assertion on
    /// time, see docs/performance.md).
    #[test]
    #[ignore]
    fn pdf_writer_figures() {
        let columns: Vec<Column> = [
            ("姓名", 10.0),
            ("性别", 5.0),
            ("身份证号", 20.0),
            ("联系电话", 13.0),
            ("所在党组织", 24.0),
            ("外出地", 18.0),
            ("详细地址", 24.0),
            ("工作单位", 20.0),
            ("外出日期", 11.0),
            ("接收党组织", 24.0),
        ]
        .into_iter()
        .map(|(h, w)| Column::new(h, w))
        .collect();
        let report = Report {
            title: "测试外出党员台账".into(),
            sheet: "台账".into(),
            unit: "吴川市".into(),
            date: "2026-12-06".into(),
            intro: vec!["共 100000 人".into()],
            columns,
            landscape: true,
        };
        let rows = (0..100_000).map(|i| {
            Ok(vec![
                format!("党员{i}"),
                "男".into(),
                format!("****************{:02}", i % 100),
                format!("*******{:04}", i % 10_000),
                format!("塘㙟镇第{}党支部", i % 700),
                "广东省 广州市 天河区".into(),
                format!("广州市天河区某街道{}号", i % 999),
                "广州市某装饰工程公司".into(),
                "2026-11-01".into(),
                "广州吴川商会党支部".into(),
            ])
        });
        let file = tempfile::tempfile().unwrap();
        let t = std::time::Instant::now();
        let n = write_report(&report, ReportFormat::Pdf, rows, &file).unwrap();
        let el = t.elapsed().as_secs_f64();
        let hwm = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| s.lines().find(|l| l.starts_with("VmHWM")).map(str::to_string))
            .unwrap_or_default();
        println!(
            "PDF: {n} rows in {el:.1} s = {:.0} rows/s, {} bytes, {hwm}",
            n as f64 / el,
            file.metadata().unwrap().len()
        );
    }
}
