//! The demo's 回乡工程 (Wuchuan's report: "吴川市委常委不定期到商会党组织召开招商引资推介会，鼓励流动党员
//! 回乡投资建设"): drives held with the chambers since 2021 and the leads they and the members brought —
//! most landed over the years, the latest still moving, some dropped, two unmoved past the county's 30 days
//! (a charging network since its first call, a herb base never called back).
//! member_demo took part in the latest 广州 drive.

use chrono::{Duration, NaiveDate};
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
