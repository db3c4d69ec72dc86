//! Helpers for the account and security tests: a fresh database for each
//! backend, account requests over HTTP, and tokens signed by hand with the
//! test key.
//!
//! SQLite is always tested. PostgreSQL is tested when `REYNARD_TEST_POSTGRES_URL`
//! names a server where the test user may create databases. Each test then
//! gets its own database there, dropped when the test ends.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{Method, StatusCode};
use reynard::{Config, RunningServer};
use serde_json::{json, Value};
use sqlx::any::AnyPoolOptions;
use sqlx::{AnyConnection, AnyPool, Connection};
use tokio::net::TcpListener;

use super::{client, fresh_sqlite_url, read, start, still_config, test_auth_config, Reply, TestServer};

/// URL of a PostgreSQL server (any database on it) where tests create their databases.
pub const POSTGRES_URL_VAR: &str = "REYNARD_TEST_POSTGRES_URL";

/// Set to `1` to fail, instead of skip, the PostgreSQL tests when [`POSTGRES_URL_VAR`] is unset.
pub const REQUIRE_POSTGRES_VAR: &str = "REYNARD_REQUIRE_POSTGRES";

/// Generates one test per backend for each scenario: `sqlite::NAME` and
/// `postgres::NAME`. Each scenario is an `async fn NAME(database: &TestDatabase)`
/// in the invoking file. The PostgreSQL tests pass without running when
/// `REYNARD_TEST_POSTGRES_URL` is unset, unless `REYNARD_REQUIRE_POSTGRES=1`.
#[macro_export]
macro_rules! backend_tests {
    ($($scenario:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $scenario() {
                    let database = $crate::common::auth::TestDatabase::sqlite();
                    super::$scenario(&database).await;
                }
            )+
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread")]
                async fn $scenario() {
                    let Some(database) = $crate::common::auth::TestDatabase::postgres().await else {
                        return;
                    };
                    super::$scenario(&database).await;
                }
            )+
        }
    };
}

/// A database no other test uses. A PostgreSQL database is dropped when this
/// value is dropped, also when the test panics.
pub struct TestDatabase {
    /// `sqlite` or `postgres`, for failure messages.
    pub backend: &'static str,
    /// The `DATABASE_URL` a server under test uses.
    pub url: String,
    /// The maintenance URL and the name of a PostgreSQL database to drop.
    postgres_cleanup: Option<(String, String)>,
}

impl TestDatabase {
    /// Picks a new SQLite file under the temporary directory. The server creates the file.
    pub fn sqlite() -> TestDatabase {
        TestDatabase { backend: "sqlite", url: fresh_sqlite_url(), postgres_cleanup: None }
    }

    /// Creates a new, empty PostgreSQL database named `reynard_t_<unique>`.
    /// Returns `None` when [`POSTGRES_URL_VAR`] is unset.
    ///
    /// # Panics
    /// Panics when [`REQUIRE_POSTGRES_VAR`] is `1` but [`POSTGRES_URL_VAR`] is
    /// unset, or when the database cannot be created.
    pub async fn postgres() -> Option<TestDatabase> {
        let Some(server_url) = std::env::var(POSTGRES_URL_VAR).ok().filter(|url| !url.trim().is_empty()) else {
            let required = std::env::var(REQUIRE_POSTGRES_VAR).is_ok_and(|value| value.trim() == "1");
            assert!(
                !required,
                "{REQUIRE_POSTGRES_VAR}=1 but {POSTGRES_URL_VAR} is not set: set it to a PostgreSQL URL \
                 whose user may create databases, such as postgres://postgres@127.0.0.1:5432/postgres"
            );
            eprintln!("PostgreSQL test skipped: {POSTGRES_URL_VAR} is not set");
            return None;
        };

        let name = unique_database_name();
        let mut connection = connect_postgres(&server_url).await;
        let created = sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut connection).await;
        if let Err(error) = created {
            panic!("creating PostgreSQL database {name} through {POSTGRES_URL_VAR} failed: {error}");
        }
        let _ = connection.close().await;

        Some(TestDatabase {
            backend: "postgres",
            url: with_database_name(&server_url, &name),
            postgres_cleanup: Some((server_url, name)),
        })
    }

    /// Returns [`still_config`] with this database as the accounts database.
    pub fn config(&self) -> Config {
        let mut config = still_config();
        config.auth.database_url = self.url.clone();
        config
    }

    /// Starts a server with [`TestDatabase::config`], logged in as the bootstrap admin.
    pub async fn start(&self) -> TestServer {
        start(self.config()).await
    }

    /// Opens a small pool of its own on this database, for reading what the server stored.
    pub async fn pool(&self) -> AnyPool {
        sqlx::any::install_default_drivers();
        AnyPoolOptions::new()
            .max_connections(2)
            .acquire_timeout(Duration::from_secs(10))
            .connect(&self.url)
            .await
            .unwrap_or_else(|error| panic!("opening the {} test database failed: {error}", self.backend))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server_url, name)) = self.postgres_cleanup.take() else {
            return;
        };
        // The test's runtime may be unwinding or blocked here, so the drop runs
        // on a runtime of its own. FORCE ends connections a server left open.
        let statement = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        let outcome = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|error| error.to_string())?;
            runtime.block_on(async {
                sqlx::any::install_default_drivers();
                let mut connection = AnyConnection::connect(&server_url).await.map_err(|error| error.to_string())?;
                sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
                    .execute(&mut connection)
                    .await
                    .map_err(|error| error.to_string())?;
                let _ = connection.close().await;
                Ok::<(), String>(())
            })
        })
        .join();
        match outcome {
            Ok(Ok(())) => {}
            Ok(Err(error)) => eprintln!("dropping PostgreSQL test database {name} failed: {error}"),
            Err(_) => eprintln!("dropping PostgreSQL test database {name} failed: the cleanup thread panicked"),
        }
    }
}

async fn connect_postgres(url: &str) -> AnyConnection {
    sqlx::any::install_default_drivers();
    let connecting = tokio::time::timeout(Duration::from_secs(10), AnyConnection::connect(url)).await;
    match connecting {
        Ok(Ok(connection)) => connection,
        Ok(Err(error)) => panic!("connecting to {POSTGRES_URL_VAR} failed: {error}"),
        Err(_) => panic!("connecting to {POSTGRES_URL_VAR} timed out after 10 seconds"),
    }
}

/// `reynard_t_<pid>_<nanoseconds>_<counter>`: lower case, so PostgreSQL needs no quoting.
fn unique_database_name() -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let counter = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.subsec_nanos());
    format!("reynard_t_{}_{nanos}_{counter}", std::process::id())
}

/// Replaces the database in a `postgres://` URL, keeping any query string.
fn with_database_name(url: &str, name: &str) -> String {
    let (address, query) = match url.split_once('?') {
        Some((address, query)) => (address, Some(query)),
        None => (url, None),
    };
    let authority_start = address.find("://").map_or(0, |index| index + 3);
    let server = match address[authority_start..].find('/') {
        Some(slash) => &address[..authority_start + slash],
        None => address,
    };
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

/// Starts a server without logging in, so no request has touched the rate
/// limiter yet. Returns its base URL and the server.
pub async fn start_without_login(config: Config) -> (String, RunningServer) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding a free loopback port");
    let server = reynard::start(config, listener).await.expect("server starts");
    (format!("http://{}", server.addr), server)
}

/// Stops a server started by [`start_without_login`].
pub async fn stop_server(server: RunningServer) {
    let stopped = tokio::time::timeout(Duration::from_secs(10), server.stop()).await;
    let served = stopped.expect("server stops within 10 seconds");
    assert!(served.is_ok(), "serving failed: {served:?}");
}

/// Sends a request with an optional bearer token and an optional JSON body.
pub async fn send_as(base: &str, method: Method, path: &str, token: Option<&str>, body: Option<&Value>) -> Reply {
    let mut request = client().request(method, format!("{base}{path}"));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    read(request.send().await.expect("request completes")).await
}

/// Sends `GET path` with a bearer token.
pub async fn get_as(base: &str, path: &str, token: &str) -> Reply {
    send_as(base, Method::GET, path, Some(token), None).await
}

/// Sends `POST /api/auth/register`.
pub async fn register(base: &str, username: &str, email: &str, password: &str) -> Reply {
    let body = json!({ "username": username, "email": email, "password": password });
    send_as(base, Method::POST, "/api/auth/register", None, Some(&body)).await
}

/// Registers `username` with the email `<username>@example.org` and returns the account.
///
/// # Panics
/// Panics unless the server responds with 201.
pub async fn register_user(base: &str, username: &str, password: &str) -> Value {
    let reply = register(base, username, &format!("{username}@example.org"), password).await;
    assert_eq!(reply.status, StatusCode::CREATED, "registering {username}: {}", reply.text);
    reply.body
}

/// Sends `POST /api/auth/login` with a JSON body.
pub async fn login_reply(base: &str, username: &str, password: &str) -> Reply {
    let body = json!({ "username": username, "password": password });
    send_as(base, Method::POST, "/api/auth/login", None, Some(&body)).await
}

/// The two tokens of a login or refresh.
#[derive(Clone, Debug)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

impl Tokens {
    /// Reads the tokens from a login or refresh reply.
    ///
    /// # Panics
    /// Panics unless the reply is 200 with both tokens.
    pub fn from_reply(reply: &Reply) -> Tokens {
        assert_eq!(reply.status, StatusCode::OK, "expected a token pair: {}", reply.text);
        let field = |name: &str| {
            reply.body[name].as_str().unwrap_or_else(|| panic!("{name} is missing from {}", reply.text)).to_owned()
        };
        Tokens { access: field("access_token"), refresh: field("refresh_token") }
    }
}

/// Logs in and returns both tokens.
pub async fn login_tokens(base: &str, username: &str, password: &str) -> Tokens {
    Tokens::from_reply(&login_reply(base, username, password).await)
}

/// Sends `POST /api/auth/refresh` with `refresh_token`.
pub async fn refresh(base: &str, refresh_token: &str) -> Reply {
    let body = json!({ "refresh_token": refresh_token });
    send_as(base, Method::POST, "/api/auth/refresh", None, Some(&body)).await
}

/// Returns the HS256 key of [`test_auth_config`].
pub fn test_secret() -> Vec<u8> {
    test_auth_config().secret_key.expect("the test configuration has a fixed key")
}

/// Returns the seconds since the Unix epoch.
pub fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}

/// Builds the claims of an access token as the server issues them, valid for ten minutes.
pub fn access_claims(user_id: &str, username: &str, role: &str) -> Value {
    let now = unix_now();
    json!({
        "sub": user_id,
        "username": username,
        "role": role,
        "typ": "access",
        "iat": now,
        "exp": now + 600,
        "jti": uuid::Uuid::new_v4().to_string(),
        "iss": "reynard",
        "fam": uuid::Uuid::new_v4().to_string(),
    })
}

/// Signs `claims` with the test key using `algorithm`, which must be an HMAC algorithm.
pub fn sign(claims: &Value, algorithm: Algorithm) -> String {
    let key = EncodingKey::from_secret(&test_secret()).expect("the test key is not empty");
    jsonwebtoken::encode(&Header::new(algorithm), claims, &key).expect("signing test claims")
}

/// Encodes `bytes` as unpadded base64url, the encoding of each part of a JWT.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes one unpadded base64url part of a JWT as JSON.
pub fn decode_part(part: &str) -> Value {
    let bytes = URL_SAFE_NO_PAD.decode(part).expect("a JWT part is base64url");
    serde_json::from_slice(&bytes).expect("a JWT part is JSON")
}

/// Splits a JWT into its header, payload and signature parts.
pub fn token_parts(token: &str) -> (String, String, String) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three parts: {token}");
    (parts[0].to_owned(), parts[1].to_owned(), parts[2].to_owned())
}
