//! [`Auth`]: registration, login, refresh rotation, logout and bearer-token checks.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::Semaphore;

use super::config::{AuthConfig, BootstrapAdmin, MIN_SECRET_BYTES};
use super::password;
use super::rate_limit::{LoginBackoff, RateLimiter};
use super::sessions::{self, Spend};
use super::tokens::{unix_now, Claims, TokenSigner, TokenType};
use super::users::{self, CreateError, NewUser, Role, User};
use crate::db::{Database, DbError};

/// The message for every failed login, whether the user exists or not.
pub const LOGIN_FAILED: &str = "incorrect username or password";

/// A failed authentication request.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// A field breaks its rule (422).
    #[error("{field} {rule}")]
    Invalid { field: &'static str, rule: String },
    /// A username or email is taken (409).
    #[error("{0}")]
    Conflict(String),
    /// Credentials or token rejected (401). The message is safe to show.
    #[error("{0}")]
    Unauthorized(&'static str),
    /// Too many attempts; retry after the duration (429).
    #[error("too many attempts")]
    Throttled(Duration),
    /// The database failed (500); details go to the log only.
    #[error(transparent)]
    Database(#[from] DbError),
}

/// An authenticated caller, from a verified access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user_id: String,
    pub username: String,
    pub role: Role,
    /// Id of the access token, revoked by logout.
    pub jti: String,
    /// Expiry of the access token, in Unix seconds.
    pub expires_at: u64,
    /// Refresh-token family of the login session.
    pub family: Option<String>,
}

/// The tokens a login or refresh returns, in the OAuth2 password-flow shape.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

/// The authentication service shared by all requests.
pub struct Auth {
    db: Database,
    signer: TokenSigner,
    iterations: u32,
    /// Bounds concurrent password hashes, each run on a blocking thread.
    hashing: Semaphore,
    /// Hash verified for unknown usernames, so they cost as much as real ones.
    dummy_hash: String,
    /// Access tokens revoked by logout, by `jti`, with their expiry.
    revoked: Mutex<HashMap<String, u64>>,
    /// Login sessions revoked by logout or refresh-token reuse; their access
    /// tokens stop working at once instead of at expiry.
    revoked_families: Mutex<HashSet<String>>,
    /// Per-address throttle on `/api/auth`.
    pub limiter: RateLimiter,
    backoff: LoginBackoff<String>,
}

impl Auth {
    /// Connects to the database, applies migrations, loads revoked tokens and
    /// creates the bootstrap admin if configured.
    pub async fn start(config: &AuthConfig) -> Result<Auth, DbError> {
        let db = Database::connect(&config.database_url).await?;
        let secret = match &config.secret_key {
            Some(secret) => secret.clone(),
            None => {
                tracing::warn!("SECRET_KEY is not set: using a random key, so tokens will not survive a restart");
                random_secret()
            }
        };

        let iterations = config.iterations;
        let dummy_hash = tokio::task::spawn_blocking(move || password::hash("dummy password for timing", iterations))
            .await
            .expect("hashing does not panic");
        let now = unix_now();
        let revoked = sessions::live_revocations(&db, now as i64)
            .await?
            .into_iter()
            .map(|(jti, expires_at)| (jti, expires_at.max(0) as u64))
            .collect();

        let since = now.saturating_sub(config.access_ttl.as_secs()) as i64;
        let revoked_families = sessions::families_revoked_since(&db, since).await?.into_iter().collect();

        let auth = Auth {
            db,
            signer: TokenSigner::new(&secret, &config.issuer, config.access_ttl, config.refresh_ttl),
            iterations,
            hashing: Semaphore::new(config.hash_concurrency.max(1)),
            dummy_hash,
            revoked: Mutex::new(revoked),
            revoked_families: Mutex::new(revoked_families),
            limiter: RateLimiter::new(config.rate_per_minute, config.rate_burst),
            backoff: LoginBackoff::default(),
        };
        if let Some(admin) = &config.bootstrap_admin {
            auth.ensure_admin(admin).await?;
        }
        Ok(auth)
    }

    /// Returns the database, shared with other parts of the server.
    pub fn database(&self) -> &Database {
        &self.db
    }

    /// Runs a password hash or check on a blocking thread, at most
    /// `hash_concurrency` at once, so logins never stall the async workers.
    async fn hash_off_thread<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> T {
        let _permit = self.hashing.acquire().await.expect("the hashing semaphore is never closed");
        tokio::task::spawn_blocking(work).await.expect("hashing does not panic")
    }

    /// Creates a `user` account.
    pub async fn register(&self, username: &str, email: &str, password: &str) -> Result<User, AuthError> {
        self.create_account(username, email, password, Role::User).await
    }

    async fn create_account(&self, username: &str, email: &str, password: &str, role: Role) -> Result<User, AuthError> {
        let (username, username_key) =
            users::normalize_username(username).map_err(|rule| AuthError::Invalid { field: "username", rule })?;
        let email_key = users::normalize_email(email).map_err(|rule| AuthError::Invalid { field: "email", rule })?;
        password::check_new(password, &username).map_err(|rule| AuthError::Invalid { field: "password", rule })?;

        let password = password.to_owned();
        let iterations = self.iterations;
        let password_hash = self.hash_off_thread(move || password::hash(&password, iterations)).await;
        let new = NewUser { username, username_key, email: email.to_owned(), email_key, password_hash, role };
        match users::create(&self.db, new).await {
            Ok(user) => {
                tracing::info!(user_id = %user.id, username = %user.username, role = user.role.as_str(), "account created");
                Ok(user)
            }
            Err(CreateError::UsernameTaken) => Err(AuthError::Conflict("username is already taken".to_owned())),
            Err(CreateError::EmailTaken) => Err(AuthError::Conflict("email is already registered".to_owned())),
            Err(CreateError::Database(error)) => Err(error.into()),
        }
    }

    /// Creates `admin` as an admin. An existing account of that name is
    /// promoted only if its password is the configured one, so nobody can
    /// register the name first and be made admin.
    pub async fn ensure_admin(&self, admin: &BootstrapAdmin) -> Result<(), DbError> {
        let key = users::normalize_username(&admin.username).map(|(_, key)| key).unwrap_or_default();
        if let Some(existing) = users::find_by_key(&self.db, &key).await? {
            let candidate = admin.password.clone();
            let stored = existing.password_hash.clone();
            if !self.hash_off_thread(move || password::verify(&candidate, &stored)).await {
                tracing::error!(
                    username = %admin.username,
                    "an account with the bootstrap admin's name exists with another password; it was not promoted"
                );
                return Ok(());
            }
            users::promote(&self.db, &key).await?;
            tracing::info!(username = %admin.username, "bootstrap admin account present");
            return Ok(());
        }
        match self.create_account(&admin.username, &admin.email, &admin.password, Role::Admin).await {
            Ok(_) => Ok(()),
            Err(AuthError::Database(error)) => Err(error),
            Err(error) => {
                tracing::error!(username = %admin.username, %error, "could not create the admin account");
                Ok(())
            }
        }
    }

    /// Checks a username and password and starts a login session.
    pub async fn login(&self, username: &str, password: &str) -> Result<TokenPair, AuthError> {
        let key = users::normalize_username(username).map_or_else(|_| username.to_lowercase(), |(_, key)| key);
        self.backoff.check(&key).map_err(AuthError::Throttled)?;

        let found = users::find_by_key(&self.db, &key).await?;
        let stored = found.as_ref().map_or_else(|| self.dummy_hash.clone(), |found| found.password_hash.clone());
        let candidate = password.to_owned();
        let matches = self.hash_off_thread(move || password::verify(&candidate, &stored)).await;

        let Some(found) = found.filter(|_| matches) else {
            self.backoff.record_failure(&key);
            tracing::info!(username = %key, "login failed");
            return Err(AuthError::Unauthorized(LOGIN_FAILED));
        };
        self.backoff.record_success(&key);
        if password::needs_rehash(&found.password_hash, self.iterations) {
            self.rehash(&found.user.id, password).await?;
        }

        let family = sessions::start_family(&self.db, &found.user.id, unix_now() as i64).await?;
        tracing::info!(user_id = %found.user.id, "login succeeded");
        self.issue_pair(&found.user, &family).await
    }

    async fn rehash(&self, user_id: &str, password: &str) -> Result<(), DbError> {
        let password = password.to_owned();
        let iterations = self.iterations;
        let upgraded = self.hash_off_thread(move || password::hash(&password, iterations)).await;
        users::set_password_hash(&self.db, user_id, &upgraded).await?;
        tracing::info!(user_id, iterations, "password hash upgraded to the configured cost");
        Ok(())
    }

    async fn issue_pair(&self, user: &User, family: &str) -> Result<TokenPair, AuthError> {
        let role = user.role.as_str();
        let (access_token, _) = self.signer.issue(&user.id, &user.username, role, TokenType::Access, family);
        let (refresh_token, refresh) = self.signer.issue(&user.id, &user.username, role, TokenType::Refresh, family);
        sessions::store(&self.db, &refresh_token, family, &user.id, refresh.exp as i64).await?;
        Ok(TokenPair { access_token, refresh_token, token_type: "bearer", expires_in: self.signer.access_ttl.as_secs() })
    }

    /// Spends a refresh token and issues its successor. A token presented a
    /// second time revokes its whole family.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenPair, AuthError> {
        const REJECTED: &str = "refresh token is invalid, expired or revoked";
        let claims = self.signer.verify(refresh_token, TokenType::Refresh).map_err(|error| {
            tracing::debug!(%error, "refresh token rejected");
            AuthError::Unauthorized(REJECTED)
        })?;

        match sessions::spend(&self.db, refresh_token, unix_now() as i64).await? {
            Spend::Fresh { family_id, user_id } => {
                let user = users::find_by_id(&self.db, &user_id).await?.ok_or(AuthError::Unauthorized(REJECTED))?;
                self.issue_pair(&user, &family_id).await
            }
            Spend::Reused { family_id, user_id } => {
                self.revoked_families.lock().expect("revocation lock").insert(family_id.clone());
                tracing::warn!(%user_id, %family_id, "spent refresh token presented again; token family revoked");
                Err(AuthError::Unauthorized(REJECTED))
            }
            Spend::Revoked | Spend::Unknown => {
                tracing::debug!(user_id = %claims.sub, "refresh token of a revoked or unknown family");
                Err(AuthError::Unauthorized(REJECTED))
            }
        }
    }

    /// Revokes the caller's access token and the refresh family of its
    /// session, and the family of `refresh_token` if one is given.
    pub async fn logout(&self, principal: &Principal, refresh_token: Option<&str>) -> Result<(), AuthError> {
        let now = unix_now() as i64;
        sessions::revoke_access(&self.db, &principal.jti, principal.expires_at as i64).await?;
        self.revoked.lock().expect("revocation lock").insert(principal.jti.clone(), principal.expires_at);

        if let Some(family) = &principal.family {
            self.revoke_family(family, now).await?;
        }
        if let Some(token) = refresh_token
            && let Some(family) = sessions::family_of(&self.db, token, &principal.user_id).await?
        {
            self.revoke_family(&family, now).await?;
        }
        tracing::info!(user_id = %principal.user_id, "logged out");
        Ok(())
    }

    async fn revoke_family(&self, family: &str, now: i64) -> Result<(), DbError> {
        sessions::revoke_family(&self.db, family, now).await?;
        self.revoked_families.lock().expect("revocation lock").insert(family.to_owned());
        Ok(())
    }

    /// Verifies a bearer access token and that neither it nor its login
    /// session has been revoked.
    pub fn authenticate(&self, token: &str) -> Result<Principal, AuthError> {
        let claims: Claims = self.signer.verify(token, TokenType::Access).map_err(|error| {
            tracing::debug!(%error, "access token rejected");
            AuthError::Unauthorized("access token is invalid or expired")
        })?;

        let mut revoked = self.revoked.lock().expect("revocation lock");
        if revoked.contains_key(&claims.jti) {
            return Err(AuthError::Unauthorized("access token has been revoked"));
        }
        let now = unix_now();
        if revoked.len() > 10_000 {
            revoked.retain(|_, expires_at| *expires_at >= now);
        }
        drop(revoked);
        if let Some(family) = &claims.fam
            && self.revoked_families.lock().expect("revocation lock").contains(family)
        {
            return Err(AuthError::Unauthorized("the login session of this token has been revoked"));
        }

        Ok(Principal {
            user_id: claims.sub,
            username: claims.username,
            role: if claims.role == "admin" { Role::Admin } else { Role::User },
            jti: claims.jti,
            expires_at: claims.exp,
            family: claims.fam,
        })
    }

    /// Loads the caller's account.
    pub async fn me(&self, principal: &Principal) -> Result<User, AuthError> {
        users::find_by_id(&self.db, &principal.user_id)
            .await?
            .ok_or(AuthError::Unauthorized("the account of this token no longer exists"))
    }
}

/// Draws a random 32-byte key for debug mode.
fn random_secret() -> Vec<u8> {
    use rand::TryRng;
    let mut secret = vec![0u8; MIN_SECRET_BYTES];
    rand::rngs::SysRng.try_fill_bytes(&mut secret).expect("the operating system's random number generator is available");
    secret
}
