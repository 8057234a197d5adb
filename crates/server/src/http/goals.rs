//! Communities and goals: alliances and regional committees with their rotas, instructors and
//! visits, annual key task lists with computed lights, host entities and the two coverages.

use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::Response;
use honglian_app::communities::instructors::{
    AssignInput, CandidateQuery, CandidateView, InstructorGroupInput, InstructorGroupView, VisitInput, VisitQuery,
    VisitView,
};
use honglian_app::communities::registry::{
    CommunityDetail, CommunityMemberInput, CommunityView, HandoverInput, PartTimeMemberInput, PartTimeMemberView,
    RoleLabel, RotaList, RotaQuery, RotaSettingsInput, RotaView, SecretaryInput, SwapInput,
};
use honglian_app::goals::brands::{BrandGallery, BrandInput, BrandQuery, BrandView};
use honglian_app::goals::evaluations::{
    EvaluationDetail, EvaluationInput, EvaluationView, ReviewInput, ReviewView, ScoreInput,
};
use honglian_app::goals::grants::{AssessInput, DisburseInput, GrantQuery, IncentiveGrantView, ManualInput};
use honglian_app::goals::tasks::{
    EvidenceView, MeetingInput, MeetingView, NewTaskList, ProgressInput, TaskDetail, TaskInput, TaskListView, TaskPage,
    TaskQuery, TaskRollup,
};
use honglian_app::organisations::coverage::{
    CoverageCensusView, CoverageCheckInput, CoverageEntryView, CoverageQuery, CoverageStats, HostInput, HostQuery,
    HostView, NewCoverageCensus,
};
use honglian_domain::goals::grant::GrantCriteria;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::error::{ApiResult, Problem};
use super::extract::{Auth, Id, Ids, Json, Query};
use super::{AppState, ListResponse};

fn list<T: utoipa::ToSchema>(items: Vec<T>) -> axum::Json<ListResponse<T>> {
    axum::Json(ListResponse { total: items.len() as u64, items })
}

// --- Communities -------------------------------------------------------------------------------

/// Regional committees and chain alliances I see (as their organisation or as a member of them).
#[utoipa::path(get, path = "/communities", tag = "communities", responses((status = 200, body = ListResponse<CommunityView>)))]
async fn community_list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<CommunityView>>> {
    Ok(list(s.app.community_list(&auth.0, honglian_store::repo::communities::registry::COMMUNITY_KINDS).await?))
}

/// Industry-chain alliances I see.
#[utoipa::path(get, path = "/alliances", tag = "communities", responses((status = 200, body = ListResponse<CommunityView>)))]
async fn alliance_list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<CommunityView>>> {
    Ok(list(s.app.community_list(&auth.0, &["chain_alliance"]).await?))
}

/// A community: member organisations by role, part-time committee members, the rota.
#[utoipa::path(get, path = "/communities/{id}", tag = "communities", params(("id" = i64, Path)),
    responses((status = 200, body = CommunityDetail), (status = 404, body = Problem)))]
async fn community_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<CommunityDetail>> {
    Ok(axum::Json(s.app.community_get(&auth.0, id).await?))
}

/// Add an organisation (from anywhere in the tree) to the community, or change its role.
#[utoipa::path(put, path = "/communities/{id}/members", tag = "communities", params(("id" = i64, Path)), request_body = CommunityMemberInput,
    responses((status = 200, body = CommunityDetail), (status = 422, body = Problem)))]
async fn community_member_put(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<CommunityMemberInput>,
) -> ApiResult<axum::Json<CommunityDetail>> {
    s.app.community_member_put(&auth.0, id, b).await?;
    Ok(axum::Json(s.app.community_get(&auth.0, id).await?))
}

/// Remove an organisation from the community (it stays where it is in the tree).
#[utoipa::path(delete, path = "/communities/{id}/members/{org_id}", tag = "communities", params(("id" = i64, Path), ("org_id" = i64, Path)),
    responses((status = 200, body = CommunityDetail), (status = 404, body = Problem)))]
async fn community_member_remove(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, org): Ids,
) -> ApiResult<axum::Json<CommunityDetail>> {
    s.app.community_member_remove(&auth.0, id, org).await?;
    Ok(axum::Json(s.app.community_get(&auth.0, id).await?))
}

/// Add a part-time committee member (兼职委员) from a resident unit or department.
#[utoipa::path(post, path = "/communities/{id}/part-time-members", tag = "communities", params(("id" = i64, Path)), request_body = PartTimeMemberInput,
    responses((status = 201, body = PartTimeMemberView), (status = 422, body = Problem)))]
async fn part_time_member_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<PartTimeMemberInput>,
) -> ApiResult<(StatusCode, axum::Json<PartTimeMemberView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.part_time_member_add(&auth.0, id, b).await?)))
}

/// The "2+1+X+N" role labels.
#[utoipa::path(get, path = "/community-roles", tag = "communities", responses((status = 200, body = Vec<RoleLabel>)))]
async fn roles_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<Vec<RoleLabel>>> {
    auth.0.actor()?.require(honglian_domain::platform::authz::Permission::OrgRead)?;
    Ok(axum::Json(s.app.community_role_labels().await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RoleLabelInput {
    pub role: String,
    pub label: String,
}

/// Rename the "2+1+X+N" roles (county admin).
#[utoipa::path(put, path = "/community-roles", tag = "communities", request_body = Vec<RoleLabelInput>,
    responses((status = 200, body = Vec<RoleLabel>), (status = 422, body = Problem)))]
async fn roles_put(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<Vec<RoleLabelInput>>,
) -> ApiResult<axum::Json<Vec<RoleLabel>>> {
    let labels = b.into_iter().map(|l| RoleLabel { role: l.role, label: l.label }).collect();
    Ok(axum::Json(s.app.set_community_role_labels(&auth.0, labels).await?))
}

/// The rota of rotating secretaries: the terms overlapping [from, to].
#[utoipa::path(get, path = "/alliances/{id}/rota", tag = "communities", params(("id" = i64, Path), RotaQuery),
    responses((status = 200, body = RotaList), (status = 404, body = Problem)))]
async fn rota_get(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Query(q): Query<RotaQuery>,
) -> ApiResult<axum::Json<RotaList>> {
    Ok(axum::Json(s.app.rota_list(&auth.0, id, q).await?))
}

/// Set when the rota starts and how many months a term lasts (2 by default).
#[utoipa::path(put, path = "/alliances/{id}/rota", tag = "communities", params(("id" = i64, Path)), request_body = RotaSettingsInput,
    responses((status = 200, body = RotaView), (status = 422, body = Problem)))]
async fn rota_put(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<RotaSettingsInput>,
) -> ApiResult<axum::Json<RotaView>> {
    Ok(axum::Json(s.app.rota_settings(&auth.0, id, b).await?))
}

/// Name a rotating secretary (joins the end of the rota).
#[utoipa::path(post, path = "/alliances/{id}/secretaries", tag = "communities", params(("id" = i64, Path)), request_body = SecretaryInput,
    responses((status = 200, body = RotaView), (status = 422, body = Problem)))]
async fn secretary_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<SecretaryInput>,
) -> ApiResult<axum::Json<RotaView>> {
    Ok(axum::Json(s.app.secretary_add(&auth.0, id, b).await?))
}

/// Swap: another secretary takes a term, with a reason (audited).
#[utoipa::path(post, path = "/alliances/{id}/swaps", tag = "communities", params(("id" = i64, Path)), request_body = SwapInput,
    responses((status = 200, body = RotaView), (status = 422, body = Problem)))]
async fn rota_swap(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<SwapInput>,
) -> ApiResult<axum::Json<RotaView>> {
    Ok(axum::Json(s.app.rota_swap(&auth.0, id, b).await?))
}

/// A hand-over note for a term.
#[utoipa::path(post, path = "/alliances/{id}/handovers", tag = "communities", params(("id" = i64, Path)), request_body = HandoverInput,
    responses((status = 200, body = RotaView), (status = 422, body = Problem)))]
async fn handover_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<HandoverInput>,
) -> ApiResult<axum::Json<RotaView>> {
    Ok(axum::Json(s.app.handover_add(&auth.0, id, b).await?))
}

// --- Instructors ---------------------------------------------------------------------------------

/// Instructor groups I manage, or my own groups.
#[utoipa::path(get, path = "/instructor-groups", tag = "instructors", responses((status = 200, body = ListResponse<InstructorGroupView>)))]
async fn group_list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<InstructorGroupView>>> {
    Ok(list(s.app.instructor_groups(&auth.0).await?))
}

/// Users who may be put in an instructor group (business users, not members' or system accounts).
#[utoipa::path(get, path = "/instructor-candidates", tag = "instructors", params(CandidateQuery),
    responses((status = 200, body = ListResponse<CandidateView>)))]
async fn candidate_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<CandidateQuery>,
) -> ApiResult<axum::Json<ListResponse<CandidateView>>> {
    Ok(list(s.app.instructor_candidates(&auth.0, q).await?))
}

/// Form a group of 3–5 instructors (the first is the leader).
#[utoipa::path(post, path = "/instructor-groups", tag = "instructors", request_body = InstructorGroupInput,
    responses((status = 201, body = InstructorGroupView), (status = 422, body = Problem)))]
async fn group_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<InstructorGroupInput>,
) -> ApiResult<(StatusCode, axum::Json<InstructorGroupView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.instructor_group_create(&auth.0, b).await?)))
}

/// Assign an organisation to a group: its instructors see it from now on.
#[utoipa::path(post, path = "/instructor-groups/{id}/assignments", tag = "instructors", params(("id" = i64, Path)), request_body = AssignInput,
    responses((status = 200, body = InstructorGroupView), (status = 422, body = Problem)))]
async fn group_assign(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<AssignInput>,
) -> ApiResult<axum::Json<InstructorGroupView>> {
    Ok(axum::Json(s.app.instructor_assign(&auth.0, id, b).await?))
}

/// End an assignment.
#[utoipa::path(delete, path = "/instructor-groups/{id}/assignments/{org_id}", tag = "instructors", params(("id" = i64, Path), ("org_id" = i64, Path)),
    responses((status = 200, body = InstructorGroupView), (status = 404, body = Problem)))]
async fn group_unassign(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, org): Ids,
) -> ApiResult<axum::Json<InstructorGroupView>> {
    Ok(axum::Json(s.app.instructor_unassign(&auth.0, id, org).await?))
}

/// Visits (走访) to the organisations I see, newest first.
#[utoipa::path(get, path = "/visits", tag = "instructors", params(VisitQuery), responses((status = 200, body = ListResponse<VisitView>)))]
async fn visit_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<VisitQuery>,
) -> ApiResult<axum::Json<ListResponse<VisitView>>> {
    Ok(list(s.app.visit_list(&auth.0, q).await?))
}

/// Log a visit with findings and follow-ups.
#[utoipa::path(post, path = "/visits", tag = "instructors", request_body = VisitInput,
    responses((status = 201, body = VisitView), (status = 422, body = Problem)))]
async fn visit_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<VisitInput>,
) -> ApiResult<(StatusCode, axum::Json<VisitView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.visit_create(&auth.0, b).await?)))
}

/// The follow-ups of a visit are done.
#[utoipa::path(post, path = "/visits/{id}/close", tag = "instructors", params(("id" = i64, Path)),
    responses((status = 200, body = VisitView), (status = 404, body = Problem)))]
async fn visit_close(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<VisitView>> {
    Ok(axum::Json(s.app.visit_close(&auth.0, id).await?))
}

// --- Tasks ---------------------------------------------------------------------------------------

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// Default: this year.
    pub year: Option<i32>,
}

/// The key task lists of a year I see, with their lights.
#[utoipa::path(get, path = "/task-lists", tag = "tasks", params(YearQuery), responses((status = 200, body = ListResponse<TaskListView>)))]
async fn task_lists(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<YearQuery>,
) -> ApiResult<axum::Json<ListResponse<TaskListView>>> {
    Ok(list(s.app.task_lists(&auth.0, q.year).await?))
}

/// Issue a key task list for a year (the county or a committee).
#[utoipa::path(post, path = "/task-lists", tag = "tasks", request_body = NewTaskList,
    responses((status = 201, body = TaskListView), (status = 422, body = Problem)))]
async fn task_list_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<NewTaskList>,
) -> ApiResult<(StatusCode, axum::Json<TaskListView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.task_list_create(&auth.0, b).await?)))
}

/// Record a promotion meeting (推进会) and its decisions.
#[utoipa::path(post, path = "/task-lists/{id}/meetings", tag = "tasks", params(("id" = i64, Path)), request_body = MeetingInput,
    responses((status = 201, body = MeetingView), (status = 422, body = Problem)))]
async fn meeting_add(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<MeetingInput>,
) -> ApiResult<(StatusCode, axum::Json<MeetingView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.task_meeting_add(&auth.0, id, b).await?)))
}

/// The tasks of an organisation's subtree for a year, each with its computed light.
#[utoipa::path(get, path = "/tasks", tag = "tasks", params(TaskQuery), responses((status = 200, body = TaskPage)))]
async fn task_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<TaskQuery>,
) -> ApiResult<axum::Json<TaskPage>> {
    Ok(axum::Json(s.app.task_list(&auth.0, q).await?))
}

/// Add a task to a list: owner, co-organisations, deadline, weighted milestones.
#[utoipa::path(post, path = "/tasks", tag = "tasks", request_body = TaskInput,
    responses((status = 201, body = TaskDetail), (status = 422, body = Problem)))]
async fn task_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<TaskInput>,
) -> ApiResult<(StatusCode, axum::Json<TaskDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.task_create(&auth.0, b).await?)))
}

/// A task with its progress reports and evidence.
#[utoipa::path(get, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)),
    responses((status = 200, body = TaskDetail), (status = 404, body = Problem)))]
async fn task_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<TaskDetail>> {
    Ok(axum::Json(s.app.task_get(&auth.0, id).await?))
}

/// Edit a task (the list's issuer).
#[utoipa::path(patch, path = "/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), request_body = TaskInput,
    responses((status = 200, body = TaskDetail), (status = 422, body = Problem)))]
async fn task_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<TaskInput>,
) -> ApiResult<axum::Json<TaskDetail>> {
    Ok(axum::Json(s.app.task_update(&auth.0, id, b).await?))
}

/// Report progress (owner or co-organisation): percent, note, milestones completed, finished.
#[utoipa::path(post, path = "/tasks/{id}/reports", tag = "tasks", params(("id" = i64, Path)), request_body = ProgressInput,
    responses((status = 200, body = TaskDetail), (status = 422, body = Problem)))]
async fn task_report(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ProgressInput>,
) -> ApiResult<axum::Json<TaskDetail>> {
    Ok(axum::Json(s.app.task_report(&auth.0, id, b).await?))
}

#[derive(utoipa::ToSchema)]
#[allow(dead_code)] // describes the multipart body in the OpenAPI document
struct EvidenceUpload {
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

/// Attach evidence (photo or document) to a progress report.
#[utoipa::path(post, path = "/tasks/{id}/reports/{report_id}/evidence", tag = "tasks", params(("id" = i64, Path), ("report_id" = i64, Path)),
    request_body(content = inline(EvidenceUpload), content_type = "multipart/form-data"),
    responses((status = 201, body = EvidenceView), (status = 422, body = Problem)))]
async fn evidence_add(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, report): Ids,
    mut mp: Multipart,
) -> ApiResult<(StatusCode, axum::Json<EvidenceView>)> {
    let (name, bytes) = super::upload(&mut mp).await?;
    Ok((StatusCode::CREATED, axum::Json(s.app.task_evidence_add(&auth.0, id, report, &name, &bytes).await?)))
}

/// Download a piece of evidence.
#[utoipa::path(get, path = "/tasks/{id}/evidence/{evidence_id}", tag = "tasks", params(("id" = i64, Path), ("evidence_id" = i64, Path)),
    responses((status = 200, description = "the file"), (status = 404, body = Problem)))]
async fn evidence_get(State(s): State<AppState>, auth: Auth, Ids(id, ev): Ids) -> ApiResult<Response> {
    let (meta, bytes) = s.app.task_evidence_get(&auth.0, id, ev).await?;
    Ok(super::file_response(&meta.content_type, &meta.filename, bytes))
}

/// Lights rolled up per owner organisation and per community.
#[utoipa::path(get, path = "/task-rollup", tag = "tasks", params(TaskQuery), responses((status = 200, body = TaskRollup)))]
async fn task_rollup(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<TaskQuery>,
) -> ApiResult<axum::Json<TaskRollup>> {
    Ok(axum::Json(s.app.task_rollup(&auth.0, q).await?))
}

// --- Coverage ------------------------------------------------------------------------------------

/// Host entities (两新组织 and others) of a subtree with their coverage.
#[utoipa::path(get, path = "/hosts", tag = "coverage", params(HostQuery), responses((status = 200, body = ListResponse<HostView>)))]
async fn host_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<HostQuery>,
) -> ApiResult<axum::Json<ListResponse<HostView>>> {
    Ok(axum::Json(s.app.host_list(&auth.0, q).await?.into()))
}

/// Register a host entity.
#[utoipa::path(post, path = "/hosts", tag = "coverage", request_body = HostInput,
    responses((status = 201, body = HostView), (status = 422, body = Problem)))]
async fn host_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<HostInput>,
) -> ApiResult<(StatusCode, axum::Json<HostView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.host_create(&auth.0, b).await?)))
}

/// Edit a host entity (e.g. its coverage after a branch was set up).
#[utoipa::path(patch, path = "/hosts/{id}", tag = "coverage", params(("id" = i64, Path)), request_body = HostInput,
    responses((status = 200, body = HostView), (status = 422, body = Problem)))]
async fn host_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<HostInput>,
) -> ApiResult<axum::Json<HostView>> {
    Ok(axum::Json(s.app.host_update(&auth.0, id, b).await?))
}

/// Organisational and work coverage of a subtree, with rates by coverage, kind, industry, area and community.
#[utoipa::path(get, path = "/stats/coverage", tag = "coverage", params(CoverageQuery), responses((status = 200, body = CoverageStats)))]
async fn coverage_stats(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<CoverageQuery>,
) -> ApiResult<axum::Json<CoverageStats>> {
    Ok(axum::Json(s.app.coverage_stats(&auth.0, q).await?))
}

/// Coverage censuses I take part in.
#[utoipa::path(get, path = "/coverage-censuses", tag = "coverage", responses((status = 200, body = ListResponse<CoverageCensusView>)))]
async fn coverage_census_list(
    State(s): State<AppState>,
    auth: Auth,
) -> ApiResult<axum::Json<ListResponse<CoverageCensusView>>> {
    Ok(list(s.app.coverage_censuses(&auth.0).await?))
}

/// Start a quarterly coverage census over a subtree.
#[utoipa::path(post, path = "/coverage-censuses", tag = "coverage", request_body = NewCoverageCensus,
    responses((status = 201, body = CoverageCensusView), (status = 422, body = Problem)))]
async fn coverage_census_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<NewCoverageCensus>,
) -> ApiResult<(StatusCode, axum::Json<CoverageCensusView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.coverage_census_create(&auth.0, b).await?)))
}

/// The hosts to check, narrowed to my part of the census.
#[utoipa::path(get, path = "/coverage-censuses/{id}/entries", tag = "coverage", params(("id" = i64, Path)),
    responses((status = 200, body = ListResponse<CoverageEntryView>)))]
async fn coverage_census_entries(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<ListResponse<CoverageEntryView>>> {
    Ok(list(s.app.coverage_census_entries(&auth.0, id).await?))
}

/// Confirm (or correct) one host's coverage.
#[utoipa::path(put, path = "/coverage-censuses/{id}/entries/{entry_id}", tag = "coverage", params(("id" = i64, Path), ("entry_id" = i64, Path)),
    request_body = CoverageCheckInput, responses((status = 200, body = CoverageEntryView), (status = 422, body = Problem)))]
async fn coverage_census_check(
    State(s): State<AppState>,
    auth: Auth,
    Ids(id, entry): Ids,
    Json(b): Json<CoverageCheckInput>,
) -> ApiResult<axum::Json<CoverageEntryView>> {
    Ok(axum::Json(s.app.coverage_census_check(&auth.0, id, entry, b).await?))
}

/// Close a census: the confirmed coverage is written to the hosts.
#[utoipa::path(post, path = "/coverage-censuses/{id}/close", tag = "coverage", params(("id" = i64, Path)),
    responses((status = 200, body = CoverageCensusView), (status = 409, body = Problem)))]
async fn coverage_census_close(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<CoverageCensusView>> {
    Ok(axum::Json(s.app.coverage_census_close(&auth.0, id).await?))
}

// --- Brand projects ------------------------------------------------------------------------------

/// The gallery of brand projects of a subtree for a year (cultivation targets first).
#[utoipa::path(get, path = "/brand-projects", tag = "brands", params(BrandQuery), responses((status = 200, body = BrandGallery)))]
async fn brand_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<BrandQuery>,
) -> ApiResult<axum::Json<BrandGallery>> {
    Ok(axum::Json(s.app.brand_list(&auth.0, q).await?))
}

/// Register a brand project (1–2 per organisation and year).
#[utoipa::path(post, path = "/brand-projects", tag = "brands", request_body = BrandInput,
    responses((status = 201, body = BrandView), (status = 422, body = Problem)))]
async fn brand_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<BrandInput>,
) -> ApiResult<(StatusCode, axum::Json<BrandView>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.brand_create(&auth.0, b).await?)))
}

/// Edit a brand project: deliverables done; county admins mark cultivation targets.
#[utoipa::path(patch, path = "/brand-projects/{id}", tag = "brands", params(("id" = i64, Path)), request_body = BrandInput,
    responses((status = 200, body = BrandView), (status = 422, body = Problem)))]
async fn brand_update(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<BrandInput>,
) -> ApiResult<axum::Json<BrandView>> {
    Ok(axum::Json(s.app.brand_update(&auth.0, id, b).await?))
}

// --- Evaluations and reviews ---------------------------------------------------------------------

/// Evaluations (county admins only: rankings are not pushed to members).
#[utoipa::path(get, path = "/evaluations", tag = "evaluations", responses((status = 200, body = ListResponse<EvaluationView>)))]
async fn evaluation_list(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<ListResponse<EvaluationView>>> {
    Ok(list(s.app.evaluation_list(&auth.0).await?))
}

/// Start an evaluation with its scoring sheet and targets.
#[utoipa::path(post, path = "/evaluations", tag = "evaluations", request_body = EvaluationInput,
    responses((status = 201, body = EvaluationDetail), (status = 422, body = Problem)))]
async fn evaluation_create(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<EvaluationInput>,
) -> ApiResult<(StatusCode, axum::Json<EvaluationDetail>)> {
    Ok((StatusCode::CREATED, axum::Json(s.app.evaluation_create(&auth.0, b).await?)))
}

/// An evaluation with its ranking and my scores.
#[utoipa::path(get, path = "/evaluations/{id}", tag = "evaluations", params(("id" = i64, Path)),
    responses((status = 200, body = EvaluationDetail), (status = 404, body = Problem)))]
async fn evaluation_get(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<EvaluationDetail>> {
    Ok(axum::Json(s.app.evaluation_get(&auth.0, id).await?))
}

/// Score one target (my scores replace my earlier ones).
#[utoipa::path(put, path = "/evaluations/{id}/scores", tag = "evaluations", params(("id" = i64, Path)), request_body = ScoreInput,
    responses((status = 200, body = EvaluationDetail), (status = 422, body = Problem)))]
async fn evaluation_score(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ScoreInput>,
) -> ApiResult<axum::Json<EvaluationDetail>> {
    Ok(axum::Json(s.app.evaluation_score(&auth.0, id, b).await?))
}

/// Close an evaluation: the ranking is final.
#[utoipa::path(post, path = "/evaluations/{id}/close", tag = "evaluations", params(("id" = i64, Path)),
    responses((status = 200, body = EvaluationDetail), (status = 409, body = Problem)))]
async fn evaluation_close(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
) -> ApiResult<axum::Json<EvaluationDetail>> {
    Ok(axum::Json(s.app.evaluation_close(&auth.0, id).await?))
}

/// Annual reviews (述职评议) of a year.
#[utoipa::path(get, path = "/reviews", tag = "evaluations", params(YearQuery), responses((status = 200, body = ListResponse<ReviewView>)))]
async fn review_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<YearQuery>,
) -> ApiResult<axum::Json<ListResponse<ReviewView>>> {
    Ok(list(s.app.review_list(&auth.0, q.year).await?))
}

/// Record an organisation's review rating for a year.
#[utoipa::path(put, path = "/reviews", tag = "evaluations", request_body = ReviewInput,
    responses((status = 200, body = ReviewView), (status = 422, body = Problem)))]
async fn review_put(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<ReviewInput>,
) -> ApiResult<axum::Json<ReviewView>> {
    Ok(axum::Json(s.app.review_put(&auth.0, b).await?))
}

// --- Incentive grants ------------------------------------------------------------------------------

/// The grant criteria and tiers (amounts in fen).
#[utoipa::path(get, path = "/grant-criteria", tag = "grants", responses((status = 200, body = GrantCriteria)))]
async fn criteria_get(State(s): State<AppState>, auth: Auth) -> ApiResult<axum::Json<GrantCriteria>> {
    auth.0.actor()?.require(honglian_domain::platform::authz::Permission::GrantWrite)?;
    Ok(axum::Json(s.app.grant_criteria().await?))
}

/// Change the criteria and tiers (weights sum to 100).
#[utoipa::path(put, path = "/grant-criteria", tag = "grants", request_body = GrantCriteria,
    responses((status = 200, body = GrantCriteria), (status = 422, body = Problem)))]
async fn criteria_put(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<GrantCriteria>,
) -> ApiResult<axum::Json<GrantCriteria>> {
    Ok(axum::Json(s.app.set_grant_criteria(&auth.0, b).await?))
}

/// Incentive grants of a year.
#[utoipa::path(get, path = "/incentive-grants", tag = "grants", params(GrantQuery), responses((status = 200, body = ListResponse<IncentiveGrantView>)))]
async fn grant_list(
    State(s): State<AppState>,
    auth: Auth,
    Query(q): Query<GrantQuery>,
) -> ApiResult<axum::Json<ListResponse<IncentiveGrantView>>> {
    Ok(list(s.app.grant_list(&auth.0, q).await?))
}

/// Score every grantee of a subtree from coverage, duty lights, tasks and brand projects.
#[utoipa::path(post, path = "/incentive-grants/assess", tag = "grants", request_body = AssessInput,
    responses((status = 200, body = ListResponse<IncentiveGrantView>), (status = 422, body = Problem)))]
async fn grant_assess(
    State(s): State<AppState>,
    auth: Auth,
    Json(b): Json<AssessInput>,
) -> ApiResult<axum::Json<ListResponse<IncentiveGrantView>>> {
    Ok(list(s.app.grant_assess(&auth.0, b).await?))
}

/// The assessors' manual part of a proposal.
#[utoipa::path(put, path = "/incentive-grants/{id}/manual", tag = "grants", params(("id" = i64, Path)), request_body = ManualInput,
    responses((status = 200, body = IncentiveGrantView), (status = 422, body = Problem)))]
async fn grant_manual(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<ManualInput>,
) -> ApiResult<axum::Json<IncentiveGrantView>> {
    Ok(axum::Json(s.app.grant_manual(&auth.0, id, b).await?))
}

/// Approve a grant at its tier's amount (audited).
#[utoipa::path(post, path = "/incentive-grants/{id}/approve", tag = "grants", params(("id" = i64, Path)),
    responses((status = 200, body = IncentiveGrantView), (status = 409, body = Problem)))]
async fn grant_approve(State(s): State<AppState>, auth: Auth, Id(id): Id) -> ApiResult<axum::Json<IncentiveGrantView>> {
    Ok(axum::Json(s.app.grant_approve(&auth.0, id).await?))
}

/// Record the disbursement in exact fen (audited).
#[utoipa::path(post, path = "/incentive-grants/{id}/disburse", tag = "grants", params(("id" = i64, Path)), request_body = DisburseInput,
    responses((status = 200, body = IncentiveGrantView), (status = 422, body = Problem)))]
async fn grant_disburse(
    State(s): State<AppState>,
    auth: Auth,
    Id(id): Id,
    Json(b): Json<DisburseInput>,
) -> ApiResult<axum::Json<IncentiveGrantView>> {
    Ok(axum::Json(s.app.grant_disburse(&auth.0, id, b).await?))
}

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(brand_list, brand_create))
        .routes(routes!(brand_update))
        .routes(routes!(evaluation_list, evaluation_create))
        .routes(routes!(evaluation_get))
        .routes(routes!(evaluation_score))
        .routes(routes!(evaluation_close))
        .routes(routes!(review_list, review_put))
        .routes(routes!(criteria_get, criteria_put))
        .routes(routes!(grant_list))
        .routes(routes!(grant_assess))
        .routes(routes!(grant_manual))
        .routes(routes!(grant_approve))
        .routes(routes!(grant_disburse))
        .routes(routes!(community_list))
        .routes(routes!(alliance_list))
        .routes(routes!(community_get))
        .routes(routes!(community_member_put))
        .routes(routes!(community_member_remove))
        .routes(routes!(part_time_member_add))
        .routes(routes!(roles_get, roles_put))
        .routes(routes!(rota_get, rota_put))
        .routes(routes!(secretary_add))
        .routes(routes!(rota_swap))
        .routes(routes!(handover_add))
        .routes(routes!(group_list, group_create))
        .routes(routes!(candidate_list))
        .routes(routes!(group_assign))
        .routes(routes!(group_unassign))
        .routes(routes!(visit_list, visit_create))
        .routes(routes!(visit_close))
        .routes(routes!(task_lists, task_list_create))
        .routes(routes!(meeting_add))
        .routes(routes!(task_list, task_create))
        .routes(routes!(task_get, task_update))
        .routes(routes!(task_report))
        .routes(routes!(evidence_add))
        .routes(routes!(evidence_get))
        .routes(routes!(task_rollup))
        .routes(routes!(host_list, host_create))
        .routes(routes!(host_update))
        .routes(routes!(coverage_stats))
        .routes(routes!(coverage_census_list, coverage_census_create))
        .routes(routes!(coverage_census_entries))
        .routes(routes!(coverage_census_check))
        .routes(routes!(coverage_census_close))
}
