//! The demo's member portal (issue 23): about 200 members received by Wuchuan's chamber branches have
//! opened their invitations over the last months (member_demo among the portal's users since the start);
//! a few invitations still wait, two have expired and one locked after wrong answers. Two members at home
//! have reported leaving (外出报备) and wait for their branch to confirm. Wuchuan lists its ten VR 云展馆
//! and Jinxiang three venues for 学习 (fictitious addresses under `.example`); member_demo has marked
//! three as visited.

use chrono::{Duration, Utc};
use honglian_domain::members::mobility::ReportKind;
use honglian_domain::platform::authz::Role;
use honglian_store::Scope;
use honglian_store::entity::portal::invitation;
use honglian_store::repo::members::reports::{self, NewReport};
use honglian_store::repo::members::{mobility, registry as members};
use honglian_store::repo::organisations::orgs::Org;
use honglian_store::repo::platform::users;
use honglian_store::repo::portal::invitations;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};

use super::Rng;
use crate::platform::crypto::{random_token, sm3_hex};
use crate::{App, AppResult};

/// Members of each chamber branch with an account; invitations still waiting.
const ACTIVATED_PER_CHAMBER: usize = 12;
const WAITING_PER_CHAMBER: usize = 3;

impl App {
    pub(crate) async fn demo_invitations(
        &self,
        txn: &impl ConnectionTrait,
        chambers: &[Org],
        hash: &str,
    ) -> AppResult<()> {
        let mut rng = Rng(23);
        let inviter = users::by_username(txn, "wuchuan_admin").await?.expect("the demo's accounts exist");
        let now = Utc::now();
        #[allow(clippy::disallowed_methods, reason = "the demo loader reads the whole deployment it builds")]
        let all = Scope::All(honglian_store::Unscoped::system());
        let mut n = 0usize;
        for (c, chamber) in chambers.iter().enumerate() {
            let wanted = ACTIVATED_PER_CHAMBER + WAITING_PER_CHAMBER;
            // The members each chamber branch receives from home (its own filed members have their branch at hand).
            let people = invitations::invitable(txn, &all, &chamber.path, true, now, wanted as u64).await?;
            let ids: Vec<i64> = people.iter().map(|p| p.0).collect();
            let names = members::names(txn, &ids).await?;
            for (k, (member_id, org_id, org_path)) in people.into_iter().enumerate() {
                let waiting = k >= ACTIVATED_PER_CHAMBER;
                // The activated were invited 2–5 months ago; the waiting ones lately, two of them too long ago.
                let age = if waiting {
                    rng.below(12) as i64 + if k == wanted - 1 && c < 2 { 40 } else { 0 }
                } else {
                    60 + rng.below(90) as i64
                };
                let created = now - Duration::days(age) - Duration::minutes(rng.below(600) as i64);
                let mut row = invitation::ActiveModel {
                    member_id: Set(member_id),
                    org_id: Set(org_id),
                    org_path: Set(org_path),
                    // A code no one holds: the sheet was printed then; a new one is made to print again.
                    code_hash: Set(sm3_hex(random_token(16).as_bytes())),
                    status: Set("pending".into()),
                    wrong_answers: Set(0),
                    expires_at: Set(created + Duration::days(honglian_domain::portal::invitation::VALID_DAYS)),
                    created_by: Set(Some(inviter.id)),
                    created_by_name: Set(inviter.display_name.clone()),
                    created_at: Set(created),
                    ..Default::default()
                };
                if waiting {
                    if c == 2 && k == wanted - 1 {
                        row.status = Set("locked".into());
                        row.wrong_answers = Set(honglian_domain::portal::invitation::MAX_WRONG_ANSWERS);
                        row.closed_at = Set(Some(created + Duration::days(1)));
                    }
                } else {
                    n += 1;
                    let name = names.get(&member_id).cloned().unwrap_or_default();
                    let u = users::insert(txn, &format!("wc{n:04}"), &name, hash.to_string(), false, Some(member_id))
                        .await?;
                    users::add_grant(txn, u.id, Role::Member.code(), None, None, None, None).await?;
                    row.status = Set("activated".into());
                    row.closed_at = Set(Some(created + Duration::days(1 + rng.below(10) as i64)));
                    row.user_id = Set(Some(u.id));
                }
                row.insert(txn).await?;
            }
        }
        Ok(())
    }

    /// Two members at home in two Wuchuan branches (away from the branches the tests and the tour use)
    /// have reported leaving, one last week and one leaving in five days: the branch's queue and the
    /// county's workbench show them.
    pub(crate) async fn demo_reports(&self, txn: &impl ConnectionTrait, home_branches: &[Org]) -> AppResult<()> {
        let today = crate::today();
        let mid = home_branches.len() / 2;
        let plans = [
            (&home_branches[mid], "440300", "深圳市宝安区福海街道", "深圳某精密制造有限公司", "质检员", -3i64),
            (&home_branches[mid + 1], "441900", "东莞市长安镇", "东莞某五金制品厂", "车间主任", 5),
        ];
        for (org, city, address, employer, occupation, days) in plans {
            let mut at_home = None;
            for (id, _, status, _) in members::of_org(txn, org.id).await?.into_iter().rev() {
                if status == "normal" && mobility::open_outflow(txn, id).await?.is_none() {
                    at_home = Some(id);
                    break;
                }
            }
            let Some(member) = at_home else { continue };
            reports::insert(
                txn,
                NewReport {
                    member_id: member,
                    org_id: org.id,
                    province_code: "440000".into(),
                    city_code: city.into(),
                    county_code: None,
                    address_enc: self.seal_text("outflow_reports", "address", member, Some(address)),
                    employer: Some(employer.into()),
                    occupation: Some(occupation.into()),
                    reason: "work_business".into(),
                    start_date: today + Duration::days(days),
                    expected_return: Some(today + Duration::days(days + 240)),
                    note_enc: self.seal_text("outflow_reports", "note", member, Some("春节前回来，有事请打电话")),
                    phone_changed: false,
                    mobility_record_id: None,
                    kind: ReportKind::Leave.code(),
                },
            )
            .await?;
        }
        Ok(())
    }

    /// The learning venues of both counties and member_demo's own marks.
    pub(crate) async fn demo_learning(
        &self,
        txn: &impl ConnectionTrait,
        wuchuan: &Org,
        jinxiang: &Org,
    ) -> AppResult<()> {
        use honglian_domain::portal::learning::Venue;
        let venue = |key: &str, name: &str, description: &str, path: &str| Venue {
            key: key.into(),
            name: name.into(),
            description: description.into(),
            url: format!("https://vr.{path}"),
        };
        let wc = [
            (
                "wc01",
                "吴川革命历史纪念馆",
                "吴川人民百年奋斗历程，馆藏文物与历史照片实景。",
                "wuchuan.example/jinianguan",
            ),
            ("wc02", "南路革命根据地旧址", "南路人民抗日解放军活动旧址，沉浸式还原当年情景。", "wuchuan.example/nanlu"),
            ("wc03", "吴川第一个党支部旧址", "吴川党组织诞生地，了解早期共产党人的初心。", "wuchuan.example/diyizhibu"),
            ("wc04", "梅菉红色交通站旧址", "抗战时期秘密交通线上的重要站点。", "wuchuan.example/jiaotongzhan"),
            ("wc05", "吴阳抗日烈士纪念碑", "缅怀在抗日战争中牺牲的吴阳籍烈士。", "wuchuan.example/wuyang"),
            ("wc06", "黄坡革命烈士陵园", "安葬解放战争时期牺牲的革命烈士，可在线献花。", "wuchuan.example/huangpo"),
            ("wc07", "塘㙍农民运动旧址", "大革命时期农民协会的活动旧址。", "wuchuan.example/tangdui"),
            ("wc08", "王村港海防遗址", "近代海防与渔民支前的历史见证。", "wuchuan.example/wangcungang"),
            ("wc09", "吴川党建主题公园", "以党史为主线的户外学习阵地。", "wuchuan.example/gongyuan"),
            ("wc10", "吴川商会党建展厅", "“红色商会”建设成果，流动党员“流而有根”的故事。", "wuchuan.example/shanghui"),
        ];
        let jx = [
            ("jx01", "羊山战役纪念馆", "1947 年羊山集战役的历史陈列与烈士事迹。", "jinxiang.example/yangshan"),
            ("jx02", "金乡县党史馆", "金乡党组织的创建与发展历程。", "jinxiang.example/dangshiguan"),
            ("jx03", "两新组织党建展厅", "经开区“四心领航”等两新党建品牌展示。", "jinxiang.example/liangxin"),
        ];
        for (county, list) in [(wuchuan.id, &wc[..]), (jinxiang.id, &jx[..])] {
            let venues: Vec<Venue> = list.iter().map(|(k, n, d, p)| venue(k, n, d, p)).collect();
            let json = serde_json::to_string(&venues).unwrap_or_default();
            self.set_county_setting(txn, crate::portal::learning::SETTING_VENUES, county, &json).await?;
        }
        let demo = users::by_username(txn, "member_demo").await?.expect("the demo's accounts exist");
        let today = crate::today();
        for (k, days) in [("wc01", 120), ("wc03", 45), ("wc10", 9)] {
            honglian_store::repo::portal::learning::mark(txn, demo.id, k, today - Duration::days(days)).await?;
        }
        Ok(())
    }

    /// The Mid-Autumn greeting Wuchuan sent to its members away from home on the latest Mid-Autumn
    /// Festival: delivered in-app to every one with an account (each delivery in their contact log),
    /// two in three opened; three members had asked for it by email too, which this deployment has no
    /// mail server for, so the worker gives those up at its first round (the deliveries view shows why).
    pub(crate) async fn demo_greetings(&self, txn: &impl ConnectionTrait, wuchuan: &Org) -> AppResult<()> {
        use honglian_store::repo::platform::outbox::{self, Message, NotifyPref};
        use honglian_store::repo::portal::greetings::{self, NewGreeting};
        // 中秋节 (the 15th of the 8th lunar month) in the years the demo may be loaded.
        let today = crate::today();
        let festival = ["2025-10-06", "2026-09-25", "2027-09-15", "2028-10-03", "2029-09-22", "2030-09-12"]
            .iter()
            .filter_map(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .rfind(|d| *d <= today)
            .unwrap_or(today);
        let sent_at = (festival - Duration::days(1)).and_hms_opt(1, 30, 0).expect("a valid time").and_utc();
        let admin = users::by_username(txn, "wuchuan_admin").await?.expect("the demo's accounts exist");
        // Three members asked for email as well (fictitious addresses).
        for name in ["wc0003", "wc0017", "wc0042"] {
            if let Some(u) = users::by_username(txn, name).await? {
                // A reserved domain: no mail can reach it, whatever server a demo is pointed at.
                let email = format!("{name}@mail.example.invalid");
                outbox::save_pref(
                    txn,
                    NotifyPref {
                        id: 0,
                        user_id: u.id,
                        email_enc: self.seal_text("notify_prefs", "email", u.id, Some(&email)),
                        email_on: true,
                        quiet_start: Some(22 * 60),
                        quiet_end: Some(7 * 60),
                        updated_at: sent_at - Duration::days(20),
                    },
                )
                .await?;
            }
        }
        let (targeted, with_account) = outbox::open_outflows_count(txn, &wuchuan.path).await?;
        let g = greetings::insert(
            txn,
            NewGreeting {
                org_id: wuchuan.id,
                org_path: wuchuan.path.clone(),
                occasion: "中秋节".into(),
                title: "中秋问候：月圆人团圆，家乡念亲人".into(),
                body: "在外奋斗的吴川籍党员同志们：中秋佳节，吴川市委组织部向大家致以节日的问候！\
                       无论身在何方，家乡党组织始终牵挂着你们。有困难、有建议，请通过“指尖党建”或所在商会党支部\
                       告诉我们。祝大家阖家幸福、工作顺利！"
                    .into(),
                author_id: Some(admin.id),
                author_name: admin.display_name.clone(),
                targeted: targeted as i32,
                no_account: (targeted - with_account) as i32,
            },
            sent_at,
        )
        .await?;
        let msg = Message {
            org_path: wuchuan.path.clone(),
            source: format!("greeting:{}", g.id),
            kind: "greeting".into(),
            title: g.title.clone(),
            body: g.body.clone(),
            link: Some("/m/bulletins".into()),
        };
        outbox::enqueue_to_open_outflows(txn, &wuchuan.path, &msg, sent_at, false).await?;
        // The worker delivered the in-app ones within seconds.
        let token = random_token(16);
        let delivered_at = sent_at + Duration::seconds(3);
        outbox::claim(txn, "in_app", &token, delivered_at, delivered_at + Duration::minutes(2), u64::MAX >> 1).await?;
        outbox::deliver_in_app(txn, &token, delivered_at, festival - Duration::days(1)).await?;
        // Two in three opened it over the holiday.
        {
            use honglian_store::entity::platform::notification;
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let list = notification::Entity::find()
                .filter(notification::Column::DedupeKey.eq(msg.source.as_str()))
                .all(txn)
                .await?;
            for n in list.into_iter().filter(|n| n.id % 3 != 0) {
                let at = n.created_at + Duration::hours(n.id % 50);
                let mut am: notification::ActiveModel = n.into();
                am.read_at = Set(Some(at));
                am.update(txn).await?;
            }
        }
        Ok(())
    }
}
