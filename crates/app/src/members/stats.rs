//! Figures for the overview page, within the caller's scope.

use honglian_domain::members::member::{MemberCategory, MemberStatus};
use honglian_domain::organisations::org::OrgKind;
use honglian_domain::platform::authz::Permission;
use honglian_domain::{PerPage, RecordId};
use honglian_store::Scope;
use honglian_store::repo::{members::registry as members, organisations::orgs};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Overview {
    pub org_total: i64,
    pub member_total: i64,
    pub orgs_by_kind: Vec<Count>,
    pub members_by_category: Vec<Count>,
    pub members_by_status: Vec<Count>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OverviewQuery {
    /// Restrict to this organisation's subtree.
    pub org: Option<RecordId>,
}

impl App {
    pub async fn stats_overview(&self, ctx: &Ctx, q: OverviewQuery) -> AppResult<Overview> {
        let actor = ctx.actor()?;
        let org_scope = actor.scope(Permission::OrgRead)?;
        let member_scope = actor.scope(Permission::MemberRead)?;
        let (org_scope, member_scope) = match q.org.map(RecordId::get) {
            Some(id) => match orgs::get(&self.db, &org_scope, id).await? {
                Some(o) => {
                    let narrowed = Scope::Paths(vec![o.path.clone()]);
                    let ms = if member_scope.contains(&o.path) { narrowed.clone() } else { Scope::none() };
                    (narrowed, ms)
                }
                _ => return Err(AppError::not_found("党组织")),
            },
            None => (org_scope, member_scope),
        };
        // The figures may come from the read replica; the scope above came from the primary.
        let db = self.reader(ctx).await;
        let kinds = orgs::count_by_kind(&db, &org_scope).await?;
        let orgs_by_kind: Vec<Count> = OrgKind::ALL
            .iter()
            .filter_map(|k| {
                kinds.iter().find(|(c, _)| c == k.code()).map(|(_, n)| Count {
                    key: k.code().into(),
                    label: k.label().into(),
                    count: *n,
                })
            })
            .collect();
        let cats = members::count_by(&db, &member_scope, "category").await?;
        let statuses = members::count_by(&db, &member_scope, "status").await?;
        let members_by_category = MemberCategory::ALL
            .iter()
            .map(|c| Count {
                key: c.code().into(),
                label: c.label().into(),
                count: cats.iter().find(|(k, _)| k == c.code()).map(|x| x.1).unwrap_or(0),
            })
            .collect();
        let members_by_status: Vec<Count> = MemberStatus::ALL
            .iter()
            .map(|s| Count {
                key: s.code().into(),
                label: s.label().into(),
                count: statuses.iter().find(|(k, _)| k == s.code()).map(|x| x.1).unwrap_or(0),
            })
            .collect();
        Ok(Overview {
            org_total: orgs_by_kind.iter().map(|c| c.count).sum(),
            member_total: members_by_status.iter().map(|c| c.count).sum(),
            orgs_by_kind,
            members_by_category,
            members_by_status,
        })
    }
}

/// One region's count (GB/T 2260 code and name).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegionCount {
    pub code: String,
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NamedCount {
    pub name: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CensusSummary {
    pub id: i64,
    pub name: String,
    pub status: String,
    pub total: i64,
    pub verified: i64,
    pub completion: f64,
}

/// Where the mobile members of a subtree are (open outflows).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OutflowStats {
    pub total: i64,
    pub by_province: Vec<RegionCount>,
    pub by_city: Vec<RegionCount>,
    /// By receiving organisation (in the system, or the external one's name; "未落实" when none).
    pub by_receiving_org: Vec<NamedCount>,
    pub by_reason: Vec<Count>,
    /// Mobile members (away, membership not suspended) out of touch: the total of
    /// `GET /lost-contacts?away=true&suspended=false`.
    pub lost_contact: i64,
    /// The newest census campaigns the caller sees.
    pub census: Vec<CensusSummary>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutflowQuery {
    /// Count the members of this organisation's subtree.
    pub org: Option<RecordId>,
}

impl App {
    pub async fn stats_outflow(&self, ctx: &Ctx, q: OutflowQuery) -> AppResult<OutflowStats> {
        use honglian_store::repo::members::mobility::{self, outflow_counts};
        let scope = ctx.actor()?.scope(Permission::MemberRead)?;
        let (subtree_org, subtree) = match q.org.map(RecordId::get) {
            Some(id) => {
                let o = self.org_in(&self.db, &scope, id).await?;
                (Some(o.id), Some(o.path))
            }
            None => (None, None),
        };
        let region = |rows: Vec<(Option<String>, i64)>| -> Vec<RegionCount> {
            rows.into_iter()
                .filter_map(|(code, n)| {
                    let code = code?;
                    let name = honglian_domain::region::name(&code).unwrap_or("未知地区").to_string();
                    Some(RegionCount { code, name, count: n })
                })
                .collect()
        };
        // The figures may come from the read replica; the scope and the organisation came from the primary.
        let db = self.reader(ctx).await;
        // One organisation's subtree (the requested one, or a scope of one subtree): its tallies, kept
        // on write. The subtree lies in the scope, so "visible in the subtree" is the whole condition.
        let tallied = match (&subtree_org, &scope) {
            (Some(id), _) => Some(*id),
            (None, Scope::Paths(ps)) if ps.len() == 1 => mobility::org_id_by_path(&db, &ps[0]).await?,
            _ => None,
        };
        let (counts, lost) = if let Some(org_id) = tallied {
            let cutoff =
                honglian_domain::members::mobility::lost_cutoff(crate::today(), self.config.lost_contact_months);
            (mobility::outflow_counts_of(&db, org_id).await?, mobility::lost_count_of(&db, org_id, cutoff).await?)
        } else {
            let sub = subtree.as_deref();
            let counts = mobility::OutflowCounts {
                province: outflow_counts(&db, &scope, sub, "province").await?,
                city: outflow_counts(&db, &scope, sub, "city").await?,
                reason: outflow_counts(&db, &scope, sub, "reason").await?,
                receiving: outflow_counts(&db, &scope, sub, "receiving").await?,
            };
            let lost = self
                .lost_list(
                    ctx,
                    // Mobile members out of touch, as the tallies count them.
                    crate::members::mobility::LostQuery {
                        org: q.org,
                        away: Some(true),
                        suspended: Some(false),
                        soon: None,
                        page: None,
                        per_page: PerPage::new(1).ok(),
                    },
                )
                .await?
                .total as i64;
            (counts, lost)
        };
        let by_province = region(counts.province);
        let by_city = region(counts.city);
        let by_receiving_org = counts
            .receiving
            .into_iter()
            .map(|(k, n)| NamedCount { name: k.unwrap_or_else(|| "未落实接收组织".into()), count: n })
            .collect();
        let by_reason = counts
            .reason
            .into_iter()
            .map(|(k, n)| {
                let r = k
                    .as_deref()
                    .and_then(honglian_domain::members::mobility::OutflowReason::from_code)
                    .unwrap_or(honglian_domain::members::mobility::OutflowReason::Other);
                Count { key: r.code().into(), label: r.label().into(), count: n }
            })
            .collect();
        let total = by_province.iter().map(|r| r.count).sum();
        let census = self
            .census_list(ctx)
            .await?
            .into_iter()
            .take(4)
            .map(|c| CensusSummary {
                id: c.id,
                name: c.name,
                status: c.status,
                total: c.total,
                verified: c.verified,
                completion: c.completion,
            })
            .collect();
        Ok(OutflowStats { total, by_province, by_city, by_receiving_org, by_reason, lost_contact: lost, census })
    }
}
