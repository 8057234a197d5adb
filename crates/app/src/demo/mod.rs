//! The demo data: the two places in the seed reports, Wuchuan (Guangdong) and
//! Jinxiang (Shandong), with their real structure and names, synthetic members
//! with valid but fictitious ID numbers (sequence 9xx, phones starting 100),
//! and the demo accounts. Deterministic: the same tree and people every time;
//! running it again on a loaded database changes nothing.

mod bulletins;
mod committees;
mod goals;
mod hometown;
mod party_affairs;
mod portal;
mod retention;
pub mod scale;
mod services;
mod transfers;

use chrono::NaiveDate;
use honglian_domain::IdNumber;
use honglian_domain::members::member::{Education, probation_ends};
use honglian_domain::platform::authz::Role;
use honglian_store::repo::members::registry::{self as members, MemberRow};
use honglian_store::repo::organisations::orgs::{self, Org, OrgFields};
use honglian_store::repo::{platform::settings, platform::users};
use sea_orm::ConnectionTrait;

use crate::platform::audit::Event;
use crate::platform::auth::hash_password;
use crate::{App, AppError, AppResult, Ctx};

pub const DEMO_PASSWORD: &str = "Demo@2026!";
const MARKER: &str = "demo.loaded";
/// Why the demo refuses a database that already holds users or organisations of its own.
pub const REAL_DATA: &str = "数据库中已有正式数据（用户或党组织），拒绝载入演示数据：演示账号的密码是公开的。\
                             体验演示请另用一个空的数据目录（--data-dir）。";

/// The demo accounts and what each is for (printed by `serve --demo` and in the README).
pub const ACCOUNTS: &[(&str, &str)] = &[
    ("wuchuan_admin", "吴川市县级管理员（市委组织部）"),
    ("jinxiang_admin", "金乡县县级管理员（县委组织部/两新工委）"),
    ("gz_branch", "广州吴川商会党支部党务工作者"),
    ("gsl_admin", "吴川市工商联党委党务工作者（商会党支部推荐的表彰先由这一级审核）"),
    ("instructor", "金乡县党建指导员（经开区、凯盛商圈）"),
    ("member_demo", "吴川籍党员，在广州务工"),
    ("wc0001", "吴川商会党支部接收的外出党员，已通过邀请开通党员之家（wc0001–wc0204）"),
    ("jx_d05", "金乡县市场监督管理局经办人（红链直通车；jx_d01–jx_d31 为 31 个县直部门的经办人）"),
    ("jx_qy01", "金乡县一家企业的联络人（手机上提出、跟踪、评价本企业的红链直通车诉求；另有 jx_qy02、jx_qy03）"),
    ("sysadmin", "系统管理员"),
    ("secadmin", "安全管理员"),
    ("auditor", "审计管理员"),
];

/// The `k`-th demo ID number of a region: unique for k < 1,533,000. The birth
/// date walks the 42 years from 1960 by a step coprime to the span (so no two
/// k/100 share a date) and the sequence is 900–999, which marks it as fictitious.
pub fn demo_id_number(region: &str, k: u32) -> IdNumber {
    const SPAN_DAYS: u64 = 15_330;
    let day = ((k / 100) as u64 * 7_919) % SPAN_DAYS;
    IdNumber::synthesize(region, d(1960, 1, 1) + chrono::Duration::days(day as i64), 900 + k % 100)
}

/// A tiny deterministic generator (splitmix64), so the demo is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
    "陈", "李", "林", "黄", "张", "王", "吴", "杨", "梁", "刘", "赵", "周", "徐", "孙", "马", "朱", "胡", "郭", "何",
    "罗", "郑", "谢", "冯", "邓",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "涛", "明", "超", "秀英", "华", "平", "刚",
    "桂英", "建国", "志强", "海燕", "晓东", "文博", "嘉怡", "子涵", "俊杰", "慧敏", "国栋",
];
/// Given names of members, by the gender their ID number encodes.
const GIVEN_MALE: &[&str] = &[
    "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "华", "平", "刚", "建国", "志强", "晓东", "文博",
    "俊杰", "国栋", "建华", "永红", "德明", "海波", "振宇", "家豪",
];
const GIVEN_FEMALE: &[&str] = &[
    "芳", "娜", "敏", "静", "艳", "丽", "婷", "秀英", "桂英", "海燕", "嘉怡", "慧敏", "玉兰", "红梅", "晓丽", "雪梅",
    "丽娟", "春燕", "美玲", "佳慧", "欣怡", "淑珍", "秀兰", "凤英", "小红",
];

/// A day of a month, clamped to the month's length.
fn d_of(y: i32, m: u32, day: u32) -> NaiveDate {
    (1..=day.clamp(1, 31)).rev().find_map(|x| NaiveDate::from_ymd_opt(y, m, x)).expect("a valid day")
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid demo date")
}

/// The 15 cities of the chamber branches, with the share of Wuchuan's mobile
/// members working there (per mille) and the index of the receiving
/// organisations in `chambers` (a branch, and a liaison centre where there is one).
const DESTINATIONS: &[(Place, u64, &[usize], &str)] = &[
    (("440000", "440100", Some("440106")), 300, &[0, 13], "广州市天河区"),
    (("440000", "440300", Some("440304")), 200, &[1, 14], "深圳市福田区"),
    (("440000", "440600", Some("440604")), 100, &[2], "佛山市禅城区"),
    (("440000", "441900", None), 100, &[3], "东莞市"),
    (("440000", "442000", None), 40, &[4], "中山市"),
    (("440000", "440400", Some("440402")), 40, &[5], "珠海市香洲区"),
    (("440000", "440700", Some("440703")), 30, &[6], "江门市蓬江区"),
    (("440000", "441300", Some("441302")), 30, &[7], "惠州市惠城区"),
    (("450000", "450100", Some("450103")), 40, &[8], "南宁市青秀区"),
    (("460000", "460100", Some("460106")), 30, &[9], "海口市龙华区"),
    (("460000", "460200", Some("460202")), 20, &[10], "三亚市海棠区"),
    (("310000", "310100", Some("310115")), 20, &[11], "上海市浦东新区"),
    (("350000", "350200", Some("350206")), 10, &[12], "厦门市湖里区"),
    (("450000", "450200", Some("450202")), 20, &[15], "柳州市城中区"),
    (("450000", "450500", Some("450502")), 20, &[16], "北海市海城区"),
];

/// Province, city and county codes.
type Place = (&'static str, &'static str, Option<&'static str>);
type DemoAccount = (&'static str, &'static str, Role, Option<i64>, Option<i64>);

struct OrgSpec<'a> {
    name: &'a str,
    kind: &'a str,
    host: (&'a str, Option<&'a str>),
    place: (&'a str, &'a str, Option<&'a str>),
    secretary: &'a str,
    founded: NaiveDate,
}

/// A fictitious office telephone with the city's area code (湛江 0759, 济宁 0537, elsewhere the
/// chamber's city) and a number derived from the organisation's name.
fn office_phone(city: &str, name: &str) -> String {
    let area = match city {
        "370800" => "0537",
        "440100" => "020",
        "440300" => "0755",
        "440600" => "0757",
        "441900" => "0769",
        "442000" => "0760",
        "440400" => "0756",
        "440700" => "0750",
        "441300" => "0752",
        "450100" => "0771",
        "460100" | "460200" => "0898",
        "310100" => "021",
        "350200" => "0592",
        "450200" => "0772",
        "450500" => "0779",
        _ => "0759",
    };
    let n = name.chars().fold(2_166_136_261u32, |h, c| (h ^ c as u32).wrapping_mul(16_777_619)) % 9_000_000 + 1_000_000;
    format!("{area}-{n}")
}

async fn add_org(db: &impl ConnectionTrait, parent: Option<&Org>, s: OrgSpec<'_>) -> AppResult<Org> {
    Ok(orgs::insert(
        db,
        parent,
        OrgFields {
            name: s.name.into(),
            kind: s.kind.into(),
            host_kind: s.host.0.into(),
            host_name: s.host.1.map(Into::into),
            province_code: Some(s.place.0.into()),
            city_code: Some(s.place.1.into()),
            county_code: s.place.2.map(Into::into),
            secretary: Some(s.secretary.into()),
            founded_on: Some(s.founded),
            contact: Some(office_phone(s.place.1, s.name)),
        },
    )
    .await?)
}

/// Where a generated member lives and works.
struct People<'a> {
    org: &'a Org,
    count: usize,
    region: &'a str,
    employers: &'a [&'a str],
    occupations: &'a [&'a str],
    address_prefix: &'a str,
    tags: &'a [&'a str],
}

impl App {
    /// Loads the demo data unless it is already there. Returns false when it was.
    pub async fn load_demo(&self) -> AppResult<bool> {
        if settings::get(&self.db, MARKER).await?.is_some() {
            return Ok(false);
        }
        // Hashed before the write lock is taken: hashing takes a CPU for a while.
        let hash = hash_password(DEMO_PASSWORD);
        let txn = honglian_store::begin_write(&self.db).await?;
        // Checked again under the write lock, so that two loaders cannot both pass.
        if settings::get(&txn, MARKER).await?.is_some() {
            return Ok(false);
        }
        // The demo's accounts share a published password: never add them to a real deployment.
        if users::count(&txn).await? > 0 || orgs::any(&txn).await? {
            return Err(AppError::conflict(REAL_DATA));
        }
        let mut rng = Rng(2026);
        let mut seq: u32 = 0;
        let mut rows: Vec<MemberRow> = Vec::new();

        // ---- Wuchuan (吴川市), Guangdong ----
        let wc = ("440000", "440800", Some("440883"));
        let wuchuan = add_org(
            &txn,
            None,
            OrgSpec {
                name: "中共吴川市委员会",
                kind: "committee",
                host: ("none", None),
                place: wc,
                secretary: "（演示）市委书记",
                founded: d(1950, 1, 1),
            },
        )
        .await?;
        let gsl = add_org(
            &txn,
            Some(&wuchuan),
            OrgSpec {
                name: "中共吴川市工商业联合会委员会",
                kind: "committee",
                host: ("social_org", Some("吴川市工商业联合会")),
                place: wc,
                secretary: "陈立新",
                founded: d(2012, 6, 18),
            },
        )
        .await?;
        let chambers: &[(&str, &str, Place, &str)] = &[
            ("广州吴川商会党支部", "branch", ("440000", "440100", Some("440106")), "广州吴川商会"),
            ("深圳吴川商会党支部", "branch", ("440000", "440300", Some("440304")), "深圳吴川商会"),
            ("佛山吴川商会党支部", "branch", ("440000", "440600", Some("440604")), "佛山吴川商会"),
            ("东莞吴川商会党支部", "branch", ("440000", "441900", None), "东莞吴川商会"),
            ("中山吴川商会党支部", "branch", ("440000", "442000", None), "中山吴川商会"),
            ("珠海吴川商会党支部", "branch", ("440000", "440400", Some("440402")), "珠海吴川商会"),
            ("江门吴川商会党支部", "branch", ("440000", "440700", Some("440703")), "江门吴川商会"),
            ("惠州吴川商会党支部", "branch", ("440000", "441300", Some("441302")), "惠州吴川商会"),
            ("南宁吴川商会党支部", "branch", ("450000", "450100", Some("450103")), "南宁吴川商会"),
            ("海口吴川商会党支部", "branch", ("460000", "460100", Some("460106")), "海口吴川商会"),
            ("三亚吴川商会党支部", "branch", ("460000", "460200", Some("460202")), "三亚吴川商会"),
            ("上海吴川商会党支部", "branch", ("310000", "310100", Some("310115")), "上海吴川商会"),
            ("厦门吴川商会党支部", "branch", ("350000", "350200", Some("350206")), "厦门吴川商会"),
            (
                "广州吴川建筑业商会党建联络中心",
                "liaison_center",
                ("440000", "440100", Some("440111")),
                "广州吴川建筑业商会",
            ),
            (
                "深圳吴川电子商会党建联络中心",
                "liaison_center",
                ("440000", "440300", Some("440306")),
                "深圳吴川电子商会",
            ),
            ("柳州吴川商会党建联络中心", "liaison_center", ("450000", "450200", Some("450202")), "柳州吴川商会"),
            ("北海吴川商会党建联络中心", "liaison_center", ("450000", "450500", Some("450502")), "北海吴川商会"),
        ];
        let mut chamber_orgs = Vec::new();
        for (i, (name, kind, place, host)) in chambers.iter().enumerate() {
            let sec = format!("{}{}", SURNAMES[i % SURNAMES.len()], GIVEN[(i * 7) % GIVEN.len()]);
            let o = add_org(
                &txn,
                Some(&gsl),
                OrgSpec {
                    name,
                    kind,
                    host: ("chamber", Some(host)),
                    place: *place,
                    secretary: &sec,
                    founded: d(2016 + (i as i32 % 6), 1 + (i as u32 % 12), 1 + (i as u32 % 27)),
                },
            )
            .await?;
            chamber_orgs.push(o);
        }
        let towns: &[(&str, &[&str])] = &[
            ("梅菉街道", &["新华社区", "梅岭村", "梅西村", "沙角旋村"]),
            ("博铺街道", &["博茂社区", "博铺村", "霞街村"]),
            ("塘㙍镇", &["塘㙍村", "山基村", "大山江村", "洋村村"]),
            ("长岐镇", &["长岐村", "石岭村", "周屋村"]),
            ("黄坡镇", &["黄坡村", "水潭村", "那邓村"]),
        ];
        let mut home_branches = Vec::new();
        for (t, (town, villages)) in towns.iter().enumerate() {
            let kind = if town.ends_with("街道") { "工作委员会" } else { "委员会" };
            let name = format!("中共吴川市{town}{kind}");
            let sec = format!("{}{}", SURNAMES[(t + 3) % SURNAMES.len()], GIVEN[(t * 5 + 2) % GIVEN.len()]);
            let town_org = add_org(
                &txn,
                Some(&wuchuan),
                OrgSpec {
                    name: &name,
                    kind: "committee",
                    host: ("none", None),
                    place: wc,
                    secretary: &sec,
                    founded: d(1984, 1, 1),
                },
            )
            .await?;
            // A village or community of some 300 members has a party committee (党员 100 人以上) over
            // branches of at most 50 (the set-up rules), eight each here.
            for (v, village) in villages.iter().enumerate() {
                let host_name = format!("吴川市{town}{village}");
                let sec = format!("{}{}", SURNAMES[(t + v + 5) % SURNAMES.len()], GIVEN[(t * 3 + v) % GIVEN.len()]);
                let village_org = add_org(
                    &txn,
                    Some(&town_org),
                    OrgSpec {
                        name: &format!("中共吴川市{town}{village}委员会"),
                        kind: "committee",
                        host: ("village", Some(&host_name)),
                        place: wc,
                        secretary: &sec,
                        founded: d(2012 + v as i32, 7, 1),
                    },
                )
                .await?;
                for (k, nth) in ["第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八"].iter().enumerate()
                {
                    let sec = format!(
                        "{}{}",
                        SURNAMES[(t + v + k + 7) % SURNAMES.len()],
                        GIVEN[(t * 3 + v + k) % GIVEN.len()]
                    );
                    let b = add_org(
                        &txn,
                        Some(&village_org),
                        OrgSpec {
                            name: &format!("{town}{village}{nth}党支部"),
                            kind: "branch",
                            host: ("village", Some(&host_name)),
                            place: wc,
                            secretary: &sec,
                            founded: d(1990 + v as i32, 7, 1),
                        },
                    )
                    .await?;
                    home_branches.push(b);
                }
            }
        }
        // Home branches hold most Wuchuan members; many of them work in the chamber cities.
        let away_employers: &[&str] = &[
            "广州某建材有限公司",
            "深圳某电子厂",
            "佛山某陶瓷厂",
            "东莞某服装厂",
            "海口某装饰工程公司",
            "南宁某物流公司",
            "个体经营",
            "上海某餐饮公司",
        ];
        let home_occupations: &[&str] =
            &["个体工商户", "建筑工人", "企业职工", "务农", "快递员", "网约车司机", "餐饮从业者", "装修工"];
        for b in &home_branches {
            let count = 40 + rng.below(10) as usize;
            self.people(
                &mut rng,
                &mut seq,
                &mut rows,
                People {
                    org: b,
                    count,
                    region: "440883",
                    employers: away_employers,
                    occupations: home_occupations,
                    address_prefix: "广东省湛江市吴川市",
                    tags: &["新就业群体", "乡贤", "退役军人"],
                },
            );
        }
        let chamber_employers: &[&str] =
            &["吴川籍商会会员企业", "某建筑工程有限公司", "某贸易有限公司", "某酒店管理公司"];
        for o in &chamber_orgs {
            let count = 15 + rng.below(25) as usize;
            self.people(
                &mut rng,
                &mut seq,
                &mut rows,
                People {
                    org: o,
                    count,
                    region: "440883",
                    employers: chamber_employers,
                    occupations: &["企业负责人", "企业管理人员", "个体工商户", "企业职工"],
                    address_prefix: "广东省湛江市吴川市",
                    tags: &["先锋岗", "党员经营户"],
                },
            );
        }

        // ---- Jinxiang (金乡县), Shandong ----
        let jx = ("370000", "370800", Some("370828"));
        let jinxiang = add_org(
            &txn,
            None,
            OrgSpec {
                name: "中共金乡县委员会",
                kind: "committee",
                host: ("none", None),
                place: jx,
                secretary: "（演示）县委书记",
                founded: d(1949, 1, 1),
            },
        )
        .await?;
        let work = add_org(
            &txn,
            Some(&jinxiang),
            OrgSpec {
                name: "中共金乡县委两新组织工作委员会",
                kind: "work_committee",
                host: ("none", None),
                place: jx,
                secretary: "王建华",
                founded: d(2018, 3, 1),
            },
        )
        .await?;
        let parks: &[&str] = &[
            "金乡经济开发区综合党委",
            "金乡化工产业园综合党委",
            "金乡县大蒜产业园综合党委",
            "金乡街道综合党委",
            "高河街道综合党委",
            "王丕街道综合党委",
            "鱼山街道综合党委",
            "鸡黍镇综合党委",
            "司马镇综合党委",
            "胡集镇综合党委",
            "肖云镇综合党委",
            "卜集镇综合党委",
            "兴隆镇综合党委",
            "霄云镇综合党委",
            "羊山镇综合党委",
            "化雨镇综合党委",
            "马庙镇综合党委",
        ];
        let enterprises: &[&[&str]] = &[
            &["鲁特电工", "金人电气", "雷迈新能源", "金乡县华光食品"],
            &["金乡县某新材料科技", "金乡县某化工"],
            &["金乡县某大蒜冷藏", "金乡县某蒜业食品"],
        ];
        let mut park_orgs = Vec::new();
        let mut enterprise_branches = Vec::new();
        for (i, name) in parks.iter().enumerate() {
            let host = if i < 3 { ("park", Some(name.trim_end_matches("综合党委"))) } else { ("none", None) };
            let sec = format!("{}{}", SURNAMES[(i + 11) % SURNAMES.len()], GIVEN[(i * 7 + 3) % GIVEN.len()]);
            let p = add_org(
                &txn,
                Some(&work),
                OrgSpec {
                    name,
                    kind: "park_committee",
                    host,
                    place: jx,
                    secretary: &sec,
                    founded: d(2019, 1 + (i as u32 % 12), 10),
                },
            )
            .await?;
            let list: Vec<String> = match enterprises.get(i) {
                Some(es) => es.iter().map(|e| e.to_string()).collect(),
                None => vec![
                    format!("{}某农业合作社", name.trim_end_matches("综合党委")),
                    format!("{}某商贸公司", name.trim_end_matches("综合党委")),
                ],
            };
            for (j, e) in list.iter().enumerate() {
                let bname = format!("{e}党支部");
                let sec = format!("{}{}", SURNAMES[(i + j + 2) % SURNAMES.len()], GIVEN[(i + j * 4) % GIVEN.len()]);
                let b = add_org(
                    &txn,
                    Some(&p),
                    OrgSpec {
                        name: &bname,
                        kind: "branch",
                        host: ("enterprise", Some(e)),
                        place: jx,
                        secretary: &sec,
                        founded: d(2015 + (j as i32), 6, 1),
                    },
                )
                .await?;
                let count = 8 + rng.below(30) as usize;
                self.people(
                    &mut rng,
                    &mut seq,
                    &mut rows,
                    People {
                        org: &b,
                        count,
                        region: "370828",
                        employers: &[e.as_str()],
                        occupations: &["企业职工", "技术人员", "企业管理人员", "车间主任"],
                        address_prefix: "山东省济宁市金乡县",
                        tags: &["先锋岗", "突击队"],
                    },
                );
                enterprise_branches.push(b);
            }
            park_orgs.push(p);
        }
        let regionals: &[(&str, &str, &str)] = &[
            ("凯盛商圈党委", "business_district", "凯盛商圈"),
            ("亿九楼宇党委", "building", "亿九商务楼宇"),
            ("智慧楼宇党委", "building", "金乡智慧楼宇"),
            ("金乡大蒜国际交易市场党委", "market", "金乡大蒜国际交易市场"),
            ("奎星湖商圈党委", "business_district", "奎星湖商圈"),
            ("金城商贸城党委", "market", "金城商贸城"),
        ];
        let mut regional_orgs = Vec::new();
        for (i, (name, host, host_name)) in regionals.iter().enumerate() {
            let sec = format!("{}{}", SURNAMES[(i + 17) % SURNAMES.len()], GIVEN[(i * 11 + 1) % GIVEN.len()]);
            let r = add_org(
                &txn,
                Some(&work),
                OrgSpec {
                    name,
                    kind: "regional_org",
                    host: (host, Some(host_name)),
                    place: jx,
                    secretary: &sec,
                    founded: d(2020, 4, 1 + i as u32),
                },
            )
            .await?;
            let bname = format!("{}个体工商户联合党支部", host_name);
            let b = add_org(
                &txn,
                Some(&r),
                OrgSpec {
                    name: &bname,
                    kind: "joint_branch",
                    host: (host, Some(host_name)),
                    place: jx,
                    secretary: &sec,
                    founded: d(2021, 7, 1),
                },
            )
            .await?;
            let count = 10 + rng.below(20) as usize;
            self.people(
                &mut rng,
                &mut seq,
                &mut rows,
                People {
                    org: &b,
                    count,
                    region: "370828",
                    employers: &["个体商户", "某超市", "某餐饮店"],
                    occupations: &["个体工商户", "店员", "经营户"],
                    address_prefix: "山东省济宁市金乡县",
                    tags: &["党员经营户"],
                },
            );
            regional_orgs.push(r);
        }
        let industries: &[(&str, &str)] = &[
            ("金乡县快递行业党委", "快递"),
            ("金乡县律师行业党委", "律师事务所"),
            ("金乡县社会组织行业党委", "社会组织"),
        ];
        for (i, (name, trade)) in industries.iter().enumerate() {
            let sec = format!("{}{}", SURNAMES[(i + 4) % SURNAMES.len()], GIVEN[(i * 13 + 6) % GIVEN.len()]);
            let host = if i == 2 { ("social_org", Some("金乡县社会组织服务中心")) } else { ("none", None) };
            let ind = add_org(
                &txn,
                Some(&work),
                OrgSpec { name, kind: "industry_committee", host, place: jx, secretary: &sec, founded: d(2020, 9, 1) },
            )
            .await?;
            let bname = format!("{trade}联合党支部");
            let b = add_org(
                &txn,
                Some(&ind),
                OrgSpec {
                    name: &bname,
                    kind: "joint_branch",
                    host: ("enterprise", Some(trade)),
                    place: jx,
                    secretary: &sec,
                    founded: d(2021, 3, 1),
                },
            )
            .await?;
            let tags: &[&str] = if i == 0 { &["新就业群体"] } else { &["先锋岗"] };
            let occupations: &[&str] =
                if i == 0 { &["快递员", "外卖骑手", "分拣员"] } else { &["律师", "社工", "职员"] };
            let count = 15 + rng.below(20) as usize;
            self.people(
                &mut rng,
                &mut seq,
                &mut rows,
                People {
                    org: &b,
                    count,
                    region: "370828",
                    employers: &[trade],
                    occupations,
                    address_prefix: "山东省济宁市金乡县",
                    tags,
                },
            );
        }
        for (name, sec) in [("煤基新材料产业链党建联盟", "孙立军"), ("大蒜产业链党建联盟", "马志刚")]
        {
            add_org(
                &txn,
                Some(&work),
                OrgSpec {
                    name,
                    kind: "chain_alliance",
                    host: ("none", None),
                    place: jx,
                    secretary: sec,
                    founded: d(2021, 5, 1),
                },
            )
            .await?;
        }

        // member_demo: a Wuchuan member of the 梅菉街道新华社区 branch, working in 广州.
        let demo_home = &home_branches[0];
        let demo_id = IdNumber::synthesize("440883", d(1992, 8, 16), 951);
        let bidx = self.crypto.blind_index("id_number", demo_id.as_str());
        let aad = |f: &str| format!("members.{f}:{bidx}");
        let member_demo = members::insert(
            &txn,
            MemberRow {
                org_id: demo_home.id,
                org_path: demo_home.path.clone(),
                name: "林志远".into(),
                gender: "male".into(),
                ethnicity: Some("汉族".into()),
                birth_date: demo_id.birth_date(),
                id_number_enc: self.crypto.seal(demo_id.as_str(), &aad("id_number")),
                id_number_bidx: bidx.clone(),
                phone_enc: Some(self.crypto.seal("10012345678", &aad("phone"))),
                phone_bidx: Some(self.crypto.blind_index("phone", "10012345678")),
                address_enc: Some(self.crypto.seal("广东省湛江市吴川市梅菉街道新华社区 1 号", &aad("address"))),
                education: Some(Education::College.code().into()),
                occupation: Some("建筑工人".into()),
                employer: Some("广州某建材有限公司".into()),
                joined_on: d(2015, 7, 1),
                category: "full".into(),
                full_on: Some(d(2016, 7, 1)),
                tags: vec!["新就业群体".into()],
                status: "normal".into(),
            },
        )
        .await?;
        members::insert_many(&txn, rows).await?;
        let committees = self
            .demo_committees(
                &txn,
                [&mut home_branches[..], &mut chamber_orgs[..], &mut enterprise_branches[..]],
                member_demo.id,
            )
            .await?;
        self.demo_activities(&txn, &mut rng, &home_branches, &chamber_orgs, &enterprise_branches, &committees).await?;
        let outflows = self
            .demo_mobility(
                &txn,
                &mut rng,
                &wuchuan,
                &home_branches,
                &chamber_orgs,
                member_demo.id,
                &committees::on_committees(&committees),
            )
            .await?;

        // (username, display name, role, organisation, member record)
        let grants: &[DemoAccount] = &[
            ("wuchuan_admin", "吴川市委组织部 管理员", Role::CountyAdmin, Some(wuchuan.id), None),
            ("jinxiang_admin", "金乡县委组织部 管理员", Role::CountyAdmin, Some(jinxiang.id), None),
            ("gz_branch", "广州吴川商会党支部 党务工作者", Role::OrgAdmin, Some(chamber_orgs[0].id), None),
            ("gsl_admin", "吴川市工商联党委 党务工作者", Role::OrgAdmin, Some(gsl.id), None),
            // Sees the organisations assigned to the instructor groups (demo_goals), not a grant.
            ("instructor", "党建指导员 刘晓东", Role::Instructor, None, None),
            ("member_demo", "林志远", Role::Member, None, Some(member_demo.id)),
            ("sysadmin", "系统管理员", Role::SystemAdmin, None, None),
            ("secadmin", "安全管理员", Role::SecurityAdmin, None, None),
            ("auditor", "审计管理员", Role::AuditAdmin, None, None),
        ];
        for (username, display, role, org, member) in grants {
            let u = users::insert(&txn, username, display, hash.clone(), false, *member).await?;
            if *role != Role::Instructor {
                users::add_grant(&txn, u.id, role.code(), *org, None, None, None).await?;
            }
        }
        let instructor = users::by_username(&txn, "instructor").await?.expect("just inserted");
        self.demo_goals(&txn, &jinxiang, instructor.id, &hash).await?;
        self.demo_wuchuan_goals(&txn, &wuchuan).await?;
        self.demo_services(&txn, &jinxiang, &wuchuan, &hash).await?;
        self.demo_invitations(&txn, &chamber_orgs, &hash).await?;
        self.demo_reports(&txn, &home_branches).await?;
        self.demo_learning(&txn, &wuchuan, &jinxiang).await?;
        self.demo_bulletins(&txn, &wuchuan, &jinxiang).await?;
        self.demo_greetings(&txn, &wuchuan).await?;
        let wuchuan_admin = users::by_username(&txn, "wuchuan_admin").await?.map(|u| u.id);
        self.demo_hometown(&txn, &chamber_orgs, wuchuan_admin, member_demo.id).await?;
        self.demo_care(&txn, &chamber_orgs, wuchuan_admin).await?;
        self.demo_honours(&txn, &chamber_orgs, wuchuan_admin, (member_demo.id, member_demo.name.clone())).await?;
        self.demo_suspension(&txn, &wuchuan).await?;
        self.demo_dues(&txn, &[&chamber_orgs[0], &home_branches[0]]).await?;
        // 发展党员: a probationary member admitted through the pipeline follows their own steps on the phone.
        let probationary = self.demo_recruitment(&txn, &chamber_orgs[0], &home_branches[1]).await?;
        self.demo_transfers(&txn, &chamber_orgs[0], &home_branches[0], &jinxiang).await?;
        self.demo_departed(&txn, &wuchuan).await?;
        // 安全标记: one member of the last home branch (黄坡镇) is classified personnel (涉密人员). The county
        // administrator sees the record but not its personal fields in clear until the security
        // administrator clears them.
        let last = home_branches.last().expect("home branches");
        honglian_store::repo::platform::labels::label_first_member(&txn, &last.path, "sensitive").await?;
        let u = users::insert(&txn, "probation_demo", "何伟", hash.clone(), false, Some(probationary)).await?;
        users::add_grant(&txn, u.id, Role::Member.code(), None, None, None, None).await?;

        settings::set(
            &txn,
            MARKER,
            &serde_json::json!({"version": 1, "members": seq + 1, "outflows": outflows}).to_string(),
        )
        .await?;
        self.audit(
            &txn,
            &Ctx::system(),
            Event::ok("demo.load", "system", "demo").with(serde_json::json!({"members": seq + 1})),
        )
        .await?;
        // The demo's own bulk writes (its accounts' grants, eighteen years of donations, dues) carry
        // their MACs like every record written through a use case (platform::integrity).
        crate::platform::integrity::stamp_unstamped(&txn, &self.crypto).await?;
        txn.commit().await?;
        self.demo_grants(&jinxiang).await?;
        Ok(true)
    }

    /// Outflow, return and inflow records, the contact log and two census
    /// campaigns for Wuchuan, anchored on today so the demo always looks current.
    /// Returns the number of open outflows.
    #[allow(clippy::too_many_arguments)] // the demo's parts, each named at the one call
    async fn demo_mobility(
        &self,
        txn: &impl ConnectionTrait,
        rng: &mut Rng,
        root: &Org,
        home_branches: &[Org],
        chambers: &[Org],
        member_demo: i64,
        // Committee members stay at home: they run the branch.
        on_committee: &std::collections::HashSet<i64>,
    ) -> AppResult<usize> {
        use honglian_store::repo::members::census;
        use honglian_store::repo::members::contacts::{self, NewContact};
        use honglian_store::repo::members::mobility::{self, MobilityRecordActive};
        use sea_orm::{ActiveValue::NotSet, Set};
        let today = crate::today();
        let days_ago = |n: u64| today - chrono::Duration::days(n as i64);
        let mut records: Vec<MobilityRecordActive> = Vec::new();
        let mut contact_log: Vec<NewContact> = Vec::new();
        let mut open = 0;
        let outflow = |member: i64,
                       dest: &(Place, u64, &[usize], &str),
                       start: NaiveDate,
                       receiving: Option<i64>,
                       external: Option<String>,
                       reason: &str,
                       employer: &str,
                       occupation: &str,
                       closed: Option<NaiveDate>,
                       card: String,
                       contact_person: &str| MobilityRecordActive {
            id: NotSet,
            member_id: Set(Some(member)),
            direction: Set("outflow".into()),
            status: Set(if closed.is_some() { "closed" } else { "open" }.into()),
            person_name: Set(None),
            person_id_number_enc: Set(None),
            person_id_number_bidx: Set(None),
            person_phone_enc: Set(None),
            province_code: Set(Some(dest.0.0.into())),
            city_code: Set(Some(dest.0.1.into())),
            county_code: Set(dest.0.2.map(Into::into)),
            address_enc: Set(self.seal_text("mobility_records", "address", member, Some(&format!("{}某街道", dest.3)))),
            employer: Set(Some(employer.into())),
            occupation: Set(Some(occupation.into())),
            reason: Set(reason.into()),
            start_date: Set(start),
            expected_return: Set(None),
            receiving_org_id: Set(receiving),
            external_org_name: Set(external),
            external_org_contact: Set(None),
            mobile_card_no: Set(Some(card)),
            contact_person: Set(Some(contact_person.into())),
            ended_on: Set(closed),
            end_place: Set(closed.map(|_| "吴川市".to_string())),
            relationship_stays: Set(closed.map(|_| true)),
            end_note: Set(closed.map(|_| "返乡创业".to_string())),
            created_by: Set(None),
            created_at: NotSet,
            updated_at: NotSet,
        };
        let employers = ["某建材有限公司", "某电子厂", "某物流公司", "某装饰工程公司", "某餐饮公司", "个体经营"];
        let occupations = ["企业职工", "个体工商户", "建筑工人", "快递员", "网约车司机", "企业管理人员"];
        let mut card = 0u32;
        let mut suspended: Vec<(i64, NaiveDate)> = Vec::new();
        for b in home_branches {
            let contact_person = b.secretary.clone().unwrap_or_default();
            for (id, _name, status, joined) in members::of_org(txn, b.id).await? {
                // (Chosen by id, not by the generator, so the rest of the demo stays as it was.)
                if status == "suspended" {
                    // Suspended after months out of touch, still not found: in the lost-contact list with
                    // the date of suspension (some two years ago: removal due).
                    let on = days_ago(90 + (id as u64 * 37) % 700).max(joined);
                    suspended.push((id, on));
                    contact_log.push(NewContact {
                        member_id: id,
                        kind: "call".into(),
                        contacted_on: (on - chrono::Duration::days(200)).max(joined),
                        reached: false,
                        note_enc: self.seal_text("contacts", "note", id, Some("电话停机，多方查找未果")),
                        by_user_id: None,
                        by_name: contact_person.clone(),
                    });
                }
                if status != "normal" {
                    continue;
                }
                let roll = rng.below(1000);
                // About four in five of the home branches' members work away.
                if (roll >= 800 || on_committee.contains(&id)) && id != member_demo {
                    // A few of those at home cannot be reached either.
                    if id % 61 == 0 {
                        contact_log.push(NewContact {
                            member_id: id,
                            kind: "visit".into(),
                            contacted_on: days_ago(200 + id as u64 % 150).max(joined),
                            reached: false,
                            note_enc: self.seal_text(
                                "contacts",
                                "note",
                                id,
                                Some("上门走访未见到本人，家属称已外出，去向不明"),
                            ),
                            by_user_id: None,
                            by_name: contact_person.clone(),
                        });
                    }
                    continue;
                }
                let mut pick = rng.below(1000);
                let dest = DESTINATIONS
                    .iter()
                    .find(|d| {
                        if pick < d.1 {
                            true
                        } else {
                            pick -= d.1;
                            false
                        }
                    })
                    .unwrap_or(&DESTINATIONS[0]);
                let dest = if id == member_demo { &DESTINATIONS[0] } else { dest };
                let earliest = (today - joined).num_days().clamp(30, 3650) as u64;
                let start = days_ago(30 + rng.below(earliest));
                let (receiving, external) = match rng.below(100) {
                    _ if id == member_demo => (Some(chambers[0].id), None),
                    0..=84 => (Some(chambers[dest.2[rng.below(dest.2.len() as u64) as usize]].id), None),
                    85..=94 => (
                        None,
                        Some(format!(
                            "{}吴川同乡会党小组（系统外）",
                            &dest.3[..dest.3.find('市').map(|i| i + 3).unwrap_or(dest.3.len())]
                        )),
                    ),
                    _ => (None, None),
                };
                let reason = match rng.below(100) {
                    0..=84 => "work_business",
                    85..=91 => "follow_family",
                    92..=96 => "study",
                    _ => "other",
                };
                // Some came back: a closed outflow, no open one.
                let returned = id != member_demo && rng.below(100) < 6;
                card += 1;
                let employer = format!(
                    "{}{}",
                    &dest.3[..dest.3.find('市').map(|i| i + 3).unwrap_or(dest.3.len())],
                    rng.pick(&employers)
                );
                let occupation = *rng.pick(&occupations);
                let closed = returned.then(|| days_ago(rng.below(300)).max(start));
                records.push(outflow(
                    id,
                    dest,
                    start,
                    receiving,
                    external,
                    reason,
                    &employer,
                    occupation,
                    closed,
                    format!("WC{:06}", card),
                    &contact_person,
                ));
                if returned {
                    continue;
                }
                open += 1;
                // The contact log: festival greetings and calls; about 3 % not reached for over half a year,
                // and about 2 % last reached five to six months ago (approaching the limit: the workbench asks
                // for a call before they are lost).
                let lost = id != member_demo && rng.below(100) < 3;
                let newest = if lost { 190 + rng.below(400) } else { rng.below(150) };
                let newest = if !lost && id != member_demo && id % 50 == 7 { 155 + id as u64 % 25 } else { newest };
                if !(lost && rng.below(2) == 0) {
                    contact_log.push(NewContact {
                        member_id: id,
                        kind: "call".into(),
                        contacted_on: days_ago(newest).max(start),
                        reached: true,
                        note_enc: self.seal_text("contacts", "note", id, Some("电话联系，工作生活正常")),
                        by_user_id: None,
                        by_name: contact_person.clone(),
                    });
                }
                contact_log.push(NewContact {
                    member_id: id,
                    kind: "greeting".into(),
                    contacted_on: days_ago(newest + 60 + rng.below(100)).max(start),
                    reached: !lost,
                    note_enc: self.seal_text("contacts", "note", id, Some("节日问候")),
                    by_user_id: None,
                    by_name: contact_person.clone(),
                });
            }
        }
        // Inflow: members from elsewhere who take part in Wuchuan's village branches.
        for (i, b) in home_branches.iter().enumerate().take(8) {
            for j in 0..3u32 {
                let k = 1_400_000 + (i as u32) * 10 + j;
                let id = demo_id_number("430100", k);
                let bidx = self.crypto.blind_index("id_number", id.as_str());
                let aad = |f: &str| format!("mobility_records.{f}:{bidx}");
                let phone = format!("100{:08}", 90_000_000 + k % 10_000_000);
                records.push(MobilityRecordActive {
                    id: NotSet,
                    member_id: Set(None),
                    direction: Set("inflow".into()),
                    status: Set("open".into()),
                    person_name: Set(Some(format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN)))),
                    person_id_number_enc: Set(Some(self.crypto.seal(id.as_str(), &aad("person_id_number")))),
                    person_id_number_bidx: Set(Some(bidx.clone())),
                    person_phone_enc: Set(Some(self.crypto.seal(&phone, &aad("person_phone")))),
                    province_code: Set(Some("430000".into())),
                    city_code: Set(Some("430100".into())),
                    county_code: Set(None),
                    address_enc: Set(None),
                    employer: Set(Some("吴川某羽绒制品厂".into())),
                    occupation: Set(Some("企业职工".into())),
                    reason: Set("work_business".into()),
                    start_date: Set(days_ago(60 + rng.below(700))),
                    expected_return: Set(None),
                    receiving_org_id: Set(Some(b.id)),
                    external_org_name: Set(Some("长沙市某社区党支部".into())),
                    external_org_contact: Set(Some("0731-0000000".into())),
                    mobile_card_no: Set(Some(format!("HN{:06}", k % 1_000_000))),
                    contact_person: Set(None),
                    ended_on: Set(None),
                    end_place: Set(None),
                    relationship_stays: Set(None),
                    end_note: Set(None),
                    created_by: Set(None),
                    created_at: NotSet,
                    updated_at: NotSet,
                });
            }
        }
        mobility::insert_many(txn, records).await?;
        // Where they work is kept on the member record.
        mobility::work_to_members(txn).await?;
        contacts::insert_many_and_refresh(txn, contact_log).await?;
        #[allow(clippy::disallowed_methods, reason = "the demo loader writes the whole demo deployment")]
        let demo = honglian_store::Scope::All(honglian_store::Unscoped::system());
        for (id, on) in suspended {
            if let Some(m) = members::get(txn, &demo, id).await? {
                members::set_suspended_on(txn, m, Some(on)).await?;
            }
        }
        // Census: last quarter's closed, this quarter's under way.
        honglian_store::analyze_in_load(txn, &["members", "mobility_records", "orgs"]).await?;
        let quarter = |d: NaiveDate| (d.year(), (d.month() - 1) / 3 + 1);
        let (y, q) = quarter(today);
        let (py, pq) = if q == 1 { (y - 1, 4) } else { (y, q - 1) };
        {
            let (closed, _) = census::create(
                txn,
                format!("{py}年第{}季度流动党员摸排", ["一", "二", "三", "四"][pq as usize - 1]),
                format!("{py}-Q{pq}"),
                root.id,
                &root.path,
                None,
            )
            .await?;
            census::verify_bulk(
                txn,
                closed.id,
                false,
                23,
                "各支部党务工作者",
                chrono::Utc::now() - chrono::Duration::days(40),
            )
            .await?;
            self.demo_census_findings(txn, closed.id).await?;
            census::close(txn, closed).await?;
            let (current, _) = census::create(
                txn,
                format!("{y}年第{}季度流动党员摸排", ["一", "二", "三", "四"][q as usize - 1]),
                format!("{y}-Q{q}"),
                root.id,
                &root.path,
                None,
            )
            .await?;
            census::verify_bulk(
                txn,
                current.id,
                true,
                19,
                "各支部党务工作者",
                chrono::Utc::now() - chrono::Duration::days(3),
            )
            .await?;
            self.demo_census_findings(txn, current.id).await?;
        }
        Ok(open)
    }

    /// What the demo census found for each reached member (sealed like any census entry): the
    /// place from their open outflow, their thoughts, now and then a need.
    async fn demo_census_findings(&self, txn: &impl ConnectionTrait, campaign_id: i64) -> AppResult<()> {
        use honglian_store::entity::members::census_entry;
        use honglian_store::repo::members::{census, mobility};
        use sea_orm::Set;
        for e in census::verified_entries(txn, campaign_id).await? {
            if e.reached != Some(true) {
                continue;
            }
            let (id, member) = (e.id, e.member_id);
            let place = match mobility::open_outflow(txn, member).await? {
                Some(r) => self.open_text("mobility_records", "address", member, r.address_enc.as_deref())?,
                None => None,
            };
            let mut am: census_entry::ActiveModel = e.into();
            let seal = |f: &str, v: Option<&str>| Set(self.seal_text("census_entries", f, member, v));
            am.current_place_enc = seal("current_place", Some(place.as_deref().unwrap_or_default()));
            am.thoughts_enc = seal("thoughts", Some("思想稳定，关心家乡发展"));
            am.needs_enc = seal("needs", (id % 7 == 0).then_some("希望就近参加组织生活"));
            census::save_entry(txn, am).await?;
        }
        Ok(())
    }

    /// A year of organisational life for the demo branches, up to today, with
    /// realistic gaps so that all three lights appear: theme days (the chamber
    /// branches' 吴川墟日 and 暖冬计划 among them), committee and group meetings,
    /// member assemblies, lectures, the annual life meeting and appraisal.
    /// The 广州 branch's theme day of the current month is still to be held.
    async fn demo_activities(
        &self,
        txn: &impl ConnectionTrait,
        rng: &mut Rng,
        home: &[Org],
        chambers: &[Org],
        enterprise: &[Org],
        committees: &std::collections::HashMap<i64, Vec<i64>>,
    ) -> AppResult<()> {
        use honglian_store::repo::org_life::activities::{self, ActivityActive};
        use sea_orm::{ActiveValue::NotSet, Set};
        let today = crate::today();
        let year = today.year();
        let mut list = Vec::new();
        let all: Vec<(&Org, bool)> = home
            .iter()
            .map(|o| (o, false))
            .chain(chambers.iter().map(|o| (o, true)))
            .chain(enterprise.iter().map(|o| (o, false)))
            .collect();
        for (i, &(org, chamber)) in all.iter().enumerate() {
            let members: Vec<i64> =
                members::of_org(txn, org.id).await?.into_iter().filter(|m| m.2 == "normal").map(|m| m.0).collect();
            if members.is_empty() {
                continue;
            }
            let diligence = match i % 7 {
                0 => 55, // a struggling branch: many gaps
                1 | 2 => 80,
                _ => 95,
            };
            let is_gz = chamber && i == home.len();
            let committee: &[i64] = committees.get(&org.id).map(Vec::as_slice).unwrap_or_default();
            // A held activity (up to today, with who was present), or, while `upcoming` is set, one
            // still to come this month (nobody present yet).
            let upcoming = std::cell::Cell::new(false);
            let mut add = |kind: &str, topic: String, day: NaiveDate, rng: &mut Rng| {
                let held = !upcoming.get();
                if held && day > today {
                    return;
                }
                let start = day.and_hms_opt(19 + (rng.below(2) as u32), 0, 0).expect("time").and_utc()
                    - chrono::Duration::hours(8);
                let n = (members.len() / 3).clamp(1, 12);
                let offset = rng.below(members.len() as u64) as usize;
                // A 支委会 is the committee's meeting.
                let present: Vec<i64> = if !held {
                    Vec::new()
                } else if kind == "committee_meeting" {
                    committee.to_vec()
                } else {
                    (0..n)
                        .map(|k| members[(offset + k * 7) % members.len()])
                        .collect::<std::collections::BTreeSet<_>>()
                        .into_iter()
                        .collect()
                };
                list.push((
                    ActivityActive {
                        id: NotSet,
                        kind: Set(kind.into()),
                        topic: Set(topic),
                        start_at: Set(start),
                        end_at: Set(start + chrono::Duration::hours(2)),
                        place: Set(Some(format!(
                            "{}党员活动室",
                            org.host_name.clone().unwrap_or_else(|| org.name.clone())
                        ))),
                        online_link: Set(None),
                        host: Set(org.secretary.clone()),
                        lecturer: Set((kind == "party_lecture").then(|| org.secretary.clone().unwrap_or_default())),
                        minutes: Set(Some("会议按程序进行，参会党员结合实际交流了学习体会。".into())),
                        status: Set("active".into()),
                        checkin_code: Set(format!("{:06}", rng.below(1_000_000))),
                        created_by: Set(None),
                        for_year: Set(None),
                        created_at: NotSet,
                        updated_at: NotSet,
                    },
                    vec![(org.id, org.path.clone())],
                    present,
                ));
            };
            for month in 1..=today.month() {
                let theme = if chamber {
                    match month {
                        1 | 12 => "“暖冬计划”主题党日：走访慰问困难流动党员".to_string(),
                        m if m % 2 == 0 => "“吴川墟日”主题党日：乡情联谊与政策宣讲".to_string(),
                        _ => "主题党日：学习贯彻党的创新理论".to_string(),
                    }
                } else {
                    format!("{month}月主题党日")
                };
                let current = month == today.month();
                // The current month's theme day: most held already, the 广州 branch's still to come.
                let held_theme = if current {
                    !is_gz && today.day() > 10 && rng.below(100) < diligence
                } else {
                    rng.below(100) < diligence
                };
                if held_theme {
                    let d = if current {
                        1 + rng.below(today.day().min(28) as u64 - 1) as u32
                    } else {
                        5 + rng.below(20) as u32
                    };
                    add("theme_day", theme, d_of(year, month, d), rng);
                } else if current && is_gz {
                    // Scheduled a few days ahead (or today, at the month's end): the calendar shows this
                    // month's activity on any day of the year.
                    let last = d_of(year, month, 31);
                    upcoming.set(true);
                    add("theme_day", theme, (today + chrono::Duration::days(3)).min(last), rng);
                    upcoming.set(false);
                }
                if committee.len() >= 3 && (rng.below(100) < diligence || current && rng.below(2) == 0) {
                    add(
                        "committee_meeting",
                        format!("{month}月支委会"),
                        d_of(year, month, 2 + rng.below(20) as u32),
                        rng,
                    );
                }
                if members.len() >= 10 && rng.below(100) < diligence {
                    add(
                        "group_meeting",
                        format!("{month}月党小组会"),
                        d_of(year, month, 3 + rng.below(20) as u32),
                        rng,
                    );
                }
                if month % 3 == 0 || current {
                    let q = (month - 1) / 3 + 1;
                    if rng.below(100) < diligence + 5 {
                        add(
                            "member_assembly",
                            format!("第{q}季度党员大会"),
                            d_of(year, month, 8 + rng.below(15) as u32),
                            rng,
                        );
                    }
                    if rng.below(100) < diligence {
                        add(
                            "party_lecture",
                            format!(
                                "第{q}季度党课：{}",
                                if chamber { "商会党建与乡村振兴" } else { "弘扬伟大建党精神" }
                            ),
                            d_of(year, month, 10 + rng.below(15) as u32),
                            rng,
                        );
                    }
                }
            }
            if rng.below(100) < diligence {
                add("life_meeting", format!("{}年度组织生活会", year - 1), d_of(year, 2, 20), rng);
                add("appraisal", format!("{}年度民主评议党员", year - 1), d_of(year, 2, 22), rng);
            }
        }
        activities::insert_many_with(txn, list).await?;
        Ok(())
    }

    fn people(&self, rng: &mut Rng, seq: &mut u32, rows: &mut Vec<MemberRow>, p: People<'_>) {
        for _ in 0..p.count {
            *seq += 1;
            let id = demo_id_number(p.region, *seq);
            let birth = id.birth_date();
            let year = birth.year();
            let bidx = self.crypto.blind_index("id_number", id.as_str());
            let aad = |f: &str| format!("members.{f}:{bidx}");
            // Fictitious (prefix 100), and not in sequence: a bijection of the sequence number below
            // 90,000,000 (the inflows' fictitious phones use 100 9xxxxxxx).
            let phone = format!("100{:08}", (u64::from(*seq) * 7_919 + 1_234_567) % 90_000_000);
            let given =
                if id.gender() == honglian_domain::members::member::Gender::Female { GIVEN_FEMALE } else { GIVEN_MALE };
            let name = format!("{}{}", rng.pick(SURNAMES), rng.pick(given));
            let join_age = 20 + rng.below(20) as i32;
            // Admitted up to today; probationary only while the year of probation runs (so no
            // probationary member is past their date, whatever day the demo is loaded).
            let today = crate::today();
            // The young joined at 18 or later, spread over the last six years (not all this year, which
            // would make most of a young chamber branch probationary).
            let join_year = if year + join_age <= today.year() {
                year + join_age
            } else {
                (year + 18).max(today.year() - (*seq % 6) as i32).min(today.year())
            };
            let mut joined = d(join_year, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32);
            if joined > today {
                joined = joined.with_year(joined.year() - 1).unwrap_or(joined);
            }
            let full_due = probation_ends(joined, 0);
            let probationary = full_due > today;
            let status = match rng.below(100) {
                0 => "deceased",
                1 => "suspended",
                _ => "normal",
            };
            let tags: Vec<String> = if rng.below(4) == 0 { vec![rng.pick(p.tags).to_string()] } else { vec![] };
            rows.push(MemberRow {
                org_id: p.org.id,
                org_path: p.org.path.clone(),
                name,
                gender: id.gender().code().into(),
                ethnicity: Some("汉族".into()),
                birth_date: id.birth_date(),
                id_number_enc: self.crypto.seal(id.as_str(), &aad("id_number")),
                phone_enc: Some(self.crypto.seal(&phone, &aad("phone"))),
                phone_bidx: Some(self.crypto.blind_index("phone", &phone)),
                address_enc: Some(
                    self.crypto.seal(&format!("{}{}号", p.address_prefix, 1 + rng.below(300)), &aad("address")),
                ),
                id_number_bidx: bidx,
                education: Some(rng.pick(Education::ALL).code().into()),
                occupation: Some(rng.pick(p.occupations).to_string()),
                employer: Some(rng.pick(p.employers).to_string()),
                joined_on: joined,
                category: if probationary { "probationary" } else { "full" }.into(),
                full_on: if probationary { None } else { Some(full_due) },
                tags,
                status: status.into(),
            });
        }
    }
}

use chrono::Datelike;

impl App {
    /// One suspension in approval: a Wuchuan member lost at home the longest, proposed by the branch's
    /// secretary and waiting for the town committee.
    async fn demo_suspension(&self, txn: &impl ConnectionTrait, wuchuan: &Org) -> AppResult<()> {
        use honglian_store::repo::members::{contacts, mobility};
        let f = mobility::LostFilter {
            subtree: Some(wuchuan.path.clone()),
            away: Some(false),
            suspended: Some(false),
            not_lost_at: None,
        };
        let cutoff = honglian_domain::members::mobility::lost_cutoff(crate::today(), 6);
        let page = mobility::lost_contacts(
            txn,
            &honglian_store::Scope::Paths(vec![wuchuan.path.clone()]),
            &f,
            cutoff,
            honglian_store::repo::PageReq::new(Some(1), Some(1)),
        )
        .await?;
        if let Some(l) = page.items.first() {
            contacts::propose_suspension(
                txn,
                l.member_id,
                "suspension",
                "本人外出务工后更换手机号，支部通过亲属、同乡和原工作单位多方查找半年以上仍无法取得联系".into(),
                (crate::today() - l.last_contact_on.or(l.unreachable_since).unwrap_or(crate::today())).num_days()
                    as i32,
                None,
                format!("{}党支部书记", l.org_name.trim_end_matches("党支部")),
            )
            .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_id_numbers_are_valid_and_unique_at_a_million() {
        let mut seen = std::collections::HashSet::new();
        for k in 0..1_200_000 {
            let id = demo_id_number("440883", k);
            assert!(seen.insert(id.as_str().to_string()), "duplicate at {k}");
            if k % 9973 == 0 {
                assert_eq!(IdNumber::parse(id.as_str()).unwrap(), id);
            }
        }
    }
}
