//! Determinism: a seed plus the same commands at the same steps gives the same
//! digest, and the digest depends on the number of steps run, not on how real
//! time was chunked into `advance` calls.

mod common;

use std::time::Duration;

use common::{breed_ok, found, request};
use reynard_systems::simulation::ClockConfig;
use reynard_systems::{AgentFilter, NewAgent, Settings, Simulation, Spirit};

/// Settings that make several automatic breeding passes happen in a short run.
fn busy_settings() -> Settings {
    Settings {
        steps_per_year: 4,
        breeding_interval_steps: 4,
        breeding_cooldown_steps: 8,
        ..Settings::default()
    }
}

/// Creates ten adult founders of three spirits, breeds two of them by hand,
/// runs through several passes, adds a newcomer, breeds again and runs on.
fn scripted_run(seed: u64) -> Simulation {
    let mut sim = Simulation::new(busy_settings(), ClockConfig::default(), seed).unwrap();
    let spirits = [Spirit::Fox, Spirit::Wolf, Spirit::Otter];
    for n in 0..10 {
        let request = NewAgent {
            agent_id: format!("founder-{n}"),
            spirit: Some(spirits[n % spirits.len()]),
            age_years: Some(18.0 + n as f64),
            ..NewAgent::default()
        };
        sim.create_agent(request).unwrap();
    }
    breed_ok(&mut sim, "founder-0", "founder-1", "first-kit");

    sim.nudge(30);
    found(&mut sim, "newcomer", 25.0);
    sim.nudge(5);
    // Both runs must get the same result here, whether the breeding is accepted or rejected.
    let _ = sim.breed(request("newcomer", "founder-9", "second-kit"));
    sim.nudge(100);
    sim
}

#[test]
fn same_seed_same_digest() {
    let first = scripted_run(42);
    let second = scripted_run(42);
    assert!(first.breeding_stats().births > 5, "the script bred several offspring");
    assert_eq!(first.digest(), second.digest());
}

#[test]
fn same_seed_same_agents() {
    let first = scripted_run(42);
    let second = scripted_run(42);
    let first_page = first.agents(AgentFilter::default(), None, 1000).unwrap();
    let second_page = second.agents(AgentFilter::default(), None, 1000).unwrap();
    assert_eq!(first_page, second_page);
}

#[test]
fn other_seed_other_digest() {
    assert_ne!(scripted_run(42).digest(), scripted_run(43).digest());
}

#[test]
fn digest_ignores_read_queries() {
    let mut sim = scripted_run(42);
    let digest = sim.digest();
    let _ = sim.mates("founder-3", 10);
    let _ = sim.compatibility("founder-3", "founder-4");
    let _ = sim.lineage("first-kit", 5);
    let _ = sim.status();
    assert_eq!(sim.digest(), digest);
}

#[test]
fn digest_changes_with_step() {
    let mut sim = scripted_run(42);
    let digest = sim.digest();
    sim.step();
    assert_ne!(sim.digest(), digest);
}

/// Builds a world with a one-second fixed timestep at acceleration 1 and automatic
/// breeding on, populated by the same founders every time.
fn clocked_world() -> Simulation {
    let clock = ClockConfig { seconds_per_year: 4.0, acceleration: 1.0 };
    let mut sim = Simulation::new(busy_settings(), clock, common::SEED).unwrap();
    for n in 0..8 {
        found(&mut sim, &format!("founder-{n}"), 20.0);
    }
    sim
}

/// Feeds `chunks` of real time in milliseconds to `advance` and returns the steps run.
fn advance_in_chunks(sim: &mut Simulation, chunks: impl IntoIterator<Item = u64>) -> u32 {
    chunks.into_iter().map(|millis| sim.advance(Duration::from_millis(millis))).sum()
}

/// Steps in the runs below: 120 seconds of real time at one step per second.
const STEPS: u32 = 120;

#[test]
fn whole_second_chunks_match_nudge() {
    let mut nudged = clocked_world();
    nudged.nudge(STEPS);

    let mut advanced = clocked_world();
    let steps = advance_in_chunks(&mut advanced, std::iter::repeat_n(1000, STEPS as usize));
    assert_eq!(steps, STEPS, "steps run by advance");
    assert_eq!(advanced.digest(), nudged.digest(), "digest");
}

#[test]
fn uneven_chunks_match_nudge() {
    let mut nudged = clocked_world();
    nudged.nudge(STEPS);

    // Each cycle is 12 seconds, and no chunk exceeds the 4-second catch-up bound.
    let cycle = [300, 700, 1500, 2500, 999, 1, 4000, 2000];
    let chunks = cycle.iter().copied().cycle().take(cycle.len() * 10);
    let mut advanced = clocked_world();
    let steps = advance_in_chunks(&mut advanced, chunks);
    assert_eq!(steps, STEPS, "steps run by advance");
    assert_eq!(advanced.digest(), nudged.digest(), "digest");
}

#[test]
fn millisecond_chunks_match_nudge() {
    let mut nudged = clocked_world();
    nudged.nudge(10);

    let mut advanced = clocked_world();
    let steps = advance_in_chunks(&mut advanced, std::iter::repeat_n(1, 10_000));
    assert_eq!(steps, 10, "steps run by 10 s of 1 ms chunks");
    assert_eq!(advanced.digest(), nudged.digest(), "digest");
}

#[test]
fn odd_chunks_match_nudge() {
    let mut nudged = clocked_world();
    nudged.nudge(70);

    let mut advanced = clocked_world();
    let steps = advance_in_chunks(&mut advanced, std::iter::repeat_n(7, 10_000));
    assert_eq!(steps, 70, "steps run by 70 s of 7 ms chunks");
    assert_eq!(advanced.digest(), nudged.digest(), "digest");
}
