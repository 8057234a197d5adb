//! User and grant administration (the security admin), and the command-line
//! bootstrap of the first administrators. Every change here that alters what a user may do (grants,
//! password, disabling) bumps the user's `auth_version` in its transaction (`repo::platform::users`):
//! cached sessions are checked against it on every request, on every instance (`auth::authenticate`).

use honglian_domain::platform::authz::{Permission, Role, check_new_grant};
use honglian_domain::validation::required_text;
use honglian_domain::{PageNo, PerPage};
use honglian_store::Scope;
use honglian_store::repo::platform::integrity::Protected;
use honglian_store::repo::platform::users::{self, User};
use honglian_store::repo::{
    Page, PageReq, organisations::hosts, organisations::orgs, platform::sessions, services::departments,
};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::platform::auth::hash_password;
use crate::services::requests::HostName;
use crate::{App, AppError, AppResult, Ctx};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantView {
    pub id: i64,
    pub role: Role,
    pub role_label: String,
    pub org_id: Option<i64>,
    pub org_name: Option<String>,
    /// A department handler's department.
    pub department_id: Option<i64>,
    pub department_name: Option<String>,
    /// An enterprise contact's enterprise.
    pub host_id: Option<i64>,
    pub host_name: Option<String>,
    /// False when the grant fails its integrity check (edited in the database): it gives nothing.
    pub intact: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub must_change_password: bool,
    pub locked: bool,
    pub member_id: Option<i64>,
    pub grants: Vec<GrantView>,
    /// The account's clearance for security labels (安全标记), set by the security administrator.
    pub clearance: honglian_domain::platform::labels::SecurityLabel,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    /// Initial password; the user must change it at first login.
    pub password: String,
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub member_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UserPatch {
    pub display_name: Option<String>,
    pub disabled: Option<bool>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewGrant {
    pub role: String,
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub org_id: Option<i64>,
    /// A department handler's department (the grant's organisation is their county).
    #[serde(default)]
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub department_id: Option<i64>,
    /// An enterprise contact's enterprise, from the coverage registry of the grant's organisation.
    #[serde(default)]
    #[schema(value_type = Option<honglian_domain::RecordId>)]
    pub host_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GrantHostsQuery {
    /// The organisation the grant will be over.
    pub org: honglian_domain::RecordId,
    /// Part of the enterprise's name.
    pub q: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    pub q: Option<String>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

pub(crate) fn check_username(u: &str) -> Result<String, String> {
    let u = u.trim();
    if u.len() < 3
        || u.len() > 32
        || !u.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.' || b == b'-')
    {
        return Err("用户名须为 3–32 位字母、数字、下划线、点或连字符".into());
    }
    Ok(u.to_string())
}

impl App {
    async fn user_view(&self, db: &impl sea_orm::ConnectionTrait, u: User) -> AppResult<UserView> {
        let grants = users::grants_of(db, u.id).await?;
        let mut intact = grants.clone();
        crate::platform::integrity::keep_intact_grants(db, &self.crypto, &mut intact).await?;
        let intact: std::collections::HashSet<i64> = intact.iter().map(|g| g.id).collect();
        let ids: Vec<i64> = grants.iter().filter_map(|g| g.org_id).collect();
        let org_names = orgs::names(db, &ids).await?;
        let dept_ids: Vec<i64> = grants.iter().filter_map(|g| g.department_id).collect();
        let dept_names = departments::names(db, &dept_ids).await?;
        let host_ids: Vec<i64> = grants.iter().filter_map(|g| g.host_id).collect();
        let host_names = hosts::names(db, &host_ids).await?;
        let grants = grants
            .into_iter()
            .filter_map(|g| {
                let role = Role::from_code(&g.role)?;
                Some(GrantView {
                    id: g.id,
                    role,
                    role_label: role.label().into(),
                    org_id: g.org_id,
                    org_name: g.org_id.and_then(|id| org_names.get(&id).cloned()),
                    department_id: g.department_id,
                    department_name: g.department_id.and_then(|id| dept_names.get(&id).cloned()),
                    host_id: g.host_id,
                    host_name: g.host_id.and_then(|id| host_names.get(&id).cloned()),
                    intact: intact.contains(&g.id),
                })
            })
            .collect();
        let locked = u.locked_until.is_some_and(|t| t > chrono::Utc::now());
        Ok(UserView {
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            disabled: u.disabled,
            must_change_password: u.must_change_password,
            locked,
            member_id: u.member_id,
            grants,
            clearance: honglian_domain::platform::labels::SecurityLabel::from_code(
                &honglian_store::repo::platform::labels::clearance_of(db, u.id).await?,
            )
            .unwrap_or(honglian_domain::platform::labels::SecurityLabel::General),
            created_at: u.created_at,
        })
    }

    pub async fn user_list(&self, ctx: &Ctx, q: UserQuery) -> AppResult<Page<UserView>> {
        ctx.actor()?.require(Permission::UserRead)?;
        let page = users::list(
            &self.db,
            q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()),
            PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into)),
        )
        .await?;
        let mut items = Vec::with_capacity(page.items.len());
        for u in page.items {
            items.push(self.user_view(&self.db, u).await?);
        }
        Ok(Page { items, total: page.total })
    }

    pub async fn user_get(&self, ctx: &Ctx, id: i64) -> AppResult<UserView> {
        ctx.actor()?.require(Permission::UserRead)?;
        let u = users::get(&self.db, id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        self.user_view(&self.db, u).await
    }

    /// Creates a user. From the API (security admin) the password must be changed
    /// at first login; from the command line (`ctx` without actor) too, unless `demo`.
    pub async fn user_create(&self, ctx: &Ctx, input: NewUser, demo: bool) -> AppResult<UserView> {
        if let Some(a) = &ctx.actor {
            a.require(Permission::UserWrite)?;
        }
        let username = check_username(&input.username).map_err(|m| AppError::field("username", m))?;
        let display_name =
            required_text(&input.display_name, "姓名", 50).map_err(|m| AppError::field("display_name", m))?;
        if !demo {
            self.config
                .security
                .password_policy
                .check(&input.password, &username)
                .map_err(|m| AppError::field("password", m))?;
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        if users::by_username(&txn, &username).await?.is_some() {
            return Err(AppError::Conflict {
                title: "用户名已存在".into(),
                errors: honglian_domain::FieldErrors::single("username", "用户名已存在"),
            });
        }
        // One account per member (a member's own record is reached through it).
        if let Some(m) = input.member_id
            && users::by_member(&txn, m).await?.is_some()
        {
            return Err(AppError::Conflict {
                title: "该党员已有账号".into(),
                errors: honglian_domain::FieldErrors::single("member_id", "该党员已有账号"),
            });
        }
        let u = users::insert(&txn, &username, &display_name, hash_password(&input.password), !demo, input.member_id)
            .await?;
        self.audit(&txn, ctx, Event::ok("user.create", "user", u.id).with(serde_json::json!({"username": username})))
            .await?;
        let v = self.user_view(&txn, u).await?;
        txn.commit().await?;
        Ok(v)
    }

    pub async fn user_update(&self, ctx: &Ctx, id: i64, patch: UserPatch) -> AppResult<UserView> {
        ctx.actor()?.require(Permission::UserWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let u = users::get(&txn, id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        if patch.disabled == Some(true) && ctx.actor_id() == Some(id) {
            return Err(AppError::field("disabled", "不能停用自己的账号"));
        }
        let name = match patch.display_name {
            Some(n) => required_text(&n, "姓名", 50).map_err(|m| AppError::field("display_name", m))?,
            None => u.display_name.clone(),
        };
        let disabled = patch.disabled.unwrap_or(u.disabled);
        let u = users::update_profile(&txn, u, name, disabled).await?;
        if disabled {
            sessions::delete_others(&txn, id, None).await?;
        }
        self.audit(&txn, ctx, Event::ok("user.update", "user", id).with(serde_json::json!({"disabled": disabled})))
            .await?;
        let v = self.user_view(&txn, u).await?;
        txn.commit().await?;
        Ok(v)
    }

    /// Resets a password; the user must change it at next login and is signed out everywhere.
    pub async fn user_reset_password(&self, ctx: &Ctx, id: i64, password: &str) -> AppResult<()> {
        if let Some(a) = &ctx.actor {
            a.require(Permission::UserWrite)?;
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let u = users::get(&txn, id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        self.config
            .security
            .password_policy
            .check(password, &u.username)
            .map_err(|m| AppError::field("new_password", m))?;
        users::set_password(&txn, u, hash_password(password), true).await?;
        sessions::delete_others(&txn, id, None).await?;
        self.audit(&txn, ctx, Event::ok("user.reset_password", "user", id)).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Resets a user's second factor (a lost phone): the secret goes, confirmed or pending; their next
    /// login asks for the password only, and where the policy requires a second factor they must set
    /// up a new one before anything else. Not one's own (that is switched off with a code, on 我的账户).
    pub async fn user_reset_second_factor(&self, ctx: &Ctx, id: i64) -> AppResult<()> {
        ctx.actor()?.require(Permission::UserWrite)?;
        if ctx.actor_id() == Some(id) {
            return Err(AppError::Forbidden("不能重置自己的两步验证，请在“我的账户”中关闭后重新开启".into()));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        let u = users::get(&txn, id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        if u.totp_secret_enc.is_none() {
            return Err(AppError::conflict("该用户未开启两步验证"));
        }
        let was_enabled = u.totp_confirmed_at.is_some();
        users::clear_totp(&txn, u).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("user.reset_second_factor", "user", id).with(serde_json::json!({"was_enabled": was_enabled})),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    pub async fn grant_add(&self, ctx: &Ctx, user_id: i64, g: NewGrant) -> AppResult<UserView> {
        if let Some(a) = &ctx.actor {
            a.require(Permission::UserWrite)?;
        }
        let role = Role::from_code(&g.role).ok_or_else(|| AppError::field("role", format!("角色“{}”无效", g.role)))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let u = users::get(&txn, user_id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        if ctx.actor_id() == Some(user_id) {
            return Err(AppError::Forbidden("不能给自己授权".into()));
        }
        // The grant's organisation (its path scopes an enterprise contact's enterprise).
        let org = if role.needs_org() {
            let id = g.org_id.ok_or_else(|| AppError::field("org_id", "该角色须指定管理的党组织"))?;
            #[allow(
                clippy::disallowed_methods,
                reason = "the command line and the demo loader (no actor) grant anywhere"
            )]
            let tree = match &ctx.actor {
                Some(a) => a.deployment_wide(Permission::UserWrite)?,
                None => Scope::All(honglian_store::Unscoped::system()),
            };
            match orgs::get(&txn, &tree, id).await? {
                Some(o) if o.status == "active" => Some(o),
                _ => return Err(AppError::field("org_id", "党组织不存在或已撤销")),
            }
        } else {
            if g.org_id.is_some() {
                return Err(AppError::field("org_id", "该角色不按党组织授权"));
            }
            None
        };
        let org_id = org.as_ref().map(|o| o.id);
        // A department handler acts for one department of the county their grant names.
        let department_id = match (role, g.department_id) {
            (Role::DepartmentHandler, Some(d)) => {
                let org = org_id.expect("a handler's grant names the county");
                let county = orgs::get(&txn, &Scope::Paths(vec![format!("/{org}/")]), org).await?;
                if county.as_ref().is_none_or(|c| c.parent_id.is_some()) {
                    return Err(AppError::field("org_id", "部门经办人按县（市）授权，请选择县（市）级党委"));
                }
                let county = county.expect("checked");
                if departments::get(&txn, &Scope::Paths(vec![county.path.clone()]), d).await?.is_none() {
                    return Err(AppError::field("department_id", "请选择本县（市）的部门"));
                }
                Some(d)
            }
            (Role::DepartmentHandler, None) => {
                return Err(AppError::field("department_id", "部门经办人须指定所在部门"));
            }
            (_, Some(_)) => return Err(AppError::field("department_id", "只有部门经办人按部门授权")),
            (_, None) => None,
        };
        // An enterprise contact speaks for one enterprise registered under their grant's organisation.
        let host_id = match (role, g.host_id) {
            (Role::EnterpriseContact, Some(h)) => {
                let org = org.as_ref().expect("an enterprise contact's grant names an organisation");
                if hosts::get(&txn, &Scope::Paths(vec![org.path.clone()]), h).await?.is_none() {
                    return Err(AppError::field("host_id", "请从该党组织的覆盖台账中选择企业"));
                }
                Some(h)
            }
            (Role::EnterpriseContact, None) => return Err(AppError::field("host_id", "企业联络人须指定所在企业")),
            (_, Some(_)) => return Err(AppError::field("host_id", "只有企业联络人按企业授权")),
            (_, None) => None,
        };
        if role == Role::Member && u.member_id.is_none() {
            return Err(AppError::field("role", "该账号未关联党员档案，不能授予党员角色"));
        }
        let existing: Vec<Role> =
            users::grants_of(&txn, user_id).await?.iter().filter_map(|g| Role::from_code(&g.role)).collect();
        check_new_grant(&existing, role).map_err(|m| AppError::field("role", m))?;
        let grant =
            users::add_grant(&txn, user_id, role.code(), org_id, department_id, host_id, ctx.actor_id()).await?;
        self.stamp(&txn, Protected::Grants, &[grant.id]).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("grant.add", "user", user_id)
                .with(serde_json::json!({"grant_id": grant.id, "role": role.code(), "org_id": org_id, "department_id": department_id, "host_id": host_id})),
        )
        .await?;
        let v = self.user_view(&txn, u).await?;
        txn.commit().await?;
        Ok(v)
    }

    /// The enterprises an enterprise contact's grant over `org` may name: the names (nothing else) of
    /// the hosts registered in its subtree, at most 50, for the security admin adding the grant.
    pub async fn grant_hosts(&self, ctx: &Ctx, q: GrantHostsQuery) -> AppResult<Vec<HostName>> {
        let tree = ctx.actor()?.deployment_wide(Permission::UserWrite)?;
        let org = orgs::get(&self.db, &tree, q.org.get()).await?.ok_or_else(|| AppError::not_found("党组织"))?;
        let found = hosts::list(
            &self.db,
            &Scope::Paths(vec![org.path]),
            &hosts::HostFilter { q: q.q.filter(|s| !s.trim().is_empty()), ..Default::default() },
            PageReq::new(Some(1), Some(50)),
        )
        .await?;
        Ok(found.items.into_iter().map(|h| HostName { id: h.id, name: h.name }).collect())
    }

    pub async fn grant_remove(&self, ctx: &Ctx, user_id: i64, grant_id: i64) -> AppResult<UserView> {
        ctx.actor()?.require(Permission::UserWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let g = match users::get_grant(&txn, grant_id).await? {
            Some(g) if g.user_id == user_id => g,
            _ => return Err(AppError::not_found("授权")),
        };
        if ctx.actor_id() == Some(user_id) {
            return Err(AppError::Forbidden("不能撤销自己的授权".into()));
        }
        users::delete_grant(&txn, grant_id).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("grant.remove", "user", user_id)
                .with(serde_json::json!({"grant_id": grant_id, "role": g.role, "org_id": g.org_id})),
        )
        .await?;
        let u = users::get(&txn, user_id).await?.ok_or_else(|| AppError::not_found("用户"))?;
        let v = self.user_view(&txn, u).await?;
        txn.commit().await?;
        Ok(v)
    }

    pub async fn user_count(&self) -> AppResult<u64> {
        Ok(users::count(&self.db).await?)
    }

    pub async fn user_by_name(&self, username: &str) -> AppResult<Option<User>> {
        Ok(users::by_username(&self.db, username).await?)
    }
}
