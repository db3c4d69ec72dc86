//! The `reynard` binary as an operator runs it: configuration errors at
//! startup, `.env` loading, and a clean exit on SIGTERM.

use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Creates a fresh, empty working directory, so no developer `.env` is picked up.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("reynard-binary-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch directory");
    dir
}

/// Builds a command for the binary with a clean environment, run in `dir`.
fn reynard(dir: &PathBuf) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_reynard"));
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SECRET_KEY", "binary-test-secret-key-0123456789abcdef")
        .env("DATABASE_URL", format!("sqlite:{}/reynard.db", dir.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Waits up to `limit` for `child` to exit and returns its exit code.
fn wait_exit(child: &mut Child, limit: Duration) -> Option<i32> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("poll child") {
            return status.code();
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    None
}

fn stderr_of(child: &mut Child) -> String {
    let mut text = String::new();
    child.stderr.take().expect("piped stderr").read_to_string(&mut text).expect("read stderr");
    text
}

#[test]
fn unknown_argument_lists_every_subcommand() {
    let dir = scratch_dir("unknown-argument");
    let mut child = reynard(&dir).arg("serve").spawn().expect("start binary");

    let code = wait_exit(&mut child, Duration::from_secs(10));
    let stderr = stderr_of(&mut child);
    assert_eq!(code, Some(2), "stderr: {stderr}");
    assert!(stderr.contains("unknown argument 'serve'"), "stderr: {stderr}");
    for subcommand in ["reynard admin create", "reynard restore", "reynard mcp"] {
        assert!(stderr.contains(subcommand), "usage should list {subcommand}: {stderr}");
    }
}

#[test]
fn invalid_acceleration_stops_startup() {
    let dir = scratch_dir("acceleration");
    let mut child = reynard(&dir).env("TIME_ACCELERATION", "250").env("PORT", "0").spawn().expect("start binary");

    let code = wait_exit(&mut child, Duration::from_secs(10));
    let stderr = stderr_of(&mut child);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("TIME_ACCELERATION"), "stderr: {stderr}");
    assert!(stderr.contains("0.1 to 100"), "stderr: {stderr}");
}

#[test]
fn dotenv_file_is_read() {
    let dir = scratch_dir("dotenv");
    std::fs::write(dir.join(".env"), "PORT=0\nMAX_AGENTS=many\n").expect("write .env");
    let mut child = reynard(&dir).spawn().expect("start binary");

    let code = wait_exit(&mut child, Duration::from_secs(10));
    let stderr = stderr_of(&mut child);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("MAX_AGENTS"), "stderr: {stderr}");
}

#[test]
fn sigterm_exits_cleanly() {
    let dir = scratch_dir("sigterm");
    let mut child = reynard(&dir)
        .env("PORT", "0")
        .env("WORLD_SEED", "5")
        .env("LOG_LEVEL", "info")
        .spawn()
        .expect("start binary");

    // Collect stdout on a thread so the child never blocks on a full pipe.
    let stdout = child.stdout.take().expect("piped stdout");
    let (lines_tx, lines_rx) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut started = String::new();
    while started.is_empty() && Instant::now() < deadline {
        let line = lines_rx.recv_timeout(Duration::from_secs(10)).expect("a log line before startup completes");
        if line.contains("Reynard World started") {
            started = line;
        }
    }
    assert!(!started.is_empty(), "no startup line within 10 seconds");
    assert!(started.contains("seed=5"), "startup line: {started}");

    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("run kill");
    assert!(killed.success());

    let code = wait_exit(&mut child, Duration::from_secs(10));
    reader.join().expect("stdout reader");
    let rest: Vec<String> = lines_rx.try_iter().collect();
    assert_eq!(code, Some(0));
    assert!(rest.iter().any(|line| line.contains("Reynard World stopped")), "log: {rest:?}");
}

#[test]
fn sigterm_exits_despite_slow_client() {
    let dir = scratch_dir("slow-client");
    let mut child = reynard(&dir).env("PORT", "0").env("LOG_LEVEL", "info").spawn().expect("start binary");
    let stdout = child.stdout.take().expect("piped stdout");
    let (lines_tx, lines_rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = lines_tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut address = None;
    while address.is_none() && Instant::now() < deadline {
        let line = lines_rx.recv_timeout(Duration::from_secs(10)).expect("a log line before startup completes");
        address = line.split("addr=").nth(1).and_then(|rest| rest.split_whitespace().next()).map(str::to_owned);
    }
    let address = address.expect("startup line names the address");

    // Half a request: the headers never end.
    let mut slow = std::net::TcpStream::connect(&address).expect("connect to the server");
    std::io::Write::write_all(&mut slow, b"GET /api/health HTTP/1.1\r\nHost: localhost\r\n").expect("send part of a request");
    std::thread::sleep(Duration::from_millis(200));

    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("run kill").success());
    let code = wait_exit(&mut child, Duration::from_secs(20));
    assert_eq!(code, Some(0), "the server exits after the grace period");
    drop(slow);
}
