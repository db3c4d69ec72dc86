//! Roles: the bootstrap admin, admin-only world controls, what a plain user
//! may do, and `reynard admin create` and `promote` run as the real binary.

mod common;

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::auth::{
    get_as, login_tokens, refresh, register_user, send_as, start_without_login, stop_server, TestDatabase, Tokens,
};
use common::{Reply, TestServer, ADMIN_USERNAME};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

backend_tests!(
    bootstrap_skips_squatted_name,
    bootstrap_admin_has_admin_role,
    bootstrap_admin_survives_restart,
    admin_controls_need_admin,
    user_uses_world_routes,
    user_agent_records_creator,
    cli_creates_admin,
    cli_create_rejects_taken_name,
    cli_create_needs_password,
    cli_promotes_existing_user,
    cli_promote_unknown_fails,
);

const PASSWORD: &str = "correct horse battery";

/// Returns the admin-only controls, each with a body it accepts.
fn admin_controls() -> [(Method, &'static str, Option<Value>); 3] {
    [
        (Method::POST, "/api/ecs/breeding/enable", None),
        (Method::PUT, "/api/ecs/time", Some(json!({ "paused": true }))),
        (Method::POST, "/api/ecs/time/nudge", Some(json!({ "steps": 1 }))),
    ]
}

/// Registers `ranger` and returns an access token for it.
async fn ranger_token(server: &TestServer) -> String {
    register_user(&server.base, "ranger", PASSWORD).await;
    login_tokens(&server.base, "ranger", PASSWORD).await.access
}

async fn bootstrap_admin_has_admin_role(database: &TestDatabase) {
    let server = database.start().await;

    let me = get_as(&server.base, "/api/auth/me", &server.admin_token).await;
    assert_eq!(me.status, StatusCode::OK, "{}: {}", database.backend, me.text);
    assert_eq!(me.body["username"], ADMIN_USERNAME);
    assert_eq!(me.body["role"], "admin", "{}", database.backend);
    assert_eq!(me.body["email"], "warden@example.org");
    let protected = get_as(&server.base, "/api/protected", &server.admin_token).await;
    assert_eq!(protected.body["role"], "admin", "{}", protected.text);

    server.stop().await;
}

async fn bootstrap_skips_squatted_name(database: &TestDatabase) {
    let mut config = database.config();
    config.auth.bootstrap_admin = None;
    let (base, server) = start_without_login(config).await;
    register_user(&base, ADMIN_USERNAME, "squatter-password-1").await;
    stop_server(server).await;

    let (base, server) = start_without_login(database.config()).await;
    let squatter = login_tokens(&base, ADMIN_USERNAME, "squatter-password-1").await;
    let me = get_as(&base, "/api/auth/me", &squatter.access).await;
    assert_eq!(me.body["role"], "user", "{}: a pre-registered name is not promoted: {}", database.backend, me.text);
    stop_server(server).await;
}

async fn bootstrap_admin_survives_restart(database: &TestDatabase) {
    let first = database.start().await;
    first.stop().await;
    let second = database.start().await;

    let me = get_as(&second.base, "/api/auth/me", &second.admin_token).await;
    assert_eq!(me.body["role"], "admin", "{}: {}", database.backend, me.text);
    let pool = database.pool().await;
    let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin'")
        .fetch_one(&pool)
        .await
        .expect("counting admins");
    assert_eq!(admins, 1, "{}: a restart does not create the admin twice", database.backend);
    pool.close().await;

    second.stop().await;
}

async fn admin_controls_need_admin(database: &TestDatabase) {
    let server = database.start().await;
    let user = ranger_token(&server).await;

    for (method, path, body) in admin_controls() {
        let reply = send_as(&server.base, method.clone(), path, Some(&user), body.as_ref()).await;
        let case = format!("{}: {method} {path} as a user", database.backend);
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{case}: {}", reply.text);
        assert!(reply.detail().contains("requires the admin role"), "{case}: {}", reply.detail());
    }
    let status = server.status().await;
    assert_eq!(status["tick"], 0, "{}: the user's nudge did not run", database.backend);
    assert_eq!(status["paused"], false, "{}: the user's pause did not apply", database.backend);
    assert_eq!(status["breeding_enabled"], false, "{}: the user's switch did not apply", database.backend);

    for (method, path, body) in admin_controls() {
        let reply = send_as(&server.base, method.clone(), path, Some(&server.admin_token), body.as_ref()).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {method} {path} as the admin: {}", database.backend, reply.text);
    }
    let status = server.status().await;
    assert_eq!(status["tick"], 1, "{}", database.backend);
    assert_eq!(status["paused"], true, "{}", database.backend);
    assert_eq!(status["breeding_enabled"], true, "{}", database.backend);

    server.stop().await;
}

async fn user_uses_world_routes(database: &TestDatabase) {
    let server = database.start().await;
    let user = ranger_token(&server).await;

    let paths = [
        "/api/ecs/status",
        "/api/ecs/agents",
        "/api/ecs/time",
        "/api/ecs/breeding/stats",
        "/api/ecs/naming/spirits",
        "/api/ecs/naming/styles",
        "/api/ecs/digest",
    ];
    for path in paths {
        let reply = get_as(&server.base, path, &user).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: GET {path} as a user: {}", database.backend, reply.text);
    }

    server.stop().await;
}

async fn user_agent_records_creator(database: &TestDatabase) {
    let server = database.start().await;
    let user = ranger_token(&server).await;

    let body = json!({ "agent_id": "fox-1", "age": 3 });
    let created = send_as(&server.base, Method::POST, "/api/ecs/agents", Some(&user), Some(&body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}: {}", database.backend, created.text);
    assert_eq!(created.body["created_by"], "ranger", "{}", created.text);

    let fetched = get_as(&server.base, "/api/ecs/agents/fox-1", &user).await;
    assert_eq!(fetched.status, StatusCode::OK, "{}", fetched.text);
    assert_eq!(fetched.body["created_by"], "ranger", "{}: {}", database.backend, fetched.text);
    let by_admin = server.create("fox-2", 3.0).await;
    assert_eq!(by_admin["created_by"], ADMIN_USERNAME);

    server.stop().await;
}

/// Exit code and output of one `reynard admin` run.
struct CliRun {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// Creates a fresh, empty working directory, so no developer `.env` is read.
fn scratch_dir() -> PathBuf {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("reynard-admin-cli-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch directory");
    dir
}

/// Runs `reynard admin ARGS` on `database_url` with a clean environment,
/// writes `stdin` to it, and waits up to 30 seconds for it to exit.
fn run_cli(database_url: &str, args: &[&str], stdin: &str) -> CliRun {
    let mut child = Command::new(env!("CARGO_BIN_EXE_reynard"))
        .arg("admin")
        .args(args)
        .current_dir(scratch_dir())
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", database_url)
        .env("DEBUG", "true")
        .env("PBKDF2_ITERATIONS", "1000")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start the reynard binary");
    let mut input = child.stdin.take().expect("piped stdin");
    input.write_all(stdin.as_bytes()).expect("write the password to stdin");
    drop(input);

    let deadline = Instant::now() + Duration::from_secs(30);
    let code = loop {
        if let Some(status) = child.try_wait().expect("poll the binary") {
            break status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("reynard admin {args:?} did not exit within 30 seconds");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mut stdout = String::new();
    let mut stderr = String::new();
    child.stdout.take().expect("piped stdout").read_to_string(&mut stdout).expect("read stdout");
    child.stderr.take().expect("piped stderr").read_to_string(&mut stderr).expect("read stderr");
    CliRun { code, stdout, stderr }
}

/// Runs [`run_cli`] on a blocking thread, so servers of the test keep serving.
async fn cli(database_url: &str, args: &[&str], stdin: &str) -> CliRun {
    let database_url = database_url.to_owned();
    let args: Vec<String> = args.iter().map(|arg| (*arg).to_owned()).collect();
    let stdin = stdin.to_owned();
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run_cli(&database_url, &args, &stdin)
    })
    .await
    .expect("the CLI thread does not panic")
}

async fn clock_as(server: &TestServer, token: &str) -> Reply {
    send_as(&server.base, Method::PUT, "/api/ecs/time", Some(token), Some(&json!({ "paused": true }))).await
}

async fn cli_creates_admin(database: &TestDatabase) {
    let run = cli(&database.url, &["create", "keeper", "--email", "keeper@example.org"], "keeper-password-1\n").await;
    assert_eq!(run.code, Some(0), "{}: stdout {} stderr {}", database.backend, run.stdout, run.stderr);
    assert!(run.stdout.contains("created admin keeper"), "{}: {}", database.backend, run.stdout);
    assert!(!run.stdout.contains("keeper-password-1"), "the password is not echoed");

    let server = database.start().await;
    let tokens = login_tokens(&server.base, "keeper", "keeper-password-1").await;
    let me = get_as(&server.base, "/api/auth/me", &tokens.access).await;
    assert_eq!(me.body["role"], "admin", "{}: {}", database.backend, me.text);
    assert_eq!(me.body["email"], "keeper@example.org");
    let clock = clock_as(&server, &tokens.access).await;
    assert_eq!(clock.status, StatusCode::OK, "{}: the new admin controls the clock: {}", database.backend, clock.text);

    server.stop().await;
}

async fn cli_create_rejects_taken_name(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;

    let run = cli(&database.url, &["create", "Ranger"], "another-password-1\n").await;
    assert_eq!(run.code, Some(2), "{}: stdout {} stderr {}", database.backend, run.stdout, run.stderr);
    assert!(run.stderr.contains("reynard admin promote"), "{}: {}", database.backend, run.stderr);
    let me = get_as(&server.base, "/api/auth/me", &login_tokens(&server.base, "ranger", PASSWORD).await.access).await;
    assert_eq!(me.body["role"], "user", "{}: the existing account is unchanged", database.backend);

    server.stop().await;
}

async fn cli_create_needs_password(database: &TestDatabase) {
    for (stdin, expected, case) in [("", "no password on standard input", "empty input"), ("short\n", "password must be between", "a 5-character password")] {
        let run = cli(&database.url, &["create", "keeper"], stdin).await;
        assert_eq!(run.code, Some(2), "{}: {case}: stdout {} stderr {}", database.backend, run.stdout, run.stderr);
        assert!(run.stderr.contains(expected), "{}: {case}: {}", database.backend, run.stderr);
    }

    let server = database.start().await;
    let pool = database.pool().await;
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username_key = $1")
        .bind("keeper")
        .fetch_one(&pool)
        .await
        .expect("counting accounts");
    assert_eq!(accounts, 0, "{}: no account was created", database.backend);
    pool.close().await;
    server.stop().await;
}

async fn cli_promotes_existing_user(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;
    let session = login_tokens(&server.base, "ranger", PASSWORD).await;
    let forbidden = clock_as(&server, &session.access).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN, "{}: {}", database.backend, forbidden.text);

    let run = cli(&database.url, &["promote", "RANGER"], "").await;
    assert_eq!(run.code, Some(0), "{}: stdout {} stderr {}", database.backend, run.stdout, run.stderr);
    assert!(run.stdout.contains("is now an admin"), "{}: {}", database.backend, run.stdout);

    let after = login_tokens(&server.base, "ranger", PASSWORD).await.access;
    let me = get_as(&server.base, "/api/auth/me", &after).await;
    assert_eq!(me.body["role"], "admin", "{}: {}", database.backend, me.text);
    let clock = clock_as(&server, &after).await;
    assert_eq!(clock.status, StatusCode::OK, "{}: a fresh login carries the admin role: {}", database.backend, clock.text);

    let refreshed = Tokens::from_reply(&refresh(&server.base, &session.refresh).await);
    let clock = clock_as(&server, &refreshed.access).await;
    assert_eq!(clock.status, StatusCode::OK, "{}: a refresh reads the role again: {}", database.backend, clock.text);

    server.stop().await;
}

async fn cli_promote_unknown_fails(database: &TestDatabase) {
    let server = database.start().await;

    let run = cli(&database.url, &["promote", "ghost"], "").await;
    assert_ne!(run.code, Some(0), "{}: stdout {} stderr {}", database.backend, run.stdout, run.stderr);
    assert!(run.code.is_some(), "{}: the binary exited by itself", database.backend);
    assert!(run.stderr.contains("no account named ghost"), "{}: {}", database.backend, run.stderr);

    let invalid = cli(&database.url, &["promote", "no spaces allowed"], "").await;
    assert_ne!(invalid.code, Some(0), "{}: {}", database.backend, invalid.stderr);
    assert!(invalid.stderr.contains("username"), "{}: {}", database.backend, invalid.stderr);

    server.stop().await;
}
