//! Needs and matching (诉求与建议): what members and enterprises ask for, suggest or complain about, the
//! tags that sort them, the words a need is matched by, the reasons a suggestion gives, and the
//! states a need passes through (open → matched → resolved / unresolved).

use crate::organisations::org::code_enum;

code_enum!(
    /// What was said: a need (诉求), a suggestion (建议) or a complaint (投诉).
    NeedKind {
        Need = "need": "诉求",
        Suggestion = "suggestion": "建议",
        Complaint = "complaint": "投诉",
    }
);

code_enum!(
    /// How it reached the service team: a member on the phone, an enterprise's contact, recorded in
    /// the console, or collected during a census visit (摸排).
    NeedSource {
        Member = "member": "党员提出",
        Enterprise = "enterprise": "企业提出",
        Console = "console": "后台登记",
        Census = "census": "摸排收集",
    }
);

code_enum!(
    /// Where a need stands.
    NeedStatus {
        Open = "open": "待对接",
        Matched = "matched": "已对接",
        Resolved = "resolved": "已解决",
        Unresolved = "unresolved": "未解决",
    }
);

code_enum!(
    /// What a need was matched with: a policy, a service place, a department (through a request
    /// category), or a 红链直通车 request made for it.
    MatchKind {
        Policy = "policy": "惠企政策",
        Place = "place": "服务阵地",
        Department = "department": "县直部门",
        Request = "request": "红链直通车",
    }
);

/// The suggested tags and the words that bring each to mind (in the need's title and text).
pub const TAG_WORDS: &[(&str, &[&str])] = &[
    ("融资", &["融资", "贷款", "续贷", "转贷", "贴息", "担保", "资金"]),
    ("用工", &["用工", "招工", "招聘", "稳岗", "社保", "电工", "焊工", "工人", "缺工"]),
    ("人才", &["人才", "引进", "高校", "职称", "技能", "培训"]),
    ("税收", &["税", "退税", "减税", "税费", "发票", "缴税"]),
    ("用地", &["用地", "厂房", "土地", "规划", "扩建", "冷库"]),
    ("政策咨询", &["政策", "补贴", "奖补", "申报", "兑现", "奖励"]),
    ("法律", &["法律", "纠纷", "合同", "诉讼", "维权", "欠款", "货款"]),
    ("审批", &["审批", "许可", "证照", "备案", "环评", "消防"]),
    ("水电气", &["用电", "增容", "用水", "用气", "停电", "电费"]),
    ("物流", &["物流", "运输", "集装箱", "出口", "道路"]),
    ("科技创新", &["技改", "研发", "高新", "专利", "数字化", "专精特新"]),
    ("党建", &["党建", "党员", "党组织", "党支部", "组织生活"]),
    ("生活服务", &["子女", "入学", "住房", "就医", "托育"]),
];

/// The tags of the vocabulary, in order.
pub fn tag_vocabulary() -> Vec<&'static str> {
    TAG_WORDS.iter().map(|(t, _)| *t).collect()
}

/// At most this many tags, each at most this many characters.
pub const MAX_TAGS: usize = 8;
pub const MAX_TAG_CHARS: usize = 10;

/// The tags as given, cleaned: trimmed, a leading `#` dropped, empty ones dropped, each once.
pub fn normalise_tags(tags: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim().trim_start_matches(['#', '＃']).trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > MAX_TAG_CHARS {
            return Err(format!("标签“{t}”超过 {MAX_TAG_CHARS} 个字"));
        }
        if !out.iter().any(|x| x == t) {
            out.push(t.to_string());
        }
    }
    if out.len() > MAX_TAGS {
        return Err(format!("标签最多 {MAX_TAGS} 个"));
    }
    Ok(out)
}

/// The vocabulary's tags whose words occur in `text`.
pub fn suggest_tags(text: &str) -> Vec<&'static str> {
    TAG_WORDS.iter().filter(|(_, words)| words.iter().any(|w| text.contains(w))).map(|(t, _)| *t).collect()
}

/// The words a need is matched by: the vocabulary's words found in its text (longest first, none
/// that is part of another found), then its tags and, for a tag of the vocabulary, the words of it
/// that also occur in the text. Each once; at most 12.
pub fn keywords(text: &str, tags: &[String]) -> Vec<String> {
    let mut found: Vec<&str> =
        TAG_WORDS.iter().flat_map(|(_, ws)| ws.iter().copied()).filter(|w| text.contains(w)).collect();
    found.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
    let mut out: Vec<String> = Vec::new();
    for w in found {
        if !out.iter().any(|x| x == w || x.contains(w)) {
            out.push(w.to_string());
        }
    }
    for t in tags {
        if !out.contains(t) {
            out.push(t.clone());
        }
    }
    out.truncate(12);
    out
}

/// The keywords that occur in `text` (what a suggestion's reason names).
pub fn words_in<'a>(keywords: &'a [String], text: &str) -> Vec<&'a str> {
    keywords.iter().map(String::as_str).filter(|k| text.contains(k)).collect()
}

fn quoted(words: &[&str]) -> String {
    words.iter().take(4).map(|w| format!("“{w}”")).collect::<Vec<_>>().join("")
}

/// Why a policy is suggested.
pub fn policy_reason(title: &str, words: &[&str], department: &str) -> String {
    if words.is_empty() {
        format!("{department}《{title}》与需求内容相关（全文检索）")
    } else {
        format!("{department}《{title}》涉及{}，与需求所提内容相符", quoted(words))
    }
}

/// Why a service place is suggested.
pub fn place_reason(name: &str, words: &[&str]) -> String {
    format!("{name}的服务项目或窗口包含{}，可就近办理", quoted(words))
}

/// Why a department is suggested (through a request category of the county).
pub fn department_reason(department: &str, category: &str, words: &[&str]) -> String {
    format!("诉求类别“{category}”由{department}办理，与需求中的{}对口", quoted(words))
}

/// What the service team does to a need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedStep {
    /// Accept one suggestion.
    Accept,
    /// Record the outcome.
    Close,
    /// Write in the thread.
    Message,
}

/// Whether `step` may be taken on a need in `status`.
pub fn allowed(status: NeedStatus, step: NeedStep) -> Result<(), String> {
    use NeedStatus::*;
    let ok = match step {
        NeedStep::Accept => status == Open,
        NeedStep::Close => matches!(status, Open | Matched),
        NeedStep::Message => matches!(status, Open | Matched),
    };
    if ok {
        Ok(())
    } else {
        Err(match step {
            NeedStep::Accept => format!("需求{}，不能再对接", status.label()),
            NeedStep::Close => format!("需求{}，不能再次登记结果", status.label()),
            NeedStep::Message => format!("需求{}，不能再留言", status.label()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn tags_are_trimmed_and_kept_once() {
        assert_eq!(normalise_tags(&s(&[" #用工 ", "用工", "", "融资"])).unwrap(), s(&["用工", "融资"]));
        assert!(normalise_tags(&s(&["一二三四五六七八九十一"])).is_err());
        let many: Vec<String> = (0..9).map(|i| format!("标签{i}")).collect();
        assert!(normalise_tags(&many).is_err());
    }

    #[test]
    fn the_vocabulary_suggests_tags_from_the_text() {
        assert_eq!(suggest_tags("企业想申请稳岗补贴和社保补贴"), vec!["用工", "政策咨询"]);
        assert!(suggest_tags("你好").is_empty());
    }

    #[test]
    fn keywords_are_the_words_of_the_text_then_the_tags() {
        let k = keywords("企业想申请稳岗补贴和社保补贴", &s(&["用工"]));
        assert_eq!(k, s(&["稳岗", "社保", "补贴", "用工"]));
        // A shorter word inside a longer one found is not repeated.
        let k = keywords("申请退税", &[]);
        assert_eq!(k, s(&["退税"]));
    }

    #[test]
    fn reasons_name_the_words_that_matched() {
        let r = policy_reason("稳岗返还与扩岗补助", &["稳岗", "补贴"], "县人力资源和社会保障局");
        assert!(r.contains("《稳岗返还与扩岗补助》") && r.contains("“稳岗”“补贴”"), "{r}");
        let r = department_reason("县人力资源和社会保障局", "用工招聘与社保", &["社保"]);
        assert!(r.contains("用工招聘与社保") && r.contains("县人力资源和社会保障局"), "{r}");
        assert!(place_reason("经开区党群服务中心", &["法律"]).contains("“法律”"));
    }

    #[test]
    fn a_need_is_matched_once_then_closed() {
        use NeedStatus::*;
        assert!(allowed(Open, NeedStep::Accept).is_ok());
        assert!(allowed(Matched, NeedStep::Accept).is_err());
        assert!(allowed(Matched, NeedStep::Close).is_ok());
        assert!(allowed(Open, NeedStep::Close).is_ok(), "a suggestion may be answered without a match");
        assert!(allowed(Resolved, NeedStep::Close).is_err());
        assert!(allowed(Unresolved, NeedStep::Message).is_err());
        assert!(allowed(Matched, NeedStep::Message).is_ok());
    }
}
