//! Example rosters for the import page, in the layout counties keep (a title row, the unit and the
//! date, headers on row 3, a total and a signature footer, an instructions sheet), filled with
//! fictitious people in the caller's own branches: a clean one that imports as it is, and a messy
//! one whose dry run shows what the importer reports.

use chrono::{Datelike, Duration, NaiveDate};
use honglian_domain::IdNumber;
use honglian_domain::platform::authz::Permission;
use honglian_store::repo::organisations::orgs;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::{App, AppError, AppResult, Ctx};

/// The roster's columns, as a township's 党员花名册 has them.
const HEADERS: [&str; 17] = [
    "序号",
    "姓名",
    "性别",
    "民族",
    "出生年月",
    "公民身份号码",
    "学历",
    "入党时间",
    "转正时间",
    "党员类别",
    "所在党支部",
    "联系电话",
    "工作单位及职务",
    "是否流动党员",
    "外出地点",
    "外出时间",
    "备注",
];

/// A cell of an example row: text, or a number cell (an ID number Excel has rounded).
enum Cell {
    Text(String),
    Number(f64),
}

fn t(s: impl Into<String>) -> Cell {
    Cell::Text(s.into())
}

/// A fictitious person: the region code 440802 with sequence numbers 700–799 is used by nothing
/// else (the demo uses 900–999, the tests 800–899).
struct Person {
    name: &'static str,
    male: bool,
    birth: NaiveDate,
    ethnicity: &'static str,
    education: &'static str,
    joined: NaiveDate,
    probationary: bool,
    phone: &'static str,
    work: &'static str,
    away: Option<(&'static str, &'static str)>,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a valid date")
}

fn id_of(k: u32, male: bool, birth: NaiveDate) -> IdNumber {
    IdNumber::synthesize("440802", birth, 700 + 2 * k + u32::from(male))
}

/// An ID number whose check character is X (written lower-case in the messy roster).
fn id_with_x(male: bool, birth: NaiveDate) -> String {
    (0..24u32)
        .map(|k| IdNumber::synthesize("440802", birth, 750 + 2 * k + u32::from(male)).as_str().to_string())
        .find(|s| s.ends_with('X'))
        .expect("one in eleven numbers ends in X")
}

fn people(today: NaiveDate) -> Vec<Person> {
    let probation = today - Duration::days(150);
    vec![
        Person {
            name: "陈志远",
            male: true,
            birth: d(1978, 3, 12),
            ethnicity: "汉族",
            education: "大学本科",
            joined: d(2003, 6, 18),
            probationary: false,
            phone: "138-0000-1201",
            work: "梅岭村村委会 主任",
            away: None,
        },
        Person {
            name: "林　红",
            male: false,
            birth: d(1985, 7, 9),
            ethnicity: "汉族",
            education: "大专",
            joined: d(2009, 7, 1),
            probationary: false,
            phone: "139 0000 1202",
            work: "梅岭小学 教师",
            away: None,
        },
        Person {
            name: "吴海波",
            male: true,
            birth: d(1990, 11, 23),
            ethnicity: "汉族",
            education: "高中",
            joined: d(2015, 12, 8),
            probationary: false,
            phone: "13700001203",
            work: "广州某建筑公司 施工员",
            away: Some(("广东省广州市天河区", "2021.3")),
        },
        Person {
            name: "黄丽娟",
            male: false,
            birth: d(1972, 1, 30),
            ethnicity: "汉族",
            education: "中专",
            joined: d(1996, 5, 20),
            probationary: false,
            phone: "13600001204",
            work: "个体经营",
            away: None,
        },
        Person {
            name: "李国强",
            male: true,
            birth: d(1965, 9, 5),
            ethnicity: "汉族",
            education: "初中",
            joined: d(1988, 10, 1),
            probationary: false,
            phone: "13500001205",
            work: "务农",
            away: None,
        },
        Person {
            name: "莫晓燕",
            male: false,
            birth: d(1995, 4, 17),
            ethnicity: "壮族",
            education: "研究生",
            joined: d(2019, 6, 30),
            probationary: false,
            phone: "13800001206",
            work: "深圳某科技公司 工程师",
            away: Some(("广东省深圳市南山区", "2022年9月")),
        },
        Person {
            name: "杨建华",
            male: true,
            birth: d(1982, 12, 2),
            ethnicity: "汉族",
            education: "大学本科",
            joined: d(2006, 11, 15),
            probationary: false,
            phone: "13900001207",
            work: "镇农业服务中心 技术员",
            away: None,
        },
        Person {
            name: "周雪梅",
            male: false,
            birth: d(1998, 8, 21),
            ethnicity: "汉族",
            education: "大学本科",
            joined: probation,
            probationary: true,
            phone: "13700001208",
            work: "梅岭村村委会 文书",
            away: None,
        },
    ]
}

/// A person's row in the roster's columns (序号 first).
fn row(seq: usize, p: &Person, id: Cell, org: &str) -> Vec<Cell> {
    // Full membership a year after admission, to the day.
    let full = match p.joined.checked_add_months(chrono::Months::new(12)) {
        Some(f) if !p.probationary => f.format("%Y.%m.%d").to_string(),
        _ => String::new(),
    };
    vec![
        t(seq.to_string()),
        t(p.name),
        t(if p.male { "男" } else { "女" }),
        t(p.ethnicity),
        t(format!("{}.{:02}", p.birth.year(), p.birth.month())),
        id,
        t(p.education),
        t(p.joined.format("%Y.%m.%d").to_string()),
        t(full),
        t(if p.probationary { "预备党员" } else { "正式党员" }),
        t(org),
        t(p.phone),
        t(p.work),
        t(if p.away.is_some() { "是" } else { "否" }),
        t(p.away.map(|a| a.0).unwrap_or_default()),
        t(p.away.map(|a| a.1).unwrap_or_default()),
        t(""),
    ]
}

fn xlsx_err(e: XlsxError) -> AppError {
    AppError::Internal(anyhow::anyhow!("生成示例花名册失败：{e}"))
}

/// Writes the roster: title, unit and date, headers on row 3, the rows, a total and a footer, and
/// an instructions sheet.
fn workbook(unit: &str, today: NaiveDate, rows: &[Vec<Cell>], notes: &[&str]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws: &mut Worksheet = wb.add_worksheet();
    ws.set_name("党员花名册")?;
    let last = (HEADERS.len() - 1) as u16;
    let title = Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Center);
    ws.merge_range(0, 0, 0, last, &format!("{unit}党员花名册"), &title)?;
    ws.set_row_height(0, 30)?;
    ws.write_string(1, 0, format!("填报单位：{unit}（盖章）"))?;
    ws.write_string(1, 11, format!("填报日期：{}年{}月{}日", today.year(), today.month(), today.day()))?;
    let head = Format::new().set_bold().set_border(FormatBorder::Thin).set_align(FormatAlign::Center).set_text_wrap();
    let cell = Format::new().set_border(FormatBorder::Thin);
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &head)?;
        let width = match *h {
            "公民身份号码" | "所在党支部" | "工作单位及职务" | "外出地点" => 22,
            "序号" | "性别" | "民族" => 6,
            _ => 11,
        };
        ws.set_column_width(c as u16, width)?;
    }
    for (r, cells) in rows.iter().enumerate() {
        let r = r as u32 + 3;
        for (c, v) in cells.iter().enumerate() {
            match v {
                Cell::Text(s) => ws.write_string_with_format(r, c as u16, s, &cell)?,
                Cell::Number(n) => ws.write_number_with_format(r, c as u16, *n, &cell)?,
            };
        }
    }
    // A blank row, the total and the signatures close the roster.
    let end = rows.len() as u32 + 4;
    ws.write_string(end, 0, "合计")?;
    ws.write_string(end, 1, format!("共 {} 人", rows.len()))?;
    ws.write_string(end + 2, 0, "填表人：")?;
    ws.write_string(end + 2, 5, "审核人：")?;
    ws.write_string(end + 2, 10, "党组织（盖章）")?;
    ws.set_freeze_panes(3, 2)?;
    let help = wb.add_worksheet();
    help.set_name("填表说明")?;
    for (i, l) in notes.iter().enumerate() {
        help.write_string(i as u32, 0, *l)?;
    }
    help.set_column_width(0, 100)?;
    wb.save_to_buffer()
}

impl App {
    /// Up to three branches of the caller's write scope whose names are unique there (so that a
    /// roster naming them imports), and the unit named in the title.
    async fn example_orgs(&self, ctx: &Ctx) -> AppResult<(String, Vec<String>)> {
        let scope = ctx.actor()?.scope(Permission::MemberWrite)?;
        let mut all = orgs::active_names(&self.db, &scope).await?;
        all.sort_by(|a, b| a.2.cmp(&b.2));
        let unit = all.iter().min_by_key(|o| o.2.matches('/').count()).map(|o| o.1.clone());
        let Some(unit) = unit else {
            return Err(AppError::BadRequest("您的管理范围内没有党组织，无法生成示例花名册".into()));
        };
        let norm = honglian_domain::members::import::normalize_text;
        let unique = |n: &str| all.iter().filter(|o| norm(&o.1) == norm(n)).count() == 1;
        let mut picked: Vec<String> =
            all.iter().filter(|o| o.1.ends_with("支部") && unique(&o.1)).map(|o| o.1.clone()).take(3).collect();
        if picked.is_empty() {
            picked = all.iter().rev().filter(|o| unique(&o.1)).map(|o| o.1.clone()).take(3).collect();
        }
        Ok((unit, picked))
    }

    /// The clean example: fictitious people in the caller's branches, written as a county's roster
    /// is (ID numbers as text, 出生年月 to the month, phones with dashes, two mobile members).
    pub async fn example_roster(&self, ctx: &Ctx) -> AppResult<Vec<u8>> {
        let (unit, branches) = self.example_orgs(ctx).await?;
        let today = crate::today();
        let rows: Vec<Vec<Cell>> = people(today)
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let id = id_of(i as u32, p.male, p.birth);
                row(i + 1, p, t(id.as_str()), &branches[i % branches.len()])
            })
            .collect();
        let notes = [
            "这是一份示例花名册（人员均为虚构），可直接在“导入党员”页面检查并导入。",
            "表头在第 3 行；标题、填报单位和日期、合计行、填表人/审核人行不会被当作党员导入。",
            "“所在党支部”填写的是您管理范围内的党组织；“是否流动党员”为“是”且填了外出地点的，导入时同时建立外出登记。",
        ];
        workbook(&unit, today, &rows, &notes).map_err(xlsx_err)
    }

    /// The messy example: the same kind of roster with the mistakes real files have, each on its own
    /// row (see the instructions sheet), and some untidy but acceptable writing.
    pub async fn example_roster_messy(&self, ctx: &Ctx) -> AppResult<Vec<u8>> {
        let (unit, branches) = self.example_orgs(ctx).await?;
        let today = crate::today();
        let ps = people(today);
        let b = |i: usize| branches[i % branches.len()].clone();
        let id = |i: usize| id_of(i as u32, ps[i].male, ps[i].birth).as_str().to_string();
        let mut rows = Vec::new();
        // Row 4: acceptable as written: a lower-case x, full-width digits in the phone, 1985年7月.
        let x = id_with_x(ps[1].male, ps[1].birth);
        let mut r = row(1, &ps[1], t(x.to_lowercase()), &b(0));
        r[4] = t(format!("{}年{}月", ps[1].birth.year(), ps[1].birth.month()));
        r[11] = t("１３９ ００００ １２０２");
        rows.push(r);
        // Row 5: the ID number typed into a number cell (Excel kept 15 significant digits).
        let n: f64 = id(0)[..17].parse::<f64>().unwrap_or(0.0) * 10.0;
        rows.push(row(2, &ps[0], Cell::Number(n), &b(0)));
        // Row 6: a wrong check digit.
        let mut wrong = id(2);
        let last = wrong.pop().unwrap_or('0');
        wrong.push(if last == '1' { '2' } else { '1' });
        rows.push(row(3, &ps[2], t(wrong), &b(1)));
        // Row 7: an admission date that does not exist.
        let mut r = row(4, &ps[3], t(id(3)), &b(1));
        r[7] = t("1996-02-30");
        rows.push(r);
        // Row 8: a first-generation 15-digit number (converted, with a warning).
        let p = &ps[4];
        let first17 = id(4)[..17].to_string();
        let fifteen = format!("{}{}", &first17[..6], &first17[8..17]);
        rows.push(row(5, p, t(fifteen), &b(2)));
        // Row 9: the same person as row 4 again.
        let mut r = row(6, &ps[1], t(x.clone()), &b(0));
        r[4] = t(format!("{}.{:02}", ps[1].birth.year(), ps[1].birth.month()));
        rows.push(r);
        // Row 10: a branch outside the caller's scope.
        rows.push(row(7, &ps[5], t(id(5)), "外县某镇红旗村党支部"));
        // Row 11: an education the national forms do not have.
        let mut r = row(8, &ps[6], t(id(6)), &b(2));
        r[6] = t("函授");
        rows.push(r);
        // Row 12: 出生年月 that does not match the ID number.
        let mut r = row(9, &ps[7], t(id(7)), &b(0));
        r[4] = t(format!("{}.{:02}", ps[7].birth.year() - 1, ps[7].birth.month()));
        rows.push(r);
        // Row 13: a mobile member whose destination is not a place (imported, with a warning).
        let mut q = row(10, &ps[2], t(id_of(20, true, d(1988, 5, 6)).as_str()), &b(1));
        q[1] = t("郑家明");
        q[4] = t("1988.05");
        q[13] = t("是");
        q[14] = t("外地");
        q[15] = t("20230301");
        rows.push(q);
        // Row 14: dates written 19850701-style and 2008-7-1-style: accepted.
        let mut r = row(11, &ps[6], t(id_of(21, true, d(1985, 7, 1)).as_str()), &b(2));
        r[1] = t("冯振东");
        r[4] = t("19850701");
        r[7] = t("2008-7-1");
        r[8] = t("2009.7.1");
        rows.push(r);
        let notes = [
            "这是一份“有问题”的示例花名册（人员均为虚构），用于查看导入检查会报告什么：",
            "第 4 行：身份证号末位写成小写 x、电话用全角数字和空格、出生年月写作“1985年7月”——可以识别，不算错误。",
            "第 5 行：身份证号存成了数字（Excel 已四舍五入）；第 6 行：身份证号校验位错误；第 7 行：入党时间不存在（2月30日）。",
            "第 8 行：15 位老身份证号（自动升为 18 位并提示）；第 9 行：与第 4 行是同一人；第 10 行：所在党支部不在您的管理范围内。",
            "第 11 行：学历无法识别；第 12 行：出生年月与身份证号不符；第 13 行：外出地点无法识别为省市区（提示）；第 14 行：日期写法各异但可识别。",
        ];
        workbook(&unit, today, &rows, &notes).map_err(xlsx_err)
    }
}
