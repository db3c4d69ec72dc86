//! Times a command's round trip through the world thread (send on the
//! bounded queue, run between fixed steps, reply) while the thread steps
//! 100,000 agents at 100x, next to a read of the published status, which
//! needs no round trip.
//!
//! Run with `cargo bench --bench round_trip`. The world thread runs as the
//! server runs it, with its journal writer on a fresh SQLite file, breeding
//! off and snapshots far apart (their pause is measured by the `snapshot`
//! bench). Debug builds (as in `cargo test --all-targets`) use 1,000 agents,
//! only to check that it runs.

use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use reynard::db::Database;
use reynard::durability::writer;
use reynard::world::{self, Command, Journal, WorldHandle};
use reynard_systems::simulation::ClockConfig;
use reynard_systems::{Settings, Simulation};
use tokio::runtime::Runtime;

mod support;

/// Agents in the world while the round trips are timed.
fn agent_count() -> usize {
    if cfg!(debug_assertions) { 1_000 } else { 100_000 }
}

/// Builds a world of founders aged 0 to 60 years, clocked at 100x.
fn populated(count: usize) -> Simulation {
    let settings = Settings { max_agents: count, breeding_enabled: false, ..Settings::default() };
    let clock = ClockConfig { acceleration: 100.0, ..ClockConfig::default() };
    let mut sim = Simulation::new(settings, clock, 11).expect("valid settings");
    support::add_founders(&mut sim, count);
    sim
}

/// Starts the journal writer on a new SQLite file in `dir` and the world
/// thread on `sim`, as the server does.
fn start_world(runtime: &Runtime, dir: &Path, sim: Simulation) -> (WorldHandle, world::WorldThread) {
    std::fs::create_dir_all(dir).expect("create the bench directory");
    let url = format!("sqlite:{}", dir.join("round-trip.db").display());
    let db = runtime.block_on(Database::connect(&url)).expect("open the bench database");
    let (sender, snapshot_needed, _writer) = runtime.block_on(async { writer::spawn(db) });
    let snapshot_interval = Duration::from_secs(3600);
    let journal = Journal::new(sender, snapshot_needed, 1, sim.tick(), snapshot_interval);
    world::spawn(sim, 1024, journal).expect("start the world thread")
}

fn round_trip(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().expect("runtime");
    let dir = std::env::temp_dir().join(format!("reynard-round-trip-{}", std::process::id()));
    let count = agent_count();
    let (handle, thread) = start_world(&runtime, &dir, populated(count));

    let mut group = c.benchmark_group("world_thread");
    group.bench_function("ping", |b| {
        b.iter(|| runtime.block_on(handle.request(Command::Ping)).expect("world thread replies"))
    });
    let mut next = 0;
    group.bench_function("get_agent", |b| {
        b.iter(|| {
            next = (next + 7919) % count;
            let id = format!("agent-{next}");
            runtime.block_on(handle.request(|reply| Command::Agent(id, reply))).expect("agent exists")
        })
    });
    group.bench_function("status_board", |b| b.iter(|| handle.status().expect("world thread alive")));
    group.finish();

    // A step lasts about 12 ms at 100x; a test-mode run can end before the
    // first one, so the check waits for a few.
    std::thread::sleep(Duration::from_millis(50));
    let time = runtime.block_on(handle.request(Command::Time)).expect("world thread replies");
    assert!(time.tick > 0, "the world thread should be stepping while it serves commands");
    handle.shutdown();
    assert!(thread.join(), "the world thread should stop cleanly");
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, round_trip);
criterion_main!(benches);
