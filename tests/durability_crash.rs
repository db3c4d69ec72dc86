//! Crash safety of the `reynard` binary: every write acknowledged with a 2xx
//! survives SIGKILL, and recovery rebuilds the same world each time it runs
//! on the same snapshot and journal. Runs on SQLite and, when configured,
//! PostgreSQL.

mod common;
mod server_process;

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::auth::TestDatabase;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use server_process::{copy_database, digests_at_common_tick, snapshot_rows, stable_fields, Api, Clock, ServerProcess};

backend_tests!(kill_early_loses_nothing, kill_midway_loses_nothing, kill_late_loses_nothing, unsnapshotted_writes_survive_kill);

/// Concurrent clients writing during a crash run.
const WRITERS: usize = 4;

/// Upper bound on the rounds one writer runs, in case the kill never lands.
const MAX_ROUNDS: usize = 2_000;

/// Maximum time the writers may take to notice the kill and return.
const WRITERS_LIMIT: Duration = Duration::from_secs(30);

/// Spirits and naming styles the writers cycle through, so the journal
/// contains varied requests.
const SPIRITS: [&str; 4] = ["fox", "wolf", "otter", "coyote"];
const STYLES: [&str; 3] = ["foundation", "exo", "mythological"];

async fn kill_early_loses_nothing(database: &TestDatabase) {
    crash_run(database, 200..500, None).await;
}

async fn kill_midway_loses_nothing(database: &TestDatabase) {
    crash_run(database, 500..1000, None).await;
}

/// Runs with a snapshot every second, so the kill lands after a periodic
/// snapshot and recovery starts from it instead of from the genesis snapshot.
async fn kill_late_loses_nothing(database: &TestDatabase) {
    crash_run(database, 1200..1500, Some("1")).await;
}

/// Runs [`WRITERS`] writing clients on a fast clock with automatic breeding,
/// sends SIGKILL after a random delay in `kill_window` (milliseconds), and
/// checks that every acknowledged agent survived and that two independent
/// recoveries from the same data give the same world. With
/// `snapshot_interval` (seconds) set, it also checks that a periodic snapshot
/// was written before the kill.
async fn crash_run(database: &TestDatabase, kill_window: Range<u64>, snapshot_interval: Option<&str>) {
    let extra: Vec<(&str, &str)> = snapshot_interval.map(|seconds| ("SNAPSHOT_INTERVAL_SECONDS", seconds)).into_iter().collect();
    let mut first = ServerProcess::start(&database.url, Clock::Fast, &extra).await;
    let api = first.admin().await;

    let delay = Duration::from_millis(rand::random_range(kill_window));
    let case = format!("{} backend, SIGKILL {} ms after writes started", database.backend, delay.as_millis());
    eprintln!("{case}");

    let acked = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| tokio::spawn(write_until_stopped(api.clone(), writer, Arc::clone(&stop), Arc::clone(&acked))))
        .collect();
    tokio::time::sleep(delay).await;
    first.kill();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        let joined = tokio::time::timeout(WRITERS_LIMIT, writer).await;
        assert!(matches!(joined, Ok(Ok(()))), "{case}: a writer did not finish: {joined:?}");
    }
    let acked: Vec<Value> = acked.lock().expect("acknowledged list").clone();
    let offspring = acked.iter().filter(|agent| agent["parents"].as_array().is_some_and(|parents| !parents.is_empty())).count();
    eprintln!("{case}: {} agents acknowledged, {offspring} of them offspring", acked.len());
    assert!(offspring > 0, "{case}: no manual offspring was acknowledged before the kill");
    let snapshots = snapshot_rows(database).await;
    let latest_covered = snapshots.last().map_or(0, |row| row.3);
    eprintln!("{case}: latest snapshot covers the journal up to entry {latest_covered}");
    if snapshot_interval.is_some() {
        assert!(latest_covered > 0, "{case}: no periodic snapshot was written before the kill");
    }

    // The copy is taken before any recovery runs, so both recoveries below
    // start from the snapshot and journal exactly as the crash left them.
    let copy = copy_database(database).await;

    let restarted = ServerProcess::start(&database.url, Clock::Fast, &extra).await;
    let restarted_api = restarted.admin().await;
    restarted_api.pause().await;
    for agent in &acked {
        let id = agent["agent_id"].as_str().expect("agent_id is a string");
        let reply = restarted_api.get(&format!("/api/ecs/agents/{id}")).await;
        assert_eq!(reply.status, StatusCode::OK, "{case}: acknowledged agent {id} is missing after restart");
        assert_eq!(stable_fields(&reply.body), stable_fields(agent), "{case}: agent {id} changed across the crash");
    }

    let rebuilt = ServerProcess::start(&copy.url, Clock::Fast, &extra).await;
    let rebuilt_api = rebuilt.admin().await;
    let ((restarted_digest, restarted_tick), (rebuilt_digest, rebuilt_tick)) =
        digests_at_common_tick(&restarted_api, &rebuilt_api).await;
    assert_eq!(restarted_tick, rebuilt_tick, "{case}: the two recoveries were not brought to one tick");
    assert_eq!(
        restarted_digest, rebuilt_digest,
        "{case}: two recoveries from the same data differ at tick {restarted_tick}; restarted log:\n{}\nrebuilt log:\n{}",
        restarted.log_text(),
        rebuilt.log_text()
    );
}

/// Creates adult pairs and breeds each pair until `stop` is set or a request
/// gets no reply. Records the body of every 201.
async fn write_until_stopped(api: Api, writer: usize, stop: Arc<AtomicBool>, acked: Arc<Mutex<Vec<Value>>>) {
    for round in 0..MAX_ROUNDS {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let parents = [format!("w{writer}-{round}-a"), format!("w{writer}-{round}-b")];
        for (slot, id) in parents.iter().enumerate() {
            let turn = writer + round + slot;
            let mut body = json!({
                "agent_id": id,
                "age": 30.0,
                "spirit": SPIRITS[turn % SPIRITS.len()],
                "style": STYLES[turn % STYLES.len()],
            });
            if slot == 0 {
                body["traits"] = json!({ "personality": { "courage": 0.9 } });
            }
            if !record_created(&api, "/api/ecs/agents", &body, &acked).await {
                return;
            }
        }
        // Automatic breeding may pair the two first; the 409 that follows is
        // not an acknowledgement and is not recorded.
        let body = json!({ "parent1_id": parents[0], "parent2_id": parents[1], "offspring_id": format!("w{writer}-{round}-c") });
        if !record_created(&api, "/api/ecs/agents/offspring", &body, &acked).await {
            return;
        }
    }
}

/// Posts `body` and records the reply body if it is a 201. Returns false
/// when no reply arrived, which means the server is gone.
async fn record_created(api: &Api, path: &str, body: &Value, acked: &Mutex<Vec<Value>>) -> bool {
    match api.try_send(Method::POST, path, Some(body)).await {
        Ok(reply) => {
            if reply.status == StatusCode::CREATED {
                acked.lock().expect("acknowledged list").push(reply.body);
            }
            true
        }
        Err(_) => false,
    }
}

/// Checks that acknowledged creates survive a SIGKILL that lands before any
/// snapshot could include them. Only the genesis snapshot exists, so
/// recovery must come from the journal alone.
async fn unsnapshotted_writes_survive_kill(database: &TestDatabase) {
    let extra = [("SNAPSHOT_INTERVAL_SECONDS", "3600")];
    let mut first = ServerProcess::start(&database.url, Clock::Fast, &extra).await;
    let api = first.admin().await;

    let started = Instant::now();
    let creators: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let api = api.clone();
            tokio::spawn(async move {
                let mut created = Vec::new();
                for n in 0..10 {
                    created.push(api.create(&json!({ "agent_id": format!("quick-{writer}-{n}"), "age": 20.0 })).await);
                }
                created
            })
        })
        .collect();
    let mut acked = Vec::new();
    for creator in creators {
        acked.extend(creator.await.expect("creator task"));
    }
    first.kill();
    let elapsed = started.elapsed();
    eprintln!("{} backend: {} creates acknowledged, SIGKILL after {} ms", database.backend, acked.len(), elapsed.as_millis());

    let snapshots = snapshot_rows(database).await;
    assert_eq!(snapshots.len(), 1, "only the genesis snapshot should exist before recovery");
    assert_eq!(snapshots[0].3, 0, "the genesis snapshot covers no journal entry");

    let restarted = ServerProcess::start(&database.url, Clock::Fast, &extra).await;
    let restarted_api = restarted.admin().await;
    restarted_api.pause().await;
    for agent in &acked {
        let id = agent["agent_id"].as_str().expect("agent_id is a string");
        let reply = restarted_api.get(&format!("/api/ecs/agents/{id}")).await;
        assert_eq!(reply.status, StatusCode::OK, "acknowledged agent {id} is missing after restart");
        assert_eq!(stable_fields(&reply.body), stable_fields(agent), "agent {id} changed across the crash");
    }
}
