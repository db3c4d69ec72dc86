//! User accounts: validation of new accounts and the `users` table.

use sqlx::Row;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use unicode_normalization::UnicodeNormalization;

use crate::db::{Database, DbError};

/// Shortest and longest username, in characters.
pub const USERNAME_LENGTH: (usize, usize) = (3, 32);

/// Maximum length of an email address (RFC 5321's path limit less the brackets).
pub const MAX_EMAIL_LENGTH: usize = 254;

/// The role of an account: `user` drives agents, `admin` also controls the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::User => "user",
            Role::Admin => "admin",
        }
    }

    fn parse(text: &str) -> Role {
        if text == "admin" { Role::Admin } else { Role::User }
    }
}

/// A stored account, without its password hash.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct User {
    pub id: String,
    pub username: String,
    pub email: String,
    pub role: Role,
    /// RFC 3339 time of registration, in UTC.
    pub created_at: String,
}

/// A stored account with its password hash, for login.
pub struct Credentials {
    pub user: User,
    pub password_hash: String,
}

/// Normalises a username to NFKC and checks its form. Returns the stored
/// username and its uniqueness key (lower case), or the rule it breaks.
pub fn normalize_username(raw: &str) -> Result<(String, String), String> {
    let username: String = raw.nfkc().collect();
    let length = username.chars().count();
    let (min, max) = USERNAME_LENGTH;
    if length < min || length > max {
        return Err(format!("must be between {min} and {max} characters, got {length}"));
    }
    if let Some(bad) = username.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))) {
        return Err(format!("may contain only letters A-Z and a-z, digits and _ . - (found {bad:?})"));
    }
    let key = username.to_ascii_lowercase();
    Ok((username, key))
}

/// Checks an email address's syntax: one `@`, a local part of printable ASCII
/// without spaces, and a domain of dot-separated labels with at least one dot.
/// Returns the uniqueness key (lower case) or the rule it breaks.
pub fn normalize_email(email: &str) -> Result<String, String> {
    const RULE: &str = "must be a valid email address such as name@example.org";
    if email.len() > MAX_EMAIL_LENGTH {
        return Err(format!("must be at most {MAX_EMAIL_LENGTH} characters"));
    }
    let Some((local, domain)) = email.split_once('@') else {
        return Err(RULE.to_owned());
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local.chars().all(|c| c.is_ascii_graphic() && !"@()<>[]:;\\,\"".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..");
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !label.starts_with('-')
                && !label.ends_with('-')
        });
    if !(local_ok && domain_ok) {
        return Err(RULE.to_owned());
    }
    Ok(email.to_ascii_lowercase())
}

/// A failure to create an account.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("username is already taken")]
    UsernameTaken,
    #[error("email is already registered")]
    EmailTaken,
    #[error(transparent)]
    Database(#[from] DbError),
}

/// A new account, already validated and hashed.
pub struct NewUser {
    pub username: String,
    pub username_key: String,
    pub email: String,
    pub email_key: String,
    pub password_hash: String,
    pub role: Role,
}

/// Inserts an account. The unique keys decide races between concurrent
/// registrations: exactly one insert of a name succeeds.
pub async fn create(db: &Database, new: NewUser) -> Result<User, CreateError> {
    let user = User {
        id: uuid::Uuid::new_v4().to_string(),
        username: new.username,
        email: new.email,
        role: new.role,
        created_at: OffsetDateTime::now_utc().format(&Rfc3339).expect("UTC times format as RFC 3339"),
    };
    let inserted = sqlx::query(
        "INSERT INTO users (id, username, username_key, email, email_key, password_hash, role, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&user.id)
    .bind(&user.username)
    .bind(&new.username_key)
    .bind(&user.email)
    .bind(&new.email_key)
    .bind(&new.password_hash)
    .bind(user.role.as_str())
    .bind(&user.created_at)
    .execute(db.pool())
    .await;

    match inserted {
        Ok(_) => Ok(user),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            if find_by_key(db, &new.username_key).await?.is_some() {
                Err(CreateError::UsernameTaken)
            } else {
                Err(CreateError::EmailTaken)
            }
        }
        Err(error) => Err(CreateError::Database(error.into())),
    }
}

fn credentials(row: &sqlx::any::AnyRow) -> Result<Credentials, sqlx::Error> {
    Ok(Credentials {
        user: User {
            id: row.try_get("id")?,
            username: row.try_get("username")?,
            email: row.try_get("email")?,
            role: Role::parse(&row.try_get::<String, _>("role")?),
            created_at: row.try_get("created_at")?,
        },
        password_hash: row.try_get("password_hash")?,
    })
}

/// Loads the account whose username key is `key`, with its hash.
pub async fn find_by_key(db: &Database, key: &str) -> Result<Option<Credentials>, DbError> {
    let row = sqlx::query(
        "SELECT id, username, email, role, created_at, password_hash FROM users WHERE username_key = $1",
    )
        .bind(key)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(credentials).transpose()?)
}

/// Loads the account with id `id`.
pub async fn find_by_id(db: &Database, id: &str) -> Result<Option<User>, DbError> {
    let row = sqlx::query("SELECT id, username, email, role, created_at, password_hash FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(db.pool())
        .await?;
    Ok(row.as_ref().map(credentials).transpose()?.map(|found| found.user))
}

/// Replaces an account's password hash, after a re-hash at a higher cost.
pub async fn set_password_hash(db: &Database, id: &str, password_hash: &str) -> Result<(), DbError> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(password_hash)
        .bind(id)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Gives an account the admin role. Returns false if no account has that key.
pub async fn promote(db: &Database, key: &str) -> Result<bool, DbError> {
    let done = sqlx::query("UPDATE users SET role = 'admin' WHERE username_key = $1")
        .bind(key)
        .execute(db.pool())
        .await?;
    Ok(done.rows_affected() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fullwidth_username_normalises() {
        let (username, key) = normalize_username("Ａｄｍｉｎ").unwrap();
        assert_eq!(username, "Admin");
        assert_eq!(key, "admin");
    }

    #[test]
    fn cyrillic_lookalike_rejected() {
        assert!(normalize_username("\u{0430}dmin").is_err());
    }

    #[test]
    fn username_length_rules() {
        assert!(normalize_username("ab").is_err());
        assert!(normalize_username(&"a".repeat(33)).is_err());
        assert!(normalize_username("abc").is_ok());
    }

    #[test]
    fn email_rules() {
        assert_eq!(normalize_email("Ann@Example.ORG").unwrap(), "ann@example.org");
        for bad in ["", "ann", "ann@", "@example.org", "ann@example", "a b@example.org", "ann@exa_mple.org", "ann@@example.org"] {
            assert!(normalize_email(bad).is_err(), "{bad}");
        }
    }
}
