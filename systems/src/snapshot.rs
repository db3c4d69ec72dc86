//! Snapshots: the complete state of a world as plain data, to store and to
//! rebuild an identical world from.

use std::time::Duration;

use bevy_ecs::prelude::*;
use bevy_time::{Fixed, Time, Virtual};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};

use crate::breeding::BreedingStats;
use crate::clock::SimClock;
use crate::error::SimError;
use crate::identity::Identity;
use crate::lifecycle::{Age, Deceased, LifeStage};
use crate::lineage::Lineage;
use crate::registry::{AgentIndex, RestoredState};
use crate::reproduction::Reproduction;
use crate::rng::WorldRng;
use crate::settings::Settings;
use crate::simulation::{ClockConfig, Simulation};
use crate::spirit::Spirit;
use crate::style::NamingStyle;
use crate::traits::{Traits, TRAIT_COUNT};

/// Version of the snapshot layout. Readers accept every version they know and
/// reject newer ones.
pub const SNAPSHOT_FORMAT_VERSION: u32 = 1;

/// Version of the simulation rules: how traits, names and pairings are drawn
/// from the RNG. Replaying a journal under other rules gives other agents than
/// the ones acknowledged, so it changes whenever the same seed and commands
/// would give a different world.
pub const RULES_VERSION: u32 = 2;

/// Rules version of snapshots written before the field existed.
fn first_rules_version() -> u32 {
    1
}

/// A whole world: rules, clock, RNG, counters and every agent, living or dead.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WorldSnapshot {
    pub format_version: u32,
    /// The [`RULES_VERSION`] of the build that took the snapshot.
    #[serde(default = "first_rules_version")]
    pub rules_version: u32,
    /// The last fixed step completed.
    pub tick: u64,
    pub settings: Settings,
    pub clock: ClockState,
    /// The RNG with its seed and position in its stream.
    pub rng: WorldRng,
    /// Offspring born since the world began.
    pub births: u64,
    /// Number in the last generated offspring id.
    pub last_generated_id: u64,
    pub breeding: BreedingRecord,
    /// Every agent, in creation (serial) order.
    pub agents: Vec<AgentRecord>,
}

/// The clock's settings and its progress toward the next step.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClockState {
    pub seconds_per_year: f64,
    pub acceleration: f64,
    pub paused: bool,
    /// Virtual time accumulated toward the next fixed step, in nanoseconds.
    pub overstep_nanos: u64,
}

/// Outcome of the automatic breeding passes so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BreedingRecord {
    pub last_pass_tick: Option<u64>,
    pub last_pass_pairs: usize,
    pub passes: u64,
}

/// One agent. Its life stage is not stored: it follows from its age.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AgentRecord {
    pub agent_id: String,
    pub name: String,
    pub spirit: Spirit,
    pub style: NamingStyle,
    pub created_by: Option<String>,
    /// Trait values in canonical order: personality, physical, abilities.
    pub traits: Vec<f32>,
    pub age_steps: u32,
    /// Tick of death, for deceased agents.
    pub deceased_at: Option<u64>,
    pub cooldown_steps: u32,
    pub offspring: u32,
    pub generation: u32,
    pub inbreeding: f64,
    /// Serials of the parents; `None` for founders.
    pub parents: Option<[u32; 2]>,
    /// Serials of the children, in birth order.
    pub children: Vec<u32>,
}

impl Simulation {
    /// Copies the whole world into a [`WorldSnapshot`].
    pub fn snapshot(&self) -> WorldSnapshot {
        let world = &self.world;
        let index = world.resource::<AgentIndex>();
        let agents = (0..index.len() as u32).map(|serial| record(world, index, serial)).collect();
        let virtual_time = world.resource::<Time<Virtual>>();
        let stats = world.resource::<BreedingStats>();

        WorldSnapshot {
            format_version: SNAPSHOT_FORMAT_VERSION,
            rules_version: RULES_VERSION,
            tick: world.resource::<SimClock>().tick,
            settings: world.resource::<Settings>().clone(),
            clock: ClockState {
                seconds_per_year: self.seconds_per_year,
                acceleration: virtual_time.relative_speed_f64(),
                paused: virtual_time.is_paused(),
                overstep_nanos: world.resource::<Time<Fixed>>().overstep().as_nanos() as u64,
            },
            rng: world.resource::<WorldRng>().clone(),
            births: index.births,
            last_generated_id: index.next_generated_id,
            breeding: BreedingRecord {
                last_pass_tick: stats.last_pass_tick,
                last_pass_pairs: stats.last_pass_pairs,
                passes: stats.passes,
            },
            agents,
        }
    }

    /// Rebuilds a world from a snapshot. The result has the same digest as
    /// the world the snapshot was taken from.
    ///
    /// # Errors
    /// Returns [`SimError::Invalid`] for a snapshot of an unknown format
    /// version or with inconsistent contents.
    pub fn from_snapshot(snapshot: WorldSnapshot) -> Result<Simulation, SimError> {
        if snapshot.format_version != SNAPSHOT_FORMAT_VERSION {
            return Err(SimError::invalid(
                "format_version",
                format!("{} is not supported; this build reads version {SNAPSHOT_FORMAT_VERSION}", snapshot.format_version),
            ));
        }
        let clock = ClockConfig { seconds_per_year: snapshot.clock.seconds_per_year, acceleration: snapshot.clock.acceleration };
        let mut sim = Simulation::new(snapshot.settings.clone(), clock, snapshot.rng.seed)?;
        let steps_per_year = snapshot.settings.steps_per_year;
        let world = &mut sim.world;

        for (serial, agent) in snapshot.agents.into_iter().enumerate() {
            restore_agent(world, serial as u32, agent, steps_per_year)?;
        }
        *world.resource_mut::<WorldRng>() = snapshot.rng;
        world.resource_mut::<SimClock>().tick = snapshot.tick;
        let mut index = world.resource_mut::<AgentIndex>();
        index.births = snapshot.births;
        index.next_generated_id = snapshot.last_generated_id;
        *world.resource_mut::<BreedingStats>() = BreedingStats {
            last_pass_tick: snapshot.breeding.last_pass_tick,
            last_pass_pairs: snapshot.breeding.last_pass_pairs,
            passes: snapshot.breeding.passes,
        };
        world.resource_mut::<Time<Fixed>>().accumulate_overstep(Duration::from_nanos(snapshot.clock.overstep_nanos));
        sim.set_paused(snapshot.clock.paused);
        Ok(sim)
    }
}

fn record(world: &World, index: &AgentIndex, serial: u32) -> AgentRecord {
    let agent = world.entity(index.entity(serial));
    let identity = agent.get::<Identity>().expect("agent has an identity");
    let reproduction = agent.get::<Reproduction>().expect("agent has reproduction state");
    let lineage = agent.get::<Lineage>().expect("agent has lineage");
    AgentRecord {
        agent_id: identity.agent_id.to_string(),
        name: identity.name.to_string(),
        spirit: identity.spirit,
        style: identity.style,
        created_by: identity.created_by.clone(),
        traits: agent.get::<Traits>().expect("agent has traits").values.to_vec(),
        age_steps: agent.get::<Age>().expect("agent has an age").steps,
        deceased_at: agent.get::<Deceased>().map(|deceased| deceased.at_tick),
        cooldown_steps: reproduction.cooldown_steps,
        offspring: reproduction.offspring,
        generation: lineage.generation,
        inbreeding: lineage.inbreeding,
        parents: index.parents(serial),
        children: lineage.children.clone(),
    }
}

fn restore_agent(world: &mut World, serial: u32, agent: AgentRecord, steps_per_year: u32) -> Result<(), SimError> {
    let values: [f32; TRAIT_COUNT] = agent
        .traits
        .as_slice()
        .try_into()
        .map_err(|_| SimError::invalid("agents.traits", format!("must hold {TRAIT_COUNT} values for {}", agent.agent_id)))?;
    if agent.parents.is_some_and(|parents| parents.iter().any(|parent| *parent >= serial)) {
        return Err(SimError::invalid("agents.parents", format!("of {} must be agents created before it", agent.agent_id)));
    }

    let stage = LifeStage::for_age(agent.age_steps, steps_per_year);
    let mut spawned = world.spawn((
        Identity {
            agent_id: CompactString::from(agent.agent_id.as_str()),
            name: CompactString::from(agent.name.as_str()),
            spirit: agent.spirit,
            style: agent.style,
            created_by: agent.created_by,
            serial,
        },
        Traits { values },
        Age { steps: agent.age_steps },
        stage,
        Reproduction { cooldown_steps: agent.cooldown_steps, offspring: agent.offspring },
        Lineage { generation: agent.generation, children: agent.children, inbreeding: agent.inbreeding },
    ));
    let state = match agent.deceased_at {
        Some(at_tick) => {
            spawned.insert(Deceased { at_tick });
            RestoredState::Deceased
        }
        None => RestoredState::Living { mature: stage.is_mature() },
    };
    let entity = spawned.id();
    world.resource_mut::<AgentIndex>().restore(&agent.agent_id, &agent.name, entity, agent.parents, state);
    Ok(())
}
