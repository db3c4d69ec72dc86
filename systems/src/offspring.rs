//! Offspring: the pairing checks for manual breeding and the birth itself,
//! shared with the automatic breeding pass.

use bevy_ecs::prelude::*;

pub use crate::birth::Offspring;
use crate::birth::{ParentFacts, settle_parent, with_births};
use crate::compatibility::{Candidate, pair_blockers};
use crate::error::SimError;
use crate::identity::{self, Identity};
use crate::lifecycle::{Deceased, LifeStage};
use crate::lineage::{KinshipCalculator, Lineage};
use crate::registry::AgentIndex;
use crate::reproduction::Reproduction;
use crate::settings::Settings;

/// A client's request to breed two agents.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct OffspringRequest {
    pub parent1_id: String,
    pub parent2_id: String,
    pub offspring_id: String,
    /// Display name; generated from the inherited spirit and style when absent.
    pub name: Option<String>,
    /// Username of the requesting account, recorded on the offspring.
    pub created_by: Option<String>,
}

/// Breeds two agents on a client's request. Every failed rule is reported at
/// once; on error the world is unchanged. Returns the offspring's entity.
pub fn breed(world: &mut World, request: OffspringRequest) -> Result<Entity, SimError> {
    for (field, id) in [("parent1_id", &request.parent1_id), ("parent2_id", &request.parent2_id)] {
        identity::check_lookup_id(id).map_err(|rule| SimError::invalid(field, rule))?;
    }
    identity::check_client_id(&request.offspring_id).map_err(|rule| SimError::invalid("offspring_id", rule))?;
    if let Some(name) = &request.name {
        identity::check_name(name).map_err(|rule| SimError::invalid("name", rule))?;
    }

    let index = world.resource::<AgentIndex>();
    let mut serials = [0; 2];
    for (slot, id) in [&request.parent1_id, &request.parent2_id].into_iter().enumerate() {
        serials[slot] = index.serial(id).ok_or_else(|| SimError::NotFound { agent_id: id.clone() })?;
    }
    if index.serial(&request.offspring_id).is_some() {
        return Err(SimError::IdTaken { agent_id: request.offspring_id });
    }

    let settings = world.resource::<Settings>();
    let kinship = KinshipCalculator::new(index.pedigree()).kinship(serials[0], serials[1]);
    let first = candidate(world, index.entity(serials[0]));
    let second = candidate(world, index.entity(serials[1]));
    let mut reasons = pair_blockers(&first, &second, kinship, settings);
    if index.living >= settings.max_agents {
        reasons.push(format!("the living population is at its cap of {} agents", settings.max_agents));
    }
    if !reasons.is_empty() {
        return Err(SimError::BreedingRejected { reasons });
    }

    let offspring = Offspring { id: request.offspring_id, name: request.name, created_by: request.created_by };
    Ok(give_birth(world, serials, kinship, offspring))
}

/// Collects the pairing facts about the agent `entity`.
///
/// # Panics
/// Panics if `entity` is not an agent.
pub fn candidate(world: &World, entity: Entity) -> Candidate<'_> {
    let agent = world.entity(entity);
    Candidate {
        agent_id: &agent.get::<Identity>().expect("agent has an identity").agent_id,
        alive: !agent.contains::<Deceased>(),
        stage: *agent.get::<LifeStage>().expect("agent has a life stage"),
        reproduction: *agent.get::<Reproduction>().expect("agent has reproduction state"),
    }
}

/// Spawns the child of the agents with serials `parents`, whose kinship is
/// `kinship`, and updates both parents. The caller has checked every rule.
pub fn give_birth(world: &mut World, parents: [u32; 2], kinship: f64, offspring: Offspring) -> Entity {
    let facts = parents.map(|serial| {
        let entity = world.resource::<AgentIndex>().entity(serial);
        ParentFacts::read(world, entity)
    });
    let child = with_births(world, |world, births| {
        let conceived = births.conceive([&facts[0], &facts[1]], kinship, offspring);
        births.deliver_all(world, vec![conceived])[0]
    });
    let serial = world.get::<Identity>(child).expect("just born").serial;
    let cooldown = world.resource::<Settings>().breeding_cooldown_steps;
    for parent in parents {
        let entity = world.resource::<AgentIndex>().entity(parent);
        let (mut reproduction, mut lineage) = world
            .entity_mut(entity)
            .into_components_mut::<(&mut Reproduction, &mut Lineage)>()
            .expect("a parent has reproduction state and lineage");
        settle_parent(&mut reproduction, &mut lineage, serial, cooldown);
    }
    child
}
