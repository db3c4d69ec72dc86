//! The `reynard` binary as a child process for the durability tests: started
//! with a clean environment on a given database, its log collected, stopped
//! by SIGKILL or SIGTERM, and always killed when the test ends.
//!
//! Set `REYNARD_RELEASE_BIN` to the path of a release build to test that
//! binary instead of the debug build Cargo made for this test.

// Each test binary uses only part of this module.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Map, Value};
use sqlx::{AnyConnection, Connection};

use crate::common::auth::{TestDatabase, POSTGRES_URL_VAR};
use crate::common::{self, Reply};

/// Path of a release binary to run instead of the one Cargo built for the tests.
pub const RELEASE_BIN_VAR: &str = "REYNARD_RELEASE_BIN";

/// World seed of every new world these tests create.
pub const SEED: &str = "424242";

/// Maximum time from spawning the binary to its "Reynard World started" line.
const STARTUP_LIMIT: Duration = Duration::from_secs(20);

/// Maximum time a process may take to exit after SIGTERM, or to fail at startup.
pub const EXIT_LIMIT: Duration = Duration::from_secs(20);

/// Largest nudge the API accepts in one request.
const MAX_NUDGE_STEPS: u64 = 10_000;

/// Agent fields that do not change as the clock runs, so they must survive a
/// restart exactly as the server acknowledged them.
pub const STABLE_FIELDS: [&str; 8] = ["agent_id", "name", "spirit", "style", "traits", "parents", "generation", "created_by"];

/// Returns the binary under test: `REYNARD_RELEASE_BIN` if set, else Cargo's build.
pub fn binary() -> PathBuf {
    match std::env::var_os(RELEASE_BIN_VAR).filter(|path| !path.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(env!("CARGO_BIN_EXE_reynard")),
    }
}

/// Creates a new, empty directory under the system's temporary directory.
pub fn scratch_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let counter = NEXT.fetch_add(1, Ordering::Relaxed);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_nanos());
    let dir = std::env::temp_dir()
        .join("reynard-durability")
        .join(format!("{}-{nanos}-{counter}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|error| panic!("creating scratch directory {}: {error}", dir.display()));
    dir
}

/// The clock a new world starts with. A stored world keeps the clock of its
/// snapshot, so this only matters for the first process on a database.
#[derive(Clone, Copy, Debug)]
pub enum Clock {
    /// 52 steps per simulated year and 10 simulated years per real second,
    /// about 520 steps a second, with automatic breeding on.
    Fast,
    /// A simulated year lasts a million real seconds, so the world steps
    /// only when nudged.
    Still,
}

/// Builds the command that serves on a free loopback port with
/// `database_url`. It runs in an empty working directory, so no `.env` file is read.
pub fn server_command(database_url: &str, clock: Clock) -> Command {
    let mut command = Command::new(binary());
    command
        .current_dir(scratch_dir())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SECRET_KEY", "durability-test-secret-key-0123456789abcdef")
        .env("DEBUG", "true")
        .env("PBKDF2_ITERATIONS", "1000")
        .env("BOOTSTRAP_ADMIN_USERNAME", common::ADMIN_USERNAME)
        .env("BOOTSTRAP_ADMIN_PASSWORD", common::ADMIN_PASSWORD)
        .env("DATABASE_URL", database_url)
        .env("HOST", "127.0.0.1")
        .env("PORT", "0")
        .env("LOG_LEVEL", "info")
        .env("WORLD_SEED", SEED)
        .env("AUTH_RATE_LIMIT_PER_MINUTE", "100000")
        .env("AUTH_RATE_LIMIT_BURST", "10000")
        .env("BREEDING_ENABLED", "true")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    match clock {
        Clock::Fast => command
            .env("STEPS_PER_YEAR", "52")
            .env("SIM_SECONDS_PER_YEAR", "1")
            .env("TIME_ACCELERATION", "10"),
        Clock::Still => command.env("SIM_SECONDS_PER_YEAR", "1000000").env("TIME_ACCELERATION", "1"),
    };
    command
}

/// A running `reynard` child process and every line it has written to
/// stdout and stderr. Dropping it kills the process.
pub struct ServerProcess {
    child: Child,
    log: Arc<Mutex<Vec<String>>>,
    readers: Vec<JoinHandle<()>>,
    /// The process's working directory, removed when the process is dropped.
    workdir: Option<PathBuf>,
    /// `http://127.0.0.1:PORT` once the startup line has been seen, else empty.
    pub base: String,
}

impl ServerProcess {
    /// Spawns `command`, whose stdout and stderr must be piped, and starts
    /// collecting its output.
    pub fn spawn(mut command: Command) -> ServerProcess {
        let workdir = command.get_current_dir().map(Path::to_path_buf);
        let mut child = command.spawn().unwrap_or_else(|error| panic!("spawning {}: {error}", binary().display()));
        let log = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let readers = vec![collect_lines(stdout, Arc::clone(&log)), collect_lines(stderr, Arc::clone(&log))];
        ServerProcess { child, log, readers, workdir, base: String::new() }
    }

    /// Starts a server on `database_url` and waits until it listens.
    /// `extra` sets further environment variables.
    pub async fn start(database_url: &str, clock: Clock, extra: &[(&str, &str)]) -> ServerProcess {
        let mut command = server_command(database_url, clock);
        for (name, value) in extra {
            command.env(name, value);
        }
        let mut process = ServerProcess::spawn(command);
        process.wait_started().await;
        process
    }

    /// Waits for the "Reynard World started" line and reads the address from it.
    ///
    /// # Panics
    /// Panics with the log if the process exits first or the line does not
    /// appear within [`STARTUP_LIMIT`].
    pub async fn wait_started(&mut self) {
        let deadline = Instant::now() + STARTUP_LIMIT;
        while Instant::now() < deadline {
            let started = self.lines().into_iter().find(|line| line.contains("Reynard World started"));
            if let Some(line) = started {
                let addr = line
                    .split_whitespace()
                    .find_map(|field| field.strip_prefix("addr="))
                    .unwrap_or_else(|| panic!("startup line has no addr= field: {line}"));
                assert!(addr.starts_with("127.0.0.1:"), "server must listen on loopback only: {line}");
                self.base = format!("http://{addr}");
                return;
            }
            if let Some(status) = self.child.try_wait().expect("polling the server process") {
                self.join_readers();
                panic!("server exited with {status} before it started; log:\n{}", self.log_text());
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("no startup line within {STARTUP_LIMIT:?}; log:\n{}", self.log_text());
    }

    /// Returns every line written so far, stdout and stderr interleaved in arrival order.
    pub fn lines(&self) -> Vec<String> {
        self.log.lock().expect("log lock").clone()
    }

    /// Returns the log as one text, for failure messages.
    pub fn log_text(&self) -> String {
        self.lines().join("\n")
    }

    /// Returns the first log line containing `needle`, if any.
    pub fn find_line(&self, needle: &str) -> Option<String> {
        self.lines().into_iter().find(|line| line.contains(needle))
    }

    /// Sends SIGKILL and waits for the process to end. Nothing in the server
    /// runs after the signal: no shutdown, no final snapshot.
    pub fn kill(&mut self) {
        // `Child::kill` sends SIGKILL on Unix.
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.join_readers();
    }

    /// Sends SIGTERM and returns the exit code. Returns `None` and kills the
    /// process if it did not exit within [`EXIT_LIMIT`].
    pub async fn terminate(&mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status().expect("running kill");
        assert!(sent.success(), "kill -TERM {pid} failed");
        self.wait_exit(EXIT_LIMIT).await
    }

    /// Waits up to `limit` for the process to exit and returns its exit code.
    /// Returns `None` and kills the process if it is still running then.
    pub async fn wait_exit(&mut self, limit: Duration) -> Option<i32> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("polling the server process") {
                self.join_readers();
                return status.code();
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.kill();
        None
    }

    /// Logs in as the bootstrap admin.
    pub async fn admin(&self) -> Api {
        assert!(!self.base.is_empty(), "the server has not started");
        let token = common::login(&self.base, common::ADMIN_USERNAME, common::ADMIN_PASSWORD).await;
        Api { base: self.base.clone(), client: common::client_with_token(&token) }
    }

    /// Waits for the output readers, which end when the process has exited.
    fn join_readers(&mut self) {
        for reader in self.readers.drain(..) {
            let _ = reader.join();
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
        self.join_readers();
        if let Some(dir) = self.workdir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

/// Appends each line of `output` to `log` on a thread of its own, so the
/// child never blocks on a full pipe.
fn collect_lines(output: impl Read + Send + 'static, log: Arc<Mutex<Vec<String>>>) -> JoinHandle<()> {
    std::thread::spawn(move || {
        for line in BufReader::new(output).lines().map_while(Result::ok) {
            log.lock().expect("log lock").push(line);
        }
    })
}

/// Runs `reynard ARGS…` to completion with `database_url` and returns its
/// exit code and output.
pub async fn run_subcommand(database_url: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut command = server_command(database_url, Clock::Still);
    command.args(args);
    let mut process = ServerProcess::spawn(command);
    let code = process.wait_exit(EXIT_LIMIT).await;
    (code, process.log_text())
}

/// An HTTP client logged in as the admin of one server process.
#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub client: Client,
}

impl Api {
    /// Sends a request and reads the whole reply. Returns `Err` when the reply
    /// or its body did not arrive, as happens to requests in flight when the
    /// server is killed.
    pub async fn try_send(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Reply, reqwest::Error> {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(body) = body {
            request = request.json(body);
        }
        let response = request.send().await?;
        let status = response.status();
        let headers = response.headers().clone();
        let text = response.text().await?;
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Ok(Reply { status, headers, text, body })
    }

    /// Sends a request to a server that is expected to be up.
    pub async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Reply {
        let described = format!("{method} {path}");
        self.try_send(method, path, body)
            .await
            .unwrap_or_else(|error| panic!("{described} got no reply: {error}"))
    }

    pub async fn get(&self, path: &str) -> Reply {
        self.send(Method::GET, path, None).await
    }

    /// Sends `GET path`, checks for 200 and returns the body.
    pub async fn get_ok(&self, path: &str) -> Value {
        let reply = self.get(path).await;
        assert_eq!(reply.status, StatusCode::OK, "GET {path}: {}", reply.text);
        reply.body
    }

    /// Creates an agent from `body` and returns it.
    ///
    /// # Panics
    /// Panics unless the server responds with 201.
    pub async fn create(&self, body: &Value) -> Value {
        let reply = self.send(Method::POST, "/api/ecs/agents", Some(body)).await;
        assert_eq!(reply.status, StatusCode::CREATED, "creating {body}: {}", reply.text);
        reply.body
    }

    /// Pauses the clock and returns the time view.
    pub async fn pause(&self) -> Value {
        let reply = self.send(Method::PUT, "/api/ecs/time", Some(&json!({ "paused": true }))).await;
        assert_eq!(reply.status, StatusCode::OK, "pausing the clock: {}", reply.text);
        reply.body
    }

    /// Runs `steps` fixed steps, in as many requests as the API's limit needs.
    pub async fn nudge(&self, steps: u64) {
        let mut left = steps;
        while left > 0 {
            let chunk = left.min(MAX_NUDGE_STEPS);
            let reply = self.send(Method::POST, "/api/ecs/time/nudge", Some(&json!({ "steps": chunk }))).await;
            assert_eq!(reply.status, StatusCode::OK, "nudging {chunk} steps: {}", reply.text);
            left -= chunk;
        }
    }

    /// Returns the world digest and the tick it describes.
    pub async fn digest(&self) -> (String, u64) {
        let body = self.get_ok("/api/ecs/digest").await;
        let digest = body["digest"].as_str().expect("digest is a string").to_owned();
        let tick = body["tick"].as_u64().expect("tick is a whole number");
        (digest, tick)
    }
}

/// Returns the [`STABLE_FIELDS`] of an agent view.
pub fn stable_fields(agent: &Value) -> Value {
    let fields: Map<String, Value> =
        STABLE_FIELDS.iter().map(|field| ((*field).to_owned(), agent[*field].clone())).collect();
    Value::Object(fields)
}

/// Pauses both worlds, brings the one behind up to the other's tick with a
/// nudge, and returns both digests at that common tick. Fixed steps run by
/// the clock and by a nudge are the same steps, so two copies of one world
/// reach the same state at the same tick.
pub async fn digests_at_common_tick(first: &Api, second: &Api) -> ((String, u64), (String, u64)) {
    first.pause().await;
    second.pause().await;
    let (_, first_tick) = first.digest().await;
    let (_, second_tick) = second.digest().await;
    if first_tick < second_tick {
        first.nudge(second_tick - first_tick).await;
    } else {
        second.nudge(first_tick - second_tick).await;
    }
    (first.digest().await, second.digest().await)
}

/// Returns the file path of a `sqlite:PATH` URL as the tests build them.
pub fn sqlite_path(url: &str) -> PathBuf {
    let path = url.strip_prefix("sqlite:").unwrap_or_else(|| panic!("not a sqlite: URL: {url}"));
    PathBuf::from(path.split('?').next().unwrap_or(path))
}

/// Creates a new, empty database of the same backend as `like`.
///
/// # Panics
/// Panics for PostgreSQL if `REYNARD_TEST_POSTGRES_URL` is unset, which
/// cannot happen when `like` is a PostgreSQL test database.
pub async fn fresh_database(like: &TestDatabase) -> TestDatabase {
    match like.backend {
        "postgres" => TestDatabase::postgres().await.expect("a PostgreSQL test database exists, so the URL is set"),
        _ => TestDatabase::sqlite(),
    }
}

/// Copies `source`, which no server may be using, into a new test database.
/// For SQLite it copies the database file and its write-ahead log. For
/// PostgreSQL it creates a database with `source` as its template, after
/// ending sessions that a killed server may have left behind.
pub async fn copy_database(source: &TestDatabase) -> TestDatabase {
    let target = fresh_database(source).await;
    if source.backend == "postgres" {
        copy_postgres(source, &target).await;
    } else {
        copy_sqlite(&sqlite_path(&source.url), &sqlite_path(&target.url));
    }
    target
}

fn copy_sqlite(source: &Path, target: &Path) {
    std::fs::copy(source, target).unwrap_or_else(|error| panic!("copying {}: {error}", source.display()));
    let source_wal = PathBuf::from(format!("{}-wal", source.display()));
    if source_wal.exists() {
        let target_wal = PathBuf::from(format!("{}-wal", target.display()));
        std::fs::copy(&source_wal, &target_wal).unwrap_or_else(|error| panic!("copying {}: {error}", source_wal.display()));
    }
}

/// Returns the database name at the end of a `postgres://` URL.
fn postgres_database_name(url: &str) -> &str {
    let path = url.split('?').next().unwrap_or(url);
    path.rsplit('/').next().unwrap_or(path)
}

async fn copy_postgres(source: &TestDatabase, target: &TestDatabase) {
    let server_url = std::env::var(POSTGRES_URL_VAR).expect("the PostgreSQL URL is set");
    let source_name = postgres_database_name(&source.url);
    let target_name = postgres_database_name(&target.url);
    sqlx::any::install_default_drivers();
    let mut connection = AnyConnection::connect(&server_url).await.expect("connecting to the PostgreSQL server");

    let drop_target = format!("DROP DATABASE {target_name}");
    sqlx::raw_sql(sqlx::AssertSqlSafe(drop_target)).execute(&mut connection).await.expect("dropping the empty target database");

    // A killed server's sessions end once PostgreSQL notices the closed
    // sockets, which can take a moment; a template must have no sessions.
    let end_sessions = format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{source_name}' AND pid <> pg_backend_pid()"
    );
    let create = format!("CREATE DATABASE {target_name} TEMPLATE {source_name}");
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        sqlx::raw_sql(sqlx::AssertSqlSafe(end_sessions.clone()))
            .execute(&mut connection)
            .await
            .expect("ending sessions on the source database");
        match sqlx::raw_sql(sqlx::AssertSqlSafe(create.clone())).execute(&mut connection).await {
            Ok(_) => break,
            Err(error) if Instant::now() < deadline => {
                eprintln!("copying {source_name} failed, retrying: {error}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            Err(error) => panic!("copying {source_name} to {target_name} failed for 10 seconds: {error}"),
        }
    }
    let _ = connection.close().await;
}

/// Reads the journal rows `(seq, tick, command)` in order.
pub async fn journal_rows(database: &TestDatabase) -> Vec<(i64, i64, String)> {
    let pool = database.pool().await;
    let rows = sqlx::query_as("SELECT seq, tick, command FROM world_journal ORDER BY seq")
        .fetch_all(&pool)
        .await
        .expect("reading world_journal");
    pool.close().await;
    rows
}

/// Reads the snapshot rows `(id, format_version, tick, last_seq, body)` in order.
pub async fn snapshot_rows(database: &TestDatabase) -> Vec<(i64, i64, i64, i64, String)> {
    let pool = database.pool().await;
    let rows = sqlx::query_as("SELECT id, format_version, tick, last_seq, body FROM world_snapshots ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("reading world_snapshots");
    pool.close().await;
    rows
}

/// Runs one statement with `values` bound to `$1`, `$2`, … in order.
pub async fn execute(database: &TestDatabase, statement: &'static str, values: &[Value]) {
    let pool = database.pool().await;
    let mut query = sqlx::query(statement);
    for value in values {
        query = match value {
            Value::String(text) => query.bind(text.clone()),
            Value::Number(number) => query.bind(number.as_i64().expect("bound numbers are whole")),
            other => panic!("cannot bind {other}"),
        };
    }
    query.execute(&pool).await.unwrap_or_else(|error| panic!("running {statement}: {error}"));
    pool.close().await;
}
