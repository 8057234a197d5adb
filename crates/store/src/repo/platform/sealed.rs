//! Key rotation's access to sealed columns: every encrypted column and blind index of a table,
//! read in id order a batch at a time and written back row by row. The tables and columns are the
//! application's constants (`platform::rotation::SEALED`), never user input.

use sea_orm::{ConnectionTrait, DbErr, Value};

use crate::raw;

/// A table's sealed (`*_enc`) and blind-index (`*_bidx`) columns.
#[derive(Debug, Clone, Copy)]
pub struct SealedTable {
    pub table: &'static str,
    pub columns: &'static [&'static str],
    /// Columns the associated data names (e.g. the owning member), read as text after `columns`
    /// and never written.
    pub context: &'static [&'static str],
}

/// One row: its id and the columns' values in [`SealedTable::columns`] order, then the
/// [`SealedTable::context`] values.
pub type SealedRow = (i64, Vec<Option<String>>);

/// Up to `limit` rows with an id above `after`, in id order.
pub async fn batch(db: &impl ConnectionTrait, t: SealedTable, after: i64, limit: u64) -> Result<Vec<SealedRow>, DbErr> {
    let b = db.get_database_backend();
    let ctx: Vec<String> = t.context.iter().map(|c| format!("CAST({c} AS TEXT) AS ctx_{c}")).collect();
    let all: Vec<&str> = t.columns.iter().copied().chain(ctx.iter().map(String::as_str)).collect();
    let sql = format!("SELECT id, {} FROM {} WHERE id > ? ORDER BY id LIMIT ?", all.join(", "), t.table);
    let rows = db.query_all_raw(raw(b, &sql, vec![after.into(), (limit as i64).into()])).await?;
    rows.into_iter()
        .map(|r| {
            let id: i64 = r.try_get("", "id")?;
            let names = t.columns.iter().map(|c| c.to_string()).chain(t.context.iter().map(|c| format!("ctx_{c}")));
            let values = names.map(|c| r.try_get::<Option<String>>("", &c)).collect::<Result<_, _>>()?;
            Ok((id, values))
        })
        .collect()
}

/// Legacy plaintext columns and the sealed columns that replace them (migration 0013).
#[derive(Debug, Clone, Copy)]
pub struct PlainTable {
    pub table: &'static str,
    /// (plaintext column, sealed column).
    pub columns: &'static [(&'static str, &'static str)],
    /// The column naming the owner the associated data binds to (read as text, NULL allowed).
    pub owner: &'static str,
}

/// One row still holding plaintext: its id, the owner, and the plaintext values in column order.
pub type PlainRow = (i64, Option<String>, Vec<Option<String>>);

/// Up to `limit` rows that still hold plaintext in any of the columns, in id order.
pub async fn plaintext_batch(db: &impl ConnectionTrait, t: PlainTable, limit: u64) -> Result<Vec<PlainRow>, DbErr> {
    let b = db.get_database_backend();
    let cols: Vec<&str> = t.columns.iter().map(|c| c.0).collect();
    let any: Vec<String> = cols.iter().map(|c| format!("{c} IS NOT NULL")).collect();
    let sql = format!(
        "SELECT id, CAST({} AS TEXT) AS owner, {} FROM {} WHERE {} ORDER BY id LIMIT ?",
        t.owner,
        cols.join(", "),
        t.table,
        any.join(" OR ")
    );
    let rows = db.query_all_raw(raw(b, &sql, vec![(limit as i64).into()])).await?;
    rows.into_iter()
        .map(|r| {
            let id: i64 = r.try_get("", "id")?;
            let owner: Option<String> = r.try_get("", "owner")?;
            let values = cols.iter().map(|c| r.try_get::<Option<String>>("", c)).collect::<Result<_, _>>()?;
            Ok((id, owner, values))
        })
        .collect()
}

/// Writes a row's sealed values and clears its plaintext in one statement. A `None` sealed value
/// (no plaintext in that column) leaves the sealed column as it was.
pub async fn replace_plaintext(
    db: &impl ConnectionTrait,
    t: PlainTable,
    id: i64,
    sealed: Vec<Option<String>>,
) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    let set: Vec<String> =
        t.columns.iter().map(|(plain, enc)| format!("{enc} = COALESCE(?, {enc}), {plain} = NULL")).collect();
    let sql = format!("UPDATE {} SET {} WHERE id = ?", t.table, set.join(", "));
    let mut params: Vec<Value> = sealed.into_iter().map(Value::from).collect();
    params.push(id.into());
    db.execute_raw(raw(b, &sql, params)).await?;
    Ok(())
}

/// Writes one row's columns back.
pub async fn update(
    db: &impl ConnectionTrait,
    t: SealedTable,
    id: i64,
    values: Vec<Option<String>>,
) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    let set: Vec<String> = t.columns.iter().map(|c| format!("{c} = ?")).collect();
    let sql = format!("UPDATE {} SET {} WHERE id = ?", t.table, set.join(", "));
    let mut params: Vec<Value> = values.into_iter().map(Value::from).collect();
    params.push(id.into());
    db.execute_raw(raw(b, &sql, params)).await?;
    Ok(())
}

/// How many rows the table has (for progress reports).
pub async fn count(db: &impl ConnectionTrait, t: SealedTable) -> Result<i64, DbErr> {
    let b = db.get_database_backend();
    let row = db.query_one_raw(raw(b, &format!("SELECT COUNT(*) AS n FROM {}", t.table), vec![])).await?;
    Ok(row.map(|r| r.try_get::<i64>("", "n")).transpose()?.unwrap_or(0))
}
