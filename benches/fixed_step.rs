//! Times one fixed step (aging, life stage, cooldowns) at 10,000 living agents.
//!
//! Run with `cargo bench --bench fixed_step`. Breeding is off so every step
//! does the same work, and a year is 10,000 steps long so no agent dies
//! during a measurement.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use reynard_systems::simulation::ClockConfig;
use reynard_systems::{NewAgent, Settings, Simulation, Spirit};

/// Builds a world of `count` founders aged 0 to 60 years, spread over all spirits.
fn populated(count: usize) -> Simulation {
    let settings = Settings {
        steps_per_year: 10_000,
        max_agents: count,
        breeding_enabled: false,
        ..Settings::default()
    };
    let mut sim = Simulation::new(settings, ClockConfig::default(), 7).expect("valid settings");
    for i in 0..count {
        let request = NewAgent {
            agent_id: format!("agent-{i}"),
            spirit: Some(Spirit::ALL[i % Spirit::ALL.len()]),
            age_years: Some((i % 61) as f64),
            ..NewAgent::default()
        };
        sim.create_agent(request).expect("room for every agent");
    }
    sim
}

fn fixed_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("fixed_step");
    let count = 10_000;
    let mut sim = populated(count);
    group.bench_with_input(BenchmarkId::from_parameter(count), &count, |b, _| {
        b.iter(|| {
            sim.step();
            black_box(sim.tick())
        })
    });
    group.finish();
}

criterion_group!(benches, fixed_step);
criterion_main!(benches);
