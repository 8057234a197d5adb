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
}

/// One row: its id and the columns' values in [`SealedTable::columns`] order.
pub type SealedRow = (i64, Vec<Option<String>>);

/// Up to `limit` rows with an id above `after`, in id order.
pub async fn batch(db: &impl ConnectionTrait, t: SealedTable, after: i64, limit: u64) -> Result<Vec<SealedRow>, DbErr> {
    let b = db.get_database_backend();
    let sql = format!("SELECT id, {} FROM {} WHERE id > ? ORDER BY id LIMIT ?", t.columns.join(", "), t.table);
    let rows = db.query_all_raw(raw(b, &sql, vec![after.into(), (limit as i64).into()])).await?;
    rows.into_iter()
        .map(|r| {
            let id: i64 = r.try_get("", "id")?;
            let values = t.columns.iter().map(|c| r.try_get::<Option<String>>("", c)).collect::<Result<_, _>>()?;
            Ok((id, values))
        })
        .collect()
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
