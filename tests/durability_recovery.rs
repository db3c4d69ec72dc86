//! Startup of the `reynard` binary on stored data: after a graceful stop,
//! with a damaged journal entry, with a snapshot of an unknown format
//! version, with a journal recorded under older simulation rules, and with a
//! database it cannot open. Runs on SQLite and, when
//! configured, PostgreSQL.

mod common;
mod server_process;

use common::auth::TestDatabase;
use reqwest::StatusCode;
use serde_json::json;
use server_process::{
    execute, journal_rows, scratch_dir, server_command, snapshot_rows, stable_fields, Clock, ServerProcess, EXIT_LIMIT,
};
use sqlx::{AnyConnection, Connection};

backend_tests!(
    sigterm_leaves_nothing_to_replay,
    damaged_last_entry_is_skipped,
    unknown_snapshot_version_stops_startup,
    older_rules_with_journal_stops_startup,
    older_rules_with_steps_to_rerun_stop_startup,
    older_rules_without_journal_start,
    unusable_database_stops_startup,
);

/// Checks that a graceful stop writes a final snapshot covering the whole
/// journal, so the next start replays nothing and serves the same paused world.
async fn sigterm_leaves_nothing_to_replay(database: &TestDatabase) {
    let mut first = ServerProcess::start(&database.url, Clock::Fast, &[]).await;
    let api = first.admin().await;
    for id in ["term-a", "term-b"] {
        api.create(&json!({ "agent_id": id, "age": 30.0 })).await;
    }
    let offspring = api
        .send(
            reqwest::Method::POST,
            "/api/ecs/agents/offspring",
            Some(&json!({ "parent1_id": "term-a", "parent2_id": "term-b", "offspring_id": "term-c" })),
        )
        .await;
    assert_eq!(offspring.status, StatusCode::CREATED, "breeding term-a and term-b: {}", offspring.text);
    // Let the clock run a few hundred steps before pausing it.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    api.pause().await;
    let (digest, tick) = api.digest().await;

    let code = first.terminate().await;
    assert_eq!(code, Some(0), "SIGTERM should stop the server cleanly; log:\n{}", first.log_text());
    let journal = journal_rows(database).await;
    assert!(journal.is_empty(), "the final snapshot should compact the journal, found {} entries", journal.len());
    let snapshots = snapshot_rows(database).await;
    assert_eq!(snapshots.last().map(|row| row.2), Some(tick as i64), "the final snapshot should be at the paused tick");

    let second = ServerProcess::start(&database.url, Clock::Fast, &[]).await;
    let recovered = second.find_line("world recovered").unwrap_or_default();
    assert!(recovered.contains("entries_replayed=0"), "restart should replay nothing: {recovered:?}");
    let second_api = second.admin().await;
    let time = second_api.get_ok("/api/ecs/time").await;
    assert_eq!(time["paused"], json!(true), "the paused clock should stay paused across the restart");
    let (second_digest, second_tick) = second_api.digest().await;
    assert_eq!(second_tick, tick, "the tick should not move across a graceful restart");
    assert_eq!(second_digest, digest, "the world should be identical after a graceful restart");
}

/// Agents created one after another on a still clock, each acknowledged.
const DAMAGE_IDS: [&str; 5] = ["kept-1", "kept-2", "kept-3", "kept-4", "lost-5"];

/// Checks that a truncated last journal entry, as a torn write would leave
/// it, ends the replay at the entry before it. The server starts, warns, and
/// serves everything but that command's effect.
async fn damaged_last_entry_is_skipped(database: &TestDatabase) {
    let mut first = ServerProcess::start(&database.url, Clock::Still, &[]).await;
    let api = first.admin().await;
    let mut created = Vec::new();
    for id in DAMAGE_IDS {
        created.push(api.create(&json!({ "agent_id": id, "age": 25.0 })).await);
    }
    first.kill();

    let journal = journal_rows(database).await;
    let (last_seq, _, last_command) = journal.last().cloned().expect("the journal holds the creates");
    assert!(last_command.contains("lost-5"), "the last journal entry should be the last create: {last_command}");
    let truncated: String = last_command.chars().take(10).collect();
    execute(database, "UPDATE world_journal SET command = $1 WHERE seq = $2", &[json!(truncated), json!(last_seq)]).await;

    let second = ServerProcess::start(&database.url, Clock::Still, &[]).await;
    let warning = second.find_line("journal entry is damaged").unwrap_or_default();
    assert!(warning.contains("WARN"), "startup should warn about the damaged entry; log:\n{}", second.log_text());
    assert!(warning.contains(&format!("seq={last_seq}")), "the warning should name the damaged entry: {warning}");

    let second_api = second.admin().await;
    for agent in &created[..DAMAGE_IDS.len() - 1] {
        let id = agent["agent_id"].as_str().expect("agent_id is a string");
        let reply = second_api.get(&format!("/api/ecs/agents/{id}")).await;
        assert_eq!(reply.status, StatusCode::OK, "agent {id} from an intact entry is missing");
        assert_eq!(stable_fields(&reply.body), stable_fields(agent), "agent {id} changed across the restart");
    }
    let lost = second_api.get("/api/ecs/agents/lost-5").await;
    assert_eq!(lost.status, StatusCode::NOT_FOUND, "the damaged entry's agent should not exist: {}", lost.text);
    let page = second_api.get_ok("/api/ecs/agents").await;
    let listed = page["agents"].as_array().map_or(0, Vec::len);
    assert_eq!(listed, DAMAGE_IDS.len() - 1, "the world should hold exactly the intact entries' agents");

    let remaining = journal_rows(database).await;
    assert!(
        remaining.iter().all(|(seq, _, _)| *seq != last_seq),
        "the snapshot written after recovery should drop the damaged entry"
    );
}

/// Checks that a snapshot of a format version newer than this build stops
/// startup with a message naming the version, and leaves the stored world as it was.
async fn unknown_snapshot_version_stops_startup(database: &TestDatabase) {
    let mut first = ServerProcess::start(&database.url, Clock::Still, &[]).await;
    let api = first.admin().await;
    api.create(&json!({ "agent_id": "versioned", "age": 25.0 })).await;
    first.kill();

    execute(database, "UPDATE world_snapshots SET format_version = 99", &[]).await;
    let snapshots_before = snapshot_rows(database).await;
    let journal_before = journal_rows(database).await;

    let mut second = ServerProcess::spawn(server_command(&database.url, Clock::Still));
    let code = second.wait_exit(EXIT_LIMIT).await;
    let log = second.log_text();
    assert!(matches!(code, Some(code) if code != 0), "startup should fail with a non-zero exit code, got {code:?}; log:\n{log}");
    assert!(log.contains("format version 99"), "the error should name format version 99; log:\n{log}");

    let snapshots_after = snapshot_rows(database).await;
    assert_eq!(snapshots_after, snapshots_before, "the snapshot rows should be untouched");
    let journal_after = journal_rows(database).await;
    assert_eq!(journal_after, journal_before, "the journal should be untouched");
}

/// Marks every stored snapshot as taken under simulation rules version 1, as
/// a build from before the rules changed would have written it.
async fn mark_rules_version_one(database: &TestDatabase) {
    let current = format!("\"rules_version\":{}", reynard_systems::RULES_VERSION);
    execute(database, "UPDATE world_snapshots SET body = REPLACE(body, $1, '\"rules_version\":1')", &[json!(current)]).await;
}

/// Checks that journal entries recorded under older simulation rules stop
/// startup, because replaying them would draw other agents than the ones
/// acknowledged, and that the stored world is left as it was.
async fn older_rules_with_journal_stops_startup(database: &TestDatabase) {
    let mut first = ServerProcess::start(&database.url, Clock::Still, &[]).await;
    let api = first.admin().await;
    api.create(&json!({ "agent_id": "old-rules", "age": 25.0 })).await;
    first.kill();

    mark_rules_version_one(database).await;
    let snapshots_before = snapshot_rows(database).await;
    let journal_before = journal_rows(database).await;
    assert!(!journal_before.is_empty(), "the create should be in the journal");

    let mut second = ServerProcess::spawn(server_command(&database.url, Clock::Still));
    let code = second.wait_exit(EXIT_LIMIT).await;
    let log = second.log_text();
    assert!(matches!(code, Some(code) if code != 0), "startup should fail with a non-zero exit code, got {code:?}; log:\n{log}");
    assert!(log.contains("rules version 1"), "the error should name rules version 1; log:\n{log}");
    assert!(log.contains("SIGTERM"), "the error should say how to drain the journal; log:\n{log}");
    assert_eq!(snapshot_rows(database).await, snapshots_before, "the snapshot rows should be untouched");
    assert_eq!(journal_rows(database).await, journal_before, "the journal should be untouched");
}

/// Checks that fixed steps recorded as progress past a snapshot taken under
/// older rules stop startup too: re-running them would redo breeding passes
/// under other rules.
async fn older_rules_with_steps_to_rerun_stop_startup(database: &TestDatabase) {
    let mut first = ServerProcess::start(&database.url, Clock::Still, &[]).await;
    first.admin().await.create(&json!({ "agent_id": "steps-ahead", "age": 25.0 })).await;
    let code = first.terminate().await;
    assert_eq!(code, Some(0), "SIGTERM should stop the server cleanly; log:\n{}", first.log_text());

    let progress_ahead = "INSERT INTO world_progress (id, tick) SELECT 1, MAX(tick) + 10 FROM world_snapshots WHERE true \
         ON CONFLICT (id) DO UPDATE SET tick = excluded.tick";
    execute(database, progress_ahead, &[]).await;
    mark_rules_version_one(database).await;
    let mut second = ServerProcess::spawn(server_command(&database.url, Clock::Still));
    let code = second.wait_exit(EXIT_LIMIT).await;
    let log = second.log_text();
    assert!(matches!(code, Some(code) if code != 0), "startup should fail with a non-zero exit code, got {code:?}; log:\n{log}");
    assert!(log.contains("rules version 1"), "the error should name rules version 1; log:\n{log}");
    assert!(log.contains("0 journal entries and 10 fixed steps"), "the error should count what would be redone; log:\n{log}");
}

/// Checks that a snapshot taken under older simulation rules with nothing
/// left to redo loads as it is, because its agents are state, not draws to
/// redo. The server then stores a snapshot under its own rules, so a crash
/// after further changes recovers them.
async fn older_rules_without_journal_start(database: &TestDatabase) {
    let mut first = ServerProcess::start(&database.url, Clock::Still, &[]).await;
    let api = first.admin().await;
    let created = api.create(&json!({ "agent_id": "kept-under-old-rules", "age": 25.0 })).await;
    let code = first.terminate().await;
    assert_eq!(code, Some(0), "SIGTERM should stop the server cleanly; log:\n{}", first.log_text());
    assert!(journal_rows(database).await.is_empty(), "the final snapshot should compact the journal");

    mark_rules_version_one(database).await;
    let mut second = ServerProcess::start(&database.url, Clock::Still, &[]).await;
    let stored = second.find_line("world stored under new simulation rules").unwrap_or_default();
    assert!(stored.contains("from=1"), "startup should log the rules change; log:\n{}", second.log_text());
    let second_api = second.admin().await;
    let reply = second_api.get("/api/ecs/agents/kept-under-old-rules").await;
    assert_eq!(reply.status, StatusCode::OK, "the agent from the old snapshot is missing: {}", reply.text);
    assert_eq!(stable_fields(&reply.body), stable_fields(&created), "the agent changed across the restart");
    let later = second_api.create(&json!({ "agent_id": "created-after-upgrade", "age": 25.0 })).await;
    second.kill();

    let third = ServerProcess::start(&database.url, Clock::Still, &[]).await;
    let reply = third.admin().await.get("/api/ecs/agents/created-after-upgrade").await;
    assert_eq!(reply.status, StatusCode::OK, "a crash after the upgrade should keep later agents: {}", reply.text);
    assert_eq!(stable_fields(&reply.body), stable_fields(&later), "the later agent changed across the crash");
}

/// Checks that a database the server cannot open stops startup with a clear
/// error and creates nothing. For SQLite, the file's parent directory cannot
/// be created because a component of its path is a regular file, which stops
/// root too, unlike permissions. For PostgreSQL, the named database does not exist.
async fn unusable_database_stops_startup(database: &TestDatabase) {
    if database.backend == "postgres" {
        absent_postgres_database_stops_startup(database).await;
        return;
    }
    let dir = scratch_dir();
    let blocker = dir.join("not-a-directory");
    std::fs::write(&blocker, "a regular file").expect("writing the blocking file");
    let url = format!("sqlite:{}/data/reynard.db", blocker.display());

    let mut server = ServerProcess::spawn(server_command(&url, Clock::Still));
    let code = server.wait_exit(EXIT_LIMIT).await;
    let log = server.log_text();
    assert!(matches!(code, Some(code) if code != 0), "startup should fail with a non-zero exit code, got {code:?}; log:\n{log}");
    assert!(log.contains("could not create the database directory"), "the error should say what failed; log:\n{log}");
    assert!(log.contains(&blocker.display().to_string()), "the error should name the path; log:\n{log}");

    let contents = std::fs::read_to_string(&blocker).expect("the blocking file is still readable");
    assert_eq!(contents, "a regular file", "the blocking file should be unchanged");
    let entries: Vec<String> = std::fs::read_dir(&dir)
        .expect("listing the scratch directory")
        .map(|entry| entry.expect("directory entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, vec!["not-a-directory".to_owned()], "nothing else should be created");
    let _ = std::fs::remove_dir_all(&dir);
}

async fn absent_postgres_database_stops_startup(database: &TestDatabase) {
    let absent_name = format!("{}_absent", database.url.rsplit('/').next().expect("the URL names a database"));
    let url = format!("{}_absent", database.url);

    let mut server = ServerProcess::spawn(server_command(&url, Clock::Still));
    let code = server.wait_exit(EXIT_LIMIT).await;
    let log = server.log_text();
    assert!(matches!(code, Some(code) if code != 0), "startup should fail with a non-zero exit code, got {code:?}; log:\n{log}");
    assert!(log.contains("could not connect to the database"), "the error should say what failed; log:\n{log}");
    assert!(log.contains(&absent_name), "the error should name the database; log:\n{log}");

    let mut connection = AnyConnection::connect(&database.url).await.expect("connecting to the test database");
    let found: Vec<(String,)> = sqlx::query_as("SELECT datname::TEXT FROM pg_database WHERE datname = $1")
        .bind(&absent_name)
        .fetch_all(&mut connection)
        .await
        .expect("listing databases");
    let _ = connection.close().await;
    assert_eq!(found, Vec::<(String,)>::new(), "no database should be created");
}
