//! Demo data of the Jinxiang practice (communities and goals): the two chain alliances with their
//! "2+1+X+N" members, part-time members and rotas; instructor groups and visits; a year's key task
//! list whose lights show all three colours relative to today; host entities with realistic
//! coverage and a closed and an open coverage census.

use chrono::{Datelike, Duration, NaiveDate};
use honglian_domain::goals::task::Milestone;
use honglian_store::Scope;
use honglian_store::repo::goals::tasks::TaskFields;
use honglian_store::repo::organisations::orgs::{self, Org, OrgFilter};
use honglian_store::repo::platform::integrity::Protected;
use honglian_store::repo::{
    PageReq, communities::instructors, communities::registry as communities, goals::tasks, organisations::hosts,
    platform::users,
};
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use crate::{App, AppResult};

/// An alliance: its members with roles, part-time members (name, unit, position) and secretaries
/// (a person, or a member organisation whose secretary serves).
type AllianceSpec<'a> = (&'a Org, &'a [(&'a str, &'a str)], &'a [(&'a str, &'a str, &'a str)], &'a [&'a str]);

/// A key task: (title, owner, co-organisations, deadline, milestones (title, planned, weight, done),
/// reported %, done).
type TaskSpec<'a> =
    (&'a str, &'a str, &'a [&'a str], NaiveDate, Vec<(&'a str, NaiveDate, u32, bool)>, Option<i32>, bool);

/// Days from today clamped into `year`, so that the lights relative to today show every colour.
fn day_in(year: i32, today: NaiveDate, n: i64) -> NaiveDate {
    let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January");
    let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December");
    (today + Duration::days(n)).clamp(jan1, dec31)
}

fn org_named(all: &[Org], name: &str) -> AppResult<Org> {
    all.iter()
        .find(|o| o.name == name)
        .cloned()
        .ok_or_else(|| crate::AppError::Internal(anyhow::anyhow!("demo organisation {name} missing")))
}

/// Demo instructors besides `instructor` (刘晓东): (username, display name).
const INSTRUCTORS: &[(&str, &str)] = &[
    ("instructor_zhang", "党建指导员 张敏"),
    ("instructor_li", "党建指导员 李强"),
    ("instructor_wang", "党建指导员 王芳"),
    ("instructor_zhao", "党建指导员 赵磊"),
    ("instructor_sun", "党建指导员 孙倩"),
];

impl App {
    pub(crate) async fn demo_goals(
        &self,
        txn: &impl ConnectionTrait,
        jinxiang: &Org,
        instructor_user: i64,
        password_hash: &str,
    ) -> AppResult<()> {
        let all = orgs::list(
            txn,
            &Scope::Paths(vec![jinxiang.path.clone()]),
            &OrgFilter::default(),
            PageReq { page: 1, per_page: 10_000 },
        )
        .await?
        .items;
        let org = |name: &str| org_named(&all, name);
        let today = crate::today();
        let year = today.year();
        let work = org("中共金乡县委两新组织工作委员会")?;

        // --- Alliances -------------------------------------------------------------------------
        let coal = org("煤基新材料产业链党建联盟")?;
        let garlic = org("大蒜产业链党建联盟")?;
        let alliances: [AllianceSpec; 2] = [
            (
                &coal,
                &[
                    ("金乡经济开发区综合党委", "lead"),
                    ("金乡化工产业园综合党委", "lead"),
                    ("中共金乡县委两新组织工作委员会", "coordinator"),
                    ("鲁特电工党支部", "member"),
                    ("金人电气党支部", "member"),
                    ("雷迈新能源党支部", "member"),
                    ("金乡县某新材料科技党支部", "member"),
                    ("金乡县某化工党支部", "member"),
                    ("凯盛商圈党委", "partner"),
                ],
                &[("孔德成", "金乡县工业和信息化局", "副局长"), ("吕文静", "金乡经济开发区管委会", "党建办主任")],
                &["孙立军", "鲁特电工党支部", "金人电气党支部", "金乡县某新材料科技党支部"],
            ),
            (
                &garlic,
                &[
                    ("金乡县大蒜产业园综合党委", "lead"),
                    ("金乡大蒜国际交易市场党委", "lead"),
                    ("中共金乡县委两新组织工作委员会", "coordinator"),
                    ("金乡县某大蒜冷藏党支部", "member"),
                    ("金乡县某蒜业食品党支部", "member"),
                    ("金乡县华光食品党支部", "member"),
                    ("金城商贸城党委", "partner"),
                ],
                &[("郝建国", "金乡县农业农村局", "副局长"), ("田晓燕", "金乡县市场监督管理局", "科长")],
                &["马志刚", "金乡县某大蒜冷藏党支部", "金乡县某蒜业食品党支部"],
            ),
        ];
        let anchor = NaiveDate::from_ymd_opt(year, 1, 1).expect("1 January");
        for (alliance, members, part_time, secretaries) in alliances {
            for (name, role) in members {
                let m = org(name)?;
                communities::upsert_member(txn, alliance.id, &m, role, m.founded_on.max(alliance.founded_on)).await?;
            }
            for (name, unit, position) in part_time {
                communities::add_part_time_member(
                    txn,
                    alliance.id,
                    name.to_string(),
                    unit.to_string(),
                    Some(position.to_string()),
                )
                .await?;
            }
            communities::set_rota(txn, alliance.id, anchor, 2).await?;
            let mut ids = Vec::new();
            for s in secretaries {
                // A secretary is named after a person, or after the secretary of a member organisation.
                let (name, org_id) = match org(s) {
                    Ok(o) => (o.secretary.clone().unwrap_or_default(), Some(o.id)),
                    Err(_) => (s.to_string(), None),
                };
                ids.push(communities::add_secretary(txn, alliance.id, name, org_id).await?.id);
            }
            // One swap this year (the third term) and a hand-over note at the end of each past term.
            let third = anchor.checked_add_months(chrono::Months::new(4)).expect("May");
            communities::put_swap(
                txn,
                alliance.id,
                third,
                ids[ids.len() - 1],
                "原轮值书记赴外地参加产业招商，经联盟会议同意调换".into(),
                None,
            )
            .await?;
            let mut start = anchor;
            while let Some(next) = start.checked_add_months(chrono::Months::new(2)) {
                if next > today {
                    break;
                }
                communities::add_handover(
                    txn,
                    alliance.id,
                    start,
                    format!(
                        "{}月—{}月轮值期间：召开周例会{}次，开展月督导2次；遗留事项：{}",
                        start.month(),
                        next.pred_opt().expect("a day before").month(),
                        7 + start.month() % 3,
                        if start.month() % 4 == 1 { "人才公寓党员活动室选址待定" } else { "无" }
                    ),
                    "联盟党建办".into(),
                    None,
                )
                .await?;
                start = next;
            }
        }

        // --- Instructors -----------------------------------------------------------------------
        let mut helpers = Vec::new();
        for (username, display) in INSTRUCTORS {
            helpers.push(users::insert(txn, username, display, password_hash.to_string(), false, None).await?.id);
        }
        let groups: [(&str, Vec<i64>, &[&str]); 2] = [
            (
                "经开区组团式指导一组",
                vec![instructor_user, helpers[0], helpers[1]],
                &["金乡经济开发区综合党委", "凯盛商圈党委"],
            ),
            (
                "大蒜产业组团式指导二组",
                vec![helpers[2], helpers[3], helpers[4]],
                &["金乡县大蒜产业园综合党委", "金乡大蒜国际交易市场党委"],
            ),
        ];
        let findings: &[(&str, Option<&str>)] = &[
            ("三会一课记录完整，主题党日结合安全生产开展", None),
            ("党员活动室兼作会议室，党建标识不够醒目", Some("11月底前完成党建标识上墙")),
            ("新发展的2名入党积极分子培养联系人未明确", Some("明确培养联系人并补充培养考察记录")),
            ("流动党员台账与实际不符，有1名党员已返乡未登记回归", Some("核实后登记回归")),
            ("党建品牌创建思路清晰，已形成阶段性成果", None),
        ];
        for (gi, (name, members, targets)) in groups.iter().enumerate() {
            let g = instructors::insert_group(txn, name.to_string(), &work).await?;
            let users: Vec<(i64, bool)> = members.iter().enumerate().map(|(i, u)| (*u, i == 0)).collect();
            instructors::set_users(txn, g.id, &users).await?;
            for (ti, t) in targets.iter().enumerate() {
                let target = org(t)?;
                instructors::assign(txn, g.id, &target).await?;
                // Visits: the target and two of its branches, over the last months.
                let visited: Vec<Org> = std::iter::once(target.clone())
                    .chain(all.iter().filter(|o| o.parent_id == Some(target.id)).take(2).cloned())
                    .collect();
                for (vi, v) in visited.iter().enumerate() {
                    let (f, follow) = findings[(gi * 3 + ti * 2 + vi) % findings.len()];
                    let on = today - Duration::days(10 + 23 * (vi as i64 + 2 * ti as i64) + 9 * gi as i64);
                    let visit = instructors::insert_visit(
                        txn,
                        v,
                        Some(g.id),
                        on,
                        f.into(),
                        follow.map(Into::into),
                        (INSTRUCTORS[gi * 2].1.trim_start_matches("党建指导员 ").into(), None),
                    )
                    .await?;
                    if follow.is_some() && vi == 2 {
                        instructors::close_visit(txn, visit).await?;
                    }
                }
            }
        }

        // --- The year's key task list ----------------------------------------------------------
        let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December");
        let days = |n: i64| day_in(year, today, n);
        let specs: Vec<TaskSpec> = vec![
            (
                "经开区\u{201c}四心领航\u{201d}党建品牌深化提升",
                "金乡经济开发区综合党委",
                &["鲁特电工党支部", "金人电气党支部"],
                dec31,
                vec![
                    ("制定品牌提升方案", days(-200), 20, true),
                    ("建成党群服务中心展陈", days(-60), 40, true),
                    ("年度品牌成果发布", days(20), 40, false),
                ],
                Some(65),
                false,
            ),
            (
                "亿九楼宇\u{201c}双孵化\u{201d}工作法推广",
                "亿九楼宇党委",
                &[],
                days(-5),
                vec![("入驻企业党建需求摸底", days(-150), 30, true), ("孵化联合党支部2个", days(-40), 70, true)],
                Some(100),
                true,
            ),
            (
                "凯盛商圈\u{201c}1336\u{201d}工作法覆盖商户",
                "凯盛商圈党委",
                &["凯盛商圈个体工商户联合党支部"],
                days(35),
                vec![
                    ("商户党员亮身份", days(-120), 30, true),
                    ("商圈党群驿站建成", days(-30), 40, false),
                    ("年度评星定级", days(30), 30, false),
                ],
                Some(45),
                false,
            ),
            (
                "煤基新材料产业链党建联盟季度观摩",
                "煤基新材料产业链党建联盟",
                &["金乡化工产业园综合党委"],
                days(60),
                vec![
                    ("一季度观摩", days(-240), 25, true),
                    ("二季度观摩", days(-150), 25, true),
                    ("三季度观摩", days(-60), 25, true),
                    ("四季度观摩", days(25), 25, false),
                ],
                Some(75),
                false,
            ),
            (
                "大蒜产业链\u{201c}党建+冷链\u{201d}项目落地",
                "大蒜产业链党建联盟",
                &["金乡县大蒜产业园综合党委"],
                days(-12),
                vec![("项目立项", days(-180), 40, true), ("冷链党员先锋岗挂牌", days(-50), 60, false)],
                Some(50),
                false,
            ),
            (
                "百千万提升工程：培育71个示范点",
                "中共金乡县委两新组织工作委员会",
                &["金乡经济开发区综合党委", "金乡县大蒜产业园综合党委"],
                days(10),
                vec![
                    ("确定培育对象71个", days(-230), 30, true),
                    ("中期评估", days(-90), 30, true),
                    ("验收命名", days(8), 40, false),
                ],
                Some(70),
                false,
            ),
            (
                "新就业群体党建阵地建设",
                "金乡县快递行业党委",
                &[],
                days(45),
                vec![
                    ("建成\u{201c}骑手驿站\u{201d}3处", days(-100), 50, true),
                    ("快递企业党组织全覆盖", days(-20), 50, false),
                ],
                Some(40),
                false,
            ),
            (
                "两新组织党组织覆盖攻坚",
                "中共金乡县委两新组织工作委员会",
                &["金乡街道综合党委", "高河街道综合党委"],
                days(-30),
                vec![("覆盖摸排", days(-200), 50, true), ("新建党组织10个", days(-40), 50, false)],
                Some(60),
                false,
            ),
            (
                "流动党员\u{201c}红链\u{201d}服务专项行动",
                "中共金乡县委两新组织工作委员会",
                &[],
                days(90),
                vec![],
                Some(55),
                false,
            ),
        ];
        self.demo_task_list(
            txn,
            &all,
            &work,
            format!("{year}年度金乡县两新组织党建重点工作清单"),
            specs,
            ("第三季度重点任务推进会", "1. 对亮红灯的\u{201c}两新组织党组织覆盖攻坚\u{201d}任务，由两新工委牵头每周调度；\n2. 大蒜产业链\u{201c}党建+冷链\u{201d}项目11月底前完成挂牌；\n3. 各联盟轮值书记按月报送推进情况。"),
        )
        .await?;

        // --- Host entities and coverage ----------------------------------------------------------
        let mut host_count = 0;
        for b in all.iter().filter(|o| o.kind == "branch" && o.host_kind == "enterprise") {
            let parent = all.iter().find(|p| Some(p.id) == b.parent_id).unwrap_or(&work);
            hosts::insert(
                txn,
                parent,
                hosts::HostFields {
                    name: b.host_name.clone().unwrap_or_else(|| b.name.trim_end_matches("党支部").into()),
                    kind: if b.name.contains("合作社") { "social_org" } else { "enterprise" }.into(),
                    industry: Some(
                        if parent.name.contains("大蒜") {
                            "农副产品加工"
                        } else if parent.name.contains("化工") {
                            "化工新材料"
                        } else {
                            "制造业"
                        }
                        .into(),
                    ),
                    region_code: "370828".into(),
                    covering_org_id: Some(b.id),
                    coverage: "own_org".into(),
                    community_id: None,
                    employees: Some(40 + (b.id % 7) as i32 * 30),
                    party_members: Some(3 + (b.id % 5) as i32),
                },
            )
            .await?;
            host_count += 1;
        }
        // Merchants and building tenants: covered by the area's joint branch, by the community,
        // by an instructor only, or not yet.
        let kinds = [
            ("merchant", "商贸零售"),
            ("enterprise", "商务服务"),
            ("social_org", "社会服务"),
            ("new_employment", "快递外卖"),
        ];
        for r in all.iter().filter(|o| o.kind == "regional_org") {
            let joint = all.iter().find(|o| o.parent_id == Some(r.id) && o.kind == "joint_branch");
            for i in 0..8u32 {
                let (kind, industry) = kinds[(i as usize + r.id as usize) % kinds.len()];
                let (coverage, covering, community) = match i % 8 {
                    0..=3 => ("joint_branch", joint.map(|j| j.id), None),
                    4 | 5 => ("community", Some(r.id), Some(r.id)),
                    6 => ("instructor", None, None),
                    _ => ("none", None, None),
                };
                let host_name = r.host_name.clone().unwrap_or_default();
                let name = match kind {
                    "merchant" => format!("{host_name}{}号商户", 101 + i),
                    "new_employment" => format!("{host_name}快递驿站{}", i + 1),
                    "social_org" => format!("{host_name}志愿服务协会"),
                    _ => format!("{host_name}入驻企业{}", i + 1),
                };
                hosts::insert(
                    txn,
                    r,
                    hosts::HostFields {
                        name,
                        kind: kind.into(),
                        industry: Some(industry.into()),
                        region_code: "370828".into(),
                        covering_org_id: covering,
                        coverage: coverage.into(),
                        community_id: community,
                        employees: Some(3 + (i as i32 * 5) % 40),
                        party_members: Some((i % 3) as i32),
                    },
                )
                .await?;
                host_count += 1;
            }
        }
        let q = (today.month0() / 3) + 1;
        let (prev_year, prev_q) = if q == 1 { (year - 1, 4) } else { (year, q - 1) };
        let (closed, _) = hosts::create_census(
            txn,
            format!("{prev_year}年第{prev_q}季度两新组织覆盖摸排"),
            format!("{prev_year}-Q{prev_q}"),
            &work,
            None,
        )
        .await?;
        for e in hosts::entries(txn, closed.id, &Scope::Paths(vec![work.path.clone()])).await? {
            let coverage = e.coverage_before.clone();
            hosts::check_entry(txn, e, coverage, None, None).await?;
        }
        hosts::close_census(txn, closed).await?;
        hosts::create_census(txn, format!("{year}年第{q}季度两新组织覆盖摸排"), format!("{year}-Q{q}"), &work, None)
            .await?;
        self.demo_community_life(txn, &[&coal, &garlic]).await?;
        self.demo_brands_and_reviews(txn, &all, year).await?;
        tracing::debug!(hosts = host_count, "demo goals loaded");
        Ok(())
    }

    /// A year's key task list of `owner` with its tasks, progress reports and a 推进会 40 days ago.
    async fn demo_task_list(
        &self,
        txn: &impl ConnectionTrait,
        all: &[Org],
        owner: &Org,
        title: String,
        specs: Vec<TaskSpec<'_>>,
        meeting: (&str, &str),
    ) -> AppResult<()> {
        let today = crate::today();
        let year = today.year();
        let org = |name: &str| org_named(all, name);
        let list = tasks::insert_list(
            txn,
            owner,
            year,
            title,
            NaiveDate::from_ymd_opt(year, 2, 20).expect("20 February"),
            None,
        )
        .await?;
        for (title, owner, co, deadline, milestones, reported, done) in specs {
            let owner = org(owner)?;
            let co: Vec<Org> = co.iter().map(|c| org(c)).collect::<AppResult<_>>()?;
            let ms: Vec<Milestone> = milestones
                .iter()
                .map(|(t, planned, weight, is_done)| Milestone {
                    title: t.to_string(),
                    planned_on: (*planned).min(deadline),
                    weight: *weight,
                    done_on: is_done.then_some((*planned).min(deadline).min(today)),
                })
                .collect();
            let t = tasks::insert_task(
                txn,
                &list,
                &owner,
                &co,
                TaskFields {
                    title: title.into(),
                    description: None,
                    deadline,
                    milestones: serde_json::to_string(&ms).unwrap_or_else(|_| "[]".into()),
                },
            )
            .await?;
            if let Some(p) = reported {
                let note = if done {
                    "各项节点均已完成，材料已归档".to_string()
                } else {
                    format!("已完成约{p}%，正按节点推进")
                };
                tasks::add_report(txn, t.id, owner.id, p, note, format!("{}党务工作者", owner.name), None).await?;
                let mut am: honglian_store::entity::goals::task::ActiveModel = t.into();
                am.reported_percent = Set(Some(p));
                am.done_on = Set(done.then_some(deadline.min(today)));
                am.update(txn).await?;
            }
        }
        tasks::add_meeting(txn, list.id, day_in(year, today, -40), meeting.0.into(), meeting.1.into(), None).await?;
        Ok(())
    }

    /// Wuchuan's own year of goals (the seed's 商会党建): the key task list of the 工商联党委 — the
    /// \u{201c}六有\u{201d} venues and 外出党员服务之家, 月观摩, the census, the 回乡/关爱/先锋 programmes — and the
    /// chamber branches' brands.
    pub(crate) async fn demo_wuchuan_goals(&self, txn: &impl ConnectionTrait, wuchuan: &Org) -> AppResult<()> {
        use honglian_store::repo::goals::brands::{self, BrandFields};
        let all = orgs::list(
            txn,
            &Scope::Paths(vec![wuchuan.path.clone()]),
            &OrgFilter::default(),
            PageReq { page: 1, per_page: 10_000 },
        )
        .await?
        .items;
        let today = crate::today();
        let year = today.year();
        let days = |n: i64| day_in(year, today, n);
        let dec31 = NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December");
        const FED: &str = "中共吴川市工商业联合会委员会";
        let specs: Vec<TaskSpec> = vec![
            (
                "商会党组织\u{201c}六有\u{201d}阵地规范提升",
                FED,
                &["广州吴川商会党支部", "深圳吴川商会党支部", "南宁吴川商会党支部"],
                days(40),
                vec![
                    ("逐个商会对照\u{201c}六有\u{201d}标准摸底", days(-210), 20, true),
                    ("13个商会党员活动阵地挂牌", days(-90), 50, true),
                    ("阵地使用情况年度检查", days(30), 30, false),
                ],
                Some(70),
                false,
            ),
            (
                "\u{201c}外出党员服务之家\u{201d}全覆盖",
                FED,
                &["海口吴川商会党支部", "三亚吴川商会党支部", "柳州吴川商会党建联络中心"],
                days(-8),
                vec![("13个商会党支部建成", days(-120), 60, true), ("4个党建联络中心建成", days(-20), 40, false)],
                Some(60),
                false,
            ),
            (
                "\u{201c}月观摩、互促进\u{201d}党建交流活动",
                FED,
                &[],
                dec31,
                vec![("上半年观摩6场", days(-160), 50, true), ("下半年观摩6场", days(20), 50, false)],
                Some(80),
                false,
            ),
            (
                "流动党员季度摸排与外出、回归台账更新",
                FED,
                &["中共吴川市梅菉街道工作委员会", "中共吴川市塘㙍镇委员会"],
                days(25),
                vec![
                    ("一季度摸排", days(-250), 25, true),
                    ("二季度摸排", days(-160), 25, true),
                    ("三季度摸排", days(-70), 25, true),
                    ("四季度摸排", days(20), 25, false),
                ],
                Some(75),
                false,
            ),
            (
                "\u{201c}添砖添彩\u{201d}\u{201c}双招双引\u{201d}回乡投资推介会",
                FED,
                &["广州吴川商会党支部", "深圳吴川商会党支部"],
                days(-3),
                vec![("广州推介会", days(-100), 50, true), ("深圳推介会", days(-10), 50, true)],
                Some(100),
                true,
            ),
            (
                "\u{201c}关爱工程\u{201d}资助贫困大学生",
                FED,
                &[],
                days(70),
                vec![("筹集资助金", days(-60), 50, true), ("资助名单公示与发放", days(60), 50, false)],
                Some(45),
                false,
            ),
            (
                "商会党组织\u{201c}两优一先\u{201d}评选表彰（先锋工程）",
                FED,
                &[],
                days(-35),
                vec![("推荐评选", days(-80), 50, true), ("表彰大会", days(-36), 50, false)],
                Some(50),
                false,
            ),
        ];
        self.demo_task_list(
            txn,
            &all,
            &org_named(&all, FED)?,
            format!("{year}年度吴川市商会党建与流动党员管理重点工作清单"),
            specs,
            ("商会党建重点任务推进会", "1. \u{201c}外出党员服务之家\u{201d}已逾期，4个党建联络中心本月内建成；\n2. \u{201c}两优一先\u{201d}表彰大会与年度总结会合并召开；\n3. 四季度摸排由各镇街党（工）委牵头，商会党支部协助核实。"),
        )
        .await?;
        // The chamber branches' brands (the seed's 吴川墟日、暖冬计划、外出党员服务之家).
        const BRANDS: &[(&str, &str, &str, &str)] = &[
            ("广州吴川商会党支部", "\u{201c}吴川墟日\u{201d}", "以乡情联谊和政策宣讲凝聚在穗吴川籍流动党员", "done"),
            (
                "深圳吴川商会党支部",
                "\u{201c}暖冬计划\u{201d}",
                "节日走访慰问困难流动党员，让流动党员流而有根",
                "in_progress",
            ),
            (
                "南宁吴川商会党支部",
                "外出党员服务之家",
                "为外出党员和新就业群体党员提供学习、服务、联络的家",
                "in_progress",
            ),
            ("中共吴川市工商业联合会委员会", "商会党建", "商会组建到哪里，党组织就延伸到哪里", "done"),
        ];
        for (name, brand, goal, status) in BRANDS {
            let checklist: Vec<serde_json::Value> =
                ["制定品牌创建方案", "建成党建阵地", "形成工作法并总结推广", "开展品牌展示活动"]
                    .iter()
                    .enumerate()
                    .map(|(k, d)| serde_json::json!({"item": d, "done": *status == "done" || k < 2}))
                    .collect();
            brands::insert(
                txn,
                &org_named(&all, name)?,
                year,
                BrandFields {
                    name: brand.to_string(),
                    goal: goal.to_string(),
                    checklist: serde_json::Value::from(checklist).to_string(),
                    status: status.to_string(),
                    cultivation: false,
                },
                None,
            )
            .await?;
        }
        Ok(())
    }

    /// The working rhythm of the alliances (周例会、月督导、季评比、年述职, carrying out the 五共 mechanism): weekly meetings, monthly supervision, quarterly
    /// evaluation, attended by the member branches' people, with realistic gaps.
    async fn demo_community_life(&self, txn: &impl ConnectionTrait, alliances: &[&Org]) -> AppResult<()> {
        use honglian_store::repo::org_life::activities::{self, ActivityActive};
        use sea_orm::ActiveValue::NotSet;
        let today = crate::today();
        let jan1 = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January");
        let mut list = Vec::new();
        for (ai, alliance) in alliances.iter().enumerate() {
            // Present: the secretaries of the member organisations (who a community's meeting expects).
            let units: Vec<i64> = communities::members_of(txn, alliance.id)
                .await?
                .iter()
                .filter(|(m, _)| m.role == "member")
                .map(|(_, o)| o.id)
                .collect();
            let present: Vec<i64> = honglian_store::repo::organisations::committee::held_on(txn, &units, today)
                .await?
                .into_iter()
                .filter(|p| p.post == "secretary")
                .map(|p| p.member_id)
                .collect();
            if present.is_empty() {
                continue;
            }
            // The alliance holds them; its member organisations' people attend.
            let orgs = vec![(alliance.id, alliance.path.clone())];
            let mut add = |kind: &str, topic: String, day: NaiveDate| {
                let start = day.and_hms_opt(15, 0, 0).expect("time").and_utc() - Duration::hours(8);
                list.push((
                    ActivityActive {
                        id: NotSet,
                        kind: Set(kind.into()),
                        topic: Set(topic),
                        start_at: Set(start),
                        end_at: Set(start + Duration::hours(2)),
                        place: Set(Some(format!("{}党建联盟会议室", alliance.name.trim_end_matches("产业链党建联盟")))),
                        online_link: Set(None),
                        host: Set(alliance.secretary.clone()),
                        lecturer: Set(None),
                        minutes: Set(Some("轮值书记主持，成员单位通报产业链协作与党建工作进展。".into())),
                        status: Set("active".into()),
                        // All in the past: the code can never be used.
                        checkin_code: Set(format!("{:06}", 100_000 + ai * 7_919 + day.ordinal() as usize)),
                        created_by: Set(None),
                        for_year: Set(None),
                        created_at: NotSet,
                        updated_at: NotSet,
                    },
                    orgs.clone(),
                    present.clone(),
                ));
            };
            let mut week = jan1;
            let mut n = 0u32;
            while week + Duration::days(2) < today {
                // The garlic alliance skips more weeks in the busy harvest season (May–June).
                let skip = n % 9 == 4 || (ai == 1 && (5..=6).contains(&week.month()) && n.is_multiple_of(2));
                if !skip {
                    add("weekly_meeting", format!("第{}周周例会", n + 1), week + Duration::days(2));
                }
                week += Duration::days(7);
                n += 1;
            }
            for month in 1..=today.month() {
                let day = NaiveDate::from_ymd_opt(today.year(), month, 18).expect("18th");
                if day < today && !(ai == 1 && month == 8) {
                    add("supervision", format!("{month}月产业链党建督导"), day);
                }
                if month % 3 == 0 && day < today {
                    add("evaluation", format!("第{}季度观摩评比", month / 3), day + Duration::days(5));
                }
            }
        }
        activities::insert_many_with(txn, list).await?;
        Ok(())
    }

    /// Brand projects (1–2 per organisation, the three named in the seed among them, 71 cultivation
    /// targets of the 百千万提升工程), a closed and an open evaluation, and last year's reviews.
    async fn demo_brands_and_reviews(&self, txn: &impl ConnectionTrait, all: &[Org], year: i32) -> AppResult<()> {
        use honglian_store::repo::goals::brands::{self, BrandFields};
        use honglian_store::repo::goals::evaluations::{self, NewEvaluation};
        const NAMED: &[(&str, &str, &str)] = &[
            (
                "金乡经济开发区综合党委",
                "\u{201c}四心领航\u{201d}",
                "以初心、同心、暖心、匠心引领园区企业党建与发展同频共振",
            ),
            ("亿九楼宇党委", "\u{201c}双孵化\u{201d}", "孵化企业的同时孵化党组织，楼宇企业党组织应建尽建"),
            (
                "凯盛商圈党委",
                "\u{201c}1336\u{201d}工作法",
                "一个商圈党委、三级网格、三支队伍、六项服务，商户党员亮身份、做表率",
            ),
        ];
        const NAMES: &[&str] =
            &["红色引擎", "党建+产业链", "先锋岗", "红心向党", "同心圆", "红色驿站", "党员示范岗", "一支部一特色"];
        const DELIVERABLES: &[&str] = &["制定品牌创建方案", "建成党建阵地", "形成工作法并总结推广", "开展品牌展示活动"];
        let mut cultivated = 0;
        let mut i = 0usize;
        // Everyone below the county and its work committee, in tree order; twice round if needed to reach 71.
        let candidates: Vec<&Org> = all.iter().filter(|o| o.depth >= 3 && o.kind != "party_group").collect();
        for round in 0..2 {
            for o in &candidates {
                if round == 1 && cultivated >= 71 {
                    break;
                }
                let named = NAMED.iter().find(|n| n.0 == o.name);
                if round == 1 && named.is_some() {
                    continue;
                }
                let (name, goal) = match named {
                    Some((_, n, g)) if round == 0 => (n.to_string(), g.to_string()),
                    _ => {
                        let short = o
                            .name
                            .trim_end_matches("党支部")
                            .trim_end_matches("个体工商户联合")
                            .trim_end_matches("党委")
                            .trim_end_matches("综合");
                        (
                            format!("{short}\u{201c}{}\u{201d}", NAMES[(i + round) % NAMES.len()]),
                            "把党建优势转化为发展优势".into(),
                        )
                    }
                };
                let done = match i % 5 {
                    0 => 4,
                    1 | 2 => 2,
                    3 => 1,
                    _ => 0,
                };
                let checklist: Vec<serde_json::Value> = DELIVERABLES
                    .iter()
                    .enumerate()
                    .map(|(k, d)| serde_json::json!({"item": d, "done": named.is_some() || k < done}))
                    .collect();
                let all_done = named.is_some() || done == DELIVERABLES.len();
                let cultivation = cultivated < 71 && (named.is_some() || i % 4 != 3 || round == 1);
                cultivated += usize::from(cultivation);
                brands::insert(
                    txn,
                    o,
                    year,
                    BrandFields {
                        name,
                        goal,
                        checklist: serde_json::Value::from(checklist).to_string(),
                        status: if all_done {
                            "done"
                        } else if done == 0 {
                            "planning"
                        } else {
                            "in_progress"
                        }
                        .into(),
                        cultivation,
                    },
                    None,
                )
                .await?;
                i += 1;
            }
        }

        // Evaluations: last quarter's observation evaluation scored by three assessors, this quarter's open.
        let parks: Vec<&Org> = all.iter().filter(|o| o.kind == "park_committee").take(10).collect();
        let organiser = all.iter().find(|o| o.kind == "work_committee").expect("work committee");
        let sheet = serde_json::json!([
            {"code": "position", "label": "阵地建设", "weight": 20, "max_score": 100},
            {"code": "life", "label": "组织生活", "weight": 30, "max_score": 100},
            {"code": "brand", "label": "品牌创建", "weight": 30, "max_score": 100},
            {"code": "role", "label": "作用发挥", "weight": 20, "max_score": 100},
        ])
        .to_string();
        let today = crate::today();
        let q = today.month0() / 3 + 1;
        let (py, pq) = if q == 1 { (year - 1, 4) } else { (year, q - 1) };
        let targets: Vec<i64> = parks.iter().map(|p| p.id).collect();
        let mut assessors = Vec::new();
        for name in ["jinxiang_admin", "instructor_zhang", "instructor_wang"] {
            if let Some(u) = users::by_username(txn, name).await? {
                assessors.push(u.id);
            }
        }
        for (period, title, kind, closed) in [
            (format!("{py}-Q{pq}"), format!("{py}年第{pq}季度两新组织党建观摩评比"), "observation", true),
            (format!("{year}-Q{q}"), format!("{year}年第{q}季度季评比"), "quarterly", false),
        ] {
            let ev = evaluations::insert(
                txn,
                organiser,
                NewEvaluation { kind: kind.into(), title, period, sheet: sheet.clone() },
                &targets,
                None,
            )
            .await?;
            for (ai, a) in assessors.iter().enumerate() {
                if !closed && ai > 0 {
                    break;
                }
                for (ti, t) in targets.iter().enumerate() {
                    let base = 95 - (ti as i32 * 3) - (ai as i32 * 2);
                    let items: Vec<(String, i32)> = ["position", "life", "brand", "role"]
                        .iter()
                        .enumerate()
                        .map(|(k, c)| (c.to_string(), (base - ((ti + k * 3) % 7) as i32).clamp(50, 100)))
                        .collect();
                    evaluations::put_scores(txn, ev.id, *a, *t, &items).await?;
                }
            }
            if closed {
                evaluations::close(txn, ev).await?;
            }
        }
        let ratings = ["excellent", "excellent", "good", "good", "good", "fair", "excellent", "good", "poor", "good"];
        for (p, rating) in parks.iter().zip(ratings) {
            evaluations::put_review(
                txn,
                p,
                year - 1,
                rating.into(),
                Some(
                    match rating {
                        "excellent" => "抓党建促发展成效明显，品牌特色鲜明",
                        "good" => "基础工作扎实，党组织作用发挥还需加强",
                        "fair" => "三会一课落实不够经常，需加强指导",
                        _ => "党建工作存在明显短板，列为重点整顿对象",
                    }
                    .into(),
                ),
                "金乡县委两新工委述职评议组".into(),
                None,
            )
            .await?;
        }
        Ok(())
    }

    /// Incentive grants scored from the demo's own data once it is committed: a few approved, one
    /// disbursed.
    pub(crate) async fn demo_grants(&self, jinxiang: &Org) -> AppResult<()> {
        use honglian_store::repo::goals::grants;
        let year = crate::today().year();
        let ctx = crate::Ctx::system();
        let list = self.assess_grants(&ctx, jinxiang, year).await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let approver = users::by_username(&txn, "jinxiang_admin").await?.map(|u| u.id).unwrap_or_default();
        // The assessors' judgement, then the three best approved and the best one paid.
        let mut scored = Vec::new();
        #[allow(clippy::disallowed_methods, reason = "the demo loader writes the whole demo deployment")]
        let demo = honglian_store::Scope::All(honglian_store::Unscoped::system());
        for (i, g) in list.iter().enumerate() {
            let Some(row) = grants::get(&txn, &demo, g.id).await? else { continue };
            scored.push(self.rescore_manual(&txn, row, [95, 90, 85, 80, 70, 60][i % 6]).await?);
        }
        scored.sort_by(|a, b| b.total_hundredths.cmp(&a.total_hundredths).then(a.id.cmp(&b.id)));
        for (i, row) in scored.into_iter().filter(|g| g.amount_fen > 0).take(3).enumerate() {
            let row = grants::approve(&txn, row, approver).await?;
            if i == 0 {
                let on = crate::today() - Duration::days(3);
                grants::disburse(&txn, row.clone(), row.amount_fen, on, format!("JXCZ-{year}-0001")).await?;
            }
            self.stamp(&txn, Protected::IncentiveGrants, &[row.id]).await?;
        }
        txn.commit().await?;
        Ok(())
    }
}
