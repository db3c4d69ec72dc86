//! Backups: `GET /api/ecs/export` and `reynard restore FILE [--force]`
//! give back the exact world, on SQLite and, when configured, PostgreSQL.

mod common;
mod server_process;

use std::path::PathBuf;

use common::auth::{register_user, TestDatabase};
use reqwest::StatusCode;
use serde_json::{json, Value};
use server_process::{fresh_database, run_subcommand, scratch_dir, snapshot_rows, Api, Clock, ServerProcess};

backend_tests!(restore_gives_same_digest, restore_requires_force, restore_of_older_rules_survives_crash);

/// A password that meets the account rules.
const PASSWORD: &str = "correct horse battery";

/// Builds a small world on a fast clock with automatic breeding, pauses it
/// and returns its digest and tick.
async fn build_paused_world(api: &Api) -> (String, u64) {
    for id in ["saved-a", "saved-b"] {
        api.create(&json!({ "agent_id": id, "age": 30.0, "spirit": "wolf" })).await;
    }
    let body = json!({ "parent1_id": "saved-a", "parent2_id": "saved-b", "offspring_id": "saved-c" });
    let reply = api.send(reqwest::Method::POST, "/api/ecs/agents/offspring", Some(&body)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "breeding saved-a and saved-b: {}", reply.text);
    // Let the clock run a few hundred steps before pausing it.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    api.pause().await;
    api.digest().await
}

/// Exports the world as the admin and writes it to a new file.
async fn export_to_file(api: &Api) -> (PathBuf, Value) {
    let reply = api.get("/api/ecs/export").await;
    assert_eq!(reply.status, StatusCode::OK, "exporting as admin: {}", reply.text);
    let path = scratch_dir().join("export.json");
    std::fs::write(&path, &reply.text).expect("writing the export file");
    (path, reply.body)
}

/// Checks that an export restored into an empty database serves a world with
/// the same digest at the same tick, and that a plain user may not export.
async fn restore_gives_same_digest(database: &TestDatabase) {
    let source = ServerProcess::start(&database.url, Clock::Fast, &[]).await;
    let api = source.admin().await;
    let (digest, tick) = build_paused_world(&api).await;

    register_user(&source.base, "reader", PASSWORD).await;
    let user_token = common::login(&source.base, "reader", PASSWORD).await;
    let as_user = common::client_with_token(&user_token)
        .get(format!("{}/api/ecs/export", source.base))
        .send()
        .await
        .expect("export request as a user completes");
    assert_eq!(as_user.status(), StatusCode::FORBIDDEN, "a plain user must not export the world");

    let (file, export) = export_to_file(&api).await;
    assert_eq!(export["tick"].as_u64(), Some(tick), "the export should be taken at the paused tick");

    let target = fresh_database(database).await;
    let file_arg = file.display().to_string();
    let (code, output) = run_subcommand(&target.url, &["restore", &file_arg]).await;
    assert_eq!(code, Some(0), "restore into an empty database should succeed; output:\n{output}");
    assert!(output.contains(&digest), "restore should print the restored digest {digest}; output:\n{output}");

    let restored = ServerProcess::start(&target.url, Clock::Fast, &[]).await;
    let restored_api = restored.admin().await;
    let time = restored_api.get_ok("/api/ecs/time").await;
    assert_eq!(time["paused"], json!(true), "the restored clock should be paused as exported");
    let (restored_digest, restored_tick) = restored_api.digest().await;
    assert_eq!(restored_tick, tick, "the restored world should be at the exported tick");
    assert_eq!(restored_digest, digest, "the restored world should equal the exported one");
    remove_export(&file);
}

/// Checks that restoring over a stored world is rejected without `--force`,
/// leaving the world as it was, and that with `--force` the export replaces it.
async fn restore_requires_force(database: &TestDatabase) {
    let mut source = ServerProcess::start(&database.url, Clock::Fast, &[]).await;
    let api = source.admin().await;
    let (digest, tick) = build_paused_world(&api).await;
    let (file, _) = export_to_file(&api).await;

    // Change the stored world after the export, so a replacement shows.
    api.nudge(5).await;
    api.create(&json!({ "agent_id": "after-export", "age": 30.0 })).await;
    let code = source.terminate().await;
    assert_eq!(code, Some(0), "SIGTERM should stop the server cleanly; log:\n{}", source.log_text());

    let file_arg = file.display().to_string();
    let snapshots_before = snapshot_rows(database).await;
    let (code, output) = run_subcommand(&database.url, &["restore", &file_arg]).await;
    assert!(matches!(code, Some(code) if code != 0), "restore over a world without --force should fail, got {code:?}; output:\n{output}");
    assert!(output.contains("--force"), "the error should point to --force; output:\n{output}");
    let snapshots_after = snapshot_rows(database).await;
    assert_eq!(snapshots_after, snapshots_before, "a rejected restore should leave the stored world untouched");

    let (code, output) = run_subcommand(&database.url, &["restore", &file_arg, "--force"]).await;
    assert_eq!(code, Some(0), "restore with --force should succeed; output:\n{output}");

    let replaced = ServerProcess::start(&database.url, Clock::Fast, &[]).await;
    let replaced_api = replaced.admin().await;
    let (replaced_digest, replaced_tick) = replaced_api.digest().await;
    assert_eq!(replaced_tick, tick, "the replaced world should be at the exported tick");
    assert_eq!(replaced_digest, digest, "the replaced world should equal the exported one");
    let later = replaced_api.get("/api/ecs/agents/after-export").await;
    assert_eq!(later.status, StatusCode::NOT_FOUND, "an agent created after the export should be gone: {}", later.text);
    remove_export(&file);
}

/// Removes an export file and its directory. A failed test leaves them for inspection.
fn remove_export(file: &std::path::Path) {
    if let Some(dir) = file.parent() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Checks that an export taken under older simulation rules restores as the
/// current rules' snapshot, so that a crash after further changes recovers
/// them instead of refusing to replay a journal behind an old-rules snapshot.
async fn restore_of_older_rules_survives_crash(database: &TestDatabase) {
    let source = ServerProcess::start(&database.url, Clock::Fast, &[]).await;
    let api = source.admin().await;
    let (digest, _) = build_paused_world(&api).await;
    let (file, mut export) = export_to_file(&api).await;
    assert_eq!(export["rules_version"], json!(reynard_systems::RULES_VERSION), "exports carry the rules version");
    export["rules_version"] = json!(1);
    std::fs::write(&file, export.to_string()).expect("rewriting the export file");

    let target = fresh_database(database).await;
    let file_arg = file.display().to_string();
    let (code, output) = run_subcommand(&target.url, &["restore", &file_arg]).await;
    assert_eq!(code, Some(0), "restoring an older export should succeed; output:\n{output}");
    assert!(output.contains(&digest), "the restored world should keep its digest {digest}; output:\n{output}");

    let mut restored = ServerProcess::start(&target.url, Clock::Fast, &[]).await;
    let later = restored.admin().await.create(&json!({ "agent_id": "after-restore", "age": 30.0 })).await;
    restored.kill();

    let recovered = ServerProcess::start(&target.url, Clock::Fast, &[]).await;
    let reply = recovered.admin().await.get("/api/ecs/agents/after-restore").await;
    assert_eq!(reply.status, StatusCode::OK, "the agent created after the restore should survive a crash: {}", reply.text);
    assert_eq!(reply.body["name"], later["name"], "the recovered agent should keep its name");
    remove_export(&file);
}
