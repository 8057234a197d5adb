//! Organisation use cases: create, edit, move with the subtree, dissolve, browse.

use chrono::NaiveDate;
use honglian_domain::FieldErrors;
use honglian_domain::organisations::org::{HostKind, OrgKind, OrgStatus};
use honglian_domain::platform::authz::Permission;
use honglian_domain::region::Location;
use honglian_domain::validation::{optional_text, required_text};
use honglian_domain::{PageNo, PerPage, RecordId};
use honglian_store::Scope;
use honglian_store::repo::organisations::orgs::{self, Org, OrgFields, OrgFilter};
use honglian_store::repo::{Page, PageReq};

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// An organisation as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub path: String,
    pub name: String,
    pub kind: OrgKind,
    pub kind_label: String,
    pub host_kind: HostKind,
    pub host_kind_label: String,
    pub host_name: Option<String>,
    pub province_code: Option<String>,
    pub city_code: Option<String>,
    pub county_code: Option<String>,
    /// "广东省 广州市 天河区".
    pub location: String,
    pub secretary: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub contact: Option<String>,
    pub status: OrgStatus,
    /// Active child organisations.
    pub child_count: u64,
    /// Members in normal status directly in this organisation.
    pub member_count: u64,
}

pub(crate) fn view(o: Org, counts: (u64, u64)) -> OrgView {
    let kind = OrgKind::from_code(&o.kind).unwrap_or(OrgKind::Branch);
    let host_kind = HostKind::from_code(&o.host_kind).unwrap_or(HostKind::None);
    let location =
        Location { province: o.province_code.clone(), city: o.city_code.clone(), county: o.county_code.clone() }
            .display();
    OrgView {
        id: o.id,
        parent_id: o.parent_id,
        path: o.path,
        name: o.name,
        kind,
        kind_label: kind.label().into(),
        host_kind,
        host_kind_label: host_kind.label().into(),
        host_name: o.host_name,
        province_code: o.province_code,
        city_code: o.city_code,
        county_code: o.county_code,
        location,
        secretary: o.secretary,
        founded_on: o.founded_on,
        contact: o.contact,
        status: OrgStatus::from_code(&o.status).unwrap_or(OrgStatus::Active),
        child_count: counts.0,
        member_count: counts.1,
    }
}

/// Fields of an organisation as submitted; every field optional so that the
/// same shape serves create (missing = empty) and partial update (missing = unchanged).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct OrgInput {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub host_kind: Option<String>,
    pub host_name: Option<String>,
    pub province_code: Option<String>,
    pub city_code: Option<String>,
    pub county_code: Option<String>,
    pub secretary: Option<String>,
    pub founded_on: Option<NaiveDate>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NewOrg {
    #[schema(value_type = honglian_domain::RecordId)]
    pub parent_id: i64,
    #[serde(flatten)]
    pub fields: OrgInput,
}

impl OrgInput {
    /// Merges onto the current values (None keeps them) and validates the result.
    fn resolve(self, current: Option<&Org>) -> Result<OrgFields, FieldErrors> {
        let pick = |new: Option<String>, old: Option<&Option<String>>| -> Option<String> {
            match new {
                Some(v) => Some(v),
                None => old.cloned().flatten(),
            }
        };
        let mut e = FieldErrors::new();
        let name = e.check(
            "name",
            required_text(
                &pick(self.name, current.map(|c| Some(c.name.clone())).as_ref()).unwrap_or_default(),
                "组织名称",
                100,
            ),
        );
        let kind_code = pick(self.kind, current.map(|c| Some(c.kind.clone())).as_ref()).unwrap_or_default();
        let kind = match OrgKind::from_code(&kind_code) {
            Some(k) => Some(k),
            None => {
                e.add(
                    "kind",
                    if kind_code.is_empty() {
                        "请选择组织类型".to_string()
                    } else {
                        format!("组织类型“{kind_code}”无效")
                    },
                );
                None
            }
        };
        let host_code =
            pick(self.host_kind, current.map(|c| Some(c.host_kind.clone())).as_ref()).unwrap_or_else(|| "none".into());
        let host_kind = HostKind::from_code(&host_code);
        if host_kind.is_none() {
            e.add("host_kind", format!("依托单位类型“{host_code}”无效"));
        }
        let host_name = e
            .check(
                "host_name",
                optional_text(pick(self.host_name, current.map(|c| &c.host_name)).as_deref(), "依托单位名称", 100),
            )
            .flatten();
        if host_kind.is_some_and(|h| h != HostKind::None) && host_name.is_none() {
            e.add("host_name", "请填写依托单位名称");
        }
        let province = pick(self.province_code, current.map(|c| &c.province_code));
        let city = pick(self.city_code, current.map(|c| &c.city_code));
        let county = pick(self.county_code, current.map(|c| &c.county_code));
        let location = match Location::parse(province.as_deref(), city.as_deref(), county.as_deref()) {
            Ok(l) => Some(l),
            Err(errs) => {
                for (k, v) in errs.0 {
                    for m in v {
                        e.add(&k, m);
                    }
                }
                None
            }
        };
        let secretary = e
            .check(
                "secretary",
                optional_text(pick(self.secretary, current.map(|c| &c.secretary)).as_deref(), "书记", 50),
            )
            .flatten();
        let contact = e
            .check(
                "contact",
                optional_text(pick(self.contact, current.map(|c| &c.contact)).as_deref(), "联系方式", 100),
            )
            .flatten();
        let founded_on = self.founded_on.or(current.and_then(|c| c.founded_on));
        if founded_on.is_some_and(|d| d > crate::today()) {
            e.add("founded_on", "成立日期不能晚于今天");
        }
        e.into_result()?;
        let location = location.unwrap_or_default();
        Ok(OrgFields {
            name: name.unwrap_or_default(),
            kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
            host_kind: host_kind.map(|h| h.code().to_string()).unwrap_or_default(),
            host_name,
            province_code: location.province,
            city_code: location.city,
            county_code: location.county,
            secretary,
            founded_on,
            contact,
        })
    }
}

/// Query of the organisation list.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgQuery {
    /// Children of this organisation.
    pub parent: Option<RecordId>,
    /// Everything under this organisation (itself included).
    pub subtree: Option<RecordId>,
    /// Name contains.
    pub q: Option<String>,
    pub kind: Option<String>,
    pub status: Option<String>,
    pub page: Option<PageNo>,
    pub per_page: Option<PerPage>,
}

impl App {
    /// The organisation a subtree query is about: `org` when the caller holds `p` over it (else not
    /// found), or by default the caller's first top organisation.
    pub(crate) async fn subtree_root(&self, ctx: &Ctx, org: Option<i64>, p: Permission) -> AppResult<Org> {
        let actor = ctx.actor()?;
        let scope = actor.scope(p)?;
        let id = match org {
            Some(id) => id,
            None => *actor.roots(p).first().ok_or_else(AppError::forbidden)?,
        };
        self.org_in(&self.db, &scope, id).await
    }

    /// The names of organisations by id (for views that show them beside ids).
    pub(crate) async fn org_names(&self, ids: &[i64]) -> AppResult<std::collections::HashMap<i64, String>> {
        Ok(orgs::names(&self.db, ids).await?)
    }

    pub(crate) async fn org_in(&self, db: &impl sea_orm::ConnectionTrait, scope: &Scope, id: i64) -> AppResult<Org> {
        orgs::get(db, scope, id).await?.ok_or_else(|| AppError::not_found("党组织"))
    }

    async fn views(&self, list: Vec<Org>) -> AppResult<Vec<OrgView>> {
        let counts = orgs::counts(&self.db, &list).await?;
        Ok(list.into_iter().zip(counts).map(|(o, c)| view(o, c)).collect())
    }

    pub async fn org_get(&self, ctx: &Ctx, id: i64) -> AppResult<OrgView> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let o = self.org_in(&self.db, &scope, id).await?;
        Ok(self.views(vec![o]).await?.remove(0))
    }

    pub async fn org_list(&self, ctx: &Ctx, q: OrgQuery) -> AppResult<Page<OrgView>> {
        let scope = ctx.actor()?.scope(Permission::OrgRead)?;
        let subtree = match q.subtree.map(RecordId::get) {
            Some(id) => Some(self.org_in(&self.db, &scope, id).await?.path),
            None => None,
        };
        let f = OrgFilter {
            parent: q.parent.map(RecordId::get),
            subtree,
            q: q.q.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()),
            kind: q.kind.filter(|s| !s.is_empty()),
            status: q.status.filter(|s| !s.is_empty()),
        };
        let page =
            orgs::list(&self.db, &scope, &f, PageReq::new(q.page.map(Into::into), q.per_page.map(Into::into))).await?;
        Ok(Page { total: page.total, items: self.views(page.items).await? })
    }

    /// The top organisations the caller sees (their grant roots).
    pub async fn org_roots(&self, ctx: &Ctx) -> AppResult<Vec<OrgView>> {
        let actor = ctx.actor()?;
        let scope = actor.scope(Permission::OrgRead)?;
        let list = orgs::get_many(&self.db, &scope, &actor.roots(Permission::OrgRead)).await?;
        self.views(list).await
    }

    pub async fn org_create(&self, ctx: &Ctx, input: NewOrg) -> AppResult<OrgView> {
        let scope = ctx.actor()?.scope(Permission::OrgWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let parent = self.org_in(&txn, &scope, input.parent_id).await?;
        let fields = input.fields.resolve(None)?;
        check_can_parent(&parent, &fields.kind, "parent_id", "kind")?;
        let o = orgs::insert(&txn, Some(&parent), fields).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("org.create", "org", o.id).with(serde_json::json!({"name": o.name, "parent_id": parent.id})),
        )
        .await?;
        txn.commit().await?;
        Ok(view(o, (0, 0)))
    }

    /// Creates a top-level organisation; only from the command line (system context).
    pub async fn org_create_root(&self, ctx: &Ctx, input: OrgInput) -> AppResult<OrgView> {
        if ctx.actor.is_some() {
            return Err(AppError::forbidden());
        }
        let fields = input.resolve(None)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let o = orgs::insert(&txn, None, fields).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("org.create", "org", o.id).with(serde_json::json!({"name": o.name, "root": true})),
        )
        .await?;
        txn.commit().await?;
        Ok(view(o, (0, 0)))
    }

    pub async fn org_update(&self, ctx: &Ctx, id: i64, input: OrgInput) -> AppResult<OrgView> {
        let scope = ctx.actor()?.scope(Permission::OrgWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let current = self.org_in(&txn, &scope, id).await?;
        let fields = input.resolve(Some(&current))?;
        if fields.kind != current.kind {
            let kind = OrgKind::from_code(&fields.kind).unwrap_or(OrgKind::Branch);
            if let Some(parent) = current.parent_id {
                // The parent of an organisation the caller manages may lie above their scope.
                #[allow(clippy::disallowed_methods, reason = "the parent of an organisation the caller reached")]
                let above = Scope::All(honglian_store::Unscoped::system());
                let parent = orgs::get(&txn, &above, parent).await?.ok_or_else(|| AppError::not_found("上级组织"))?;
                check_can_parent(&parent, &fields.kind, "kind", "kind")?;
            }
            let kids = orgs::list(
                &txn,
                &Scope::Paths(vec![current.path.clone()]),
                &OrgFilter { parent: Some(id), status: Some("active".into()), ..Default::default() },
                PageReq::new(Some(1), Some(1000)),
            )
            .await?;
            if let Some(k) =
                kids.items.iter().filter_map(|k| OrgKind::from_code(&k.kind)).find(|k| !kind.allows_child(*k))
            {
                return Err(AppError::field("kind", format!("该组织下有{}，不能改为{}", k.label(), kind.label())));
            }
        }
        let o = orgs::update_fields(&txn, current, fields).await?;
        self.audit(&txn, ctx, Event::ok("org.update", "org", id).with(serde_json::json!({"name": o.name}))).await?;
        txn.commit().await?;
        Ok(self.views(vec![o]).await?.remove(0))
    }

    pub async fn org_move(&self, ctx: &Ctx, id: i64, new_parent_id: i64) -> AppResult<OrgView> {
        let scope = ctx.actor()?.scope(Permission::OrgWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let o = self.org_in(&txn, &scope, id).await?;
        if !parent_in(&scope, &o) {
            return Err(AppError::Forbidden("不能移动您所管理的最上级组织".into()));
        }
        let target = self.org_in(&txn, &scope, new_parent_id).await?;
        if target.path.starts_with(&o.path) {
            return Err(AppError::field("new_parent_id", "不能移动到本组织或其下级组织之下"));
        }
        if o.parent_id == Some(target.id) {
            return Err(AppError::field("new_parent_id", "该组织已在所选上级组织之下"));
        }
        check_can_parent(&target, &o.kind, "new_parent_id", "new_parent_id")?;
        orgs::move_subtree(&txn, &o, &target).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("org.move", "org", id)
                .with(serde_json::json!({"from_parent": o.parent_id, "to_parent": target.id})),
        )
        .await?;
        txn.commit().await?;
        self.org_get(ctx, id).await
    }

    pub async fn org_dissolve(&self, ctx: &Ctx, id: i64) -> AppResult<OrgView> {
        let scope = ctx.actor()?.scope(Permission::OrgWrite)?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let o = self.org_in(&txn, &scope, id).await?;
        if !parent_in(&scope, &o) {
            return Err(AppError::Forbidden("不能撤销您所管理的最上级组织".into()));
        }
        if o.status == "dissolved" {
            return Err(AppError::Conflict { title: "该组织已撤销".into(), errors: FieldErrors::new() });
        }
        let (children, members) = orgs::counts(&txn, std::slice::from_ref(&o)).await?[0];
        if members > 0 || children > 0 {
            let mut why = Vec::new();
            if members > 0 {
                why.push(format!("仍有 {members} 名党员"));
            }
            if children > 0 {
                why.push(format!("仍有 {children} 个下级组织"));
            }
            return Err(AppError::Conflict {
                title: format!("不能撤销：{}，请先转出或撤销", why.join("、")),
                errors: FieldErrors::new(),
            });
        }
        let o = orgs::set_status(&txn, o, "dissolved").await?;
        self.audit(&txn, ctx, Event::ok("org.dissolve", "org", id).with(serde_json::json!({"name": o.name}))).await?;
        txn.commit().await?;
        Ok(view(o, (0, 0)))
    }
}

/// Whether the organisation's parent lies in the scope too: nobody moves or
/// dissolves the top of their own scope.
fn parent_in(scope: &Scope, o: &Org) -> bool {
    let own = format!("{}/", o.id);
    match o.path.strip_suffix(&own) {
        Some(parent_path) if o.parent_id.is_some() => scope.contains(parent_path),
        _ => false,
    }
}

/// Whether `parent` may take a child of kind `child_kind`; errors name `status_field`
/// (parent dissolved) or `kind_field` (kinds that do not nest).
fn check_can_parent(parent: &Org, child_kind: &str, status_field: &str, kind_field: &str) -> AppResult<()> {
    if parent.status != "active" {
        return Err(AppError::field(status_field, "上级组织已撤销"));
    }
    let (Some(p), Some(c)) = (OrgKind::from_code(&parent.kind), OrgKind::from_code(child_kind)) else {
        return Ok(());
    };
    if p.allows_child(c) {
        return Ok(());
    }
    let why = match (p, c) {
        (OrgKind::PartyGroup, _) => "党小组下不能设立下级组织",
        (OrgKind::Branch | OrgKind::JointBranch, _) => "党支部和联合党支部下只能设立党小组",
        (_, OrgKind::PartyGroup) => "党小组只能设在党支部、联合党支部或党总支下",
        _ => "上级组织不能设立这类下级组织",
    };
    Err(AppError::field(kind_field, why))
}

/// A minimal organisation reference, for choosing the scope of a grant.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgRef {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub path: String,
}

impl App {
    /// Name search over all active organisations, names and kinds only (no counts,
    /// no member data): for the security admin's grant dialog, and for choosing a
    /// receiving organisation elsewhere in the tree when registering an outflow.
    pub async fn org_lookup(&self, ctx: &Ctx, q: &str) -> AppResult<Vec<OrgRef>> {
        let actor = ctx.actor()?;
        if !actor.has(Permission::UserWrite) && !actor.has(Permission::MemberWrite) {
            return Err(AppError::forbidden());
        }
        let f = OrgFilter {
            q: Some(q.trim().to_string()).filter(|s| !s.is_empty()),
            status: Some("active".into()),
            ..Default::default()
        };
        // Names and kinds of the whole tree (no counts, no members): a grant or an outflow may name
        // any organisation of the deployment.
        #[allow(
            clippy::disallowed_methods,
            reason = "names of any organisation, for grants and receiving organisations"
        )]
        let tree = Scope::All(honglian_store::Unscoped::system());
        let page = orgs::list(&self.db, &tree, &f, PageReq::new(Some(1), Some(20))).await?;
        Ok(page
            .items
            .into_iter()
            .map(|o| OrgRef {
                id: o.id,
                name: o.name,
                kind: OrgKind::from_code(&o.kind).unwrap_or(OrgKind::Branch),
                path: o.path,
            })
            .collect())
    }
}

/// Organisation paths by id, for the scope check of hot reads (the member list), each kept with the
/// organisations' version (`org_tree_version`) it was read at. A path serves only a request checked
/// at that same version ([`crate::Actor::tree_version`], read on every request with the session), and
/// every move bumps the version in its transaction: a path moved through any instance is never used
/// by another one after the move has committed.
pub(crate) type OrgPathCache = crate::platform::auth::VersionedCache<i64, i64, String>;

impl App {
    /// The path of an organisation (None: there is none), for a request checked at the organisations'
    /// version `at` ([`crate::Actor::tree_version`]): from [`OrgPathCache`] when read at that version.
    pub(crate) async fn org_path(&self, at: i64, id: i64) -> AppResult<Option<String>> {
        if let Some(p) = self.org_paths.get(&id, at) {
            return Ok(Some(p));
        }
        // Only compared with the caller's scope by the callers.
        #[allow(clippy::disallowed_methods, reason = "a path compared with the caller's scope, never shown")]
        let any = Scope::All(honglian_store::Unscoped::system());
        // Read after `at` was: a move committed since gives a newer path, kept under the older version
        // (used by no later request, which reads the newer version).
        let path = orgs::get(&self.db, &any, id).await?.map(|o| o.path);
        if let Some(p) = &path {
            self.org_paths.put(id, at, p.clone());
        }
        Ok(path)
    }
}
