//! The `tour` example, run as a separate process against a test server.
//!
//! Plain `cargo test` builds the examples before it runs the tests, but
//! `cargo test --all-targets` builds them only as test harnesses, so the
//! first test that needs the example builds it with cargo.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use tokio::process::Command;

use crate::common::{self, ADMIN_PASSWORD, ADMIN_USERNAME, USER_PASSWORD};

/// Maximum time one run of the tour may take.
const TOUR_TIMEOUT: Duration = Duration::from_secs(120);

/// Returns the path of the built example, next to this test binary's
/// folder, building it first if it is not there.
fn tour_binary() -> PathBuf {
    static BUILD: std::sync::Once = std::sync::Once::new();
    let test_binary = std::env::current_exe().expect("the test binary has a path");
    let profile_dir = test_binary.parent().and_then(Path::parent).expect("the test binary is in <profile>/deps");
    let path = profile_dir.join("examples").join(format!("tour{}", std::env::consts::EXE_SUFFIX));
    BUILD.call_once(|| {
        if path.exists() {
            return;
        }
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let status = std::process::Command::new(cargo)
            .args(["build", "-p", "reynard-client", "--example", "tour"])
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the tour example failed");
    });
    assert!(path.exists(), "{} is missing after building the example", path.display());
    path
}

/// Runs the tour with `args`, with proxies unset so it reaches the local server.
async fn run_tour(args: &[&str]) -> Output {
    let mut command = Command::new(tour_binary());
    command.args(args).kill_on_drop(true);
    for variable in ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"] {
        command.env_remove(variable);
    }
    let output = tokio::time::timeout(TOUR_TIMEOUT, command.output()).await;
    output.expect("the tour finishes in time").expect("the tour starts")
}

#[tokio::test(flavor = "multi_thread")]
async fn tour_runs_as_admin() {
    let server = common::start().await;

    let output = run_tour(&[&server.base, ADMIN_USERNAME, ADMIN_PASSWORD]).await;

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "tour failed: {stderr}\n{stdout}");
    assert!(stdout.contains("warden is already registered; logging in"), "{stdout}");
    assert!(stdout.contains("lineage of grandkit-"), "{stdout}");
    assert!(stdout.contains("one year of automatic breeding"), "{stdout}");
    assert!(stdout.contains("breeding stats:"), "{stdout}");
    let status = server.admin().await.get_world_status().await.expect("status succeeds");
    assert!(!status.breeding_enabled, "the tour restores the breeding switch");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tour_runs_as_new_user() {
    let server = common::start().await;

    let output = run_tour(&[&server.base, "juno", USER_PASSWORD]).await;

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "tour failed: {stderr}\n{stdout}");
    assert!(stdout.contains("registered juno"), "{stdout}");
    assert!(stdout.contains("automatic breeding is off"), "{stdout}");
    assert!(stdout.contains("lineage of kit-"), "{stdout}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tour_without_arguments_prints_usage() {
    let output = run_tour(&[]).await;

    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("usage: tour BASE_URL USERNAME PASSWORD"), "{stderr}");
}
