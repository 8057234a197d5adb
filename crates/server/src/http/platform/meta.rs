//! Reference data and code lists the forms need; business settings (member tags).

use axum::extract::State;
use honglian_domain::members::member::{Education, Gender, MemberCategory, MemberStatus};
use honglian_domain::organisations::org::{HostKind, OrgKind, OrgStatus};
use honglian_domain::region::RegionNode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::http::AppState;
use crate::http::error::ApiResult;
use crate::http::extract::{Auth, Json};

#[derive(Debug, Serialize, ToSchema)]
pub struct CodeLabel {
    pub code: String,
    pub label: String,
}

/// Code lists the forms need.
#[derive(Debug, Serialize, ToSchema)]
pub struct Meta {
    pub org_kinds: Vec<CodeLabel>,
    pub host_kinds: Vec<CodeLabel>,
    pub org_statuses: Vec<CodeLabel>,
    pub member_statuses: Vec<CodeLabel>,
    pub member_categories: Vec<CodeLabel>,
    pub genders: Vec<CodeLabel>,
    pub educations: Vec<CodeLabel>,
    pub member_tags: Vec<String>,
    /// Province → city → county (GB/T 2260).
    pub regions: Vec<RegionNode>,
    pub outflow_reasons: Vec<CodeLabel>,
    pub contact_kinds: Vec<CodeLabel>,
    pub activity_kinds: Vec<CodeLabel>,
    /// Months without contact after which a mobile member is 失联.
    pub lost_contact_months: u32,
    /// Activities ending longer ago than this need approval to be recorded.
    pub backdate_days: i64,
    /// Check-in opens this long before the start and closes this long after the end.
    pub checkin_margin_minutes: i64,
}

macro_rules! options {
    ($t:ty) => {
        <$t>::ALL.iter().map(|x| CodeLabel { code: x.code().into(), label: x.label().into() }).collect()
    };
}

/// Reference data: kinds, statuses, tags and regions.
#[utoipa::path(get, path = "/meta", tag = "meta", responses((status = 200, body = Meta)))]
async fn meta(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Meta>> {
    Ok(axum::Json(Meta {
        org_kinds: options!(OrgKind),
        host_kinds: options!(HostKind),
        org_statuses: options!(OrgStatus),
        member_statuses: options!(MemberStatus),
        member_categories: options!(MemberCategory),
        genders: options!(Gender),
        educations: options!(Education),
        member_tags: s.app.member_tags(&auth.0).await?,
        regions: honglian_domain::region::tree(),
        outflow_reasons: options!(honglian_domain::members::mobility::OutflowReason),
        contact_kinds: options!(honglian_domain::members::mobility::ContactKind),
        activity_kinds: options!(honglian_domain::org_life::duty::ActivityKind),
        lost_contact_months: s.app.config.lost_contact_months,
        backdate_days: s.app.config.backdate_days,
        checkin_margin_minutes: honglian_app::org_life::activities::CHECKIN_MARGIN_MINUTES,
    }))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct MemberTags {
    pub tags: Vec<String>,
}

/// Replace the list of member tags (county admin).
#[utoipa::path(put, path = "/settings/member-tags", tag = "meta", request_body = MemberTags, responses((status = 200, body = MemberTags)))]
async fn set_member_tags(
    State(s): State<AppState>,
    auth: Auth,
    Json(body): Json<MemberTags>,
) -> ApiResult<axum::Json<MemberTags>> {
    Ok(axum::Json(MemberTags { tags: s.app.set_member_tags(&auth.0, body.tags).await? }))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(meta)).routes(routes!(set_member_tags))
}
