//! The automatic breeding pass and its statistics.
//!
//! Pairing rule: the eligible adults are sorted by the sum of their
//! personality traits (ties by serial). Walking that order, each agent not yet
//! paired takes the most compatible of the next [`PAIRING_WINDOW`] unpaired
//! agents that meets the compatibility threshold and the kinship limit. Agents
//! with close sums tend to have close traits, so the window finds good partners
//! while the pass stays O(n log n) for the sort plus O(n) pair checks.

use bevy_ecs::prelude::*;

use crate::clock::SimClock;
use crate::compatibility::compatibility;
use crate::identity::{Identity, GENERATED_ID_MARK};
use crate::lifecycle::{Deceased, LifeStage};
use crate::lineage::KinshipCalculator;
use crate::offspring::{give_birth, Offspring};
use crate::registry::AgentIndex;
use crate::reproduction::Reproduction;
use crate::settings::Settings;
use crate::traits::Traits;

/// How many unpaired agents ahead in sorted order each agent considers.
pub const PAIRING_WINDOW: usize = 8;

/// Prefix of ids the breeding pass generates: `offspring~1`, `offspring~2`, …
pub const GENERATED_ID_PREFIX: &str = "offspring";

/// Outcome of the automatic breeding passes, for the stats endpoint.
#[derive(Resource, Clone, Debug, Default, PartialEq)]
pub struct BreedingStats {
    /// Tick of the last pass that ran, if any.
    pub last_pass_tick: Option<u64>,
    /// Pairs that produced an offspring in the last pass.
    pub last_pass_pairs: usize,
    /// Passes run since the world began.
    pub passes: u64,
}

/// One agent that may breed in this pass.
struct Eligible {
    serial: u32,
    traits: Traits,
    key: f32,
}

/// Runs [`run_pass`] every `breeding_interval_steps` while breeding is enabled.
pub fn breeding_pass(world: &mut World) {
    let settings = world.resource::<Settings>();
    let tick = world.resource::<SimClock>().tick;
    if !settings.breeding_enabled || !tick.is_multiple_of(u64::from(settings.breeding_interval_steps.max(1))) {
        return;
    }
    run_pass(world);
}

/// Pairs eligible adults and gives each pair one offspring, whatever the tick
/// and the `breeding_enabled` setting. Stops at the population cap.
pub fn run_pass(world: &mut World) {
    let settings = world.resource::<Settings>().clone();
    let tick = world.resource::<SimClock>().tick;

    let mut eligible = collect_eligible(world, &settings);
    eligible.sort_by(|a, b| a.key.total_cmp(&b.key).then(a.serial.cmp(&b.serial)));
    let pairs = pair_up(&eligible, world.resource::<AgentIndex>().pedigree(), &settings);

    let mut born = 0;
    for (first, second, kinship) in pairs {
        if world.resource::<AgentIndex>().living >= settings.max_agents {
            tracing::debug!(tick, max_agents = settings.max_agents, "breeding pass stopped at the population cap");
            break;
        }
        let offspring_id = next_generated_id(world);
        give_birth(world, [first, second], kinship, Offspring { id: offspring_id, name: None, created_by: None });
        born += 1;
    }

    let mut stats = world.resource_mut::<BreedingStats>();
    stats.last_pass_tick = Some(tick);
    stats.last_pass_pairs = born;
    stats.passes += 1;
}

fn collect_eligible(world: &mut World, settings: &Settings) -> Vec<Eligible> {
    let mut query = world.query_filtered::<(&Identity, &Traits, &LifeStage, &Reproduction), Without<Deceased>>();
    query
        .iter(world)
        .filter(|(_, _, stage, reproduction)| {
            **stage == LifeStage::Adult
                && reproduction.cooldown_steps == 0
                && reproduction.offspring < settings.max_offspring
        })
        .map(|(identity, traits, _, _)| Eligible {
            serial: identity.serial,
            key: traits.personality().iter().sum(),
            traits: traits.clone(),
        })
        .collect()
}

/// Chooses pairs from `eligible`, which is sorted by key. Returns (serial,
/// serial, kinship) triples; each agent appears at most once.
fn pair_up(eligible: &[Eligible], pedigree: &[Option<[u32; 2]>], settings: &Settings) -> Vec<(u32, u32, f64)> {
    let mut kinship = KinshipCalculator::new(pedigree);
    let mut paired = vec![false; eligible.len()];
    let mut pairs = Vec::new();

    for i in 0..eligible.len() {
        if paired[i] {
            continue;
        }
        let mut best: Option<(usize, f64, f64)> = None;
        let window = (i + 1..eligible.len()).filter(|j| !paired[*j]).take(PAIRING_WINDOW);
        for j in window {
            let score = compatibility(&eligible[i].traits, &eligible[j].traits);
            if score < settings.compatibility_threshold || best.is_some_and(|(_, top, _)| score <= top) {
                continue;
            }
            let relatedness = kinship.kinship(eligible[i].serial, eligible[j].serial);
            if relatedness < settings.kinship_limit {
                best = Some((j, score, relatedness));
            }
        }
        if let Some((j, _, relatedness)) = best {
            paired[i] = true;
            paired[j] = true;
            pairs.push((eligible[i].serial, eligible[j].serial, relatedness));
        }
    }
    pairs
}

/// Returns the next id of the form `offspring~N` that no agent has. Client ids cannot
/// contain `~`, so only an earlier generated id could hold it.
fn next_generated_id(world: &mut World) -> String {
    let mut index = world.resource_mut::<AgentIndex>();
    loop {
        index.next_generated_id += 1;
        let id = format!("{GENERATED_ID_PREFIX}{GENERATED_ID_MARK}{}", index.next_generated_id);
        if index.serial(&id).is_none() {
            return id;
        }
    }
}
