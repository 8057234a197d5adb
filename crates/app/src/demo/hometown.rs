//! The demo's 回乡工程 (Wuchuan's report: "吴川市委常委不定期到商会党组织召开招商引资推介会，鼓励流动党员
//! 回乡投资建设"): drives held with the chambers since 2021 and the leads they and the members brought —
//! most landed over the years, the latest still moving, some dropped, two unmoved past the county's 30 days
//! (a charging network since its first call, a herb base never called back).
//! member_demo took part in the latest 广州 drive.

use chrono::{Datelike, Duration, NaiveDate};
use honglian_domain::hometown::investment::LeadStage;
use honglian_store::repo::hometown::investment::{self as repo, NewDrive, NewLead};
use honglian_store::repo::members::registry as members;
use honglian_store::repo::organisations::orgs::Org;
use sea_orm::ConnectionTrait;

use crate::{App, AppResult};

/// (chamber, city, date: absolute or days before today, title, leaders).
type DemoDrive = (&'static str, &'static str, When, &'static str, &'static str);

#[derive(Clone, Copy)]
enum When {
    On(i32, u32, u32),
    DaysAgo(i64),
}

const LEADERS: &str = "吴川市委常委、统战部部长；市工商联党委书记";

const DRIVES: &[DemoDrive] = &[
    ("广州吴川商会党支部", "广州", When::On(2021, 11, 20), "吴川（广州）招商引资推介会", LEADERS),
    (
        "深圳吴川商会党支部",
        "深圳",
        When::On(2022, 6, 18),
        "吴川—深圳“双招双引”乡贤恳谈会",
        "吴川市委常委、常务副市长；市工商联党委书记",
    ),
    ("佛山吴川商会党支部", "佛山", When::On(2023, 4, 15), "吴川（佛山）乡贤回乡投资推介会", LEADERS),
    ("南宁吴川商会党支部", "南宁", When::On(2023, 10, 21), "吴川—南宁商会合作交流会", LEADERS),
    (
        "海口吴川商会党支部",
        "海口",
        When::On(2024, 5, 11),
        "吴川（海口）文旅康养项目推介会",
        "吴川市委常委、宣传部部长；市文广旅体局局长",
    ),
    ("上海吴川商会党支部", "上海", When::On(2024, 11, 9), "吴川（上海）招商引资推介会", LEADERS),
    ("东莞吴川商会党支部", "东莞", When::On(2025, 6, 14), "“添砖添彩”吴川乡贤座谈会（东莞）", LEADERS),
    (
        "深圳吴川商会党支部",
        "深圳",
        When::DaysAgo(75),
        "吴川（深圳）电子信息产业招商推介会",
        "吴川市委常委、常务副市长；市工业和信息化局局长",
    ),
    ("广州吴川商会党支部", "广州", When::DaysAgo(40), "“添砖添彩·双招双引”吴川（广州）推介会", LEADERS),
];

/// (drive index or none, chamber, project, sector, investor, city, town, intended 万元, days after the
/// drive (or before today, for a lead without a drive) of each step reached, final: landed 万元 or a
/// drop reason).
type DemoLead = (
    Option<usize>,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    i64,
    &'static [i64],
    End,
);

#[derive(Clone, Copy)]
enum End {
    Open,
    Landed(i64),
    Dropped(&'static str),
}

const LEADS: &[DemoLead] = &[
    (
        Some(0),
        "广州吴川商会党支部",
        "吴川经济开发区新型建材产业园",
        "construction",
        "广州某建材集团有限公司",
        "广州",
        "吴川经济开发区",
        30000,
        &[12, 45, 150, 420],
        End::Landed(26000),
    ),
    (
        Some(0),
        "广州吴川商会党支部",
        "梅菉羽绒制品智能化改造项目",
        "manufacturing",
        "某羽绒制品有限公司",
        "广州",
        "梅菉街道",
        8000,
        &[10, 30, 90, 300],
        End::Landed(8500),
    ),
    (
        Some(0),
        "广州吴川商会党支部",
        "鉴江沿岸乡村民宿集群",
        "tourism",
        "广州某文旅投资有限公司",
        "广州",
        "黄坡镇",
        5000,
        &[20, 60],
        End::Dropped("选址涉及生态保护红线，投资方放弃"),
    ),
    (
        Some(1),
        "深圳吴川商会党支部",
        "电子元器件配套产业基地",
        "electronics",
        "深圳某电子科技有限公司",
        "深圳",
        "吴川经济开发区",
        50000,
        &[8, 40, 120, 400],
        End::Landed(42000),
    ),
    (
        Some(1),
        "深圳吴川商会党支部",
        "跨境电商物流仓储中心",
        "logistics",
        "深圳某供应链管理有限公司",
        "深圳",
        "博铺街道",
        12000,
        &[15, 50, 200, 520],
        End::Landed(11000),
    ),
    (
        Some(1),
        "深圳吴川商会党支部",
        "分布式光伏发电项目",
        "energy",
        "深圳某新能源有限公司",
        "深圳",
        "长岐镇",
        9000,
        &[10],
        End::Dropped("电网接入容量不足，暂缓"),
    ),
    (
        Some(2),
        "佛山吴川商会党支部",
        "家具五金配件生产线",
        "manufacturing",
        "佛山某五金制品有限公司",
        "佛山",
        "塘㙍镇",
        6000,
        &[7, 35, 110, 330],
        End::Landed(6200),
    ),
    (
        Some(2),
        "佛山吴川商会党支部",
        "预制菜加工及冷链配送中心",
        "agri_food",
        "佛山某食品有限公司",
        "佛山",
        "长岐镇",
        15000,
        &[12, 40, 160, 450],
        End::Landed(13500),
    ),
    (
        Some(3),
        "南宁吴川商会党支部",
        "南北果蔬集散交易市场",
        "logistics",
        "南宁某农产品批发市场有限公司",
        "南宁",
        "黄坡镇",
        20000,
        &[20, 70, 240, 600],
        End::Landed(18000),
    ),
    (
        Some(3),
        "南宁吴川商会党支部",
        "农村电商服务站网络",
        "services",
        "南宁某电子商务有限公司",
        "南宁",
        "王村港镇",
        1500,
        &[10, 30, 80, 200],
        End::Landed(1600),
    ),
    (
        Some(4),
        "海口吴川商会党支部",
        "吉兆湾滨海康养度假区",
        "tourism",
        "海口某旅游开发有限公司",
        "海口",
        "吴阳镇",
        80000,
        &[15, 60, 300, 700],
        End::Landed(60000),
    ),
    (
        Some(4),
        "海口吴川商会党支部",
        "海鲜精深加工项目",
        "agri_food",
        "海口某海洋食品有限公司",
        "海口",
        "王村港镇",
        7000,
        &[10, 45, 150, 380],
        End::Landed(7300),
    ),
    (
        Some(5),
        "上海吴川商会党支部",
        "智能制造研发中心",
        "manufacturing",
        "上海某智能装备有限公司",
        "上海",
        "吴川经济开发区",
        25000,
        &[14, 60, 210, 560],
        End::Landed(20000),
    ),
    (
        Some(5),
        "上海吴川商会党支部",
        "乡村振兴产业基金",
        "services",
        "上海某投资管理有限公司",
        "上海",
        "梅菉街道",
        10000,
        &[30],
        End::Dropped("基金募集未达预期"),
    ),
    (
        Some(6),
        "东莞吴川商会党支部",
        "塑料制品绿色循环利用项目",
        "manufacturing",
        "东莞某塑胶制品有限公司",
        "东莞",
        "振文镇",
        4000,
        &[10, 40, 120, 280],
        End::Landed(4200),
    ),
    (
        Some(6),
        "东莞吴川商会党支部",
        "小家电组装生产基地",
        "electronics",
        "东莞某电器有限公司",
        "东莞",
        "浅水镇",
        9000,
        &[12, 50, 150, 480],
        End::Landed(9000),
    ),
    (
        Some(7),
        "深圳吴川商会党支部",
        "智能终端模组生产线",
        "electronics",
        "深圳某智能科技有限公司",
        "深圳",
        "吴川经济开发区",
        35000,
        &[10, 50],
        End::Open,
    ),
    (
        Some(7),
        "深圳吴川商会党支部",
        "新能源汽车充电网络",
        "energy",
        "深圳某充电科技有限公司",
        "深圳",
        "梅菉街道",
        3000,
        &[5],
        End::Open,
    ),
    (
        Some(8),
        "广州吴川商会党支部",
        "绿色装配式建材生产基地",
        "construction",
        "广州某建材有限公司",
        "广州",
        "塘㙍镇",
        12000,
        &[3, 20],
        End::Open,
    ),
    (
        Some(8),
        "广州吴川商会党支部",
        "吴川月饼与特色食品电商产业园",
        "agri_food",
        "广州某食品科技有限公司",
        "广州",
        "梅菉街道",
        6000,
        &[5, 25],
        End::Open,
    ),
    (
        Some(8),
        "广州吴川商会党支部",
        "红色研学与乡村旅游线路",
        "tourism",
        "广州某研学旅行有限公司",
        "广州",
        "长岐镇",
        800,
        &[10],
        End::Open,
    ),
    (
        None,
        "惠州吴川商会党支部",
        "石化配套新材料项目",
        "manufacturing",
        "惠州某新材料有限公司",
        "惠州",
        "吴川经济开发区",
        18000,
        &[60, 45],
        End::Open,
    ),
    (
        None,
        "三亚吴川商会党支部",
        "南药种植与加工基地",
        "agri_food",
        "三亚某农业科技有限公司",
        "三亚",
        "兰石镇",
        2500,
        &[90],
        End::Open,
    ),
];

/// The demo members of a chamber who brought leads: its first few.
async fn chamber_member(txn: &impl ConnectionTrait, org: &Org, k: usize) -> AppResult<Option<(i64, String)>> {
    let ms = members::of_org(txn, org.id).await?;
    Ok(ms.get(k % ms.len().max(1)).map(|(id, name, _, _)| (*id, name.clone())))
}

impl App {
    pub(crate) async fn demo_hometown(
        &self,
        txn: &impl ConnectionTrait,
        chambers: &[Org],
        admin: Option<i64>,
        member_demo: i64,
    ) -> AppResult<()> {
        let today = crate::today();
        let chamber = |name: &str| chambers.iter().find(|c| c.name == name).expect("a demo chamber");
        let day = |w: When| match w {
            When::On(y, m, d) => NaiveDate::from_ymd_opt(y, m, d).expect("a demo date"),
            When::DaysAgo(n) => today - Duration::days(n),
        };
        let mut drives = Vec::new();
        for (i, &(org, city, when, title, leaders)) in DRIVES.iter().enumerate() {
            let o = chamber(org);
            let d = repo::insert_drive(
                txn,
                NewDrive {
                    org_id: o.id,
                    org_path: o.path.clone(),
                    held_on: day(when),
                    city: city.into(),
                    title: title.into(),
                    leaders: leaders.into(),
                    entrepreneurs: format!("{city}吴川商会会长、副会长及会员企业负责人 {} 人", 18 + i * 3),
                    summary: "市领导介绍吴川营商环境和重点招商项目，与会乡贤交流回乡投资意向，会后建立项目线索台账，由商会党支部跟进对接。"
                        .into(),
                    created_by: admin,
                },
            )
            .await?;
            let mut took_part: Vec<i64> = members::of_org(txn, o.id).await?.into_iter().take(4).map(|m| m.0).collect();
            if i == DRIVES.len() - 1 {
                took_part.push(member_demo);
            }
            repo::set_drive_members(txn, d.id, &took_part).await?;
            drives.push(d);
        }
        for (k, &(drive, org, project, sector, investor, city, town, wan, steps, end)) in LEADS.iter().enumerate() {
            let o = chamber(org);
            // A lead without a drive: its first offset is days before today, the rest after it.
            let (start, offsets) = match drive {
                Some(i) => (drives[i].held_on + Duration::days(2), steps),
                None => (today - Duration::days(steps[0]), &steps[1..]),
            };
            let lead = repo::insert_lead(
                txn,
                NewLead {
                    org_id: o.id,
                    org_path: o.path.clone(),
                    drive_id: drive.map(|i| drives[i].id),
                    project: project.into(),
                    sector: sector.into(),
                    investor: investor.into(),
                    member: chamber_member(txn, o, k).await?,
                    city: city.into(),
                    town: town.into(),
                    amount_fen: wan * 1_000_000,
                    stage_on: start,
                    next_step: String::new(),
                    next_step_on: None,
                    created_by: admin,
                },
            )
            .await?;
            let by = (admin, "商会党支部");
            repo::add_step(txn, lead.id, "lead", start, "登记线索", None, by).await?;
            let path = [LeadStage::Contacted, LeadStage::Visited, LeadStage::Signed, LeadStage::Landed];
            let mut l = lead;
            let last = offsets.len();
            for (n, off) in offsets.iter().enumerate() {
                let on = (start + Duration::days(*off)).min(today);
                let (stage, note, amount) = match (n + 1 == last, end) {
                    (true, End::Dropped(reason)) => (LeadStage::Dropped, reason.to_string(), None),
                    (true, End::Landed(got)) if n == 3 => {
                        (LeadStage::Landed, "项目投产".to_string(), Some(got * 1_000_000))
                    }
                    _ => (
                        path[n],
                        ["电话对接，发送项目资料", "回乡实地考察", "签订投资协议"][n.min(2)].to_string(),
                        None,
                    ),
                };
                repo::add_step(txn, l.id, stage.code(), on, &note, amount, by).await?;
                l.stage = stage.code().into();
                l.stage_on = on;
                l.landed_fen = amount;
                if stage == LeadStage::Dropped {
                    l.drop_reason = note;
                }
            }
            if !LeadStage::from_code(&l.stage).is_some_and(|s| s.is_final()) {
                l.next_step = match l.stage.as_str() {
                    "lead" => "联系投资方，了解投资意向",
                    "contacted" => "邀请投资方回乡实地考察",
                    "visited" => "对接镇街和部门，商谈投资协议",
                    _ => "跟进项目用地和开工手续",
                }
                .into();
                l.next_step_on = Some(today + Duration::days(14));
            }
            repo::save_lead(txn, l).await?;
        }
        Ok(())
    }
}

/// The seed's eighteen years of 关爱工程 (2004–2021): "共筹集资助金473.92万元，资助贫困大学生1909名".
pub const SEED_RAISED_FEN: i64 = 473_920_000;
pub const SEED_STUDENTS: u64 = 1_909;

const SCHOOLS: &[&str] = &[
    "中山大学",
    "华南理工大学",
    "暨南大学",
    "华南师范大学",
    "广东工业大学",
    "广东海洋大学",
    "岭南师范学院",
    "广东医科大学",
    "广州大学",
    "深圳大学",
    "广西大学",
    "湖南大学",
];

const FAMILIES: &[&str] = &[
    "父母务农，家中三个孩子读书，收入微薄",
    "父亲因病丧失劳动能力，母亲打零工维持生计",
    "单亲家庭，母亲在外务工，与祖父母同住",
    "家庭因灾致贫，靠低保维持生活",
];

/// `total` split over `weights` in whole yuan (fen multiples of 100), the remainder on the last.
fn split(total_fen: i64, weights: &[i64]) -> Vec<i64> {
    let sum: i64 = weights.iter().sum();
    let mut out: Vec<i64> = weights.iter().map(|w| total_fen * w / sum / 100 * 100).collect();
    let rest = total_fen - out.iter().sum::<i64>();
    if let Some(last) = out.last_mut() {
        *last += rest;
    }
    out
}

impl App {
    /// The care fund since 2004: the seed's eighteen years to the yuan and the student, the years
    /// since at the same pace, and the current year in progress — students paid in September, and a
    /// few applications at each step (one on notice with an objection waiting).
    pub(crate) async fn demo_care(
        &self,
        txn: &impl ConnectionTrait,
        chambers: &[Org],
        admin: Option<i64>,
    ) -> AppResult<()> {
        use honglian_domain::IdNumber;
        use honglian_domain::services::calendar::WorkCalendar;
        use honglian_store::repo::hometown::care::{self as care, NewAid, NewDonation};

        let today = crate::today();
        let seed_years: Vec<i32> = (2004..=2021).collect();
        let weights: Vec<i64> = (0..seed_years.len() as i64).map(|i| 10 + 2 * i).collect();
        let raised = split(SEED_RAISED_FEN, &weights);
        let students: Vec<i64> = split(SEED_STUDENTS as i64 * 100, &weights).into_iter().map(|s| s / 100).collect();
        // The years after the seed at its last pace; the current one in progress.
        let mut plan: Vec<(i32, i64, i64)> =
            seed_years.iter().zip(raised.iter().zip(students.iter())).map(|(y, (r, s))| (*y, *r, *s)).collect();
        for y in 2022..today.year() {
            plan.push((y, 42_000_000 + i64::from(y - 2022) * 1_500_000, 160 + i64::from(y - 2022) * 5));
        }
        plan.push((today.year(), 31_500_000, 96));
        let mut donations = Vec::new();
        let mut aids = Vec::new();
        let mut n = 0u32;
        for (k, &(year, raised_fen, students)) in plan.iter().enumerate() {
            // Five to eight chambers give each year, from spring to early summer.
            let givers = 5 + k % 4;
            let parts: Vec<i64> = (0..givers as i64).map(|i| 3 + (i * 7 + k as i64) % 5).collect();
            for (g, fen) in split(raised_fen, &parts).into_iter().enumerate() {
                let o = &chambers[(k * 3 + g) % chambers.len()];
                let received_on =
                    NaiveDate::from_ymd_opt(year, 3 + (g as u32 % 4), 10 + g as u32).expect("a demo date");
                if received_on > today {
                    continue;
                }
                donations.push(NewDonation {
                    org_id: o.id,
                    org_path: o.path.clone(),
                    donor_kind: if g % 3 == 0 { "chamber" } else { "company" }.into(),
                    donor_name: if g % 3 == 0 {
                        o.name.replace("党支部", "").replace("党建联络中心", "")
                    } else {
                        format!("{}会员企业（{}）", o.name.replace("党支部", "").replace("党建联络中心", ""), g)
                    },
                    amount_fen: fen,
                    received_on,
                    receipt_no: format!("GA{year}-{:03}", g + 1),
                    purpose: "关爱工程助学".into(),
                    created_by: admin,
                });
            }
            // Paid in September, at most 85% of the year's raising, in hundreds of yuan.
            let each = raised_fen * 85 / 100 / students.max(1) / 10_000 * 10_000;
            let paid_on = NaiveDate::from_ymd_opt(year, 9, 8).expect("a demo date");
            if paid_on > today {
                continue;
            }
            for s in 0..students {
                n += 1;
                let o = &chambers[(s as usize + k) % chambers.len()];
                let name = format!(
                    "{}{}",
                    super::SURNAMES[(n as usize * 7) % super::SURNAMES.len()],
                    super::GIVEN[(n as usize * 13 + 5) % super::GIVEN.len()]
                );
                let family = FAMILIES[n as usize % FAMILIES.len()];
                aids.push((
                    NewAid {
                        org_id: o.id,
                        org_path: o.path.clone(),
                        year,
                        student_name: name,
                        id_number_enc: None,
                        phone_enc: None,
                        family_enc: self.seal_text("care_aids", "family", o.id, Some(family)),
                        school: SCHOOLS[n as usize % SCHOOLS.len()].into(),
                        grade: "大一".into(),
                        asked_fen: each,
                        applied_on: NaiveDate::from_ymd_opt(year, 7, 20).expect("a demo date"),
                        renewal_of: None,
                        created_by: admin,
                    },
                    each,
                    paid_on,
                ));
            }
        }
        care::insert_donations(txn, donations).await?;
        care::insert_paid_aids(txn, aids).await?;

        // This year's applications still moving, with their (sealed) numbers.
        let cal = WorkCalendar::default();
        let waiting: &[(&str, &str, &str, i64, &str)] = &[
            ("陈思远", "华南农业大学", "大一", 3000, "applied"),
            ("李嘉欣", "广东财经大学", "大一", 3000, "applied"),
            ("黄子轩", "五邑大学", "大一", 2500, "reviewed"),
            ("吴晓琳", "韶关学院", "大一", 2500, "notice"),
            ("梁志强", "广东石油化工学院", "大一", 3000, "notice_objection"),
            ("杨雨涵", "肇庆学院", "大一", 2000, "rejected"),
        ];
        for (i, &(name, school, grade, yuan, step)) in waiting.iter().enumerate() {
            let o = &chambers[i % 3];
            let id = IdNumber::synthesize(
                "440883",
                NaiveDate::from_ymd_opt(2008, 1 + i as u32, 3 + i as u32).expect("a date"),
                910 + i as u32,
            );
            let phone = format!("1000759{:04}", 1200 + i);
            let mut a = care::insert_aid(
                txn,
                NewAid {
                    org_id: o.id,
                    org_path: o.path.clone(),
                    year: today.year(),
                    student_name: name.into(),
                    id_number_enc: self.seal_text("care_aids", "id_number", o.id, Some(id.as_str())),
                    phone_enc: self.seal_text("care_aids", "phone", o.id, Some(&phone)),
                    family_enc: self.seal_text("care_aids", "family", o.id, Some(FAMILIES[i % FAMILIES.len()])),
                    school: school.into(),
                    grade: grade.into(),
                    asked_fen: yuan * 100,
                    applied_on: today - Duration::days(20 - i as i64),
                    renewal_of: None,
                    created_by: admin,
                },
            )
            .await?;
            if step != "applied" {
                a.reviewed_on = Some(today - Duration::days(10));
                a.review_note = "家庭经济困难情况属实，同意推荐".into();
                a.status = "reviewed".into();
            }
            if step.starts_with("notice") {
                a.decided_on = Some(today - Duration::days(2));
                a.approved_fen = Some(yuan * 100);
                a.notice_until = Some(rules_notice(&cal, today - Duration::days(2)));
                a.decision_note = "经基金管理委员会研究，同意资助".into();
                a.status = "notice".into();
            }
            if step == "rejected" {
                a.decided_on = Some(today - Duration::days(5));
                a.decision_note = "已获其他助学金全额资助，本年度不再重复资助".into();
                a.status = "rejected".into();
            }
            let a = care::save_aid(txn, a).await?;
            if step == "notice_objection" {
                care::add_objection(
                    txn,
                    a.id,
                    today - Duration::days(1),
                    "反映该生家庭近年已在城区购房，经济状况有所改善，请核实。",
                    admin,
                )
                .await?;
            }
        }
        Ok(())
    }
}

fn rules_notice(cal: &honglian_domain::services::calendar::WorkCalendar, decided: NaiveDate) -> NaiveDate {
    honglian_domain::hometown::care::notice_until(cal, decided, honglian_domain::hometown::care::DEFAULT_NOTICE_DAYS)
}

/// The demo's honours: (honour, chamber index, member index in it or none for the chamber itself, deeds).
type DemoNomination = (&'static str, usize, Option<usize>, &'static str);

const HONOURS_LAST_YEAR: &[DemoNomination] = &[
    ("优秀共产党员", 1, Some(0), "带头回乡投资建设电子元件厂，吸纳家乡劳动力 120 余人就业。"),
    ("优秀共产党员", 2, Some(1), "牵头组建商会志愿服务队，三年来组织助学、助老活动 40 余次。"),
    ("优秀共产党员", 5, Some(0), "疫情期间组织捐赠防疫物资，协调运输车辆保障家乡供应。"),
    ("优秀共产党员", 8, Some(2), "在南宁带动 30 余名吴川籍流动党员参加组织生活，做到“流而有根”。"),
    ("优秀党务工作者", 3, Some(0), "建立东莞商会党员活动阵地，推行“线上+线下”组织生活，台账规范完整。"),
    ("先进基层党组织", 0, None, "以“红链”服务在穗吴川籍党员和企业，推动 9 个项目回乡落地。"),
    ("先进基层党组织", 11, None, "在上海组建党员服务站，连续三年开展“关爱工程”募捐。"),
];

const HONOURS_THIS_YEAR: &[DemoNomination] = &[
    ("优秀共产党员", 0, Some(1), "协调 3 家广州企业回乡考察，促成冷链物流项目签约。"),
    ("优秀共产党员", 1, Some(2), "牵头建设深圳吴川商会党员之家，组织流动党员“三会一课”。"),
    ("优秀共产党员", 6, Some(0), "连续五年资助家乡贫困学生，累计捐资 28 万元。"),
    ("优秀共产党员", 9, Some(1), "组织海口吴川籍企业参与文旅康养项目对接，推动项目考察。"),
    ("优秀党务工作者", 2, Some(0), "规范佛山商会党支部组织生活，年度主题党日全部按期开展。"),
    ("先进基层党组织", 1, None, "“双招双引”成效突出，年内引荐 4 个项目回乡落地。"),
    // Not passed at the 工商联党委's level.
    ("优秀共产党员", 4, Some(0), "积极参加商会活动。"),
];

impl App {
    /// 先锋工程: last year's 两优一先 campaign awarded (member_demo among the 优秀共产党员, reviewed by the
    /// 工商联党委 and the 市委; one award later withdrawn), and this year's on public notice with quotas,
    /// one nomination not passed at the first level and one objection waiting.
    pub(crate) async fn demo_honours(
        &self,
        txn: &impl ConnectionTrait,
        chambers: &[Org],
        admin: Option<i64>,
        member_demo: (i64, String),
    ) -> AppResult<()> {
        use honglian_domain::hometown::honour::{DEFAULT_HONOURS, DEFAULT_NOTICE_DAYS, Honour, path_ids};
        use honglian_domain::services::calendar::WorkCalendar;
        use honglian_store::repo::hometown::honours::{self as honours, NewCampaign, NewNomination};

        let today = crate::today();
        let cal = WorkCalendar::default();
        let ids = path_ids(&chambers[0].path);
        let (root, gsl) = (ids[0], ids[1]);
        let root_path = format!("/{root}/");
        let list: Vec<Honour> =
            DEFAULT_HONOURS.iter().map(|(n, s)| Honour { name: (*n).into(), subject: *s }).collect();
        let honours_json = serde_json::to_string(&list).unwrap_or_default();
        let by = (admin, "吴川市委组织部 管理员");
        for (k, year) in [today.year() - 1, today.year()].into_iter().enumerate() {
            let this_year = k == 1;
            let mut c = honours::insert_campaign(
                txn,
                NewCampaign {
                    org_id: root,
                    org_path: root_path.clone(),
                    year,
                    title: format!("吴川市{year}年度“两优一先”评选表彰"),
                    honours: honours_json.clone(),
                    nominate_until: None,
                    created_by: admin,
                },
            )
            .await?;
            if this_year {
                honours::set_quotas(
                    txn,
                    c.id,
                    vec![
                        ("优秀共产党员".into(), gsl, format!("/{root}/{gsl}/"), 8),
                        ("优秀党务工作者".into(), gsl, format!("/{root}/{gsl}/"), 2),
                        ("先进基层党组织".into(), gsl, format!("/{root}/{gsl}/"), 2),
                    ],
                )
                .await?;
            }
            let start = if this_year {
                today - Duration::days(60)
            } else {
                NaiveDate::from_ymd_opt(year, 4, 20).expect("a date")
            };
            let notice_from = if this_year {
                today - Duration::days(2)
            } else {
                NaiveDate::from_ymd_opt(year, 6, 16).expect("a date")
            };
            let notice_until = cal.add_working_days(notice_from, DEFAULT_NOTICE_DAYS);
            let awarded_on = NaiveDate::from_ymd_opt(year, 6, 28).expect("a date");
            let plan = if this_year { HONOURS_THIS_YEAR } else { HONOURS_LAST_YEAR };
            let mut first_notice = None;
            for (i, &(honour, chamber, member, deeds)) in plan.iter().enumerate() {
                let o = &chambers[chamber];
                let subject = if member.is_some() { "member" } else { "org" };
                let (member_id, nominee_name) = match member {
                    // member_demo, received by the 广州 branch, is one of last year's.
                    Some(_) if !this_year && i == 0 => (Some(member_demo.0), member_demo.1.clone()),
                    Some(m) => match chamber_member(txn, o, m).await? {
                        Some((id, name)) => (Some(id), name),
                        None => continue,
                    },
                    None => (None, o.name.clone()),
                };
                let rejected = this_year && i == plan.len() - 1;
                let discussed = start + Duration::days(7 + i as i64);
                let status = match (this_year, rejected) {
                    (_, true) => "rejected",
                    (true, false) => "notice",
                    (false, false) => "awarded",
                };
                let mut n = honours::insert_nomination(
                    txn,
                    NewNomination {
                        campaign_id: c.id,
                        honour: honour.into(),
                        subject: subject.into(),
                        member_id,
                        nominee_org_id: member.is_none().then_some(o.id),
                        nominee_name,
                        org_id: o.id,
                        org_path: o.path.clone(),
                        deeds: deeds.into(),
                        discussed_on: discussed,
                        votes_for: 11 + (i as i32 % 5),
                        votes_total: 13 + (i as i32 % 5) + (i as i32 % 3),
                        status: status.into(),
                        at_org_id: None,
                        created_by: admin,
                    },
                )
                .await?;
                let gsl_on = discussed + Duration::days(10);
                if rejected {
                    honours::add_step(
                        txn,
                        n.id,
                        gsl,
                        gsl_on,
                        false,
                        "事迹不够突出，与推荐标准差距较大，本年度暂不推荐。",
                        by,
                    )
                    .await?;
                    continue;
                }
                honours::add_step(txn, n.id, gsl, gsl_on, true, "经工商联党委会议研究，同意推荐。", by).await?;
                honours::add_step(
                    txn,
                    n.id,
                    root,
                    gsl_on + Duration::days(14),
                    true,
                    "经市委组织部审核，同意推荐。",
                    by,
                )
                .await?;
                if !this_year {
                    n.awarded_on = Some(awarded_on);
                    if i == 3 {
                        n.status = "withdrawn".into();
                        n.withdrawn_on = Some(NaiveDate::from_ymd_opt(year + 1, 3, 12).expect("a date"));
                        n.withdraw_reason = Some("本人受到党内警告处分，依规撤销其荣誉称号".into());
                    }
                    honours::save_nomination(txn, n).await?;
                } else if first_notice.is_none() {
                    first_notice = Some(n.id);
                }
            }
            c.status = if this_year { "notice" } else { "awarded" }.into();
            c.notice_from = Some(notice_from);
            c.notice_until = Some(notice_until);
            c.awarded_on = (!this_year).then_some(awarded_on);
            honours::save_campaign(txn, c).await?;
            if let Some(n) = first_notice {
                honours::add_objection(
                    txn,
                    n,
                    today - Duration::days(1),
                    "反映该同志所在企业曾拖欠工人工资，请核实。",
                    admin,
                )
                .await?;
            }
        }
        Ok(())
    }
}
