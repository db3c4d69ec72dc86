//! Life stages change at exact step boundaries: infant below 5 years, juvenile
//! below 18, adult below 80, elder below 100, and death at 100.

mod common;

use common::{found, quiet_settings, world};
use reynard_systems::{LifeStage, Simulation};

/// Steps per year in these tests, the default.
const STEPS_PER_YEAR: u32 = 52;

/// Creates `agent_id` aged `steps_short` steps less than `boundary_years`.
fn found_before(sim: &mut Simulation, agent_id: &str, boundary_years: u32, steps_short: u32) {
    let steps = boundary_years * STEPS_PER_YEAR - steps_short;
    found(sim, agent_id, f64::from(steps) / f64::from(STEPS_PER_YEAR));
}

fn stage(sim: &Simulation, agent_id: &str) -> LifeStage {
    sim.agent(agent_id).expect("agent exists").summary.stage
}

/// Steps an agent from two steps below `boundary_years` to one step past it
/// and checks its stage at each step.
fn assert_stage_change(boundary_years: u32, before: LifeStage, after: LifeStage) {
    let mut sim = world(quiet_settings());
    found_before(&mut sim, "kit", boundary_years, 2);
    assert_eq!(stage(&sim, "kit"), before, "two steps before {boundary_years} years");

    sim.step();
    assert_eq!(stage(&sim, "kit"), before, "one step before {boundary_years} years");

    sim.step();
    assert_eq!(sim.agent("kit").unwrap().summary.age, f64::from(boundary_years), "age at the boundary");
    assert_eq!(stage(&sim, "kit"), after, "at {boundary_years} years");

    sim.step();
    assert_eq!(stage(&sim, "kit"), after, "one step after {boundary_years} years");
}

#[test]
fn infant_becomes_juvenile_at_five() {
    assert_stage_change(5, LifeStage::Infant, LifeStage::Juvenile);
}

#[test]
fn juvenile_becomes_adult_at_eighteen() {
    assert_stage_change(18, LifeStage::Juvenile, LifeStage::Adult);
}

#[test]
fn adult_becomes_elder_at_eighty() {
    assert_stage_change(80, LifeStage::Adult, LifeStage::Elder);
}

#[test]
fn elder_dies_at_one_hundred() {
    let mut sim = world(quiet_settings());
    found_before(&mut sim, "old", 100, 2);

    sim.step();
    let before = sim.agent("old").unwrap();
    assert!(before.summary.active, "alive one step before 100 years");
    assert_eq!(before.summary.stage, LifeStage::Elder, "elder one step before 100 years");

    sim.step();
    let after = sim.agent("old").unwrap();
    assert!(!after.summary.active, "dead at 100 years");
    assert_eq!(after.summary.age, 100.0, "age at death");
}

#[test]
fn newborn_founder_is_infant() {
    let mut sim = world(quiet_settings());
    let kit = found(&mut sim, "kit", 0.0);
    assert_eq!(kit.summary.stage, LifeStage::Infant);
}

#[test]
fn founder_stage_matches_given_age() {
    let mut sim = world(quiet_settings());
    let cases = [(4.9, LifeStage::Infant), (5.0, LifeStage::Juvenile), (18.0, LifeStage::Adult), (80.0, LifeStage::Elder)];
    for (index, (age_years, expected)) in cases.into_iter().enumerate() {
        let agent = found(&mut sim, &format!("agent-{index}"), age_years);
        assert_eq!(agent.summary.stage, expected, "founder aged {age_years} years");
    }
}

#[test]
fn mature_count_follows_stages() {
    let mut sim = world(quiet_settings());
    found_before(&mut sim, "young", 18, 1);
    found_before(&mut sim, "old", 80, 1);
    assert_eq!(sim.status().mature_agents, 1, "only the adult is mature before the step");

    sim.step();
    assert_eq!(sim.status().mature_agents, 2, "a new adult and a new elder are both mature");
}
