//! The acting user and what they may do. A [`Scope`] for business data is only
//! obtainable through [`Actor::scope`], which checks the permission first —
//! so a repository call that lists data cannot forget the check.

use honglian_domain::platform::authz::{Permission, Role};
use honglian_store::Scope;

use crate::error::{AppError, AppResult};

/// One grant, resolved to the organisation's path.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ActorGrant {
    pub id: i64,
    pub role: Role,
    pub org_id: Option<i64>,
    pub org_path: Option<String>,
    pub org_name: Option<String>,
    /// A department handler's department.
    pub department_id: Option<i64>,
    /// An enterprise contact's enterprise.
    pub host_id: Option<i64>,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub display_name: String,
    pub member_id: Option<i64>,
    pub grants: Vec<ActorGrant>,
    pub must_change_password: bool,
    /// The organisations' version (`org_tree_version`) read before this actor's grants, which a request
    /// serving a cached actor has just read again: any organisation path read from a cache must be of
    /// this version too (`App::org_path`).
    pub tree_version: i64,
}

/// Who did something and from where, for permission checks and the audit log.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub actor: Option<Actor>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    /// The primary's log position after this caller's last write (the `hl_wrote` cookie): a report
    /// reads from the replica only once it has replayed that far ([`crate::App::reader`]).
    pub wrote_at: Option<String>,
}

impl Ctx {
    pub fn system() -> Self {
        Self { actor: None, ip: None, user_agent: None, wrote_at: None }
    }

    pub fn actor(&self) -> AppResult<&Actor> {
        self.actor.as_ref().ok_or_else(|| AppError::Unauthorized("未登录或会话已过期，请重新登录".into()))
    }

    pub fn actor_name(&self) -> String {
        self.actor.as_ref().map(|a| a.username.clone()).unwrap_or_else(|| "system".into())
    }

    pub fn actor_id(&self) -> Option<i64> {
        self.actor.as_ref().map(|a| a.user_id)
    }
}

impl Actor {
    pub fn permissions(&self) -> Vec<Permission> {
        let mut out: Vec<Permission> = Vec::new();
        for g in &self.grants {
            for p in g.role.permissions() {
                if !out.contains(p) {
                    out.push(*p);
                }
            }
        }
        out
    }

    pub fn has(&self, p: Permission) -> bool {
        self.grants.iter().any(|g| g.role.permissions().contains(&p))
    }

    /// Fails unless the actor holds `p` (for permissions that are not scoped to organisations).
    pub fn require(&self, p: Permission) -> AppResult<()> {
        if self.has(p) { Ok(()) } else { Err(AppError::forbidden()) }
    }

    /// The organisations over which the actor holds `p`; forbidden if none.
    pub fn scope(&self, p: Permission) -> AppResult<Scope> {
        self.scope_any(&[p])
    }

    /// The organisations over which the actor holds any of `ps`, each subtree once (a path covered by another
    /// is dropped, so that a query reads one range, not two overlapping ones); forbidden if none.
    pub fn scope_any(&self, ps: &[Permission]) -> AppResult<Scope> {
        let mut paths: Vec<String> = Vec::new();
        for g in self.grants.iter().filter(|g| ps.iter().any(|p| g.role.permissions().contains(p))) {
            if let Some(path) = &g.org_path {
                paths.push(path.clone());
            }
        }
        if paths.is_empty() {
            return Err(AppError::forbidden());
        }
        // Drop paths covered by another one.
        paths.sort();
        let mut minimal: Vec<String> = Vec::new();
        for p in paths {
            if !minimal.iter().any(|m| p.starts_with(m.as_str())) {
                minimal.push(p);
            }
        }
        Ok(Scope::Paths(minimal))
    }

    /// The whole deployment, for a holder of `p` through a deployment-wide grant (a role without an
    /// organisation: the security admin choosing the organisation of a grant). Forbidden otherwise.
    /// This is the "proof of a deployment-wide role" of `honglian_store::Unscoped`; those roles read
    /// no members, only the organisation tree.
    pub fn deployment_wide(&self, p: Permission) -> AppResult<Scope> {
        if self.grants.iter().any(|g| g.org_id.is_none() && g.role.permissions().contains(&p)) {
            #[allow(clippy::disallowed_methods, reason = "checked just above: a deployment-wide grant of `p`")]
            let all = Scope::All(honglian_store::Unscoped::system());
            Ok(all)
        } else {
            Err(AppError::forbidden())
        }
    }

    /// The departments the actor handles requests for (grants of `p` that name a department).
    pub fn departments(&self, p: Permission) -> Vec<i64> {
        let mut out: Vec<i64> =
            self.grants.iter().filter(|g| g.role.permissions().contains(&p)).filter_map(|g| g.department_id).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The enterprises the actor speaks for (grants of `p` that name a host of the coverage registry).
    pub fn hosts(&self, p: Permission) -> Vec<i64> {
        let mut out: Vec<i64> =
            self.grants.iter().filter(|g| g.role.permissions().contains(&p)).filter_map(|g| g.host_id).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The grant roots of the actor for `p` (the tops of what they see).
    pub fn roots(&self, p: Permission) -> Vec<i64> {
        match self.scope(p) {
            Ok(Scope::Paths(ps)) => ps
                .iter()
                .filter_map(|path| self.grants.iter().find(|g| g.org_path.as_deref() == Some(path)))
                .filter_map(|g| g.org_id)
                .collect(),
            _ => vec![],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(role: Role, path: &str) -> ActorGrant {
        ActorGrant {
            id: 1,
            role,
            org_id: Some(1),
            org_path: Some(path.into()),
            org_name: None,
            department_id: None,
            host_id: None,
        }
    }

    #[test]
    fn scope_unions_grants_with_the_permission() {
        let a = Actor {
            user_id: 1,
            username: "x".into(),
            display_name: "x".into(),
            member_id: None,
            must_change_password: false,
            tree_version: 0,
            grants: vec![
                grant(Role::Instructor, "/1/5/"),
                grant(Role::OrgAdmin, "/1/7/"),
                grant(Role::OrgAdmin, "/1/7/9/"),
            ],
        };
        assert_eq!(a.scope(Permission::MemberRead).unwrap(), Scope::Paths(vec!["/1/5/".into(), "/1/7/".into()]));
        assert_eq!(a.scope(Permission::MemberWrite).unwrap(), Scope::Paths(vec!["/1/7/".into()]));
        assert!(a.scope(Permission::AuditRead).is_err());
    }
}
