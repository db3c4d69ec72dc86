//! Births: drawing a child from its parents' facts, spawning children in
//! batches, and giving each parent its child and cooldown.
//!
//! A birth reads only [`ParentFacts`], never the world, so the breeding pass
//! can gather every parent's facts in one sweep and conceive a whole batch
//! from compact arrays.

use bevy_ecs::prelude::*;
use compact_str::CompactString;

use crate::identity::Identity;
use crate::lifecycle::{Age, LifeStage};
use crate::lineage::Lineage;
use crate::names;
use crate::registry::AgentIndex;
use crate::reproduction::Reproduction;
use crate::rng::WorldRng;
use crate::settings::Settings;
use crate::spirit::Spirit;
use crate::style::NamingStyle;
use crate::traits::Traits;

/// Who the child is, as far as the caller decides it.
pub struct Offspring {
    pub id: String,
    /// Display name; generated when absent.
    pub name: Option<String>,
    /// Username of the requesting account; `None` for automatic births.
    pub created_by: Option<String>,
}

/// Facts about one parent that a birth needs.
#[derive(Clone, Debug)]
pub(crate) struct ParentFacts {
    pub(crate) serial: u32,
    pub(crate) traits: Traits,
    pub(crate) spirit: Spirit,
    pub(crate) style: NamingStyle,
    pub(crate) generation: u32,
}

impl ParentFacts {
    /// Reads the facts of the agent `entity`.
    ///
    /// # Panics
    /// Panics if `entity` is not an agent.
    pub(crate) fn read(world: &World, entity: Entity) -> Self {
        let agent = world.entity(entity);
        let identity = agent.get::<Identity>().expect("parent has identity");
        ParentFacts {
            serial: identity.serial,
            traits: agent.get::<Traits>().expect("parent has traits").clone(),
            spirit: identity.spirit,
            style: identity.style,
            generation: agent.get::<Lineage>().expect("parent has lineage").generation,
        }
    }
}

/// Runs `work` with the world's RNG, agent index and settings lent out of the
/// world, so that a batch of births borrows them once instead of once each.
pub(crate) fn with_births<R>(world: &mut World, work: impl FnOnce(&mut World, &mut Births<'_>) -> R) -> R {
    let settings = world.resource::<Settings>().clone();
    world.resource_scope(|world, mut rng: Mut<WorldRng>| {
        world.resource_scope(|world, mut index: Mut<AgentIndex>| {
            let mut births = Births { rng: &mut rng, index: &mut index, settings: &settings };
            work(world, &mut births)
        })
    })
}

/// The resources a birth changes besides the world's entities.
pub(crate) struct Births<'a> {
    pub(crate) rng: &'a mut WorldRng,
    pub(crate) index: &'a mut AgentIndex,
    pub(crate) settings: &'a Settings,
}

/// The components of a newborn agent.
type Newborn = (Identity, Traits, Age, LifeStage, Reproduction, Lineage);

/// A child whose traits and name are drawn and whose serial is taken in the
/// index, waiting to be spawned.
pub(crate) struct Conceived {
    serial: u32,
    parents: [u32; 2],
    newborn: Newborn,
}

impl Births<'_> {
    /// Draws a child's traits, spirit, style and name (in that order) and
    /// records it in the index, so later children of the same batch see its
    /// name and serial. The world is not changed until [`Self::deliver_all`].
    pub(crate) fn conceive(&mut self, parents: [&ParentFacts; 2], kinship: f64, offspring: Offspring) -> Conceived {
        let Offspring { id: offspring_id, name, created_by } = offspring;
        let [first, second] = parents;
        let traits = Traits::draw(self.rng, self.settings.mutation_stddev, |trait_name| {
            (f64::from(first.traits.get(trait_name)) + f64::from(second.traits.get(trait_name))) / 2.0
        });
        let spirit = parents[self.rng.index(2)].spirit;
        let style = parents[self.rng.index(2)].style;
        let name = name
            .unwrap_or_else(|| names::generate_unique(self.rng, spirit, style, |name| self.index.name_is_living(name)));
        let generation = first.generation.max(second.generation) + 1;

        let serials = [first.serial, second.serial];
        let serial = self.index.insert_pending(&offspring_id, &name, Some(serials));
        let identity = Identity {
            agent_id: CompactString::from(offspring_id.as_str()),
            name: CompactString::from(name.as_str()),
            spirit,
            style,
            created_by,
            serial,
        };
        let lineage = Lineage { generation, children: Vec::new(), inbreeding: kinship };
        let newborn = (identity, traits, Age { steps: 0 }, LifeStage::Infant, Reproduction::default(), lineage);
        Conceived { serial, parents: serials, newborn }
    }

    /// Spawns every conceived child in one batch and returns their entities.
    /// The parents are not updated here: see [`settle_parent`].
    pub(crate) fn deliver_all(&mut self, world: &mut World, conceived: Vec<Conceived>) -> Vec<Entity> {
        let mut links = Vec::with_capacity(conceived.len());
        let newborns = conceived.into_iter().map(|Conceived { serial, parents, newborn }| {
            links.push((serial, parents));
            newborn
        });
        let children: Vec<Entity> = world.spawn_batch(newborns).collect();

        for (&(serial, _), &child) in links.iter().zip(&children) {
            self.index.set_entity(serial, child);
        }
        self.index.births += children.len() as u64;
        if tracing::enabled!(tracing::Level::DEBUG) {
            let id_of = |serial: u32| {
                let entity = self.index.entity(serial);
                &world.get::<Identity>(entity).expect("agent has identity").agent_id
            };
            for (serial, [first, second]) in links {
                tracing::debug!(agent_id = %id_of(serial), parent1 = %id_of(first), parent2 = %id_of(second), "offspring born");
            }
        }
        children
    }
}

/// Gives a parent the child with serial `child` and starts its breeding cooldown.
pub(crate) fn settle_parent(reproduction: &mut Reproduction, lineage: &mut Lineage, child: u32, cooldown_steps: u32) {
    reproduction.offspring += 1;
    reproduction.cooldown_steps = cooldown_steps;
    lineage.children.push(child);
}
