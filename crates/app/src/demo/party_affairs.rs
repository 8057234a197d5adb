//! The demo's dues (党费): this year's bases and collections for the 广州 chamber branch and for
//! member_demo's home branch — most paid up month by month or by the quarter, a few three months behind
//! (warned) and one six or more (for the branch to handle), on every day of the year: bases from the same
//! month a year ago (or from admission).

use chrono::NaiveDate;
use honglian_domain::goals::grant::Fen;
use honglian_domain::party_affairs::dues::{self as rules, Base, DuesCategory, Month};
use honglian_store::repo::members::registry as members;
use honglian_store::repo::organisations::orgs::Org;
use honglian_store::repo::party_affairs::dues::{self as repo, NewBase, NewPayment};
use sea_orm::ConnectionTrait;

use super::Rng;
use crate::{App, AppResult};

impl App {
    pub(crate) async fn demo_dues(&self, txn: &impl ConnectionTrait, orgs: &[&Org]) -> AppResult<()> {
        let today = crate::today();
        let this_month = Month::of(today);
        // Eleven months back: a year of months on any day, so that the behind ones are behind in January too.
        let year_ago = (0..11).fold(this_month, |m, _| m.prev());
        let mut rng = Rng(17);
        for org in orgs {
            for (k, (id, _, status, joined_on)) in members::of_org(txn, org.id).await?.into_iter().enumerate() {
                if status != "normal" {
                    continue;
                }
                let (category, base, farmer) = match k % 10 {
                    7 => (DuesCategory::Retired, Some(Fen(320_000 + rng.below(30) as i64 * 10_000)), None),
                    8 => (DuesCategory::Farmer, None, Some(50)),
                    9 => (DuesCategory::Student, None, None),
                    _ => (DuesCategory::Employed, Some(Fen(280_000 + rng.below(90) as i64 * 10_000)), None),
                };
                let from = year_ago.max(Month::of(joined_on));
                repo::set_base(
                    txn,
                    NewBase {
                        member_id: id,
                        from_month: from.to_string(),
                        category: category.code().into(),
                        base_enc: base.and_then(|b| self.seal_text("dues_bases", "base", id, Some(&b.0.to_string()))),
                        farmer_fen: farmer,
                        quarterly: k % 4 == 3,
                        created_by: None,
                    },
                )
                .await?;
                let bases = [Base { from, category, base, farmer_fen: farmer }];
                let schedule = rules::schedule(joined_on, &bases, this_month).unwrap_or_default();
                // Months unpaid (this month's counts from next month on): most none or this month only, a few
                // three months behind (warned), one six (to handle).
                let behind = match k {
                    4 => 7,
                    1 | 11 | 23 => 4,
                    _ if k % 6 == 5 => 1,
                    _ => 0,
                };
                let paid: Vec<(Month, Fen)> =
                    schedule.iter().take(schedule.len().saturating_sub(behind)).copied().collect();
                // Paid by the quarter where the branch allows it, month by month otherwise.
                let chunk = if k % 4 == 3 { 3 } else { 1 };
                for group in paid.chunks(chunk) {
                    let last = group.last().expect("a month").0;
                    let paid_on = NaiveDate::from_ymd_opt(last.year, last.month, 10 + (k % 15) as u32)
                        .filter(|d| *d <= today)
                        .unwrap_or(today);
                    repo::insert_payment(
                        txn,
                        NewPayment {
                            member_id: id,
                            months: group.iter().map(|(m, _)| m.to_string()).collect(),
                            amount_fen: group.iter().map(|(_, f)| f.0).sum(),
                            extra_fen: 0,
                            paid_on,
                            method: if k % 3 == 0 { "现金" } else { "微信" }.into(),
                            collected_by_org_id: org.id,
                            remitted: false,
                            note: String::new(),
                            recorded_by: None,
                            recorded_by_name: format!("{}组织委员", org.name.trim_end_matches("党支部")),
                        },
                    )
                    .await?;
                }
            }
        }
        Ok(())
    }
}

/// Days from the application to each of the twenty-five steps of a recruit who goes through without
/// delay: within every rule at its default (the talk in two weeks, activist after six months, target a
/// year later, approval two months after the meeting, the conversion meeting a year and five days after).
const STEP_DAYS: [i64; 25] = [
    0, 14, 190, 197, 200, 380, 560, 565, 568, 590, 600, 610, 625, 630, 640, 650, 700, 710, 712, 715, 800, 985, 1010,
    1040, 1050,
];

/// A demo recruit: name, occupation, steps done, and the step whose day is `days_ago` (the others follow
/// `STEP_DAYS` from it).
struct DemoRecruit {
    name: &'static str,
    occupation: &'static str,
    employer: &'static str,
    birth: (i32, u32, u32),
    steps: usize,
    anchor: usize,
    days_ago: i64,
}

const fn recruit(
    name: &'static str,
    occupation: &'static str,
    employer: &'static str,
    birth: (i32, u32, u32),
    steps: usize,
    anchor: usize,
    days_ago: i64,
) -> DemoRecruit {
    DemoRecruit { name, occupation, employer, birth, steps, anchor, days_ago }
}

/// What a demo step records: the people and the documents.
fn demo_step_record(no: usize, secretary: &str) -> (Vec<String>, Vec<String>) {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    match no {
        1 => (vec![], s(&["入党申请书"])),
        2 => (vec![format!("{secretary}（支部书记）")], s(&["谈话记录"])),
        3 => (vec![], s(&["入党积极分子推荐表", "支部委员会会议记录"])),
        4 => (vec![], s(&["入党积极分子备案表"])),
        5 => (s(&["陈志坚", "梁美玲"]), vec![]),
        6 => (vec![], s(&["入党积极分子培养考察登记表"])),
        7 => (vec![], s(&["支部委员会会议记录", "党员和群众意见汇总"])),
        8 => (vec![], s(&["发展对象备案表"])),
        9 => (s(&["陈志坚", "梁美玲"]), vec![]),
        10 => (vec![], s(&["政治审查综合报告"])),
        11 => (vec![], s(&["集中培训结业证书"])),
        12 => (vec![], s(&["支部委员会审查意见"])),
        13 => (vec![], s(&["预审意见", "公示情况报告"])),
        14 => (vec![], s(&["入党志愿书"])),
        15 => (vec![], s(&["支部大会决议"])),
        16 => (s(&["吴川市工商联党委组织委员 黄伟明"]), s(&["谈话记录"])),
        17 => (vec![], s(&["党委审批意见"])),
        18 => (vec![], s(&["备案表"])),
        20 => (vec![], s(&["入党宣誓记录"])),
        21 => (vec![], s(&["预备党员考察表"])),
        22 => (vec![], s(&["转正申请书"])),
        23 => (vec![], s(&["支部大会决议"])),
        24 => (vec![], s(&["转正审批意见"])),
        25 => (vec![], s(&["入党材料归档清单"])),
        _ => (vec![], vec![]),
    }
}

impl App {
    /// The demo's recruitment pipeline: people at every stage in the 广州 chamber branch (among them 李俊杰,
    /// an activist for thirteen months, ready to become a development target; an applicant whose talk is
    /// overdue; one whose admission waits for approval, due within two weeks) and in `home` (a new activist,
    /// two development targets, one stopped, and three admitted: two on probation — one ending within two
    /// weeks — and one full member, their records created by the admission). Returns the member record of
    /// the probationary member 何伟 (who gets a phone account).
    pub(crate) async fn demo_recruitment(&self, txn: &impl ConnectionTrait, gz: &Org, home: &Org) -> AppResult<i64> {
        use crate::Ctx;
        use honglian_domain::IdNumber;
        use honglian_store::repo::party_affairs::recruitment::{self as rrepo, NewRecruit, NewStep};
        let today = crate::today();
        let gz_people = [
            recruit("陈嘉豪", "销售经理", "广州吴越贸易有限公司", (1996, 4, 12), 1, 1, 40),
            recruit("梁晓彤", "会计", "广州鉴江建材有限公司", (1994, 9, 3), 2, 1, 100),
            recruit("黄思敏", "设计师", "广州湛吴装饰工程有限公司", (1993, 2, 18), 5, 3, 240),
            recruit("李俊杰", "项目经理", "广州吴川商会", (1990, 11, 7), 6, 3, 395),
            recruit("吴志明", "工程师", "广州鉴江建材有限公司", (1988, 6, 25), 11, 7, 60),
            recruit("杨丽华", "行政主管", "广州吴越贸易有限公司", (1991, 1, 30), 16, 15, 80),
        ];
        let home_people = [
            recruit("张雨萱", "教师", "吴川市第一中学", (1997, 7, 21), 3, 3, 10),
            recruit("罗振宇", "村委会委员", "吴川市塘㙍镇", (1992, 3, 9), 9, 7, 30),
            recruit("谢文静", "护士", "吴川市人民医院", (1995, 12, 2), 14, 13, 12),
            recruit("何伟", "返乡创业青年", "吴川市鉴江农产品合作社", (1994, 5, 16), 21, 15, 300),
            recruit("庞海燕", "村医", "吴川市长岐镇卫生院", (1989, 8, 28), 22, 15, 355),
            recruit("林国栋", "个体工商户", "吴川市梅录街道", (1985, 10, 10), 25, 15, 560),
        ];
        let mut probationary = 0;
        let mut seq = 0u32;
        for (org, people, secretary) in [(gz, &gz_people[..], "陈志坚"), (home, &home_people[..], "李红梅")] {
            for p in people {
                // Fictitious numbers (sequence 9xx), none a member's: the members' take every sequence of a
                // birth date they use, so a taken date moves the birthday on by a day.
                let mut birth = NaiveDate::from_ymd_opt(p.birth.0, p.birth.1, p.birth.2).expect("a date");
                let id = loop {
                    let id = IdNumber::synthesize("440883", birth, 990 + seq % 10);
                    if members::find_by_id_number(txn, &self.crypto.blind_index("id_number", id.as_str()))
                        .await?
                        .is_none()
                    {
                        break id;
                    }
                    birth += chrono::Duration::days(1);
                };
                seq += 1;
                let bidx = self.crypto.blind_index("id_number", id.as_str());
                let phone = format!("1382059{:04}", 100 + seq);
                let r = rrepo::insert(
                    txn,
                    NewRecruit {
                        org_id: org.id,
                        org_path: org.path.clone(),
                        name: p.name.into(),
                        gender: id.gender().code().into(),
                        birth_date: birth,
                        id_number_enc: self.crypto.seal(id.as_str(), &Self::recruit_aad("id_number", &bidx)),
                        phone_enc: Some(self.crypto.seal(&phone, &Self::recruit_aad("phone", &bidx))),
                        id_number_bidx: bidx,
                        occupation: Some(p.occupation.into()),
                        employer: Some(p.employer.into()),
                        education: Some("bachelor".into()),
                        created_by: None,
                    },
                )
                .await?;
                let day = |no: usize| {
                    today - chrono::Duration::days(p.days_ago)
                        + chrono::Duration::days(STEP_DAYS[no - 1] - STEP_DAYS[p.anchor - 1])
                };
                let mut r = r;
                for no in 1..=p.steps {
                    let (people, documents) = demo_step_record(no, secretary);
                    let details = match no {
                        11 => Some(serde_json::json!({"training_days": 3}).to_string()),
                        13 => Some(
                            serde_json::json!({"notice_from": day(12) + chrono::Duration::days(1),
                                               "notice_to": day(12) + chrono::Duration::days(10)})
                            .to_string(),
                        ),
                        _ => None,
                    };
                    if no == 17 {
                        r.member_id = Some(self.admit(txn, &Ctx::system(), &r, day(15)).await?);
                    }
                    if no == 24
                        && let Some(m) = r.member_id
                    {
                        let full_on = honglian_domain::members::member::probation_ends(day(15), 0);
                        self.convert(txn, &Ctx::system(), m, &org.path, full_on).await?;
                    }
                    rrepo::insert_step(
                        txn,
                        NewStep {
                            recruit_id: r.id,
                            step: no as i32,
                            done_on: day(no),
                            people: serde_json::to_string(&people).expect("a list"),
                            documents: serde_json::to_string(&documents).expect("a list"),
                            note: None,
                            reason: None,
                            details,
                            recorded_by: None,
                            recorded_by_name: if honglian_domain::party_affairs::recruitment::step_def(no as u8)
                                .is_some_and(|d| d.by_higher)
                            {
                                "上级党委组织委员".into()
                            } else {
                                format!("{secretary}（支部书记）")
                            },
                        },
                    )
                    .await?;
                }
                self.refresh_due(txn, &mut r).await?;
                if p.name == "何伟" {
                    probationary = r.member_id.unwrap_or_default();
                }
                rrepo::save(txn, r).await?;
            }
        }
        // One stopped before becoming a development target.
        let mut birth = NaiveDate::from_ymd_opt(1990, 2, 14).expect("a date");
        let id = loop {
            let id = IdNumber::synthesize("440883", birth, 999);
            if members::find_by_id_number(txn, &self.crypto.blind_index("id_number", id.as_str())).await?.is_none() {
                break id;
            }
            birth += chrono::Duration::days(1);
        };
        {
            let bidx = self.crypto.blind_index("id_number", id.as_str());
            let mut r = rrepo::insert(
                txn,
                NewRecruit {
                    org_id: home.id,
                    org_path: home.path.clone(),
                    name: "邓建华".into(),
                    gender: id.gender().code().into(),
                    birth_date: id.birth_date(),
                    id_number_enc: self.crypto.seal(id.as_str(), &Self::recruit_aad("id_number", &bidx)),
                    phone_enc: None,
                    id_number_bidx: bidx,
                    occupation: Some("货车司机".into()),
                    employer: None,
                    education: Some("senior".into()),
                    created_by: None,
                },
            )
            .await?;
            let start = today - chrono::Duration::days(420);
            for (no, days) in [(1usize, 0i64), (2, 12), (3, 200), (4, 205)] {
                let (people, documents) = demo_step_record(no, "李红梅");
                rrepo::insert_step(
                    txn,
                    NewStep {
                        recruit_id: r.id,
                        step: no as i32,
                        done_on: start + chrono::Duration::days(days),
                        people: serde_json::to_string(&people).expect("a list"),
                        documents: serde_json::to_string(&documents).expect("a list"),
                        note: None,
                        reason: None,
                        details: None,
                        recorded_by: None,
                        recorded_by_name: "李红梅（支部书记）".into(),
                    },
                )
                .await?;
            }
            self.refresh_due(txn, &mut r).await?;
            r.status = "stopped".into();
            r.stopped_on = Some(today - chrono::Duration::days(20));
            r.stop_reason = Some("本人长期在外跑运输，申请暂缓，经支部委员会研究终止发展，待其返乡后重新培养".into());
            r.next_due_on = None;
            rrepo::save(txn, r).await?;
        }
        Ok(probationary)
    }
}
