//! Helpers shared by the integration tests: worlds stepped by hand, founders
//! and breeding requests.

// Each test binary compiles this module and uses only part of it.
#![allow(dead_code)]

use reynard_systems::simulation::ClockConfig;
use reynard_systems::views::AgentDetail;
use reynard_systems::{NewAgent, OffspringRequest, Settings, SimError, Simulation, TraitName};

/// Seed of every world that does not test seeding itself.
pub const SEED: u64 = 7;

/// Settings with automatic breeding off, so only the test's own commands breed.
pub fn quiet_settings() -> Settings {
    Settings { breeding_enabled: false, ..Settings::default() }
}

/// Settings for building pedigrees quickly: 4 steps per year, no cooldown,
/// no kinship limit and no automatic breeding. A newborn is adult after
/// [`steps_to_adulthood`] steps.
pub fn pedigree_settings() -> Settings {
    Settings {
        steps_per_year: 4,
        breeding_cooldown_steps: 0,
        kinship_limit: 1.0,
        breeding_enabled: false,
        ..Settings::default()
    }
}

/// Builds a world with the default clock. Tests drive it with `step` and
/// `nudge` only, so the clock settings do not matter.
pub fn world(settings: Settings) -> Simulation {
    Simulation::new(settings, ClockConfig::default(), SEED).expect("settings and clock are valid")
}

/// Steps from birth until a newborn becomes an adult at 18 years.
pub fn steps_to_adulthood(sim: &Simulation) -> u32 {
    18 * sim.settings().steps_per_year
}

/// Creates a founder `agent_id` aged `age_years`, with drawn traits.
pub fn found(sim: &mut Simulation, agent_id: &str, age_years: f64) -> AgentDetail {
    let request = NewAgent { agent_id: agent_id.to_owned(), age_years: Some(age_years), ..NewAgent::default() };
    sim.create_agent(request).unwrap_or_else(|error| panic!("creating {agent_id} failed: {error}"))
}

/// Creates a founder `agent_id` aged `age_years` whose every trait is `value`.
pub fn found_uniform(sim: &mut Simulation, agent_id: &str, age_years: f64, value: f64) -> AgentDetail {
    let traits = TraitName::ALL.iter().map(|name| (*name, value)).collect();
    let request = NewAgent {
        agent_id: agent_id.to_owned(),
        age_years: Some(age_years),
        traits,
        ..NewAgent::default()
    };
    sim.create_agent(request).unwrap_or_else(|error| panic!("creating {agent_id} failed: {error}"))
}

/// Builds a request to breed `parent1` and `parent2` into `offspring`.
pub fn request(parent1: &str, parent2: &str, offspring: &str) -> OffspringRequest {
    OffspringRequest {
        parent1_id: parent1.to_owned(),
        parent2_id: parent2.to_owned(),
        offspring_id: offspring.to_owned(),
        name: None,
        created_by: None,
    }
}

/// Breeds `parent1` and `parent2` into `offspring`.
pub fn breed(sim: &mut Simulation, parent1: &str, parent2: &str, offspring: &str) -> Result<AgentDetail, SimError> {
    sim.breed(request(parent1, parent2, offspring))
}

/// Breeds `parent1` and `parent2` into `offspring`, panicking if the world rejects it.
pub fn breed_ok(sim: &mut Simulation, parent1: &str, parent2: &str, offspring: &str) -> AgentDetail {
    breed(sim, parent1, parent2, offspring)
        .unwrap_or_else(|error| panic!("breeding {parent1} and {parent2} into {offspring} failed: {error}"))
}

/// Returns the reasons of a [`SimError::BreedingRejected`], panicking on any other result.
pub fn rejection_reasons(result: Result<AgentDetail, SimError>) -> Vec<String> {
    match result {
        Err(SimError::BreedingRejected { reasons }) => reasons,
        Err(other) => panic!("expected BreedingRejected, got {other:?}"),
        Ok(child) => panic!("expected BreedingRejected, got a birth of {}", child.summary.agent_id),
    }
}

/// Checks whether any of `reasons` contains `fragment`.
pub fn mentions(reasons: &[String], fragment: &str) -> bool {
    reasons.iter().any(|reason| reason.contains(fragment))
}
