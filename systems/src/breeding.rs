//! The automatic breeding pass and its statistics.
//!
//! Pairing rule: the eligible adults are sorted by the sum of their
//! personality traits (ties by serial). Walking that order, each agent not yet
//! paired takes the most compatible of the next [`PAIRING_WINDOW`] unpaired
//! agents that meets the compatibility threshold and the kinship limit. Agents
//! with close sums tend to have close traits, so the window finds good partners
//! while the pass stays O(n log n) for the sort plus O(n) pair checks.

use bevy_ecs::prelude::*;

use crate::birth::{Offspring, ParentFacts, settle_parent, with_births};
use crate::clock::SimClock;
use crate::compatibility::compatibility;
use crate::identity::{GENERATED_ID_MARK, Identity};
use crate::lifecycle::{Deceased, LifeStage};
use crate::lineage::{KinshipCalculator, Lineage};
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

/// The agents that may breed in this pass.
struct Eligible {
    /// Facts of each agent, in the order the world's tables list them.
    facts: Vec<ParentFacts>,
    /// Positions in `facts` in pairing order: by the sum of personality
    /// traits, ties by serial. The sort moves 12-byte keys instead of the
    /// facts, which take about 200 bytes per agent.
    order: Vec<u32>,
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
///
/// The pass reads every eligible agent once into a compact array and
/// conceives all children from that array. It then spawns them in one batch
/// and updates the parents in one sweep, so no step jumps between distant
/// rows of the world for each birth.
pub fn run_pass(world: &mut World) {
    let settings = world.resource::<Settings>().clone();
    let tick = world.resource::<SimClock>().tick;

    let eligible = collect_eligible(world, &settings);
    let pairs = pair_up(&eligible, world.resource::<AgentIndex>().pedigree(), &settings);

    let born = with_births(world, |world, births| {
        let room = settings.max_agents.saturating_sub(births.index.living);
        if pairs.len() > room {
            tracing::debug!(tick, max_agents = settings.max_agents, "breeding pass stopped at the population cap");
        }
        let pairs = &pairs[..pairs.len().min(room)];
        births.index.reserve(pairs.len());
        let first_child = births.index.next_serial();
        let conceived: Vec<_> = pairs
            .iter()
            .map(|&(first, second, kinship)| {
                let id = next_generated_id(births.index);
                let parents = [&eligible.facts[first], &eligible.facts[second]];
                births.conceive(parents, kinship, Offspring { id, name: None, created_by: None })
            })
            .collect();
        let children = births.deliver_all(world, conceived).len();
        let serials = births.index.len();
        settle_parents(world, serials, &eligible, pairs, first_child, settings.breeding_cooldown_steps);
        children
    });

    let mut stats = world.resource_mut::<BreedingStats>();
    stats.last_pass_tick = Some(tick);
    stats.last_pass_pairs = born;
    stats.passes += 1;
}

fn collect_eligible(world: &mut World, settings: &Settings) -> Eligible {
    let mut query =
        world.query_filtered::<(&Identity, &Traits, &LifeStage, &Reproduction, &Lineage), Without<Deceased>>();
    let may_breed = |stage: &LifeStage, reproduction: &Reproduction| {
        *stage == LifeStage::Adult
            && reproduction.cooldown_steps == 0
            && reproduction.offspring < settings.max_offspring
    };
    let living = world.resource::<AgentIndex>().living;
    let mut order = Vec::with_capacity(living);
    let mut found = Vec::with_capacity(living);
    for (identity, traits, stage, reproduction, lineage) in query.iter(world) {
        if may_breed(stage, reproduction) {
            let key: f32 = traits.personality().iter().sum();
            order.push((key, identity.serial, found.len() as u32));
            found.push(ParentFacts {
                serial: identity.serial,
                traits: traits.clone(),
                spirit: identity.spirit,
                style: identity.style,
                generation: lineage.generation,
            });
        }
    }
    // Serials are unique, so an unstable sort gives the one possible order.
    order.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    Eligible { facts: found, order: order.into_iter().map(|(_, _, slot)| slot).collect() }
}

/// Chooses pairs from `eligible`, walking its pairing order. Returns
/// (position, position, kinship) triples, positions in `eligible.facts`.
/// The `paired` flags keep each agent to one pair.
fn pair_up(eligible: &Eligible, pedigree: &[Option<[u32; 2]>], settings: &Settings) -> Vec<(usize, usize, f64)> {
    let order = &eligible.order;
    let fact = |rank: usize| &eligible.facts[order[rank] as usize];
    let mut kinship = KinshipCalculator::new(pedigree);
    let mut paired = vec![false; order.len()];
    let mut pairs = Vec::new();

    for i in 0..order.len() {
        if paired[i] {
            continue;
        }
        let mut best: Option<(usize, f64, f64)> = None;
        let window = (i + 1..order.len()).filter(|j| !paired[*j]).take(PAIRING_WINDOW);
        for j in window {
            let score = compatibility(&fact(i).traits, &fact(j).traits);
            if score < settings.compatibility_threshold || best.is_some_and(|(_, top, _)| score <= top) {
                continue;
            }
            let relatedness = kinship.kinship(fact(i).serial, fact(j).serial);
            if relatedness < settings.kinship_limit {
                best = Some((j, score, relatedness));
            }
        }
        if let Some((j, _, relatedness)) = best {
            paired[i] = true;
            paired[j] = true;
            pairs.push((order[i] as usize, order[j] as usize, relatedness));
        }
    }
    pairs
}

/// Gives every parent of this pass its child and cooldown in one sweep over
/// the living agents, of which `serials` have ever existed. The child of
/// `pairs[k]` has serial `first_child + k`. Each agent is in at most one
/// pair, so it gets at most one child.
fn settle_parents(
    world: &mut World,
    serials: usize,
    eligible: &Eligible,
    pairs: &[(usize, usize, f64)],
    first_child: u32,
    cooldown: u32,
) {
    let mut child_of = vec![u32::MAX; serials];
    for (&(first, second, _), child) in pairs.iter().zip(first_child..) {
        child_of[eligible.facts[first].serial as usize] = child;
        child_of[eligible.facts[second].serial as usize] = child;
    }
    let mut parents = world.query_filtered::<(&Identity, &mut Reproduction, &mut Lineage), Without<Deceased>>();
    for (identity, mut reproduction, mut lineage) in parents.iter_mut(world) {
        let child = child_of[identity.serial as usize];
        if child != u32::MAX {
            settle_parent(&mut reproduction, &mut lineage, child, cooldown);
        }
    }
}

/// Returns the next id of the form `offspring~N` that no agent has. Client ids cannot
/// contain `~`, so only an earlier generated id could hold it.
fn next_generated_id(index: &mut AgentIndex) -> String {
    loop {
        index.next_generated_id += 1;
        let id = format!("{GENERATED_ID_PREFIX}{GENERATED_ID_MARK}{}", index.next_generated_id);
        if index.serial(&id).is_none() {
            return id;
        }
    }
}
