//! Settings of accounts, tokens and throttles, read by [`crate::config::Config`].

use std::net::IpAddr;
use std::time::Duration;

use super::password::DEFAULT_ITERATIONS;

/// Shortest accepted `SECRET_KEY`, in bytes: the HS256 key size.
pub const MIN_SECRET_BYTES: usize = 32;

/// An admin account to create at startup if it does not exist.
#[derive(Clone, PartialEq, Eq)]
pub struct BootstrapAdmin {
    pub username: String,
    pub password: String,
    pub email: String,
}

impl std::fmt::Debug for BootstrapAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BootstrapAdmin")
            .field("username", &self.username)
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

/// Everything the authentication service needs.
#[derive(Clone, PartialEq)]
pub struct AuthConfig {
    /// `sqlite:` path or `postgres://` URL of the accounts database (`DATABASE_URL`).
    pub database_url: String,
    /// Debug mode (`DEBUG`): allows a generated secret and low PBKDF2 counts.
    pub debug: bool,
    /// HS256 key (`SECRET_KEY`); `None` only in debug mode, where one is generated.
    pub secret_key: Option<Vec<u8>>,
    /// `iss` claim of issued tokens and the only issuer accepted (`JWT_ISSUER`).
    pub issuer: String,
    /// Lifetime of access tokens (`ACCESS_TOKEN_EXPIRE_MINUTES`).
    pub access_ttl: Duration,
    /// Lifetime of refresh tokens (`REFRESH_TOKEN_EXPIRE_DAYS`).
    pub refresh_ttl: Duration,
    /// PBKDF2 iterations for new hashes (`PBKDF2_ITERATIONS`).
    pub iterations: u32,
    /// Password hashes computed at once; more logins wait their turn.
    pub hash_concurrency: usize,
    /// Admin created at startup (`BOOTSTRAP_ADMIN_USERNAME`, `_PASSWORD`, `_EMAIL`).
    pub bootstrap_admin: Option<BootstrapAdmin>,
    /// Sustained requests per minute per client on `/api/auth` (`AUTH_RATE_LIMIT_PER_MINUTE`).
    pub rate_per_minute: u32,
    /// Requests a client may send at once before the rate applies (`AUTH_RATE_LIMIT_BURST`).
    pub rate_burst: u32,
    /// Peers whose `X-Forwarded-For` header is believed (`TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<IpAddr>,
}

impl std::fmt::Debug for AuthConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthConfig")
            .field("database_url", &"<hidden>")
            .field("debug", &self.debug)
            .field("secret_key", &self.secret_key.as_ref().map(|_| "<hidden>"))
            .field("issuer", &self.issuer)
            .field("access_ttl", &self.access_ttl)
            .field("refresh_ttl", &self.refresh_ttl)
            .field("iterations", &self.iterations)
            .field("bootstrap_admin", &self.bootstrap_admin)
            .field("rate_per_minute", &self.rate_per_minute)
            .field("rate_burst", &self.rate_burst)
            .field("trusted_proxies", &self.trusted_proxies)
            .finish_non_exhaustive()
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            database_url: "sqlite:data/reynard.db".to_owned(),
            debug: false,
            secret_key: None,
            issuer: "reynard".to_owned(),
            access_ttl: Duration::from_secs(30 * 60),
            refresh_ttl: Duration::from_secs(7 * 24 * 3600),
            iterations: DEFAULT_ITERATIONS,
            hash_concurrency: std::thread::available_parallelism().map_or(2, |cores| cores.get()),
            bootstrap_admin: None,
            rate_per_minute: 30,
            rate_burst: 10,
            trusted_proxies: Vec::new(),
        }
    }
}
