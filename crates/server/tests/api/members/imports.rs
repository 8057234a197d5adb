//! Member import from real xlsx and csv files: dry run, all-or-nothing real run,
//! idempotent re-import, hostile files, and a 100,000-row file with progress.

use std::io::Write;

use reqwest::StatusCode;
use rust_xlsxwriter::Workbook;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::sheet;

const HEADER: [&str; 8] = ["姓名", "身份证号", "手机号", "入党日期", "党员类别", "转正日期", "所在党组织", "标签"];

enum Cell<'a> {
    Text(&'a str),
    Number(f64),
}

fn xlsx(rows: &[Vec<Cell>]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match cell {
                Cell::Text(s) => ws.write_string(r as u32 + 1, c as u16, *s).unwrap(),
                Cell::Number(n) => ws.write_number(r as u32 + 1, c as u16, *n).unwrap(),
            };
        }
    }
    wb.save_to_buffer().unwrap()
}

fn errors_of(report: &Value, row: u64) -> Vec<String> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["row"] == row)
        .map(|e| format!("{}:{}", e["field"].as_str().unwrap(), e["message"].as_str().unwrap()))
        .collect()
}

async fn count_members(t: &TestApp) -> u64 {
    let w = t.login("wuchuan_admin").await;
    w.get("/api/v1/members?per_page=1").await.body["total"].as_u64().unwrap()
}

async fn dry_run_then_all_or_nothing(t: TestApp) {
    use Cell::*;
    let w = t.login("wuchuan_admin").await;
    let tpl = w.get("/api/v1/imports/members/template.xlsx").await;
    assert_eq!(tpl.status, StatusCode::OK);
    let head = &sheet(&tpl.bytes)[0];
    assert_eq!(&head[..4], &["姓名*", "性别", "民族", "身份证号*"]);

    let org = "梅菉街道梅岭村第一党支部";
    let id = |seq| crate::helpers::id_number("440883", 1975, 1, 1, seq);
    let (a, b, c, d) = (id(11), id(12), id(13), id(14));
    let mut wrong = id(15);
    let last = wrong.pop().unwrap();
    wrong.push(if last == '1' { '2' } else { '1' });
    let existing =
        honglian_domain::IdNumber::synthesize("440883", chrono::NaiveDate::from_ymd_opt(1992, 8, 16).unwrap(), 951);
    let fullwidth_phone = "１３８００１３８０００";
    let (e16, e17) = (id(16), id(17));
    let (spaced_id, spaced_org) = (format!(" {c} "), format!(" {org}　"));
    let recent = chrono::Utc::now().date_naive() - chrono::Duration::days(60);
    let recent_joined = {
        use chrono::Datelike;
        format!("{}-{}-{}", recent.year(), recent.month(), recent.day())
    };
    let rows = vec![
        vec![
            Text("梁一"),
            Text(&a),
            Text("13800138001"),
            Text("2001.07"),
            Text("正式党员"),
            Text("2002.07"),
            Text(org),
            Text("先锋岗"),
        ],
        vec![Text("梁二"), Text(&wrong), Text(""), Text("2001-7-1"), Text(""), Text(""), Text(org), Text("")],
        vec![Text("梁三"), Text(&b), Text(""), Text("2001-7-1"), Text(""), Text(""), Text("不存在的党支部"), Text("")],
        vec![Text("梁四"), Text(&a), Text(""), Text("2001-7-1"), Text(""), Text(""), Text(org), Text("")],
        vec![
            Text("林志远"),
            Text(existing.as_str()),
            Text(""),
            Text("2015-07-01"),
            Text(""),
            Text(""),
            Text(org),
            Text(""),
        ],
        vec![
            Text("　梁　五 "),
            Text(&spaced_id),
            Text(fullwidth_phone),
            // Unpadded, and recent enough for a probationary member (probation: one year, extendable once).
            Text(&recent_joined),
            Text("预备党员"),
            Text(""),
            Text(&spaced_org),
            Text(""),
        ],
        vec![Text("梁六"), Text(&d), Text(""), Text("2001年7月"), Text(""), Text(""), Text(org), Text("")],
        vec![Text("梁七"), Text(&e16), Text(""), Number(37073.0), Text(""), Text(""), Text(org), Text("")],
        vec![Text("梁八"), Text(&e17), Text(""), Text("去年"), Text(""), Text(""), Text(org), Text("乱写的标签")],
    ];
    let file = xlsx(&rows);
    let before = count_members(&t).await;
    let r = w.upload("/api/v1/imports/members?dry_run=true", "党员.xlsx", file.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let rep = &r.body;
    assert_eq!(rep["rows"], 9);
    assert_eq!(rep["valid"], 4, "{rep:#}");
    assert_eq!(rep["skipped"], 1);
    assert_eq!(rep["written"], 0);
    assert_eq!(
        errors_of(rep, 3),
        vec![format!("id_number:身份证号校验码错误：最后一位应为 {last}，实际为 {}", wrong.chars().last().unwrap())]
    );
    assert_eq!(errors_of(rep, 4), vec!["org:找不到党组织“不存在的党支部”（或不在您的管理范围内）"]);
    assert_eq!(errors_of(rep, 5), vec!["id_number:与第 2 行的身份证号重复"]);
    let e10 = errors_of(rep, 10);
    assert!(e10.iter().any(|e| e.starts_with("joined_on:无法识别的日期“去年”")), "{e10:?}");
    assert!(e10.iter().any(|e| e.contains("乱写的标签")), "{e10:?}");
    assert_eq!(rep["warnings"][0]["row"], 6);
    assert_eq!(rep["errors"][0]["column"], "身份证号");
    assert_eq!(count_members(&t).await, before, "a dry run writes nothing");

    // The real run refuses the whole file while any row has a problem.
    let real = w.upload("/api/v1/imports/members", "党员.xlsx", file).await;
    assert_eq!(real.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(real.body["written"], 0);
    assert_eq!(count_members(&t).await, before);

    // Without the bad rows it writes every valid row; importing again changes nothing.
    let good: Vec<Vec<Cell>> =
        rows.into_iter().enumerate().filter(|(i, _)| [0, 4, 5, 6, 7].contains(i)).map(|(_, r)| r).collect();
    let file = xlsx(&good);
    let ok = w.upload("/api/v1/imports/members", "党员.xlsx", file.clone()).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.body["written"], 4);
    assert_eq!(count_members(&t).await, before + 4);
    let found = w.post("/api/v1/members/lookup", json!({"id_number": c})).await.body;
    assert_eq!(found["items"][0]["name"], "梁五", "the padding of a two-character name is not part of it");
    assert_eq!(found["items"][0]["phone"], "*******8000");
    assert_eq!(found["items"][0]["category"], "probationary");
    let serial = w.post("/api/v1/members/lookup", json!({"id_number": e16})).await.body;
    assert_eq!(serial["items"][0]["joined_on"], "2001-07-01");
    let again = w.upload("/api/v1/imports/members", "党员.xlsx", file).await;
    assert_eq!(again.body["written"], 0);
    assert_eq!(again.body["skipped"], 5);
    assert_eq!(count_members(&t).await, before + 4);
    let audit = t.login("auditor").await.get("/api/v1/audit-events?action=member.import").await.body;
    assert_eq!(audit["total"], 1);
    assert_eq!(audit["items"][0]["detail"]["written"], 4);
}
crate::both!(dry_run_then_all_or_nothing);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_in_gbk_and_hostile_files() {
    let t = TestApp::sqlite().await;
    let w = t.login("wuchuan_admin").await;
    let idn = crate::helpers::id_number("440883", 1985, 2, 2, 21);
    let text = format!("姓名,身份证号,入党日期,所在党组织\n陈 某,{idn},2008年7月,梅菉街道梅岭村第一党支部\n");
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    let r = w.upload("/api/v1/imports/members?dry_run=true", "党员.csv", gbk.to_vec()).await;
    assert_eq!(r.body["valid"], 1, "{}", r.body);

    let refused = |r: &crate::helpers::Resp| r.body["errors"]["file"][0].as_str().unwrap_or_default().to_string();
    let png = w.upload("/api/v1/imports/members?dry_run=true", "照片.png", b"\x89PNG\r\n\x1a\n0000".to_vec()).await;
    assert_eq!(png.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused(&png), "文件类型不支持，请上传 .xlsx 或 .csv 文件");
    let fake = w
        .upload("/api/v1/imports/members?dry_run=true", "党员.xlsx", b"PK\x03\x04 this is not really a zip".to_vec())
        .await;
    assert!(refused(&fake).contains("不是有效的 xlsx"), "{}", fake.body);
    let xls = w.upload("/api/v1/imports/members?dry_run=true", "党员.xls", vec![0xD0, 0xCF, 0x11, 0xE0, 0, 0]).await;
    assert!(refused(&xls).contains(".xls"));
    assert!(refused(&w.upload("/api/v1/imports/members?dry_run=true", "空.csv", vec![]).await).contains("空的"));
    // A zip bomb: a small file that unpacks to hundreds of megabytes of XML.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..320 {
            z.write_all(&chunk).unwrap();
        }
        z.finish().unwrap();
    }
    let bomb = buf.into_inner();
    assert!(bomb.len() < 2 * 1024 * 1024, "the bomb is small: {}", bomb.len());
    let r = w.upload("/api/v1/imports/members?dry_run=true", "炸弹.xlsx", bomb).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused(&r).contains("解压后"), "{}", r.body);
    // Too many entries.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        for i in 0..300 {
            z.start_file(format!("f{i}.xml"), zip::write::SimpleFileOptions::default()).unwrap();
        }
        z.finish().unwrap();
    }
    let r = w.upload("/api/v1/imports/members?dry_run=true", "多.xlsx", buf.into_inner()).await;
    assert!(refused(&r).contains("条目过多"), "{}", r.body);
    // Missing required columns.
    let r = w
        .upload(
            "/api/v1/imports/members?dry_run=true",
            "少列.csv",
            "姓名,手机号\n张三,13800000000\n".as_bytes().to_vec(),
        )
        .await;
    // Nothing is guessed: the report says what is missing and shows the sheet for a mapping by hand.
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["errors"][0]["message"],
        "前 20 行中没有找到表头：表头一行须包含 姓名、身份证号、入党日期、所在党组织；最接近的是第 1 行，缺少 身份证号、入党日期、所在党组织"
    );
    let phone = r.body["preview"]["rows"][1]["cells"][1].as_str().unwrap();
    assert!(phone.contains("****") && phone != "13800000000", "phones are masked in the preview: {phone}");
    // Over the size limit.
    let big = vec![b'a'; 21 * 1024 * 1024];
    let r = w.upload("/api/v1/imports/members?dry_run=true", "大.csv", big).await;
    assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::PAYLOAD_TOO_LARGE, "{}", r.status);
    assert!(refused(&r).contains("过大"), "{}", r.body);
}

/// 100,000 rows: the dry run in the background reports progress, the real run writes them all.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_thousand_rows_with_progress() {
    let t = TestApp::sqlite().await;
    let w = t.login("wuchuan_admin").await;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in HEADER.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    const N: u32 = 100_000;
    for k in 0..N {
        let id = honglian_app::demo::demo_id_number("440103", k);
        let r = k + 1;
        ws.write_string(r, 0, format!("测试{k}")).unwrap();
        ws.write_string(r, 1, id.as_str()).unwrap();
        ws.write_string(r, 3, "2020-07-01").unwrap();
        ws.write_string(r, 6, "广州吴川商会党支部").unwrap();
    }
    let file = wb.save_to_buffer().unwrap();
    let before = count_members(&t).await;
    let job = w.upload("/api/v1/imports/members?dry_run=true&background=true", "十万.xlsx", file.clone()).await;
    assert_eq!(job.status, StatusCode::ACCEPTED, "{}", job.body);
    let id = job.body["id"].as_i64().unwrap();
    let mut seen_partial = false;
    let done = loop {
        let j = w.get(&format!("/api/v1/jobs/{id}")).await.body;
        let (p, total) = (j["processed"].as_i64().unwrap(), j["total"].as_i64().unwrap());
        if j["status"] == "running" && p > 0 && p < total {
            seen_partial = true;
        }
        if j["status"] != "running" {
            break j;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    };
    assert_eq!(done["status"], "done", "{done}");
    assert_eq!(done["processed"], N);
    assert_eq!(done["result"]["valid"], N);
    assert!(seen_partial, "progress was visible while the job ran");
    // Another user cannot see the job.
    assert_eq!(t.login("gz_branch").await.get(&format!("/api/v1/jobs/{id}")).await.status, StatusCode::NOT_FOUND);
    let real = w.upload("/api/v1/imports/members", "十万.xlsx", file).await;
    assert_eq!(real.status, StatusCode::OK, "{}", real.body);
    assert_eq!(real.body["written"], N);
    assert_eq!(count_members(&t).await, before + N as u64);
}

/// A township's roster as it is really kept: a merged title row, a 填报单位 / 填报日期 row, headers on
/// row 3 with their own names (出生年月, 公民身份号码, 学历 …), a blank row, numbered rows left
/// empty, a 合计 row, a signature footer, and an instructions sheet before it. It imports without
/// being retyped; each problem is reported at the row Excel shows, under the file's column name.
async fn a_real_roster(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let branch = "梅菉街道新华社区第一党支部";
    let mut wb = Workbook::new();
    let help = wb.add_worksheet();
    help.set_name("填表说明").unwrap();
    help.write_string(0, 0, "1. 本表由各党支部填报，出生年月写到月。").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("党员花名册").unwrap();
    let title = rust_xlsxwriter::Format::new().set_bold();
    ws.merge_range(0, 0, 0, 11, "梅菉街道党员花名册", &title).unwrap();
    ws.write_string(1, 0, "填报单位：梅菉街道党工委").unwrap();
    ws.write_string(1, 8, "填报日期：2026年11月").unwrap();
    let header = [
        "序号",
        "姓名",
        "性别",
        "民族",
        "出生年月",
        "公民身份号码",
        "学历",
        "入党时间",
        "转正时间",
        "人员类别",
        "所在党支部",
        "联系电话",
        "是否流动党员",
        "外出地点",
        "外出时间",
        "籍贯",
    ];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let id = |y, m, d, seq| crate::helpers::id_number("440883", y, m, d, seq);
    let (a, b, c) = (id(1985, 7, 14, 971), id(1990, 2, 3, 972), id(1978, 11, 30, 983));
    let a15 = {
        // The first-generation number of a fourth person: region, YYMMDD, sequence.
        let full = id(1966, 5, 20, 975);
        format!("{}{}", &full[..6], &full[8..17])
    };
    let rows: Vec<Vec<String>> = vec![
        vec![
            "1".into(),
            "陈 志 强".into(),
            "男".into(),
            "汉族".into(),
            "1985.07".into(),
            a.to_lowercase(),
            "研究生".into(),
            "2008-7-1".into(),
            "2009.7.1".into(),
            "正式党员".into(),
            branch.into(),
            "138-2233-4455".into(),
            "否".into(),
            "".into(),
        ],
        vec![
            "2".into(),
            "林晓红".into(),
            "女".into(),
            "汉族".into(),
            "1990年2月".into(),
            b.clone(),
            "大学本科".into(),
            "20120701".into(),
            "2013年7月".into(),
            "正式".into(),
            branch.into(),
            "139 1122 3344".into(),
            "是".into(),
            "在外地打工".into(),
            "".into(),
            "广东吴川".into(),
        ],
        vec![],
        vec![
            "3".into(),
            "黄伟".into(),
            "男".into(),
            "汉族".into(),
            "1978.11".into(),
            c.clone(),
            "中专".into(),
            "2001.07".into(),
            "2002.07".into(),
            "正式党员".into(),
            branch.into(),
            "".into(),
            "是".into(),
            "广东省广州市天河区".into(),
            "2025.3".into(),
        ],
        vec![
            "4".into(),
            "吴国平".into(),
            "男".into(),
            "汉族".into(),
            "1966.05".into(),
            a15.clone(),
            "初中".into(),
            "1990.7.1".into(),
            "1991.7.1".into(),
            "正式党员".into(),
            branch.into(),
            "".into(),
            "否".into(),
            "".into(),
        ],
        vec!["5".into()],
        vec!["6".into()],
        vec!["合计".into(), "4人".into()],
        vec![],
        vec![
            "填表人：李红".into(),
            "".into(),
            "".into(),
            "".into(),
            "审核人：陈明".into(),
            "".into(),
            "".into(),
            "".into(),
            "（盖章）".into(),
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            ws.write_string(3 + r as u32, col as u16, v).unwrap();
        }
    }
    let file = wb.save_to_buffer().unwrap();
    let dry = w.upload("/api/v1/imports/members?dry_run=true", "梅菉街道党员花名册.xlsx", file.clone()).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    let report = &dry.body;
    assert_eq!(report["sheet"], "党员花名册", "the instructions sheet is passed over");
    assert_eq!(report["header_row"], 3);
    assert_eq!(report["rows"], 4, "four people: the blank, numbered-empty, total and footer rows are not members");
    assert_eq!(report["valid"], 4, "{report}");
    assert!(report["errors"].as_array().unwrap().is_empty(), "{report}");
    let ignored: Vec<&str> =
        report["ignored_columns"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(ignored, vec!["籍贯"], "{report}");
    assert_eq!(report["outflows"], 2, "the two mobile members' outflows are registered with them: {report}");
    let warning = |row: u64, column: &str| {
        report["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|w| w["row"] == row && w["column"] == column)
            .unwrap_or_else(|| panic!("a warning at row {row}, {column}: {report}"))["message"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(warning(8, "公民身份号码").contains("15 位身份证号已按国家标准升为 18 位"));
    assert!(warning(5, "外出地点").contains("“在外地打工”未能识别为省市区"));
    assert!(warning(5, "外出时间").contains("按导入当天计"));

    let real = w.upload("/api/v1/imports/members", "梅菉街道党员花名册.xlsx", file).await;
    assert_eq!(real.body["written"], 4, "{}", real.body);
    let found = w.post("/api/v1/members/lookup", json!({"id_number": a})).await.body;
    let m = &found["items"][0];
    assert_eq!(m["name"], "陈志强", "spaces inside a name are the typist's");
    assert_eq!(m["education"], "master");
    assert_eq!(m["joined_on"], "2008-07-01");
    assert_eq!(m["phone"], "*******4455");
    // 黄伟 went to Guangzhou: the open outflow was registered from the roster, typed once.
    let huang =
        w.post("/api/v1/members/lookup", json!({"id_number": c})).await.body["items"][0]["id"].as_i64().unwrap();
    let mobility = w.get(&format!("/api/v1/members/{huang}/mobility")).await.body;
    let open = &mobility["items"][0];
    assert_eq!(open["direction"], "outflow");
    assert_eq!(open["status"], "open");
    assert_eq!(open["city_code"], "440100", "{open}");
    assert_eq!(open["start_date"], "2025-03-01");
    let upgraded = w
        .post("/api/v1/members/lookup", json!({"id_number": crate::helpers::id_number("440883", 1966, 5, 20, 975)}))
        .await;
    assert_eq!(upgraded.body["items"][0]["name"], "吴国平", "{}", upgraded.body);

    // The same roster with the mistakes clerks make: every problem at its row and column.
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "党员花名册").unwrap();
    for (c, h) in header.iter().enumerate() {
        ws.write_string(1, c as u16, *h).unwrap();
    }
    let d = id(1992, 3, 9, 991);
    let cells: Vec<Vec<&str>> = vec![
        vec!["1", "梁海", "男", "汉族", "1992.04", &d, "大学本科", "2015.7.1", "", "预备党员", branch],
        vec!["2", "梁海二", "男", "汉族", "1992.03", &d, "幼儿园", "2015.2.30", "", "正式党员", branch],
        vec!["3", "外县人", "男", "汉族", "1980.01", &c, "本科", "2005.7.1", "", "正式党员", "金乡县某化工党支部"],
    ];
    for (r, row) in cells.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            ws.write_string(2 + r as u32, col as u16, *v).unwrap();
        }
    }
    // An ID number typed into a number cell: Excel has already rounded it.
    ws.write_string(5, 1, "数字身份证").unwrap();
    ws.write_number(5, 5, 440883199001011234.0).unwrap();
    ws.write_string(5, 7, "2010.7.1").unwrap();
    ws.write_string(5, 10, branch).unwrap();
    let messy =
        w.upload("/api/v1/imports/members?dry_run=true", "有问题的花名册.xlsx", wb.save_to_buffer().unwrap()).await;
    assert_eq!(messy.status, StatusCode::OK, "{}", messy.body);
    let r = &messy.body;
    let at = |row: u64| errors_of(r, row).join(" | ");
    assert!(at(3).contains("birth_date:出生年月与身份证号不符（身份证号为 1992 年 3 月）"), "{}", at(3));
    assert!(at(4).contains("与第 3 行的身份证号重复"), "{}", at(4));
    assert!(at(4).contains("学历“幼儿园”无法识别"), "{}", at(4));
    assert!(at(4).contains("joined_on:“2015.2.30”不是有效日期"), "{}", at(4));
    assert!(at(5).contains("找不到党组织“金乡县某化工党支部”（或不在您的管理范围内）"), "{}", at(5));
    assert!(at(6).contains("Excel 已把它四舍五入"), "{}", at(6));
    let columns: Vec<&str> = r["errors"].as_array().unwrap().iter().map(|e| e["column"].as_str().unwrap()).collect();
    assert!(
        columns.contains(&"出生年月") && columns.contains(&"入党时间") && columns.contains(&"所在党支部"),
        "{columns:?}"
    );
}
crate::both!(a_real_roster);

/// A roster's 党内职务 registers the branch's committee where it has none (issue 16: the committee
/// is importable); a title that is no committee post, or a committee the rules do not allow, is a
/// warning and the members are imported all the same.
async fn a_roster_registers_the_committee(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    let gz = t.org_id("广州吴川商会党支部").await;
    let parent = w.get(&format!("/api/v1/orgs/{gz}")).await.body["parent_id"].as_i64().unwrap();
    let new_branch = |name: &'static str| {
        let w = &w;
        async move {
            let r = w.post("/api/v1/orgs", json!({"parent_id": parent, "name": name, "kind": "branch"})).await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
            r.body["id"].as_i64().unwrap()
        }
    };
    let big = new_branch("花名册委员会测试党支部").await;
    let small = new_branch("花名册小支部").await;
    let id = |seq| crate::helpers::id_number("440883", 1980, 1 + seq % 12, 1 + seq % 28, seq);
    let mut csv = String::from("姓名,身份证号,入党时间,转正时间,人员类别,所在党支部,党内职务\n");
    let posts = ["支部书记", "组织委员", "宣传委员", "无", "", "车间主任", ""];
    for (i, post) in posts.iter().enumerate() {
        let seq = 600 + i as u32;
        csv.push_str(&format!("委员测试{i},{},2005年7月,2006年7月,正式党员,花名册委员会测试党支部,{post}\n", id(seq)));
    }
    // Three full members cannot have a committee of three: a secretary and a deputy at most.
    for (i, post) in ["书记", "组织委员", "宣传委员"].iter().enumerate() {
        let seq = 650 + i as u32;
        csv.push_str(&format!("小支部{i},{},2005年7月,2006年7月,正式党员,花名册小支部,{post}\n", id(seq)));
    }
    let r = w.upload("/api/v1/imports/members", "花名册.csv", csv.into_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["written"], 10, "{}", r.body);
    assert_eq!(r.body["committees"], 1, "{}", r.body);
    let warnings = r.body["warnings"].as_array().unwrap();
    let said = |needle: &str| {
        warnings.iter().any(|x| x["column"] == "党内职务" && x["message"].as_str().unwrap().contains(needle))
    };
    assert!(said("车间主任"), "{warnings:?}");
    assert!(said("不足 7 人"), "{warnings:?}");
    let c = w.get(&format!("/api/v1/orgs/{big}/committee")).await.body;
    let held: Vec<&str> =
        c["in_office"].as_array().unwrap().iter().map(|p| p["post_label"].as_str().unwrap()).collect();
    assert_eq!(held, ["书记", "组织委员", "宣传委员"], "{c}");
    assert_eq!(w.get(&format!("/api/v1/orgs/{big}")).await.body["secretary"], "委员测试0");
    assert!(w.get(&format!("/api/v1/orgs/{small}/committee")).await.body["in_office"].as_array().unwrap().is_empty());
    // A second roster does not replace the committee in office.
    let again = format!(
        "姓名,身份证号,入党时间,转正时间,人员类别,所在党支部,党内职务\n新来的,{},2005年7月,2006年7月,正式党员,花名册委员会测试党支部,书记\n",
        id(690)
    );
    let r = w.upload("/api/v1/imports/members", "花名册.csv", again.into_bytes()).await;
    assert_eq!(r.body["committees"], 0, "{}", r.body);
    assert!(r.body["warnings"].to_string().contains("已登记委员会"), "{}", r.body);
}
crate::both!(a_roster_registers_the_committee);

/// A real run longer than one batch (its checked rows wait in a sealed temporary file until the whole
/// file is read): a problem on the last row still writes nothing, not one member and not one outflow;
/// without it every member is written and the mobile members' outflows are in the outflow ledger with
/// their place and date; importing it again skips everyone and registers no second outflow.
async fn a_long_import_is_written_whole_or_not_at_all(t: TestApp) {
    let w = t.login("wuchuan_admin").await;
    const N: u32 = 2_500;
    let roster = |last_joined: &str| {
        let mut csv = String::from(
            "序号,姓名,公民身份号码,入党时间,转正时间,人员类别,所在党支部,是否流动党员,外出地点,外出时间\n",
        );
        for k in 0..N {
            let id = honglian_app::demo::demo_id_number("440825", k);
            let joined = if k == N - 1 { last_joined } else { "2024.7.1" };
            let (mobile, place, left) =
                if k % 10 == 0 { ("是", "广东省广州市天河区", "2025.4.2") } else { ("否", "", "") };
            csv.push_str(&format!(
                "{},长名册{k},{},{joined},2025.7.1,正式党员,梅菉街道梅岭村第一党支部,{mobile},{place},{left}\n",
                k + 1,
                id.as_str()
            ));
        }
        csv.into_bytes()
    };
    let ledger = || async {
        w.get("/api/v1/ledgers/outflow?city=440100&from=2025-04-02&to=2025-04-02&per_page=1").await.body["total"]
            .as_u64()
            .unwrap()
    };
    let before = count_members(&t).await;

    let bad = w.upload("/api/v1/imports/members", "长名册.csv", roster("去年")).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert_eq!(bad.body["written"], 0);
    assert_eq!(bad.body["valid"], N - 1, "the rows before the problem are counted: {}", bad.body);
    assert_eq!(bad.body["outflows"], N / 10);
    assert!(errors_of(&bad.body, u64::from(N) + 1)[0].starts_with("joined_on:"), "{}", bad.body);
    assert_eq!(count_members(&t).await, before, "a refused real run writes no member");
    assert_eq!(ledger().await, 0, "and no outflow");

    let good = w.upload("/api/v1/imports/members", "长名册.csv", roster("2024.7.1")).await;
    assert_eq!(good.status, StatusCode::OK, "{}", good.body);
    assert_eq!(
        (good.body["written"].as_u64(), good.body["outflows"].as_u64()),
        (Some(N.into()), Some((N / 10).into()))
    );
    assert_eq!(count_members(&t).await, before + u64::from(N));
    assert_eq!(ledger().await, u64::from(N / 10), "every mobile member's outflow is in the ledger");
    let first = w
        .post("/api/v1/members/lookup", json!({"id_number": honglian_app::demo::demo_id_number("440825", 0).as_str()}))
        .await
        .body;
    let id = first["items"][0]["id"].as_i64().unwrap();
    let open = &w.get(&format!("/api/v1/members/{id}/mobility")).await.body["items"][0];
    assert_eq!(
        (&open["status"], &open["start_date"], &open["city_code"]),
        (&json!("open"), &json!("2025-04-02"), &json!("440100")),
        "{open}"
    );

    let again = w.upload("/api/v1/imports/members", "长名册.csv", roster("2024.7.1")).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!((again.body["written"].as_u64(), again.body["skipped"].as_u64()), (Some(0), Some(N.into())));
    assert_eq!(again.body["outflows"], 0);
    assert_eq!(count_members(&t).await, before + u64::from(N));
    assert_eq!(ledger().await, u64::from(N / 10));
}
crate::both!(a_long_import_is_written_whole_or_not_at_all);
