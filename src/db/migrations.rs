//! Schema migrations, applied in order at startup and recorded in `schema_migrations`.
//!
//! Each migration's SQL uses only types both SQLite and PostgreSQL accept
//! (TEXT, BIGINT), so one text serves both backends.

use sqlx::AnyPool;

use super::DbError;

struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "accounts",
        sql: "
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            username TEXT NOT NULL,
            username_key TEXT NOT NULL UNIQUE,
            email TEXT NOT NULL,
            email_key TEXT NOT NULL UNIQUE,
            password_hash TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
            created_at TEXT NOT NULL
        );
        CREATE TABLE token_families (
            id TEXT PRIMARY KEY,
            user_id TEXT NOT NULL REFERENCES users (id),
            created_at BIGINT NOT NULL,
            revoked_at BIGINT
        );
        CREATE TABLE refresh_tokens (
            token_hash TEXT PRIMARY KEY,
            family_id TEXT NOT NULL REFERENCES token_families (id),
            user_id TEXT NOT NULL REFERENCES users (id),
            expires_at BIGINT NOT NULL,
            spent_at BIGINT
        );
        CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
        CREATE TABLE revoked_access_tokens (
            jti TEXT PRIMARY KEY,
            expires_at BIGINT NOT NULL
        );
    ",
    },
    Migration {
        version: 2,
        name: "durable world",
        sql: "
        CREATE TABLE world_snapshots (
            id BIGINT PRIMARY KEY,
            format_version BIGINT NOT NULL,
            tick BIGINT NOT NULL,
            last_seq BIGINT NOT NULL,
            taken_at BIGINT NOT NULL,
            body TEXT NOT NULL
        );
        CREATE TABLE world_journal (
            seq BIGINT PRIMARY KEY,
            tick BIGINT NOT NULL,
            command TEXT NOT NULL
        );
        CREATE TABLE world_progress (
            id BIGINT PRIMARY KEY,
            tick BIGINT NOT NULL
        );
    ",
    },
];

/// Applies every migration not yet recorded, each in its own transaction.
pub async fn apply(pool: &AnyPool) -> Result<(), DbError> {
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL)",
    )
    .execute(pool)
    .await?;

    for migration in MIGRATIONS {
        let applied: Option<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations WHERE version = $1")
            .bind(migration.version)
            .fetch_optional(pool)
            .await?;
        if applied.is_some() {
            continue;
        }

        let failed = |source| DbError::Migration { version: migration.version, name: migration.name, source };
        let mut transaction = pool.begin().await?;
        sqlx::raw_sql(migration.sql).execute(&mut *transaction).await.map_err(failed)?;
        sqlx::query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)")
            .bind(migration.version)
            .bind(migration.name)
            .execute(&mut *transaction)
            .await
            .map_err(failed)?;
        transaction.commit().await.map_err(failed)?;
        tracing::info!(version = migration.version, name = migration.name, "database migration applied");
    }
    Ok(())
}
