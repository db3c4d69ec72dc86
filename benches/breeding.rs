//! Times one automatic breeding pass (sort, pairing, births) at 1,000, 10,000
//! and 100,000 eligible adults.
//!
//! Run with `cargo bench --bench breeding`. Every iteration starts from the
//! same world, rebuilt from a snapshot outside the timed part, because a pass
//! sets cooldowns and adds offspring. Debug builds (as in
//! `cargo test --all-targets`) use 1,000 adults, only to check that it runs.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use reynard_systems::simulation::ClockConfig;
use reynard_systems::{NewAgent, Settings, Simulation, Spirit, WorldSnapshot};

/// Adult counts to time. Release builds time all three sizes.
fn sizes() -> &'static [usize] {
    if cfg!(debug_assertions) { &[1_000] } else { &[1_000, 10_000, 100_000] }
}

/// Builds a world of `count` adults aged 20 to 60 years, spread over all
/// spirits, with room for every pair's offspring.
fn adults(count: usize) -> WorldSnapshot {
    let settings = Settings {
        max_agents: count * 3,
        // Founders of different spirits often score below the default 0.6,
        // so a lower threshold lets most windows find a partner.
        compatibility_threshold: 0.4,
        breeding_enabled: false,
        ..Settings::default()
    };
    let mut sim = Simulation::new(settings, ClockConfig::default(), 7).expect("valid settings");
    for i in 0..count {
        let request = NewAgent {
            agent_id: format!("adult-{i}"),
            name: Some(format!("Adult {i}")),
            spirit: Some(Spirit::ALL[i % Spirit::ALL.len()]),
            age_years: Some(20.0 + (i % 41) as f64),
            ..NewAgent::default()
        };
        sim.create_agent(request).expect("room for every agent");
    }
    sim.snapshot()
}

fn breeding_pass(c: &mut Criterion) {
    let mut group = c.benchmark_group("breeding_pass");
    for &count in sizes() {
        let snapshot = adults(count);

        let mut check = Simulation::from_snapshot(snapshot.clone()).expect("snapshot of a valid world");
        check.run_breeding_pass();
        let pairs = check.breeding_stats().last_pass_pairs;
        assert!(pairs * 4 >= count, "only {pairs} pairs formed among {count} adults; expected at least a quarter");

        // One pass at 100,000 adults takes about a third of a second in release,
        // so 100 samples would take close to a minute.
        group.sample_size(if count >= 100_000 { 10 } else { 100 });
        group.bench_with_input(BenchmarkId::from_parameter(count), &count, |b, _| {
            b.iter_batched(
                || Simulation::from_snapshot(snapshot.clone()).expect("snapshot of a valid world"),
                |mut sim| {
                    sim.run_breeding_pass();
                    black_box(sim)
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, breeding_pass);
criterion_main!(benches);
