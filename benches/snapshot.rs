//! Times the part of a snapshot that runs on the world thread: copying the
//! world into a `WorldSnapshot`. Serialising and writing happen elsewhere.
//!
//! Run with `cargo bench --bench snapshot`. Debug builds (as in
//! `cargo test --all-targets`) use 1,000 agents, only to check that it runs.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use reynard_systems::simulation::ClockConfig;
use reynard_systems::{NewAgent, Settings, Simulation, Spirit};

fn populated(count: usize) -> Simulation {
    let settings = Settings { max_agents: count, breeding_enabled: false, ..Settings::default() };
    let mut sim = Simulation::new(settings, ClockConfig::default(), 7).expect("valid settings");
    for i in 0..count {
        let request = NewAgent {
            agent_id: format!("agent-{i}"),
            spirit: Some(Spirit::ALL[i % Spirit::ALL.len()]),
            age_years: Some((i % 61) as f64),
            created_by: Some("bench".to_owned()),
            ..NewAgent::default()
        };
        sim.create_agent(request).expect("room for every agent");
    }
    sim
}

fn snapshot_copy(c: &mut Criterion) {
    let count = if cfg!(debug_assertions) { 1_000 } else { 100_000 };
    let sim = populated(count);
    let mut group = c.benchmark_group("snapshot_copy");
    group.sample_size(20);
    group.bench_with_input(BenchmarkId::from_parameter(count), &count, |b, _| b.iter(|| black_box(sim.snapshot())));
    group.finish();
}

criterion_group!(benches, snapshot_copy);
criterion_main!(benches);
