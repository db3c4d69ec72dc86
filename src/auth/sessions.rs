//! Refresh-token families with rotation and reuse detection, and the list of
//! access tokens revoked by logout.
//!
//! Each login starts a family. A refresh spends the presented token and adds a
//! new one to the same family. Presenting a spent token again means it was
//! copied, so the whole family is revoked. Only SHA-256 hashes of refresh
//! tokens are stored.

use sha2::{Digest, Sha256};
use sqlx::Row;

use crate::db::{Database, DbError};

/// The outcome of presenting a refresh token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spend {
    /// The token was live and is now spent; issue its successor in `family_id`.
    Fresh { family_id: String, user_id: String },
    /// The token was already spent: its family has just been revoked.
    Reused { family_id: String, user_id: String },
    /// The token's family was revoked earlier, by logout or by reuse.
    Revoked,
    /// No such token was ever issued, or it has expired.
    Unknown,
}

/// Hashes a refresh token into its stored form.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Starts a new family for `user_id` and returns its id.
pub async fn start_family(db: &Database, user_id: &str, now: i64) -> Result<String, DbError> {
    let family_id = uuid::Uuid::new_v4().to_string();
    sqlx::query("INSERT INTO token_families (id, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(&family_id)
        .bind(user_id)
        .bind(now)
        .execute(db.pool())
        .await?;
    Ok(family_id)
}

/// Records a refresh token issued in `family_id`.
pub async fn store(db: &Database, token: &str, family_id: &str, user_id: &str, expires_at: i64) -> Result<(), DbError> {
    sqlx::query("INSERT INTO refresh_tokens (token_hash, family_id, user_id, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(token))
        .bind(family_id)
        .bind(user_id)
        .bind(expires_at)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Spends a refresh token. Of two concurrent spends of one token exactly one
/// gets [`Spend::Fresh`]: the conditional update decides.
pub async fn spend(db: &Database, token: &str, now: i64) -> Result<Spend, DbError> {
    let hash = token_hash(token);
    let row = sqlx::query(
        "SELECT t.family_id, t.user_id, t.expires_at, t.spent_at, f.revoked_at
         FROM refresh_tokens t JOIN token_families f ON f.id = t.family_id
         WHERE t.token_hash = $1",
    )
    .bind(&hash)
    .fetch_optional(db.pool())
    .await?;
    let Some(row) = row else {
        return Ok(Spend::Unknown);
    };

    let family_id: String = row.try_get("family_id")?;
    let user_id: String = row.try_get("user_id")?;
    let expires_at: i64 = row.try_get("expires_at")?;
    let spent_at: Option<i64> = row.try_get("spent_at")?;
    let revoked_at: Option<i64> = row.try_get("revoked_at")?;
    if revoked_at.is_some() {
        return Ok(Spend::Revoked);
    }
    if expires_at <= now {
        return Ok(Spend::Unknown);
    }

    if spent_at.is_none() {
        let updated = sqlx::query("UPDATE refresh_tokens SET spent_at = $1 WHERE token_hash = $2 AND spent_at IS NULL")
            .bind(now)
            .bind(&hash)
            .execute(db.pool())
            .await?;
        if updated.rows_affected() == 1 {
            return Ok(Spend::Fresh { family_id, user_id });
        }
    }
    revoke_family(db, &family_id, now).await?;
    Ok(Spend::Reused { family_id, user_id })
}

/// Checks whether `family_id` has been revoked.
pub async fn family_revoked(db: &Database, family_id: &str) -> Result<bool, DbError> {
    let revoked: Option<Option<i64>> = sqlx::query_scalar("SELECT revoked_at FROM token_families WHERE id = $1")
        .bind(family_id)
        .fetch_optional(db.pool())
        .await?;
    Ok(!matches!(revoked, Some(None)))
}

/// Revokes a family: none of its refresh tokens works again.
pub async fn revoke_family(db: &Database, family_id: &str, now: i64) -> Result<(), DbError> {
    sqlx::query("UPDATE token_families SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(family_id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Families revoked at or after `since` (Unix seconds): the ones whose access
/// tokens may still be unexpired.
pub async fn families_revoked_since(db: &Database, since: i64) -> Result<Vec<String>, DbError> {
    Ok(sqlx::query_scalar("SELECT id FROM token_families WHERE revoked_at IS NOT NULL AND revoked_at >= $1")
        .bind(since)
        .fetch_all(db.pool())
        .await?)
}

/// Looks up the family of a refresh token belonging to `user_id`, if there is one.
pub async fn family_of(db: &Database, token: &str, user_id: &str) -> Result<Option<String>, DbError> {
    Ok(sqlx::query_scalar("SELECT family_id FROM refresh_tokens WHERE token_hash = $1 AND user_id = $2")
        .bind(token_hash(token))
        .bind(user_id)
        .fetch_optional(db.pool())
        .await?)
}

/// Records an access token as revoked until it expires.
pub async fn revoke_access(db: &Database, jti: &str, expires_at: i64) -> Result<(), DbError> {
    sqlx::query("INSERT INTO revoked_access_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT (jti) DO NOTHING")
        .bind(jti)
        .bind(expires_at)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Access tokens revoked and not yet expired, as (jti, expires_at) pairs.
/// Expired entries are deleted first.
pub async fn live_revocations(db: &Database, now: i64) -> Result<Vec<(String, i64)>, DbError> {
    sqlx::query("DELETE FROM revoked_access_tokens WHERE expires_at < $1")
        .bind(now)
        .execute(db.pool())
        .await?;
    let rows = sqlx::query("SELECT jti, expires_at FROM revoked_access_tokens")
        .fetch_all(db.pool())
        .await?;
    rows.iter()
        .map(|row| Ok((row.try_get("jti")?, row.try_get("expires_at")?)))
        .collect::<Result<_, sqlx::Error>>()
        .map_err(DbError::from)
}
