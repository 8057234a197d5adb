//! Chinese full-text search without a dictionary: text is indexed as overlapping character pairs
//! (bigrams), so that any word of two or more characters — 税收, 补贴, 人才 — is found as the phrase of
//! its pairs, on SQLite's FTS5 and PostgreSQL's tsvector alike (docs/architecture.md, "Search").
//!
//! A run of Chinese characters `ABCD` is indexed as `AB BC CD D`: every character starts exactly one
//! token, so a one-character query is a prefix query (`税*`) that finds every occurrence. Latin
//! letters and digits are indexed as lower-case words (`2024`, `ipo`).

/// Whether `c` is written without spaces between words (CJK ideographs, kana, hangul).
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Full-width letters and digits as their ASCII forms, lower-case.
fn fold(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    c.to_ascii_lowercase()
}

#[derive(Debug, PartialEq, Eq)]
enum Run {
    Cjk(Vec<char>),
    Word(String),
}

fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cjk: Vec<char> = Vec::new();
    let mut word = String::new();
    for c in text.chars().map(fold) {
        if is_cjk(c) {
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
            }
            cjk.push(c);
        } else if c.is_ascii_alphanumeric() {
            if !cjk.is_empty() {
                out.push(Run::Cjk(std::mem::take(&mut cjk)));
            }
            word.push(c);
        } else {
            if !word.is_empty() {
                out.push(Run::Word(std::mem::take(&mut word)));
            }
            if !cjk.is_empty() {
                out.push(Run::Cjk(std::mem::take(&mut cjk)));
            }
        }
    }
    if !word.is_empty() {
        out.push(Run::Word(word));
    }
    if !cjk.is_empty() {
        out.push(Run::Cjk(cjk));
    }
    out
}

/// The pairs of a run of Chinese characters, and its last character alone.
fn pairs(run: &[char]) -> impl Iterator<Item = String> + '_ {
    (0..run.len()).map(move |i| run[i..(i + 2).min(run.len())].iter().collect())
}

/// The text to index: tokens separated by spaces (what both backends' tokenizers split on).
pub fn index_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for run in runs(text) {
        match run {
            Run::Cjk(chars) => {
                for p in pairs(&chars) {
                    out.push_str(&p);
                    out.push(' ');
                }
            }
            Run::Word(w) => {
                out.push_str(&w);
                out.push(' ');
            }
        }
    }
    out.pop();
    out
}

/// One thing to find: a phrase of tokens that must follow each other, or one token's prefix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Phrase(Vec<String>),
    Prefix(String),
}

/// What a search box's text asks for: every term must occur (AND). Punctuation and spaces separate
/// terms; a run of Chinese characters is one phrase. `None` when nothing searchable is left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub terms: Vec<Term>,
    /// The words as typed (folded), for highlighting.
    pub words: Vec<String>,
}

/// At most this many terms are taken from a query (the rest is ignored).
const MAX_TERMS: usize = 8;

pub fn parse_query(text: &str) -> Option<Query> {
    let mut terms = Vec::new();
    let mut words = Vec::new();
    for run in runs(text).into_iter().take(MAX_TERMS) {
        match run {
            Run::Cjk(chars) if chars.len() == 1 => {
                terms.push(Term::Prefix(chars[0].to_string()));
                words.push(chars[0].to_string());
            }
            Run::Cjk(chars) => {
                // The pairs AB BC CD: the last character alone adds nothing to a phrase.
                terms.push(Term::Phrase(pairs(&chars).take(chars.len() - 1).collect()));
                words.push(chars.iter().collect());
            }
            Run::Word(w) => {
                terms.push(Term::Prefix(w.clone()));
                words.push(w);
            }
        }
    }
    (!terms.is_empty()).then_some(Query { terms, words })
}

impl Query {
    /// An FTS5 MATCH expression: `"人才 才补 补贴" AND "税"*`. Tokens are letters and digits only,
    /// so quoting them is enough.
    pub fn fts5(&self) -> String {
        self.terms
            .iter()
            .map(|t| match t {
                Term::Phrase(tokens) => format!("\"{}\"", tokens.join(" ")),
                Term::Prefix(p) => format!("\"{p}\"*"),
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// A PostgreSQL tsquery (for `to_tsquery('simple', …)`): `'人才' <-> '才补' <-> '补贴' & '税':*`.
    pub fn tsquery(&self) -> String {
        self.terms
            .iter()
            .map(|t| match t {
                Term::Phrase(tokens) => {
                    let inner = tokens.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(" <-> ");
                    format!("({inner})")
                }
                Term::Prefix(p) => format!("'{p}':*"),
            })
            .collect::<Vec<_>>()
            .join(" & ")
    }
}

/// A piece of text, marked where it matched the query.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct Segment {
    pub text: String,
    pub hit: bool,
}

/// Which characters of `chars` (folded) belong to an occurrence of one of `words`.
fn hits(chars: &[char], words: &[String]) -> Vec<bool> {
    let folded: Vec<char> = chars.iter().map(|&c| fold(c)).collect();
    let mut hit = vec![false; chars.len()];
    for w in words {
        let w: Vec<char> = w.chars().collect();
        if w.is_empty() || w.len() > folded.len() {
            continue;
        }
        for i in 0..=folded.len() - w.len() {
            if folded[i..i + w.len()] == w[..] {
                hit[i..i + w.len()].iter_mut().for_each(|h| *h = true);
            }
        }
    }
    hit
}

fn segments(chars: &[char], hit: &[bool]) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::new();
    for (c, h) in chars.iter().zip(hit) {
        match out.last_mut() {
            Some(s) if s.hit == *h => s.text.push(*c),
            _ => out.push(Segment { text: c.to_string(), hit: *h }),
        }
    }
    out
}

/// `text` with the query's words marked.
pub fn highlight(text: &str, q: Option<&Query>) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let hit = q.map(|q| hits(&chars, &q.words)).unwrap_or_else(|| vec![false; chars.len()]);
    segments(&chars, &hit)
}

/// About `len` characters of `text` around its first match (its start when nothing matches), marked,
/// with an ellipsis where it was cut.
pub fn snippet(text: &str, q: Option<&Query>, len: usize) -> Vec<Segment> {
    let chars: Vec<char> = text.chars().collect();
    let hit = q.map(|q| hits(&chars, &q.words)).unwrap_or_else(|| vec![false; chars.len()]);
    let first = hit.iter().position(|h| *h).unwrap_or(0);
    let start = first.saturating_sub(len / 4);
    let end = (start + len).min(chars.len());
    let mut out = segments(&chars[start..end], &hit[start..end]);
    if start > 0 {
        out.insert(0, Segment { text: "…".into(), hit: false });
    }
    if end < chars.len() {
        out.push(Segment { text: "…".into(), hit: false });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_is_indexed_as_pairs_and_every_character_starts_a_token() {
        assert_eq!(index_text("税收优惠"), "税收 收优 优惠 惠");
        assert_eq!(index_text("人才，补贴"), "人才 才 补贴 贴");
        assert_eq!(index_text("２０２４年IPO奖励"), "2024 年 ipo 奖励 励");
        assert_eq!(index_text(""), "");
    }

    #[test]
    fn a_query_is_a_phrase_of_pairs_per_run() {
        let q = parse_query("人才补贴 税").unwrap();
        assert_eq!(
            q.terms,
            vec![Term::Phrase(vec!["人才".into(), "才补".into(), "补贴".into()]), Term::Prefix("税".into())]
        );
        assert_eq!(q.fts5(), "\"人才 才补 补贴\" AND \"税\"*");
        assert_eq!(q.tsquery(), "('人才' <-> '才补' <-> '补贴') & '税':*");
        assert_eq!(parse_query("补贴").unwrap().fts5(), "\"补贴\"");
        assert_eq!(parse_query("IPO").unwrap().fts5(), "\"ipo\"*");
    }

    #[test]
    fn nothing_searchable_is_no_query() {
        assert_eq!(parse_query(""), None);
        assert_eq!(parse_query("  ，。\"*'()"), None);
    }

    #[test]
    fn quotes_and_operators_cannot_reach_the_match_expression() {
        let q = parse_query("税\" OR 1=1 --").unwrap();
        assert_eq!(q.fts5(), "\"税\"* AND \"or\"* AND \"1\"* AND \"1\"*");
        assert!(!q.tsquery().contains('"'));
    }

    #[test]
    fn matches_are_marked_in_the_text() {
        let q = parse_query("补贴").unwrap();
        let s = highlight("人才补贴与住房补贴", Some(&q));
        let marked: Vec<&str> = s.iter().filter(|s| s.hit).map(|s| s.text.as_str()).collect();
        assert_eq!(marked, vec!["补贴", "补贴"]);
        assert_eq!(s.iter().map(|s| s.text.as_str()).collect::<String>(), "人才补贴与住房补贴");
    }

    #[test]
    fn a_snippet_starts_near_the_first_match() {
        let text = format!("{}研发费用加计扣除{}", "甲".repeat(100), "乙".repeat(100));
        let q = parse_query("加计扣除").unwrap();
        let s = snippet(&text, Some(&q), 40);
        assert_eq!(s.first().unwrap().text, "…");
        assert_eq!(s.last().unwrap().text, "…");
        assert!(s.iter().any(|s| s.hit && s.text == "加计扣除"));
        let short = snippet("短文本", None, 40);
        assert_eq!(short, vec![Segment { text: "短文本".into(), hit: false }]);
    }
}
