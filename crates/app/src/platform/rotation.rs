//! Key rotation (`honglian keys rotate`): every sealed personal field is opened with the old keys
//! and sealed again with new ones, and every blind index recomputed, a batch of rows per
//! transaction. It survives being killed at any point:
//!
//! 1. the key file is replaced (atomically) by one holding the old and the new keys (`v2`);
//! 2. the settings row `keys.rotation` records the target fingerprint and, per table, the last id
//!    done; each batch updates it in the batch's own transaction, so rows up to it are exactly the
//!    ones under the new keys;
//! 3. when every table is done, one transaction records the new fingerprint, removes the progress
//!    row and appends the audit record;
//! 4. the key file is replaced by one holding only the new keys.
//!
//! A run finds where the last one stopped from the key file and the database and continues from
//! there. Until the end, `serve` and the other commands refuse to start
//! ([`crate::platform::keys::refuse_unfinished_rotation`]). The audit key is not rotated: the chain
//! is linked with it and is never rewritten.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, bail};
use honglian_store::begin_write;
use honglian_store::repo::platform::sealed::{self, SealedTable};
use honglian_store::repo::platform::settings;
use serde::{Deserialize, Serialize};

use crate::platform::audit::{self, Event};
use crate::platform::crypto::{FileKeyProvider, fingerprint};
use crate::platform::keys::{FINGERPRINT, ROTATION};
use crate::platform::sealing::text_aad;
use crate::{App, Crypto, Ctx};

/// Every table with sealed columns or blind indexes, and how its values are bound (associated data).
/// A new sealed column (`*_enc`, `*_bidx`) is added here and to [`reseal`]; the test
/// `platform::keys_rotation::every_sealed_column_is_rotated` compares this list with the schema.
pub const SEALED: &[SealedTable] = &[
    SealedTable {
        table: "members",
        columns: &["id_number_enc", "id_number_bidx", "phone_enc", "phone_bidx", "address_enc"],
        context: &[],
    },
    SealedTable {
        table: "mobility_records",
        columns: &["person_id_number_enc", "person_id_number_bidx", "person_phone_enc", "address_enc"],
        context: &["member_id"],
    },
    SealedTable {
        table: "census_entries",
        columns: &["current_place_enc", "circumstances_enc", "thoughts_enc", "needs_enc"],
        context: &["member_id"],
    },
    SealedTable { table: "contacts", columns: &["note_enc"], context: &["member_id"] },
    SealedTable { table: "outflow_reports", columns: &["address_enc", "note_enc"], context: &["member_id"] },
    SealedTable { table: "notify_prefs", columns: &["email_enc"], context: &["user_id"] },
    SealedTable { table: "robots", columns: &["url_enc", "secret_enc"], context: &["org_id"] },
    SealedTable { table: "care_aids", columns: &["id_number_enc", "phone_enc", "family_enc"], context: &["org_id"] },
    SealedTable { table: "dues_bases", columns: &["base_enc"], context: &["member_id"] },
    SealedTable { table: "recruits", columns: &["id_number_enc", "id_number_bidx", "phone_enc"], context: &[] },
    // The second factor's TOTP secret, bound to its own user (`platform::second_factor`).
    SealedTable { table: "users", columns: &["totp_secret_enc"], context: &["id"] },
];

/// The progress row (`keys.rotation`).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Progress {
    from: String,
    to: String,
    started_at: chrono::DateTime<chrono::Utc>,
    tables: BTreeMap<String, TableProgress>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct TableProgress {
    /// The last id re-sealed.
    after: i64,
    rows: i64,
    done: bool,
}

/// What a run did, for the command's output.
#[derive(Debug, Default)]
pub struct RotationReport {
    /// True when this run continued an interrupted one.
    pub resumed: bool,
    pub rows: BTreeMap<&'static str, i64>,
    pub batches: u64,
    pub old_fingerprint: String,
    pub new_fingerprint: String,
}

/// A test hook: with `HONGLIAN_TEST_CRASH_AT` set to `keyfile`, `started`, `batch:N` or
/// `fingerprint`, a debug build aborts right after that step, like `kill -9` (no clean-up).
fn crash_point(at: &str) {
    if cfg!(debug_assertions) && std::env::var("HONGLIAN_TEST_CRASH_AT").is_ok_and(|v| v == at) {
        std::process::abort();
    }
}

fn short(fp: &str) -> &str {
    &fp[..fp.len().min(16)]
}

/// Rotates the keys of `app`'s database; `keys` were loaded from `key_path` and checked against
/// the database (`platform::keys::open`). `progress` receives a line per table.
pub async fn rotate(
    app: &App,
    key_path: &Path,
    keys: FileKeyProvider,
    batch_size: u64,
    progress: &(dyn Fn(String) + Sync),
) -> anyhow::Result<RotationReport> {
    let db = &app.db;
    let recorded = settings::get(db, FINGERPRINT).await?.context("数据库没有记录密钥指纹")?;
    let row: Option<Progress> = match settings::get(db, ROTATION).await? {
        Some(t) => Some(serde_json::from_str(&t).context("密钥轮换进度记录损坏")?),
        None => None,
    };
    let mut report = RotationReport { resumed: keys.next().is_some(), ..Default::default() };
    let keys = match keys.next() {
        None => {
            if let Some(p) = &row {
                bail!(
                    "数据库记录了未完成的密钥轮换（新密钥指纹 {}），但密钥文件 {} 中没有新密钥。\
                     请使用轮换时的那个密钥文件（--key-file）再运行 honglian keys rotate。",
                    short(&p.to),
                    key_path.display()
                );
            }
            let k = keys.begin_rotation(key_path)?;
            crash_point("keyfile");
            k
        }
        Some(_) => keys,
    };
    let next = keys.next().expect("a rotation's file holds the new keys").clone();
    let (old_fp, new_fp) = (fingerprint(&keys), fingerprint(&next));
    report.old_fingerprint = old_fp.clone();
    report.new_fingerprint = new_fp.clone();

    if recorded == old_fp {
        let mut p = match row {
            Some(p) if p.to == new_fp => p,
            Some(p) => bail!(
                "数据库记录的密钥轮换目标（指纹 {}）与密钥文件中的新密钥（{}）不符，没有做任何改动。",
                short(&p.to),
                short(&new_fp)
            ),
            None => {
                let p = Progress {
                    from: old_fp.clone(),
                    to: new_fp.clone(),
                    started_at: chrono::Utc::now(),
                    tables: BTreeMap::new(),
                };
                let txn = begin_write(db).await?;
                settings::set(&txn, ROTATION, &serde_json::to_string(&p)?).await?;
                audit::record(
                    &txn,
                    &app.crypto,
                    &Ctx::system(),
                    Event::ok("keys.rotation_started", "keys", short(&new_fp))
                        .with(serde_json::json!({"from": short(&old_fp), "to": short(&new_fp)})),
                )
                .await?;
                txn.commit().await?;
                crash_point("started");
                p
            }
        };
        let (old, new) = (Crypto::new(&keys), Crypto::new(&next));
        for t in SEALED {
            let mut tp = p.tables.get(t.table).cloned().unwrap_or_default();
            if tp.done {
                report.rows.insert(t.table, tp.rows);
                continue;
            }
            let total = sealed::count(db, *t).await?;
            loop {
                let txn = begin_write(db).await?;
                let rows = sealed::batch(&txn, *t, tp.after, batch_size).await?;
                let last = rows.len() < batch_size as usize;
                for (id, values) in rows {
                    let resealed = reseal(t.table, &values, &old, &new).with_context(|| {
                        format!("{} 第 {id} 行无法用原密钥解密，轮换停止（没有改动这一批）", t.table)
                    })?;
                    sealed::update(&txn, *t, id, resealed).await?;
                    tp.after = id;
                    tp.rows += 1;
                }
                tp.done = last;
                p.tables.insert(t.table.to_string(), tp.clone());
                settings::set(&txn, ROTATION, &serde_json::to_string(&p)?).await?;
                txn.commit().await?;
                report.batches += 1;
                crash_point(&format!("batch:{}", report.batches));
                if let Some(ms) = std::env::var("HONGLIAN_TEST_ROTATE_PAUSE_MS").ok().and_then(|v| v.parse().ok())
                    && cfg!(debug_assertions)
                {
                    tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
                }
                if last {
                    break;
                }
            }
            progress(format!("{}：{} / {} 行已用新密钥加密", t.table, tp.rows, total));
            report.rows.insert(t.table, tp.rows);
        }
        let txn = begin_write(db).await?;
        settings::set(&txn, FINGERPRINT, &new_fp).await?;
        settings::delete(&txn, ROTATION).await?;
        audit::record(
            &txn,
            &app.crypto,
            &Ctx::system(),
            Event::ok("keys.rotated", "keys", short(&new_fp)).with(serde_json::json!({
                "from": short(&old_fp),
                "to": short(&new_fp),
                "rows": p.tables.iter().map(|(k, v)| (k.clone(), v.rows)).collect::<BTreeMap<_, _>>(),
            })),
        )
        .await?;
        txn.commit().await?;
        crash_point("fingerprint");
    } else if recorded != new_fp {
        bail!("数据库记录的密钥指纹与密钥文件中的新旧密钥都不符，没有做任何改动。");
    }
    // The database is under the new keys; the file keeps only those.
    keys.finish_rotation(key_path)?;
    Ok(report)
}

/// One row's sealed values opened with `old` and sealed again with `new`, blind indexes recomputed.
/// The associated data binds each value to its row through the ID number's blind index, so that
/// changes with the index key too.
fn reseal(table: &str, v: &[Option<String>], old: &Crypto, new: &Crypto) -> anyhow::Result<Vec<Option<String>>> {
    match table {
        "members" => {
            let (id_enc, old_b) = (v[0].as_deref().context("缺少身份证号")?, v[1].as_deref().context("缺少索引")?);
            let aad = |f: &str, b: &str| format!("members.{f}:{b}");
            let id = old.open(id_enc, &aad("id_number", old_b))?;
            let b = new.blind_index("id_number", &id);
            let phone = v[2].as_deref().map(|s| old.open(s, &aad("phone", old_b))).transpose()?;
            let phone_bidx = match (&v[3], &phone) {
                (Some(_), Some(p)) => Some(new.blind_index("phone", p)),
                (Some(_), None) => bail!("有电话索引而没有电话"),
                (None, _) => None,
            };
            let address = v[4].as_deref().map(|s| old.open(s, &aad("address", old_b))).transpose()?;
            Ok(vec![
                Some(new.seal(&id, &aad("id_number", &b))),
                Some(b.clone()),
                phone.map(|p| new.seal(&p, &aad("phone", &b))),
                phone_bidx,
                address.map(|a| new.seal(&a, &aad("address", &b))),
            ])
        }
        "recruits" => {
            let (id_enc, old_b) = (v[0].as_deref().context("缺少身份证号")?, v[1].as_deref().context("缺少索引")?);
            let aad = |f: &str, b: &str| format!("recruits.{f}:{b}");
            let id = old.open(id_enc, &aad("id_number", old_b))?;
            let b = new.blind_index("id_number", &id);
            let phone = v[2].as_deref().map(|s| old.open(s, &aad("phone", old_b))).transpose()?;
            Ok(vec![
                Some(new.seal(&id, &aad("id_number", &b))),
                Some(b.clone()),
                phone.map(|p| new.seal(&p, &aad("phone", &b))),
            ])
        }
        "mobility_records" => {
            // People from outside the deployment; the index is absent only when no ID number was given.
            let aad = |f: &str, b: &str| format!("mobility_records.person_{f}:{b}");
            let old_b = v[1].as_deref().unwrap_or_default();
            let id = v[0].as_deref().map(|s| old.open(s, &aad("id_number", old_b))).transpose()?;
            let b = match (&v[1], &id) {
                (Some(_), Some(id)) => Some(new.blind_index("id_number", id)),
                (Some(_), None) => bail!("有身份证号索引而没有身份证号"),
                (None, _) => None,
            };
            let nb = b.clone().unwrap_or_default();
            let phone = v[2].as_deref().map(|s| old.open(s, &aad("phone", old_b))).transpose()?;
            let mut out = vec![
                id.map(|i| new.seal(&i, &aad("id_number", &nb))),
                b,
                phone.map(|p| new.seal(&p, &aad("phone", &nb))),
            ];
            out.extend(reseal_text(table, &["address"], &v[3..], old, new)?);
            Ok(out)
        }
        "census_entries" => reseal_text(table, &["current_place", "circumstances", "thoughts", "needs"], v, old, new),
        "contacts" => reseal_text(table, &["note"], v, old, new),
        "outflow_reports" => reseal_text(table, &["address", "note"], v, old, new),
        "notify_prefs" => reseal_text(table, &["email"], v, old, new),
        "robots" => reseal_text(table, &["url", "secret"], v, old, new),
        "care_aids" => reseal_text(table, &["id_number", "phone", "family"], v, old, new),
        "dues_bases" => reseal_text(table, &["base"], v, old, new),
        "users" => reseal_text(table, &["totp_secret"], v, old, new),
        other => bail!("表 {other} 的加密字段没有轮换规则"),
    }
}

/// Free-text fields (`platform::sealing`): `v` holds the sealed values of `fields`, then the owner.
/// The associated data names the owner, not a key, so it stays the same.
fn reseal_text(
    table: &str,
    fields: &[&str],
    v: &[Option<String>],
    old: &Crypto,
    new: &Crypto,
) -> anyhow::Result<Vec<Option<String>>> {
    let owner: i64 = v[fields.len()].as_deref().map(str::parse).transpose()?.unwrap_or(0);
    fields
        .iter()
        .zip(v)
        .map(|(f, s)| {
            let aad = text_aad(table, f, owner);
            Ok(s.as_deref().map(|s| old.open(s, &aad)).transpose()?.map(|p| new.seal(&p, &aad)))
        })
        .collect()
}
