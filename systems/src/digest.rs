//! The world digest: a SHA-256 over all agent state in id order, so two runs
//! can be compared for bit-identical results from outside.

use bevy_ecs::prelude::*;
use sha2::{Digest, Sha256};

use crate::clock::SimClock;
use crate::identity::Identity;
use crate::lifecycle::{Age, Deceased, LifeStage};
use crate::lineage::Lineage;
use crate::registry::AgentIndex;
use crate::reproduction::Reproduction;
use crate::rng::WorldRng;
use crate::traits::Traits;

/// Hashes the tick, the RNG position and every agent's state, agents sorted by
/// id. Floats enter as their bit patterns, so any difference shows.
pub fn digest(world: &World) -> String {
    let index = world.resource::<AgentIndex>();
    let mut agents: Vec<(&str, Entity)> = (0..index.len() as u32)
        .map(|serial| {
            let entity = index.entity(serial);
            let id = world.get::<Identity>(entity).expect("agent has an identity").agent_id.as_str();
            (id, entity)
        })
        .collect();
    agents.sort_unstable_by(|a, b| a.0.cmp(b.0));

    let mut hasher = Sha256::new();
    hasher.update(world.resource::<SimClock>().tick.to_le_bytes());
    hasher.update(world.resource::<WorldRng>().word_pos().to_le_bytes());
    for (_, entity) in agents {
        hash_agent(&mut hasher, world, index, entity);
    }
    hasher.finalize().iter().map(|byte| format!("{byte:02x}")).collect()
}

fn hash_agent(hasher: &mut Sha256, world: &World, index: &AgentIndex, entity: Entity) {
    let agent = world.entity(entity);
    let identity = agent.get::<Identity>().expect("agent has an identity");
    let field = |hasher: &mut Sha256, bytes: &[u8]| {
        hasher.update((bytes.len() as u64).to_le_bytes());
        hasher.update(bytes);
    };

    field(hasher, identity.agent_id.as_bytes());
    field(hasher, identity.name.as_bytes());
    field(hasher, identity.spirit.slug().as_bytes());
    field(hasher, identity.style.slug().as_bytes());
    field(hasher, identity.created_by.as_deref().unwrap_or("").as_bytes());
    hasher.update(identity.serial.to_le_bytes());
    for value in agent.get::<Traits>().expect("agent has traits").values {
        hasher.update(value.to_bits().to_le_bytes());
    }
    hasher.update(agent.get::<Age>().expect("agent has an age").steps.to_le_bytes());
    hasher.update([*agent.get::<LifeStage>().expect("agent has a stage") as u8]);
    let death = agent.get::<Deceased>().map_or(u64::MAX, |deceased| deceased.at_tick);
    hasher.update(death.to_le_bytes());
    let reproduction = agent.get::<Reproduction>().expect("agent has reproduction state");
    hasher.update(reproduction.cooldown_steps.to_le_bytes());
    hasher.update(reproduction.offspring.to_le_bytes());
    let lineage = agent.get::<Lineage>().expect("agent has lineage");
    hasher.update(lineage.generation.to_le_bytes());
    hasher.update(lineage.inbreeding.to_bits().to_le_bytes());
    for parent in index.parents(identity.serial).into_iter().flatten() {
        hasher.update(parent.to_le_bytes());
    }
    for child in &lineage.children {
        hasher.update(child.to_le_bytes());
    }
}
