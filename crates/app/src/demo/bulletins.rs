//! The demo's bulletins (通知公告): Wuchuan's county committee, the 梅菉街道 town committee and
//! member_demo's branch write to their members, the 广州 chamber branch also to the outflow members it
//! receives (member_demo among them), and one notice was withdrawn; Jinxiang's county and its
//! development-zone committee write too. member_demo has opened some of them.

use chrono::{Duration, Utc};
use honglian_domain::portal::bulletin::BulletinKind;
use honglian_store::Scope;
use honglian_store::repo::organisations::orgs::{self, Org};
use honglian_store::repo::platform::users;
use honglian_store::repo::portal::bulletins::{self, BulletinFields};
use sea_orm::ConnectionTrait;

use crate::{App, AppResult};

/// (organisation name, author, kind, title, body, include outflow members, days ago, read by
/// member_demo, withdrawn).
type DemoBulletin = (&'static str, &'static str, BulletinKind, &'static str, &'static str, bool, i64, bool, bool);

const WUCHUAN: &[DemoBulletin] = &[
    (
        "中共吴川市委员会",
        "吴川市委组织部",
        BulletinKind::Notice,
        "关于开展在外党员“报平安、话发展”活动的通知",
        "各基层党组织、在外党员同志们：\n\n为加强与在外党员的联系，市委组织部决定在全市开展“报平安、话发展”活动。在外党员可通过“党员之家”手机页面的“报平安”随时告诉党组织自己的近况，也可在“诉求与建议”中提出遇到的困难和对家乡发展的建议。\n\n本活动自愿参加，不设打卡、不作排名。各党支部要及时回应党员的诉求，做到件件有回音。\n\n中共吴川市委组织部",
        false,
        20,
        true,
        false,
    ),
    (
        "中共吴川市委员会",
        "吴川市委组织部",
        BulletinKind::Activity,
        "吴川市“流而有根”在外党员线上主题党日活动通知",
        "本月主题党日以“流而有根，情系吴川”为主题，时间为本月 25 日晚 8 点，形式为线上集中学习和交流。\n\n在外党员可就近参加所在地商会党支部的活动，也可参加线上学习。不能参加的无需请假说明。\n\n附：线上学习入口请见“学习”页面。",
        false,
        6,
        false,
        false,
    ),
    (
        "中共吴川市梅菉街道工作委员会",
        "梅菉街道党工委",
        BulletinKind::Notice,
        "梅菉街道关于组织党员参加社区志愿服务的通知",
        "各村（社区）党组织：\n\n街道党工委将于近期组织党员志愿服务活动，内容包括社区环境整治、关爱独居老人、政策宣传等。在家的党员可就近报名参加；在外党员可在节假日返乡期间参加。\n\n报名请联系所在党支部。",
        false,
        12,
        true,
        false,
    ),
    (
        "梅菉街道新华社区第一党支部",
        "新华社区第一党支部",
        BulletinKind::Activity,
        "新华社区第一党支部关于召开本季度党员大会的通知",
        "全体党员同志：\n\n支部定于本月最后一个星期六上午 9 时在社区党群服务中心召开党员大会，议程：学习上级文件精神；通报本季度支部工作；讨论下季度工作安排。\n\n在外党员可通过视频方式参加，请提前告知支部委员以便安排。",
        false,
        3,
        false,
        false,
    ),
    (
        "梅菉街道新华社区第一党支部",
        "新华社区第一党支部",
        BulletinKind::Notice,
        "关于党员大会时间调整的通知（已更正）",
        "原定时间有误，请以支部最新通知为准。",
        false,
        4,
        false,
        true,
    ),
    (
        "广州吴川商会党支部",
        "广州吴川商会党支部",
        BulletinKind::Activity,
        "广州吴川商会党支部邀请在穗吴川籍党员参加主题党日的通知",
        "在广州工作生活的吴川籍党员同志们：\n\n商会党支部本月主题党日活动定于周日下午 3 点在商会党建活动室举行，内容为参观广州起义纪念馆、交流在穗工作生活情况。\n\n欢迎在穗吴川籍党员参加，有困难的可在“诉求与建议”中提出，商会将尽力帮助。",
        true,
        2,
        false,
        false,
    ),
];

const JINXIANG: &[DemoBulletin] = &[
    (
        "中共金乡县委员会",
        "金乡县委组织部",
        BulletinKind::Notice,
        "关于开展“两新”组织党建工作季度摸排的通知",
        "各乡镇（街道）党（工）委、各综合党委、行业党委：\n\n请于本季度末前完成辖区内“两新”组织党建工作摸排，如实填报有形覆盖和有效覆盖情况。摸排结果用于改进工作，不作排名。",
        false,
        9,
        false,
        false,
    ),
    (
        "金乡经济开发区综合党委",
        "经开区综合党委",
        BulletinKind::Activity,
        "关于组织园区党员参加技能提升培训的通知",
        "园区各企业党组织：\n\n综合党委联合县人社局举办电工、焊工技能提升培训，党员和职工均可报名，培训免费，合格者可获得相应职业技能等级证书。\n\n报名截止：下周五。",
        false,
        5,
        false,
        false,
    ),
];

impl App {
    /// The demo's bulletins of both counties, published some days ago; member_demo has opened those
    /// marked read.
    pub(crate) async fn demo_bulletins(
        &self,
        txn: &impl ConnectionTrait,
        wuchuan: &Org,
        jinxiang: &Org,
    ) -> AppResult<()> {
        let member_demo = users::by_username(txn, "member_demo").await?.map(|u| u.id);
        let now = Utc::now();
        for (root, list) in [(wuchuan, WUCHUAN), (jinxiang, JINXIANG)] {
            let names = orgs::active_names(txn, &Scope::Paths(vec![root.path.clone()])).await?;
            for &(org, author, kind, title, body, include_outflow, days, read, withdrawn) in list {
                let Some((id, _, path)) = names.iter().find(|(_, n, _)| n == org) else { continue };
                let at = now - Duration::days(days) - Duration::hours(days % 5 + 1);
                let f = BulletinFields {
                    org_id: *id,
                    org_path: path.clone(),
                    kind: kind.code().into(),
                    title: title.into(),
                    body: body.into(),
                    include_outflow,
                };
                let b = bulletins::insert(txn, f, (None, author), at).await?;
                if read && let Some(u) = member_demo {
                    bulletins::mark_read(txn, &b, u, at + Duration::hours(5)).await?;
                }
                if withdrawn {
                    bulletins::withdraw(txn, b, None).await?;
                }
            }
        }
        Ok(())
    }
}
