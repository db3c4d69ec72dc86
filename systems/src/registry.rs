//! The agent index: lookups by id and serial, the pedigree, and population counters.

use std::collections::HashMap;
use std::hash::BuildHasher;

use compact_str::CompactString;
use foldhash::fast::{FixedState, RandomState};

use bevy_ecs::prelude::*;

/// Lookups the systems need that a query cannot give cheaply. Nothing iterates
/// its hash maps, so their order never reaches results.
#[derive(Resource, Debug, Default)]
pub struct AgentIndex {
    /// Entity of each agent, indexed by serial.
    entities: Vec<Entity>,
    /// Parents of each agent by serial, `None` for founders; the pedigree the
    /// kinship computation walks.
    parents: Vec<Option<[u32; 2]>>,
    /// Serial of each agent id, living or dead.
    serials: HashMap<CompactString, u32, RandomState>,
    /// How many living agents carry each name, keyed by a hash of the name.
    living_names: HashMap<u64, u32, RandomState>,
    /// Agents alive now.
    pub living: usize,
    /// Living adults and elders; the aging system and agent creation keep it current.
    pub mature: usize,
    /// Agents that have died.
    pub deceased: usize,
    /// Offspring born, manually or by the breeding pass.
    pub births: u64,
    /// Number used in the next generated offspring id.
    pub next_generated_id: u64,
}

impl AgentIndex {
    /// Returns the serial the next inserted agent receives.
    pub fn next_serial(&self) -> u32 {
        u32::try_from(self.entities.len()).expect("fewer than 2^32 agents")
    }

    /// Records a new living agent and returns its serial.
    pub fn insert(&mut self, agent_id: &str, name: &str, entity: Entity, parents: Option<[u32; 2]>) -> u32 {
        let serial = self.insert_pending(agent_id, name, parents);
        self.set_entity(serial, entity);
        serial
    }

    /// Records a new living agent that is not spawned yet and returns its
    /// serial. [`Self::set_entity`] must follow before the entity is looked up.
    pub fn insert_pending(&mut self, agent_id: &str, name: &str, parents: Option<[u32; 2]>) -> u32 {
        let serial = self.next_serial();
        self.entities.push(Entity::PLACEHOLDER);
        self.parents.push(parents);
        self.serials.insert(CompactString::from(agent_id), serial);
        *self.living_names.entry(name_key(name)).or_default() += 1;
        self.living += 1;
        serial
    }

    /// Sets the entity of the agent with `serial`, once it is spawned.
    pub fn set_entity(&mut self, serial: u32, entity: Entity) {
        self.entities[serial as usize] = entity;
    }

    /// Makes room for `additional` more agents without rehashing on the way.
    pub fn reserve(&mut self, additional: usize) {
        self.entities.reserve(additional);
        self.parents.reserve(additional);
        self.serials.reserve(additional);
        self.living_names.reserve(additional);
    }

    /// Records an agent read back from a snapshot, in serial order.
    pub(crate) fn restore(
        &mut self,
        agent_id: &str,
        name: &str,
        entity: Entity,
        parents: Option<[u32; 2]>,
        state: RestoredState,
    ) {
        self.entities.push(entity);
        self.parents.push(parents);
        self.serials.insert(CompactString::from(agent_id), self.entities.len() as u32 - 1);
        match state {
            RestoredState::Deceased => self.deceased += 1,
            RestoredState::Living { mature } => {
                *self.living_names.entry(name_key(name)).or_default() += 1;
                self.living += 1;
                if mature {
                    self.mature += 1;
                }
            }
        }
    }

    /// Records the death of a living agent called `name`. Agents die as elders,
    /// so the mature count drops too.
    pub fn record_death(&mut self, name: &str) {
        let key = name_key(name);
        if let Some(count) = self.living_names.get_mut(&key) {
            *count -= 1;
            if *count == 0 {
                self.living_names.remove(&key);
            }
        }
        self.living -= 1;
        self.mature -= 1;
        self.deceased += 1;
    }

    /// Returns the serial of `agent_id`, if such an agent ever existed.
    pub fn serial(&self, agent_id: &str) -> Option<u32> {
        self.serials.get(agent_id).copied()
    }

    /// Returns the entity of `agent_id`, if such an agent ever existed.
    pub fn entity_of(&self, agent_id: &str) -> Option<Entity> {
        self.serial(agent_id).map(|serial| self.entity(serial))
    }

    /// Returns the entity of the agent with `serial`.
    pub fn entity(&self, serial: u32) -> Entity {
        self.entities[serial as usize]
    }

    /// Parents of the agent with `serial`, `None` for a founder.
    pub fn parents(&self, serial: u32) -> Option<[u32; 2]> {
        self.parents[serial as usize]
    }

    /// Returns the whole pedigree, indexed by serial.
    pub fn pedigree(&self) -> &[Option<[u32; 2]>] {
        &self.parents
    }

    /// Agents ever created, living or dead.
    pub fn len(&self) -> usize {
        self.entities.len()
    }

    /// Checks whether no agent was ever created.
    pub fn is_empty(&self) -> bool {
        self.entities.is_empty()
    }

    /// Checks whether a living agent is called `name`.
    pub fn name_is_living(&self, name: &str) -> bool {
        self.living_names.contains_key(&name_key(name))
    }
}

/// Whether a restored agent is alive, and if so whether it is mature.
pub(crate) enum RestoredState {
    Deceased,
    Living { mature: bool },
}

/// Seed of the name hash. A fixed seed makes the hash the same in every run
/// of one build, so a collision, which makes the name generator draw again,
/// happens alike in a replay.
const NAME_HASH_SEED: u64 = 0x5265_796e_6172_6421;

/// Hashes a name stably with foldhash, several times faster than SipHash on
/// short strings. A collision only makes the name generator draw again.
fn name_key(name: &str) -> u64 {
    FixedState::with_seed(NAME_HASH_SEED).hash_one(name)
}
