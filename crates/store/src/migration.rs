//! Schema migrations, written once with sea-query so that the same statements
//! run on SQLite and PostgreSQL. Applied in order; each runs in a transaction
//! and is recorded in `schema_migrations`. Never edit a released migration:
//! add a new one.

use sea_orm::sea_query::{ColumnDef, Index, Table, TableCreateStatement};
use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr, TransactionTrait};

type Migration = (&'static str, fn(DatabaseBackend) -> Vec<Stmt>);

#[allow(clippy::large_enum_variant)] // built once at start-up
enum Stmt {
    Table(TableCreateStatement),
    Index(sea_orm::sea_query::IndexCreateStatement),
    Raw(String),
}

const MIGRATIONS: &[Migration] = &[
    ("0001_foundation", foundation),
    ("0002_mobility", mobility),
    ("0003_activities", activities),
    ("0004_communities", communities),
    ("0005_duty_inputs", duty_inputs),
    ("0006_outflow_tallies", outflow_tallies),
    ("0007_full_member_counts", full_member_counts),
    ("0008_held_activities", held_activities),
    ("0009_audit_append_only", audit_append_only),
    ("0010_activity_for_year", activity_for_year),
    ("0011_committee_posts", committee_posts),
    ("0012_members_reach", members_reach),
    ("0013_sealed_free_text", sealed_free_text),
    ("0014_outflow_reports", outflow_reports),
    ("0015_county_duty_rules", county_duty_rules),
    ("0016_import_mappings", import_mappings),
    ("0017_services", services),
    ("0018_services_reach", services_reach),
    ("0019_portal", portal),
    ("0020_bulletins", bulletins),
    ("0021_outbox", outbox),
    ("0022_invitations_by_robot", invitations_by_robot),
    ("0023_hometown_investment", hometown_investment),
    ("0024_care_fund", care_fund),
    ("0025_honours", honours),
    ("0026_suspension_procedure", suspension_procedure),
    ("0027_dues", dues),
    ("0028_recruitment", recruitment),
    ("0029_transfers", transfers),
    ("0030_recruit_progress_codes", recruit_progress_codes),
    ("0031_transfer_indexes", transfer_indexes),
    ("0032_job_leases", job_leases),
    ("0033_auth_versions", auth_versions),
    ("0034_outflow_insert_statements", outflow_insert_statements),
    ("0035_second_factor", second_factor),
    ("0036_personal_data_retention", personal_data_retention),
    ("0037_record_macs", record_macs),
    ("0038_security_labels", security_labels),
];

fn id(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().auto_increment().primary_key().take()
}
fn text(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().not_null().take()
}
fn text_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).text().null().take()
}
fn big(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().not_null().take()
}
fn big_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).big_integer().null().take()
}
fn ts(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).timestamp_with_time_zone().not_null().take()
}
fn ts_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).timestamp_with_time_zone().null().take()
}
fn date(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date().not_null().take()
}
fn date_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).date().null().take()
}
fn boolean(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).boolean().not_null().take()
}
fn double_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).double().null().take()
}
fn int(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).integer().not_null().take()
}
/// A materialised path: compared byte-wise on both backends so that a prefix
/// range scan (`path >= '/1/7/' AND path < '/1/70'`) uses the index.
fn path(backend: DatabaseBackend, name: &'static str) -> ColumnDef {
    let mut c = text(name);
    if backend == DatabaseBackend::Postgres {
        c.extra("COLLATE \"C\"");
    }
    c
}
/// A path that may be absent (a transfer to or from an organisation outside the deployment).
fn path_null(backend: DatabaseBackend, name: &'static str) -> ColumnDef {
    let mut c = text_null(name);
    if backend == DatabaseBackend::Postgres {
        c.extra("COLLATE \"C\"");
    }
    c
}
fn index(name: &str, table: &'static str, cols: &[&'static str], unique: bool) -> Stmt {
    let mut i = Index::create().name(name).table(table).to_owned();
    for c in cols {
        i.col(*c);
    }
    if unique {
        i.unique();
    }
    Stmt::Index(i)
}

fn foundation(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Table(
            Table::create()
                .table("orgs")
                .col(id("id"))
                .col(big_null("parent_id"))
                .col(path(b, "path"))
                .col(int("depth"))
                .col(text("name"))
                .col(text("kind"))
                .col(text("host_kind"))
                .col(text_null("host_name"))
                .col(text_null("province_code"))
                .col(text_null("city_code"))
                .col(text_null("county_code"))
                .col(text_null("secretary"))
                .col(date_null("founded_on"))
                .col(text_null("contact"))
                .col(text("status"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("orgs_path", "orgs", &["path"], true),
        index("orgs_parent", "orgs", &["parent_id"], false),
        index("orgs_name", "orgs", &["name"], false),
        Stmt::Table(
            Table::create()
                .table("members")
                .col(id("id"))
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(text("name"))
                .col(text("gender"))
                .col(text_null("ethnicity"))
                .col(date("birth_date"))
                .col(text("id_number_enc"))
                .col(text("id_number_bidx"))
                .col(text_null("phone_enc"))
                .col(text_null("phone_bidx"))
                .col(text_null("address_enc"))
                .col(text_null("education"))
                .col(text_null("occupation"))
                .col(text_null("employer"))
                .col(date("joined_on"))
                .col(text("category"))
                .col(date_null("full_on"))
                .col(text("tags"))
                .col(text("status"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("members_id_number_bidx", "members", &["id_number_bidx"], true),
        index("members_phone_bidx", "members", &["phone_bidx"], false),
        index("members_org_path", "members", &["org_path", "id"], false),
        index("members_org", "members", &["org_id"], false),
        index("members_name", "members", &["name"], false),
        Stmt::Table(
            Table::create()
                .table("users")
                .col(id("id"))
                .col(text("username"))
                .col(text("display_name"))
                .col(text("password_hash"))
                .col(boolean("must_change_password"))
                .col(boolean("disabled"))
                .col(int("failed_logins"))
                .col(ts_null("locked_until"))
                .col(big_null("member_id"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("users_username", "users", &["username"], true),
        Stmt::Table(
            Table::create()
                .table("grants")
                .col(id("id"))
                .col(big("user_id"))
                .col(text("role"))
                .col(big_null("org_id"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("grants_user", "grants", &["user_id"], false),
        Stmt::Table(
            Table::create()
                .table("sessions")
                .col(ColumnDef::new("id").text().not_null().primary_key())
                .col(big("user_id"))
                .col(text("csrf_token"))
                .col(text_null("ip"))
                .col(text_null("user_agent"))
                .col(ts("created_at"))
                .col(ts("last_seen_at"))
                .col(ts("expires_at"))
                .to_owned(),
        ),
        index("sessions_user", "sessions", &["user_id"], false),
        Stmt::Table(
            Table::create()
                .table("audit_events")
                .col(ColumnDef::new("id").big_integer().not_null().primary_key())
                .col(ts("at"))
                .col(big_null("actor_id"))
                .col(text("actor_name"))
                .col(text("action"))
                .col(text("object_type"))
                .col(text_null("object_id"))
                .col(text_null("ip"))
                .col(text("result"))
                .col(text("detail"))
                .col(text("prev_hash"))
                .col(text("hash"))
                .to_owned(),
        ),
        index("audit_events_at", "audit_events", &["at"], false),
        index("audit_events_action", "audit_events", &["action", "id"], false),
        // The head of the hash chain: one row, locked by every append so that
        // concurrent writers (several instances on PostgreSQL) form one chain.
        Stmt::Table(
            Table::create()
                .table("audit_head")
                .col(ColumnDef::new("id").integer().not_null().primary_key())
                .col(big("last_id"))
                .col(text("last_hash"))
                .to_owned(),
        ),
        Stmt::Raw(format!("INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, '{}')", "0".repeat(64))),
        Stmt::Table(
            Table::create()
                .table("settings")
                .col(ColumnDef::new("key").text().not_null().primary_key())
                .col(text("value"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
    ]
}

fn bool_null(name: &'static str) -> ColumnDef {
    ColumnDef::new(name).boolean().null().take()
}

fn mobility(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Raw("ALTER TABLE members ADD COLUMN last_contact_on DATE".into()),
        Stmt::Table(
            Table::create()
                .table("mobility_records")
                .col(id("id"))
                .col(big_null("member_id"))
                .col(text("direction"))
                .col(text("status"))
                .col(text_null("person_name"))
                .col(text_null("person_id_number_enc"))
                .col(text_null("person_id_number_bidx"))
                .col(text_null("person_phone_enc"))
                .col(text_null("province_code"))
                .col(text_null("city_code"))
                .col(text_null("county_code"))
                .col(text_null("address"))
                .col(text_null("employer"))
                .col(text_null("occupation"))
                .col(text("reason"))
                .col(date("start_date"))
                .col(date_null("expected_return"))
                .col(big_null("receiving_org_id"))
                .col(text_null("external_org_name"))
                .col(text_null("external_org_contact"))
                .col(text_null("mobile_card_no"))
                .col(text_null("contact_person"))
                .col(date_null("ended_on"))
                .col(text_null("end_place"))
                .col(bool_null("relationship_stays"))
                .col(text_null("end_note"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("mobility_member", "mobility_records", &["member_id", "status"], false),
        index("mobility_dir_status_city", "mobility_records", &["direction", "status", "province_code", "city_code"], false),
        index("mobility_receiving", "mobility_records", &["receiving_org_id", "status"], false),
        // At most one open outflow per member, enforced by the database on both backends.
        Stmt::Raw(
            "CREATE UNIQUE INDEX mobility_one_open_outflow ON mobility_records (member_id) WHERE direction = 'outflow' AND status = 'open'".into(),
        ),
        Stmt::Table(
            Table::create()
                .table("contacts")
                .col(id("id"))
                .col(big("member_id"))
                .col(text("kind"))
                .col(date("contacted_on"))
                .col(boolean("reached"))
                .col(text_null("note"))
                .col(big_null("by_user_id"))
                .col(text("by_name"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("contacts_member", "contacts", &["member_id", "contacted_on"], false),
        Stmt::Table(
            Table::create()
                .table("suspension_proposals")
                .col(id("id"))
                .col(big("member_id"))
                .col(text("reason"))
                .col(int("days_lost"))
                .col(big_null("proposed_by"))
                .col(text("proposed_by_name"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("suspension_member", "suspension_proposals", &["member_id"], false),
        Stmt::Table(
            Table::create()
                .table("census_campaigns")
                .col(id("id"))
                .col(text("name"))
                .col(text("period"))
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(text("status"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts_null("closed_at"))
                .to_owned(),
        ),
        Stmt::Table(
            Table::create()
                .table("census_entries")
                .col(id("id"))
                .col(big("campaign_id"))
                .col(big("member_id"))
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(bool_null("reached"))
                .col(text_null("current_place"))
                .col(text_null("current_employer"))
                .col(text_null("circumstances"))
                .col(text_null("thoughts"))
                .col(text_null("needs"))
                .col(big_null("verified_by"))
                .col(text_null("verified_by_name"))
                .col(ts_null("verified_at"))
                .to_owned(),
        ),
        index("census_entries_campaign", "census_entries", &["campaign_id", "org_path"], false),
        index("census_entries_member", "census_entries", &["campaign_id", "member_id"], true),
        // Long-running imports report progress here, so any instance can answer the poll.
        Stmt::Table(
            Table::create()
                .table("jobs")
                .col(id("id"))
                .col(text("kind"))
                .col(big("user_id"))
                .col(text("status"))
                .col(big("total"))
                .col(big("processed"))
                .col(text_null("result"))
                .col(text_null("error"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
    ]
}

fn activities(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Raw("ALTER TABLE orgs ADD COLUMN dissolved_on DATE".into()),
        Stmt::Table(
            Table::create()
                .table("activities")
                .col(id("id"))
                .col(text("kind"))
                .col(text("topic"))
                .col(ts("start_at"))
                .col(ts("end_at"))
                .col(text_null("place"))
                .col(text_null("online_link"))
                .col(text_null("host"))
                .col(text_null("lecturer"))
                .col(text_null("minutes"))
                // active | pending_approval | rejected | cancelled
                .col(text("status"))
                .col(text("checkin_code"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("activities_start", "activities", &["start_at"], false),
        Stmt::Table(
            Table::create()
                .table("activity_orgs")
                .col(big("activity_id"))
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .primary_key(Index::create().col("activity_id").col("org_id"))
                .to_owned(),
        ),
        index("activity_orgs_path", "activity_orgs", &["org_path", "activity_id"], false),
        index("activity_orgs_org", "activity_orgs", &["org_id"], false),
        Stmt::Table(
            Table::create()
                .table("attendance")
                .col(id("id"))
                .col(big("activity_id"))
                .col(big("member_id"))
                // present | leave | absent
                .col(text("status"))
                .col(text_null("reason"))
                // code | manual
                .col(text("via"))
                .col(ts("recorded_at"))
                .col(big_null("recorded_by"))
                .to_owned(),
        ),
        index("attendance_activity_member", "attendance", &["activity_id", "member_id"], true),
        index("attendance_member", "attendance", &["member_id"], false),
        Stmt::Table(
            Table::create()
                .table("attachments")
                .col(id("id"))
                .col(big("activity_id"))
                .col(text("filename"))
                .col(text("content_type"))
                .col(big("size"))
                .col(text("storage_key"))
                .col(big_null("uploaded_by"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("attachments_activity", "attachments", &["activity_id"], false),
        Stmt::Table(
            Table::create()
                .table("activity_approvals")
                .col(id("id"))
                .col(big("activity_id"))
                .col(text("reason"))
                .col(big_null("requested_by"))
                // pending | approved | rejected
                .col(text("status"))
                .col(big_null("decided_by"))
                .col(text_null("decision_note"))
                .col(ts("created_at"))
                .col(ts_null("decided_at"))
                .to_owned(),
        ),
        index("activity_approvals_activity", "activity_approvals", &["activity_id"], false),
        Stmt::Table(
            Table::create()
                .table("notifications")
                .col(id("id"))
                .col(big("user_id"))
                .col(text("kind"))
                .col(text("title"))
                .col(text("body"))
                .col(text_null("link"))
                // Deduplicates reminders: one per (user, key).
                .col(text("dedupe_key"))
                .col(ts_null("read_at"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("notifications_user_key", "notifications", &["user_id", "dedupe_key"], true),
        index("notifications_user_created", "notifications", &["user_id", "created_at"], false),
    ]
}

/// Communities and goals: alliance membership and rotas, instructors and visits, annual key task
/// lists, evaluations, brand projects, incentive grants, host entities and their coverage.
fn communities(b: DatabaseBackend) -> Vec<Stmt> {
    let table = |name: &'static str, cols: Vec<ColumnDef>| {
        let mut t = Table::create().table(name).to_owned();
        for c in cols {
            t.col(c);
        }
        Stmt::Table(t)
    };
    vec![
        // An organisation belonging to a community (regional committee or chain alliance) without moving
        // in the tree; role: lead | coordinator | member | partner ("2+1+X+N").
        Stmt::Table(
            Table::create()
                .table("community_members")
                .col(big("community_id"))
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(text("role"))
                .col(date_null("since"))
                .primary_key(Index::create().col("community_id").col("org_id"))
                .to_owned(),
        ),
        index("community_members_org", "community_members", &["org_path"], false),
        // 兼职委员 from resident units and departments.
        table(
            "part_time_members",
            vec![id("id"), big("community_id"), text("name"), text("unit"), text_null("position"), ts("created_at")],
        ),
        index("part_time_members_community", "part_time_members", &["community_id"], false),
        // The rota of an alliance: terms of `months` months from `anchor`, secretaries in `position` order.
        table(
            "rotas",
            vec![
                ColumnDef::new("community_id").big_integer().not_null().primary_key().take(),
                date("anchor"),
                int("months"),
                ts("updated_at"),
            ],
        ),
        table(
            "rota_secretaries",
            vec![
                id("id"),
                big("community_id"),
                text("name"),
                big_null("org_id"),
                int("position"),
                boolean("active"),
                ts("created_at"),
            ],
        ),
        index("rota_secretaries_community", "rota_secretaries", &["community_id", "position"], false),
        table(
            "rota_swaps",
            vec![
                id("id"),
                big("community_id"),
                date("term_start"),
                big("secretary_id"),
                text("reason"),
                big_null("created_by"),
                ts("created_at"),
            ],
        ),
        index("rota_swaps_term", "rota_swaps", &["community_id", "term_start"], true),
        table(
            "rota_handovers",
            vec![
                id("id"),
                big("community_id"),
                date("term_start"),
                text("note"),
                text("author"),
                big_null("created_by"),
                ts("created_at"),
            ],
        ),
        index("rota_handovers_term", "rota_handovers", &["community_id", "term_start"], false),
        // 组团式指导: groups of 3–5 instructors (users) assigned to organisations.
        table("instructor_groups", vec![id("id"), text("name"), big("org_id"), path(b, "org_path"), ts("created_at")]),
        Stmt::Table(
            Table::create()
                .table("instructor_group_users")
                .col(big("group_id"))
                .col(big("user_id"))
                .col(boolean("leader"))
                .primary_key(Index::create().col("group_id").col("user_id"))
                .to_owned(),
        ),
        index("instructor_group_users_user", "instructor_group_users", &["user_id"], false),
        Stmt::Table(
            Table::create()
                .table("instructor_assignments")
                .col(big("group_id"))
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .primary_key(Index::create().col("group_id").col("org_id"))
                .to_owned(),
        ),
        index("instructor_assignments_path", "instructor_assignments", &["org_path"], false),
        // 走访: an instructor's visit with findings and follow-ups (open until followed up).
        table(
            "visits",
            vec![
                id("id"),
                big("org_id"),
                path(b, "org_path"),
                big_null("group_id"),
                date("visited_on"),
                text("findings"),
                text_null("follow_ups"),
                text("status"),
                text("author"),
                big_null("created_by"),
                ts("created_at"),
                ts("updated_at"),
            ],
        ),
        index("visits_path", "visits", &["org_path", "visited_on"], false),
        // 重点工作清单: a list issued by the county or a committee for a year.
        table(
            "task_lists",
            vec![
                id("id"),
                big("org_id"),
                path(b, "org_path"),
                int("year"),
                text("title"),
                date("issued_on"),
                big_null("created_by"),
                ts("created_at"),
            ],
        ),
        index("task_lists_path", "task_lists", &["org_path", "year"], false),
        // milestones: JSON array of {title, planned_on, weight, done_on}.
        table(
            "tasks",
            vec![
                id("id"),
                big("list_id"),
                int("year"),
                big("owner_org_id"),
                path(b, "owner_path"),
                text("title"),
                text_null("description"),
                date("deadline"),
                text("milestones"),
                date_null("done_on"),
                ColumnDef::new("reported_percent").integer().null().take(),
                ts("created_at"),
                ts("updated_at"),
            ],
        ),
        index("tasks_list", "tasks", &["list_id"], false),
        index("tasks_owner", "tasks", &["owner_path", "year"], false),
        // The owner and the co-organisations of a task: who sees it and reports on it.
        Stmt::Table(
            Table::create()
                .table("task_orgs")
                .col(big("task_id"))
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(boolean("owner"))
                .primary_key(Index::create().col("task_id").col("org_id"))
                .to_owned(),
        ),
        index("task_orgs_path", "task_orgs", &["org_path", "task_id"], false),
        table(
            "task_reports",
            vec![
                id("id"),
                big("task_id"),
                big("org_id"),
                int("percent"),
                text("note"),
                text("author"),
                big_null("created_by"),
                ts("created_at"),
            ],
        ),
        index("task_reports_task", "task_reports", &["task_id", "created_at"], false),
        // Evidence of a progress report, in the file store.
        table(
            "task_evidence",
            vec![
                id("id"),
                big("report_id"),
                big("task_id"),
                text("filename"),
                text("content_type"),
                big("size"),
                text("storage_key"),
                ts("created_at"),
            ],
        ),
        index("task_evidence_report", "task_evidence", &["report_id"], false),
        // 推进会: a promotion meeting on a list and its decisions.
        table(
            "task_meetings",
            vec![
                id("id"),
                big("list_id"),
                date("held_on"),
                text("title"),
                text("decisions"),
                big_null("created_by"),
                ts("created_at"),
            ],
        ),
        index("task_meetings_list", "task_meetings", &["list_id"], false),
        // 季评比 / 观摩评比: sheet is a JSON array of items {code, label, weight, max_score}.
        table(
            "evaluations",
            vec![
                id("id"),
                big("org_id"),
                path(b, "org_path"),
                text("kind"),
                text("title"),
                text("period"),
                text("sheet"),
                text("status"),
                big_null("created_by"),
                ts("created_at"),
            ],
        ),
        index("evaluations_path", "evaluations", &["org_path"], false),
        Stmt::Table(
            Table::create()
                .table("evaluation_targets")
                .col(big("evaluation_id"))
                .col(big("org_id"))
                .primary_key(Index::create().col("evaluation_id").col("org_id"))
                .to_owned(),
        ),
        table(
            "evaluation_scores",
            vec![
                id("id"),
                big("evaluation_id"),
                big("evaluator_id"),
                big("target_id"),
                text("item"),
                int("score"),
                ts("created_at"),
            ],
        ),
        index(
            "evaluation_scores_unique",
            "evaluation_scores",
            &["evaluation_id", "evaluator_id", "target_id", "item"],
            true,
        ),
        // 述职评议: an organisation's annual review and its rating.
        table(
            "reviews",
            vec![
                id("id"),
                big("org_id"),
                path(b, "org_path"),
                int("year"),
                text("rating"),
                text_null("comment"),
                text("reviewer"),
                big_null("created_by"),
                ts("created_at"),
            ],
        ),
        index("reviews_org_year", "reviews", &["org_id", "year"], true),
        // 党建品牌: checklist is a JSON array of {item, done}; cultivation marks 百千万提升工程 targets.
        table(
            "brand_projects",
            vec![
                id("id"),
                big("org_id"),
                path(b, "org_path"),
                int("year"),
                text("name"),
                text("goal"),
                text("checklist"),
                text("status"),
                boolean("cultivation"),
                big_null("created_by"),
                ts("created_at"),
                ts("updated_at"),
            ],
        ),
        index("brand_projects_path", "brand_projects", &["org_path", "year"], false),
        // 以奖代补: one grant per organisation and year; money in fen.
        table(
            "incentive_grants",
            vec![
                id("id"),
                big("org_id"),
                path(b, "org_path"),
                int("year"),
                text("score"),
                int("total_hundredths"),
                text_null("tier"),
                big("amount_fen"),
                text("status"),
                big_null("approved_by"),
                ts_null("approved_at"),
                ColumnDef::new("disbursed_fen").big_integer().null().take(),
                date_null("disbursed_on"),
                text_null("voucher"),
                ts("created_at"),
                ts("updated_at"),
            ],
        ),
        index("incentive_grants_org_year", "incentive_grants", &["org_id", "year"], true),
        index("incentive_grants_path", "incentive_grants", &["org_path", "year"], false),
        // 两新组织 and other hosts with their organisational coverage; org_path is the responsible
        // organisation's (the area or community that answers for it).
        table(
            "hosts",
            vec![
                id("id"),
                text("name"),
                text("kind"),
                text_null("industry"),
                text("region_code"),
                big("org_id"),
                path(b, "org_path"),
                big_null("covering_org_id"),
                text("coverage"),
                big_null("community_id"),
                ColumnDef::new("employees").integer().null().take(),
                ColumnDef::new("party_members").integer().null().take(),
                ts("created_at"),
                ts("updated_at"),
            ],
        ),
        index("hosts_path", "hosts", &["org_path"], false),
        index("hosts_covering", "hosts", &["covering_org_id"], false),
        // Quarterly coverage census: every host of the subtree is checked and its coverage confirmed.
        table(
            "coverage_censuses",
            vec![
                id("id"),
                text("name"),
                text("period"),
                big("org_id"),
                path(b, "org_path"),
                text("status"),
                big_null("created_by"),
                ts("created_at"),
                ts_null("closed_at"),
            ],
        ),
        table(
            "coverage_census_entries",
            vec![
                id("id"),
                big("census_id"),
                big("host_id"),
                path(b, "org_path"),
                text("coverage_before"),
                text_null("coverage"),
                text_null("note"),
                big_null("checked_by"),
                ts_null("checked_at"),
            ],
        ),
        index("coverage_census_entries_census", "coverage_census_entries", &["census_id", "org_path"], false),
    ]
}

/// The duty engine's inputs: a version counter bumped by triggers, in the writing transaction, on
/// every change that can alter a compliance board (held activities, attendance, organisations,
/// full-member counts, the rules), so that an evaluated board may be cached in memory and
/// validated with one query, by any number of instances. Plus what a cold evaluation reads: the
/// held activities of a subtree as one index range, and full members per organisation from an index.
fn duty_inputs(b: DatabaseBackend) -> Vec<Stmt> {
    let mut out = vec![
        Stmt::Raw(
            "CREATE TABLE duty_inputs_version (id INTEGER PRIMARY KEY NOT NULL, version BIGINT NOT NULL, txid BIGINT)"
                .into(),
        ),
        Stmt::Raw("INSERT INTO duty_inputs_version (id, version) VALUES (1, 0)".into()),
        // Per organisation of an activity: its kind and, once it was held (active, someone present),
        // the local date of its start; kept by `repo::org_life::activities::refresh_held` on every write.
        Stmt::Raw("ALTER TABLE activity_orgs ADD COLUMN kind TEXT".into()),
        Stmt::Raw("ALTER TABLE activity_orgs ADD COLUMN held_on DATE".into()),
        Stmt::Raw(crate::repo::org_life::activities::refresh_held_sql_0005(
            b,
            crate::repo::org_life::activities::Refresh::All,
        )),
        index("activity_orgs_held", "activity_orgs", &["org_path", "org_id", "held_on", "kind"], false),
        index("members_full", "members", &["status", "category", "org_path", "org_id"], false),
    ];
    // (table, event, SQLite row condition). PostgreSQL uses statement triggers (a bulk insert bumps
    // once per statement, and `UPDATE OF` narrows updates to the columns that matter).
    let triggers: &[(&str, &str, &str)] = &[
        ("activities_ins", "INSERT ON activities", ""),
        ("activities_del", "DELETE ON activities", ""),
        (
            "activities_upd",
            "UPDATE OF kind, start_at, status ON activities",
            "OLD.kind IS NOT NEW.kind OR OLD.start_at IS NOT NEW.start_at OR OLD.status IS NOT NEW.status",
        ),
        ("activity_orgs_ins", "INSERT ON activity_orgs", ""),
        ("activity_orgs_del", "DELETE ON activity_orgs", ""),
        ("activity_orgs_upd", "UPDATE ON activity_orgs", ""),
        ("attendance_ins", "INSERT ON attendance", "NEW.status = 'present'"),
        ("attendance_del", "DELETE ON attendance", "OLD.status = 'present'"),
        (
            "attendance_upd",
            "UPDATE OF status, activity_id ON attendance",
            "OLD.status IS NOT NEW.status OR OLD.activity_id IS NOT NEW.activity_id",
        ),
        ("orgs_ins", "INSERT ON orgs", ""),
        ("orgs_del", "DELETE ON orgs", ""),
        ("orgs_upd", "UPDATE ON orgs", ""),
        ("members_ins", "INSERT ON members", "NEW.status = 'normal' AND NEW.category = 'full'"),
        ("members_del", "DELETE ON members", "OLD.status = 'normal' AND OLD.category = 'full'"),
        (
            "members_upd",
            "UPDATE OF status, category, org_id ON members",
            "OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category OR OLD.org_id IS NOT NEW.org_id",
        ),
        ("settings_ins", "INSERT ON settings", "NEW.key = 'duty_rules'"),
        ("settings_upd", "UPDATE ON settings", "NEW.key = 'duty_rules' OR OLD.key = 'duty_rules'"),
        ("settings_del", "DELETE ON settings", "OLD.key = 'duty_rules'"),
    ];
    if b == DatabaseBackend::Postgres {
        // One new row version per writing transaction, not per statement: later bumps of the same
        // transaction find `txid` already theirs. The row lock is held until commit, like any write.
        out.push(Stmt::Raw(
            "CREATE FUNCTION duty_inputs_bump() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             UPDATE duty_inputs_version SET version = version + 1, txid = txid_current() \
             WHERE id = 1 AND txid IS DISTINCT FROM txid_current(); RETURN NULL; END $$"
                .into(),
        ));
    }
    for (name, event, when) in triggers {
        out.push(Stmt::Raw(if b == DatabaseBackend::Postgres {
            format!(
                "CREATE TRIGGER duty_inputs_{name} AFTER {event} FOR EACH STATEMENT EXECUTE FUNCTION duty_inputs_bump()"
            )
        } else {
            let when = if when.is_empty() { String::new() } else { format!(" WHEN {when}") };
            format!(
                "CREATE TRIGGER duty_inputs_{name} AFTER {event}{when} BEGIN \
                 UPDATE duty_inputs_version SET version = version + 1 WHERE id = 1; END"
            )
        }));
    }
    out
}

/// Duty rules belong to a county (`duty_rules@<root id>`, `app/platform/settings.rs`): a county's rules
/// are duty inputs too. PostgreSQL's statement triggers of 0005 already bump on every settings write;
/// SQLite's fired only for the bare key.
fn county_duty_rules(b: DatabaseBackend) -> Vec<Stmt> {
    if b == DatabaseBackend::Postgres {
        return Vec::new();
    }
    const NEW: &str = "substr(NEW.key, 1, 11) = 'duty_rules@'";
    const OLD: &str = "substr(OLD.key, 1, 11) = 'duty_rules@'";
    [
        ("settings_county_ins", "INSERT ON settings", NEW.to_string()),
        ("settings_county_upd", "UPDATE ON settings", format!("{NEW} OR {OLD}")),
        ("settings_county_del", "DELETE ON settings", OLD.to_string()),
    ]
    .into_iter()
    .map(|(name, event, when)| {
        Stmt::Raw(format!(
            "CREATE TRIGGER duty_inputs_{name} AFTER {event} WHEN {when} BEGIN \
             UPDATE duty_inputs_version SET version = version + 1 WHERE id = 1; END"
        ))
    })
    .collect()
}

/// The database refuses to change or remove audit records; the chain head may only stay or move on by
/// one to the record just appended with that hash (what `repo::platform::audit::append` does). An
/// insider with the rights to drop triggers can still edit rows, but not rebuild the keyed chain.
fn audit_append_only(b: DatabaseBackend) -> Vec<Stmt> {
    const FORWARD: &str = "NEW.id = OLD.id AND ((NEW.last_id = OLD.last_id AND NEW.last_hash = OLD.last_hash) \
         OR (NEW.last_id = OLD.last_id + 1 AND NEW.last_hash = \
         (SELECT hash FROM audit_events WHERE id = NEW.last_id)))";
    if b == DatabaseBackend::Postgres {
        vec![
            Stmt::Raw(
                "CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 RAISE EXCEPTION 'the audit log is append-only'; END $$"
                    .into(),
            ),
            Stmt::Raw(
                "CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events \
                 FOR EACH ROW EXECUTE FUNCTION audit_append_only()"
                    .into(),
            ),
            Stmt::Raw(
                "CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events \
                 FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
                    .into(),
            ),
            Stmt::Raw(
                "CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_head \
                 FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()"
                    .into(),
            ),
            Stmt::Raw(format!(
                "CREATE FUNCTION audit_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 IF TG_OP = 'UPDATE' AND {FORWARD} THEN RETURN NEW; END IF; \
                 RAISE EXCEPTION 'the audit head only moves on to the newest record'; END $$"
            )),
            Stmt::Raw(
                "CREATE TRIGGER audit_head_forward BEFORE UPDATE OR DELETE ON audit_head \
                 FOR EACH ROW EXECUTE FUNCTION audit_head_forward()"
                    .into(),
            ),
        ]
    } else {
        vec![
            Stmt::Raw(
                "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events \
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
                    .into(),
            ),
            Stmt::Raw(
                "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events \
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
                    .into(),
            ),
            Stmt::Raw(
                "CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head \
                 BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
                    .into(),
            ),
            Stmt::Raw(format!(
                "CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head WHEN NOT ({FORWARD}) \
                 BEGIN SELECT RAISE(ABORT, 'the audit head only moves on to the newest record'); END"
            )),
        ]
    }
}

/// Applies every migration not yet recorded. Returns the names applied.
pub async fn migrate(db: &sea_orm::DatabaseConnection) -> Result<Vec<&'static str>, DbErr> {
    let backend = db.get_database_backend();
    db.execute_unprepared(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY NOT NULL, applied_at TEXT NOT NULL)",
    )
    .await?;
    let mut applied = Vec::new();
    for (name, build) in MIGRATIONS {
        let txn = db.begin().await?;
        // Serialise concurrent migrators on PostgreSQL (several instances starting at once).
        if backend == DatabaseBackend::Postgres {
            txn.execute_unprepared("LOCK TABLE schema_migrations IN EXCLUSIVE MODE").await?;
        }
        let done = txn
            .query_one_raw(sea_orm::Statement::from_sql_and_values(
                backend,
                if backend == DatabaseBackend::Postgres {
                    "SELECT name FROM schema_migrations WHERE name = $1"
                } else {
                    "SELECT name FROM schema_migrations WHERE name = ?"
                },
                [(*name).into()],
            ))
            .await?
            .is_some();
        if done {
            txn.commit().await?;
            continue;
        }
        for stmt in build(backend) {
            match stmt {
                Stmt::Table(t) => txn.execute(&t).await?,
                Stmt::Index(i) => txn.execute(&i).await?,
                Stmt::Raw(sql) => txn.execute_unprepared(&sql).await?,
            };
        }
        let now = chrono::Utc::now().to_rfc3339();
        txn.execute_unprepared(&format!("INSERT INTO schema_migrations (name, applied_at) VALUES ('{name}', '{now}')"))
            .await?;
        txn.commit().await?;
        applied.push(*name);
    }
    Ok(applied)
}

/// Open outflows counted per organisation, kept current by triggers in the writing transaction.
///
/// An open outflow is visible in the subtree of organisation X when X is an ancestor (or itself) of
/// the member's organisation or of the receiving organisation (`ledger_where`). So every open outflow
/// adds one to each organisation of the union of those two ancestor chains (read from the
/// materialised paths, which are made of ids): `outflow_tallies` by (province, city, reason,
/// receiving organisation), and `outflow_quiet` by the date since which nobody was in contact
/// (`max(start, last contact)`, for members whose status is normal), so that the lost-contact
/// count of any cutoff is a sum over one organisation's rows. The outflow statistics of a subtree
/// then read the rows of one organisation instead of aggregating every outflow in it.
///
/// Triggers: mobility records (insert, update, delete), members (organisation path, status, last
/// contact, delete) and organisations (path, i.e. moves). A row whose count fell to 0 stays (reads
/// skip it).
fn outflow_tallies(b: DatabaseBackend) -> Vec<Stmt> {
    let pg = b == DatabaseBackend::Postgres;
    let mut out = vec![
        Stmt::Raw(
            "CREATE TABLE outflow_tallies (org_id BIGINT NOT NULL, province_code TEXT NOT NULL, city_code TEXT NOT NULL, \
             reason TEXT NOT NULL, receiving TEXT NOT NULL, n BIGINT NOT NULL, \
             PRIMARY KEY (org_id, province_code, city_code, reason, receiving))"
                .into(),
        ),
        Stmt::Raw(
            "CREATE TABLE outflow_quiet (org_id BIGINT NOT NULL, quiet_on DATE NOT NULL, n BIGINT NOT NULL, \
             PRIMARY KEY (org_id, quiet_on))"
                .into(),
        ),
    ];
    if pg {
        out.extend(pg_outflow_tallies().into_iter().map(Stmt::Raw));
    } else {
        out.extend(sqlite_outflow_tallies().into_iter().map(Stmt::Raw));
    }
    // The member list's mobility filter: whether the member has an open outflow, as an indexed
    // column (one index range per subtree) instead of a correlated EXISTS per member.
    out.push(Stmt::Raw("ALTER TABLE members ADD COLUMN outflow_open SMALLINT NOT NULL DEFAULT 0".into()));
    out.push(Stmt::Raw(
        "UPDATE members SET outflow_open = 1 WHERE id IN \
         (SELECT member_id FROM mobility_records WHERE direction = 'outflow' AND status = 'open')"
            .into(),
    ));
    out.push(index("members_outflow", "members", &["outflow_open", "org_path", "id"], false));
    if !pg {
        // Statistics for the new index, so the planner prefers it for the filter (PostgreSQL's autovacuum
        // analyses on its own).
        out.push(Stmt::Raw("ANALYZE members_outflow".into()));
    }
    let set = |m: &str| {
        format!(
            "UPDATE members SET outflow_open = CASE WHEN EXISTS (SELECT 1 FROM mobility_records r WHERE r.member_id = {m} \
             AND r.direction = 'outflow' AND r.status = 'open') THEN 1 ELSE 0 END WHERE id = {m};"
        )
    };
    if pg {
        out.push(Stmt::Raw(format!(
            "CREATE FUNCTION outflow_flag() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP <> 'INSERT' AND OLD.member_id IS NOT NULL THEN {old} END IF; \
             IF TG_OP <> 'DELETE' AND NEW.member_id IS NOT NULL THEN {new} END IF; \
             RETURN NULL; END $$",
            old = set("OLD.member_id"),
            new = set("NEW.member_id")
        )));
        out.push(Stmt::Raw(
            "CREATE TRIGGER outflow_flag AFTER INSERT OR DELETE OR UPDATE OF member_id, direction, status \
             ON mobility_records FOR EACH ROW EXECUTE FUNCTION outflow_flag()"
                .into(),
        ));
    } else {
        for (name, event, when, body) in [
            ("ins", "INSERT", "NEW.member_id IS NOT NULL", set("NEW.member_id")),
            ("del", "DELETE", "OLD.member_id IS NOT NULL", set("OLD.member_id")),
            (
                "upd",
                "UPDATE OF member_id, direction, status",
                "OLD.member_id IS NOT NEW.member_id OR OLD.direction IS NOT NEW.direction OR OLD.status IS NOT NEW.status",
                format!("{} {}", set("OLD.member_id"), set("NEW.member_id")),
            ),
        ] {
            out.push(Stmt::Raw(format!(
                "CREATE TRIGGER outflow_flag_{name} AFTER {event} ON mobility_records WHEN {when} BEGIN {body} END"
            )));
        }
    }
    out
}

/// The receiving key of a record `r`: `o<id>` for an organisation in the system, `x<name>` for an
/// external one, '' for none.
fn receiving_key(r: &str) -> String {
    format!(
        "CASE WHEN {r}.receiving_org_id IS NOT NULL THEN 'o' || {r}.receiving_org_id \
         WHEN {r}.external_org_name IS NOT NULL THEN 'x' || {r}.external_org_name ELSE '' END"
    )
}

/// SQLite: statements adding `sign` × the contribution of the open outflow(s) `r` (from `from`, a
/// FROM item list ending in a comma, or empty for OLD/NEW), given SQL expressions for the member's
/// organisation path, the receiving organisation's path, the member's status and last contact.
#[allow(clippy::too_many_arguments)]
fn sqlite_tally(
    sign: i64,
    from: &str,
    guard: &str,
    r: &str,
    home: &str,
    recv: &str,
    status: &str,
    contact: &str,
    main: bool,
) -> Vec<String> {
    let ids = |p: &str| format!("replace(trim({p}, '/'), '/', ',')");
    let list = format!(
        "'[' || COALESCE({h}, '') || CASE WHEN ({home}) IS NOT NULL AND ({recv}) IS NOT NULL THEN ',' ELSE '' END || COALESCE({v}, '') || ']'",
        h = ids(home),
        v = ids(recv)
    );
    let src = format!("FROM {from} json_each({list}) j WHERE {guard}");
    let mut out = Vec::new();
    if main {
        out.push(format!(
            "INSERT INTO outflow_tallies (org_id, province_code, city_code, reason, receiving, n) \
             SELECT org_id, p, c, rs, rk, SUM(s) FROM (SELECT DISTINCT {r}.id AS rid, CAST(j.value AS INTEGER) AS org_id, \
             COALESCE({r}.province_code, '') AS p, COALESCE({r}.city_code, '') AS c, COALESCE({r}.reason, '') AS rs, \
             {rk} AS rk, {sign} AS s {src}) t WHERE true GROUP BY org_id, p, c, rs, rk \
             ON CONFLICT (org_id, province_code, city_code, reason, receiving) DO UPDATE SET n = n + excluded.n;",
            rk = receiving_key(r)
        ));
    }
    out.push(format!(
        "INSERT INTO outflow_quiet (org_id, quiet_on, n) \
         SELECT org_id, q, SUM(s) FROM (SELECT DISTINCT {r}.id AS rid, CAST(j.value AS INTEGER) AS org_id, \
         max({r}.start_date, COALESCE({contact}, {r}.start_date)) AS q, {sign} AS s {src} AND ({status}) = 'normal') t \
         WHERE true GROUP BY org_id, q ON CONFLICT (org_id, quiet_on) DO UPDATE SET n = n + excluded.n;"
    ));
    out
}

fn sqlite_outflow_tallies() -> Vec<String> {
    const OPEN_NEW: &str = "NEW.direction = 'outflow' AND NEW.status = 'open'";
    const OPEN_OLD: &str = "OLD.direction = 'outflow' AND OLD.status = 'open'";
    let member = |r: &str, col: &str| format!("(SELECT {col} FROM members WHERE id = {r}.member_id)");
    let recv = |r: &str| format!("(SELECT path FROM orgs WHERE id = {r}.receiving_org_id)");
    // The contribution of the record itself (OLD or NEW), the member's values as they are now.
    let record = |sign: i64, r: &str, guard: &str| {
        sqlite_tally(
            sign,
            "",
            guard,
            r,
            &member(r, "org_path"),
            &recv(r),
            &member(r, "status"),
            &member(r, "last_contact_on"),
            true,
        )
    };
    let trigger = |name: &str, event: &str, when: &str, body: Vec<String>| {
        format!("CREATE TRIGGER outflow_tallies_{name} AFTER {event} WHEN {when} BEGIN {} END", body.join(" "))
    };
    let open_r = "r.direction = 'outflow' AND r.status = 'open'";
    let mut out = Vec::new();
    // Backfill.
    out.extend(sqlite_tally(
        1,
        "mobility_records r,",
        open_r,
        "r",
        &member("r", "org_path"),
        &recv("r"),
        &member("r", "status"),
        &member("r", "last_contact_on"),
        true,
    ));
    out.push(trigger("records_ins", "INSERT ON mobility_records", OPEN_NEW, record(1, "NEW", "true")));
    out.push(trigger("records_del", "DELETE ON mobility_records", OPEN_OLD, record(-1, "OLD", "true")));
    let mut upd = record(-1, "OLD", OPEN_OLD);
    upd.extend(record(1, "NEW", OPEN_NEW));
    out.push(trigger(
        "records_upd",
        "UPDATE OF member_id, direction, status, province_code, city_code, reason, start_date, receiving_org_id, \
         external_org_name ON mobility_records",
        &format!("({OPEN_OLD}) OR ({OPEN_NEW})"),
        upd,
    ));
    // Members: the open outflow of the member, with the old and then the new values.
    let of_member = "mobility_records r,";
    let guard_m = "r.member_id = OLD.id AND r.direction = 'outflow' AND r.status = 'open'";
    let swap = |main: bool| {
        let mut v = sqlite_tally(
            -1,
            of_member,
            guard_m,
            "r",
            "OLD.org_path",
            &recv("r"),
            "OLD.status",
            "OLD.last_contact_on",
            main,
        );
        v.extend(sqlite_tally(
            1,
            of_member,
            guard_m,
            "r",
            "NEW.org_path",
            &recv("r"),
            "NEW.status",
            "NEW.last_contact_on",
            main,
        ));
        v
    };
    out.push(trigger("members_path", "UPDATE OF org_path ON members", "OLD.org_path IS NOT NEW.org_path", swap(true)));
    out.push(trigger(
        "members_quiet",
        "UPDATE OF status, last_contact_on ON members",
        "OLD.org_path IS NEW.org_path AND (OLD.status IS NOT NEW.status OR OLD.last_contact_on IS NOT NEW.last_contact_on)",
        swap(false),
    ));
    // A deleted member: the ledger still shows the outflow under the receiving organisation.
    let mut del = sqlite_tally(
        -1,
        of_member,
        guard_m,
        "r",
        "OLD.org_path",
        &recv("r"),
        "OLD.status",
        "OLD.last_contact_on",
        true,
    );
    del.extend(sqlite_tally(1, of_member, guard_m, "r", "NULL", &recv("r"), "NULL", "NULL", true));
    out.push(trigger("members_del", "DELETE ON members", "true", del));
    // Organisations moved: the outflows they receive.
    let of_org = "mobility_records r,";
    let guard_o = "r.receiving_org_id = OLD.id AND r.direction = 'outflow' AND r.status = 'open'";
    let mut mv = sqlite_tally(
        -1,
        of_org,
        guard_o,
        "r",
        &member("r", "org_path"),
        "OLD.path",
        &member("r", "status"),
        &member("r", "last_contact_on"),
        true,
    );
    mv.extend(sqlite_tally(
        1,
        of_org,
        guard_o,
        "r",
        &member("r", "org_path"),
        "NEW.path",
        &member("r", "status"),
        &member("r", "last_contact_on"),
        true,
    ));
    out.push(trigger("orgs_path", "UPDATE OF path ON orgs", "OLD.path IS NOT NEW.path", mv));
    out
}

fn pg_outflow_tallies() -> Vec<String> {
    let rk = receiving_key("r");
    vec![
        format!(
            "CREATE FUNCTION outflow_tally_apply(r mobility_records, home text, recv text, mstatus text, mcontact date, \
             sign bigint, main boolean) RETURNS void LANGUAGE plpgsql AS $$ \
             DECLARE anc bigint[]; \
             BEGIN \
               SELECT array_agg(DISTINCT x::bigint ORDER BY x::bigint) INTO anc FROM unnest( \
                 string_to_array(trim(both '/' from home), '/') || string_to_array(trim(both '/' from recv), '/')) x; \
               IF anc IS NULL THEN RETURN; END IF; \
               IF main THEN \
                 INSERT INTO outflow_tallies AS t (org_id, province_code, city_code, reason, receiving, n) \
                 SELECT a, COALESCE(r.province_code, ''), COALESCE(r.city_code, ''), COALESCE(r.reason, ''), {rk}, sign \
                 FROM unnest(anc) a \
                 ON CONFLICT (org_id, province_code, city_code, reason, receiving) DO UPDATE SET n = t.n + excluded.n; \
               END IF; \
               IF mstatus = 'normal' THEN \
                 INSERT INTO outflow_quiet AS t (org_id, quiet_on, n) \
                 SELECT a, GREATEST(r.start_date, COALESCE(mcontact, r.start_date)), sign FROM unnest(anc) a \
                 ON CONFLICT (org_id, quiet_on) DO UPDATE SET n = t.n + excluded.n; \
               END IF; \
             END $$"
        ),
        "CREATE FUNCTION outflow_tally_records() RETURNS trigger LANGUAGE plpgsql AS $$ \
         DECLARE m members; ro text; \
         BEGIN \
           IF TG_OP <> 'INSERT' AND OLD.direction = 'outflow' AND OLD.status = 'open' THEN \
             SELECT * INTO m FROM members WHERE id = OLD.member_id; \
             SELECT path INTO ro FROM orgs WHERE id = OLD.receiving_org_id; \
             PERFORM outflow_tally_apply(OLD, m.org_path, ro, m.status, m.last_contact_on, -1, true); \
           END IF; \
           IF TG_OP <> 'DELETE' AND NEW.direction = 'outflow' AND NEW.status = 'open' THEN \
             SELECT * INTO m FROM members WHERE id = NEW.member_id; \
             SELECT path INTO ro FROM orgs WHERE id = NEW.receiving_org_id; \
             PERFORM outflow_tally_apply(NEW, m.org_path, ro, m.status, m.last_contact_on, 1, true); \
           END IF; \
           RETURN NULL; \
         END $$"
            .into(),
        "CREATE TRIGGER outflow_tallies_records AFTER INSERT OR DELETE OR UPDATE OF member_id, direction, status, \
         province_code, city_code, reason, start_date, receiving_org_id, external_org_name ON mobility_records \
         FOR EACH ROW EXECUTE FUNCTION outflow_tally_records()"
            .into(),
        "CREATE FUNCTION outflow_tally_members() RETURNS trigger LANGUAGE plpgsql AS $$ \
         DECLARE r mobility_records; ro text; main boolean; \
         BEGIN \
           IF TG_OP = 'DELETE' THEN main := true; ELSE main := OLD.org_path IS DISTINCT FROM NEW.org_path; END IF; \
           FOR r IN SELECT * FROM mobility_records WHERE member_id = OLD.id AND direction = 'outflow' AND status = 'open' LOOP \
             SELECT path INTO ro FROM orgs WHERE id = r.receiving_org_id; \
             PERFORM outflow_tally_apply(r, OLD.org_path, ro, OLD.status, OLD.last_contact_on, -1, main); \
             IF TG_OP = 'DELETE' THEN \
               PERFORM outflow_tally_apply(r, NULL, ro, NULL, NULL, 1, true); \
             ELSE \
               PERFORM outflow_tally_apply(r, NEW.org_path, ro, NEW.status, NEW.last_contact_on, 1, main); \
             END IF; \
           END LOOP; \
           RETURN NULL; \
         END $$"
            .into(),
        "CREATE TRIGGER outflow_tallies_members AFTER UPDATE OF org_path, status, last_contact_on ON members \
         FOR EACH ROW WHEN (OLD.org_path IS DISTINCT FROM NEW.org_path OR OLD.status IS DISTINCT FROM NEW.status \
         OR OLD.last_contact_on IS DISTINCT FROM NEW.last_contact_on) EXECUTE FUNCTION outflow_tally_members()"
            .into(),
        "CREATE TRIGGER outflow_tallies_members_del AFTER DELETE ON members FOR EACH ROW EXECUTE FUNCTION outflow_tally_members()"
            .into(),
        "CREATE FUNCTION outflow_tally_orgs() RETURNS trigger LANGUAGE plpgsql AS $$ \
         DECLARE r mobility_records; m members; \
         BEGIN \
           FOR r IN SELECT * FROM mobility_records WHERE receiving_org_id = OLD.id AND direction = 'outflow' AND status = 'open' LOOP \
             SELECT * INTO m FROM members WHERE id = r.member_id; \
             PERFORM outflow_tally_apply(r, m.org_path, OLD.path, m.status, m.last_contact_on, -1, true); \
             PERFORM outflow_tally_apply(r, m.org_path, NEW.path, m.status, m.last_contact_on, 1, true); \
           END LOOP; \
           RETURN NULL; \
         END $$"
            .into(),
        "CREATE TRIGGER outflow_tallies_orgs AFTER UPDATE OF path ON orgs FOR EACH ROW \
         WHEN (OLD.path IS DISTINCT FROM NEW.path) EXECUTE FUNCTION outflow_tally_orgs()"
            .into(),
        // Backfill.
        format!(
            "INSERT INTO outflow_tallies (org_id, province_code, city_code, reason, receiving, n) \
             SELECT org_id, p, c, rs, rk, COUNT(*) FROM (SELECT DISTINCT r.id, x::bigint AS org_id, \
             COALESCE(r.province_code, '') AS p, COALESCE(r.city_code, '') AS c, COALESCE(r.reason, '') AS rs, {rk} AS rk \
             FROM mobility_records r LEFT JOIN members m ON m.id = r.member_id LEFT JOIN orgs ro ON ro.id = r.receiving_org_id, \
             unnest(string_to_array(trim(both '/' from m.org_path), '/') || string_to_array(trim(both '/' from ro.path), '/')) x \
             WHERE r.direction = 'outflow' AND r.status = 'open') t GROUP BY org_id, p, c, rs, rk"
        ),
        "INSERT INTO outflow_quiet (org_id, quiet_on, n) \
         SELECT org_id, q, COUNT(*) FROM (SELECT DISTINCT r.id, x::bigint AS org_id, \
         GREATEST(r.start_date, COALESCE(m.last_contact_on, r.start_date)) AS q \
         FROM mobility_records r JOIN members m ON m.id = r.member_id LEFT JOIN orgs ro ON ro.id = r.receiving_org_id, \
         unnest(string_to_array(trim(both '/' from m.org_path), '/') || string_to_array(trim(both '/' from ro.path), '/')) x \
         WHERE r.direction = 'outflow' AND r.status = 'open' AND m.status = 'normal') t GROUP BY org_id, q"
            .into(),
    ]
}

/// Full members in normal status counted per organisation (`org_full_members (org_id) → n`), kept
/// current by triggers in the writing transaction, so the duty engine reads one small row per
/// organisation instead of grouping every member of the subtree. Keyed by the organisation's id, so
/// organisation moves (which rewrite members' paths, not their organisation) change nothing.
///
/// Triggers on members: insert, delete, and updates of status, category or organisation. SQLite: row
/// triggers. PostgreSQL: statement triggers with transition tables, one upsert per organisation and
/// statement (a bulk import of one organisation's members writes its row once, not once per member).
/// A row whose count fell to 0 stays (it reads as 0, like a missing row).
fn full_member_counts(b: DatabaseBackend) -> Vec<Stmt> {
    const FULL: &str = "status = 'normal' AND category = 'full'";
    let mut out = vec![
        Stmt::Raw("CREATE TABLE org_full_members (org_id BIGINT PRIMARY KEY NOT NULL, n BIGINT NOT NULL)".into()),
        // Backfill.
        Stmt::Raw(format!(
            "INSERT INTO org_full_members (org_id, n) SELECT org_id, COUNT(*) FROM members WHERE {FULL} GROUP BY org_id"
        )),
    ];
    if b == DatabaseBackend::Postgres {
        // `d` is a set of (org_id, delta) rows; one upsert per organisation.
        let apply = |d: &str| {
            format!(
                "INSERT INTO org_full_members AS t (org_id, n) SELECT org_id, SUM(s) FROM ({d}) d GROUP BY org_id \
                 ON CONFLICT (org_id) DO UPDATE SET n = t.n + excluded.n;"
            )
        };
        let old = format!("SELECT org_id, -1 AS s FROM old_rows WHERE {FULL}");
        let new = format!("SELECT org_id, 1 AS s FROM new_rows WHERE {FULL}");
        for (name, event, referencing, delta) in [
            ("ins", "INSERT", "NEW TABLE AS new_rows", new.clone()),
            ("del", "DELETE", "OLD TABLE AS old_rows", old.clone()),
            ("upd", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", format!("{old} UNION ALL {new}")),
        ] {
            out.push(Stmt::Raw(format!(
                "CREATE FUNCTION org_full_members_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {} RETURN NULL; END $$",
                apply(&delta)
            )));
            out.push(Stmt::Raw(format!(
                "CREATE TRIGGER org_full_members_{name} AFTER {event} ON members REFERENCING {referencing} \
                 FOR EACH STATEMENT EXECUTE FUNCTION org_full_members_{name}()"
            )));
        }
    } else {
        let add = |org: &str, n: i64| {
            format!(
                "INSERT INTO org_full_members (org_id, n) VALUES ({org}, {n}) \
                 ON CONFLICT (org_id) DO UPDATE SET n = n + excluded.n;"
            )
        };
        let is_full = |r: &str| format!("{r}.status = 'normal' AND {r}.category = 'full'");
        out.push(Stmt::Raw(format!(
            "CREATE TRIGGER org_full_members_ins AFTER INSERT ON members WHEN {} BEGIN {} END",
            is_full("NEW"),
            add("NEW.org_id", 1)
        )));
        out.push(Stmt::Raw(format!(
            "CREATE TRIGGER org_full_members_del AFTER DELETE ON members WHEN {} BEGIN {} END",
            is_full("OLD"),
            add("OLD.org_id", -1)
        )));
        // Both halves run only when the row's contribution changed; each is a no-op SELECT otherwise.
        out.push(Stmt::Raw(format!(
            "CREATE TRIGGER org_full_members_upd AFTER UPDATE OF status, category, org_id ON members \
             WHEN OLD.status IS NOT NEW.status OR OLD.category IS NOT NEW.category OR OLD.org_id IS NOT NEW.org_id BEGIN \
             INSERT INTO org_full_members (org_id, n) SELECT OLD.org_id, -1 WHERE {old} \
             ON CONFLICT (org_id) DO UPDATE SET n = n + excluded.n; \
             INSERT INTO org_full_members (org_id, n) SELECT NEW.org_id, 1 WHERE {new} \
             ON CONFLICT (org_id) DO UPDATE SET n = n + excluded.n; END",
            old = is_full("OLD"),
            new = is_full("NEW"),
        )));
    }
    out
}

/// Per organisation and year, the kinds and dates of its held activities (`activity_orgs` rows with
/// a `held_on`), as two comma-separated lists in the same order: the duty engine reads one short row
/// per organisation instead of aggregating 300,000 activity rows after every write
/// (docs/performance.md, round 5). Kept by triggers on `activity_orgs`.
fn held_activities(b: DatabaseBackend) -> Vec<Stmt> {
    let pg = b == DatabaseBackend::Postgres;
    let year = |d: &str| {
        if pg {
            format!("CAST(EXTRACT(YEAR FROM {d}) AS INTEGER)")
        } else {
            format!("CAST(substr({d}, 1, 4) AS INTEGER)")
        }
    };
    let (kinds, dates) = if pg {
        (
            "string_agg(ao.kind, ',' ORDER BY ao.held_on, ao.kind)",
            "string_agg(CAST(ao.held_on AS TEXT), ',' ORDER BY ao.held_on, ao.kind)",
        )
    } else {
        // One pass feeds both aggregates, so their items line up.
        ("group_concat(ao.kind, ',')", "group_concat(ao.held_on, ',')")
    };
    let mut out = vec![
        Stmt::Raw(
            "CREATE TABLE org_held_activities (org_id BIGINT NOT NULL, year INTEGER NOT NULL, \
             kinds TEXT NOT NULL, dates TEXT NOT NULL, PRIMARY KEY (org_id, year))"
                .into(),
        ),
        Stmt::Raw(format!(
            "INSERT INTO org_held_activities (org_id, year, kinds, dates) \
             SELECT ao.org_id, {y}, {kinds}, {dates} FROM activity_orgs ao \
             WHERE ao.held_on IS NOT NULL AND ao.kind IS NOT NULL GROUP BY ao.org_id, {y}",
            y = year("ao.held_on")
        )),
        // It served the aggregation this table replaces; the triggers find an organisation's rows
        // through `activity_orgs_org`.
        Stmt::Raw("DROP INDEX activity_orgs_held".into()),
    ];
    if pg {
        // Statement triggers: the (organisation, year) pairs a statement touched are computed
        // again from `activity_orgs`. The organisations' rows are locked first, so that two
        // transactions changing one organisation's activities recompute one after the other, each
        // seeing the other's rows.
        let affected = |rows: &str| {
            format!("SELECT DISTINCT org_id, {} AS year FROM ({rows}) r WHERE held_on IS NOT NULL", year("held_on"))
        };
        for (name, event, referencing, rows) in [
            ("ins", "INSERT", "NEW TABLE AS new_rows", "SELECT org_id, held_on FROM new_rows".to_string()),
            ("del", "DELETE", "OLD TABLE AS old_rows", "SELECT org_id, held_on FROM old_rows".to_string()),
            (
                "upd",
                "UPDATE",
                "OLD TABLE AS old_rows NEW TABLE AS new_rows",
                "SELECT org_id, held_on FROM old_rows UNION ALL SELECT org_id, held_on FROM new_rows".to_string(),
            ),
        ] {
            let a = affected(&rows);
            out.push(Stmt::Raw(format!(
                "CREATE FUNCTION org_held_activities_{name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
                 PERFORM 1 FROM orgs WHERE id IN (SELECT org_id FROM ({a}) x) ORDER BY id FOR NO KEY UPDATE; \
                 DELETE FROM org_held_activities h USING ({a}) x WHERE h.org_id = x.org_id AND h.year = x.year; \
                 INSERT INTO org_held_activities (org_id, year, kinds, dates) \
                 SELECT ao.org_id, x.year, {kinds}, {dates} FROM ({a}) x JOIN activity_orgs ao ON ao.org_id = x.org_id \
                 AND ao.held_on >= make_date(x.year, 1, 1) AND ao.held_on < make_date(x.year + 1, 1, 1) \
                 WHERE ao.kind IS NOT NULL GROUP BY ao.org_id, x.year; \
                 RETURN NULL; END $$"
            )));
            out.push(Stmt::Raw(format!(
                "CREATE TRIGGER org_held_activities_{name} AFTER {event} ON activity_orgs REFERENCING {referencing} \
                 FOR EACH STATEMENT EXECUTE FUNCTION org_held_activities_{name}()"
            )));
        }
    } else {
        // A row that became held is appended to its list; any other change computes the
        // (organisation, year) again.
        let append = |r: &str| {
            format!(
                "INSERT INTO org_held_activities (org_id, year, kinds, dates) \
                 VALUES ({r}.org_id, {y}, {r}.kind, {r}.held_on) ON CONFLICT (org_id, year) \
                 DO UPDATE SET kinds = kinds || ',' || excluded.kinds, dates = dates || ',' || excluded.dates;",
                y = year(&format!("{r}.held_on"))
            )
        };
        let recompute = |r: &str| {
            let y = year(&format!("{r}.held_on"));
            format!(
                "DELETE FROM org_held_activities WHERE {r}.held_on IS NOT NULL AND org_id = {r}.org_id AND year = {y}; \
                 INSERT INTO org_held_activities (org_id, year, kinds, dates) \
                 SELECT ao.org_id, {y}, {kinds}, {dates} FROM activity_orgs ao \
                 WHERE {r}.held_on IS NOT NULL AND ao.org_id = {r}.org_id AND ao.kind IS NOT NULL \
                 AND ao.held_on >= substr({r}.held_on, 1, 4) || '-01-01' AND ao.held_on <= substr({r}.held_on, 1, 4) || '-12-31' \
                 GROUP BY ao.org_id;"
            )
        };
        out.push(Stmt::Raw(format!(
            "CREATE TRIGGER org_held_activities_ins AFTER INSERT ON activity_orgs \
             WHEN NEW.held_on IS NOT NULL AND NEW.kind IS NOT NULL BEGIN {} END",
            append("NEW")
        )));
        out.push(Stmt::Raw(format!(
            "CREATE TRIGGER org_held_activities_del AFTER DELETE ON activity_orgs WHEN OLD.held_on IS NOT NULL BEGIN {} END",
            recompute("OLD")
        )));
        out.push(Stmt::Raw(format!(
            "CREATE TRIGGER org_held_activities_held AFTER UPDATE OF held_on, kind, org_id ON activity_orgs \
             WHEN OLD.held_on IS NULL AND NEW.held_on IS NOT NULL AND NEW.kind IS NOT NULL BEGIN {} END",
            append("NEW")
        )));
        out.push(Stmt::Raw(format!(
            "CREATE TRIGGER org_held_activities_upd AFTER UPDATE OF held_on, kind, org_id ON activity_orgs \
             WHEN OLD.held_on IS NOT NULL AND (OLD.held_on IS NOT NEW.held_on OR OLD.kind IS NOT NEW.kind \
             OR OLD.org_id IS NOT NEW.org_id) BEGIN {} {} END",
            recompute("OLD"),
            recompute("NEW")
        )));
    }
    out
}

/// The year an annual meeting (组织生活会, 民主评议) held in January–February is about, when the
/// organiser records the previous one (`duty::counts_on`); NULL: the year it was held.
fn activity_for_year(_b: DatabaseBackend) -> Vec<Stmt> {
    vec![Stmt::Raw("ALTER TABLE activities ADD COLUMN for_year INTEGER".into())]
}

/// Free-text personal fields get sealed columns (SM4-GCM like the ID number). The plaintext columns
/// stay in the schema (dropping a column is not portable across the SQLite versions we accept), but
/// nothing writes them any more: the keys are needed to seal what they hold, and a migration has
/// none, so `platform::sealing::seal_plaintext` moves existing text over at start-up and clears
/// the plaintext, row by row in batches.
fn sealed_free_text(_b: DatabaseBackend) -> Vec<Stmt> {
    [
        ("mobility_records", "address_enc"),
        ("census_entries", "current_place_enc"),
        ("census_entries", "circumstances_enc"),
        ("census_entries", "thoughts_enc"),
        ("census_entries", "needs_enc"),
        ("contacts", "note_enc"),
    ]
    .into_iter()
    .map(|(t, c)| Stmt::Raw(format!("ALTER TABLE {t} ADD COLUMN {c} TEXT")))
    .collect()
}

fn committee_posts(_b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        // The posts of an organisation's committee, with the days they are held (until: inclusive,
        // null while held); a term is the posts elected on one day.
        Stmt::Table(
            Table::create()
                .table("committee_posts")
                .col(id("id"))
                .col(big("org_id"))
                .col(big("member_id"))
                .col(text("post"))
                .col(date("since"))
                .col(date_null("until"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("committee_posts_org", "committee_posts", &["org_id", "since"], false),
        index("committee_posts_member", "committee_posts", &["member_id"], false),
    ]
}
/// Issue 16 and 22.10, members area:
/// - `members.unreachable_since`: the first failed attempt to reach a member since they were last
///   reached (kept by the contact log), so that a member at home who cannot be reached counts as
///   lost contact; `members.suspended_on`: the day the membership was suspended (停止党籍), from
///   which the next step is counted.
/// - `census_entries.receiving_org_id`: the organisation receiving the member when the campaign
///   started, which verifies the entry with the home organisation.
/// - The member record is the one place for employer and occupation: an open outflow's own copies
///   move to the member (the outflow's, being newer, win) and are cleared.
fn members_reach(_b: DatabaseBackend) -> Vec<Stmt> {
    let mut out = vec![
        Stmt::Raw("ALTER TABLE members ADD COLUMN unreachable_since DATE".into()),
        Stmt::Raw("ALTER TABLE members ADD COLUMN suspended_on DATE".into()),
        Stmt::Raw(
            "UPDATE members SET unreachable_since = (SELECT MIN(c.contacted_on) FROM contacts c \
             WHERE c.member_id = members.id AND c.reached = false \
             AND (members.last_contact_on IS NULL OR c.contacted_on > members.last_contact_on)) \
             WHERE id IN (SELECT member_id FROM contacts WHERE reached = false)"
                .into(),
        ),
        Stmt::Raw("ALTER TABLE census_entries ADD COLUMN receiving_org_id BIGINT".into()),
        Stmt::Raw(
            "UPDATE census_entries SET receiving_org_id = (SELECT r.receiving_org_id FROM mobility_records r \
             WHERE r.member_id = census_entries.member_id AND r.direction = 'outflow' AND r.status = 'open')"
                .into(),
        ),
        index("census_entries_receiving", "census_entries", &["receiving_org_id", "campaign_id"], false),
    ];
    out.extend(WORK_TO_MEMBERS.iter().map(|s| Stmt::Raw(s.to_string())));
    out
}

/// Moves the employer and occupation written on open outflows to their members and clears them
/// there (migration 0012; the demo's outflows go the same way).
pub const WORK_TO_MEMBERS: [&str; 3] = [
    "UPDATE members SET employer = (SELECT r.employer FROM mobility_records r WHERE r.member_id = members.id \
     AND r.direction = 'outflow' AND r.status = 'open') \
     WHERE id IN (SELECT member_id FROM mobility_records WHERE direction = 'outflow' AND status = 'open' AND employer IS NOT NULL)",
    "UPDATE members SET occupation = (SELECT r.occupation FROM mobility_records r WHERE r.member_id = members.id \
     AND r.direction = 'outflow' AND r.status = 'open') \
     WHERE id IN (SELECT member_id FROM mobility_records WHERE direction = 'outflow' AND status = 'open' AND occupation IS NOT NULL)",
    "UPDATE mobility_records SET employer = NULL, occupation = NULL \
     WHERE direction = 'outflow' AND status = 'open' AND member_id IS NOT NULL",
];

/// Issue 23, the member portal: a member's own report that they are leaving (外出报备), waiting in
/// the home organisation's queue as a proposed outflow until a worker confirms it into the ledger
/// (`mobility_record_id`) or declines it with a reason. The queue follows the member's current
/// organisation (`members.org_path`), so the report keeps no path copy.
fn outflow_reports(_b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Table(
            Table::create()
                .table("outflow_reports")
                .col(id("id"))
                .col(big("member_id"))
                .col(big("org_id"))
                .col(text("province_code"))
                .col(text("city_code"))
                .col(text_null("county_code"))
                // Free text in the member's words, sealed (`platform::sealing`).
                .col(text_null("address_enc"))
                .col(text_null("employer"))
                .col(text_null("occupation"))
                .col(text("reason"))
                .col(date("start_date"))
                .col(date_null("expected_return"))
                .col(text_null("note_enc"))
                .col(boolean("phone_changed"))
                .col(text("status"))
                .col(text_null("decline_reason"))
                .col(big_null("mobility_record_id"))
                .col(big_null("decided_by"))
                .col(ts_null("decided_at"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("outflow_reports_member", "outflow_reports", &["member_id", "status"], false),
        index("outflow_reports_status", "outflow_reports", &["status", "created_at"], false),
    ]
}

/// Issue 17: the column mappings a county saved for rosters whose headers the importer does not know
/// (which column holds which field, and the header row), offered by name on the next import.
fn import_mappings(_b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Table(
            Table::create()
                .table("import_mappings")
                .col(id("id"))
                // The county's root organisation.
                .col(big("county_id"))
                .col(text("name"))
                .col(int("header_row"))
                // JSON: field → column letter.
                .col(text("columns"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("import_mappings_county_name", "import_mappings", &["county_id", "name"], true),
    ]
}

/// Services (issue 18): departments, service places with their inspections and spend, the policy
/// library with its full-text index (bigrams, `honglian_domain::services::search`): an FTS5 table kept
/// by triggers on SQLite, a generated tsvector with a GIN index on PostgreSQL.
fn services(b: DatabaseBackend) -> Vec<Stmt> {
    let mut out = vec![
        Stmt::Table(
            Table::create()
                .table("departments")
                .col(id("id"))
                .col(path(b, "county_path"))
                .col(text("name"))
                .col(int("sort"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("departments_county_name", "departments", &["county_path", "name"], true),
        Stmt::Table(
            Table::create()
                .table("service_places")
                .col(id("id"))
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(text("kind"))
                .col(text("name"))
                .col(text("address"))
                .col(double_null("lng"))
                .col(double_null("lat"))
                .col(text("hours"))
                .col(text("offers"))
                // JSON: the department windows staffed there.
                .col(text("windows"))
                // JSON: the items of the venue standard the place meets.
                .col(text("ticked"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("service_places_path", "service_places", &["org_path"], false),
        Stmt::Table(
            Table::create()
                .table("service_place_inspections")
                .col(id("id"))
                .col(big("place_id"))
                .col(date("inspected_on"))
                .col(text("inspector"))
                .col(text("ticked"))
                .col(text("note"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("service_place_inspections_place", "service_place_inspections", &["place_id", "inspected_on"], false),
        Stmt::Table(
            Table::create()
                .table("service_place_spends")
                .col(id("id"))
                .col(big("place_id"))
                .col(date("spent_on"))
                .col(big("amount_fen"))
                .col(text("purpose"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("service_place_spends_place", "service_place_spends", &["place_id", "spent_on"], false),
        Stmt::Table(
            Table::create()
                .table("policies")
                .col(id("id"))
                .col(path(b, "county_path"))
                .col(big("department_id"))
                .col(text("doc_no"))
                .col(text("title"))
                .col(text("summary"))
                .col(text("body"))
                .col(date("issued_on"))
                .col(date("effective_from"))
                .col(date_null("effective_until"))
                // JSON lists: industries (empty = all), enterprise sizes (empty = all), tags.
                .col(text("industries"))
                .col(text("sizes"))
                .col(text("tags"))
                .col(text("search_title"))
                .col(text("search_body"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("policies_county_issued", "policies", &["county_path", "issued_on"], false),
        // The search page's counts by department read this index alone.
        index("policies_department", "policies", &["county_path", "department_id"], false),
    ];
    out.extend(service_requests(b));
    if b == DatabaseBackend::Postgres {
        out.push(Stmt::Raw(
            "ALTER TABLE policies ADD COLUMN search tsvector GENERATED ALWAYS AS \
             (setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_body), 'B')) STORED"
                .into(),
        ));
        out.push(Stmt::Raw("CREATE INDEX policies_search ON policies USING GIN (search)".into()));
    } else {
        out.push(Stmt::Raw(
            "CREATE VIRTUAL TABLE policies_fts USING fts5(search_title, search_body, content='policies', \
             content_rowid='id', detail=full)"
                .into(),
        ));
        out.push(Stmt::Raw(
            "CREATE TRIGGER policies_fts_insert AFTER INSERT ON policies BEGIN \
             INSERT INTO policies_fts(rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body); END"
                .into(),
        ));
        out.push(Stmt::Raw(
            "CREATE TRIGGER policies_fts_delete AFTER DELETE ON policies BEGIN \
             INSERT INTO policies_fts(policies_fts, rowid, search_title, search_body) \
             VALUES ('delete', old.id, old.search_title, old.search_body); END"
                .into(),
        ));
        out.push(Stmt::Raw(
            "CREATE TRIGGER policies_fts_update AFTER UPDATE ON policies BEGIN \
             INSERT INTO policies_fts(policies_fts, rowid, search_title, search_body) \
             VALUES ('delete', old.id, old.search_title, old.search_body); \
             INSERT INTO policies_fts(rowid, search_title, search_body) VALUES (new.id, new.search_title, new.search_body); END"
                .into(),
        ));
    }
    out
}

/// 红链直通车 (part of 0017): the county's working-day calendar, request categories routed to a
/// department with a time limit, requests and their history; a department handler's grant names
/// their department.
fn service_requests(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Raw("ALTER TABLE grants ADD COLUMN department_id BIGINT".into()),
        Stmt::Table(
            Table::create()
                .table("work_calendar_days")
                .col(id("id"))
                .col(path(b, "county_path"))
                .col(date("day"))
                // false: a weekday off (法定节假日); true: a weekend day worked (调休).
                .col(boolean("working"))
                .col(text("note"))
                .to_owned(),
        ),
        index("work_calendar_days_county_day", "work_calendar_days", &["county_path", "day"], true),
        Stmt::Table(
            Table::create()
                .table("request_categories")
                .col(id("id"))
                .col(path(b, "county_path"))
                .col(text("name"))
                .col(big("department_id"))
                .col(int("limit_days"))
                .col(int("sort"))
                .to_owned(),
        ),
        index("request_categories_county_name", "request_categories", &["county_path", "name"], true),
        Stmt::Table(
            Table::create()
                .table("service_requests")
                .col(id("id"))
                .col(path(b, "county_path"))
                .col(big("category_id"))
                .col(big("department_id"))
                .col(text("requester_kind"))
                .col(big_null("requester_id"))
                .col(text("requester_name"))
                // The organisation that asked (a branch on an enterprise's behalf, a member's own).
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(big_null("host_id"))
                .col(text("host_name"))
                .col(text("title"))
                .col(text("description"))
                .col(text("status"))
                .col(int("limit_days"))
                .col(date("submitted_on"))
                .col(date("due_on"))
                .col(date_null("accepted_on"))
                .col(date_null("answered_on"))
                .col(date_null("closed_on"))
                .col(text("reply"))
                .col(text_null("rating"))
                .col(text("rating_comment"))
                .col(boolean("reopened"))
                .col(date_null("escalated_on"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("service_requests_department", "service_requests", &["department_id", "status", "due_on"], false),
        index("service_requests_county", "service_requests", &["county_path", "submitted_on"], false),
        index("service_requests_org", "service_requests", &["org_path"], false),
        index("service_requests_requester", "service_requests", &["requester_id"], false),
        Stmt::Table(
            Table::create()
                .table("service_request_events")
                .col(id("id"))
                .col(big("request_id"))
                .col(ts("at"))
                .col(big_null("actor_id"))
                .col(text("actor_name"))
                .col(text("action"))
                .col(big("department_id"))
                .col(big_null("to_department_id"))
                .col(text("note"))
                .to_owned(),
        ),
        index("service_request_events_request", "service_request_events", &["request_id", "at"], false),
    ]
}

/// An index on `lead` that also holds a request's sort keys (`requests::list`).
fn request_keys(lead: &'static str) -> [&'static str; 4] {
    [lead, "status", "due_on", "submitted_on"]
}

/// Services reaching enterprises and members (0018): an enterprise contact's grant names their
/// enterprise; photos of places and attachments of requests; 送政策、送服务、送温暖上门 outreach visits
/// with what they delivered; needs and the match the service team accepted.
fn services_reach(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Raw("ALTER TABLE grants ADD COLUMN host_id BIGINT".into()),
        // Each part of a caller's reach reads the requests' sort keys from one of these alone (a list
        // counts and orders without touching the table, whose long texts push `status` into overflow
        // pages); an enterprise contact's part is new.
        Stmt::Raw("DROP INDEX service_requests_department".into()),
        Stmt::Raw("DROP INDEX service_requests_org".into()),
        Stmt::Raw("DROP INDEX service_requests_requester".into()),
        index("service_requests_department", "service_requests", &request_keys("department_id"), false),
        index("service_requests_org", "service_requests", &request_keys("org_path"), false),
        index("service_requests_requester", "service_requests", &request_keys("requester_id"), false),
        index("service_requests_host", "service_requests", &request_keys("host_id"), false),
        index("service_requests_county_keys", "service_requests", &request_keys("county_path"), false),
        Stmt::Table(
            Table::create()
                .table("service_files")
                .col(id("id"))
                // "place" (a photo) or "request" (an attachment).
                .col(text("subject"))
                .col(big("subject_id"))
                .col(text("filename"))
                .col(text("content_type"))
                .col(big("size"))
                .col(text("key"))
                .col(big_null("uploaded_by"))
                .col(text("uploaded_by_name"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("service_files_subject", "service_files", &["subject", "subject_id"], false),
        Stmt::Table(
            Table::create()
                .table("outreach_visits")
                .col(id("id"))
                .col(path(b, "county_path"))
                // The visiting organisation.
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(big_null("host_id"))
                .col(text("host_name"))
                .col(date("visited_on"))
                // JSON: what was delivered (policy, service, warmth).
                .col(text("kinds"))
                .col(text("visitors"))
                .col(text("summary"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("outreach_visits_path", "outreach_visits", &["org_path", "visited_on"], false),
        index("outreach_visits_county", "outreach_visits", &["county_path", "visited_on"], false),
        index("outreach_visits_host", "outreach_visits", &["host_id"], false),
        Stmt::Table(
            Table::create()
                .table("outreach_links")
                .col(id("id"))
                .col(big("visit_id"))
                // "policy" or "request".
                .col(text("kind"))
                .col(big("target_id"))
                .to_owned(),
        ),
        index("outreach_links_visit", "outreach_links", &["visit_id", "kind", "target_id"], true),
        index("outreach_links_target", "outreach_links", &["kind", "target_id"], false),
        Stmt::Table(
            Table::create()
                .table("needs")
                .col(id("id"))
                .col(path(b, "county_path"))
                // The organisation that collected it (a member's own, a branch for an enterprise).
                .col(big("org_id"))
                .col(path(b, "org_path"))
                // need, suggestion, complaint (诉求、建议、投诉).
                .col(text("kind"))
                // member, enterprise, console, census.
                .col(text("source"))
                .col(big_null("requester_id"))
                .col(text("requester_name"))
                .col(big_null("host_id"))
                .col(text("host_name"))
                .col(text("title"))
                .col(text("description"))
                // JSON list of tags.
                .col(text("tags"))
                // open, matched, resolved, unresolved.
                .col(text("status"))
                // The accepted match: policy, place, department or request, its id and the reason.
                .col(text_null("match_kind"))
                .col(big_null("match_id"))
                .col(text("match_name"))
                .col(text("match_reason"))
                .col(text("outcome"))
                .col(date_null("matched_on"))
                .col(date_null("closed_on"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("needs_path", "needs", &["org_path"], false),
        index("needs_county", "needs", &["county_path", "status", "created_at"], false),
        index("needs_requester", "needs", &["requester_id"], false),
        // The thread of a need: the requester's words and the answers.
        Stmt::Table(
            Table::create()
                .table("need_messages")
                .col(id("id"))
                .col(big("need_id"))
                .col(ts("at"))
                .col(big_null("author_id"))
                .col(text("author_name"))
                .col(boolean("from_requester"))
                .col(text("body"))
                .to_owned(),
        ),
        index("need_messages_need", "need_messages", &["need_id", "at"], false),
    ]
}

/// The member portal (0019): invitations, single-use, expiring, bound to one member (only the code's SM3
/// hash is kept: the code itself is shown once, on the sheet the branch prints); a member's own report
/// says whether they leave or come back (返回报备); a member's own marks on the learning venues.
fn portal(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Raw("ALTER TABLE outflow_reports ADD COLUMN kind TEXT NOT NULL DEFAULT 'leave'".into()),
        Stmt::Table(
            Table::create()
                .table("invitations")
                .col(id("id"))
                .col(big("member_id"))
                // The member's organisation when invited (the inviting worker's scope reached it).
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(text("code_hash"))
                // pending, activated, revoked, locked (too many wrong answers).
                .col(text("status"))
                .col(int("wrong_answers"))
                .col(ts("expires_at"))
                .col(big_null("created_by"))
                .col(text("created_by_name"))
                .col(ts("created_at"))
                .col(ts_null("closed_at"))
                // The account the activation created.
                .col(big_null("user_id"))
                .to_owned(),
        ),
        index("invitations_code", "invitations", &["code_hash"], true),
        index("invitations_path", "invitations", &["org_path", "status", "created_at"], false),
        index("invitations_member", "invitations", &["member_id", "status"], false),
        // Who of a branch has an account already (the invitations a batch still has to make).
        index("users_member", "users", &["member_id"], false),
        // 学习: a member's own marks on the county's learning venues (the venue's key in the county's list).
        Stmt::Table(
            Table::create()
                .table("learning_visits")
                .col(big("user_id"))
                .col(text("venue_key"))
                .col(date("visited_on"))
                .primary_key(Index::create().col("user_id").col("venue_key"))
                .to_owned(),
        ),
    ]
}

/// Bulletins (0020): notices written by an organisation for the members of its subtree (and, with
/// `include_outflow`, the outflow members its subtree receives), and who has read each one (counts
/// only; a read is the member's own act, never demanded). Attachments are `service_files` with the
/// subject "bulletin".
fn bulletins(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Table(
            Table::create()
                .table("bulletins")
                .col(id("id"))
                // The writing organisation: the bulletin reaches its subtree.
                .col(big("org_id"))
                .col(path(b, "org_path"))
                // notice, activity (通知公告、活动通知).
                .col(text("kind"))
                .col(text("title"))
                // Plain text, at most 5,000 characters.
                .col(text("body"))
                // Also the open outflows received by an organisation of the subtree.
                .col(boolean("include_outflow"))
                .col(big_null("author_id"))
                .col(text("author_name"))
                .col(ts("published_at"))
                .col(ts_null("withdrawn_at"))
                .col(big_null("withdrawn_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("bulletins_path", "bulletins", &["org_path", "published_at"], false),
        Stmt::Table(
            Table::create()
                .table("bulletin_reads")
                .col(big("bulletin_id"))
                .col(big("user_id"))
                .col(ts("read_at"))
                .primary_key(Index::create().col("bulletin_id").col("user_id"))
                .to_owned(),
        ),
        index("bulletin_reads_user", "bulletin_reads", &["user_id", "bulletin_id"], false),
    ]
}

/// Notifications that leave (0021): one outbox for every channel, delivered by workers that take rows
/// by lease (`lease_token`, `lease_until`: an instance killed mid-job loses its rows when the lease
/// runs out), retried with backoff, given up after six tries (`dead`); a user's channel preferences
/// and quiet hours; an organisation's group robots (WeCom, DingTalk: the webhook and the signing
/// secret sealed); holiday greetings to the open outflows of a subtree.
fn outbox(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Table(
            Table::create()
                .table("outbox")
                .col(id("id"))
                // in_app, email, wecom, dingtalk.
                .col(text("channel"))
                .col(big_null("user_id"))
                .col(big_null("robot_id"))
                // The member a greeting is for (its delivery is written in their contact log).
                .col(big_null("member_id"))
                // The organisation whose act sent it: the administrators of its subtree see it.
                .col(path(b, "org_path"))
                // What sent it, e.g. greeting:12 (delivery figures are counted by it).
                .col(text("source"))
                .col(text("kind"))
                .col(text("title"))
                .col(text("body"))
                .col(text_null("link"))
                // One row per message and recipient: a second enqueue of the same is skipped.
                .col(text("dedupe_key"))
                // queued, sent, dead.
                .col(text("status"))
                .col(int("attempts"))
                .col(ts("next_at"))
                .col(text_null("lease_token"))
                .col(ts_null("lease_until"))
                .col(text_null("last_error"))
                .col(ts("created_at"))
                .col(ts_null("sent_at"))
                .to_owned(),
        ),
        index("outbox_dedupe", "outbox", &["dedupe_key"], true),
        index("outbox_due", "outbox", &["status", "channel", "next_at"], false),
        // Greeting figures count reads by the notification's key.
        index("notifications_key", "notifications", &["dedupe_key"], false),
        index("outbox_lease", "outbox", &["lease_token"], false),
        index("outbox_source", "outbox", &["source", "channel", "status"], false),
        index("outbox_path", "outbox", &["org_path", "status"], false),
        index("outbox_robot", "outbox", &["robot_id", "sent_at"], false),
        Stmt::Table(
            Table::create()
                .table("notify_prefs")
                .col(id("id"))
                .col(big("user_id"))
                // Sealed (SM4-GCM), the user as associated data.
                .col(text_null("email_enc"))
                .col(boolean("email_on"))
                // Minutes after midnight, China Standard Time; both or neither.
                .col(ColumnDef::new("quiet_start").integer().null())
                .col(ColumnDef::new("quiet_end").integer().null())
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("notify_prefs_user", "notify_prefs", &["user_id"], true),
        Stmt::Table(
            Table::create()
                .table("robots")
                .col(id("id"))
                .col(big("org_id"))
                .col(path(b, "org_path"))
                // wecom, dingtalk.
                .col(text("kind"))
                .col(text("name"))
                // The webhook URL carries the robot's key: sealed.
                .col(text("url_enc"))
                .col(text_null("secret_enc"))
                .col(text("host"))
                .col(boolean("enabled"))
                .col(text("created_by_name"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("robots_path", "robots", &["org_path"], false),
        Stmt::Table(
            Table::create()
                .table("greetings")
                .col(id("id"))
                .col(big("org_id"))
                .col(path(b, "org_path"))
                // 春节, 中秋节 … as written.
                .col(text("occasion"))
                .col(text("title"))
                .col(text("body"))
                .col(big_null("author_id"))
                .col(text("author_name"))
                .col(ts("created_at"))
                // Open outflows reached when it was sent, and of those how many had no account.
                .col(int("targeted"))
                .col(int("no_account"))
                .to_owned(),
        ),
        index("greetings_path", "greetings", &["org_path", "created_at"], false),
    ]
}

/// Invitations sent to a group robot (0022): each invitation names the outbox message that carries it.
/// The code is never stored: the worker makes the invitation's code anew when it sends the message
/// (only its hash is kept, as for a printed one), so an outbox row holds no secret.
fn invitations_by_robot(_: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Raw("ALTER TABLE invitations ADD COLUMN outbox_id BIGINT".into()),
        index("invitations_outbox", "invitations", &["outbox_id"], false),
    ]
}

/// 回乡工程 (0023): investment drives held with the chambers, the members who took part, and the
/// project leads with the dated steps of their pipeline. Money in exact fen.
fn hometown_investment(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Table(
            Table::create()
                .table("investment_drives")
                .col(id("id"))
                // The organisation that held it (a chamber branch, or one over several chambers).
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(date("held_on"))
                .col(text("city"))
                .col(text("title"))
                // The county leaders who held it, as written (吴川市委常委 …).
                .col(text("leaders"))
                // The entrepreneurs of the chambers who came, one per line.
                .col(text("entrepreneurs"))
                .col(text("summary"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("investment_drives_path", "investment_drives", &["org_path", "held_on"], false),
        Stmt::Table(
            Table::create()
                .table("investment_drive_members")
                .col(big("drive_id"))
                .col(big("member_id"))
                .primary_key(Index::create().col("drive_id").col("member_id"))
                .to_owned(),
        ),
        index("investment_drive_members_member", "investment_drive_members", &["member_id"], false),
        Stmt::Table(
            Table::create()
                .table("investment_leads")
                .col(id("id"))
                // The organisation that follows it up (the chamber branch): its subtree's workers and
                // the county see it.
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(big_null("drive_id"))
                .col(text("project"))
                .col(text("sector"))
                .col(text("investor"))
                // The member who brought it (name kept as it was when recorded).
                .col(big_null("member_id"))
                .col(text("member_name"))
                .col(text("city"))
                // The town it would land in.
                .col(text("town"))
                .col(big("amount_fen"))
                .col(ColumnDef::new("landed_fen").big_integer().null())
                // lead, contacted, visited, signed, landed, dropped; the day it got there.
                .col(text("stage"))
                .col(date("stage_on"))
                .col(text("next_step"))
                .col(date_null("next_step_on"))
                .col(text("drop_reason"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("investment_leads_path", "investment_leads", &["org_path", "stage"], false),
        index("investment_leads_drive", "investment_leads", &["drive_id"], false),
        Stmt::Table(
            Table::create()
                .table("investment_lead_steps")
                .col(id("id"))
                .col(big("lead_id"))
                .col(text("stage"))
                .col(date("on_date"))
                .col(text("note"))
                .col(ColumnDef::new("amount_fen").big_integer().null())
                .col(big_null("by_id"))
                .col(text("by_name"))
                .col(ts("at"))
                .to_owned(),
        ),
        index("investment_lead_steps_lead", "investment_lead_steps", &["lead_id", "on_date"], false),
    ]
}

/// 关爱工程 (0024): donations to a county's care fund, the students' applications with their steps
/// (the student's ID number, phone and family situation sealed with the organisation as associated
/// data), and the objections raised during the public notice. Money in exact fen.
fn care_fund(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Table(
            Table::create()
                .table("care_donations")
                .col(id("id"))
                // The organisation that raised it (a chamber branch, or the county).
                .col(big("org_id"))
                .col(path(b, "org_path"))
                // person, company, chamber.
                .col(text("donor_kind"))
                .col(text("donor_name"))
                .col(big("amount_fen"))
                .col(date("received_on"))
                .col(text("receipt_no"))
                .col(text("purpose"))
                // A donation entered by mistake is voided (kept, with why), not deleted.
                .col(date_null("voided_on"))
                .col(big_null("voided_by"))
                .col(text_null("void_reason"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("care_donations_path", "care_donations", &["org_path", "received_on"], false),
        Stmt::Table(
            Table::create()
                .table("care_aids")
                .col(id("id"))
                // The organisation that proposes the student (reviews the application).
                .col(big("org_id"))
                .col(path(b, "org_path"))
                // The school year it is for (the year it starts).
                .col(int("year"))
                .col(text("student_name"))
                .col(text_null("id_number_enc"))
                .col(text_null("phone_enc"))
                .col(text_null("family_enc"))
                .col(text("school"))
                .col(text("grade"))
                .col(big("asked_fen"))
                .col(ColumnDef::new("approved_fen").big_integer().null())
                // applied, reviewed, notice, disbursed, rejected.
                .col(text("status"))
                .col(date("applied_on"))
                .col(date_null("reviewed_on"))
                .col(big_null("reviewed_by"))
                .col(text("review_note"))
                .col(date_null("decided_on"))
                .col(big_null("decided_by"))
                .col(text("decision_note"))
                // The notice: from the day the decision was recorded to its last working day.
                .col(date_null("notice_from"))
                .col(date_null("notice_until"))
                .col(ColumnDef::new("disbursed_fen").big_integer().null())
                .col(date_null("disbursed_on"))
                .col(text_null("method"))
                .col(text("payment_note"))
                // The application of the year before that this one renews.
                .col(big_null("renewal_of"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("care_aids_path", "care_aids", &["org_path", "year"], false),
        index("care_aids_status", "care_aids", &["status", "notice_until"], false),
        // An application is renewed once.
        index("care_aids_renewal", "care_aids", &["renewal_of"], true),
        Stmt::Table(
            Table::create()
                .table("care_aid_objections")
                .col(id("id"))
                .col(big("aid_id"))
                .col(date("received_on"))
                .col(text("content"))
                .col(text("handling"))
                // NULL while open; true when it stopped the aid.
                .col(bool_null("upheld"))
                .col(date_null("handled_on"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("care_aid_objections_aid", "care_aid_objections", &["aid_id"], false),
    ]
}

/// 先锋工程 (0025): honours campaigns with the honours they offer and quotas per organisation, the
/// nominations (a member or an organisation, with the deeds and the meeting's vote) reviewed level by
/// level, their steps, and the objections of the public notice. A withdrawn award stays, marked.
fn honours(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Table(
            Table::create()
                .table("honour_campaigns")
                .col(id("id"))
                // The organisation running it (a county, a committee).
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(int("year"))
                .col(text("title"))
                // [{"name", "subject"}], the honours offered.
                .col(text("honours"))
                .col(date_null("nominate_until"))
                // nominating, notice, awarded.
                .col(text("status"))
                .col(date_null("notice_from"))
                .col(date_null("notice_until"))
                .col(date_null("awarded_on"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("honour_campaigns_path", "honour_campaigns", &["org_path", "year"], false),
        Stmt::Table(
            Table::create()
                .table("honour_quotas")
                .col(id("id"))
                .col(big("campaign_id"))
                .col(text("honour"))
                // The organisation whose subtree's nominations the quota counts.
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(int("quota"))
                .to_owned(),
        ),
        index("honour_quotas_key", "honour_quotas", &["campaign_id", "honour", "org_id"], true),
        Stmt::Table(
            Table::create()
                .table("honour_nominations")
                .col(id("id"))
                .col(big("campaign_id"))
                .col(text("honour"))
                // member, org.
                .col(text("subject"))
                .col(big_null("member_id"))
                .col(big_null("nominee_org_id"))
                // The name as nominated (the award list keeps it).
                .col(text("nominee_name"))
                // The organisation that nominates.
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(text("deeds"))
                .col(date("discussed_on"))
                .col(int("votes_for"))
                .col(int("votes_total"))
                // reviewing, recommended, notice, awarded, rejected, withdrawn.
                .col(text("status"))
                // The organisation whose review it waits for.
                .col(big_null("at_org_id"))
                .col(date_null("awarded_on"))
                .col(date_null("withdrawn_on"))
                .col(text_null("withdraw_reason"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("honour_nominations_campaign", "honour_nominations", &["campaign_id", "status"], false),
        index("honour_nominations_path", "honour_nominations", &["org_path"], false),
        index("honour_nominations_member", "honour_nominations", &["member_id"], false),
        index("honour_nominations_org", "honour_nominations", &["nominee_org_id"], false),
        Stmt::Table(
            Table::create()
                .table("honour_steps")
                .col(id("id"))
                .col(big("nomination_id"))
                // The level that reviewed.
                .col(big("org_id"))
                .col(date("on_date"))
                .col(boolean("pass"))
                .col(text("note"))
                .col(big_null("by_id"))
                .col(text("by_name"))
                .col(ts("at"))
                .to_owned(),
        ),
        index("honour_steps_nomination", "honour_steps", &["nomination_id"], false),
        Stmt::Table(
            Table::create()
                .table("honour_objections")
                .col(id("id"))
                .col(big("nomination_id"))
                .col(date("received_on"))
                .col(text("content"))
                .col(text("handling"))
                // NULL while open; true when it stopped the nomination.
                .col(bool_null("upheld"))
                .col(date_null("handled_on"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("honour_objections_nomination", "honour_objections", &["nomination_id"], false),
    ]
}

/// The procedure after lost contact (0026): a proposal is for suspension or removal and waits for the
/// level above to approve it; contact regained ends it. Existing proposals are suspensions still pending.
fn suspension_procedure(_b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Raw("ALTER TABLE suspension_proposals ADD COLUMN kind TEXT NOT NULL DEFAULT 'suspension'".into()),
        // pending, approved, rejected, ended.
        Stmt::Raw("ALTER TABLE suspension_proposals ADD COLUMN status TEXT NOT NULL DEFAULT 'pending'".into()),
        Stmt::Raw("ALTER TABLE suspension_proposals ADD COLUMN decided_on DATE".into()),
        Stmt::Raw("ALTER TABLE suspension_proposals ADD COLUMN decided_by BIGINT".into()),
        Stmt::Raw("ALTER TABLE suspension_proposals ADD COLUMN decided_by_name TEXT".into()),
        Stmt::Raw("ALTER TABLE suspension_proposals ADD COLUMN decision_note TEXT".into()),
        Stmt::Raw("ALTER TABLE suspension_proposals ADD COLUMN ended_on DATE".into()),
        index("suspension_status", "suspension_proposals", &["status", "member_id"], false),
    ]
}

/// 党费 (0027): a member's dues bases (the monthly after-tax salary sealed, or the category's fixed amount)
/// by the month they apply from, the payments (the months they cover, the dues and a voluntary extra in
/// exact fen, where they were collected), and one row per month paid so that no month is paid twice.
fn dues(_b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Table(
            Table::create()
                .table("dues_bases")
                .col(id("id"))
                .col(big("member_id"))
                // YYYY-MM.
                .col(text("from_month"))
                .col(text("category"))
                // The monthly base in fen, sealed (personal: the salary).
                .col(text_null("base_enc"))
                .col(ColumnDef::new("farmer_fen").big_integer().null())
                // The branch allows paying by the quarter.
                .col(boolean("quarterly"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("dues_bases_member", "dues_bases", &["member_id", "from_month"], true),
        Stmt::Table(
            Table::create()
                .table("dues_payments")
                .col(id("id"))
                .col(big("member_id"))
                // The months covered, YYYY-MM, comma-separated.
                .col(text("months"))
                .col(big("amount_fen"))
                .col(big("extra_fen"))
                .col(date("paid_on"))
                .col(text("method"))
                // Where it was collected (the home branch, or the one receiving the member while away).
                .col(big("collected_by_org_id"))
                // A voluntary extra of 1,000 yuan or more: remitted in full to the Central Committee.
                .col(boolean("remitted"))
                .col(text("note"))
                .col(big_null("recorded_by"))
                .col(text("recorded_by_name"))
                .col(ts("created_at"))
                .to_owned(),
        ),
        index("dues_payments_member", "dues_payments", &["member_id", "paid_on"], false),
        Stmt::Table(
            Table::create()
                .table("dues_months")
                .col(id("id"))
                .col(big("member_id"))
                .col(text("month"))
                .col(big("payment_id"))
                .to_owned(),
        ),
        index("dues_months_once", "dues_months", &["member_id", "month"], true),
    ]
}

/// 发展党员 (0028): a person in the pipeline (a recruit: the branch they are filed with, who they are,
/// the ID number sealed, where they stand) and the day, people, documents and details of each of the
/// twenty-five steps recorded, once each.
fn recruitment(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Table(
            Table::create()
                .table("recruits")
                .col(id("id"))
                .col(big("org_id"))
                .col(path(b, "org_path"))
                .col(text("name"))
                .col(text("gender"))
                .col(date("birth_date"))
                .col(text("id_number_enc"))
                .col(text("id_number_bidx"))
                .col(text_null("phone_enc"))
                .col(text_null("occupation"))
                .col(text_null("employer"))
                .col(text_null("education"))
                // The steps recorded (0–25) and the next step's due day, for the board and reminders.
                .col(int("steps_done"))
                .col(date_null("next_due_on"))
                // active, done, stopped.
                .col(text("status"))
                .col(date_null("stopped_on"))
                .col(text_null("stop_reason"))
                // The probation extended once (6–12 months), when and why.
                .col(ColumnDef::new("extension_months").integer().null())
                .col(date_null("extended_on"))
                .col(text_null("extension_reason"))
                // The member record created at admission.
                .col(big_null("member_id"))
                .col(big_null("created_by"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("recruits_org_path", "recruits", &["org_path", "status"], false),
        index("recruits_id_number", "recruits", &["id_number_bidx"], false),
        index("recruits_member", "recruits", &["member_id"], false),
        Stmt::Table(
            Table::create()
                .table("recruit_steps")
                .col(id("id"))
                .col(big("recruit_id"))
                .col(int("step"))
                .col(date("done_on"))
                // JSON arrays of names.
                .col(text("people"))
                .col(text("documents"))
                .col(text_null("note"))
                // Why, when the step was later than its due day.
                .col(text_null("reason"))
                // JSON: training days and class hours, the notice's first and last day.
                .col(text_null("details"))
                .col(big_null("recorded_by"))
                .col(text("recorded_by_name"))
                .col(ts("recorded_at"))
                .to_owned(),
        ),
        index("recruit_steps_once", "recruit_steps", &["recruit_id", "step"], true),
    ]
}

fn transfers(b: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Table(
            Table::create()
                .table("transfers")
                .col(id("id"))
                // within, letter_out, letter_in.
                .col(text("kind"))
                // requested, accepted, refused, cancelled; issued, returned; registered.
                .col(text("status"))
                .col(big_null("member_id"))
                .col(text("member_name"))
                // The sending and receiving organisations: in the deployment (id and path), or outside it
                // (a name only: the receiver of a letter out, the sender of a letter in).
                .col(big_null("from_org_id"))
                .col(path_null(b, "from_org_path"))
                .col(text("from_name"))
                .col(big_null("to_org_id"))
                .col(path_null(b, "to_org_path"))
                .col(text("to_name"))
                // Where the member goes (去往), on a letter out.
                .col(text_null("destination"))
                // A letter out is numbered per county and year; a letter in keeps the number written on it.
                .col(big_null("county_id"))
                .col(ColumnDef::new("letter_year").integer().null())
                .col(ColumnDef::new("letter_seq").integer().null())
                .col(text_null("letter_no"))
                // The request's or the letter's day.
                .col(date("started_on"))
                .col(ColumnDef::new("valid_days").integer().null())
                // The last month of dues paid (YYYY-MM), as on the letter.
                .col(text_null("dues_paid_to"))
                // The receipt came back (letter out) or was sent (letter in).
                .col(date_null("receipt_on"))
                .col(date_null("decided_on"))
                .col(big_null("decided_by"))
                .col(text_null("reason"))
                .col(text_null("note"))
                .col(big_null("created_by"))
                .col(text_null("created_by_name"))
                .col(ts("created_at"))
                .col(ts("updated_at"))
                .to_owned(),
        ),
        index("transfers_from", "transfers", &["from_org_path", "status"], false),
        index("transfers_to", "transfers", &["to_org_path", "status"], false),
        index("transfers_member", "transfers", &["member_id", "status"], false),
        index("transfers_letter_no", "transfers", &["county_id", "letter_year", "letter_seq"], true),
    ]
}

/// An applicant follows their own steps with a code from the branch (0030): only the code's hash is kept, and
/// the wrong answers to it (the last six characters of the ID number) are counted.
fn recruit_progress_codes(_: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Raw("ALTER TABLE recruits ADD COLUMN progress_code_hash TEXT".into()),
        Stmt::Raw("ALTER TABLE recruits ADD COLUMN progress_wrong INTEGER NOT NULL DEFAULT 0".into()),
        index("recruits_progress_code", "recruits", &["progress_code_hash"], true),
    ]
}

/// Transfers by either end (0031). The lists page through a county's transfers newest first: with the day in
/// the index the page's ids are sorted from the index alone (at 100,000 transfers 10 ms instead of 43 for whole
/// rows), then the page's rows are read by id. What waits (requests to accept, letters awaiting their
/// receipt) is a few among many finished transfers, so for the counts and the overdue letters the status leads.
fn transfer_indexes(_: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Raw("DROP INDEX transfers_from".into()),
        Stmt::Raw("DROP INDEX transfers_to".into()),
        index("transfers_from_day", "transfers", &["from_org_path", "started_on"], false),
        index("transfers_to_day", "transfers", &["to_org_path", "started_on"], false),
        index("transfers_status_to", "transfers", &["status", "to_org_path"], false),
        // With the day: the overdue letters (issued before a day) are counted from the index alone.
        index("transfers_status_from", "transfers", &["status", "from_org_path", "started_on"], false),
    ]
}

/// Named leases for work that one instance of several does at a time (0032): the hourly round
/// (`repo/platform/leases.rs`, `app/platform/upkeep.rs`). `holder` is the instance that holds the lease
/// until `expires_at` (renewed while it works, NULL once released); the work is next due at `due_at`;
/// `runs`, `finished_at` and `finished_by` say how often, when last and where it was done.
fn job_leases(_: DatabaseBackend) -> Vec<Stmt> {
    vec![Stmt::Table(
        Table::create()
            .table("job_leases")
            .col(ColumnDef::new("name").text().not_null().primary_key())
            .col(text_null("holder"))
            .col(ts("expires_at"))
            .col(ts("due_at"))
            .col(big("runs"))
            .col(ts_null("finished_at"))
            .col(text_null("finished_by"))
            .to_owned(),
    )]
}

/// What a cached session is checked against on every request (0033), so that no instance serves an
/// authorisation another instance has changed: `users.auth_version`, bumped in the writing
/// transaction by every change to a user's password, account, grants or instructor assignments, and
/// `org_tree_version` (one row), bumped by every change to an organisation's path, status or name
/// (grants' scopes and cached organisation paths depend on them). `repo/platform/sessions.rs` `validate`.
fn auth_versions(_: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Raw("ALTER TABLE users ADD COLUMN auth_version BIGINT NOT NULL DEFAULT 0".into()),
        Stmt::Raw("CREATE TABLE org_tree_version (id INTEGER PRIMARY KEY NOT NULL, version BIGINT NOT NULL)".into()),
        Stmt::Raw("INSERT INTO org_tree_version (id, version) VALUES (1, 0)".into()),
    ]
}

/// PostgreSQL: inserted mobility records update the outflow flag and tallies once per statement
/// (0034). The row triggers of 0006 ran a PL/pgSQL function per row — about 0.6 ms each, so a
/// roster import's or the scale generator's 200,000 outflows spent minutes in them
/// (docs/performance.md, round 7). Deletes and updates keep the row triggers. SQLite keeps its row
/// triggers: they run in-process.
///
/// The tallies' upserts are ordered by organisation, as concurrent writers of the same ancestors
/// must take their rows in one order.
fn outflow_insert_statements(b: DatabaseBackend) -> Vec<Stmt> {
    if b != DatabaseBackend::Postgres {
        return vec![];
    }
    let rk = receiving_key("r");
    let ancestors = "unnest(string_to_array(trim(both '/' from m.org_path), '/') || \
                     string_to_array(trim(both '/' from ro.path), '/')) x";
    [
        "DROP TRIGGER outflow_flag ON mobility_records".to_string(),
        "CREATE TRIGGER outflow_flag AFTER DELETE OR UPDATE OF member_id, direction, status \
         ON mobility_records FOR EACH ROW EXECUTE FUNCTION outflow_flag()"
            .into(),
        "DROP TRIGGER outflow_tallies_records ON mobility_records".into(),
        "CREATE TRIGGER outflow_tallies_records AFTER DELETE OR UPDATE OF member_id, direction, status, \
         province_code, city_code, reason, start_date, receiving_org_id, external_org_name ON mobility_records \
         FOR EACH ROW EXECUTE FUNCTION outflow_tally_records()"
            .into(),
        format!(
            "CREATE FUNCTION outflow_inserted() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             UPDATE members SET outflow_open = 1 WHERE outflow_open <> 1 AND id IN \
               (SELECT member_id FROM new_rows WHERE direction = 'outflow' AND status = 'open'); \
             INSERT INTO outflow_tallies AS t (org_id, province_code, city_code, reason, receiving, n) \
               SELECT org_id, p, c, rs, rk, COUNT(*) FROM (SELECT DISTINCT r.id, x::bigint AS org_id, \
               COALESCE(r.province_code, '') AS p, COALESCE(r.city_code, '') AS c, COALESCE(r.reason, '') AS rs, \
               {rk} AS rk FROM new_rows r LEFT JOIN members m ON m.id = r.member_id \
               LEFT JOIN orgs ro ON ro.id = r.receiving_org_id, {ancestors} \
               WHERE r.direction = 'outflow' AND r.status = 'open') s \
               GROUP BY org_id, p, c, rs, rk ORDER BY org_id, p, c, rs, rk \
             ON CONFLICT (org_id, province_code, city_code, reason, receiving) DO UPDATE SET n = t.n + excluded.n; \
             INSERT INTO outflow_quiet AS t (org_id, quiet_on, n) \
               SELECT org_id, q, COUNT(*) FROM (SELECT DISTINCT r.id, x::bigint AS org_id, \
               GREATEST(r.start_date, COALESCE(m.last_contact_on, r.start_date)) AS q \
               FROM new_rows r JOIN members m ON m.id = r.member_id LEFT JOIN orgs ro ON ro.id = r.receiving_org_id, \
               {ancestors} WHERE r.direction = 'outflow' AND r.status = 'open' AND m.status = 'normal') s \
               GROUP BY org_id, q ORDER BY org_id, q \
             ON CONFLICT (org_id, quiet_on) DO UPDATE SET n = t.n + excluded.n; \
             RETURN NULL; END $$"
        ),
        "CREATE TRIGGER outflow_inserted AFTER INSERT ON mobility_records REFERENCING NEW TABLE AS new_rows \
         FOR EACH STATEMENT EXECUTE FUNCTION outflow_inserted()"
            .into(),
    ]
    .into_iter()
    .map(Stmt::Raw)
    .collect()
}

/// The second factor and the password's age (0035), on `users`: the TOTP secret sealed with the
/// user as associated data (`totp_secret_enc`, in `rotation::SEALED`; kept while pending too),
/// when it was confirmed (NULL: pending or none), the last time step accepted (a code is accepted
/// once: `repo/platform/users.rs` `accept_totp_step`), and when the password was last set, filled
/// from `created_at` for the accounts that exist (the periodic change counts from there).
fn second_factor(b: DatabaseBackend) -> Vec<Stmt> {
    let add = |c: ColumnDef| Stmt::Raw(b.build(&Table::alter().table("users").add_column(c).to_owned()).sql);
    vec![
        add(text_null("totp_secret_enc")),
        add(ts_null("totp_confirmed_at")),
        add(big_null("totp_last_step")),
        add(ts_null("password_changed_at")),
        Stmt::Raw("UPDATE users SET password_changed_at = created_at".into()),
    ]
}

/// PIPL retention and deletion (0036, `domain::members::retention`): when a member left the deployment and
/// when their personal fields were erased.
/// - `members.left_on`: the day the status became 已出党, 已故 or 已转出. Kept by triggers, so that every
///   way a status changes (the member form, a transfer out, the removal after lost contact, an import,
///   the demo) records it: set to today (China time) when a member enters a departed status (unless the
///   same statement gives the day), cleared when they return to another. A departure after an erasure
///   clears `personal_erased_at`, so that what was entered since is erased in its turn. Members who had
///   left before this migration get the day their row was last changed: never earlier than the day they
///   left, so nothing is erased early.
/// - `members.personal_erased_at`: when the personal fields were erased (by the hourly round or on request).
/// - `members_retention_due`: the members still to be erased, by leaving day — a few among all members.
fn personal_data_retention(b: DatabaseBackend) -> Vec<Stmt> {
    let departed = honglian_domain::members::retention::departed_sql();
    let erased_at = Table::alter().table("members").add_column(ts_null("personal_erased_at")).to_owned();
    let (erased_at, today, updated_day) = match b {
        DatabaseBackend::Postgres => (
            erased_at.to_string(sea_orm::sea_query::PostgresQueryBuilder),
            "(now() AT TIME ZONE 'UTC' + interval '8 hours')::date",
            "(updated_at AT TIME ZONE 'UTC' + interval '8 hours')::date",
        ),
        _ => (
            erased_at.to_string(sea_orm::sea_query::SqliteQueryBuilder),
            "date('now', '+8 hours')",
            "date(updated_at, '+8 hours')",
        ),
    };
    let mut out = vec![
        Stmt::Raw("ALTER TABLE members ADD COLUMN left_on DATE".into()),
        Stmt::Raw(erased_at),
        Stmt::Raw(format!("UPDATE members SET left_on = {updated_day} WHERE status IN {departed}")),
        Stmt::Raw(
            "CREATE INDEX members_retention_due ON members (left_on, id) \
             WHERE personal_erased_at IS NULL AND left_on IS NOT NULL"
                .into(),
        ),
    ];
    if b == DatabaseBackend::Postgres {
        // BEFORE row triggers whose WHEN skips the function for every row that does not change status:
        // bulk inserts of members in normal status pay nothing.
        out.push(Stmt::Raw(format!(
            "CREATE FUNCTION members_left_on() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
             IF TG_OP = 'INSERT' THEN \
               NEW.left_on := {today}; \
             ELSIF NEW.status IN {departed} AND OLD.status NOT IN {departed} THEN \
               IF NEW.left_on IS NOT DISTINCT FROM OLD.left_on THEN NEW.left_on := {today}; END IF; \
               NEW.personal_erased_at := NULL; \
             ELSIF NEW.status NOT IN {departed} AND OLD.status IN {departed} THEN \
               NEW.left_on := NULL; \
             END IF; \
             RETURN NEW; END $$"
        )));
        out.push(Stmt::Raw(format!(
            "CREATE TRIGGER members_left_on_ins BEFORE INSERT ON members FOR EACH ROW \
             WHEN (NEW.status IN {departed} AND NEW.left_on IS NULL) EXECUTE FUNCTION members_left_on()"
        )));
        out.push(Stmt::Raw(
            "CREATE TRIGGER members_left_on_upd BEFORE UPDATE OF status ON members FOR EACH ROW \
             WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION members_left_on()"
                .into(),
        ));
    } else {
        out.push(Stmt::Raw(format!(
            "CREATE TRIGGER members_left_on_ins AFTER INSERT ON members \
             WHEN NEW.status IN {departed} AND NEW.left_on IS NULL BEGIN \
             UPDATE members SET left_on = {today} WHERE id = NEW.id; END"
        )));
        out.push(Stmt::Raw(format!(
            "CREATE TRIGGER members_left_on_upd AFTER UPDATE OF status ON members \
             WHEN (NEW.status IN {departed}) IS NOT (OLD.status IN {departed}) BEGIN \
             UPDATE members SET \
               left_on = CASE WHEN NEW.status IN {departed} \
                 THEN CASE WHEN NEW.left_on IS NOT OLD.left_on AND NEW.left_on IS NOT NULL THEN NEW.left_on ELSE {today} END \
                 ELSE NULL END, \
               personal_erased_at = CASE WHEN NEW.status IN {departed} THEN NULL ELSE NEW.personal_erased_at END \
             WHERE id = NEW.id; END"
        )));
    }
    out
}

/// A MAC on each access-control grant and money record (0037): HMAC-SM3 under a key that is not in
/// the database, set by the use case that writes the row (`repo/platform/integrity.rs`). Rows written
/// before it are adopted once, at the first start after it (`app::platform::integrity::adopt`).
fn record_macs(_: DatabaseBackend) -> Vec<Stmt> {
    ["grants", "dues_payments", "care_donations", "incentive_grants"]
        .into_iter()
        .map(|t| Stmt::Raw(format!("ALTER TABLE {t} ADD COLUMN mac TEXT NULL")))
        .collect()
}

/// Security labels (0038): a member record's label and an account's clearance, `general` or
/// `sensitive` (`domain/platform/labels.rs`, `repo/platform/labels.rs`).
fn security_labels(_: DatabaseBackend) -> Vec<Stmt> {
    vec![
        Stmt::Raw("ALTER TABLE members ADD COLUMN security_label TEXT NOT NULL DEFAULT 'general'".into()),
        Stmt::Raw("ALTER TABLE users ADD COLUMN clearance TEXT NOT NULL DEFAULT 'general'".into()),
        // Labels are for the exceptions: exports read the labelled few without scanning the registry.
        Stmt::Raw("CREATE INDEX members_labelled ON members (security_label) WHERE security_label <> 'general'".into()),
    ]
}
