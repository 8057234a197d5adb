//! The duty engine at work: the configured rules, evaluated for every
//! organisation of a subtree over a year from its held activities; the
//! compliance board (organisations × months) and the rule configuration.

use honglian_domain::{PageNo, PerPage, RecordId, Year};
use std::collections::HashMap;
use std::sync::Arc;

use chrono::Datelike;
use honglian_domain::org_life::duty::{
    ActivityKind, DutyCalendar, DutyResult, DutyRule, DutyStatus, Frequency, Light, LightCounts, OrgFacts,
    default_rules, members_for_rules, validate_rules,
};
use honglian_domain::organisations::org::OrgKind;
use honglian_domain::platform::authz::Permission;
use honglian_store::Scope;
use honglian_store::repo::{PageReq, org_life::activities, platform::settings};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

const SETTING_RULES: &str = "duty_rules";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DutyItem {
    pub org_id: i64,
    pub org_name: String,
    /// The rule's code, e.g. `theme_day`.
    pub rule: String,
    pub rule_label: String,
    /// `YYYY-MM`, `YYYY-Qn`, `YYYY` or `YYYY-Www`.
    pub period: String,
    /// done | due | overdue
    pub status: String,
    /// blue | yellow | red
    pub light: String,
    pub done_count: u32,
    pub required: u32,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DutyQuery {
    /// The subtree; default: my top organisation.
    pub org: Option<RecordId>,
    /// Default: this year.
    pub year: Option<Year>,
    /// Only results with this light.
    pub light: Option<String>,
    /// Board only: page of organisations (the duty list answers the whole subtree).
    pub page: Option<PageNo>,
    /// Board only.
    pub per_page: Option<PerPage>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema)]
pub struct Counts {
    pub blue: u32,
    pub yellow: u32,
    pub red: u32,
}

impl From<LightCounts> for Counts {
    fn from(c: LightCounts) -> Self {
        Self { blue: c.blue, yellow: c.yellow, red: c.red }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardCell {
    pub month: u32,
    /// The worst light of the duties whose period ends in this month; None when nothing was due.
    pub light: Option<String>,
    pub counts: Counts,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardRow {
    pub org_id: i64,
    pub org_name: String,
    pub kind_label: String,
    pub cells: Vec<BoardCell>,
    pub counts: Counts,
    pub worst: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Board {
    pub year: i32,
    /// Organisations in the subtree that owe any duty.
    pub total: u64,
    pub items: Vec<BoardRow>,
    pub counts: Counts,
    /// Organisations by their worst light.
    pub orgs_by_light: Counts,
}

/// One (rule, period) result, owned and small (20 bytes): a county's evaluation holds about a
/// million of them, cached.
pub(crate) struct Outcome {
    /// Index into [`Evaluated::rules`].
    pub rule: u8,
    pub light: Light,
    pub status: DutyStatus,
    pub period: honglian_domain::org_life::duty::Period,
    pub done: u16,
    pub required: u16,
}

/// An evaluated organisation.
pub(crate) struct OrgDuties {
    pub id: i64,
    pub path: String,
    pub name: String,
    pub kind: String,
    pub results: Box<[Outcome]>,
}

/// Every evaluated organisation of a subtree.
pub(crate) struct Evaluated {
    /// The codes of the rules evaluated, in the order [`Outcome::rule`] refers to.
    pub rules: Vec<Arc<str>>,
    /// The label of each of [`Evaluated::rules`] (counties may name the same rule differently).
    pub labels: Vec<Arc<str>>,
    pub orgs: Vec<OrgDuties>,
}

impl Evaluated {
    /// The code of the rule of an outcome.
    pub fn rule(&self, o: &Outcome) -> &str {
        self.rules.get(usize::from(o.rule)).map_or("", |c| c)
    }

    /// The label of the rule of an outcome, as its county names it.
    pub fn label(&self, o: &Outcome) -> &str {
        self.labels.get(usize::from(o.rule)).map_or("", |c| c)
    }
}

/// What an evaluation depends on besides the subtree and the year: the duty inputs' version and today
/// (lights change with the date). Warn days are fixed per instance.
#[derive(Clone, PartialEq, Eq)]
struct DutyKey {
    scope: Scope,
    year: i32,
    today: chrono::NaiveDate,
    version: i64,
}

impl DutyKey {
    /// Whether an evaluation cached under `self` may still be asked for once `newer` is: older
    /// versions and days never are.
    fn current_beside(&self, newer: &DutyKey) -> bool {
        self.version >= newer.version && self.today >= newer.today
    }
}

/// Recent evaluations (the county board, the duty lists of a few subtrees), newest last.
#[derive(Default)]
pub(crate) struct DutyCache {
    entries: std::sync::Mutex<Vec<(DutyKey, Arc<Evaluated>)>>,
    computing: tokio::sync::Mutex<()>,
}

/// Evaluations kept: a county board holds about 20,000 organisations' results (tens of MB).
const CACHED_EVALUATIONS: usize = 4;

impl DutyCache {
    fn get(&self, key: &DutyKey) -> Option<Arc<Evaluated>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.iter().find(|(k, _)| k == key).map(|(_, ev)| ev.clone())
    }

    /// Drops what `key` makes stale before its evaluation starts, so that the old and the new
    /// evaluation of a county are not held together.
    fn forget_older(&self, key: &DutyKey) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.retain(|(k, _)| k.current_beside(key));
    }

    fn put(&self, key: DutyKey, ev: Arc<Evaluated>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // A slow evaluation of an older version arrives late: keep the newer ones.
        if entries.iter().any(|(k, _)| k.version > key.version || k.today > key.today) {
            return;
        }
        entries.retain(|(k, _)| k.current_beside(&key) && k != &key);
        if entries.len() >= CACHED_EVALUATIONS {
            entries.remove(0);
        }
        entries.push((key, ev));
    }
}

impl App {
    /// The duty rules of the caller's county.
    pub async fn duty_rules(&self, ctx: &Ctx) -> AppResult<Vec<DutyRule>> {
        ctx.actor()?.scope(Permission::OrgRead)?;
        self.county_duty_rules(self.reader_county(ctx)?).await
    }

    /// A county's duty rules (its own, else the deployment's, else the defaults of the regulations).
    pub(crate) async fn county_duty_rules(&self, county: Option<i64>) -> AppResult<Vec<DutyRule>> {
        Ok(match self.county_setting(SETTING_RULES, county).await? {
            Some(v) => serde_json::from_str(&v)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("duty_rules setting unreadable: {e}")))?,
            None => default_rules(),
        })
    }

    /// Replaces the duty rules of the caller's county (its county admin only: one county's admin never
    /// changes another's).
    pub async fn set_duty_rules(&self, ctx: &Ctx, rules: Vec<DutyRule>) -> AppResult<Vec<DutyRule>> {
        let county = self.writer_county(ctx, Permission::SettingsBusiness)?;
        validate_rules(&rules)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.set_county_setting(&txn, SETTING_RULES, county, &serde_json::to_string(&rules).unwrap_or_default())
            .await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("settings.duty_rules", "settings", SETTING_RULES).with(
                serde_json::json!({"county": county, "rules": rules.iter().map(|r| &r.code).collect::<Vec<_>>()}),
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(rules)
    }

    /// Evaluates every organisation of `subtree` for `year`, or answers from the cache when neither the
    /// duty inputs (see [`activities::duty_inputs_version`]) nor today have changed since.
    pub(crate) async fn evaluate(&self, subtree: &Scope, year: i32) -> AppResult<Arc<Evaluated>> {
        // The version is read before the inputs, so a result is never older than the version it is cached under.
        let version = activities::duty_inputs_version(&self.db).await?;
        let key = DutyKey { scope: subtree.clone(), year, today: crate::today(), version };
        if let Some(ev) = self.duties.get(&key) {
            return Ok(ev);
        }
        // One evaluation at a time: a burst of requests after a write waits for the first one.
        let _turn = self.duties.computing.lock().await;
        if let Some(ev) = self.duties.get(&key) {
            return Ok(ev);
        }
        self.duties.forget_older(&key);
        let ev = Arc::new(self.evaluate_now(subtree, year, key.today).await?);
        self.duties.put(key, ev.clone());
        Ok(ev)
    }

    /// Evaluates without keeping the result: for the hourly reminders, whose evaluation of everything
    /// no screen asks for. Waits for (and keeps out) other evaluations, so that at most one is being
    /// computed at a time.
    pub(crate) async fn evaluate_uncached(&self, subtree: &Scope, year: i32) -> AppResult<Evaluated> {
        let _turn = self.duties.computing.lock().await;
        self.evaluate_now(subtree, year, crate::today()).await
    }

    async fn evaluate_now(&self, subtree: &Scope, year: i32, today: chrono::NaiveDate) -> AppResult<Evaluated> {
        // Each organisation is held to its own county's rules (a subtree is usually one county; the
        // reminders evaluate all of them).
        let counties: Vec<Option<i64>> = match subtree {
            Scope::Paths(ps) => {
                let mut c: Vec<Option<i64>> = ps.iter().map(|p| county_of(p)).collect();
                c.sort_unstable();
                c.dedup();
                c
            }
            Scope::All(_) => {
                let prefix = format!("{SETTING_RULES}@");
                let mut c: Vec<Option<i64>> = settings::keys_with_prefix(&self.db, &prefix)
                    .await?
                    .iter()
                    .filter_map(|k| k.strip_prefix(&prefix)?.parse().ok())
                    .map(Some)
                    .collect();
                c.push(None);
                c
            }
        };
        let mut rules_of: HashMap<Option<i64>, Vec<DutyRule>> = HashMap::with_capacity(counties.len());
        for c in counties {
            rules_of.insert(c, self.county_duty_rules(c).await?);
        }
        // ISO weeks cross the new year (a meeting on 29 December may be in week 1 of the next
        // year; one on 1–3 January in week 53 of the last): organisations owing a weekly duty also
        // get their held activities of the neighbouring years. Only those, to keep the board's read small.
        let mut edge_kinds: Vec<String> = rules_of
            .values()
            .flatten()
            .filter(|r| r.frequency == Frequency::Weekly)
            .flat_map(|r| r.applies_to.iter().cloned())
            .collect();
        edge_kinds.sort();
        edge_kinds.dedup();
        // Two independent reads on two pooled connections, so that they overlap.
        let (org_list, held_rows) = tokio::try_join!(
            activities::duty_orgs(&self.db, subtree),
            activities::held_in_year(&self.db, subtree, year, &edge_kinds),
        )?;
        let mut held: HashMap<i64, Vec<(ActivityKind, chrono::NaiveDate)>> = HashMap::with_capacity(held_rows.len());
        for (org, list) in held_rows {
            held.entry(org).or_default().extend(list);
        }
        let counts = member_counts(&org_list);
        // One entry per (code, label) of any county's rules.
        let mut codes: Vec<Arc<str>> = Vec::new();
        let mut labels: Vec<Arc<str>> = Vec::new();
        for r in rules_of.values().flatten() {
            if !codes.iter().zip(&labels).any(|(c, l)| **c == *r.code && **l == *r.label) {
                codes.push(Arc::from(r.code.as_str()));
                labels.push(Arc::from(r.label.as_str()));
            }
        }
        let calendars: HashMap<Option<i64>, (DutyCalendar, &[DutyRule])> =
            rules_of.iter().map(|(c, rules)| (*c, (DutyCalendar::new(rules, year), rules.as_slice()))).collect();
        let index = |rules: &[DutyRule], code: &str| -> u8 {
            let label = rules.iter().find(|r| r.code == code).map_or("", |r| r.label.as_str());
            codes.iter().zip(&labels).position(|(c, l)| &**c == code && &**l == label).map_or(u8::MAX, |i| i as u8)
        };
        let mut buf: Vec<DutyResult> = Vec::new();
        let mut out = Vec::new();
        for (o, (own_and_groups, subtree_n)) in org_list.into_iter().zip(counts) {
            if o.dissolved_on.is_some_and(|d| d.year() < year) {
                continue;
            }
            let county = county_of(&o.path);
            let Some((cal, rules)) = calendars.get(&county).or_else(|| calendars.get(&None)) else { continue };
            let facts = OrgFacts {
                kind: o.kind.clone(),
                founded_on: o.founded_on,
                registered_on: Some(o.registered_on),
                dissolved_on: o.dissolved_on,
                full_members: members_for_rules(&o.kind, own_and_groups, subtree_n),
            };
            buf.clear();
            cal.evaluate_into(
                &facts,
                held.get(&o.id).map(Vec::as_slice).unwrap_or(&[]),
                today,
                self.config.warn_days,
                &mut buf,
            );
            if buf.is_empty() {
                continue;
            }
            let results = buf
                .iter()
                .map(|r| Outcome {
                    rule: index(rules, r.rule),
                    period: r.period,
                    light: r.light,
                    status: r.status,
                    done: r.done_count.try_into().unwrap_or(u16::MAX),
                    required: r.required.try_into().unwrap_or(u16::MAX),
                })
                .collect();
            out.push(OrgDuties { id: o.id, path: o.path, name: o.name, kind: o.kind, results });
        }
        Ok(Evaluated { rules: codes, labels, orgs: out })
    }

    /// GET /duties: every (organisation, rule, period) of the subtree for the year.
    pub async fn duty_list(&self, ctx: &Ctx, q: DutyQuery) -> AppResult<Vec<DutyItem>> {
        let root = self.subtree_root(ctx, q.org.map(RecordId::get), Permission::OrgRead).await?;
        let year = q.year.map(Year::get).unwrap_or_else(|| crate::today().year());
        let ev = self.evaluate(&Scope::Paths(vec![root.path]), year).await?;
        let mut items = Vec::new();
        for o in &ev.orgs {
            for r in &o.results {
                if q.light.as_deref().is_some_and(|l| l != r.light.code()) {
                    continue;
                }
                items.push(DutyItem {
                    org_id: o.id,
                    org_name: o.name.clone(),
                    rule_label: ev.label(r).to_string(),
                    rule: ev.rule(r).to_string(),
                    period: r.period.label(),
                    status: r.status.code().into(),
                    light: r.light.code().into(),
                    done_count: r.done.into(),
                    required: r.required.into(),
                });
            }
        }
        Ok(items)
    }

    /// The compliance board: organisations × months, worst first.
    pub async fn duty_board(&self, ctx: &Ctx, q: DutyQuery) -> AppResult<Board> {
        let root = self.subtree_root(ctx, q.org.map(RecordId::get), Permission::OrgRead).await?;
        let year = q.year.map(Year::get).unwrap_or_else(|| crate::today().year());
        let ev = self.evaluate(&Scope::Paths(vec![root.path]), year).await?;
        // ISO week 53 may end in January of the next year: it belongs to this board's December.
        let dec31 = chrono::NaiveDate::from_ymd_opt(year, 12, 31).expect("31 December");
        let mut rows: Vec<(&OrgDuties, [LightCounts; 12], LightCounts)> = Vec::with_capacity(ev.orgs.len());
        let mut total_counts = LightCounts::default();
        let mut by_light = LightCounts::default();
        for o in &ev.orgs {
            let mut months = [LightCounts::default(); 12];
            let mut all = LightCounts::default();
            for r in &o.results {
                let m = r.period.end().min(dec31).month() as usize - 1;
                months[m].add(r.light);
                all.add(r.light);
            }
            total_counts.merge(all);
            rows.push((o, months, all));
        }
        // A party group's meetings roll up to its branch's row (the duty list keeps them apart).
        let index: HashMap<&str, usize> = rows.iter().enumerate().map(|(i, (o, _, _))| (o.path.as_str(), i)).collect();
        let mut rolled = vec![false; rows.len()];
        for i in 0..rows.len() {
            if rows[i].0.kind != "party_group" {
                continue;
            }
            let Some(&p) = parent_path(&rows[i].0.path).and_then(|pp| index.get(pp)) else { continue };
            let (months, all) = (rows[i].1, rows[i].2);
            for (m, c) in rows[p].1.iter_mut().zip(months) {
                m.merge(c);
            }
            rows[p].2.merge(all);
            rolled[i] = true;
        }
        let mut keep = rolled.iter().map(|r| !r);
        rows.retain(|_| keep.next().unwrap_or(true));
        for (_, _, all) in &rows {
            if let Some(w) = all.worst() {
                by_light.add(w);
            }
        }
        if let Some(l) = q.light.as_deref() {
            rows.retain(|(_, _, all)| all.worst().map(|w| w.code()) == Some(l));
        }
        // Red first, then yellow, then by the number of reds.
        rows.sort_unstable_by(|(a, _, ac), (b, _, bc)| {
            bc.red.cmp(&ac.red).then(bc.yellow.cmp(&ac.yellow)).then(a.id.cmp(&b.id))
        });
        let page = PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into).or(Some(50)));
        let total = rows.len() as u64;
        let items = rows
            .into_iter()
            .skip(page.offset() as usize)
            .take(page.per_page as usize)
            .map(|(o, months, all)| BoardRow {
                org_id: o.id,
                org_name: o.name.clone(),
                kind_label: OrgKind::from_code(&o.kind).map(|k| k.label()).unwrap_or_default().into(),
                cells: months
                    .iter()
                    .enumerate()
                    .map(|(i, c)| BoardCell {
                        month: i as u32 + 1,
                        light: c.worst().map(|l| l.code().into()),
                        counts: (*c).into(),
                    })
                    .collect(),
                counts: all.into(),
                worst: all.worst().map(|l| l.code().into()),
            })
            .collect();
        Ok(Board { year, total, items, counts: total_counts.into(), orgs_by_light: by_light.into() })
    }
}

/// The path of an organisation's parent (`/1/7/` for `/1/7/12/`), None for a root.
fn parent_path(path: &str) -> Option<&str> {
    let trimmed = path.strip_suffix('/')?;
    let cut = trimmed.rfind('/')?;
    (cut > 0).then(|| &path[..=cut])
}

/// For each organisation of `orgs` (a whole subtree, in path order): its full members filed
/// directly or under its party groups, and those of its whole subtree — the two counts
/// [`members_for_rules`] chooses from. Computed from the per-organisation counts already read,
/// so the board makes no further query.
fn member_counts(orgs: &[activities::DutyOrg]) -> Vec<(u32, u32)> {
    let index: HashMap<&str, usize> = orgs.iter().enumerate().map(|(i, o)| (o.path.as_str(), i)).collect();
    let mut out: Vec<(u32, u32)> = orgs.iter().map(|o| (u32::try_from(o.full_members).unwrap_or(0), 0)).collect();
    for (i, o) in orgs.iter().enumerate() {
        let n = u32::try_from(o.full_members).unwrap_or(0);
        out[i].1 += n;
        if o.kind == "party_group"
            && let Some(&p) = parent_path(&o.path).and_then(|pp| index.get(pp))
        {
            out[p].0 += n;
        }
        // Every ancestor within the subtree counts it.
        let mut cur = o.path.as_str();
        while let Some(pp) = parent_path(cur) {
            if let Some(&a) = index.get(pp) {
                out[a].1 += n;
            }
            cur = pp;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org(id: i64, path: &str, kind: &str, n: i64) -> activities::DutyOrg {
        activities::DutyOrg {
            id,
            path: path.into(),
            name: String::new(),
            kind: kind.into(),
            founded_on: None,
            registered_on: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            dissolved_on: None,
            full_members: n,
        }
    }

    #[test]
    fn members_of_party_groups_count_for_their_branch_and_sub_branches_for_the_general_branch() {
        assert_eq!(parent_path("/1/7/12/"), Some("/1/7/"));
        assert_eq!(parent_path("/1/"), None);
        let orgs = [
            org(1, "/1/", "general_branch", 0),
            org(2, "/1/2/", "branch", 4),
            org(3, "/1/2/3/", "party_group", 2),
            org(4, "/1/2/4/", "party_group", 1),
            org(5, "/1/5/", "branch", 30),
        ];
        let c = member_counts(&orgs);
        assert_eq!(c[1], (7, 7), "branch: 4 of its own and 3 in its groups");
        assert_eq!(c[0], (0, 37), "general branch: everything below");
        assert_eq!(c[2], (2, 2));
        let rule_count = |i: usize| members_for_rules(&orgs[i].kind, c[i].0, c[i].1);
        assert_eq!((rule_count(0), rule_count(1), rule_count(4)), (37, 7, 30));
    }
}
