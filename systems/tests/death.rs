//! Death at 100 years: a dead agent stays in the world and in its family's
//! lineage, leaves the living counts and never breeds again.

mod common;

use common::{breed, breed_ok, found, mentions, quiet_settings, rejection_reasons, world};
use reynard_systems::{AgentFilter, LifeStage, Simulation};

/// Age of both parents when their child is born.
const PARENT_AGE_YEARS: u32 = 79;

/// Steps until the parents reach 100 years, with the default 52 steps per year.
const STEPS_TO_DEATH: u32 = (100 - PARENT_AGE_YEARS) * 52;

/// Builds a world with two old parents and their child `kit`, born at tick 0.
fn family() -> Simulation {
    let mut sim = world(quiet_settings());
    found(&mut sim, "old-a", f64::from(PARENT_AGE_YEARS));
    found(&mut sim, "old-b", f64::from(PARENT_AGE_YEARS));
    breed_ok(&mut sim, "old-a", "old-b", "kit");
    sim
}

/// Builds the family and runs it until both parents have died, when `kit` is 21 years old.
fn orphaned_family() -> Simulation {
    let mut sim = family();
    sim.nudge(STEPS_TO_DEATH);
    sim
}

#[test]
fn parent_dies_at_one_hundred() {
    let mut sim = family();
    sim.nudge(STEPS_TO_DEATH - 1);
    assert!(sim.agent("old-a").unwrap().summary.active, "alive one step before 100 years");

    sim.step();
    let parent = sim.agent("old-a").unwrap();
    assert!(!parent.summary.active, "dead at 100 years");
    assert_eq!(parent.died_at_year, Some(f64::from(STEPS_TO_DEATH) / 52.0), "year of death");
}

#[test]
fn death_updates_population_counts() {
    let mut sim = family();
    sim.nudge(STEPS_TO_DEATH - 1);
    let before = sim.status();

    sim.step();
    let after = sim.status();
    assert_eq!(before.agent_count, 3, "living before");
    assert_eq!(after.agent_count, 1, "living after");
    assert_eq!(before.deceased_count, 0, "deceased before");
    assert_eq!(after.deceased_count, 2, "deceased after");
    assert_eq!(after.mature_agents, 1, "only the adult child is mature");
    assert_eq!(after.entity_count, 3, "dead agents stay in the world");
    assert_eq!(sim.breeding_stats().deaths, 2, "deaths in breeding stats");
}

#[test]
fn dead_agent_stays_listed() {
    let sim = orphaned_family();

    let all = sim.agents(AgentFilter::default(), None, 10).unwrap();
    let all_ids: Vec<&str> = all.agents.iter().map(|agent| agent.agent_id.as_str()).collect();
    assert_eq!(all_ids, ["old-a", "old-b", "kit"], "everyone is listed");

    let dead = sim.agents(AgentFilter { alive: Some(false), ..AgentFilter::default() }, None, 10).unwrap();
    let dead_ids: Vec<&str> = dead.agents.iter().map(|agent| agent.agent_id.as_str()).collect();
    assert_eq!(dead_ids, ["old-a", "old-b"], "the dead are listed when filtering on alive=false");
}

#[test]
fn dead_agent_stops_aging() {
    let mut sim = orphaned_family();
    sim.nudge(10);
    let parent = sim.agent("old-a").unwrap();
    assert_eq!(parent.summary.age, 100.0, "age stays at 100 years");
    assert_eq!(parent.summary.stage, LifeStage::Elder, "stage stays elder");
}

#[test]
fn dead_agent_never_breeds() {
    let mut sim = orphaned_family();
    found(&mut sim, "young", 30.0);
    let digest = sim.digest();

    let reasons = rejection_reasons(breed(&mut sim, "young", "old-a", "late-kit"));
    assert!(mentions(&reasons, "old-a is deceased"), "reasons: {reasons:?}");
    assert_eq!(sim.digest(), digest, "a rejected breeding changes nothing");
    assert!(!sim.agent("old-a").unwrap().can_breed, "can_breed of the dead");
    assert!(!sim.compatibility("young", "old-a").unwrap().eligible, "pair with the dead is ineligible");
    assert!(sim.mates("old-a", 10).unwrap().is_empty(), "the dead have no mates");
}

#[test]
fn dead_parent_skipped_by_breeding_pass() {
    let mut sim = orphaned_family();
    found(&mut sim, "young", 30.0);
    sim.set_breeding(true);
    sim.nudge(2 * 52);

    for parent in ["old-a", "old-b"] {
        assert_eq!(sim.agent(parent).unwrap().offspring_count, 1, "offspring of {parent}");
    }
    assert!(sim.breeding_stats().last_pass_tick.is_some(), "the pass ran");
}

#[test]
fn orphan_lineage_still_resolves() {
    let sim = orphaned_family();

    let lineage = sim.lineage("kit", 2).unwrap();
    let parents: Vec<&str> = lineage.parents.iter().map(|parent| parent.agent_id.as_str()).collect();
    assert_eq!(parents, ["old-a", "old-b"], "lineage parents");

    let detail = sim.agent("kit").unwrap();
    assert_eq!(detail.parents, ["old-a", "old-b"], "detail parents");

    let parent_lineage = sim.lineage("old-a", 1).unwrap();
    let children: Vec<&str> = parent_lineage.children.iter().map(|child| child.agent_id.as_str()).collect();
    assert_eq!(children, ["kit"], "children of the dead parent");
}
