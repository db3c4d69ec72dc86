//! Helpers shared by the HTTP integration tests: a real server on a free
//! loopback port, a client for it, and shortcuts for common requests.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::{Client, Method, StatusCode};
use reynard::auth::{AuthConfig, BootstrapAdmin};
use reynard::{Config, RunningServer};
use reynard_systems::simulation::ClockConfig;
use reynard_systems::Settings;
use serde_json::{json, Value};
use tokio::net::TcpListener;

/// World seed of every server whose test does not vary the seed.
pub const SEED: u64 = 20_240_611;

/// Steps in one simulated year in [`fast_settings`].
pub const STEPS_PER_YEAR: u32 = 4;

/// Maximum time one request may take before the test fails.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(20);

/// Settings that age agents quickly through nudges: 4 steps per year, a
/// cooldown and a breeding interval of one year, and automatic breeding off.
pub fn fast_settings() -> Settings {
    Settings {
        steps_per_year: STEPS_PER_YEAR,
        breeding_cooldown_steps: STEPS_PER_YEAR,
        breeding_interval_steps: STEPS_PER_YEAR,
        breeding_enabled: false,
        ..Settings::default()
    }
}

/// Username and password of the admin every test server creates at startup.
pub const ADMIN_USERNAME: &str = "warden";
pub const ADMIN_PASSWORD: &str = "warden-password-1";

/// Returns a URL for a fresh SQLite database under the system's temporary directory.
pub fn fresh_sqlite_url() -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join("reynard-tests");
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    format!("sqlite:{}/{}-{nanos}-{n}.db", dir.display(), std::process::id())
}

/// Account settings for tests: a fresh SQLite database, a fixed key, a cheap
/// PBKDF2 cost (allowed in debug mode), no practical rate limit, and the
/// bootstrap admin [`ADMIN_USERNAME`].
pub fn test_auth_config() -> AuthConfig {
    AuthConfig {
        database_url: fresh_sqlite_url(),
        debug: true,
        secret_key: Some(b"integration-test-secret-key-0123456789".to_vec()),
        iterations: 1_000,
        bootstrap_admin: Some(BootstrapAdmin {
            username: ADMIN_USERNAME.to_owned(),
            password: ADMIN_PASSWORD.to_owned(),
            email: "warden@example.org".to_owned(),
        }),
        rate_per_minute: 100_000,
        rate_burst: 10_000,
        ..AuthConfig::default()
    }
}

/// Returns a configuration whose clock is effectively still: a simulated year lasts a
/// million real seconds at acceleration 1, so fixed steps run only on nudges.
pub fn still_config() -> Config {
    Config {
        seed: Some(SEED),
        clock: ClockConfig { seconds_per_year: 1_000_000.0, acceleration: 1.0 },
        settings: fast_settings(),
        // One step per MCP tool call at 4 steps per year.
        mcp_nudge_years: 0.25,
        auth: test_auth_config(),
        ..Config::default()
    }
}

/// Returns [`still_config`] with 1000 steps per year. Agents then live
/// 100 000 steps, so every agent ages through a whole 10 000-step nudge, and
/// such a nudge over a few hundred agents keeps the world thread busy for a
/// while (about a second in a debug build on a 2-core machine).
pub fn slow_nudge_config() -> Config {
    let mut config = still_config();
    config.settings.steps_per_year = 1000;
    config
}

/// A response with its body parsed as JSON. `body` is `Value::Null` when the
/// body is not JSON; `text` keeps the raw body for failure messages.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub body: Value,
}

impl Reply {
    /// Returns the `detail` string of an error body.
    ///
    /// # Panics
    /// Panics if the body has no string `detail`.
    pub fn detail(&self) -> &str {
        self.body["detail"]
            .as_str()
            .unwrap_or_else(|| panic!("expected a JSON body with a string detail, got {} {}", self.status, self.text))
    }

    /// Returns the value of the `name` header, if present and ASCII.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

/// A server started in this process and a client that talks to it.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub base: String,
    /// A client that sends the bootstrap admin's access token with every request.
    pub client: Client,
    /// The bootstrap admin's access token.
    pub admin_token: String,
    pub server: RunningServer,
}

/// Starts a server with `config` on a free port of 127.0.0.1 and logs in as
/// the bootstrap admin.
pub async fn start(config: Config) -> TestServer {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding a free loopback port");
    let server = reynard::start(config, listener).await.expect("server starts");
    let base = format!("http://{}", server.addr);
    let admin_token = login(&base, ADMIN_USERNAME, ADMIN_PASSWORD).await;
    TestServer { base, client: client_with_token(&admin_token), admin_token, server }
}

/// Logs in and returns the access token.
///
/// # Panics
/// Panics unless the login succeeds.
pub async fn login(base: &str, username: &str, password: &str) -> String {
    let response = client()
        .post(format!("{base}/api/auth/login"))
        .json(&json!({ "username": username, "password": password }))
        .send()
        .await
        .expect("login request completes");
    let reply = read(response).await;
    assert_eq!(reply.status, StatusCode::OK, "login of {username}: {}", reply.text);
    reply.body["access_token"].as_str().expect("access_token is a string").to_owned()
}

/// Builds a client like [`client`] that sends `Authorization: Bearer <token>`.
pub fn client_with_token(token: &str) -> Client {
    let mut headers = HeaderMap::new();
    let value = format!("Bearer {token}").parse().expect("a token is a valid header value");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    Client::builder()
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .default_headers(headers)
        .build()
        .expect("building the HTTP client")
}

/// Starts a server with [`still_config`].
pub async fn start_still() -> TestServer {
    start(still_config()).await
}

/// Builds a client that never uses a proxy, so requests go straight to the local server.
pub fn client() -> Client {
    Client::builder()
        .no_proxy()
        .timeout(REQUEST_TIMEOUT)
        .build()
        .expect("building the HTTP client")
}

/// Reads a response into a [`Reply`].
pub async fn read(response: reqwest::Response) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let text = response.text().await.expect("reading the response body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Reply { status, headers, text, body }
}

impl TestServer {
    /// Returns the absolute URL of `path`, which starts with `/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Sends a request without a body.
    pub async fn send(&self, method: Method, path: &str) -> Reply {
        let response = self.client.request(method, self.url(path)).send().await.expect("request completes");
        read(response).await
    }

    /// Sends `body` as JSON.
    pub async fn send_json(&self, method: Method, path: &str, body: &Value) -> Reply {
        let response = self
            .client
            .request(method, self.url(path))
            .json(body)
            .send()
            .await
            .expect("request completes");
        read(response).await
    }

    /// Sends `body` as given, with `content_type`.
    pub async fn send_raw(&self, method: Method, path: &str, content_type: &str, body: impl Into<reqwest::Body>) -> Reply {
        let response = self
            .client
            .request(method, self.url(path))
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body)
            .send()
            .await
            .expect("request completes");
        read(response).await
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send_json(Method::POST, path, body).await
    }

    pub async fn put_json(&self, path: &str, body: &Value) -> Reply {
        self.send_json(Method::PUT, path, body).await
    }

    /// Creates an agent from `body` and returns it.
    ///
    /// # Panics
    /// Panics unless the server responds with 201.
    pub async fn create_with(&self, body: &Value) -> Value {
        let reply = self.post_json("/api/ecs/agents", body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "creating {body}: {}", reply.text);
        reply.body
    }

    /// Creates a fox `agent_id` aged `age` years and returns it.
    pub async fn create(&self, agent_id: &str, age: f64) -> Value {
        self.create_with(&json!({ "agent_id": agent_id, "age": age })).await
    }

    /// Breeds `parent1` and `parent2` into `offspring_id` and returns the offspring.
    ///
    /// # Panics
    /// Panics unless the server responds with 201.
    pub async fn breed(&self, parent1: &str, parent2: &str, offspring_id: &str) -> Value {
        let body = json!({ "parent1_id": parent1, "parent2_id": parent2, "offspring_id": offspring_id });
        let reply = self.post_json("/api/ecs/agents/offspring", &body).await;
        assert_eq!(reply.status, StatusCode::CREATED, "breeding {body}: {}", reply.text);
        reply.body
    }

    /// Runs `steps` fixed steps and returns the time view.
    pub async fn nudge(&self, steps: u32) -> Value {
        let reply = self.post_json("/api/ecs/time/nudge", &json!({ "steps": steps })).await;
        assert_eq!(reply.status, StatusCode::OK, "nudging {steps} steps: {}", reply.text);
        reply.body
    }

    /// Creates `count` newborn agents `agent-0`, `agent-1`, … one after another.
    pub async fn populate(&self, count: usize) {
        for n in 0..count {
            self.create(&format!("agent-{n}"), 0.0).await;
        }
    }

    /// Starts a 10 000-step nudge in the background and returns its reply when awaited.
    pub fn spawn_long_nudge(&self) -> tokio::task::JoinHandle<Reply> {
        let request = self.client.post(self.url("/api/ecs/time/nudge")).json(&json!({ "steps": 10_000 }));
        tokio::spawn(async move { read(request.send().await.expect("nudge completes")).await })
    }

    /// Turns automatic breeding on or off through the query string.
    pub async fn set_breeding(&self, enabled: bool) {
        let reply = self.send(Method::POST, &format!("/api/ecs/breeding/enable?enabled={enabled}")).await;
        assert_eq!(reply.status, StatusCode::OK, "switching breeding: {}", reply.text);
    }

    /// Sends `GET path`, checks for 200 and returns the body.
    pub async fn get_ok(&self, path: &str) -> Value {
        let reply = self.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {path}: {}", reply.text);
        reply.body
    }

    pub async fn status(&self) -> Value {
        self.get_ok("/api/ecs/status").await
    }

    /// Returns the world digest. Equal digests mean equal worlds.
    pub async fn digest(&self) -> String {
        let body = self.get_ok("/api/ecs/digest").await;
        body["digest"].as_str().expect("digest is a string").to_owned()
    }

    /// Stops the server and waits for the world thread to end.
    pub async fn stop(self) {
        let stopped = tokio::time::timeout(Duration::from_secs(10), self.server.stop()).await;
        let served = stopped.expect("server stops within 10 seconds");
        assert!(served.is_ok(), "serving failed: {served:?}");
    }
}

/// The database matrix, account requests and hand-signed tokens of the auth tests.
pub mod auth;
