//! Members: the registry, mobility, ledgers, census, statistics, import.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod census;
mod imports;
mod labels;
mod ledgers;
mod mobility;
mod registry;
mod reports;
mod retention;
mod stats;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(census::routes())
        .merge(imports::routes())
        .merge(labels::routes())
        .merge(ledgers::routes())
        .merge(mobility::routes())
        .merge(registry::routes())
        .merge(reports::routes())
        .merge(retention::routes())
        .merge(stats::routes())
}
