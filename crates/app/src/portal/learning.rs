//! 学习: the county's online learning venues (a county setting its county admin edits as one list) and a
//! member's own, voluntary "I visited" marks, which only that member sees. No points, no rankings, no
//! time counting.

use chrono::NaiveDate;
use honglian_domain::platform::authz::Permission;
use honglian_domain::portal::learning::{Venue, VenueInput, check_venues};
use honglian_store::repo::portal::learning;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::platform::audit::Event;
use crate::platform::crypto::random_token;
use crate::platform::settings::county_of;
use crate::{App, AppError, AppResult, Ctx};

/// The county setting that holds the venues (JSON list of [`Venue`]).
pub(crate) const SETTING_VENUES: &str = "learning_venues";

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct LearningVenues {
    pub venues: Vec<Venue>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LearningVenuesInput {
    pub venues: Vec<VenueInput>,
}

/// A venue as the member sees it, with their own mark.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyVenue {
    #[serde(flatten)]
    pub venue: Venue,
    /// The day the member marked it visited (their own note; nobody else sees it).
    pub visited_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyLearning {
    pub venues: Vec<MyVenue>,
    /// How many of them the member has marked.
    pub visited: usize,
}

impl App {
    async fn county_venues(&self, county: Option<i64>) -> AppResult<Vec<Venue>> {
        Ok(match self.county_setting(SETTING_VENUES, county).await? {
            Some(v) => serde_json::from_str(&v).unwrap_or_default(),
            None => Vec::new(),
        })
    }

    /// The venues of the caller's county, to edit (its county admin).
    pub async fn learning_venues(&self, ctx: &Ctx) -> AppResult<LearningVenues> {
        let county = self.writer_county(ctx, Permission::SettingsBusiness)?;
        Ok(LearningVenues { venues: self.county_venues(Some(county)).await? })
    }

    /// Replaces the venues of the caller's county; a venue keeps its key (and members their marks) while
    /// it stays in the list.
    pub async fn set_learning_venues(&self, ctx: &Ctx, input: LearningVenuesInput) -> AppResult<LearningVenues> {
        let county = self.writer_county(ctx, Permission::SettingsBusiness)?;
        let venues = check_venues(input.venues, || random_token(9).replace(['-', '_'], "x"))?;
        let txn = honglian_store::begin_write(&self.db).await?;
        self.set_county_setting(&txn, SETTING_VENUES, county, &serde_json::to_string(&venues).unwrap_or_default())
            .await?;
        let names: Vec<&str> = venues.iter().map(|v| v.name.as_str()).collect();
        self.audit(
            &txn,
            ctx,
            Event::ok("settings.learning_venues", "settings", SETTING_VENUES)
                .with(serde_json::json!({"county": county, "venues": names})),
        )
        .await?;
        txn.commit().await?;
        Ok(LearningVenues { venues })
    }

    /// The venues of the member's county with their own marks.
    pub async fn my_learning(&self, ctx: &Ctx) -> AppResult<MyLearning> {
        let venues = self.my_venues(ctx).await?;
        self.with_marks(ctx, venues).await
    }

    /// The venues of the member's county (a member account only).
    async fn my_venues(&self, ctx: &Ctx) -> AppResult<Vec<Venue>> {
        let m = self.own_member(&self.db, ctx).await?;
        self.county_venues(county_of(&m.org_path)).await
    }

    async fn with_marks(&self, ctx: &Ctx, venues: Vec<Venue>) -> AppResult<MyLearning> {
        let marks = learning::marks_of(&self.db, ctx.actor()?.user_id).await?;
        let venues: Vec<MyVenue> = venues
            .into_iter()
            .map(|v| {
                let visited_on = marks.iter().find(|(k, _)| *k == v.key).map(|(_, d)| *d);
                MyVenue { venue: v, visited_on }
            })
            .collect();
        let visited = venues.iter().filter(|v| v.visited_on.is_some()).count();
        Ok(MyLearning { venues, visited })
    }

    /// Marks (or, with `visited` false, unmarks) a venue of the member's county as visited.
    pub async fn my_learning_mark(&self, ctx: &Ctx, key: &str, visited: bool) -> AppResult<MyLearning> {
        let venues = self.my_venues(ctx).await?;
        if !venues.iter().any(|v| v.key == key) {
            return Err(AppError::not_found("学习场馆"));
        }
        let user = ctx.actor()?.user_id;
        let txn = honglian_store::begin_write(&self.db).await?;
        if visited {
            learning::mark(&txn, user, key, crate::today()).await?;
        } else {
            learning::unmark(&txn, user, key).await?;
        }
        txn.commit().await?;
        self.with_marks(ctx, venues).await
    }
}
