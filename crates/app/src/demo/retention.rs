//! The demo's departed members and the PIPL retention period: of Wuchuan's members who died (the first two
//! by id), one died longer ago than the period (the first hourly round erases their personal fields: the audit log shows a
//! `member.erase_personal` system event) and one died last month (kept; their record shows the day the
//! period ends, and 删除个人信息 erases them at once). The others died on the day the demo was loaded.

use chrono::Months;
use honglian_domain::members::member::MemberStatus;
use honglian_domain::members::retention::DEFAULT_RETENTION_YEARS;
use honglian_store::Scope;
use honglian_store::repo::members::retention as repo;
use honglian_store::repo::organisations::orgs::Org;
use sea_orm::ConnectionTrait;

use crate::{App, AppResult};

impl App {
    pub(crate) async fn demo_departed(&self, txn: &impl ConnectionTrait, wuchuan: &Org) -> AppResult<()> {
        let years = match self.config.security.privacy.retention_years {
            0 => DEFAULT_RETENTION_YEARS,
            n => n,
        };
        let today = crate::today();
        let wc = Scope::Paths(vec![wuchuan.path.clone()]);
        let departed = repo::departed(txn, &wc, MemberStatus::Deceased, 2).await?;
        let days = [
            today.checked_sub_months(Months::new(years * 12 + 4)).unwrap_or(today),
            today - chrono::Duration::days(40),
        ];
        for (id, day) in departed.into_iter().zip(days) {
            repo::set_left_on(txn, id, day).await?;
        }
        Ok(())
    }
}
