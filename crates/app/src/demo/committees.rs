//! The demo branches' committees: who a 支委会 expects, and the secretaries a community's meetings
//! expect.

use std::collections::{HashMap, HashSet};

use chrono::Duration;
use honglian_domain::members::member::probation_ends;
use honglian_domain::organisations::committee::CommitteePost;
use honglian_store::repo::members::registry as members;
use honglian_store::repo::organisations::committee;
use honglian_store::repo::organisations::orgs::{self, Org};
use sea_orm::ConnectionTrait;

use crate::{App, AppResult};

impl App {
    /// Elects each branch's committee 14 to 30 months ago (one branch in eleven 37 months ago, so
    /// its term has run out and 换届 is due): a secretary; with 7 or more full members also
    /// organisation and publicity members; with 15 or more also a deputy and a discipline member.
    /// The organisation shows the new secretary's name. Returns each organisation's committee.
    /// `away` (member_demo, who works in 广州) is on no committee.
    pub(super) async fn demo_committees(
        &self,
        txn: &impl ConnectionTrait,
        groups: [&mut [Org]; 3],
        away: i64,
    ) -> AppResult<HashMap<i64, Vec<i64>>> {
        use CommitteePost::*;
        let today = crate::today();
        let mut out = HashMap::new();
        for (i, o) in groups.into_iter().flat_map(|g| g.iter_mut()).enumerate() {
            let ago = if i % 11 == 5 { 37 * 30 } else { 420 + (i as i64 * 37) % 480 };
            let elected_on = today - Duration::days(ago);
            let full: Vec<(i64, String)> = members::of_org(txn, o.id)
                .await?
                .into_iter()
                .filter(|m| m.0 != away && m.2 == "normal" && probation_ends(m.3, 0) <= elected_on)
                .map(|m| (m.0, m.1))
                .collect();
            if full.is_empty() {
                continue;
            }
            let posts: &[CommitteePost] = match full.len() {
                n if n >= 15 => &[Secretary, DeputySecretary, Organisation, Publicity, Discipline],
                n if n >= 7 => &[Secretary, Organisation, Publicity],
                _ => &[Secretary],
            };
            let mut ids = Vec::with_capacity(posts.len());
            for (k, post) in posts.iter().enumerate() {
                let m = &full[k * full.len() / posts.len()];
                committee::insert(txn, o.id, m.0, post.code(), elected_on, None).await?;
                ids.push(m.0);
            }
            *o = orgs::set_secretary(txn, o.clone(), Some(full[0].1.clone())).await?;
            out.insert(o.id, ids);
        }
        Ok(out)
    }
}

/// Everyone on a demo committee.
pub(super) fn on_committees(committees: &HashMap<i64, Vec<i64>>) -> HashSet<i64> {
    committees.values().flatten().copied().collect()
}
