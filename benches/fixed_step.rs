//! Times one fixed step (aging, life stage, cooldowns) at 10,000, 100,000 and
//! 1,000,000 living agents, next to a `plain_vec` baseline that does the same
//! per-agent arithmetic over a `Vec` of plain structs.
//!
//! Run with `cargo bench --bench fixed_step`. Breeding is off so every step
//! does the same work, and a year is 10,000 steps long so no agent dies
//! during a measurement. Debug builds (as in `cargo test --all-targets`) use
//! 1,000 agents, only to check that it runs.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, BenchmarkId, Criterion};
use criterion::measurement::WallTime;
use reynard_systems::lifecycle::{lifespan_steps, STAGE_ENDS_YEARS};
use reynard_systems::simulation::ClockConfig;
use reynard_systems::{LifeStage, Settings, Simulation};

mod support;

const STEPS_PER_YEAR: u32 = 10_000;

/// Agent counts to time. Release builds time all three sizes.
fn sizes() -> &'static [usize] {
    if cfg!(debug_assertions) { &[1_000] } else { &[10_000, 100_000, 1_000_000] }
}

/// Sets 10 samples for a million agents, where criterion's default of 100
/// samples would make one size take many minutes.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, count: usize) {
    group.sample_size(if count >= 1_000_000 { 10 } else { 100 });
}

/// Builds a world of `count` founders aged 0 to 60 years, spread over all spirits.
fn populated(count: usize) -> Simulation {
    let settings = Settings {
        steps_per_year: STEPS_PER_YEAR,
        max_agents: count,
        breeding_enabled: false,
        ..Settings::default()
    };
    let mut sim = Simulation::new(settings, ClockConfig::default(), 7).expect("valid settings");
    support::add_founders(&mut sim, count);
    sim
}

fn fixed_step(c: &mut Criterion) {
    let mut group = c.benchmark_group("fixed_step");
    for &count in sizes() {
        configure(&mut group, count);
        let mut sim = populated(count);
        group.bench_with_input(BenchmarkId::from_parameter(count), &count, |b, _| {
            b.iter(|| {
                sim.step();
                black_box(sim.tick())
            })
        });
    }
    group.finish();
}

/// The per-agent state the aging system touches, without the ECS around it.
#[derive(Clone, Copy)]
struct PlainAgent {
    age_steps: u32,
    cooldown_steps: u32,
    stage: LifeStage,
    deceased: bool,
}

/// Does the aging system's arithmetic for every living agent: age, cooldown,
/// stage from age, and death at the end of the lifespan. Returns the deaths.
fn plain_step(agents: &mut [PlainAgent], stage_ends: [u32; 3], lifespan: u32) -> usize {
    let mut deaths = 0;
    for agent in agents.iter_mut().filter(|agent| !agent.deceased) {
        agent.age_steps += 1;
        if agent.cooldown_steps > 0 {
            agent.cooldown_steps -= 1;
        }
        agent.stage = if agent.age_steps < stage_ends[0] {
            LifeStage::Infant
        } else if agent.age_steps < stage_ends[1] {
            LifeStage::Juvenile
        } else if agent.age_steps < stage_ends[2] {
            LifeStage::Adult
        } else {
            LifeStage::Elder
        };
        if agent.age_steps >= lifespan {
            agent.deceased = true;
            deaths += 1;
        }
    }
    deaths
}

fn plain_vec(c: &mut Criterion) {
    let stage_ends = [0, 1, 2].map(|stage| STAGE_ENDS_YEARS[stage] * STEPS_PER_YEAR);
    let lifespan = lifespan_steps(STEPS_PER_YEAR);
    let mut group = c.benchmark_group("plain_vec");
    for &count in sizes() {
        configure(&mut group, count);
        let mut agents: Vec<PlainAgent> = (0..count)
            .map(|i| {
                let age_steps = (i % 61) as u32 * STEPS_PER_YEAR;
                PlainAgent {
                    age_steps,
                    cooldown_steps: 0,
                    stage: LifeStage::for_age(age_steps, STEPS_PER_YEAR),
                    deceased: false,
                }
            })
            .collect();
        group.bench_with_input(BenchmarkId::from_parameter(count), &count, |b, _| {
            b.iter(|| black_box(plain_step(black_box(&mut agents), stage_ends, lifespan)))
        });
    }
    group.finish();
}

criterion_group!(benches, fixed_step, plain_vec);
criterion_main!(benches);
