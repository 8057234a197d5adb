//! Hometown: Wuchuan's programmes — 回乡工程's investment drives and project leads, 关爱工程's care fund,
//! 先锋工程's honours.

pub mod care;
pub mod honours;
pub mod investment;

use std::ops::RangeInclusive;

use honglian_domain::FieldErrors;
use honglian_domain::goals::grant::Fen;
use honglian_domain::platform::authz::Permission;

use crate::platform::audit::Event;
use crate::{App, AppError, AppResult, Ctx};

/// A county's number of days (the unmoved-lead reminder, the public notice): its key, range, default
/// and what it is called.
pub(crate) struct CountyDays {
    pub key: &'static str,
    pub range: RangeInclusive<u32>,
    pub default: u32,
    /// The field of the request that sets it, and its name in messages.
    pub field: &'static str,
    pub label: &'static str,
}

/// An amount typed in yuan, checked by `check`; the message goes under `field`.
pub(crate) fn yuan_field(
    e: &mut FieldErrors,
    field: &str,
    s: &str,
    check: impl FnOnce(Fen) -> Result<(), String>,
) -> Option<Fen> {
    let f = e.check(field, Fen::parse_yuan(s))?;
    e.check(field, check(f)).map(|_| f)
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
