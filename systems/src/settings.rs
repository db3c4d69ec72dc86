//! Rules of the simulation that the server configures at startup.

use bevy_ecs::resource::Resource;
use serde::{Deserialize, Serialize};

/// The rules the systems follow. Durations are whole fixed steps so that long
/// runs never accumulate rounding drift; [`Settings::steps_for_years`] converts.
#[derive(Resource, Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Fixed steps in one simulated year; ages and cooldowns count in these steps.
    pub steps_per_year: u32,
    /// Upper bound on living agents; creation and breeding stop at it.
    pub max_agents: usize,
    /// Steps both parents wait after a birth before they may breed again.
    pub breeding_cooldown_steps: u32,
    /// Most offspring one agent may have over its life.
    pub max_offspring: u32,
    /// Pairs whose coefficient of kinship is at or above this never breed.
    pub kinship_limit: f64,
    /// Lowest compatibility at which mate search and automatic pairing accept a partner.
    pub compatibility_threshold: f64,
    /// Steps between two automatic breeding passes.
    pub breeding_interval_steps: u32,
    /// Standard deviation of the normal mutation added to each inherited trait.
    pub mutation_stddev: f64,
    /// Whether the automatic breeding pass runs.
    pub breeding_enabled: bool,
}

impl Default for Settings {
    fn default() -> Self {
        let steps_per_year = 52;
        Settings {
            steps_per_year,
            max_agents: 10_000,
            breeding_cooldown_steps: steps_per_year,
            max_offspring: 5,
            kinship_limit: 0.125,
            compatibility_threshold: 0.6,
            breeding_interval_steps: steps_per_year,
            mutation_stddev: 0.05,
            breeding_enabled: true,
        }
    }
}

impl Settings {
    /// Converts simulated years to whole steps, rounding to the nearest step.
    pub fn steps_for_years(&self, years: f64) -> u64 {
        (years * f64::from(self.steps_per_year)).round().max(0.0) as u64
    }

    /// Converts a step count to simulated years.
    pub fn years_for_steps(&self, steps: u64) -> f64 {
        steps as f64 / f64::from(self.steps_per_year)
    }
}
