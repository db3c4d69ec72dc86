//! Offspring: the pairing checks for manual breeding and the birth itself,
//! shared with the automatic breeding pass.

use bevy_ecs::prelude::*;

use crate::compatibility::{pair_blockers, Candidate};
use crate::error::SimError;
use crate::identity::{self, Identity};
use crate::lifecycle::{Age, Deceased, LifeStage};
use crate::lineage::{KinshipCalculator, Lineage};
use crate::names;
use crate::registry::AgentIndex;
use crate::reproduction::Reproduction;
use crate::rng::WorldRng;
use crate::settings::Settings;
use crate::traits::{TraitName, Traits, TRAIT_COUNT};

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

/// Who the child is, as far as the caller decides it.
pub struct Offspring {
    pub id: String,
    /// Display name; generated when absent.
    pub name: Option<String>,
    /// Username of the requesting account; `None` for automatic births.
    pub created_by: Option<String>,
}

/// Spawns the child of the agents with serials `parents`, whose kinship is
/// `kinship`, and updates both parents. The caller has checked every rule.
/// RNG draws happen in a fixed order: traits by index, spirit, style, then name.
pub fn give_birth(
    world: &mut World,
    parents: [u32; 2],
    kinship: f64,
    offspring: Offspring,
) -> Entity {
    let Offspring { id: offspring_id, name, created_by } = offspring;
    let index = world.resource::<AgentIndex>();
    let entities = parents.map(|serial| index.entity(serial));
    let parent_traits = entities.map(|entity| world.get::<Traits>(entity).expect("parent has traits").clone());
    let parent_identity = entities.map(|entity| world.get::<Identity>(entity).expect("parent has identity").clone());
    let generation = entities
        .map(|entity| world.get::<Lineage>(entity).expect("parent has lineage").generation)
        .into_iter()
        .max()
        .unwrap_or(0)
        + 1;
    let settings = world.resource::<Settings>().clone();

    let (traits, spirit, style, name) = world.resource_scope(|world, mut rng: Mut<WorldRng>| {
        let traits = inherit_traits(&mut rng, &parent_traits, settings.mutation_stddev);
        let spirit = parent_identity[rng.index(2)].spirit;
        let style = parent_identity[rng.index(2)].style;
        let name = name.unwrap_or_else(|| {
            let index = world.resource::<AgentIndex>();
            names::generate_unique(&mut rng, spirit, style, |name| index.name_is_living(name))
        });
        (traits, spirit, style, name)
    });

    let serial = world.resource::<AgentIndex>().next_serial();
    let entity = world
        .spawn((
            Identity { agent_id: offspring_id, name, spirit, style, created_by, serial },
            traits,
            Age { steps: 0 },
            LifeStage::Infant,
            Reproduction::default(),
            Lineage { generation, children: Vec::new(), inbreeding: kinship },
        ))
        .id();
    let identity = world.get::<Identity>(entity).expect("just spawned").clone();
    let mut index = world.resource_mut::<AgentIndex>();
    index.insert(&identity.agent_id, &identity.name, entity, Some(parents));
    index.births += 1;

    for parent in entities {
        let mut parent = world.entity_mut(parent);
        let mut reproduction = parent.get_mut::<Reproduction>().expect("parent has reproduction state");
        reproduction.offspring += 1;
        reproduction.cooldown_steps = settings.breeding_cooldown_steps;
        parent.get_mut::<Lineage>().expect("parent has lineage").children.push(serial);
    }
    tracing::debug!(
        agent_id = %identity.agent_id,
        parent1 = %parent_identity[0].agent_id,
        parent2 = %parent_identity[1].agent_id,
        "offspring born"
    );
    entity
}

/// Draws each trait as the parents' mean plus a normal mutation, clamped to [0, 1].
fn inherit_traits(rng: &mut WorldRng, parents: &[Traits; 2], mutation_stddev: f64) -> Traits {
    let mut traits = Traits { values: [0.0; TRAIT_COUNT] };
    for name in TraitName::ALL {
        let mean = (f64::from(parents[0].get(*name)) + f64::from(parents[1].get(*name))) / 2.0;
        traits.set(*name, (mean + rng.normal(mutation_stddev)) as f32);
    }
    traits
}
