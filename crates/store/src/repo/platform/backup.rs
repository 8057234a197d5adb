//! The database side of a backup: a consistent copy of a running SQLite database.

use sea_orm::{ConnectionTrait, DatabaseBackend, DbErr};

use crate::raw;

/// Writes a consistent snapshot of the SQLite database into the new file `dest` with `VACUUM INTO`
/// (SQLite ≥ 3.27). It reads inside one read transaction, so writers carry on (WAL) and the copy
/// holds exactly what was committed when it began. Must not run inside a transaction.
pub async fn vacuum_into(db: &impl ConnectionTrait, dest: &std::path::Path) -> Result<(), DbErr> {
    let b = db.get_database_backend();
    if b != DatabaseBackend::Sqlite {
        return Err(DbErr::Custom("VACUUM INTO is SQLite only".into()));
    }
    let dest = dest.to_str().ok_or_else(|| DbErr::Custom("backup path is not UTF-8".into()))?;
    // The file name is bound, never spliced into the SQL.
    db.execute_raw(raw(b, "VACUUM INTO ?", vec![dest.into()])).await?;
    Ok(())
}
