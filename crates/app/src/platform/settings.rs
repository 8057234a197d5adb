//! Settings that change rules or money belong to one county (DESIGN.md, "Settings have an owner"):
//! each is stored under its key and the county's root organisation (`member_tags@1`), changed only
//! by someone who holds the permission over that root, and read for the county a record or a
//! caller belongs to. A value stored under the bare key (before settings had owners) is the
//! deployment-wide fallback; the code's defaults come after it.

use std::ops::RangeInclusive;

use honglian_domain::platform::authz::Permission;
use honglian_store::Scope;
use honglian_store::repo::platform::settings;
use sea_orm::ConnectionTrait;

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// The county (root organisation id) of an organisation path `/1/7/12/`.
pub(crate) fn county_of(path: &str) -> Option<i64> {
    path.split('/').nth(1)?.parse().ok()
}

/// A county's number of days (the unmoved-lead reminder, a public notice, a time limit of recruitment): its key, range, default
/// and what it is called.
pub(crate) struct CountyDays {
    pub key: &'static str,
    pub range: RangeInclusive<u32>,
    pub default: u32,
    /// The field of the request that sets it, and its name in messages.
    pub field: &'static str,
    pub label: &'static str,
}

fn county_key(key: &str, county: i64) -> String {
    format!("{key}@{county}")
}

impl App {
    /// The county whose settings the caller reads: that of their first organisation.
    pub(crate) fn reader_county(&self, ctx: &Ctx) -> AppResult<Option<i64>> {
        let actor = ctx.actor()?;
        Ok(actor.grants.iter().filter_map(|g| g.org_path.as_deref()).find_map(county_of))
    }

    /// The county whose setting the caller changes with `p`: one whose root organisation lies in
    /// their scope for `p`. A county admin of one county never changes another's; a grant below a
    /// county's root does not own the county's settings.
    pub(crate) fn writer_county(&self, ctx: &Ctx, p: Permission) -> AppResult<i64> {
        let Scope::Paths(paths) = ctx.actor()?.scope(p)? else {
            return Err(AppError::forbidden());
        };
        paths
            .iter()
            .find(|path| path.matches('/').count() == 2)
            .and_then(|path| county_of(path))
            .ok_or_else(|| AppError::Forbidden("县级业务配置须由本县（市）的县级管理员修改".into()))
    }

    /// The county's value of a setting, else the deployment-wide one.
    pub(crate) async fn county_setting(&self, key: &str, county: Option<i64>) -> AppResult<Option<String>> {
        county_setting_in(&self.db, key, county).await
    }

    pub(crate) async fn set_county_setting(
        &self,
        txn: &impl ConnectionTrait,
        key: &str,
        county: i64,
        value: &str,
    ) -> AppResult<()> {
        Ok(settings::set(txn, &county_key(key, county), value).await?)
    }
}

/// [`App::county_setting`] read through `db`: inside a write transaction, its own connection (a
/// second connection from the pool while the transaction holds one can starve the pool when every
/// connection is held by a transaction waiting for another).
pub(crate) async fn county_setting_in(
    db: &impl ConnectionTrait,
    key: &str,
    county: Option<i64>,
) -> AppResult<Option<String>> {
    if let Some(c) = county
        && let Some(v) = settings::get(db, &county_key(key, c)).await?
    {
        return Ok(Some(v));
    }
    Ok(settings::get(db, key).await?)
}

impl App {
    /// The county's value of a day count, else its default.
    pub(crate) async fn county_days(&self, d: &CountyDays, county: Option<i64>) -> AppResult<u32> {
        Ok(self
            .county_setting(d.key, county)
            .await?
            .and_then(|v| v.parse().ok())
            .filter(|n| d.range.contains(n))
            .unwrap_or(d.default))
    }

    /// Sets the caller's county's day count (its county admin, `settings.business`), audited.
    pub(crate) async fn set_county_days(&self, ctx: &Ctx, d: &CountyDays, value: u32) -> AppResult<()> {
        let county = self.writer_county(ctx, Permission::SettingsBusiness)?;
        if !d.range.contains(&value) {
            return Err(AppError::field(
                d.field,
                format!("{}须为 {} 到 {} 之间的整数", d.label, d.range.start(), d.range.end()),
            ));
        }
        let txn = honglian_store::begin_write(&self.db).await?;
        self.set_county_setting(&txn, d.key, county, &value.to_string()).await?;
        self.audit(
            &txn,
            ctx,
            Event::ok("hometown.settings", "setting", d.key).with(serde_json::json!({d.field: value})),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::county_of;

    #[test]
    fn the_county_is_the_root_of_the_path() {
        assert_eq!(county_of("/1/7/12/"), Some(1));
        assert_eq!(county_of("/23/"), Some(23));
        assert_eq!(county_of(""), None);
    }
}
