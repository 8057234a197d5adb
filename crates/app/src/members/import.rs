//! Importing members from xlsx or csv: a dry run that reports every row's
//! problems in Chinese, and a real run that writes every row in one
//! transaction or nothing. Re-importing the same file changes nothing:
//! members already registered are skipped. Hostile files are refused before
//! they are parsed (size, entry count, real decompressed size).

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use chrono::Datelike;
use honglian_domain::IdNumber;
use honglian_domain::mask::mask_id_number;
use honglian_domain::members::import::{
    column_index, column_letter, education_code, is_month_only, is_total_or_footer, normalize_text, parse_roster_date,
    upgrade_15_digit,
};
use honglian_domain::members::member::MemberCategory;
use honglian_domain::organisations::committee::{Candidate, CommitteePost};
use honglian_domain::organisations::org::OrgKind;
use honglian_domain::platform::authz::Permission;
use honglian_store::Scope;
use honglian_store::repo::members::registry::{self as members, MemberRow};
use honglian_store::repo::org_life::activities;
use honglian_store::repo::organisations::orgs;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::members::registry::MemberInput;
use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// Limits on what an upload may be.
pub const MAX_FILE_BYTES: usize = 20 * 1024 * 1024;
const MAX_UNZIPPED_BYTES: u64 = 300 * 1024 * 1024;
const MAX_ZIP_ENTRIES: usize = 200;
pub const MAX_ROWS: usize = 200_000;
const MAX_COLUMNS: usize = 60;

/// One problem of one row. `row` is the spreadsheet's row number (the header is row 1).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RowError {
    pub row: usize,
    /// The API field name (`id_number`, `joined_on`, …) or `file`.
    pub field: String,
    /// The column as written in the file.
    pub column: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    /// Data rows in the file.
    pub rows: usize,
    /// Rows that are (or, in a dry run, would be) written.
    pub valid: usize,
    /// Rows skipped because the member is already registered.
    pub skipped: usize,
    /// Rows written by this run (0 in a dry run or when any row has an error).
    pub written: usize,
    /// Of the valid rows, the mobile members whose open outflow is (or would be) registered too.
    pub outflows: usize,
    pub dry_run: bool,
    /// The worksheet read (xlsx): the first one with a roster's header row.
    pub sheet: Option<String>,
    /// The row (as Excel numbers it) taken as the header; rows above it (titles, unit and date) are
    /// not data.
    pub header_row: usize,
    /// Columns of the header that are not imported (a warning, not an error).
    pub ignored_columns: Vec<String>,
    pub errors: Vec<RowError>,
    pub warnings: Vec<RowError>,
    /// Organisations whose committee was registered from the roster's 党内职务 (real runs).
    pub committees: usize,
    /// Set when a required column could not be found (by its header, or by the mapping given): the
    /// sheet's first rows, so that the user can say which column is which. Nothing is imported.
    pub preview: Option<SheetPreview>,
}

/// The first rows of a sheet whose required columns could not all be found, and where each field
/// the import takes was found (or not).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SheetPreview {
    /// The worksheet read (xlsx).
    pub sheet: Option<String>,
    /// The suggested header row (as Excel numbers it): the one given, else the row most like a header.
    pub header_row: Option<usize>,
    /// The sheet's first rows with content. ID numbers and phone numbers are masked.
    pub rows: Vec<PreviewRow>,
    /// Every field the import takes, with the column it was found in (if any).
    pub columns: Vec<PreviewColumn>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewRow {
    /// The row number Excel shows.
    pub row: usize,
    /// Cells from column A on.
    pub cells: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PreviewColumn {
    /// The field (`name`, `id_number` …), as a mapping names it.
    pub field: String,
    /// Its Chinese name.
    pub label: String,
    pub required: bool,
    /// The column (`A`, `B` …) where it was found; absent when not found.
    pub column: Option<String>,
}

/// Which column holds which field, as the user says where the headers are not recognised. Fields not
/// named are still found by their headers in the header row.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ColumnMapping {
    /// The header row as Excel numbers it (1–100); rows above it are not data.
    pub header_row: usize,
    /// Field (`name`, `id_number`, `joined_on`, `org` …) → column letter (`A`, `B` …) or its number.
    pub columns: BTreeMap<String, String>,
}

/// A mapping checked against the fields the import knows.
#[derive(Debug, Clone)]
struct ResolvedMapping {
    header_row: usize,
    col: HashMap<&'static str, usize>,
}

/// The highest header row a mapping may name.
pub const MAX_HEADER_ROW: usize = 100;

/// A field of the import, as the mapping step lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportField {
    pub field: String,
    pub label: String,
    pub required: bool,
}

/// The fields the import takes (a mapping may name these), in the template's order.
pub fn import_fields() -> Vec<ImportField> {
    COLUMNS
        .iter()
        .filter(|c| !c.0.starts_with('_'))
        .map(|c| ImportField { field: c.0.to_string(), label: c.1[0].to_string(), required: c.2 })
        .collect()
}

impl ColumnMapping {
    /// The mapping checked, with each column as its Excel letter.
    pub fn canonical(&self) -> AppResult<BTreeMap<String, String>> {
        let r = self.resolve()?;
        Ok(r.col.iter().map(|(f, i)| (f.to_string(), column_letter(*i))).collect())
    }

    /// Checks the mapping: known fields, readable columns within the sheet's limit, no column twice.
    fn resolve(&self) -> AppResult<ResolvedMapping> {
        let mut e = honglian_domain::FieldErrors::new();
        if self.header_row == 0 || self.header_row > MAX_HEADER_ROW {
            e.add("header_row", format!("表头行须在 1 到 {MAX_HEADER_ROW} 之间"));
        }
        let mut col: HashMap<&'static str, usize> = HashMap::new();
        let mut used: BTreeMap<usize, &'static str> = BTreeMap::new();
        for (field, letter) in &self.columns {
            let Some(known) = COLUMNS.iter().find(|c| c.0 == field && !c.0.starts_with('_')) else {
                e.add("columns", format!("未知的字段“{field}”"));
                continue;
            };
            if normalize_text(letter).is_empty() {
                continue;
            }
            let label = known.1[0];
            match column_index(letter) {
                Some(i) if i < MAX_COLUMNS => {
                    if let Some(other) = used.get(&i) {
                        e.add(
                            "columns",
                            format!("“{}”和“{label}”不能是同一列（{} 列）", column_label(other), column_letter(i)),
                        );
                    } else {
                        used.insert(i, known.0);
                        col.insert(known.0, i);
                    }
                }
                Some(_) => e.add("columns", format!("“{label}”的列“{letter}”超出范围（最多 {MAX_COLUMNS} 列）")),
                None => e.add("columns", format!("“{label}”的列“{letter}”无效，请填写列字母，如 B")),
            }
        }
        e.into_result()?;
        Ok(ResolvedMapping { header_row: self.header_row, col })
    }
}

/// The columns the template has, with the names real rosters (党员花名册) use for them.
const COLUMNS: &[(&str, &[&str], bool)] = &[
    ("name", &["姓名", "党员姓名"], true),
    ("gender", &["性别"], false),
    ("ethnicity", &["民族"], false),
    ("id_number", &["身份证号", "公民身份号码", "身份证号码", "公民身份证号码", "身份证"], true),
    ("birth_date", &["出生日期", "出生年月", "出生年月日"], false),
    ("phone", &["手机号", "联系电话", "手机号码", "电话", "联系方式"], false),
    ("address", &["住址", "家庭住址", "现住址", "家庭地址"], false),
    ("education", &["学历", "文化程度", "学历学位"], false),
    ("occupation", &["职业", "职务"], false),
    ("employer", &["工作单位", "工作单位及职务", "单位", "工作单位及职业"], false),
    ("joined_on", &["入党日期", "入党时间", "加入党组织日期"], true),
    ("category", &["党员类别", "人员类别", "党籍状态", "类别"], false),
    ("full_on", &["转正日期", "转正时间"], false),
    ("org", &["所在党组织", "所在党支部", "党组织", "所属党组织", "所属党支部", "党支部"], true),
    ("tags", &["标签"], false),
    // A roster's mobile members: the open outflow is registered with them (typed once).
    ("mobile", &["是否流动党员", "是否流动", "流动党员"], false),
    ("destination", &["外出地点", "外出地址", "流向", "外出去向", "外出流向", "流出地"], false),
    ("left_on", &["外出时间", "外出日期"], false),
    // 书记, 组织委员 …: the committee is registered with the roster where the organisation has none.
    ("party_post", &["党内职务", "支部职务", "党内任职"], false),
    // Known, not imported: the row number and the remarks are the clerk's.
    ("_seq", &["序号", "编号"], false),
    ("_remarks", &["备注"], false),
];

/// Rows at the top of a sheet searched for the header (titles, 填报单位 and 填报日期 come first).
const HEADER_SEARCH_ROWS: usize = 20;

fn column_label(field: &str) -> &'static str {
    if field == "file" {
        return "";
    }
    COLUMNS.iter().find(|c| c.0 == field).map(|c| c.1[0]).unwrap_or("")
}

fn file_error(message: impl Into<String>) -> AppError {
    AppError::Validation(honglian_domain::FieldErrors::single("file", message))
}

fn check_zip(bytes: &[u8]) -> AppResult<()> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| file_error("文件不是有效的 xlsx（无法按 Excel 文件打开），请用 Excel 另存为 .xlsx 后重试"))?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return Err(file_error(format!("文件内部条目过多（{} 个），不像正常的 Excel 文件", zip.len())));
    }
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index_raw(i).map_err(|_| file_error("xlsx 文件已损坏"))?;
        declared = declared.saturating_add(f.size());
    }
    if declared > MAX_UNZIPPED_BYTES {
        return Err(file_error(format!(
            "文件解压后过大（约 {} MB，上限 {} MB）",
            declared / 1024 / 1024,
            MAX_UNZIPPED_BYTES / 1024 / 1024
        )));
    }
    // Headers can lie: measure what actually comes out, stopping at the limit.
    let mut actual: u64 = 0;
    for i in 0..zip.len() {
        let f = zip.by_index(i).map_err(|_| file_error("xlsx 文件已损坏"))?;
        let budget = MAX_UNZIPPED_BYTES.saturating_sub(actual) + 1;
        let n = std::io::copy(&mut f.take(budget), &mut std::io::sink()).map_err(|_| file_error("xlsx 文件已损坏"))?;
        actual += n;
        if actual > MAX_UNZIPPED_BYTES {
            return Err(file_error(format!(
                "文件解压后超过 {} MB，已拒绝（疑似压缩炸弹）",
                MAX_UNZIPPED_BYTES / 1024 / 1024
            )));
        }
    }
    Ok(())
}

fn cell_text(d: calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match d {
        DataRef::Empty => String::new(),
        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s,
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        // An 18-digit ID number typed into a number cell: Excel kept 15 significant digits.
        DataRef::Float(f) if f.abs() >= 1e15 => format!("{f:E}").replace('E', "E+"),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if b { "是" } else { "否" }.to_string(),
        DataRef::DateTime(dt) => dt.as_f64().to_string(),
        DataRef::Error(_) => "#错误".into(),
    }
}

/// Called with each row of the first sheet in order, header included: the spreadsheet row number
/// (1-based), the cells' texts, and how many rows the file says it has (for progress).
type RowVisitor<'a> = dyn FnMut(usize, Vec<String>, usize) -> AppResult<()> + 'a;

fn too_many_rows() -> AppError {
    file_error(format!("行数过多，一次最多导入 {MAX_ROWS} 行"))
}

/// The first rows with content of a sheet (at most `n`), for finding its header.
fn first_rows<R: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Xlsx<R>,
    sheet: &str,
    n: usize,
) -> Result<Vec<Vec<String>>, calamine::XlsxError> {
    let mut cells = wb.worksheet_cells_reader(sheet)?;
    let mut rows: Vec<(u32, Vec<String>)> = Vec::new();
    while let Some(cell) = cells.next_cell()? {
        let (r, c) = cell.get_position();
        let text = cell_text(cell.get_value().clone());
        if text.is_empty() || c as usize >= MAX_COLUMNS {
            continue;
        }
        if rows.last().is_none_or(|(last, _)| *last != r) {
            if rows.len() == n {
                break;
            }
            rows.push((r, Vec::new()));
        }
        let v = &mut rows.last_mut().expect("pushed").1;
        if v.len() <= c as usize {
            v.resize(c as usize + 1, String::new());
        }
        v[c as usize] = text;
    }
    Ok(rows.into_iter().map(|(_, v)| v).collect())
}

/// The roster's sheet: the first whose top rows hold a header, else the first.
fn roster_sheet<R: std::io::Read + std::io::Seek>(wb: &mut calamine::Xlsx<R>) -> AppResult<String> {
    use calamine::Reader;
    let names = wb.sheet_names().to_vec();
    let first = names.first().cloned().ok_or_else(|| file_error("文件中没有工作表"))?;
    for name in &names {
        let rows =
            first_rows(wb, name, HEADER_SEARCH_ROWS).map_err(|e| file_error(format!("无法读取工作表“{name}”：{e}")))?;
        if rows.iter().any(|r| header_match(r).missing.is_empty()) {
            return Ok(name.clone());
        }
    }
    Ok(first)
}

/// The name of the sheet an xlsx upload is read from (none for csv).
fn sheet_name(bytes: &[u8]) -> Option<String> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return None;
    }
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).ok()?;
    roster_sheet(&mut wb).ok()
}

/// Reads the roster's sheet cell by cell as it decompresses: one row in memory at a time. The
/// roster's sheet is the first whose top rows hold a header (an instructions sheet may come
/// first); without one, the first sheet (whose problems are then reported). Returns its name.
fn read_xlsx(bytes: &[u8], f: &mut RowVisitor<'_>) -> AppResult<String> {
    check_zip(bytes)?;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| file_error(format!("无法读取 xlsx：{e}")))?;
    let first = roster_sheet(&mut wb)?;
    let unreadable = |e: calamine::XlsxError| file_error(format!("无法读取工作表：{e}"));
    // A first pass counts the rows with content (shared strings are borrowed, so it allocates little):
    // the declared dimension is optional and may be wrong, and progress needs the real count.
    let declared = {
        let mut cells = wb.worksheet_cells_reader(&first).map_err(unreadable)?;
        let (mut rows, mut last) = (0usize, None);
        while let Some(cell) = cells.next_cell().map_err(unreadable)? {
            let r = cell.get_position().0;
            if last != Some(r) && !matches!(cell.get_value(), calamine::DataRef::Empty) {
                last = Some(r);
                rows += 1;
            }
        }
        rows.saturating_sub(1)
    };
    if declared > MAX_ROWS {
        return Err(file_error(format!("行数过多（{declared} 行），一次最多导入 {MAX_ROWS} 行")));
    }
    let mut cells = wb.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut current: Option<(u32, Vec<String>)> = None;
    let mut rows = 0usize;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let c = c as usize;
        if c >= MAX_COLUMNS {
            return Err(file_error(format!("列数过多（至少 {} 列）", c + 1)));
        }
        if current.as_ref().is_some_and(|(cur, _)| *cur != r)
            && let Some((row, v)) = current.take()
        {
            rows += 1;
            if rows > MAX_ROWS + 1 {
                return Err(too_many_rows());
            }
            f(row as usize + 1, v, declared)?;
        }
        let (_, v) = current.get_or_insert_with(|| (r, Vec::new()));
        if v.len() <= c {
            v.resize(c + 1, String::new());
        }
        v[c] = cell_text(cell.get_value().clone());
    }
    if let Some((row, v)) = current {
        if rows + 1 > MAX_ROWS + 1 {
            return Err(too_many_rows());
        }
        f(row as usize + 1, v, declared)?;
    }
    Ok(first)
}

fn read_csv(bytes: &[u8], f: &mut RowVisitor<'_>) -> AppResult<()> {
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s.trim_start_matches('\u{FEFF}')),
        // Excel in China saves csv as GB18030 by default.
        Err(_) => {
            let (s, _, bad) = encoding_rs::GB18030.decode(bytes);
            if bad {
                return Err(file_error("csv 文件编码无法识别，请保存为 UTF-8 或 GBK"));
            }
            s
        }
    };
    if text.contains('\0') {
        return Err(file_error("文件不是文本格式的 csv"));
    }
    // Progress only: lines with content (a quoted field may span lines).
    let declared = text.lines().filter(|l| !l.trim().trim_matches(',').is_empty()).count().saturating_sub(1);
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    for (i, rec) in rdr.records().enumerate() {
        let rec = rec.map_err(|e| file_error(format!("csv 格式错误：{e}")))?;
        if rec.len() > MAX_COLUMNS {
            return Err(file_error(format!("列数过多（{} 列）", rec.len())));
        }
        if i > MAX_ROWS {
            return Err(too_many_rows());
        }
        f(i + 1, rec.iter().map(str::to_string).collect(), declared)?;
    }
    Ok(())
}

/// Reads an upload row by row, by its content (zip → xlsx) and name (csv). Returns the name of the
/// worksheet read (xlsx).
pub fn read_rows(bytes: &[u8], filename: &str, f: &mut RowVisitor<'_>) -> AppResult<Option<String>> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(file_error(format!(
            "文件过大（{} MB），上限 {} MB",
            bytes.len() / 1024 / 1024,
            MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    if bytes.is_empty() {
        return Err(file_error("文件是空的"));
    }
    let lower = filename.to_lowercase();
    if bytes.starts_with(b"PK\x03\x04") {
        return read_xlsx(bytes, f).map(Some);
    }
    if lower.ends_with(".csv") || lower.ends_with(".txt") {
        return read_csv(bytes, f).map(|()| None);
    }
    if lower.ends_with(".xls") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(file_error("不支持旧版 .xls 文件，请在 Excel 中另存为 .xlsx"));
    }
    Err(file_error("文件类型不支持，请上传 .xlsx 或 .csv 文件"))
}

/// The import template: the header row and a sheet of instructions.
pub fn template() -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let head = Format::new().set_bold().set_background_color("#F2DCDB");
    let text = Format::new().set_num_format("@");
    let ws = wb.add_worksheet();
    let _ = ws.set_name("党员信息");
    for (c, (_, names, required)) in COLUMNS.iter().enumerate() {
        let label = if *required { format!("{}*", names[0]) } else { names[0].to_string() };
        let _ = ws.write_string_with_format(0, c as u16, &label, &head);
        let _ = ws.set_column_width(c as u16, if names[0] == "身份证号" || names[0] == "所在党组织" { 24 } else { 12 });
        // Text columns keep leading zeros and the 18 digits of ID numbers.
        let _ = ws.set_column_format(c as u16, &text);
    }
    let _ = ws.set_freeze_panes(1, 0);
    let help = wb.add_worksheet();
    let _ = help.set_name("填写说明");
    let lines = [
        "带 * 的列必须填写。也可以直接导入已有的党员花名册：表头可在前 20 行中的任一行（上面可有标题、填报单位、日期）。",
        "合计行、填表人/审核人/盖章行和空行会被跳过，“序号”“备注”列不导入。",
        "身份证号：18 位，末位可为 X；请将该列设为“文本”，避免 Excel 改写为科学计数。",
        "日期：2001-07-01、2001.07、2001年7月、2001/7/1 均可；只写到月份的按当月 1 日计。",
        "性别：男 或 女；不填则按身份证号判断。出生日期不填则按身份证号计算。",
        "党员类别：正式党员 或 预备党员；不填为正式党员。正式党员可填转正日期。",
        "学历：研究生、博士、硕士、大学本科、大学专科、中专、中技、高中、初中、小学等均可。",
        "出生年月只写到月时，与身份证号核对到月；15 位老身份证号会升为 18 位并提示。",
        "所在党组织：填写完整的党组织名称，须在您的管理范围内。",
        "标签：多个标签用逗号或顿号分隔，须是系统中已有的标签。",
        "已登记的党员（身份证号相同）会被跳过，重复导入同一文件不会产生重复记录。",
    ];
    for (i, l) in lines.iter().enumerate() {
        let _ = help.write_string(i as u32, 0, *l);
    }
    let _ = help.set_column_width(0, 90);
    wb.save_to_buffer().unwrap_or_default()
}

/// What an import has taken so far.
struct Tally {
    valid: usize,
    written: usize,
    outflows: usize,
    /// The committee posts the roster names, registered at the end of a real run.
    posts: Vec<PlannedPost>,
    /// Who imports (the outflows' `created_by`).
    user_id: Option<i64>,
    /// Time spent looking up members already registered, writing members and writing outflows:
    /// logged with a real run.
    spent: [std::time::Duration; 3],
}

/// The open outflow a roster row registers: the place as written (and its region codes where
/// recognised), for work (务工经商) unless said otherwise. The employer and occupation stay on the
/// member record, their one place.
fn roster_outflow(
    member_id: i64,
    o: PlannedOutflow,
    created_by: Option<i64>,
) -> honglian_store::repo::members::mobility::MobilityRecordActive {
    use sea_orm::ActiveValue::{NotSet, Set};
    honglian_store::repo::members::mobility::MobilityRecordActive {
        id: NotSet,
        member_id: Set(Some(member_id)),
        direction: Set("outflow".into()),
        status: Set("open".into()),
        person_name: Set(None),
        person_id_number_enc: Set(None),
        person_id_number_bidx: Set(None),
        person_phone_enc: Set(None),
        province_code: Set(o.location.province),
        city_code: Set(o.location.city),
        county_code: Set(o.location.county),
        // Sealed by the caller (`platform::sealing`).
        address_enc: Set(None),
        employer: Set(None),
        occupation: Set(None),
        reason: Set(honglian_domain::members::mobility::OutflowReason::WorkBusiness.code().into()),
        start_date: Set(o.start),
        expected_return: Set(None),
        receiving_org_id: Set(None),
        external_org_name: Set(None),
        external_org_contact: Set(None),
        mobile_card_no: Set(None),
        contact_person: Set(None),
        ended_on: Set(None),
        end_place: Set(None),
        relationship_stays: Set(None),
        end_note: Set(None),
        created_by: Set(created_by),
        created_at: NotSet,
        updated_at: NotSet,
    }
}

/// The open outflow a roster row registers with its member (是否流动党员 = 是).
#[derive(Serialize, Deserialize)]
struct PlannedOutflow {
    location: honglian_domain::region::Location,
    /// The place as written (kept as the outflow's address).
    place: String,
    start: chrono::NaiveDate,
}

/// What a valid roster row registers besides the member.
#[derive(Default, Serialize, Deserialize)]
struct RowPlan {
    outflow: Option<PlannedOutflow>,
    post: Option<CommitteePost>,
}

/// A committee post a roster names: (organisation, the member's blind index, post, row).
type PlannedPost = (i64, String, CommitteePost, usize);

/// What reading and checking a file found.
struct Checked {
    total: usize,
    errors: Vec<RowError>,
    warnings: Vec<RowError>,
    sheet: Option<String>,
    header_row: usize,
    ignored: Vec<String>,
    preview: Option<SheetPreview>,
    /// A real run's rows checked while no row had a problem, in file order (see [`Spill`]).
    spill: Option<Spill>,
}

/// A checked row: its row number, the member, and what it registers besides.
type CheckedRow = (usize, MemberRow, RowPlan);

/// Validated rows handed from the reading thread to the writer, in file order. In a real run the
/// clean ones go to the [`Spill`] instead, and the batch only reports progress (no rows).
struct Batch {
    rows: Vec<CheckedRow>,
    /// No row so far had a problem, so these may be written.
    clean: bool,
    /// Rows read so far, and how many the file says it has.
    done: usize,
    declared: usize,
}

/// Rows handed over at a time.
const BATCH_ROWS: usize = 1000;

/// A real run's checked rows, kept in a temporary file until the whole upload has been read and
/// checked and the write transaction opens (issue 14 §6: the write lock never waits on parsing).
/// Held in memory they were about 1 KB a row, 100 MB for 100,000 rows (issue 17); here the import
/// holds a few batches whatever the file's size.
///
/// Each batch is one chunk: its rows as JSON, sealed with SM4-GCM under a key made for this file
/// alone ([`ChunkSealer`]), so that no name, ID number or destination is on disk in clear text, and
/// nothing opens the file once the import is over. The file has no name (`tempfile::tempfile`): it is
/// gone when the import drops it, on every path out, a crash included.
struct Spill {
    file: std::io::BufWriter<std::fs::File>,
    sealer: crate::platform::crypto::ChunkSealer,
    chunks: u64,
}

impl Spill {
    fn new() -> AppResult<Self> {
        let file =
            tempfile::tempfile().map_err(|e| AppError::Internal(anyhow::anyhow!("无法创建导入的临时文件：{e}")))?;
        Ok(Self {
            file: std::io::BufWriter::with_capacity(256 * 1024, file),
            sealer: crate::platform::crypto::ChunkSealer::new(),
            chunks: 0,
        })
    }

    fn io(e: impl std::fmt::Display) -> AppError {
        AppError::Internal(anyhow::anyhow!("导入的临时文件读写失败：{e}"))
    }

    /// Appends a batch: its length, then the sealed chunk.
    fn push(&mut self, rows: &[CheckedRow]) -> AppResult<()> {
        use std::io::Write;
        let plain = serde_json::to_vec(rows).map_err(Self::io)?;
        let sealed = self.sealer.seal(&plain);
        self.file.write_all(&(sealed.len() as u64).to_le_bytes()).map_err(Self::io)?;
        self.file.write_all(&sealed).map_err(Self::io)?;
        self.chunks += 1;
        Ok(())
    }

    /// Reads the batches back in order (on a blocking thread), handing each to `tx` as clean.
    fn replay(self, tx: &tokio::sync::mpsc::Sender<Batch>) -> AppResult<()> {
        use std::io::{Read, Seek};
        let Self { file, sealer, chunks } = self;
        let mut file = file.into_inner().map_err(|e| Self::io(e.error()))?;
        file.rewind().map_err(Self::io)?;
        let mut file = std::io::BufReader::with_capacity(256 * 1024, file);
        let mut buf = Vec::new();
        for chunk in 0..chunks {
            let mut len = [0u8; 8];
            file.read_exact(&mut len).map_err(Self::io)?;
            buf.resize(u64::from_le_bytes(len) as usize, 0);
            file.read_exact(&mut buf).map_err(Self::io)?;
            let plain = sealer.open(chunk, &buf).map_err(AppError::Internal)?;
            let rows: Vec<CheckedRow> = serde_json::from_slice(&plain).map_err(Self::io)?;
            tx.blocking_send(Batch { rows, clean: true, done: 0, declared: 0 })
                .map_err(|_| AppError::Internal(anyhow::anyhow!("导入已中止")))?;
        }
        Ok(())
    }
}

/// What the rows are checked against, read before the file.
struct Lookups {
    /// Organisations by name within the caller's write scope: (id, path).
    by_name: HashMap<String, Vec<(i64, String)>>,
    tags: Vec<String>,
}

/// A row read as a header: the columns it names, the headers it has that are not imported, and
/// the required columns it lacks (none: it is the header).
struct HeaderMatch {
    col: HashMap<&'static str, usize>,
    /// Each field's column as the file names it (reported with the row's problems).
    labels: HashMap<&'static str, String>,
    ignored: Vec<String>,
    missing: Vec<&'static str>,
}

fn header_match(cells: &[String]) -> HeaderMatch {
    mapped_header(cells, &HashMap::new())
}

/// A row read as the header, with the columns the user named taking precedence over the headers.
fn mapped_header(cells: &[String], mapping: &HashMap<&'static str, usize>) -> HeaderMatch {
    // Headers are written as 姓名*, 身 份 证 号 or 出生年月（年.月）: compare without those.
    let header: Vec<String> = cells
        .iter()
        .map(|h| {
            let h = normalize_text(h).replace(' ', "");
            let h = h.split(['（', '(']).next().unwrap_or("").to_string();
            h.trim_end_matches('*').to_string()
        })
        .collect();
    let mut col: HashMap<&'static str, usize> = mapping.clone();
    for (field, names, _) in COLUMNS {
        if let Some(i) = header.iter().position(|h| names.contains(&h.as_str()))
            && !mapping.values().any(|m| *m == i)
        {
            col.entry(field).or_insert(i);
        }
    }
    let ignored = header
        .iter()
        .enumerate()
        .filter(|(i, h)| !h.is_empty() && !col.values().any(|c| c == i))
        .map(|(_, h)| h.clone())
        .collect();
    let missing = COLUMNS.iter().filter(|c| c.2 && !col.contains_key(c.0)).map(|c| c.1[0]).collect();
    let labels = col
        .iter()
        .map(|(f, i)| {
            let h = header.get(*i).filter(|h| !h.is_empty()).cloned();
            (*f, h.unwrap_or_else(|| format!("{} 列", column_letter(*i))))
        })
        .collect();
    HeaderMatch { col, labels, ignored, missing }
}

fn no_header(best: Option<(usize, Vec<&'static str>)>) -> String {
    let required: Vec<&str> = COLUMNS.iter().filter(|c| c.2).map(|c| c.1[0]).collect();
    let mut m = format!("前 {HEADER_SEARCH_ROWS} 行中没有找到表头：表头一行须包含 {}", required.join("、"));
    if let Some((row, missing)) = best {
        m.push_str(&format!("；最接近的是第 {row} 行，缺少 {}", missing.join("、")));
    }
    m
}

/// Rows of a sheet shown when its columns cannot all be found.
const PREVIEW_ROWS: usize = 20;
/// Cells of a preview row, and characters of a preview cell.
const PREVIEW_COLUMNS: usize = 30;
const PREVIEW_CELL_CHARS: usize = 40;

/// A preview cell: shortened, with anything that looks like an ID number or a mobile phone masked
/// (the preview may be kept as a job's result).
fn preview_cell(text: &str) -> String {
    let t = normalize_text(text);
    let digits = t.chars().filter(char::is_ascii_digit).count();
    if (digits >= 14 && t.len() <= 20) || t.to_uppercase().contains("E+") {
        return honglian_domain::mask::mask_id_number(&t);
    }
    let phone: String = t.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if phone.len() == 11 && phone.starts_with('1') && phone.chars().all(|c| c.is_ascii_digit()) {
        return honglian_domain::mask::mask_phone(&phone);
    }
    t.chars().take(PREVIEW_CELL_CHARS).collect()
}

/// The preview of a sheet: its first rows, and where each field was found in the suggested header
/// row (with the mapping given, if any).
fn sheet_preview(
    sheet: Option<String>,
    rows: &[(usize, Vec<String>)],
    header_row: Option<usize>,
    mapping: &HashMap<&'static str, usize>,
) -> SheetPreview {
    let header_cells = header_row.and_then(|h| rows.iter().find(|r| r.0 == h)).map(|r| r.1.as_slice()).unwrap_or(&[]);
    let m = mapped_header(header_cells, mapping);
    SheetPreview {
        sheet,
        header_row,
        rows: rows
            .iter()
            .map(|(row, cells)| PreviewRow {
                row: *row,
                cells: cells.iter().take(PREVIEW_COLUMNS).map(|c| preview_cell(c)).collect(),
            })
            .collect(),
        columns: COLUMNS
            .iter()
            .filter(|c| !c.0.starts_with('_'))
            .map(|c| PreviewColumn {
                field: c.0.to_string(),
                label: c.1[0].to_string(),
                required: c.2,
                column: m.col.get(c.0).map(|i| column_letter(*i)),
            })
            .collect(),
    }
}

/// Rows handed from the parsing thread to the checking one at a time: few hand-overs, because on a
/// busy machine each wake-up of a thread that waited costs a scheduler slice.
const PARSED_ROWS: usize = 2048;

/// [`read_rows`] on a thread of its own, beside the caller's, which `visit`s the rows in order: the
/// xlsx's decompression and XML take about as long as the rows' checks (sealing, blind indexes, dates),
/// so the two halves overlap. At most a few chunks of rows wait between them. An error of `visit` stops
/// the parsing and is returned; else the parser's result.
fn parse_beside(bytes: &[u8], filename: &str, visit: &mut RowVisitor<'_>) -> AppResult<Option<String>> {
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(usize, Vec<String>, usize)>>(2);
    std::thread::scope(|s| {
        let parser = std::thread::Builder::new()
            .name("import-parse".into())
            .spawn_scoped(s, move || {
                let mut chunk = Vec::with_capacity(PARSED_ROWS);
                let read = read_rows(bytes, filename, &mut |row_no, cells, declared| {
                    chunk.push((row_no, cells, declared));
                    if chunk.len() == PARSED_ROWS {
                        // The checker has stopped (its error is the one returned).
                        tx.send(std::mem::replace(&mut chunk, Vec::with_capacity(PARSED_ROWS)))
                            .map_err(|_| AppError::BadRequest("stopped".into()))?;
                    }
                    Ok(())
                });
                if !chunk.is_empty() {
                    let _ = tx.send(chunk);
                }
                read
            })
            .map_err(|e| AppError::Internal(anyhow::anyhow!("无法启动导入线程：{e}")))?;
        let mut visited = Ok(());
        'chunks: for chunk in rx.iter() {
            for (row_no, cells, declared) in chunk {
                if let Err(e) = visit(row_no, cells, declared) {
                    visited = Err(e);
                    break 'chunks;
                }
            }
        }
        // Whatever the parser still sends now fails, and it stops.
        drop(rx);
        let read = parser.join().map_err(|_| AppError::Internal(anyhow::anyhow!("导入线程异常")))?;
        visited.and(read)
    })
}

impl App {
    /// Validates (and unless `dry_run`, writes) members from an upload.
    /// `progress(done, total)` is called as rows are checked.
    ///
    /// A blocking thread reads and checks the file row by row. In a dry run it hands the valid rows
    /// over in batches and this task counts them, skipping those already registered. In a real run
    /// it keeps them in a sealed temporary file ([`Spill`]) while no row has had a problem; once the
    /// whole file has been read and checked, a second blocking thread reads them back batch by batch
    /// and this task writes them in one transaction (the write lock is never held while the file is
    /// parsed), or, when some row had a problem, only counts them. Neither the file's cells nor its
    /// checked rows are ever all in memory.
    pub async fn import_members(
        &self,
        ctx: &Ctx,
        bytes: Vec<u8>,
        filename: &str,
        dry_run: bool,
        mapping: Option<&ColumnMapping>,
        progress: &(dyn Fn(usize, usize) + Sync),
    ) -> AppResult<ImportReport> {
        let started = std::time::Instant::now();
        let scope = ctx.actor()?.scope(Permission::MemberWrite)?;
        let resolved = mapping.map(ColumnMapping::resolve).transpose()?;
        let mut by_name: HashMap<String, Vec<(i64, String)>> = HashMap::new();
        for (id, name, path) in orgs::active_names(&self.db, &scope).await? {
            by_name.entry(normalize_text(&name)).or_default().push((id, path));
        }
        let lookups = Lookups { by_name, tags: self.member_tags(ctx).await? };
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(2);
        let reader = {
            let (app, name) = (self.clone(), filename.to_string());
            tokio::task::spawn_blocking(move || {
                app.check_rows(&bytes, &name, &lookups, resolved.as_ref(), &tx, !dry_run)
            })
        };
        let joined = |e: tokio::task::JoinError| AppError::Internal(anyhow::anyhow!("导入线程异常：{e}"));
        let mut txn = None;
        let mut warnings = Vec::new();
        let mut counts = Tally {
            valid: 0,
            written: 0,
            outflows: 0,
            posts: Vec::new(),
            user_id: ctx.actor_id(),
            spent: Default::default(),
        };
        let mut failed = None;
        // A real run's clean rows wait in the reader's temporary file until the whole file is read and
        // checked, and only then is the write transaction opened: on SQLite that takes the database's
        // one write lock, which must not wait on the file's parsing (another user's save would wait as
        // long). The rows that come here are a dry run's, or a real run's after a problem: nothing will
        // be written, they are only counted (those already registered skipped).
        while let Some(batch) = rx.recv().await {
            progress(batch.done, batch.declared.max(batch.done));
            if batch.rows.is_empty() {
                continue;
            }
            if let Err(e) = self.take_batch(batch, true, &mut txn, &mut warnings, &mut counts).await {
                failed = Some(e);
                break;
            }
        }
        drop(rx);
        let mut checked = reader.await.map_err(joined)??;
        if let Some(e) = failed {
            return Err(e);
        }
        let read = started.elapsed();
        if let Some(spill) = checked.spill.take() {
            // The file is read. Every row clean: now write, in one transaction; else only count.
            let count_only = !checked.errors.is_empty();
            let (tx, mut rx) = tokio::sync::mpsc::channel::<Batch>(2);
            let replay = tokio::task::spawn_blocking(move || spill.replay(&tx));
            while let Some(batch) = rx.recv().await {
                if let Err(e) = self.take_batch(batch, count_only, &mut txn, &mut warnings, &mut counts).await {
                    failed = Some(e);
                    break;
                }
            }
            drop(rx);
            let replayed = replay.await.map_err(joined)?;
            if let Some(e) = failed {
                return Err(e);
            }
            replayed?;
        }
        let wrote = started.elapsed();
        let total = checked.total;
        progress(total, total);
        let skipped = warnings.len();
        let mut all_warnings = checked.warnings;
        all_warnings.extend(warnings);
        all_warnings.sort_by_key(|w| w.row);
        let mut report = ImportReport {
            rows: total,
            valid: counts.valid,
            skipped,
            written: 0,
            outflows: counts.outflows,
            dry_run,
            sheet: checked.sheet,
            header_row: checked.header_row,
            ignored_columns: checked.ignored,
            errors: checked.errors,
            warnings: all_warnings,
            committees: 0,
            preview: checked.preview,
        };
        // Nothing is kept unless every row is good (dropping the transaction rolls it back).
        let written = counts.written;
        let Some(t) = txn.filter(|_| report.errors.is_empty() && written > 0) else {
            return Ok(report);
        };
        report.committees = self.import_committees(&t, std::mem::take(&mut counts.posts), &mut report.warnings).await?;
        self.audit(&t, ctx, Event::ok("member.import", "member", "import").with(serde_json::json!({"file": filename.chars().take(100).collect::<String>(), "rows": total, "written": written, "skipped": report.skipped, "outflows": report.outflows, "mapping": mapping}))).await?;
        t.commit().await?;
        report.written = written;
        tracing::info!(
            rows = total,
            written,
            outflows = report.outflows,
            read_ms = read.as_millis() as u64,
            write_ms = (wrote - read).as_millis() as u64,
            commit_ms = (started.elapsed() - wrote).as_millis() as u64,
            lookup_ms = counts.spent[0].as_millis() as u64,
            members_ms = counts.spent[1].as_millis() as u64,
            outflows_ms = counts.spent[2].as_millis() as u64,
            "member import written"
        );
        Ok(report)
    }

    /// Skips the rows of a batch whose members are already registered (a warning each) and, in a
    /// real run while no row has had a problem, writes the rest in the import's transaction: the
    /// members in multi-row statements, then the open outflows of the mobile ones, also in
    /// multi-row statements (not one by one).
    async fn take_batch(
        &self,
        batch: Batch,
        dry_run: bool,
        txn: &mut Option<honglian_store::WriteTxn>,
        warnings: &mut Vec<RowError>,
        counts: &mut Tally,
    ) -> AppResult<()> {
        let write = !dry_run && batch.clean;
        if write && txn.is_none() {
            *txn = Some(honglian_store::begin_write(&self.db).await?);
        }
        let registered = |row: usize| RowError {
            row,
            field: "id_number".into(),
            column: column_label("id_number").into(),
            message: "该身份证号已登记，跳过".into(),
        };
        let mut rest = Vec::with_capacity(batch.rows.len());
        let mut new = Vec::with_capacity(batch.rows.len());
        for (row_no, r, plan) in batch.rows {
            if let Some(post) = plan.post {
                counts.posts.push((r.org_id, r.id_number_bidx.clone(), post, row_no));
            }
            rest.push((row_no, r.id_number_bidx.clone(), plan.outflow));
            new.push(r);
        }
        let t0 = std::time::Instant::now();
        let bidx: Vec<String> = rest.iter().map(|x| x.1.clone()).collect();
        // Within the transaction, so that a member registered meanwhile is seen.
        let existing: std::collections::HashSet<String> = match txn.as_ref() {
            Some(t) => members::existing_id_numbers(t, &bidx).await?,
            None => members::existing_id_numbers(&self.db, &bidx).await?,
        }
        .into_iter()
        .collect();
        let mut outflows = Vec::new();
        let mut to_write = Vec::with_capacity(new.len());
        for ((row_no, b, outflow), r) in rest.into_iter().zip(new) {
            if existing.contains(&b) {
                warnings.push(registered(row_no));
                continue;
            }
            if let Some(o) = outflow {
                outflows.push((b, o));
            }
            to_write.push(r);
        }
        counts.valid += to_write.len();
        counts.outflows += outflows.len();
        counts.spent[0] += t0.elapsed();
        let Some(t) = txn.as_ref().filter(|_| write) else { return Ok(()) };
        let t1 = std::time::Instant::now();
        counts.written += to_write.len();
        members::insert_many(t, to_write).await.map_err(|e| match e.sql_err() {
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict {
                title: "导入期间有人登记了相同身份证号的党员，请重新导入".into(),
                errors: Default::default(),
            },
            _ => e.into(),
        })?;
        let t2 = std::time::Instant::now();
        counts.spent[1] += t2 - t1;
        if !outflows.is_empty() {
            // The ids of the mobile members just written (the address is sealed with its member),
            // then their outflows in multi-row statements.
            let bidx: Vec<String> = outflows.iter().map(|o| o.0.clone()).collect();
            let ids: HashMap<String, i64> = members::ids_by_id_number(t, &bidx).await?.into_iter().collect();
            let records = outflows
                .into_iter()
                .filter_map(|(b, o)| {
                    let member_id = *ids.get(&b)?;
                    let address = self.seal_text("mobility_records", "address", member_id, Some(&o.place));
                    let mut am = roster_outflow(member_id, o, counts.user_id);
                    am.address_enc = sea_orm::Set(address);
                    Some(am)
                })
                .collect();
            honglian_store::repo::members::mobility::insert_many(t, records).await?;
        }
        counts.spent[2] += t2.elapsed();
        Ok(())
    }

    /// Registers the committees the roster names (党内职务), elected today, for each organisation
    /// that has none in office and whose posts the rules allow; otherwise each row is told why
    /// (a warning: the members are imported either way). Returns how many were registered.
    async fn import_committees(
        &self,
        txn: &impl sea_orm::ConnectionTrait,
        planned: Vec<PlannedPost>,
        warnings: &mut Vec<RowError>,
    ) -> AppResult<usize> {
        use honglian_store::repo::organisations::committee as posts;
        let mut by_org: std::collections::BTreeMap<i64, Vec<(String, CommitteePost, usize)>> = Default::default();
        for (org, bidx, post, row) in planned {
            by_org.entry(org).or_default().push((bidx, post, row));
        }
        let today = crate::today();
        let mut registered = 0;
        for (org_id, list) in by_org {
            let warn = |warnings: &mut Vec<RowError>, message: &str| {
                for (_, _, row) in &list {
                    warnings.push(RowError {
                        row: *row,
                        field: "party_post".into(),
                        column: column_label("party_post").into(),
                        message: message.to_string(),
                    });
                }
            };
            if !posts::held_on(txn, &[org_id], today).await?.is_empty() {
                warn(warnings, "该组织已登记委员会，党内职务未导入；换届请在组织页登记");
                continue;
            }
            // The rows' organisations were matched within the importer's scope.
            #[allow(clippy::disallowed_methods, reason = "an organisation the import matched in the importer's scope")]
            let matched = Scope::All(honglian_store::Unscoped::system());
            let Some(o) = orgs::get(txn, &matched, org_id).await? else { continue };
            let within = Scope::Paths(vec![o.path.clone()]);
            let kind = OrgKind::from_code(&o.kind).unwrap_or(OrgKind::Branch);
            let bidx: Vec<String> = list.iter().map(|x| x.0.clone()).collect();
            let ids: HashMap<String, i64> = members::ids_by_id_number(txn, &bidx).await?.into_iter().collect();
            let mut candidates = Vec::with_capacity(list.len());
            for (b, post, _) in &list {
                if let Some(&member_id) = ids.get(b)
                    && let Some(m) = members::get(txn, &within, member_id).await?
                {
                    candidates.push((m, *post));
                }
            }
            let check: Vec<Candidate> = candidates
                .iter()
                .map(|(m, post)| Candidate { member_id: m.id, post: *post, full: m.category == "full" })
                .collect();
            let full = activities::duty_orgs(txn, &Scope::Paths(vec![o.path.clone()]))
                .await?
                .iter()
                .map(|x| x.full_members)
                .sum();
            let problems = honglian_domain::organisations::committee::check_committee(kind, full, &check);
            if !problems.is_empty() {
                let why: Vec<String> = problems.0.into_values().flatten().collect();
                warn(warnings, &format!("委员会未登记：{}", why.join("；")));
                continue;
            }
            for (m, post) in &candidates {
                posts::insert(txn, o.id, m.id, post.code(), today, None).await?;
            }
            let secretary = candidates.iter().find(|c| c.1 == CommitteePost::Secretary).map(|c| c.0.name.clone());
            orgs::set_secretary(txn, o, secretary).await?;
            registered += 1;
        }
        Ok(registered)
    }

    /// Reads and checks every row of the upload (on a blocking thread), sending the valid ones on
    /// in batches; returns the number of data rows and every row's problems, in row order.
    fn check_rows(
        &self,
        bytes: &[u8],
        filename: &str,
        lookups: &Lookups,
        mapping: Option<&ResolvedMapping>,
        tx: &tokio::sync::mpsc::Sender<Batch>,
        spill: bool,
    ) -> AppResult<Checked> {
        let mut header: Option<(HeaderMatch, usize)> = None;
        let mut best: Option<(usize, usize, Vec<&'static str>)> = None;
        let mut rows_before_header = 0usize;
        // The rows before the header, kept for the preview when the columns cannot all be found.
        let mut first: Vec<(usize, Vec<String>)> = Vec::new();
        // Set once the columns cannot all be found: the preview's message and suggested header row.
        // Rows are still collected for the preview, then reading stops.
        let mut needs_mapping: Option<(String, Option<usize>)> = None;
        let mut stopped = false;
        let mapped: HashMap<&'static str, usize> = mapping.map(|m| m.col.clone()).unwrap_or_default();
        let mut errors: Vec<RowError> = Vec::new();
        let mut warnings: Vec<RowError> = Vec::new();
        // Keyed by the number itself (18 bytes inline): a map of 100,000 blind indexes (64-character
        // strings) took about 12 MB more.
        let mut seen: HashMap<[u8; 18], usize> = HashMap::new();
        let mut total = 0usize;
        let mut rows: Vec<CheckedRow> = Vec::with_capacity(BATCH_ROWS);
        let mut last_declared = 0;
        // A real run keeps its rows in a temporary file while they are clean.
        let mut spill = if spill { Some(Spill::new()?) } else { None };
        let mut send = |rows: &mut Vec<CheckedRow>, clean: bool, done: usize, declared: usize| {
            let rows = match spill.as_mut() {
                Some(s) if clean => {
                    s.push(rows)?;
                    rows.clear();
                    Vec::new()
                }
                _ => std::mem::replace(rows, Vec::with_capacity(BATCH_ROWS)),
            };
            tx.blocking_send(Batch { rows, clean, done, declared })
                .map_err(|_| AppError::Internal(anyhow::anyhow!("导入已中止")))
        };
        let stop = || AppError::BadRequest("preview".into());
        let mut visit = |row_no: usize, cells: Vec<String>, declared: usize| -> AppResult<()> {
            if cells.iter().all(|c| normalize_text(c).is_empty()) {
                return Ok(());
            }
            if needs_mapping.is_some() {
                first.push((row_no, cells));
                if first.len() >= PREVIEW_ROWS {
                    stopped = true;
                    return Err(stop());
                }
                return Ok(());
            }
            if header.is_none() {
                if let Some(m) = mapping {
                    // The header row the user named (a blank one leaves only the columns named).
                    if row_no < m.header_row {
                        first.push((row_no, cells));
                        return Ok(());
                    }
                    let empty = Vec::new();
                    let hm = mapped_header(if row_no == m.header_row { &cells } else { &empty }, &m.col);
                    if !hm.missing.is_empty() {
                        needs_mapping = Some((
                            format!("仍缺少必填列：{}，请指定它们所在的列", hm.missing.join("、")),
                            Some(m.header_row),
                        ));
                        first.push((row_no, cells));
                        return Ok(());
                    }
                    header = Some((hm, m.header_row));
                    if row_no == m.header_row {
                        return Ok(());
                    }
                } else {
                    // Title rows, 填报单位 and 填报日期 come before the header: take the first row that
                    // has every required column.
                    let m = header_match(&cells);
                    if m.missing.is_empty() {
                        header = Some((m, row_no));
                        return Ok(());
                    }
                    let known = m.col.len();
                    if known >= 2 && best.as_ref().is_none_or(|b| known > b.1) {
                        best = Some((row_no, known, m.missing));
                    }
                    first.push((row_no, cells));
                    rows_before_header += 1;
                    if rows_before_header >= HEADER_SEARCH_ROWS {
                        let b = best.take();
                        needs_mapping = Some((no_header(b.clone().map(|(r, _, m)| (r, m))), b.map(|b| b.0)));
                        stopped = true;
                        return Err(stop());
                    }
                    return Ok(());
                }
            }
            let Some((h, _)) = &header else { return Ok(()) };
            let col = &h.col;
            // Totals, signatures and notes close a roster; numbered rows left blank are not members.
            let mut required = COLUMNS.iter().filter(|c| c.2).filter_map(|c| col.get(c.0));
            if is_total_or_footer(&cells)
                || required.all(|i| cells.get(*i).is_none_or(|c| normalize_text(c).is_empty()))
            {
                return Ok(());
            }
            total += 1;
            last_declared = declared;
            let mut row_warnings = Vec::new();
            let (row_errors, row) = self.check_row(row_no, &cells, col, lookups, &mut seen, &mut row_warnings)?;
            let label = |f: &str| h.labels.get(f).cloned().unwrap_or_else(|| column_label(f).to_string());
            for (field, message) in row_errors {
                errors.push(RowError { row: row_no, column: label(&field), field, message });
            }
            for (field, message) in row_warnings {
                warnings.push(RowError { row: row_no, column: label(&field), field, message });
            }
            if let Some((r, plan)) = row {
                rows.push((row_no, r, plan));
            }
            if rows.len() == BATCH_ROWS {
                send(&mut rows, errors.is_empty(), total, declared)?;
            }
            Ok(())
        };
        let read = parse_beside(bytes, filename, &mut visit);
        let sheet = match read {
            Ok(sheet) => sheet,
            // Reading stopped on purpose: the preview has its rows.
            Err(_) if stopped => None,
            Err(e) => return Err(e),
        };
        if header.is_none() && needs_mapping.is_none() {
            // The file ended before a header was found.
            needs_mapping = Some((no_header(best.clone().map(|(r, _, m)| (r, m))), best.map(|b| b.0)));
        }
        if let Some((message, suggested)) = needs_mapping {
            // The worksheet's name is known only once reading ends: read it again for the preview.
            let sheet = if stopped { sheet_name(bytes) } else { sheet };
            let preview = sheet_preview(sheet.clone(), &first, suggested, &mapped);
            let errors =
                vec![RowError { row: suggested.unwrap_or(0), field: "file".into(), column: String::new(), message }];
            return Ok(Checked {
                total: 0,
                errors,
                warnings: Vec::new(),
                sheet,
                header_row: suggested.unwrap_or(0),
                ignored: Vec::new(),
                preview: Some(preview),
                spill: None,
            });
        }
        let (h, header_row) = header.expect("found");
        send(&mut rows, errors.is_empty(), total, last_declared)?;
        Ok(Checked { total, errors, warnings, sheet, header_row, ignored: h.ignored, preview: None, spill })
    }

    /// The problems of one data row, and the member it describes when it has none.
    #[allow(clippy::type_complexity)]
    fn check_row(
        &self,
        row_no: usize,
        cells: &[String],
        col: &HashMap<&'static str, usize>,
        lookups: &Lookups,
        seen: &mut HashMap<[u8; 18], usize>,
        warnings: &mut Vec<(String, String)>,
    ) -> AppResult<(Vec<(String, String)>, Option<(MemberRow, RowPlan)>)> {
        let by_name = &lookups.by_name;
        let tags = &lookups.tags;
        let get = |f: &str| col.get(f).and_then(|i| cells.get(*i)).map(|s| normalize_text(s)).unwrap_or_default();
        let mut row_errors: Vec<(String, String)> = Vec::new();
        let mut date = |f: &str| -> Option<chrono::NaiveDate> {
            let v = get(f);
            if v.is_empty() {
                return None;
            }
            match parse_roster_date(&v) {
                Ok(d) => Some(d),
                Err(m) => {
                    row_errors.push((f.to_string(), m));
                    None
                }
            }
        };
        let joined_on = date("joined_on");
        let full_on = date("full_on");
        let left_on = date("left_on");
        let birth = date("birth_date");
        let mut raw_id = get("id_number");
        if raw_id.to_uppercase().contains("E+") {
            row_errors.push((
                "id_number".into(),
                "身份证号存成了数字，Excel 已把它四舍五入到 15 位有效数字（末几位已丢失）；请把该列设为“文本”后重新填写".into(),
            ));
        }
        if let Some(up) = upgrade_15_digit(&raw_id) {
            warnings
                .push(("id_number".into(), format!("15 位身份证号已按国家标准升为 18 位：{}", mask_id_number(&up))));
            raw_id = up;
        }
        // 出生年月 (or a date written to the month) is checked against the number to the month;
        // the day then comes from the number.
        let birth_date = match (birth, IdNumber::parse(&raw_id)) {
            (Some(b), Ok(id)) if is_month_only(&get("birth_date")) => {
                let from_id = id.birth_date();
                if (b.year(), b.month()) != (from_id.year(), from_id.month()) {
                    row_errors.push((
                        "birth_date".into(),
                        format!("出生年月与身份证号不符（身份证号为 {} 年 {} 月）", from_id.year(), from_id.month()),
                    ));
                }
                None
            }
            (b, _) => b,
        };
        // Duplicates within the file, whatever else is wrong with either row.
        if let Ok(id) = IdNumber::parse(&raw_id) {
            let b: [u8; 18] = id.as_str().as_bytes().try_into().expect("an ID number has 18 ASCII characters");
            match seen.get(&b) {
                Some(first) => row_errors.push(("id_number".into(), format!("与第 {first} 行的身份证号重复"))),
                None => {
                    seen.insert(b, row_no);
                }
            }
        }
        let gender = match get("gender").as_str() {
            "" => None,
            "男" | "男性" => Some("male".to_string()),
            "女" | "女性" => Some("female".to_string()),
            other => {
                row_errors.push(("gender".into(), format!("性别“{other}”应为 男 或 女")));
                None
            }
        };
        let category = match get("category").as_str() {
            "" => None,
            c => match MemberCategory::ALL.iter().find(|x| x.label() == c || x.code() == c || x.label().starts_with(c))
            {
                Some(x) => Some(x.code().to_string()),
                None => {
                    row_errors.push(("category".into(), format!("党员类别“{c}”应为 正式党员 或 预备党员")));
                    None
                }
            },
        };
        let education = match get("education").as_str() {
            "" => None,
            e => match education_code(e) {
                Some(c) => Some(c.to_string()),
                None => {
                    row_errors.push((
                        "education".into(),
                        format!("学历“{e}”无法识别，可填 研究生、大学本科、大学专科、中专、高中、初中、小学 等"),
                    ));
                    None
                }
            },
        };
        let org_name = get("org");
        let org = match by_name.get(&org_name).map(Vec::as_slice) {
            _ if org_name.is_empty() => {
                row_errors.push(("org".into(), "请填写所在党组织".into()));
                None
            }
            Some([one]) => Some(one.clone()),
            Some(_) => {
                row_errors.push(("org".into(), format!("“{org_name}”在您的范围内有重名，请联系管理员")));
                None
            }
            None => {
                row_errors.push(("org".into(), format!("找不到党组织“{org_name}”（或不在您的管理范围内）")));
                None
            }
        };
        // 是否流动党员 = 是 with a 外出地点: the open outflow is registered with the member.
        let outflow = match honglian_domain::members::import::yes_no(&get("mobile")) {
            None => {
                row_errors.push(("mobile".into(), format!("是否流动党员“{}”应为 是 或 否", get("mobile"))));
                None
            }
            Some(false) => None,
            Some(true) => {
                let place = get("destination");
                if place.is_empty() {
                    warnings.push((
                        "destination".into(),
                        "流动党员未填外出地点，未建立外出登记，请在外出台账中补登".into(),
                    ));
                    None
                } else {
                    let location = honglian_domain::region::find_place(&place).unwrap_or_else(|| {
                        warnings.push((
                            "destination".into(),
                            format!("外出地点“{place}”未能识别为省市区，已按原文记为外出地址"),
                        ));
                        Default::default()
                    });
                    let start = left_on.unwrap_or_else(|| {
                        warnings.push(("left_on".into(), "未填外出时间，外出登记按导入当天计".into()));
                        crate::today()
                    });
                    Some(PlannedOutflow { location, place: place.chars().take(200).collect(), start })
                }
            }
        };
        let post = CommitteePost::from_roster(&get("party_post")).unwrap_or_else(|m| {
            warnings.push(("party_post".into(), format!("{m}，未登记为委员")));
            None
        });
        let tag_list: Vec<String> = get("tags")
            .split([',', '，', '、', ';', '；'])
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        // Rosters pad two-character names to line them up (林　红); a Chinese name has no spaces.
        let name = get("name");
        let name = if name.chars().all(|c| c == ' ' || ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
            name.replace(' ', "")
        } else {
            name
        };
        let input = MemberInput {
            org_id: None,
            name: Some(name),
            gender,
            ethnicity: Some(get("ethnicity")).filter(|s| !s.is_empty()),
            birth_date,
            id_number: Some(raw_id.clone()),
            phone: Some(get("phone")).filter(|s| !s.is_empty()),
            address: Some(get("address")).filter(|s| !s.is_empty()),
            education,
            occupation: Some(get("occupation")).filter(|s| !s.is_empty()),
            employer: Some(get("employer")).filter(|s| !s.is_empty()),
            joined_on,
            category,
            full_on,
            tags: Some(tag_list),
            status: None,
            suspended_on: None,
        };
        let built = match &org {
            Some((id, path)) => Some(self.member_row(input, None, (*id, path.clone()), tags)),
            None => {
                // Still validate the other fields so every problem is reported at once.
                Some(self.member_row(input, None, (0, String::new()), tags))
            }
        };
        let mut valid = None;
        match built {
            Some(Ok(r)) if row_errors.is_empty() && org.is_some() => valid = Some((r, RowPlan { outflow, post })),
            Some(Err(AppError::Validation(fe))) => {
                for (field, msgs) in fe.0 {
                    // Dates already reported as unreadable are not "missing".
                    if row_errors.iter().any(|(f, _)| *f == field) {
                        continue;
                    }
                    for m in msgs {
                        row_errors.push((field.clone(), m));
                    }
                }
            }
            Some(Err(other)) => return Err(other),
            _ => {}
        }
        Ok((row_errors, valid))
    }
}

/// A background job as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobView {
    pub id: i64,
    pub kind: String,
    /// running | done | failed
    pub status: String,
    pub total: i64,
    pub processed: i64,
    /// The import report, when done.
    #[schema(value_type = Option<Object>)]
    pub result: Option<serde_json::Value>,
    pub error: Option<String>,
}

fn job_view(j: honglian_store::repo::platform::jobs::Job) -> JobView {
    JobView {
        id: j.id,
        kind: j.kind,
        status: j.status,
        total: j.total,
        processed: j.processed,
        result: j.result.and_then(|r| serde_json::from_str(&r).ok()),
        error: j.error,
    }
}

impl App {
    /// Starts an import in the background; its progress is kept in the database
    /// so that any instance can answer [`App::job_get`].
    pub async fn import_members_in_background(
        &self,
        ctx: &Ctx,
        bytes: Vec<u8>,
        filename: String,
        dry_run: bool,
        mapping: Option<ColumnMapping>,
    ) -> AppResult<JobView> {
        use honglian_store::repo::platform::jobs;
        use std::sync::Arc;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let actor = ctx.actor()?;
        actor.scope(Permission::MemberWrite)?;
        // A bad mapping is refused now, not as a failed job.
        if let Some(m) = &mapping {
            m.resolve()?;
        }
        let job = jobs::create(&self.db, "member_import", actor.user_id).await?;
        let (app, ctx, id) = (self.clone(), ctx.clone(), job.id);
        let counts = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
        tokio::spawn(async move {
            let ticker = {
                let (db, counts) = (app.db.clone(), counts.clone());
                tokio::spawn(async move {
                    loop {
                        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                        let (done, total) = (counts.0.load(Ordering::Relaxed), counts.1.load(Ordering::Relaxed));
                        if let Err(e) = jobs::progress(&db, id, done as i64, total as i64).await {
                            tracing::warn!(error = %e, job = id, "could not record progress");
                        }
                    }
                })
            };
            let progress = |done: usize, total: usize| {
                counts.0.store(done, Ordering::Relaxed);
                counts.1.store(total, Ordering::Relaxed);
            };
            let r = app.import_members(&ctx, bytes, &filename, dry_run, mapping.as_ref(), &progress).await;
            ticker.abort();
            let outcome = match r {
                Ok(report) => Ok(serde_json::to_string(&report).unwrap_or_default()),
                Err(AppError::Validation(fe)) => Err(fe.0.values().flatten().cloned().collect::<Vec<_>>().join("；")),
                Err(AppError::Internal(e)) => {
                    tracing::error!(error = format!("{e:#}"), job = id, "import failed");
                    Err("服务器内部错误，导入未完成（未写入任何数据）".to_string())
                }
                Err(other) => Err(other.to_string()),
            };
            let (done, total) = (counts.0.load(Ordering::Relaxed), counts.1.load(Ordering::Relaxed));
            if let Err(e) = jobs::finish(&app.db, id, done as i64, total as i64, outcome).await {
                tracing::error!(error = %e, job = id, "could not finish job");
            }
        });
        Ok(job_view(job))
    }

    /// A job of the caller's.
    pub async fn job_get(&self, ctx: &Ctx, id: i64) -> AppResult<JobView> {
        let actor = ctx.actor()?;
        match honglian_store::repo::platform::jobs::get(&self.db, id).await? {
            Some(j) if j.user_id == actor.user_id => Ok(job_view(j)),
            _ => Err(AppError::not_found("任务")),
        }
    }
}
