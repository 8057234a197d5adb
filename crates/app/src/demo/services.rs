//! The demo's services (issue 18): Jinxiang's 7 party-mass service centres, 16 红帆驿站 in workshops and
//! 29 蒜都骑士 爱心驿站, its 31 county departments and their 119 enterprise-benefit policies (realistic,
//! fictitious text); Wuchuan's chamber venues in the cities where its chambers are.

use chrono::{Datelike, Duration, NaiveDate};
use honglian_domain::services::calendar::WorkCalendar;
use honglian_domain::services::place::DEFAULT_STANDARD;
use honglian_domain::services::policy::{EnterpriseSize, INDUSTRIES};
use honglian_domain::services::search::index_text;
use honglian_store::Scope;
use honglian_store::entity::services::service_request;
use honglian_store::repo::PageReq;
use honglian_store::repo::organisations::hosts;
use honglian_store::repo::organisations::orgs::{self, Org};
use honglian_store::repo::platform::users;
use honglian_store::repo::services::places::{self, PlaceFields};
use honglian_store::repo::services::{departments, policies, requests};
use sea_orm::ConnectionTrait;
use sea_orm::Set;

use super::{Rng, d};
use crate::{App, AppResult};

/// Jinxiang's county departments, in the order the county lists them.
pub(crate) const JINXIANG_DEPARTMENTS: &[&str] = &[
    "县发展和改革局",
    "县工业和信息化局",
    "县财政局",
    "县人力资源和社会保障局",
    "县市场监督管理局",
    "县公安局",
    "县人民法院",
    "县司法局",
    "县税务局",
    "县自然资源和规划局",
    "县住房和城乡建设局",
    "县商务局",
    "县科学技术局",
    "县农业农村局",
    "县交通运输局",
    "县生态环境分局",
    "县应急管理局",
    "县行政审批服务局",
    "县医疗保障局",
    "县地方金融监管局",
    "县教育和体育局",
    "县文化和旅游局",
    "县卫生健康局",
    "县民政局",
    "县退役军人事务局",
    "县水务局",
    "县大数据中心",
    "县总工会",
    "县工商业联合会",
    "共青团金乡县委",
    "县妇女联合会",
];

/// Each department's policy subjects (what the policy supports), tags and industries (indices into
/// INDUSTRIES; none = every industry). 119 in all.
const SUBJECTS: &[(usize, &str, &[&str], &[usize])] = &[
    (0, "重点项目建设用能指标保障", &["项目", "用能"], &[1]),
    (0, "民间投资项目审批提速", &["审批", "投资"], &[]),
    (0, "企业技术改造项目贷款贴息", &["技改", "贴息"], &[1]),
    (0, "服务业重点项目培育", &["服务业"], &[3, 8]),
    (0, "降低企业用电用气成本", &["降本", "用电"], &[1]),
    (1, "工业企业技术改造奖补", &["技改", "奖补"], &[1]),
    (1, "专精特新中小企业培育", &["专精特新", "中小企业"], &[1, 7]),
    (1, "首台（套）重大技术装备保险补偿", &["首台套", "保险"], &[1]),
    (1, "大蒜深加工产业链延链补链", &["大蒜", "产业链"], &[0, 1]),
    (1, "工业互联网与数字化转型", &["数字化", "智能制造"], &[1, 6]),
    (2, "中小微企业贷款贴息", &["贴息", "融资"], &[]),
    (2, "政府采购支持中小企业发展", &["政府采购", "中小企业"], &[]),
    (2, "企业上市挂牌奖励", &["上市", "奖励"], &[]),
    (2, "财政资金直达企业", &["直达", "资金"], &[]),
    (3, "稳岗返还与扩岗补助", &["稳岗", "补贴"], &[]),
    (3, "高校毕业生就业见习补贴", &["人才", "见习", "补贴"], &[]),
    (3, "高层次人才引进安居补贴", &["人才", "住房", "补贴"], &[1, 7]),
    (3, "职业技能提升培训补贴", &["培训", "技能", "补贴"], &[]),
    (3, "创业担保贷款及贴息", &["创业", "贷款", "贴息"], &[3, 5, 10]),
    (4, "市场主体登记便利化", &["登记", "便利化"], &[]),
    (4, "知识产权质押融资奖补", &["知识产权", "融资"], &[1, 7]),
    (4, "商标品牌培育奖励", &["商标", "品牌"], &[0, 1]),
    (4, "小微企业质量管理体系认证补助", &["质量", "认证"], &[1]),
    (5, "涉企警务服务十项措施", &["警务", "营商环境"], &[]),
    (5, "重点企业安全保卫联络员制度", &["安保", "联络"], &[]),
    (5, "外籍技术人员出入境便利", &["出入境", "人才"], &[1, 7]),
    (6, "涉企案件快立快审快执", &["审判", "执行"], &[]),
    (6, "企业破产重整府院联动", &["破产", "重整"], &[]),
    (6, "商会调解与诉调对接", &["调解", "商会"], &[]),
    (7, "民营企业法治体检", &["法律服务", "体检"], &[]),
    (7, "涉企行政执法包容审慎监管", &["执法", "首违不罚"], &[]),
    (7, "企业公共法律服务进园区", &["法律服务", "园区"], &[]),
    (7, "劳动争议多元化解", &["劳动争议", "调解"], &[]),
    (8, "小微企业和个体工商户所得税减免", &["税收", "减免", "个体工商户"], &[]),
    (8, "研发费用税前加计扣除", &["税收", "研发", "加计扣除"], &[1, 7]),
    (8, "增值税留抵退税", &["税收", "退税"], &[]),
    (8, "纳税信用A级企业激励", &["税收", "信用"], &[]),
    (8, "出口退税办理提速", &["税收", "出口", "退税"], &[1, 3]),
    (9, "工业用地弹性年期出让", &["用地", "出让"], &[1]),
    (9, "标准地出让与交地即交证", &["用地", "标准地"], &[1]),
    (9, "低效用地再开发激励", &["用地", "再开发"], &[1]),
    (10, "工程建设项目审批制度改革", &["审批", "工程建设"], &[2]),
    (10, "建筑业企业资质提升奖励", &["建筑业", "资质"], &[2]),
    (10, "企业人才公寓保障", &["人才", "住房"], &[]),
    (10, "装配式建筑推广补助", &["装配式", "补助"], &[2]),
    (11, "外贸企业开拓国际市场补助", &["外贸", "展会", "补助"], &[1, 3]),
    (11, "大蒜出口品牌建设", &["大蒜", "出口", "品牌"], &[0, 3]),
    (11, "电子商务进农村综合示范", &["电商", "农村"], &[3, 6]),
    (11, "限上商贸企业培育奖励", &["商贸", "奖励"], &[3, 5]),
    (12, "高新技术企业认定奖励", &["高新技术", "奖励"], &[1, 7]),
    (12, "企业研发平台建设补助", &["研发", "平台", "补助"], &[1, 7]),
    (12, "科技型中小企业创新券", &["创新券", "科技"], &[6, 7]),
    (12, "科技成果转化奖补", &["成果转化", "奖补"], &[7]),
    (13, "农业产业化龙头企业扶持", &["龙头企业", "农业"], &[0]),
    (13, "大蒜冷链物流设施建设补助", &["大蒜", "冷链", "补助"], &[0, 4]),
    (13, "农产品“三品一标”认证奖励", &["认证", "农产品"], &[0]),
    (13, "家庭农场和合作社提升", &["合作社", "家庭农场"], &[0]),
    (14, "货运车辆通行便利", &["物流", "通行"], &[4]),
    (14, "城乡物流配送体系建设补助", &["物流", "配送", "补助"], &[4]),
    (14, "快递进村补助", &["快递", "农村"], &[4]),
    (15, "环评审批正面清单", &["环评", "审批"], &[1]),
    (15, "企业环保设施改造补助", &["环保", "补助"], &[1]),
    (15, "排污权有偿使用和交易", &["排污权"], &[1]),
    (16, "企业安全生产标准化奖补", &["安全生产", "奖补"], &[1, 2]),
    (16, "安全生产责任保险", &["安全生产", "保险"], &[1, 2]),
    (16, "小微企业安全生产帮扶", &["安全生产", "帮扶"], &[]),
    (17, "企业开办一日办结", &["开办", "审批"], &[]),
    (17, "项目审批帮办代办", &["帮办代办", "审批"], &[]),
    (17, "证照分离改革", &["证照分离", "审批"], &[]),
    (17, "一业一证改革", &["一业一证"], &[3, 5]),
    (18, "企业职工医保阶段性降费", &["医保", "降费"], &[]),
    (18, "灵活就业人员参保补贴", &["医保", "补贴"], &[]),
    (18, "企业职工大病保险", &["医保", "大病"], &[]),
    (19, "普惠金融信贷投放", &["融资", "信贷"], &[]),
    (19, "应急转贷资金", &["转贷", "融资"], &[]),
    (19, "政府性融资担保降费", &["担保", "融资"], &[]),
    (19, "企业债券融资奖励", &["债券", "融资", "奖励"], &[1]),
    (20, "企业职工子女入学保障", &["入学", "子女"], &[]),
    (20, "校企合作订单式培养", &["校企合作", "人才"], &[1]),
    (20, "职业院校服务企业用工", &["用工", "职业教育"], &[1]),
    (21, "文旅企业纾困扶持", &["文旅", "纾困"], &[5, 9]),
    (21, "乡村旅游重点村建设", &["乡村旅游"], &[9]),
    (21, "文化创意产业扶持", &["文化创意"], &[9]),
    (21, "星级饭店和旅行社奖励", &["旅游", "奖励"], &[5, 9]),
    (22, "企业职工健康服务进园区", &["健康", "园区"], &[]),
    (22, "民营医疗机构扶持", &["医疗", "民营"], &[10]),
    (22, "食品企业卫生许可便利", &["许可", "食品"], &[1, 5]),
    (23, "社会组织孵化培育", &["社会组织", "孵化"], &[10]),
    (23, "养老服务机构运营补贴", &["养老", "补贴"], &[10]),
    (23, "社区服务企业参与补助", &["社区", "补助"], &[10]),
    (24, "退役军人就业创业扶持", &["退役军人", "创业"], &[]),
    (24, "招用退役士兵税收优惠", &["退役军人", "税收"], &[]),
    (24, "退役军人就业基地认定奖励", &["退役军人", "就业"], &[]),
    (25, "企业节水改造补助", &["节水", "补助"], &[1]),
    (25, "工业用水报装提速", &["用水", "报装"], &[1]),
    (25, "取水许可告知承诺", &["取水", "承诺制"], &[1]),
    (26, "企业上云用数补助", &["上云", "数字化", "补助"], &[1, 6]),
    (26, "政务数据共享惠企", &["数据", "共享"], &[]),
    (26, "一网通办企业专区", &["一网通办"], &[]),
    (27, "新就业形态劳动者入会服务", &["新就业群体", "工会"], &[4, 10]),
    (27, "职工技能竞赛奖励", &["技能", "竞赛"], &[1]),
    (27, "困难职工帮扶", &["帮扶", "职工"], &[]),
    (27, "爱心驿站建设补助", &["爱心驿站", "补助"], &[4]),
    (28, "民营经济人士培训", &["培训", "民营经济"], &[]),
    (28, "商会调解服务", &["商会", "调解"], &[]),
    (28, "回乡投资创业服务", &["回乡", "创业"], &[]),
    (28, "民营企业“亲清”政商交流", &["亲清", "政商"], &[]),
    (29, "青年创业贷款贴息", &["青年", "创业", "贴息"], &[]),
    (29, "青年人才驿站", &["青年", "人才"], &[]),
    (29, "青年就业见习岗位", &["青年", "见习"], &[]),
    (30, "巾帼创业贷款", &["巾帼", "创业", "贷款"], &[]),
    (30, "妇女居家灵活就业", &["巾帼", "就业"], &[10]),
    (30, "巾帼文明岗创建", &["巾帼", "文明岗"], &[]),
    (30, "女性人才培育", &["巾帼", "人才"], &[]),
    (2, "个体工商户纾困补贴", &["个体工商户", "补贴"], &[3, 5, 10]),
    (3, "企业新招用人员社保补贴", &["社保", "补贴"], &[]),
    (12, "院士工作站建设奖励", &["人才", "院士工作站", "奖励"], &[1, 7]),
    (5, "物流园区治安联防", &["治安", "物流"], &[4]),
    (22, "职业健康达标企业奖励", &["职业健康", "奖励"], &[1]),
];

const FORMS: &[&str] =
    &["关于{}的实施办法", "{}若干措施", "关于进一步做好{}工作的通知", "{}实施细则", "{}管理办法（试行）"];

/// The department's document prefix: 金发改发, 金工信发 …
fn doc_prefix(dept: &str) -> String {
    let short: String = dept.trim_start_matches("县").trim_start_matches("共青团金乡").chars().take(2).collect();
    format!("金{short}发")
}

/// A year, a city and a note for a chamber's venue.
const CITY_COORDS: &[(&str, f64, f64)] = &[
    ("广州", 113.264, 23.129),
    ("深圳", 114.058, 22.543),
    ("佛山", 113.122, 23.021),
    ("东莞", 113.752, 23.021),
    ("中山", 113.393, 22.517),
    ("珠海", 113.577, 22.271),
    ("江门", 113.082, 22.579),
    ("惠州", 114.416, 23.112),
    ("南宁", 108.366, 22.817),
    ("海口", 110.320, 20.032),
    ("三亚", 109.512, 18.253),
    ("上海", 121.473, 31.230),
    ("厦门", 118.089, 24.480),
    ("柳州", 109.412, 24.326),
    ("北海", 109.120, 21.481),
];

#[allow(clippy::too_many_arguments)] // a place's description, each part named at its call
fn fields(
    kind: &str,
    name: String,
    address: String,
    at: (f64, f64),
    hours: &str,
    offers: &str,
    windows: &[&str],
    ticked: &[&str],
) -> PlaceFields {
    PlaceFields {
        kind: kind.into(),
        name,
        address,
        lng: Some((at.0 * 1e5).round() / 1e5),
        lat: Some((at.1 * 1e5).round() / 1e5),
        hours: hours.into(),
        offers: offers.into(),
        windows: serde_json::to_string(windows).unwrap_or_default(),
        ticked: serde_json::to_string(ticked).unwrap_or_default(),
    }
}

impl App {
    pub(crate) async fn demo_services(
        &self,
        txn: &impl ConnectionTrait,
        jinxiang: &Org,
        wuchuan: &Org,
        hash: &str,
    ) -> AppResult<()> {
        let mut rng = Rng(18);
        let jx_names = orgs::active_names(txn, &Scope::Paths(vec![jinxiang.path.clone()])).await?;
        let find = |name: &str| jx_names.iter().find(|(_, n, _)| n == name).map(|(id, _, _)| *id);
        let ids: Vec<i64> = jx_names.iter().map(|(id, _, _)| *id).collect();
        let all = orgs::get_many(txn, &Scope::Paths(vec![jinxiang.path.clone()]), &ids).await?;
        let org = |id: Option<i64>| all.iter().find(|o| Some(o.id) == id).unwrap_or(jinxiang).clone();
        let full: Vec<&str> = DEFAULT_STANDARD.to_vec();
        let seat = (116.311, 35.066);
        let jitter = |rng: &mut Rng, r: f64| {
            let dx = (rng.below(2001) as f64 - 1000.0) / 1000.0 * r;
            let dy = (rng.below(2001) as f64 - 1000.0) / 1000.0 * r;
            (seat.0 + dx, seat.1 + dy * 0.8)
        };
        let today = crate::today();

        // 一区域一中心: the regional organisations' centres with the departments' windows.
        let centres: &[(&str, &str, &str, (f64, f64))] = &[
            ("凯盛商圈党群服务中心", "凯盛商圈党委", "金乡县金乡街道凯盛国际商业广场 3 楼", (116.318, 35.071)),
            ("智慧楼宇党群服务中心", "智慧楼宇党委", "金乡县金乡街道智慧大厦 1 楼", (116.302, 35.063)),
            ("经开区党群服务中心", "金乡经济开发区综合党委", "金乡县经济开发区管委会东侧", (116.349, 35.045)),
            ("亿九楼宇党群服务中心", "亿九楼宇党委", "金乡县亿九商务楼宇 2 楼", (116.296, 35.075)),
            ("奎星湖商圈党群服务中心", "奎星湖商圈党委", "金乡县奎星湖路与金山街交叉口", (116.287, 35.058)),
            (
                "大蒜国际交易市场党群服务中心",
                "金乡大蒜国际交易市场党委",
                "金乡县大蒜国际交易市场服务楼",
                (116.272, 35.087),
            ),
            ("金城商贸城党群服务中心", "金城商贸城党委", "金乡县金城商贸城南门", (116.325, 35.082)),
        ];
        let window_sets: &[&[&str]] = &[
            &["市场监管", "公安", "法院", "司法", "人社"],
            &["市场监管", "人社", "税务"],
            &["市场监管", "公安", "法院", "司法", "人社", "税务", "行政审批"],
        ];
        for (i, (name, owner, address, at)) in centres.iter().enumerate() {
            let o = org(find(owner));
            let ticked: &[&str] = if i == 4 { &full[..4] } else { &full };
            let p = places::insert(
                txn,
                &o,
                fields(
                    "center",
                    name.to_string(),
                    address.to_string(),
                    *at,
                    "周一至周五 8:30–17:30，周六 9:00–12:00",
                    "党群服务、政务代办、人才孵化、法律咨询、职工之家、共享会议室",
                    window_sets[i % window_sets.len()],
                    ticked,
                ),
                None,
            )
            .await?;
            for k in 0..(1 + i % 3) {
                let on = today - Duration::days(40 + 90 * k as i64 + i as i64 * 3);
                let t: &[&str] = if i == 4 && k == 0 { &full[..4] } else { &full };
                let note = if t.len() < full.len() {
                    "党旗和书报未配齐，限期一个月整改"
                } else {
                    "阵地规范，台账齐全"
                };
                places::add_inspection(
                    txn,
                    &p,
                    on,
                    "县委组织部 王建华",
                    &serde_json::to_string(t).unwrap_or_default(),
                    note,
                    None,
                )
                .await?;
            }
            for (k, (amount, purpose)) in
                [(18_600_000i64, "阵地改造与标识标牌"), (3_250_050, "办公设施与书报购置"), (1_280_000, "年度运行维护")]
                    .iter()
                    .enumerate()
                    .take(1 + i % 3)
            {
                let on = d(today.year() - 1 + (k as i32 / 2), 3 + k as u32 * 3, 10 + i as u32);
                places::add_spend(txn, &p, on.min(today), amount - i as i64 * 10_000, purpose, None).await?;
            }
        }

        // 红帆驿站 in the workshops of the enterprises in the parks.
        let workshops: &[(&str, &str)] = &[
            ("鲁特电工", "一车间"),
            ("鲁特电工", "二车间"),
            ("鲁特电工", "装配车间"),
            ("金人电气", "总装车间"),
            ("金人电气", "配电车间"),
            ("雷迈新能源", "电芯车间"),
            ("雷迈新能源", "模组车间"),
            ("雷迈新能源", "仓储物流中心"),
            ("金乡县华光食品", "加工车间"),
            ("金乡县华光食品", "包装车间"),
            ("金乡县某新材料科技", "生产车间"),
            ("金乡县某化工", "中控室"),
            ("金乡县某大蒜冷藏", "冷库作业区"),
            ("金乡县某大蒜冷藏", "分拣车间"),
            ("金乡县某蒜业食品", "黑蒜车间"),
            ("金乡县某蒜业食品", "蒜片车间"),
        ];
        for (i, (company, shop)) in workshops.iter().enumerate() {
            let owner =
                jx_names.iter().find(|(_, n, _)| n.contains(company) && n.ends_with("党支部")).map(|(id, _, _)| *id);
            let o = org(owner.or(find("金乡经济开发区综合党委")));
            let ticked: &[&str] = if i % 5 == 3 { &full[..5] } else { &full };
            let at = jitter(&mut rng, 0.06);
            let p = places::insert(
                txn,
                &o,
                fields(
                    "workshop_station",
                    format!("{company}{shop}红帆驿站"),
                    format!("金乡县{company}厂区{shop}"),
                    at,
                    "每天 8:00–20:00（随班次开放）",
                    "党员先锋岗、学习角、职工议事、技能比武、应急药箱",
                    &[],
                    ticked,
                ),
                None,
            )
            .await?;
            places::add_inspection(
                txn,
                &p,
                today - Duration::days(30 + i as i64 * 5),
                "金乡经济开发区综合党委",
                &serde_json::to_string(ticked).unwrap_or_default(),
                if ticked.len() < full.len() { "制度未上墙" } else { "符合“六有”标准" },
                None,
            )
            .await?;
            places::add_spend(
                txn,
                &p,
                today - Duration::days(200 + i as i64),
                800_000 + 25_050 * i as i64,
                "驿站建设",
                None,
            )
            .await?;
        }

        // 蒜都骑士 爱心驿站 for couriers and riders, run with the express-delivery industry committee.
        let roads =
            ["金山街", "文峰路", "金城路", "奎星路", "建设路", "中心街", "莱河路", "南店子路", "北大街", "红旗路"];
        let hosts =
            ["中国邮政", "顺丰速运", "京东物流", "中通快递", "圆通速递", "韵达快递", "美团外卖站点", "饿了么站点"];
        let courier = org(jx_names
            .iter()
            .find(|(_, n, _)| n == "快递联合党支部")
            .map(|(id, _, _)| *id)
            .or(find("金乡县快递行业党委")));
        for i in 0..29 {
            let road = roads[i % roads.len()];
            let host = hosts[i % hosts.len()];
            let at = jitter(&mut rng, 0.045);
            let ticked: &[&str] = if i % 7 == 5 { &full[..3] } else { &full };
            let p = places::insert(
                txn,
                &courier,
                fields(
                    "courier_station",
                    format!("蒜都骑士爱心驿站（{road}{host}）"),
                    format!("金乡县{road}{}号", 10 + i * 17),
                    at,
                    "全天开放",
                    "饮水热饭、手机充电、休息避暑取暖、应急药箱、法律咨询",
                    &[],
                    ticked,
                ),
                None,
            )
            .await?;
            places::add_spend(
                txn,
                &p,
                today - Duration::days(120 + i as i64 * 3),
                350_000 + (i as i64 % 4) * 12_500,
                "驿站设施",
                None,
            )
            .await?;
        }

        // Wuchuan's chambers: a venue in each city, and 外出党员服务之家 in Guangzhou and Shenzhen.
        let wc_names = orgs::active_names(txn, &Scope::Paths(vec![wuchuan.path.clone()])).await?;
        let wc_ids: Vec<i64> = wc_names.iter().filter(|(_, n, _)| n.contains("商会")).map(|(id, _, _)| *id).collect();
        let chambers = orgs::get_many(txn, &Scope::Paths(vec![wuchuan.path.clone()]), &wc_ids).await?;
        for c in chambers.iter().filter(|c| c.kind == "branch" || c.kind == "liaison_center") {
            let Some((city, lng, lat)) = CITY_COORDS.iter().find(|(city, _, _)| c.name.starts_with(city)) else {
                continue;
            };
            let host = c.host_name.clone().unwrap_or_else(|| c.name.clone());
            places::insert(
                txn,
                c,
                fields(
                    "chamber_venue",
                    format!("{host}党建活动室"),
                    format!("{city}市{host}会所"),
                    (*lng + (c.id % 7) as f64 * 0.004, *lat + (c.id % 5) as f64 * 0.003),
                    "周一至周六 9:00–18:00",
                    "组织生活、流动党员学习、老乡互助、回乡投资对接",
                    &[],
                    &full,
                ),
                None,
            )
            .await?;
            if c.kind == "branch" && (c.name.starts_with("广州") || c.name.starts_with("深圳")) {
                places::insert(
                    txn,
                    c,
                    fields(
                        "outflow_home",
                        format!("吴川籍外出党员{city}服务之家"),
                        format!("{city}市{host}会所 2 楼"),
                        (*lng + 0.011, *lat - 0.007),
                        "周六、周日 9:00–17:00",
                        "组织关系咨询、党费收缴、务工维权、子女入学咨询",
                        &[],
                        &full[..5],
                    ),
                    None,
                )
                .await?;
            }
        }

        // The county's departments and their policies.
        let mut dept_ids = Vec::new();
        for (i, name) in JINXIANG_DEPARTMENTS.iter().enumerate() {
            dept_ids.push(departments::insert(txn, &jinxiang.path, name, i as i32 + 1).await?.id);
        }
        let sizes = EnterpriseSize::ALL;
        for (n, (dept, subject, tags, industries)) in SUBJECTS.iter().enumerate() {
            let dept_name = JINXIANG_DEPARTMENTS[*dept];
            let title = format!("{}{}", "金乡县", FORMS[n % FORMS.len()].replace("{}", subject));
            let year = 2022 + (n as i32 % 5);
            let issued = d(year, 1 + (n as u32 * 7) % 12, 1 + (n as u32 * 11) % 28).min(today - Duration::days(20));
            let from = issued + Duration::days(10 + n as i64 % 20);
            // Most are in force with no end or until the end of a later year; about one in nine has expired.
            let until = match n % 9 {
                0 => Some(
                    NaiveDate::from_ymd_opt(issued.year() + 1, 12, 31)
                        .expect("31 December")
                        .min(today - Duration::days(30)),
                ),
                1 | 4 | 7 => {
                    Some(NaiveDate::from_ymd_opt(today.year() + 1 + (n as i32 % 2), 12, 31).expect("31 December"))
                }
                _ => None,
            };
            let amount = [5, 10, 20, 30, 50, 100, 200][n % 7];
            let industries: Vec<&str> = industries.iter().map(|i| INDUSTRIES[*i]).collect();
            let scope_text = if industries.is_empty() { "全县各行业".to_string() } else { industries.join("、") };
            let size_list: Vec<EnterpriseSize> = match n % 4 {
                0 => vec![],
                1 => vec![EnterpriseSize::Small, EnterpriseSize::Micro],
                2 => vec![EnterpriseSize::Medium, EnterpriseSize::Small, EnterpriseSize::Micro],
                _ => vec![sizes[n % sizes.len()]],
            };
            let who = if size_list.is_empty() {
                "在本县依法登记注册、正常经营的企业".to_string()
            } else {
                format!("在本县依法登记注册的{}", size_list.iter().map(|s| s.label()).collect::<Vec<_>>().join("、"))
            };
            let summary = format!(
                "为{subject}，对{who}给予支持：符合条件的，按规定给予最高 {amount} 万元的资金补助或相应政策支持。适用行业：{scope_text}。由{dept_name}受理，{}内办结。",
                ["5 个工作日", "10 个工作日", "15 个工作日", "20 个工作日"][n % 4]
            );
            let body = format!(
                "第一条 为深入开展“党建惠企·金乡暖心”专项政策服务行动，做好{subject}工作，优化营商环境，结合我县实际，制定本{form}。\n\
                 第二条 本{form}适用于{who}，适用行业为{scope_text}。\n\
                 第三条 支持标准。对符合条件的市场主体，经审核认定后给予最高 {amount} 万元支持；同一事项已享受县级同类政策的，按照就高不重复原则执行。\n\
                 第四条 申报材料。申请人应提交申请表、营业执照、相关证明材料及承诺书，材料齐全的当场受理；可通过“红链直通车”在线提交，由{dept_name}办理。\n\
                 第五条 办理流程。受理、审核、公示、拨付四个环节全程留痕，公示期为 5 个工作日，公示无异议的及时拨付资金。\n\
                 第六条 监督管理。对弄虚作假骗取资金的，追回已拨付资金，并依法依规处理。\n\
                 第七条 本{form}由{dept_name}负责解释，自{from}起施行。",
                form = if title.contains("通知") {
                    "通知"
                } else if title.contains("措施") {
                    "措施"
                } else {
                    "办法"
                },
                from = from.format("%Y年%-m月%-d日"),
            );
            let f = policies::PolicyFields {
                department_id: dept_ids[*dept],
                doc_no: format!("{}〔{year}〕{}号", doc_prefix(dept_name), 3 + (n * 7) % 40),
                search_title: index_text(&title),
                search_body: index_text(&format!("{summary}\n{body}\n{}", tags.join(" "))),
                title,
                summary,
                body,
                issued_on: issued,
                effective_from: from,
                effective_until: until,
                industries: serde_json::to_string(&industries).unwrap_or_default(),
                sizes: serde_json::to_string(&size_list).unwrap_or_default(),
                tags: serde_json::to_string(tags).unwrap_or_default(),
            };
            policies::insert(txn, &jinxiang.path, f, None).await?;
        }
        self.demo_wuchuan_policies(txn, wuchuan).await?;
        self.demo_requests(txn, jinxiang, &dept_ids, hash).await?;
        self.demo_outreach(txn, jinxiang).await?;
        self.demo_needs(txn, jinxiang, wuchuan).await
    }

    /// Wuchuan's library: what its departments offer the members and entrepreneurs who come home to invest.
    async fn demo_wuchuan_policies(&self, txn: &impl ConnectionTrait, wuchuan: &Org) -> AppResult<()> {
        let list: &[(&str, &str, &str, &[&str])] = &[
            (
                "吴川市商务局",
                "吴川市鼓励在外乡贤回乡投资若干措施",
                "对在外乡贤回乡投资新设企业、实际到位资金 1000 万元以上的，按到位资金给予奖励，并提供项目代办服务。",
                &["回乡投资", "奖励"],
            ),
            (
                "吴川市人力资源和社会保障局",
                "吴川市返乡创业担保贷款及贴息实施办法",
                "返乡创业人员可申请最高 30 万元创业担保贷款，按规定给予贴息；小微企业最高 400 万元。",
                &["创业", "贷款", "贴息"],
            ),
            (
                "吴川市人力资源和社会保障局",
                "吴川市外出务工人员技能提升补贴办法",
                "在外务工的吴川籍人员取得职业资格或技能等级证书的，按等级给予技能提升补贴。",
                &["技能", "补贴"],
            ),
            (
                "吴川市工业和信息化局",
                "吴川市羽绒、塑料鞋产业转型升级扶持办法",
                "对传统产业企业实施技术改造、数字化转型的，按设备投资额给予补助。",
                &["技改", "补助"],
            ),
            (
                "吴川市教育局",
                "吴川市外出务工党员子女返乡入学服务办法",
                "外出务工党员子女回吴川就读的，按就近入学原则优先安排学位。",
                &["入学", "子女"],
            ),
            (
                "吴川市税务局",
                "吴川市支持小微企业和个体工商户税费优惠政策指引",
                "小规模纳税人、小型微利企业和个体工商户按规定享受税收减免，可通过电子税务局一次办理。",
                &["税收", "减免"],
            ),
        ];
        let today = crate::today();
        let mut depts: Vec<(String, i64)> = Vec::new();
        for (i, (dept, title, summary, tags)) in list.iter().enumerate() {
            let id = match depts.iter().find(|d| d.0 == *dept) {
                Some(d) => d.1,
                None => {
                    let d = departments::insert(txn, &wuchuan.path, dept, depts.len() as i32 + 1).await?;
                    depts.push((dept.to_string(), d.id));
                    d.id
                }
            };
            let issued = today - Duration::days(90 + 40 * i as i64);
            let body = format!(
                "第一条 为支持在外吴川人回乡发展，结合我市实际，制定本办法。\n第二条 {summary}\n第三条 可通过所在商会党组织或“红链直通车”咨询办理。"
            );
            policies::insert(
                txn,
                &wuchuan.path,
                policies::PolicyFields {
                    department_id: id,
                    doc_no: format!("吴府办〔{}〕{}号", issued.year(), 10 + i),
                    search_title: index_text(title),
                    search_body: index_text(&format!("{summary}\n{body}\n{}", tags.join(" "))),
                    title: title.to_string(),
                    summary: summary.to_string(),
                    body,
                    issued_on: issued,
                    effective_from: issued,
                    effective_until: None,
                    industries: "[]".into(),
                    sizes: "[]".into(),
                    tags: serde_json::to_string(tags).unwrap_or_default(),
                },
                None,
            )
            .await?;
        }
        Ok(())
    }

    /// 红链直通车: the county's categories and calendar, a handler account per department, and a year of
    /// about 300 requests in every state (most answered on time and rated, some late, a few open past
    /// their limit and escalated).
    async fn demo_requests(
        &self,
        txn: &impl ConnectionTrait,
        jinxiang: &Org,
        dept_ids: &[i64],
        hash: &str,
    ) -> AppResult<()> {
        let mut rng = Rng(1818);
        for (i, id) in dept_ids.iter().enumerate() {
            let name = format!("{}经办人", JINXIANG_DEPARTMENTS[i]);
            let u = users::insert(txn, &format!("jx_d{:02}", i + 1), &name, hash.to_string(), false, None).await?;
            users::add_grant(txn, u.id, "department_handler", Some(jinxiang.id), Some(*id), None, None).await?;
        }
        // (category, department index, limit in working days)
        let categories: &[(&str, usize, i32)] = &[
            ("政策咨询与兑现", 2, 10),
            ("融资贷款", 19, 10),
            ("用工招聘与社保", 3, 10),
            ("审批许可", 17, 5),
            ("市场监管与质量", 4, 7),
            ("税费办理", 8, 7),
            ("用地与规划", 9, 15),
            ("水电气暖保障", 25, 5),
            ("治安与周边环境", 5, 5),
            ("涉企纠纷与法律服务", 7, 10),
            ("科技创新与人才", 12, 10),
            ("物流与交通", 14, 7),
        ];
        let mut cats = Vec::new();
        for (i, (name, dept, limit)) in categories.iter().enumerate() {
            cats.push(
                requests::insert_category(txn, &jinxiang.path, name, dept_ids[*dept], *limit, i as i32 + 1).await?,
            );
        }
        let today = crate::today();
        let mut days: Vec<(NaiveDate, bool, String)> = Vec::new();
        for (year, off, worked) in demo_holidays() {
            let (from, to) = (d(year, 1, 1), d(year, 12, 31));
            let mut list: Vec<(NaiveDate, bool, String)> =
                off.iter().map(|x| (*x, false, "法定节假日".to_string())).collect();
            list.extend(worked.iter().map(|x| (*x, true, "调休上班".to_string())));
            requests::replace_calendar(txn, &jinxiang.path, from, to, &list).await?;
            days.extend(list);
        }
        let cal = WorkCalendar {
            holidays: days.iter().filter(|x| !x.1).map(|x| x.0).collect(),
            workdays: days.iter().filter(|x| x.1).map(|x| x.0).collect(),
        };
        // Enterprises of the coverage registry, each asked for by its responsible organisation.
        let found = hosts::list(
            txn,
            &Scope::Paths(vec![jinxiang.path.clone()]),
            &hosts::HostFilter { kind: Some("enterprise".into()), ..Default::default() },
            PageReq::new(Some(1), Some(200)),
        )
        .await?;
        if found.items.is_empty() {
            return Ok(());
        }
        let problems: &[(&str, &str)] = &[
            (
                "申请技改贴息需要哪些材料",
                "公司今年新上两条自动化产线，想申请技术改造贷款贴息，请问申报材料和时间节点。",
            ),
            ("流动资金贷款续贷困难", "银行要求续贷前先还款，企业资金周转紧张，希望协调应急转贷资金。"),
            ("招工难，急需电工和焊工", "订单增加，车间缺电工 10 名、焊工 6 名，希望人社部门帮助对接招聘会和职业院校。"),
            ("食品生产许可证延续", "许可证下月到期，延续审查能否现场一次办结？"),
            ("出口退税进度咨询", "上季度出口退税申报后一直未到账，请帮助查询进度。"),
            ("厂区门前道路积水", "雨后厂区门前道路积水严重，货车进出困难，希望协调修复排水。"),
            ("新厂房用地规划条件", "拟扩建冷库，需要确认地块规划条件和办理流程。"),
            ("用电增容报装", "新增设备需要增容 800 千伏安，希望加快报装进度。"),
            ("厂区周边治安巡逻", "夜间厂区周边有可疑人员，希望加强巡逻。"),
            ("合同纠纷调解", "与外地客户发生货款纠纷，希望商会调解或提供法律援助。"),
            ("高新技术企业认定辅导", "准备申报高新技术企业，希望科技部门上门辅导。"),
            ("大蒜出口集装箱运输", "旺季集装箱紧张，希望协调物流园和港口资源。"),
        ];
        let replies = [
            "已电话联系企业负责人，材料清单和办理时限已告知，符合条件的将于本月集中兑现。",
            "已协调相关科室现场办理，问题已解决，企业表示认可。",
            "已列入下一批支持计划，具体安排将另行书面通知。",
        ];
        let handlers: Vec<(i64, String)> = {
            let mut out = Vec::new();
            for (i, id) in dept_ids.iter().enumerate() {
                out.push((*id, format!("{}经办人", JINXIANG_DEPARTMENTS[i])));
            }
            out
        };
        // Three enterprises' contacts ask for themselves (jx_qy01–jx_qy03) on the phone.
        let mut contacts: Vec<(i64, i64, String)> = Vec::new();
        for (i, host) in found.items.iter().take(3).enumerate() {
            let name = format!("{}联络人", host.name);
            let u = users::insert(txn, &format!("jx_qy{:02}", i + 1), &name, hash.to_string(), false, None).await?;
            users::add_grant(txn, u.id, "enterprise_contact", Some(host.org_id), None, Some(host.id), None).await?;
            contacts.push((host.id, u.id, name));
        }
        let handler_of = |dept: i64| handlers.iter().find(|h| h.0 == dept).map(|h| h.1.clone()).unwrap_or_default();
        let orgs = orgs::get_many(
            txn,
            &Scope::Paths(vec![jinxiang.path.clone()]),
            &found.items.iter().map(|h| h.org_id).collect::<Vec<_>>(),
        )
        .await?;
        for n in 0..300u64 {
            let age = (n * 365 / 300) as i64; // spread over the year, newest last
            let submitted = cal.add_working_days(today - Duration::days(365 - age), 0);
            let c = &cats[rng.below(cats.len() as u64) as usize];
            // One request in four comes from an enterprise with its own contact.
            let host = if n % 4 == 1 {
                &found.items[(n as usize / 4) % contacts.len()]
            } else {
                &found.items[rng.below(found.items.len() as u64) as usize]
            };
            let contact = contacts.iter().find(|c| c.0 == host.id);
            let Some(org) = orgs.iter().find(|o| o.id == host.org_id) else { continue };
            let (title, description) = problems[(c.id as usize + n as usize) % problems.len()];
            let due = cal.add_working_days(submitted, c.limit_days as u32);
            let elapsed = cal.working_days_between(submitted, today);
            // How long the department took: mostly within the limit, about one in ten late.
            let took = if rng.below(10) == 0 {
                c.limit_days as u32 + 1 + rng.below(4) as u32
            } else {
                1 + rng.below(c.limit_days as u64) as u32
            };
            let mut r = service_request::ActiveModel {
                county_path: Set(jinxiang.path.clone()),
                category_id: Set(c.id),
                department_id: Set(c.department_id),
                requester_kind: Set(if contact.is_some() { "enterprise" } else { "branch" }.into()),
                requester_id: Set(contact.map(|c| c.1)),
                requester_name: Set(contact.map(|c| c.2.clone()).unwrap_or_else(|| format!("{}书记", org.name))),
                org_id: Set(org.id),
                org_path: Set(org.path.clone()),
                host_id: Set(Some(host.id)),
                host_name: Set(host.name.clone()),
                title: Set(format!("{}：{title}", host.name)),
                description: Set(description.to_string()),
                status: Set("submitted".into()),
                limit_days: Set(c.limit_days),
                submitted_on: Set(submitted),
                due_on: Set(due),
                accepted_on: Set(None),
                answered_on: Set(None),
                closed_on: Set(None),
                reply: Set(String::new()),
                rating: Set(None),
                rating_comment: Set(String::new()),
                reopened: Set(false),
                escalated_on: Set(None),
                created_at: Set(chrono::Utc::now()),
                updated_at: Set(chrono::Utc::now()),
                ..Default::default()
            };
            let mut steps: Vec<(&str, NaiveDate, String)> = vec![("submit", submitted, String::new())];
            let accepted = cal.add_working_days(submitted, 1).min(today);
            if elapsed >= 1 {
                r.status = Set("accepted".into());
                r.accepted_on = Set(Some(accepted));
                steps.push(("accept", accepted, String::new()));
            }
            if n % 23 == 7 && elapsed < 20 {
                r.status = Set("info_needed".into());
                steps.push(("ask_info", accepted, "请补充近三个月的财务报表和项目备案证明。".into()));
            } else if elapsed >= took {
                let answered = cal.add_working_days(submitted, took);
                r.status = Set("answered".into());
                r.answered_on = Set(Some(answered));
                r.reply = Set(replies[n as usize % replies.len()].into());
                steps.push(("reply", answered, replies[n as usize % replies.len()].into()));
                // Most requesters rate within a few days; the newest are still waiting for it.
                if elapsed >= took + 3 && n % 9 != 4 {
                    let rated = cal.add_working_days(answered, 2);
                    let rating = match rng.below(20) {
                        0 => "unsatisfied",
                        1..=3 => "basic",
                        _ => "satisfied",
                    };
                    let comment = if rating == "unsatisfied" {
                        "问题没有实质解决，答复只是政策解释。"
                    } else {
                        ""
                    };
                    r.status = Set("closed".into());
                    r.closed_on = Set(Some(rated));
                    r.rating = Set(Some(rating.into()));
                    r.rating_comment = Set(comment.into());
                    steps.push(("rate", rated, comment.into()));
                }
            } else if today > due {
                r.escalated_on = Set(Some(cal.add_working_days(due, 1).min(today)));
                steps.push(("escalate", cal.add_working_days(due, 1).min(today), format!("已超过办理时限（{due}）")));
            }
            let saved = requests::insert(txn, r).await?;
            for (action, on, note) in steps {
                let who = match action {
                    "submit" | "rate" => saved.requester_name.clone(),
                    "escalate" => "系统".to_string(),
                    _ => handler_of(saved.department_id),
                };
                let e = requests::add_event(txn, &saved, (None, &who), action, None, &note).await?;
                requests::set_event_time(txn, e, on).await?;
            }
        }
        Ok(())
    }
}

/// Visiting staff of the town and park committees (fictitious).
const VISITORS: &[&str] = &[
    "王建华（综合党委书记）、李敏（党建指导员）",
    "张志强（综合党委副书记）、刘洋（组织委员）",
    "陈立新（党建工作站站长）、赵丽（联络员）",
    "孙国栋（综合党委书记）、周倩（党建指导员）、县人社局 吴磊",
    "马庆华（组织委员）、县税务局 郑文、县市场监管局 何静",
];

/// (kind codes, summary) of a visit; `{}` is the enterprise.
const VISIT_NOTES: &[(&[&str], &str)] = &[
    (&["policy"], "到{}宣讲稳岗返还、技改贴息等惠企政策，现场发放政策明白纸，帮助企业梳理可申报项目 3 项。"),
    (&["policy", "service"], "走访{}，解读研发费用加计扣除政策，现场协调税务专管员辅导申报，企业当场完成预填。"),
    (&["service"], "到{}了解用工需求，对接县人社局招聘会 2 场、职业院校实习生 15 名。"),
    (&["service"], "协调供电所上门查看{}增容线路，明确 10 个工作日内完成报装。"),
    (&["warmth"], "春节前走访慰问{}困难职工和一线党员 6 名，送去慰问品和慰问金。"),
    (&["warmth", "service"], "夏季高温慰问{}车间一线职工，送清凉物资，并现场收集职工子女入学需求。"),
    (&["policy", "warmth"], "七一前到{}开展政策宣讲并慰问老党员，听取企业对营商环境的意见建议。"),
    (&["policy", "service", "warmth"], "三送一体化走访{}：宣讲融资贴息政策、对接银行授信、慰问生活困难党员。"),
];

/// (kind, title, description, tags) of a demo need.
const NEED_TEXTS: &[(&str, &str, &str, &[&str])] = &[
    (
        "need",
        "申请稳岗补贴和社保补贴",
        "企业今年新招用 20 名员工，想申请稳岗补贴和社保补贴，请问需要准备哪些材料。",
        &["用工"],
    ),
    ("need", "流动资金贷款贴息", "大蒜收购旺季资金周转紧张，希望了解中小微企业贷款贴息政策。", &["融资"]),
    ("need", "急需招聘电工和焊工", "订单增加，车间缺电工 8 名、焊工 5 名，希望帮助对接招聘会。", &["用工"]),
    ("need", "高新技术企业认定辅导", "准备申报高新技术企业，研发费用归集不清楚，希望上门辅导。", &["科技创新"]),
    ("need", "冷库扩建用地规划咨询", "拟在现有厂区扩建冷库，需要确认用地规划条件和审批流程。", &["用地"]),
    ("need", "出口退税进度慢", "上季度出口退税申报后一直未到账，影响资金周转。", &["税收"]),
    ("need", "用电增容报装", "新增两条生产线，需要增容 630 千伏安，希望加快报装。", &["水电气"]),
    ("need", "货款纠纷需要法律援助", "外地客户拖欠货款 40 余万元，希望提供法律咨询和调解。", &["法律"]),
    ("need", "子女入学咨询", "在园区务工的党员子女今年上小学，想咨询就近入学政策。", &["生活服务"]),
    ("need", "技能提升培训", "希望园区组织叉车、电工等技能培训，职工可以取得证书。", &["人才"]),
    ("suggestion", "建议园区增开通勤班车", "早晚高峰园区到县城公交间隔太长，建议增开通勤班车。", &[]),
    ("suggestion", "建议党群服务中心周末开放", "很多党员周末才有时间参加活动，建议服务中心周六全天开放。", &["党建"]),
    ("suggestion", "建议定期举办政策宣讲会", "政策更新快，建议每季度在园区集中宣讲一次惠企政策。", &["政策咨询"]),
    ("suggestion", "建议组建大蒜出口物流联盟", "旺季集装箱紧张，建议园区牵头组建物流联盟统一订舱。", &["物流"]),
    ("complaint", "厂区门前道路长期积水", "雨后厂区门前道路积水严重，货车进出困难，多次反映未解决。", &["物流"]),
    ("complaint", "审批材料要求反复补充", "食品生产许可证延续被要求反复补充材料，希望一次性告知。", &["审批"]),
    ("complaint", "夜间周边噪音扰民", "附近工地夜间施工噪音大，影响职工休息。", &[]),
    ("need", "专精特新企业申报", "公司想申报市级专精特新中小企业，希望了解条件和奖补。", &["科技创新"]),
    ("need", "首贷续贷困难", "银行要求续贷前先还款，希望协调应急转贷资金。", &["融资"]),
    ("need", "人才公寓申请", "引进的两名工程师想申请人才公寓，请问如何办理。", &["人才"]),
];

/// A reply of the service team and the requester's follow-up, by need kind.
const FOLLOW_UPS: &[&str] = &["请问大概什么时候能有答复？", "材料已经准备好了，需要送到哪里？", "谢谢，我们等通知。"];

impl App {
    /// 送政策送服务送温暖: about 60 visits over the last year by the town and park committees of
    /// Jinxiang to the enterprises they cover, some linked to the policies and requests they delivered.
    async fn demo_outreach(&self, txn: &impl ConnectionTrait, jinxiang: &Org) -> AppResult<()> {
        use honglian_store::repo::services::outreach::{self as visits, VisitFields};
        let mut rng = Rng(1819);
        let county = Scope::Paths(vec![jinxiang.path.clone()]);
        let found = hosts::list(
            txn,
            &county,
            &hosts::HostFilter { kind: Some("enterprise".into()), ..Default::default() },
            PageReq::new(Some(1), Some(200)),
        )
        .await?;
        let names = orgs::active_names(txn, &county).await?;
        // The committee above each enterprise (its own organisation if none).
        let committees: Vec<&(i64, String, String)> =
            names.iter().filter(|(_, n, _)| n.ends_with("综合党委") || n.ends_with("商圈党委")).collect();
        let (policy_list, _) =
            policies::search(txn, &county, &policies::PolicyFilter::default(), PageReq::new(Some(1), Some(200)))
                .await?;
        let reach = requests::Reach {
            orgs: Scope::none(),
            county: county.clone(),
            departments: vec![],
            hosts: vec![],
            requester: None,
        };
        let reqs = requests::list(txn, &reach, &requests::RequestFilter::default(), PageReq::new(Some(1), Some(300)))
            .await?
            .items;
        if found.items.is_empty() || policy_list.is_empty() {
            return Ok(());
        }
        let today = crate::today();
        for n in 0..60u64 {
            let host = &found.items[rng.below(found.items.len() as u64) as usize];
            let (org_id, org_path) = committees
                .iter()
                .filter(|(_, _, p)| host.org_path.starts_with(p.as_str()))
                .max_by_key(|(_, _, p)| p.len())
                .map(|(id, _, p)| (*id, p.clone()))
                .unwrap_or((host.org_id, host.org_path.clone()));
            let on = today - Duration::days(2 + (n as i64 * 360 / 60) + rng.below(5) as i64);
            // Greetings in their season: 春节 in January and February, 七一 in June and July, 高温 in summer.
            let fits = |note: &str| {
                let m = on.month();
                (!note.contains("春节") || m <= 2)
                    && (!note.contains("七一") || (6..=7).contains(&m))
                    && (!note.contains("高温") || (6..=8).contains(&m))
            };
            let season: Vec<&(&[&str], &str)> = VISIT_NOTES.iter().filter(|(_, t)| fits(t)).collect();
            let (kinds, note) = *season[rng.below(season.len() as u64) as usize];
            let v = visits::insert(
                txn,
                VisitFields {
                    county_path: jinxiang.path.clone(),
                    org_id,
                    org_path,
                    host_id: Some(host.id),
                    host_name: host.name.clone(),
                    visited_on: on,
                    kinds: serde_json::to_string(kinds).unwrap_or_default(),
                    visitors: VISITORS[rng.below(VISITORS.len() as u64) as usize].to_string(),
                    summary: note.replace("{}", &host.name),
                },
                None,
            )
            .await?;
            let mut links: Vec<(&str, i64)> = Vec::new();
            if kinds.contains(&"policy") {
                // The policies the note speaks of (稳岗, 技改, 贴息 …), else any two.
                let words = honglian_domain::services::need::keywords(note, &[]);
                let named: Vec<i64> = policy_list
                    .iter()
                    .filter(|p| {
                        !honglian_domain::services::need::words_in(&words, &format!("{} {}", p.title, p.tags))
                            .is_empty()
                    })
                    .map(|p| p.id)
                    .collect();
                let pool: Vec<i64> = if named.is_empty() { policy_list.iter().map(|p| p.id).collect() } else { named };
                for _ in 0..(1 + rng.below(2)) {
                    links.push(("policy", pool[rng.below(pool.len() as u64) as usize]));
                }
            }
            if kinds.contains(&"service")
                && let Some(r) = reqs.iter().find(|r| r.host_id == Some(host.id) && r.submitted_on <= on)
            {
                links.push(("request", r.id));
            }
            visits::set_links(txn, v.id, &links).await?;
        }
        Ok(())
    }

    /// Needs: about 80 in Jinxiang in every state (members' own, and enterprises' recorded in the console
    /// or collected in the census), matched with the suggestions the service would make, with their
    /// threads; and two of member_demo's in Wuchuan for the phone.
    async fn demo_needs(&self, txn: &impl ConnectionTrait, jinxiang: &Org, wuchuan: &Org) -> AppResult<()> {
        use honglian_domain::services::need::{MatchKind, NeedStatus};
        use honglian_store::entity::members::member;
        use honglian_store::repo::services::needs;
        use sea_orm::{EntityTrait, QueryFilter, QuerySelect};
        let mut rng = Rng(1820);
        let county = Scope::Paths(vec![jinxiang.path.clone()]);
        let found = hosts::list(
            txn,
            &county,
            &hosts::HostFilter { kind: Some("enterprise".into()), ..Default::default() },
            PageReq::new(Some(1), Some(200)),
        )
        .await?;
        let people =
            member::Entity::find().filter(county.condition(member::Column::OrgPath)).limit(60).all(txn).await?;
        if found.items.is_empty() || people.is_empty() {
            return Ok(());
        }
        // The enterprises' own contacts (jx_qy01–03) ask too: (user, name, enterprise).
        let mut contacts: Vec<(i64, String, i64)> = Vec::new();
        for (uid, _) in users::with_role(txn, "enterprise_contact").await? {
            let name = users::get(txn, uid).await?.map(|u| u.display_name).unwrap_or_default();
            for g in users::grants_of(txn, uid).await? {
                contacts.extend(g.host_id.map(|h| (uid, name.clone(), h)));
            }
        }
        let team = "金乡县委组织部 管理员";
        let now = chrono::Utc::now();
        let at = |days_ago: i64, hours: i64| now - Duration::days(days_ago) + Duration::hours(hours);
        for n in 0..80u64 {
            let (kind, title, description, tags) = NEED_TEXTS[n as usize % NEED_TEXTS.len()];
            let days_ago = 3 + (n as i64 * 300 / 80);
            let contact = contacts
                .get((n as usize / 10) % contacts.len().max(1))
                .filter(|_| n % 10 == 9)
                .and_then(|c| found.items.iter().find(|h| h.id == c.2).map(|h| (c, h)));
            let (org_id, org_path, source, requester, host) = if let Some((c, h)) = contact {
                (h.org_id, h.org_path.clone(), "enterprise", c.1.clone(), Some(h))
            } else if n % 5 < 2 {
                let m = &people[rng.below(people.len() as u64) as usize];
                (m.org_id, m.org_path.clone(), "member", m.name.clone(), None)
            } else {
                let h = &found.items[rng.below(found.items.len() as u64) as usize];
                let source = if n % 5 == 2 { "census" } else { "console" };
                (h.org_id, h.org_path.clone(), source, h.name.clone(), Some(h))
            };
            // The newest are still open; older ones matched, most of those closed.
            let status = match n % 10 {
                _ if days_ago < 25 => NeedStatus::Open,
                0 | 5 => NeedStatus::Open,
                1 | 6 | 8 => NeedStatus::Matched,
                3 => NeedStatus::Unresolved,
                _ => NeedStatus::Resolved,
            };
            let created = at(days_ago, 0);
            let mut saved = needs::insert(
                txn,
                needs::NewNeed {
                    county_path: jinxiang.path.clone(),
                    org_id,
                    org_path,
                    kind: kind.into(),
                    source: source.into(),
                    requester_id: contact.map(|(c, _)| c.0),
                    requester_name: requester,
                    host: host.map(|h| (h.id, h.name.clone())),
                    title: title.into(),
                    description: description.into(),
                    tags: serde_json::to_string(tags).unwrap_or_default(),
                    created_by: None,
                    created_at: created,
                },
            )
            .await?;
            let who = saved.requester_name.clone();
            let say = |saved: &needs::Need, from_requester: bool, body: String, at: chrono::DateTime<chrono::Utc>| {
                let author = if from_requester { who.clone() } else { team.to_string() };
                let saved = saved.clone();
                async move {
                    let m = needs::add_message(txn, &saved, (None, &author), from_requester, &body).await?;
                    needs::set_message_time(txn, m, at).await?;
                    Ok::<_, crate::AppError>(())
                }
            };
            if n % 3 == 0 {
                say(&saved, true, FOLLOW_UPS[n as usize % FOLLOW_UPS.len()].into(), at(days_ago, 20)).await?;
            }
            if status == NeedStatus::Open {
                continue;
            }
            let suggestions = self.need_suggestions(txn, &saved).await?;
            let pick =
                suggestions.iter().find(|s| s.kind == MatchKind::Department && n % 4 == 1).or(suggestions.first());
            let Some(s) = pick else {
                // Nothing to suggest (a suggestion about buses, noise): answered directly.
                saved.status = "resolved".into();
                saved.outcome = "已转交相关部门研究，纳入下一步工作计划。".into();
                saved.closed_on = Some((created + Duration::days(7)).date_naive());
                say(&saved, false, format!("办理结果：已解决。{}", saved.outcome), at(days_ago - 7, 1)).await?;
                needs::save(txn, saved).await?;
                continue;
            };
            let matched = days_ago - 1 - rng.below(3) as i64;
            saved.status = "matched".into();
            saved.match_kind = Some(s.kind.code().into());
            saved.match_id = Some(s.id);
            saved.match_name = s.name.clone();
            saved.match_reason = s.reason.clone();
            saved.matched_on = Some(at(matched, 2).date_naive());
            say(&saved, false, format!("已为您对接{}：{}。{}", s.kind_label, s.name, s.reason), at(matched, 2)).await?;
            match status {
                NeedStatus::Resolved => {
                    let closed = matched - 5 - rng.below(10) as i64;
                    saved.status = "resolved".into();
                    saved.outcome = "已按对接意见办理完毕，企业（党员）表示满意。".into();
                    saved.closed_on = Some(at(closed, 3).date_naive());
                    say(&saved, true, "已经办好了，感谢！".into(), at(closed, 1)).await?;
                    say(&saved, false, format!("办理结果：已解决。{}", saved.outcome), at(closed, 3)).await?;
                }
                NeedStatus::Unresolved => {
                    let closed = matched - 8;
                    saved.status = "unresolved".into();
                    saved.outcome = "企业暂不符合申报条件（成立未满一年），已告知明年再申报。".into();
                    saved.closed_on = Some(at(closed, 3).date_naive());
                    say(&saved, false, format!("办理结果：未解决。{}", saved.outcome), at(closed, 3)).await?;
                }
                _ => {}
            }
            needs::save(txn, saved).await?;
        }

        // member_demo's own: one answered, one still open.
        let Some(user) = users::by_username(txn, "member_demo").await? else { return Ok(()) };
        let Some(mid) = user.member_id else { return Ok(()) };
        let me = member::Entity::find_by_id(mid).one(txn).await?;
        let Some(me) = me else { return Ok(()) };
        let _ = wuchuan;
        for (i, (title, description, tags, answered)) in [
            (
                "在外务工技能提升补贴怎么申请",
                "我在广州考取了电工证，想了解吴川的技能提升补贴如何申请、需要什么材料。",
                &["人才"][..],
                true,
            ),
            (
                "建议商会党支部组织线上学习",
                "在外党员工作时间不固定，建议商会党支部多组织线上学习。",
                &["党建"][..],
                false,
            ),
        ]
        .into_iter()
        .enumerate()
        {
            let created = at(40 - 30 * i as i64, 0);
            let mut saved = needs::insert(
                txn,
                needs::NewNeed {
                    county_path: format!("/{}/", wuchuan.id),
                    org_id: me.org_id,
                    org_path: me.org_path.clone(),
                    kind: if answered { "need" } else { "suggestion" }.into(),
                    source: "member".into(),
                    requester_id: Some(user.id),
                    requester_name: me.name.clone(),
                    host: None,
                    title: title.into(),
                    description: description.into(),
                    tags: serde_json::to_string(tags).unwrap_or_default(),
                    created_by: Some(user.id),
                    created_at: created,
                },
            )
            .await?;
            if answered && let Some(s) = self.need_suggestions(txn, &saved).await?.into_iter().next() {
                saved.status = "matched".into();
                saved.match_kind = Some(s.kind.code().into());
                saved.match_id = Some(s.id);
                saved.match_name = s.name.clone();
                saved.match_reason = s.reason.clone();
                saved.matched_on = Some(at(38, 2).date_naive());
                let body = format!(
                    "已为您对接{}：{}。{}\n请将证书复印件交商会党支部，由支部统一代办。",
                    s.kind_label, s.name, s.reason
                );
                let m = needs::add_message(txn, &saved, (None, "吴川市委组织部 管理员"), false, &body).await?;
                needs::set_message_time(txn, m, at(38, 2)).await?;
                let m =
                    needs::add_message(txn, &saved, (Some(user.id), &me.name), true, "好的，下周交到支部。").await?;
                needs::set_message_time(txn, m, at(37, 5)).await?;
                needs::save(txn, saved).await?;
            }
        }
        Ok(())
    }
}

/// The demo's public holidays: the weekdays off and the weekend days worked of last year and this
/// year (the State Council's published arrangements for 2025 and 2026; other years have none).
fn demo_holidays() -> Vec<(i32, Vec<NaiveDate>, Vec<NaiveDate>)> {
    let range = |y: i32, m: u32, from: u32, to: u32| -> Vec<NaiveDate> {
        (from..=to)
            .map(|day| d(y, m, day))
            .filter(|x| !matches!(x.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun))
            .collect()
    };
    let y2025 = [
        range(2025, 1, 1, 1),
        range(2025, 1, 28, 31),
        range(2025, 2, 1, 4),
        range(2025, 4, 4, 4),
        range(2025, 5, 1, 5),
        range(2025, 5, 31, 31),
        range(2025, 6, 1, 2),
        range(2025, 10, 1, 8),
    ]
    .concat();
    let y2026 = [
        range(2026, 1, 1, 3),
        range(2026, 2, 15, 23),
        range(2026, 4, 4, 6),
        range(2026, 5, 1, 5),
        range(2026, 6, 19, 19),
        range(2026, 9, 25, 25),
        range(2026, 10, 1, 7),
    ]
    .concat();
    vec![
        (2025, y2025, vec![d(2025, 1, 26), d(2025, 2, 8), d(2025, 4, 27), d(2025, 9, 28), d(2025, 10, 11)]),
        (
            2026,
            y2026,
            vec![d(2026, 1, 4), d(2026, 2, 14), d(2026, 2, 28), d(2026, 5, 9), d(2026, 9, 20), d(2026, 10, 10)],
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jinxiang_has_119_policies_from_31_departments() {
        assert_eq!(JINXIANG_DEPARTMENTS.len(), 31);
        assert_eq!(SUBJECTS.len(), 119);
        for d in 0..31 {
            assert!(SUBJECTS.iter().any(|s| s.0 == d), "department {d} has no policy");
        }
    }
}
