//! A real server started in this process on a free loopback port, and
//! clients for it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::{Method, StatusCode};
use reynard::auth::{AuthConfig, BootstrapAdmin};
use reynard::{Config, RunningServer};
use reynard_client::ReynardClient;
use reynard_systems::simulation::ClockConfig;
use reynard_systems::Settings;
use serde_json::Value;
use tokio::net::TcpListener;

/// Username and password of the admin every test server creates at startup.
pub const ADMIN_USERNAME: &str = "warden";
pub const ADMIN_PASSWORD: &str = "warden-password-1";

/// Password of every account a test registers.
pub const USER_PASSWORD: &str = "user-password-1";

/// Steps in one simulated year on test servers.
pub const STEPS_PER_YEAR: u32 = 4;

/// Maximum time one request may take before the test fails.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Returns a configuration whose clock only moves on nudges, because a
/// simulated year lasts a million real seconds. It has 4 steps per year,
/// automatic breeding off, a fresh SQLite file, a fixed signing key, a cheap
/// PBKDF2 cost and no practical rate limit on `/api/auth`.
pub fn still_config() -> Config {
    Config {
        seed: Some(20_240_611),
        clock: ClockConfig { seconds_per_year: 1_000_000.0, acceleration: 1.0 },
        settings: Settings {
            steps_per_year: STEPS_PER_YEAR,
            breeding_cooldown_steps: STEPS_PER_YEAR,
            breeding_interval_steps: STEPS_PER_YEAR,
            breeding_enabled: false,
            ..Settings::default()
        },
        auth: AuthConfig {
            database_url: fresh_sqlite_url(),
            debug: true,
            secret_key: Some(b"client-test-secret-key-0123456789abcdef".to_vec()),
            iterations: 1_000,
            bootstrap_admin: Some(BootstrapAdmin {
                username: ADMIN_USERNAME.to_owned(),
                password: ADMIN_PASSWORD.to_owned(),
                email: "warden@example.org".to_owned(),
            }),
            rate_per_minute: 100_000,
            rate_burst: 10_000,
            ..AuthConfig::default()
        },
        ..Config::default()
    }
}

/// Returns a URL for a new SQLite file under the system's temporary directory.
fn fresh_sqlite_url() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join("reynard-client-tests");
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_nanos());
    format!("sqlite:{}/{}-{nanos}-{n}.db", dir.display(), std::process::id())
}

/// A server started in this process.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    server: RunningServer,
}

/// Starts a server with [`still_config`].
pub async fn start() -> TestServer {
    start_with(still_config()).await
}

/// Starts a server with `config` on a free port of 127.0.0.1.
pub async fn start_with(config: Config) -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding a free loopback port");
    let server = reynard::start(config, listener).await.expect("server starts");
    TestServer { base: format!("http://{}", server.addr), server }
}

/// Builds an HTTP client that never uses a proxy, so requests go straight
/// to the local server, and gives up after [`REQUEST_TIMEOUT`].
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().timeout(REQUEST_TIMEOUT).build().expect("building the HTTP client")
}

impl TestServer {
    /// Builds a client for this server that has no tokens.
    pub fn client(&self) -> ReynardClient {
        ReynardClient::with_http_client(&self.base, http()).expect("the test server's URL is valid")
    }

    /// Builds a client logged in as the bootstrap admin.
    pub async fn admin(&self) -> ReynardClient {
        let client = self.client();
        client.login(ADMIN_USERNAME, ADMIN_PASSWORD).await.expect("admin login succeeds");
        client
    }

    /// Registers `username` with [`USER_PASSWORD`] and returns a client logged in as it.
    pub async fn user(&self, username: &str) -> ReynardClient {
        let client = self.client();
        let email = format!("{username}@example.org");
        client.register(username, &email, USER_PASSWORD).await.expect("registration succeeds");
        client.login(username, USER_PASSWORD).await.expect("user login succeeds");
        client
    }

    /// Sends a request with `client`'s access token and returns the raw
    /// body, checking for a 2xx status.
    pub async fn raw(&self, client: &ReynardClient, method: Method, path: &str, body: Option<&Value>) -> String {
        let mut request = http().request(method.clone(), format!("{}{path}", self.base));
        if let Some(token) = client.access_token().await {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await.expect("request completes");
        let status = response.status();
        let text = response.text().await.expect("reading the response body");
        assert!(status.is_success(), "{method} {path}: {status} {text}");
        text
    }

    /// Sends `GET path` like [`TestServer::raw`].
    pub async fn raw_get(&self, client: &ReynardClient, path: &str) -> String {
        self.raw(client, Method::GET, path, None).await
    }

    /// Stops the server and waits for the world thread to end.
    pub async fn stop(self) {
        let stopped = tokio::time::timeout(Duration::from_secs(10), self.server.stop()).await;
        let served = stopped.expect("server stops within 10 seconds");
        assert!(served.is_ok(), "serving failed: {served:?}");
    }
}

/// Asserts that `result` is an API error with `status` and `detail`.
#[track_caller]
pub fn assert_api_error<T: std::fmt::Debug>(
    result: Result<T, reynard_client::ClientError>,
    status: StatusCode,
    detail: &str,
) {
    let error = result.expect_err("the call should fail");
    assert_eq!(error.status(), Some(status), "status of {error}");
    assert_eq!(error.detail(), Some(detail), "detail of {error}");
}
