//! Free-text personal fields (the outflow's detailed address, what a census found, contact notes)
//! sealed at rest like the ID number: SM4-GCM with associated data `<table>.<field>:<owner>`, the
//! owner being the member the text is about (an outside person's mobility record: `0`). The owner
//! is known whenever a row is written, also in bulk (imports, demo), and never changes, so a
//! ciphertext moved to another member's row or another column no longer opens, and a key rotation
//! re-seals it under the same associated data.
//!
//! Databases from before migration 0013 hold these fields in plaintext columns. A migration cannot
//! seal them (it has no keys), so [`seal_plaintext`] runs at every start, after the keys were
//! checked and no rotation is unfinished: it seals what it finds, a batch per transaction, and
//! clears the plaintext in the same UPDATE. It is idempotent and safe to kill (each row is either
//! still plaintext or sealed); a finished run records the settings row `sealing.free_text`, so later
//! starts skip the table scans (nothing writes the plaintext columns any more; a database restored
//! from an old backup has no such row and is sealed at its first start).

use honglian_store::begin_write;
use honglian_store::repo::platform::sealed::{self, PlainTable};
use honglian_store::repo::platform::settings;

use crate::error::{AppError, AppResult};
use crate::{App, Crypto};

/// The settings row a finished [`seal_plaintext`] leaves.
const DONE: &str = "sealing.free_text";

/// The legacy plaintext columns and their sealed replacements.
pub const FREE_TEXT: &[PlainTable] = &[
    PlainTable { table: "mobility_records", columns: &[("address", "address_enc")], owner: "member_id" },
    PlainTable {
        table: "census_entries",
        columns: &[
            ("current_place", "current_place_enc"),
            ("circumstances", "circumstances_enc"),
            ("thoughts", "thoughts_enc"),
            ("needs", "needs_enc"),
        ],
        owner: "member_id",
    },
    PlainTable { table: "contacts", columns: &[("note", "note_enc")], owner: "member_id" },
];

/// The associated data of a free-text field.
pub fn text_aad(table: &str, field: &str, owner: i64) -> String {
    format!("{table}.{field}:{owner}")
}

/// Seals a free-text field of `table` about member `owner` (0: a person outside the system).
pub fn seal_text(crypto: &Crypto, table: &str, field: &str, owner: i64, v: Option<&str>) -> Option<String> {
    v.map(|v| crypto.seal(v, &text_aad(table, field, owner)))
}

/// Opens a free-text field sealed by [`seal_text`].
pub fn open_text(crypto: &Crypto, table: &str, field: &str, owner: i64, v: Option<&str>) -> AppResult<Option<String>> {
    v.map(|v| crypto.open(v, &text_aad(table, field, owner)))
        .transpose()
        .map_err(|e| AppError::Internal(e.context(format!("{table}.{field} 无法解密"))))
}

impl App {
    /// [`seal_text`] with the application's keys.
    pub(crate) fn seal_text(&self, table: &str, field: &str, owner: i64, v: Option<&str>) -> Option<String> {
        seal_text(&self.crypto, table, field, owner, v)
    }

    /// [`open_text`] with the application's keys.
    pub(crate) fn open_text(&self, table: &str, field: &str, owner: i64, v: Option<&str>) -> AppResult<Option<String>> {
        open_text(&self.crypto, table, field, owner, v)
    }
}

/// Seals every legacy plaintext free-text value (see the module docs); returns the rows sealed.
pub async fn seal_plaintext(app: &App, batch_size: u64) -> anyhow::Result<u64> {
    if settings::get(&app.db, DONE).await?.is_some() {
        return Ok(0);
    }
    let mut n = 0;
    for t in FREE_TEXT {
        loop {
            let txn = begin_write(&app.db).await?;
            let rows = sealed::plaintext_batch(&txn, *t, batch_size).await?;
            let last = rows.len() < batch_size as usize;
            for (id, owner, values) in rows {
                let owner: i64 = owner.as_deref().map(str::parse).transpose()?.unwrap_or(0);
                let sealed = t
                    .columns
                    .iter()
                    .zip(values)
                    .map(|((plain, _), v)| app.seal_text(t.table, plain, owner, v.as_deref()))
                    .collect();
                sealed::replace_plaintext(&txn, *t, id, sealed).await?;
                n += 1;
            }
            txn.commit().await?;
            if last {
                break;
            }
        }
    }
    let txn = begin_write(&app.db).await?;
    settings::set(&txn, DONE, "1").await?;
    txn.commit().await?;
    Ok(n)
}
