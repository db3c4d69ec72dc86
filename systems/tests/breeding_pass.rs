//! The automatic breeding pass: it runs on ticks that are multiples of
//! `breeding_interval_steps`, pairs each agent at most once per pass, never
//! pairs kin and names offspring `offspring~N`.

mod common;

use common::{found, found_uniform, world};
use reynard_systems::{NewAgent, Settings, Simulation, Spirit};

/// Founders in the crowd.
const CROWD: usize = 24;

/// Builds a world of `CROWD` unrelated 20-year-olds from two related spirits, whose
/// drawn traits are similar enough to pair.
fn crowd(settings: Settings) -> Simulation {
    let mut sim = world(settings);
    for n in 0..CROWD {
        let spirit = if n % 2 == 0 { Spirit::Fox } else { Spirit::Wolf };
        let request = NewAgent {
            agent_id: format!("founder-{n}"),
            spirit: Some(spirit),
            age_years: Some(20.0),
            ..NewAgent::default()
        };
        sim.create_agent(request).unwrap();
    }
    sim
}

fn founder_ids() -> Vec<String> {
    (0..CROWD).map(|n| format!("founder-{n}")).collect()
}

/// Default settings without a cooldown, so only the pass itself limits pairing.
fn no_cooldown() -> Settings {
    Settings { breeding_cooldown_steps: 0, ..Settings::default() }
}

#[test]
fn no_pass_before_interval() {
    let mut sim = crowd(Settings::default());
    let interval = sim.settings().breeding_interval_steps;
    sim.nudge(interval - 1);

    let stats = sim.breeding_stats();
    assert_eq!(stats.last_pass_tick, None, "last pass tick");
    assert_eq!(stats.births, 0, "births");
}

#[test]
fn pass_runs_on_interval_multiples() {
    let mut sim = crowd(Settings { breeding_interval_steps: 5, ..Settings::default() });
    for tick in 1..=23_u64 {
        sim.step();
        let expected = (tick >= 5).then_some(tick - tick % 5);
        assert_eq!(sim.breeding_stats().last_pass_tick, expected, "last pass tick after tick {tick}");
    }
}

#[test]
fn pass_breeds_each_agent_once() {
    let mut sim = crowd(no_cooldown());
    let interval = sim.settings().breeding_interval_steps;
    sim.nudge(interval);

    let stats = sim.breeding_stats();
    assert!(stats.last_pass_pairs > 0, "the pass paired someone");
    for id in founder_ids() {
        let offspring = sim.agent(&id).unwrap().offspring_count;
        assert!(offspring <= 1, "{id} has {offspring} offspring after one pass");
    }
}

#[test]
fn pass_pairs_match_births() {
    let mut sim = crowd(no_cooldown());
    let interval = sim.settings().breeding_interval_steps;
    sim.nudge(interval);

    let stats = sim.breeding_stats();
    let parent_slots: u32 = founder_ids().iter().map(|id| sim.agent(id).unwrap().offspring_count).sum();
    assert_eq!(stats.births, stats.last_pass_pairs as u64, "births equal pairs of the pass");
    assert_eq!(parent_slots, 2 * stats.last_pass_pairs as u32, "each pair adds one child to two parents");
    assert_eq!(sim.status().agent_count, CROWD + stats.last_pass_pairs, "living agents");
}

#[test]
fn pass_links_children_and_cooldowns() {
    let mut sim = crowd(Settings::default());
    let interval = sim.settings().breeding_interval_steps;
    sim.nudge(interval);
    let births = sim.breeding_stats().births;
    assert!(births > 0, "the pass produced offspring");

    for n in 1..=births {
        let child_id = format!("offspring~{n}");
        let child = sim.agent(&child_id).unwrap();
        assert_eq!(child.parents.len(), 2, "{child_id} has two parents");
        for parent_id in &child.parents {
            let parent = sim.agent(parent_id).unwrap();
            assert_eq!(parent.children, vec![child_id.clone()], "{parent_id} lists its one child");
            assert_eq!(parent.offspring_count, 1, "{parent_id} offspring count");
            assert!(parent.breeding_cooldown_years > 0.0, "{parent_id} is cooling down");
            assert!(!parent.can_breed, "{parent_id} cannot breed during its cooldown");
        }
    }
}

#[test]
fn later_pass_counts_only_its_pairs() {
    let mut sim = crowd(no_cooldown());
    let interval = sim.settings().breeding_interval_steps;
    sim.nudge(interval);
    let first_pairs = sim.breeding_stats().last_pass_pairs;

    sim.nudge(interval);
    let stats = sim.breeding_stats();
    assert_eq!(stats.last_pass_tick, Some(2 * u64::from(interval)), "tick of the second pass");
    assert_eq!(stats.births, (first_pairs + stats.last_pass_pairs) as u64, "births over both passes");
}

#[test]
fn generated_ids_are_sequential() {
    let mut sim = crowd(no_cooldown());
    let interval = sim.settings().breeding_interval_steps;
    sim.nudge(interval);

    let births = sim.breeding_stats().births;
    assert!(births > 0, "the pass produced offspring");
    for n in 1..=births {
        let id = format!("offspring~{n}");
        let child = sim.agent(&id).unwrap_or_else(|error| panic!("{id} not found: {error}"));
        assert_eq!(child.parents.len(), 2, "parents of {id}");
        assert_eq!(child.summary.generation, 2, "generation of {id}");
    }
    let next = format!("offspring~{}", births + 1);
    assert!(sim.agent(&next).is_err(), "{next} does not exist yet");
}

#[test]
fn disabled_breeding_has_no_pass() {
    let mut sim = crowd(Settings::default());
    sim.set_breeding(false);
    let interval = sim.settings().breeding_interval_steps;
    sim.nudge(3 * interval);

    let stats = sim.breeding_stats();
    assert_eq!(stats.births, 0, "births");
    assert_eq!(stats.last_pass_tick, None, "last pass tick");
    assert!(!stats.enabled, "enabled flag");
}

#[test]
fn incompatible_adults_never_pair() {
    let mut sim = world(Settings::default());
    found_uniform(&mut sim, "zero", 20.0, 0.0);
    found_uniform(&mut sim, "one", 20.0, 1.0);
    let interval = sim.settings().breeding_interval_steps;
    sim.nudge(interval);

    let stats = sim.breeding_stats();
    assert_eq!(stats.last_pass_tick, Some(u64::from(interval)), "the pass ran");
    assert_eq!(stats.births, 0, "births");
}

#[test]
fn young_agents_never_pair() {
    let mut sim = world(Settings::default());
    found(&mut sim, "kit-1", 1.0);
    found(&mut sim, "kit-2", 1.0);
    let interval = sim.settings().breeding_interval_steps;
    sim.nudge(interval);
    assert_eq!(sim.breeding_stats().births, 0);
}

#[test]
fn pass_never_pairs_kin() {
    // Identical traits make every pair perfectly compatible, so only the
    // kinship limit keeps parents from their grown children.
    let settings = Settings {
        steps_per_year: 4,
        breeding_interval_steps: 4,
        breeding_cooldown_steps: 0,
        mutation_stddev: 0.0,
        max_agents: 80,
        ..Settings::default()
    };
    let mut sim = world(settings);
    for n in 0..4 {
        found_uniform(&mut sim, &format!("founder-{n}"), 20.0, 0.5);
    }
    sim.nudge(60 * 4);

    let limit = sim.settings().kinship_limit;
    let births = sim.breeding_stats().births;
    assert!(births > 4, "several generations were born: {births}");
    for n in 1..=births {
        let id = format!("offspring~{n}");
        let child = sim.agent(&id).unwrap();
        assert!(child.inbreeding_coefficient < limit, "{id} has inbreeding {}", child.inbreeding_coefficient);
    }
}
