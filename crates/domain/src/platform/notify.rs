//! Notifications leaving the system: the channels, the outbox's states and retry schedule, quiet
//! hours, the group robots' rules (hosts, rate limits) and what a message body may
//! not carry (no personal data: an ID number or a mobile number never leaves in a message).

use chrono::{DateTime, Duration, NaiveTime, Timelike, Utc};

use crate::organisations::org::code_enum;
use crate::validation::FieldErrors;

code_enum!(
    /// How a message reaches someone.
    Channel {
        InApp = "in_app": "站内消息",
        Email = "email": "电子邮件",
        Wecom = "wecom": "企业微信群机器人",
        Dingtalk = "dingtalk": "钉钉群机器人",
    }
);

code_enum!(
    /// Where a row of the outbox stands: queued (waiting for its time, `next_at`, or for a retry
    /// after a failure), sent, or dead (failed [`MAX_ATTEMPTS`] times, or cannot be sent at all: an
    /// administrator looks at it).
    OutboxStatus {
        Queued = "queued": "待发送",
        Sent = "sent": "已送达",
        Dead = "dead": "投递失败",
    }
);

code_enum!(
    /// A group robot's platform.
    RobotKind {
        Wecom = "wecom": "企业微信群机器人",
        Dingtalk = "dingtalk": "钉钉群机器人",
    }
);

impl RobotKind {
    pub fn channel(self) -> Channel {
        match self {
            RobotKind::Wecom => Channel::Wecom,
            RobotKind::Dingtalk => Channel::Dingtalk,
        }
    }

    /// The host a real robot's webhook lives on (the deployment's allow-list starts with these).
    pub fn official_host(self) -> &'static str {
        match self {
            RobotKind::Wecom => "qyapi.weixin.qq.com",
            RobotKind::Dingtalk => "oapi.dingtalk.com",
        }
    }

    /// The platform's "too many messages" error code: the message waits, it did not fail.
    pub fn rate_limited_code(self) -> i64 {
        match self {
            RobotKind::Wecom => 45009,
            RobotKind::Dingtalk => 130101,
        }
    }
}

/// Tries before a message is given up (dead letter).
pub const MAX_ATTEMPTS: i32 = 6;

/// How long a worker holds the rows it took before another instance may take them over.
pub const LEASE_SECONDS: i64 = 120;

/// Both robots accept 20 messages a minute each (WeCom's and DingTalk's documented limits).
pub const ROBOT_PER_MINUTE: u64 = 20;

/// Read counts (of a greeting, a bulletin) are shown from this many recipients on: a count of one or
/// two would say who has read.
pub const READS_COUNTED_FROM: u64 = 3;

/// The wait before try number `attempts + 1` after `attempts` failures: 1, 5, 30 minutes, 2 and 6
/// hours.
pub fn backoff(attempts: i32) -> Duration {
    match attempts {
        ..=1 => Duration::minutes(1),
        2 => Duration::minutes(5),
        3 => Duration::minutes(30),
        4 => Duration::hours(2),
        _ => Duration::hours(6),
    }
}

/// A user's quiet hours in China Standard Time, minutes after midnight; `start > end` spans midnight
/// (22:00–07:00). Email waits until they end; in-app messages are silent and never wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    pub start: u16,
    pub end: u16,
}

const CST: i64 = 8;
const DAY_MINUTES: i64 = 24 * 60;

impl QuietHours {
    /// Both times as "HH:MM"; equal times are no quiet hours at all.
    pub fn parse(start: &str, end: &str) -> Result<Option<Self>, FieldErrors> {
        let minutes = |field: &'static str, s: &str| {
            NaiveTime::parse_from_str(s.trim(), "%H:%M")
                .map(|t| (t.hour() * 60 + t.minute()) as u16)
                .map_err(|_| FieldErrors::single(field, "时间应为 时:分，如 22:00"))
        };
        let (start, end) = (minutes("quiet_start", start)?, minutes("quiet_end", end)?);
        Ok((start != end).then_some(Self { start, end }))
    }

    pub fn label(m: u16) -> String {
        format!("{:02}:{:02}", m / 60, m % 60)
    }

    fn contains(self, minute: i64) -> bool {
        let (s, e) = (i64::from(self.start), i64::from(self.end));
        if s < e { minute >= s && minute < e } else { minute >= s || minute < e }
    }

    /// The first moment at or after `at` outside the quiet hours.
    pub fn next_allowed(self, at: DateTime<Utc>) -> DateTime<Utc> {
        let local = at + Duration::hours(CST);
        let minute = i64::from(local.hour() * 60 + local.minute());
        if !self.contains(minute) {
            return at;
        }
        let wait = (i64::from(self.end) - minute).rem_euclid(DAY_MINUTES);
        let at_minute =
            at - Duration::seconds(i64::from(local.second())) - Duration::nanoseconds(i64::from(local.nanosecond()));
        at_minute + Duration::minutes(wait)
    }
}

/// An email address as a user types it: trimmed, one `@`, a dot in the domain, no spaces, at most
/// 254 characters.
pub fn check_email(s: &str) -> Result<String, FieldErrors> {
    let s = s.trim();
    let bad = || FieldErrors::single("email", "电子邮箱格式不正确");
    if s.is_empty() || s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = s.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
    {
        return Err(bad());
    }
    Ok(s.to_string())
}

/// What a message that leaves the system may not carry: an ID number (18 or 15 characters) or a
/// mainland mobile number (11 digits from 1[3-9], also after +86 or 0086), in half- or full-width
/// digits, also when written in groups (`139 1234 5678`, `139-1234-5678`); a run of 19 digits or more
/// has no place in a message either. Returns what was found, for the error message.
pub fn personal_data_in(text: &str) -> Option<&'static str> {
    fn check(run: &str) -> Option<&'static str> {
        let phone = |r: &str| r.len() == 11 && r.starts_with('1') && r.as_bytes()[1] >= b'3';
        match run.len() {
            11 if phone(run) => Some("手机号码"),
            13 if run.starts_with("86") && phone(&run[2..]) => Some("手机号码"),
            15 if run.starts_with("0086") && phone(&run[4..]) => Some("手机号码"),
            15 | 18 => Some("身份证号"),
            n if n >= 19 => Some("身份证号或手机号码"),
            _ => None,
        }
    }
    let mut run = String::new();
    // A single space, dash or dot between digits keeps the number going.
    let mut gap = false;
    for c in text.chars().chain(std::iter::once('\n')) {
        let digit = match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            'x' | 'X' | 'ｘ' | 'Ｘ' if run.len() == 17 => Some('X'),
            _ => None,
        };
        match digit {
            Some(d) => {
                run.push(d);
                gap = false;
            }
            None if !run.is_empty() && !gap && matches!(c, ' ' | '\u{3000}' | '-' | '－' | '—' | '.' | '·') => {
                gap = true
            }
            None => {
                if let Some(kind) = check(&run) {
                    return Some(kind);
                }
                run.clear();
                gap = false;
            }
        }
    }
    None
}

/// A message's title and body as written for people far away: trimmed, the title one line of at
/// most 50 characters, the body at most 1,000, and neither carrying personal data.
pub fn check_message(title: &str, body: &str) -> Result<(String, String), FieldErrors> {
    let title = title.trim();
    let body = body.trim();
    if title.is_empty() {
        return Err(FieldErrors::single("title", "请填写标题"));
    }
    if title.chars().count() > 50 || title.chars().any(|c| c.is_control() || c == '\u{2028}' || c == '\u{2029}') {
        return Err(FieldErrors::single("title", "标题为一行，最多 50 个字"));
    }
    if body.is_empty() {
        return Err(FieldErrors::single("body", "请填写正文"));
    }
    if body.chars().count() > 1000 {
        return Err(FieldErrors::single("body", "正文最多 1000 个字"));
    }
    for (field, text) in [("title", title), ("body", body)] {
        if let Some(kind) = personal_data_in(text) {
            return Err(FieldErrors::single(field, format!("消息会发到站外，不能包含{kind}等个人信息")));
        }
    }
    Ok((title.to_string(), body.to_string()))
}

/// A robot's message text: the title, a blank line, the body.
pub fn robot_text(title: &str, body: &str) -> String {
    format!("【{title}】\n{body}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn backoff_grows_and_stops_growing() {
        assert_eq!(backoff(1), Duration::minutes(1));
        assert_eq!(backoff(2), Duration::minutes(5));
        assert_eq!(backoff(5), Duration::hours(6));
        assert_eq!(backoff(50), Duration::hours(6));
    }

    #[test]
    fn quiet_hours_over_midnight() {
        let q = QuietHours::parse("22:00", "07:00").unwrap().unwrap();
        // 23:30 in Beijing is 15:30 UTC: wait until 07:00 Beijing, 23:00 UTC.
        let at = Utc.with_ymd_and_hms(2026, 9, 25, 15, 30, 12).unwrap();
        assert_eq!(q.next_allowed(at), Utc.with_ymd_and_hms(2026, 9, 25, 23, 0, 0).unwrap());
        // 06:59 Beijing: one minute.
        let at = Utc.with_ymd_and_hms(2026, 9, 25, 22, 59, 0).unwrap();
        assert_eq!(q.next_allowed(at), Utc.with_ymd_and_hms(2026, 9, 25, 23, 0, 0).unwrap());
        // 12:00 Beijing: at once.
        let at = Utc.with_ymd_and_hms(2026, 9, 25, 4, 0, 0).unwrap();
        assert_eq!(q.next_allowed(at), at);
        // A daytime rest 12:00–14:00.
        let q = QuietHours::parse("12:00", "14:00").unwrap().unwrap();
        assert_eq!(q.next_allowed(at), Utc.with_ymd_and_hms(2026, 9, 25, 6, 0, 0).unwrap());
        assert_eq!(QuietHours::parse("08:00", "08:00").unwrap(), None);
        assert!(QuietHours::parse("25:00", "08:00").unwrap_err().0.contains_key("quiet_start"));
    }

    #[test]
    fn no_personal_data_leaves() {
        assert_eq!(personal_data_in("请联系 13912345678"), Some("手机号码"));
        assert_eq!(personal_data_in("身份证 15010219800101123X 已核"), Some("身份证号"));
        assert_eq!(personal_data_in("１３９１２３４５６７８"), Some("手机号码"));
        assert_eq!(personal_data_in("中秋快乐！2026 年 9 月 25 日，共 1909 名学生"), None);
        assert_eq!(personal_data_in("座机 0471-1234567"), None);
        for grouped in
            ["139 1234 5678", "139-1234-5678", "１３９－１２３４－５６７８", "+86 139 1234 5678", "0086-13912345678"]
        {
            assert_eq!(personal_data_in(&format!("电话：{grouped}。")), Some("手机号码"), "{grouped}");
        }
        assert_eq!(personal_data_in("150102 19800101 123X"), Some("身份证号"));
        assert_eq!(personal_data_in("编号 13912345678901234567"), Some("身份证号或手机号码"));
        assert_eq!(personal_data_in("2026 年 9 月 25 日 中秋，1909 名学生，共 4739200 元"), None);
        assert!(check_message("中秋\r问候", "正文").is_err());
        assert!(check_message("中秋问候", "电话13912345678").unwrap_err().to_string().contains("手机号码"));
        assert_eq!(check_message(" 中秋问候 ", " 月圆人团圆 ").unwrap(), ("中秋问候".into(), "月圆人团圆".into()));
    }

    #[test]
    fn emails() {
        assert_eq!(check_email(" li@example.cn ").unwrap(), "li@example.cn");
        for bad in ["", "li", "li@", "@x.cn", "li@cn", "l i@x.cn", "a@b@c.cn"] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
    }
}
