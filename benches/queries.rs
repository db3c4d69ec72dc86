//! Times the read queries that walk many agents: mate search for one agent
//! at 10,000 and 100,000 agents, and lineage (depth 3 and 16) and kinship
//! in a 20-generation pedigree.
//!
//! Run with `cargo bench --bench queries`. Debug builds (as in
//! `cargo test --all-targets`) use 1,000 agents for mate search, only to
//! check that it runs; the pedigree is the same in both builds.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use reynard_systems::simulation::ClockConfig;
use reynard_systems::{NewAgent, OffspringRequest, Settings, Simulation, Spirit};

/// Generations in the pedigree, founders included.
const GENERATIONS: u32 = 20;

/// Agents in each generation of the pedigree.
const GENERATION_WIDTH: usize = 8;

/// Steps per simulated year in the pedigree, kept small so that children
/// reach adulthood (18 years) in few steps.
const PEDIGREE_STEPS_PER_YEAR: u32 = 4;

/// Agent counts for mate search. Release builds time both sizes.
fn mate_sizes() -> &'static [usize] {
    if cfg!(debug_assertions) { &[1_000] } else { &[10_000, 100_000] }
}

/// Builds a world of `count` adults aged 20 to 60 years, spread over all spirits.
fn adults(count: usize) -> Simulation {
    let settings = Settings { max_agents: count, breeding_enabled: false, ..Settings::default() };
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
    sim
}

/// Id of agent `k` of generation `generation`, counted from 1 for founders.
fn pedigree_id(generation: u32, k: usize) -> String {
    format!("g{generation}-{k}")
}

/// Builds a pedigree of [`GENERATIONS`] generations of [`GENERATION_WIDTH`]
/// agents. Child `k` of each generation has parents `k` and `k + 1` (wrapping)
/// of the generation before, so neighbours are half siblings and every agent
/// shares ancestors with every other within a few generations.
fn pedigree() -> Simulation {
    let settings = Settings {
        steps_per_year: PEDIGREE_STEPS_PER_YEAR,
        max_agents: GENERATION_WIDTH * GENERATIONS as usize,
        breeding_cooldown_steps: 0,
        max_offspring: u32::MAX,
        kinship_limit: 1.0,
        compatibility_threshold: 0.0,
        breeding_enabled: false,
        ..Settings::default()
    };
    let mut sim = Simulation::new(settings, ClockConfig::default(), 7).expect("valid settings");
    for k in 0..GENERATION_WIDTH {
        let request = NewAgent {
            agent_id: pedigree_id(1, k),
            spirit: Some(Spirit::ALL[k % Spirit::ALL.len()]),
            age_years: Some(18.0),
            ..NewAgent::default()
        };
        sim.create_agent(request).expect("room for every founder");
    }

    let steps_to_adulthood = 18 * PEDIGREE_STEPS_PER_YEAR;
    for generation in 2..=GENERATIONS {
        for k in 0..GENERATION_WIDTH {
            let request = OffspringRequest {
                parent1_id: pedigree_id(generation - 1, k),
                parent2_id: pedigree_id(generation - 1, (k + 1) % GENERATION_WIDTH),
                offspring_id: pedigree_id(generation, k),
                ..OffspringRequest::default()
            };
            sim.breed(request).expect("parents are living adults and the limits allow the pair");
        }
        sim.nudge(steps_to_adulthood);
    }
    sim
}

fn mate_search(c: &mut Criterion) {
    let mut group = c.benchmark_group("mates");
    for &count in mate_sizes() {
        let mut sim = adults(count);
        group.bench_with_input(BenchmarkId::from_parameter(count), &count, |b, _| {
            b.iter(|| black_box(sim.mates(black_box("adult-0"), 10).expect("agent exists")))
        });
    }
    group.finish();
}

fn lineage(c: &mut Criterion) {
    let sim = pedigree();
    // A middle generation, so the walk goes both up to ancestors and down to descendants.
    let agent_id = pedigree_id(GENERATIONS / 2, 0);
    let mut group = c.benchmark_group("lineage");
    for depth in [3, 16] {
        group.bench_with_input(BenchmarkId::from_parameter(depth), &depth, |b, &depth| {
            b.iter(|| black_box(sim.lineage(black_box(&agent_id), depth).expect("agent exists")))
        });
    }
    group.finish();
}

fn kinship(c: &mut Criterion) {
    let sim = pedigree();
    // Two agents of the last generation as far apart as the ring allows.
    let first = pedigree_id(GENERATIONS, 0);
    let second = pedigree_id(GENERATIONS, GENERATION_WIDTH / 2);
    let report = sim.compatibility(&first, &second).expect("both agents exist");
    assert!(report.kinship > 0.0, "agents of the last generation share ancestors");

    c.bench_function("kinship/20_generations", |b| {
        b.iter(|| black_box(sim.compatibility(black_box(&first), black_box(&second)).expect("both agents exist")))
    });
}

criterion_group!(benches, mate_search, lineage, kinship);
criterion_main!(benches);
