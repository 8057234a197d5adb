//! Scale data for the benchmark: on top of the demo, a synthetic city of
//! about 20,000 branches (10 counties × 20 towns × 100 branches) holding the
//! requested number of members, a fifth of them working away (open outflows
//! received by Wuchuan's chamber branches), and a year of activities.
//! Deterministic: the same data for the same `members`.

use chrono::Datelike;
use honglian_domain::org_life::duty::ActivityKind;
use honglian_store::repo::members::mobility::{self, MobilityRecordActive};
use honglian_store::repo::members::registry::{self as members, MemberRow};
use honglian_store::repo::org_life::activities::{self, ActivityActive, NewActivity};
use honglian_store::repo::organisations::orgs::{self, Org, OrgFields};
use honglian_store::repo::platform::settings;
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, Set};

use crate::demo::demo_id_number;
use crate::{App, AppError, AppResult};

const MARKER: &str = "demo.scale";
pub const COUNTIES: usize = 10;
pub const TOWNS: usize = 20;
pub const BRANCHES: usize = 100;

fn fields(name: String, kind: &str, county: Option<&str>) -> OrgFields {
    OrgFields {
        name,
        kind: kind.into(),
        host_kind: "none".into(),
        host_name: None,
        province_code: Some("440000".into()),
        city_code: Some("440800".into()),
        county_code: county.map(Into::into),
        secretary: Some("（规模测试）".into()),
        founded_on: chrono::NaiveDate::from_ymd_opt(2010, 1, 1),
        contact: None,
    }
}

impl App {
    /// Loads the demo, then the scale data up to `total_members` members in the synthetic city.
    /// `progress` receives a line per county. Returns false if it was already there.
    pub async fn load_scale(&self, total_members: u32, progress: &(dyn Fn(String) + Sync)) -> AppResult<bool> {
        self.load_demo().await?;
        if settings::get(&self.db, MARKER).await?.is_some() {
            return Ok(false);
        }
        let per_branch = (total_members as usize).div_ceil(COUNTIES * TOWNS * BRANCHES).max(1);
        #[allow(clippy::disallowed_methods, reason = "the demo loader writes the whole demo deployment")]
        let demo = honglian_store::Scope::All(honglian_store::Unscoped::system());
        let chambers: Vec<Org> = {
            let gsl = orgs::list(
                &self.db,
                &demo,
                &orgs::OrgFilter { q: Some("中共吴川市工商业联合会委员会".into()), ..Default::default() },
                honglian_store::repo::PageReq::new(Some(1), Some(1)),
            )
            .await?;
            let gsl = gsl.items.into_iter().next().expect("demo loaded");
            orgs::list(
                &self.db,
                &demo,
                &orgs::OrgFilter { parent: Some(gsl.id), ..Default::default() },
                honglian_store::repo::PageReq::new(Some(1), Some(100)),
            )
            .await?
            .items
        };
        // Indexes whose keys arrive in random order are built once at the end (PostgreSQL).
        let deferred =
            honglian_store::defer_indexes(&self.db, &["members_id_number_bidx", "members_phone_bidx", "members_name"])
                .await?;
        let txn = honglian_store::begin_write(&self.db).await?;
        let root = orgs::insert(&txn, None, fields("中共湛江市委员会（规模测试）".into(), "committee", None)).await?;
        txn.commit().await?;
        let today = crate::today();
        let year = today.year();
        let mut k: u32 = 0;
        let mut card = 0u32;
        // A town's member rows (encryption and blind indexes: the CPU-heavy part) are built on a
        // blocking thread while the previous town is written, so that both cores work.
        let town_members = (per_branch * BRANCHES) as u32;
        let rows_from = |first: u32| {
            let app = self.clone();
            tokio::task::spawn_blocking(move || {
                (first..first + town_members).map(|k| app.scale_member(k)).collect::<Vec<MemberRow>>()
            })
        };
        let mut next_rows = Some(rows_from(0));
        for c in 0..COUNTIES {
            let txn = honglian_store::begin_write(&self.db).await?;
            honglian_store::bulk_cache(&txn, Some(128)).await?;
            let county =
                orgs::insert(&txn, Some(&root), fields(format!("规模测试第{}县委", c + 1), "committee", None)).await?;
            for t in 0..TOWNS {
                let town = orgs::insert(
                    &txn,
                    Some(&county),
                    fields(format!("规模测试第{}县第{}镇党委", c + 1, t + 1), "committee", None),
                )
                .await?;
                let rows_task = next_rows.take().expect("spawned for this town");
                k += town_members;
                if c + 1 < COUNTIES || t + 1 < TOWNS {
                    next_rows = Some(rows_from(k));
                }
                let mut branch_list = Vec::with_capacity(BRANCHES);
                for b in 0..BRANCHES {
                    let branch = orgs::insert(
                        &txn,
                        Some(&town),
                        fields(format!("规模测试{}-{}-{}党支部", c + 1, t + 1, b + 1), "branch", None),
                    )
                    .await?;
                    branch_list.push(branch);
                }
                let mut rows =
                    rows_task.await.map_err(|e| AppError::Internal(anyhow::anyhow!("规模数据线程异常：{e}")))?;
                for (i, row) in rows.iter_mut().enumerate() {
                    let branch = &branch_list[i / per_branch];
                    row.org_id = branch.id;
                    row.org_path = branch.path.clone();
                }
                members::insert_many(&txn, rows).await?;
                // Mobility: every fifth member works away, received by a chamber branch.
                let mut records = Vec::new();
                let mut contacted: Vec<String> = Vec::new();
                let mut acts: Vec<NewActivity> = Vec::new();
                for branch in &branch_list {
                    let ms = members::of_org(&txn, branch.id).await?;
                    for (i, (id, _, _, joined)) in ms.iter().enumerate() {
                        if (id + i as i64) % 5 != 0 {
                            continue;
                        }
                        card += 1;
                        if id % 33 != 0 {
                            contacted.push(id.to_string());
                        }
                        let receiving = &chambers[(*id as usize) % chambers.len()];
                        let returned = id % 37 == 0;
                        let start = (*joined).max(today - chrono::Duration::days(30 + (id % 2000)));
                        records.push(MobilityRecordActive {
                            id: NotSet,
                            member_id: Set(Some(*id)),
                            direction: Set("outflow".into()),
                            status: Set(if returned { "closed" } else { "open" }.into()),
                            person_name: Set(None),
                            person_id_number_enc: Set(None),
                            person_id_number_bidx: Set(None),
                            person_phone_enc: Set(None),
                            province_code: Set(receiving.province_code.clone()),
                            city_code: Set(receiving.city_code.clone()),
                            county_code: Set(receiving.county_code.clone()),
                            address_enc: Set(self.seal_text(
                                "mobility_records",
                                "address",
                                *id,
                                Some("（规模测试）某街道"),
                            )),
                            employer: Set(Some("某公司".into())),
                            occupation: Set(Some("企业职工".into())),
                            reason: Set(if id % 9 == 0 { "follow_family" } else { "work_business" }.into()),
                            start_date: Set(start),
                            expected_return: Set(None),
                            receiving_org_id: Set(Some(receiving.id)),
                            external_org_name: Set(None),
                            external_org_contact: Set(None),
                            mobile_card_no: Set(Some(format!("SC{card:07}"))),
                            contact_person: Set(branch.secretary.clone()),
                            ended_on: Set(returned.then_some(today)),
                            end_place: Set(None),
                            relationship_stays: Set(returned.then_some(true)),
                            end_note: Set(None),
                            created_by: Set(None),
                            created_at: NotSet,
                            updated_at: NotSet,
                        });
                    }
                    // A year of activities up to today: monthly theme days, quarterly assemblies and lectures.
                    let first = ms.first().map(|m| m.0);
                    for month in 1..=today.month() {
                        let mut add = |kind: ActivityKind, day: u32| {
                            let Some(date) = chrono::NaiveDate::from_ymd_opt(year, month, day) else { return };
                            if date > today || (branch.id + month as i64 + day as i64) % 11 == 0 {
                                return;
                            }
                            let start = date.and_hms_opt(11, 0, 0).expect("time").and_utc();
                            acts.push((
                                ActivityActive {
                                    id: NotSet,
                                    kind: Set(kind.code().into()),
                                    topic: Set(format!("{month}月{}", kind.label())),
                                    start_at: Set(start),
                                    end_at: Set(start + chrono::Duration::hours(2)),
                                    place: Set(Some("党员活动室".into())),
                                    online_link: Set(None),
                                    host: Set(None),
                                    lecturer: Set(None),
                                    minutes: Set(None),
                                    status: Set("active".into()),
                                    checkin_code: Set(format!("{:06}", (branch.id * 7919 + month as i64) % 1_000_000)),
                                    created_by: Set(None),
                                    for_year: Set(None),
                                    created_at: NotSet,
                                    updated_at: NotSet,
                                },
                                vec![(branch.id, branch.path.clone())],
                                first.into_iter().collect(),
                            ));
                        };
                        add(ActivityKind::ThemeDay, 10);
                        if month % 3 == 0 {
                            add(ActivityKind::MemberAssembly, 15);
                            add(ActivityKind::PartyLecture, 20);
                        }
                    }
                }
                // Most mobile members were contacted recently; one in 33 is lost. Set before the outflows
                // are recorded, so that the outflow tallies' triggers count each outflow once; only on the
                // mobile members, as each change of a contact day runs a trigger on PostgreSQL.
                if !contacted.is_empty() {
                    let b = txn.get_database_backend();
                    let p = if b == sea_orm::DatabaseBackend::Postgres { "$1" } else { "?" };
                    let sql =
                        format!("UPDATE members SET last_contact_on = {p} WHERE id IN ({})", contacted.join(", "));
                    txn.execute_raw(sea_orm::Statement::from_sql_and_values(
                        b,
                        sql,
                        [(today - chrono::Duration::days(20)).into()],
                    ))
                    .await?;
                }
                mobility::insert_many(&txn, records).await?;
                activities::insert_many_with(&txn, acts).await?;
            }
            honglian_store::bulk_cache(&txn, None).await?;
            txn.commit().await?;
            progress(format!("第 {}/{COUNTIES} 个县：累计 {k} 名党员", c + 1));
        }
        deferred.rebuild(&self.db).await?;
        settings::set(&self.db, MARKER, &serde_json::json!({"members": k}).to_string()).await?;
        honglian_store::analyze(&self.db).await?;
        Ok(true)
    }

    /// Member `k` of the synthetic city, without its organisation (set by the caller).
    fn scale_member(&self, k: u32) -> MemberRow {
        // `demo_id_number` gives 1,533,000 different numbers a region; beyond them the next of Zhanjiang's
        // counties (not 吴川 440883, the demo's own), so that up to 6,132,000 members have unique numbers.
        const PER_REGION: u32 = 1_533_000;
        let region = ["440881", "440882", "440823", "440825"][(k / PER_REGION) as usize % 4];
        let id = demo_id_number(region, k % PER_REGION);
        let bidx = self.crypto.blind_index("id_number", id.as_str());
        let phone = format!("101{:08}", k);
        let aad = |f: &str| format!("members.{f}:{bidx}");
        let birth = id.birth_date();
        let joined =
            (birth + chrono::Duration::days(365 * 25)).min(chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("date"));
        MemberRow {
            org_id: 0,
            org_path: String::new(),
            name: format!("测试党员{k}"),
            gender: id.gender().code().into(),
            ethnicity: Some("汉族".into()),
            birth_date: birth,
            id_number_enc: self.crypto.seal(id.as_str(), &aad("id_number")),
            phone_enc: Some(self.crypto.seal(&phone, &aad("phone"))),
            phone_bidx: Some(self.crypto.blind_index("phone", &phone)),
            address_enc: Some(self.crypto.seal("广东省湛江市（规模测试）", &aad("address"))),
            id_number_bidx: bidx,
            education: Some("senior".into()),
            occupation: Some("企业职工".into()),
            employer: Some("某公司".into()),
            joined_on: joined,
            category: if k.is_multiple_of(40) { "probationary" } else { "full" }.into(),
            full_on: if k.is_multiple_of(40) {
                None
            } else {
                Some(honglian_domain::members::member::probation_ends(joined, 0))
            },
            tags: vec![],
            status: "normal".into(),
        }
    }
}
