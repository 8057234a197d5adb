//! PIPL (个人信息保护法) retention (§19) and deletion (§47) of the personal fields of members who have
//! left the deployment, and the notice (个人信息处理规则, §§7, 17) that tells members about it.
//!
//! A member who left — 已出党, 已故, 已转出 — stays on the roll as the organisation's history: name, gender,
//! ethnicity, education, organisation, joining and leaving dates, category, status, tags and the birth
//! *year* keep the historical counts, the age structure and the roster archive whole. What identifies or
//! reaches the person is erased once [`DEFAULT_RETENTION_YEARS`] (configurable; 0 = never by itself)
//! have passed since they left, or at once when they ask (§47):
//! - on the member: the sealed ID number (replaced by a sealed per-row marker, [`erased_id_marker`], so
//!   that the column stays NOT NULL, the blind index stays unique and a key rotation still re-seals
//!   it), phone and its blind index, address, employer and occupation; the birth date becomes 1 January
//!   of its year ([`birth_year_only`]);
//! - elsewhere, what the member's rows say about them ([`RELATED`]): the outflows' addresses and work,
//!   the contact notes, what a census found, the outflow reports' addresses, work and notes, the
//!   recruitment record's phone and work (and its ID number and birth date as on the member), and the
//!   member's e-mail address for messages.
//!
//! Kept on purpose ([`KEPT`]): the dues bases (the party's accounts: each amount collected rests on its
//! base) and the care-fund applications (they are about students, not about the member). The audit
//! log is never changed; it never held the values.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::members::member::MemberStatus;

/// Years after leaving until the personal fields are erased, unless configured otherwise.
pub const DEFAULT_RETENTION_YEARS: u32 = 3;
/// The longest period that may be configured.
pub const MAX_RETENTION_YEARS: u32 = 100;

/// What a view shows in place of an erased field.
pub const ERASED: &str = "已删除";

/// The statuses of a member who has left the deployment.
pub const DEPARTED: [MemberStatus; 3] = [MemberStatus::Left, MemberStatus::Deceased, MemberStatus::TransferredOut];

/// Whether a member in this status has left the deployment.
pub fn is_departed(s: MemberStatus) -> bool {
    DEPARTED.contains(&s)
}

/// `('left', 'deceased', 'transferred_out')`: the departed statuses as an SQL list (codes are fixed words).
pub fn departed_sql() -> String {
    let codes: Vec<String> = DEPARTED.iter().map(|s| format!("'{}'", s.code())).collect();
    format!("({})", codes.join(", "))
}

/// The day the personal fields of a member who left on `left_on` are erased (None: never by itself).
/// A whole number of calendar years; from 29 February, 28 February of a year without it.
pub fn erase_due_on(left_on: NaiveDate, years: u32) -> Option<NaiveDate> {
    if years == 0 {
        return None;
    }
    left_on.checked_add_months(chrono::Months::new(years.min(MAX_RETENTION_YEARS) * 12))
}

/// The members who left on or before this day are due for erasure today (None: nothing is, the period
/// being 0). The inverse of [`erase_due_on`]: `erase_due_on(l) <= today` exactly when `l <= cutoff`.
pub fn erase_cutoff(today: NaiveDate, years: u32) -> Option<NaiveDate> {
    if years == 0 {
        return None;
    }
    let back = today.checked_sub_months(chrono::Months::new(years.min(MAX_RETENTION_YEARS) * 12))?;
    // A member who left on 29 February is due on 28 February of a year without it (see `erase_due_on`):
    // on that day the cutoff is the 29th.
    let last_of_february = today.month() == 2 && today.day() == 28 && today.with_day(29).is_none();
    Some(match back.with_day(29) {
        Some(leap) if last_of_february => leap,
        _ => back,
    })
}

/// What remains of a birth date: its year (1 January, as the column must hold a date).
pub fn birth_year_only(birth: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(birth.year(), 1, 1).unwrap_or(birth)
}

/// The sealed stand-in for an erased ID number of row `id` of `table`: unique per row (the blind index
/// computed from it is unique too, and a key rotation that recomputes the index from the sealed value
/// keeps it so), never a valid ID number, and ending in [`ERASED`] so that even a masked view that keeps
/// the last two characters reads "…删除".
pub fn erased_id_marker(table: &str, id: i64) -> String {
    format!("{table}#{id}{ERASED}")
}

/// Whether an opened ID number is an erasure marker.
pub fn is_erased_marker(s: &str) -> bool {
    s.ends_with(ERASED) && s.contains('#')
}

/// One table of rows about a member (`owner` names the member's column) and what is erased in them.
#[derive(Debug, Clone, Copy)]
pub struct Related {
    pub table: &'static str,
    pub owner: &'static str,
    /// Set to NULL.
    pub cleared: &'static [&'static str],
}

/// The member's own columns set to NULL; the ID number and the birth date are replaced (see the module).
pub const MEMBER_CLEARED: &[&str] = &["phone_enc", "phone_bidx", "address_enc", "employer", "occupation"];

/// The member's own columns replaced: `id_number_enc` / `id_number_bidx` by the marker, `birth_date` by
/// its year.
pub const MEMBER_REPLACED: &[&str] = &["id_number_enc", "id_number_bidx", "birth_date"];

/// The rows about a member elsewhere and what is erased in them. Outflows and returns keep their
/// places (province, city), dates, reasons and receiving organisations: the mobility statistics count
/// them. A recruit's ID number and birth date are replaced like the member's.
pub const RELATED: &[Related] = &[
    Related {
        table: "mobility_records",
        owner: "member_id",
        cleared: &[
            "address_enc",
            "person_id_number_enc",
            "person_id_number_bidx",
            "person_phone_enc",
            "employer",
            "occupation",
        ],
    },
    Related { table: "contacts", owner: "member_id", cleared: &["note_enc"] },
    Related {
        table: "census_entries",
        owner: "member_id",
        cleared: &["current_place_enc", "current_employer", "circumstances_enc", "thoughts_enc", "needs_enc"],
    },
    Related {
        table: "outflow_reports",
        owner: "member_id",
        cleared: &["address_enc", "note_enc", "employer", "occupation"],
    },
    Related { table: "recruits", owner: "member_id", cleared: &["phone_enc", "employer", "occupation"] },
];

/// The member's message e-mail address (`notify_prefs.email_enc`, through `users.member_id`) is
/// cleared and e-mail switched off.
pub const NOTIFY_CLEARED: &[&str] = &["email_enc"];

/// Sealed personal data of tables keyed by a member (or near one) that is kept, and why.
pub const KEPT: &[(&str, &str)] = &[
    ("dues_bases", "党费账目：每笔交纳的金额以当时的基数为据，随党费账目保存"),
    ("care_aids", "助学申请是受助学生的信息，不是党员的个人信息"),
];

/// The field names an erasure reports (never the values), for the audit record.
pub fn erased_fields() -> Vec<&'static str> {
    vec!["id_number", "phone", "address", "birth_date", "employer", "occupation", "related_records"]
}

/// Checks the reason given for an erasure on request: 2–200 characters, trimmed.
pub fn check_reason(reason: &str) -> Result<String, String> {
    let r = reason.trim();
    match r.chars().count() {
        0 | 1 => Err("请填写删除原因（至少 2 个字），例如“本人申请删除”".into()),
        n if n > 200 => Err("删除原因不能超过 200 个字".into()),
        _ => Ok(r.to_string()),
    }
}

/// Whether a member in this status may have their personal fields erased: only one who has left.
pub fn check_erasable(status: MemberStatus) -> Result<(), String> {
    if is_departed(status) {
        return Ok(());
    }
    Err(format!(
        "只能删除已出党、已故或已转出党员的个人信息：该党员的状态为“{}”，其信息仍为党组织履行职责所必需",
        status.label()
    ))
}

/// Where the retention period is stated in words.
pub fn retention_words(years: u32) -> String {
    if years == 0 {
        "不设自动删除期限，由原所在党组织按规定办理删除".into()
    } else {
        format!("离开满 {years} 年后由系统自动删除")
    }
}

/// One section of the notice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct NoticeSection {
    pub title: String,
    pub paragraphs: Vec<String>,
}

/// The notice (个人信息处理规则) as the deployment states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PrivacyNotice {
    /// Changes whenever the text does (the revision and a hash of the text): a member's activation
    /// records the version shown.
    pub version: String,
    pub title: String,
    /// The organisation that processes the personal information (the deployment's, from the configuration).
    pub controller: String,
    /// How to reach it about personal information.
    pub contact: String,
    /// Years after leaving until the personal fields are erased (0: not automatically).
    pub retention_years: u32,
    pub sections: Vec<NoticeSection>,
}

/// The revision of the notice's wording; the version adds a hash of the text as configured.
pub const NOTICE_REVISION: &str = "2026.1";

/// The notice with the deployment's controller, contact and retention period.
pub fn privacy_notice(controller: &str, contact: &str, retention_years: u32) -> PrivacyNotice {
    let s = |title: &str, paragraphs: &[&str]| NoticeSection {
        title: title.into(),
        paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
    };
    let kept = match retention_years {
        0 => "党员出党、去世或组织关系转出后，身份证号码、手机号码、住址、出生月日、工作单位和职业，以及联系记录、\
              摸排记录和外出报备中的个人情况，由原所在党组织按规定办理删除（本系统不设自动删除期限）。"
            .to_string(),
        n => format!(
            "党员出党、去世或组织关系转出后，身份证号码、手机号码、住址、出生月日、工作单位和职业，以及联系记录、\
             摸排记录和外出报备中的个人情况，在离开满 {n} 年后由系统自动删除。"
        ),
    };
    let sections = vec![
        s(
            "一、个人信息处理者",
            &[
                &format!("{controller}（以下简称“我们”）通过“红链”党建工作平台处理党员的个人信息。"),
                &format!("个人信息保护事务的联系方式：{contact}。"),
            ],
        ),
        s(
            "二、处理哪些个人信息",
            &[
                "党员档案：姓名、性别、民族、出生日期、身份证号码、手机号码、住址、学历、工作单位和职业、入党和转正日期、\
                 党员类别和状态、所在党组织、标签。",
                "党员管理中产生的记录：流动党员的外出地点和联系记录、摸排情况、外出报备，组织生活的出勤和签到，\
                 党费基数和交纳记录，发展党员各环节的记录，开通“党员之家”账号后的用户名和消息设置。",
                "党员身份和身份证号码属于敏感个人信息。",
            ],
        ),
        s(
            "三、处理目的",
            &["党员的教育、管理和服务：党员名册和统计、组织关系转接、流动党员的联系和服务、组织生活的组织和记录、\
                 党费收缴、发展党员、评选表彰和关爱帮扶。上述信息不用于其他目的；除组织关系转接等党内工作所必需外，\
                 不向他人提供。"],
        ),
        s(
            "四、处理依据",
            &[
                "依据《中华人民共和国个人信息保护法》第十三条第一款第三项，处理上述信息是党组织依照《中国共产党章程》\
                 《中国共产党党员教育管理工作条例》《中国共产党支部工作条例（试行）》等履行党员管理职责所必需，\
                 不以您的同意为前提。",
                "开通和使用“党员之家”是自愿的，签到、报备等功能均不强制使用。",
            ],
        ),
        s(
            "五、保存期限",
            &[
                "在册党员的信息在其党籍存续期间保存。",
                &kept,
                "姓名、性别、民族、学历、所在党组织、入党和离开日期、党员类别和出生年份作为党组织的历史档案长期保存，\
                 用于历史统计和党员名册档案。党费交纳记录及其基数随党费账目保存。",
                "审计日志记录谁在何时查看、导出或修改了信息，长期保存，但不记录个人信息的内容。",
            ],
        ),
        s(
            "六、保护措施",
            &[
                "身份证号码、手机号码、住址和各类记录中的个人情况以国密算法（SM4）加密存储，查找使用密钥化的索引。",
                "工作人员只能查看其所在党组织范围内的党员；页面和导出默认隐去敏感信息，查看完整信息须说明理由，\
                 并记入不可篡改的审计日志。",
                "系统定期备份，密钥与数据分开保管。",
            ],
        ),
        s(
            "七、您的权利",
            &[
                "查阅和复制：在“党员之家”的“我的”页面查看本人档案，并可下载本人个人信息副本。",
                "更正：信息有误的，请向所在党支部提出，由党支部核实后更正。",
                "删除：出党、组织关系转出等离开后，可以向原所在党组织申请提前删除上述个人信息，党组织核实后办理，\
                 并记入审计日志。",
                &format!("咨询、投诉或行使上述权利：{contact}。"),
            ],
        ),
        s("八、规则的更新", &["本规则更新时，页面顶部的版本号随之改变。"]),
    ];
    let mut n = PrivacyNotice {
        version: String::new(),
        title: "个人信息处理规则".into(),
        controller: controller.into(),
        contact: contact.into(),
        retention_years,
        sections,
    };
    n.version = format!("{NOTICE_REVISION}-{:08x}", text_hash(&n));
    n
}

/// FNV-1a (32 bits) over the notice's words: names a version, protects nothing.
fn text_hash(n: &PrivacyNotice) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    let mut eat = |s: &str| {
        for b in s.bytes().chain(std::iter::once(0)) {
            h ^= u32::from(b);
            h = h.wrapping_mul(0x0100_0193);
        }
    };
    eat(&n.title);
    for sec in &n.sections {
        eat(&sec.title);
        for p in &sec.paragraphs {
            eat(p);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn personal_fields_are_due_whole_years_after_leaving() {
        assert_eq!(erase_due_on(d(2023, 5, 10), 3), Some(d(2026, 5, 10)));
        assert_eq!(erase_due_on(d(2024, 2, 29), 1), Some(d(2025, 2, 28)), "29 February: the last day of February");
        assert_eq!(erase_due_on(d(2023, 5, 10), 0), None, "0: never by itself");
        assert_eq!(erase_cutoff(d(2026, 5, 10), 0), None);
        // The cutoff agrees with the due day for every day of a leap year and the years around it.
        for years in [1, 3, 4] {
            let mut today = d(2027, 1, 1);
            while today < d(2029, 12, 31) {
                let cutoff = erase_cutoff(today, years).unwrap();
                let mut left = cutoff - chrono::Duration::days(3);
                while left <= cutoff + chrono::Duration::days(3) {
                    let due = erase_due_on(left, years).unwrap() <= today;
                    assert_eq!(due, left <= cutoff, "left {left}, today {today}, {years} years");
                    left += chrono::Duration::days(1);
                }
                today += chrono::Duration::days(1);
            }
        }
    }

    #[test]
    fn only_a_departed_member_is_erased_and_a_reason_is_required() {
        for s in MemberStatus::ALL {
            let departed = matches!(s, MemberStatus::Left | MemberStatus::Deceased | MemberStatus::TransferredOut);
            assert_eq!(check_erasable(*s).is_ok(), departed, "{s:?}");
        }
        let e = check_erasable(MemberStatus::Normal).unwrap_err();
        assert!(e.contains("“正常”"), "{e}");
        assert_eq!(departed_sql(), "('left', 'deceased', 'transferred_out')");
        assert!(check_reason(" 删 ").is_err());
        assert_eq!(check_reason(" 本人申请删除 ").unwrap(), "本人申请删除");
        assert!(check_reason(&"长".repeat(201)).is_err());
    }

    #[test]
    fn the_marker_is_unique_never_an_id_number_and_masks_as_erased() {
        let m = erased_id_marker("members", 42);
        assert_ne!(m, erased_id_marker("members", 43));
        assert_ne!(m, erased_id_marker("recruits", 42));
        assert!(is_erased_marker(&m));
        assert!(!is_erased_marker("44088319900101123X"));
        assert!(crate::IdNumber::parse(&m).is_err());
        assert!(crate::mask::mask_id_number(&m).ends_with("删除"));
        assert_eq!(birth_year_only(d(1988, 7, 23)), d(1988, 1, 1));
    }

    #[test]
    fn the_notice_names_the_controller_and_the_period_and_versions_its_text() {
        let n = privacy_notice("中共某县委组织部", "0000-1234567", 3);
        let text: String = n.sections.iter().flat_map(|s| s.paragraphs.iter().cloned()).collect();
        assert!(text.contains("中共某县委组织部") && text.contains("0000-1234567"));
        assert!(text.contains("离开满 3 年后"));
        assert!(text.contains("第十三条第一款第三项"));
        assert!(n.version.starts_with(NOTICE_REVISION));
        assert_eq!(n.version, privacy_notice("中共某县委组织部", "0000-1234567", 3).version, "stable");
        assert_ne!(
            n.version,
            privacy_notice("中共某县委组织部", "0000-1234567", 5).version,
            "the period is in the text"
        );
        assert_ne!(n.version, privacy_notice("中共另一县委组织部", "0000-1234567", 3).version);
        let never = privacy_notice("中共某县委组织部", "0000-1234567", 0);
        assert!(never.sections.iter().flat_map(|s| &s.paragraphs).any(|p| p.contains("不设自动删除期限")));
    }
}
