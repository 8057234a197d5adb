//! Portal: the member's own views for the phone app under /m/.

use utoipa_axum::router::OpenApiRouter;

use super::AppState;

mod bulletins;
mod greetings;
mod invitations;
mod learning;
mod me;

/// The routes of this area.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(bulletins::routes())
        .merge(greetings::routes())
        .merge(invitations::routes())
        .merge(learning::routes())
        .merge(me::routes())
}
