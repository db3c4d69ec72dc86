//! Mate search: eligible partners at or above the compatibility threshold,
//! most compatible first, up to `max_results`.

mod common;

use common::{breed_ok, found_uniform, world};
use reynard_systems::views::MateView;
use reynard_systems::{Settings, SimError, Simulation};

/// Builds a world of candidate mates around `me`. Every trait of `me` is 0.5,
/// so an agent whose traits are all `0.5 + d` has compatibility `1 - |d|` with it.
///
/// - `partner` (1.0) had the child `kin` with `me`; `kin` is an adult with
///   traits 0.5 because mutation is off, but is too closely related.
/// - `close` (0.95), `mid` (0.9) and `far` (0.7) are eligible.
/// - `too-far` (0.55) is below the threshold of 0.6.
/// - `juvenile`, `elder` and `dead` have traits 0.5 but are not adults or not alive.
fn mate_market() -> Simulation {
    let settings = Settings {
        steps_per_year: 4,
        breeding_cooldown_steps: 0,
        mutation_stddev: 0.0,
        breeding_enabled: false,
        ..Settings::default()
    };
    let mut sim = world(settings);
    found_uniform(&mut sim, "me", 20.0, 0.5);
    found_uniform(&mut sim, "partner", 20.0, 0.5);
    breed_ok(&mut sim, "me", "partner", "kin");
    sim.nudge(18 * 4);

    found_uniform(&mut sim, "far", 30.0, 0.8);
    found_uniform(&mut sim, "close", 30.0, 0.55);
    found_uniform(&mut sim, "too-far", 30.0, 0.95);
    found_uniform(&mut sim, "mid", 30.0, 0.4);
    found_uniform(&mut sim, "juvenile", 10.0, 0.5);
    found_uniform(&mut sim, "elder", 85.0, 0.5);
    found_uniform(&mut sim, "dead", 99.75, 0.5);
    sim.step();
    assert!(!sim.agent("dead").unwrap().summary.active, "dead has died");
    sim
}

fn ids(mates: &[MateView]) -> Vec<&str> {
    mates.iter().map(|mate| mate.agent_id.as_str()).collect()
}

#[test]
fn mates_sorted_by_compatibility() {
    let mut sim = mate_market();
    let mates = sim.mates("me", 20).unwrap();
    assert_eq!(ids(&mates), ["partner", "close", "mid", "far"]);
}

#[test]
fn mate_scores_descend() {
    let mut sim = mate_market();
    let mates = sim.mates("me", 20).unwrap();
    for pair in mates.windows(2) {
        assert!(pair[0].compatibility >= pair[1].compatibility, "{} before {}", pair[0].agent_id, pair[1].agent_id);
    }
}

#[test]
fn mates_meet_threshold() {
    let mut sim = mate_market();
    let threshold = sim.settings().compatibility_threshold;
    for mate in sim.mates("me", 20).unwrap() {
        assert!(mate.compatibility >= threshold, "{} has compatibility {}", mate.agent_id, mate.compatibility);
    }
}

#[test]
fn mate_score_matches_compatibility() {
    let mut sim = mate_market();
    let mates = sim.mates("me", 20).unwrap();
    let close = mates.iter().find(|mate| mate.agent_id == "close").expect("close is a mate");
    assert_eq!(close.compatibility, sim.compatibility("me", "close").unwrap().compatibility, "same score in both views");
    assert!((close.compatibility - 0.95).abs() < 1e-6, "compatibility of close: {}", close.compatibility);
}

#[test]
fn mates_exclude_ineligible() {
    let mut sim = mate_market();
    let mates = sim.mates("me", 20).unwrap();
    let found = ids(&mates);
    for excluded in ["me", "kin", "too-far", "juvenile", "elder", "dead"] {
        assert!(!found.contains(&excluded), "{excluded} is listed as a mate: {found:?}");
    }
}

#[test]
fn mates_respect_max_results() {
    let mut sim = mate_market();
    assert_eq!(ids(&sim.mates("me", 2).unwrap()), ["partner", "close"], "two results");
    assert!(sim.mates("me", 0).unwrap().is_empty(), "zero results");
}

#[test]
fn ineligible_agent_has_no_mates() {
    let mut sim = mate_market();
    assert!(sim.mates("juvenile", 20).unwrap().is_empty());
}

#[test]
fn mates_of_missing_agent() {
    let mut sim = mate_market();
    assert_eq!(sim.mates("ghost", 5), Err(SimError::NotFound { agent_id: "ghost".to_owned() }));
}
