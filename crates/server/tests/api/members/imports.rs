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

    let org = "梅菉街道梅岭村党支部";
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
            Text("2001-7-1"),
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
    assert_eq!(found["items"][0]["name"], "梁 五");
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
    let text = format!("姓名,身份证号,入党日期,所在党组织\n陈 某,{idn},2008年7月,梅菉街道梅岭村党支部\n");
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
    assert_eq!(refused(&r), "缺少必填列：身份证号、入党日期、所在党组织（请使用导入模板）");
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
