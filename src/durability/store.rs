//! The durable world's tables: snapshots, the command journal and the last
//! recorded step.

use sqlx::Row;

use crate::db::{Database, DbError};

/// A snapshot row as stored.
pub struct StoredSnapshot {
    pub id: i64,
    pub format_version: i64,
    pub tick: i64,
    /// Journal entries up to this sequence number are included in the snapshot.
    pub last_seq: i64,
    /// The snapshot as JSON.
    pub body: String,
}

/// A journal row as stored; `command` is JSON that may fail to parse if the
/// row was damaged.
pub struct StoredEntry {
    pub seq: i64,
    pub tick: i64,
    pub command: String,
}

/// One command to append to the journal.
pub struct NewEntry {
    pub seq: u64,
    pub tick: u64,
    pub command: String,
}

/// Loads the newest snapshot, if any.
pub async fn latest_snapshot(db: &Database) -> Result<Option<StoredSnapshot>, DbError> {
    let row = sqlx::query(
        "SELECT id, format_version, tick, last_seq, body FROM world_snapshots ORDER BY id DESC LIMIT 1",
    )
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    Ok(Some(StoredSnapshot {
        id: row.try_get("id")?,
        format_version: row.try_get("format_version")?,
        tick: row.try_get("tick")?,
        last_seq: row.try_get("last_seq")?,
        body: row.try_get("body")?,
    }))
}

/// Journal entries after `seq`, oldest first.
pub async fn entries_after(db: &Database, seq: i64) -> Result<Vec<StoredEntry>, DbError> {
    let rows = sqlx::query("SELECT seq, tick, command FROM world_journal WHERE seq > $1 ORDER BY seq")
        .bind(seq)
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| Ok(StoredEntry { seq: row.try_get("seq")?, tick: row.try_get("tick")?, command: row.try_get("command")? }))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(DbError::from)
}

/// Returns the highest sequence number in the journal, or `floor` if there is none above it.
pub async fn last_seq(db: &Database, floor: i64) -> Result<i64, DbError> {
    let max: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM world_journal").fetch_one(db.pool()).await?;
    Ok(max.unwrap_or(floor).max(floor))
}

/// Returns the last step the world thread recorded, if any.
pub async fn progress(db: &Database) -> Result<Option<i64>, DbError> {
    Ok(sqlx::query_scalar("SELECT tick FROM world_progress WHERE id = 1").fetch_optional(db.pool()).await?)
}

/// Appends `entries` and records `progress` in one transaction: all or nothing.
pub async fn append(db: &Database, entries: &[NewEntry], progress: Option<u64>) -> Result<(), DbError> {
    let mut transaction = db.pool().begin().await?;
    for entry in entries {
        sqlx::query("INSERT INTO world_journal (seq, tick, command) VALUES ($1, $2, $3)")
            .bind(entry.seq as i64)
            .bind(entry.tick as i64)
            .bind(&entry.command)
            .execute(&mut *transaction)
            .await?;
    }
    if let Some(tick) = progress {
        set_progress(&mut transaction, tick as i64).await?;
    }
    transaction.commit().await?;
    Ok(())
}

async fn set_progress(connection: &mut sqlx::AnyConnection, tick: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO world_progress (id, tick) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET tick = excluded.tick",
    )
    .bind(tick)
    .execute(connection)
    .await?;
    Ok(())
}

/// Stores a snapshot, then drops the journal entries and older snapshots it covers.
pub async fn save_snapshot(db: &Database, format_version: u32, tick: u64, last_seq: u64, body: &str, now: i64) -> Result<(), DbError> {
    let mut transaction = db.pool().begin().await?;
    let id: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM world_snapshots").fetch_one(&mut *transaction).await?;
    let id = id.unwrap_or(0) + 1;
    sqlx::query(
        "INSERT INTO world_snapshots (id, format_version, tick, last_seq, taken_at, body) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(i64::from(format_version))
    .bind(tick as i64)
    .bind(last_seq as i64)
    .bind(now)
    .bind(body)
    .execute(&mut *transaction)
    .await?;
    sqlx::query("DELETE FROM world_journal WHERE seq <= $1").bind(last_seq as i64).execute(&mut *transaction).await?;
    sqlx::query("DELETE FROM world_snapshots WHERE id < $1").bind(id).execute(&mut *transaction).await?;
    transaction.commit().await?;
    Ok(())
}

/// Checks whether the database contains a world.
pub async fn has_world(db: &Database) -> Result<bool, DbError> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM world_snapshots").fetch_one(db.pool()).await?;
    Ok(count > 0)
}

/// Replaces the stored world, if any, with one snapshot, in one transaction:
/// a failure leaves the old world in place.
pub async fn replace_world(db: &Database, format_version: u32, tick: u64, body: &str, now: i64) -> Result<(), DbError> {
    let mut transaction = db.pool().begin().await?;
    for statement in ["DELETE FROM world_journal", "DELETE FROM world_snapshots", "DELETE FROM world_progress"] {
        sqlx::query(statement).execute(&mut *transaction).await?;
    }
    sqlx::query(
        "INSERT INTO world_snapshots (id, format_version, tick, last_seq, taken_at, body) VALUES (1, $1, $2, 0, $3, $4)",
    )
    .bind(i64::from(format_version))
    .bind(tick as i64)
    .bind(now)
    .bind(body)
    .execute(&mut *transaction)
    .await?;
    transaction.commit().await?;
    Ok(())
}
