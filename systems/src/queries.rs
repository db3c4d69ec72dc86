//! Queries that build the read-only views: agents, pages, mates, compatibility and lineage.

use std::collections::BTreeMap;

use bevy_ecs::prelude::*;

use crate::compatibility::{compatibility, describe, individual_blockers, pair_blockers};
use crate::error::SimError;
use crate::identity::{self, Identity};
use crate::lifecycle::{Age, Deceased, LifeStage};
use crate::lineage::{KinshipCalculator, Lineage};
use crate::offspring::candidate;
use crate::registry::AgentIndex;
use crate::reproduction::Reproduction;
use crate::settings::Settings;
use crate::spirit::Spirit;
use crate::traits::Traits;
use crate::views::{AgentDetail, AgentPage, AgentSummary, CompatibilityView, LineageView, MateView, Relative, TraitsView};

/// Compatibility at or above which an eligible pair is recommended.
pub const RECOMMENDED_COMPATIBILITY: f64 = 0.7;

/// Filters for listing agents; `None` matches everything.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct AgentFilter {
    pub spirit: Option<Spirit>,
    pub stage: Option<LifeStage>,
    pub alive: Option<bool>,
}

/// Looks up an agent's entity, checking the id's form first.
pub fn find(world: &World, field: &str, agent_id: &str) -> Result<Entity, SimError> {
    identity::check_lookup_id(agent_id).map_err(|rule| SimError::invalid(field, rule))?;
    world
        .resource::<AgentIndex>()
        .entity_of(agent_id)
        .ok_or_else(|| SimError::NotFound { agent_id: agent_id.to_owned() })
}

/// Builds the summary of the agent `entity`.
pub fn summary(world: &World, entity: Entity) -> AgentSummary {
    let agent = world.entity(entity);
    let identity = agent.get::<Identity>().expect("agent has an identity");
    let settings = world.resource::<Settings>();
    AgentSummary {
        agent_id: identity.agent_id.to_string(),
        name: identity.name.to_string(),
        spirit: identity.spirit,
        style: identity.style,
        active: !agent.contains::<Deceased>(),
        age: settings.years_for_steps(u64::from(agent.get::<Age>().expect("agent has an age").steps)),
        stage: *agent.get::<LifeStage>().expect("agent has a stage"),
        generation: agent.get::<Lineage>().expect("agent has lineage").generation,
    }
}

/// Everything about the agent `entity`.
pub fn detail(world: &World, entity: Entity) -> AgentDetail {
    let agent = world.entity(entity);
    let identity = agent.get::<Identity>().expect("agent has an identity");
    let lineage = agent.get::<Lineage>().expect("agent has lineage");
    let reproduction = agent.get::<Reproduction>().expect("agent has reproduction state");
    let settings = world.resource::<Settings>();
    let index = world.resource::<AgentIndex>();
    let id_of = |serial: u32| world.get::<Identity>(index.entity(serial)).expect("agent has an identity").agent_id.to_string();

    AgentDetail {
        summary: summary(world, entity),
        traits: TraitsView(agent.get::<Traits>().expect("agent has traits").clone()),
        offspring_count: reproduction.offspring,
        breeding_cooldown_years: settings.years_for_steps(u64::from(reproduction.cooldown_steps)),
        can_breed: individual_blockers(&candidate(world, entity), settings).is_empty(),
        parents: index.parents(identity.serial).map_or_else(Vec::new, |parents| parents.map(id_of).to_vec()),
        children: lineage.children.iter().map(|serial| id_of(*serial)).collect(),
        inbreeding_coefficient: lineage.inbreeding,
        died_at_year: agent.get::<Deceased>().map(|deceased| settings.years_for_steps(deceased.at_tick)),
        created_by: identity.created_by.clone(),
    }
}

/// Builds a page of at most `limit` agents matching `filter` in creation order,
/// starting at serial `cursor`.
pub fn page(world: &World, filter: AgentFilter, cursor: u32, limit: usize) -> AgentPage {
    let index = world.resource::<AgentIndex>();
    let mut agents = Vec::with_capacity(limit.min(index.len()));
    let mut serial = cursor as usize;

    while serial < index.len() && agents.len() < limit {
        let entity = index.entity(serial as u32);
        serial += 1;
        if matches(world, entity, filter) {
            agents.push(summary(world, entity));
        }
    }
    let next_cursor = (serial < index.len()).then(|| serial.to_string());
    AgentPage { agents, next_cursor }
}

fn matches(world: &World, entity: Entity, filter: AgentFilter) -> bool {
    let agent = world.entity(entity);
    let spirit_ok = filter.spirit.is_none_or(|spirit| agent.get::<Identity>().is_some_and(|i| i.spirit == spirit));
    let stage_ok = filter.stage.is_none_or(|stage| agent.get::<LifeStage>() == Some(&stage));
    let alive_ok = filter.alive.is_none_or(|alive| alive != agent.contains::<Deceased>());
    spirit_ok && stage_ok && alive_ok
}

/// Partners the agent `entity` may breed with now, at or above the
/// compatibility threshold, most compatible first (ties by creation order).
pub fn mates(world: &mut World, entity: Entity, max_results: usize) -> Vec<MateView> {
    let settings = world.resource::<Settings>().clone();
    let me = candidate(world, entity);
    if !individual_blockers(&me, &settings).is_empty() {
        return Vec::new();
    }
    let my_traits = world.get::<Traits>(entity).expect("agent has traits").clone();
    let my_serial = world.get::<Identity>(entity).expect("agent has an identity").serial;

    let mut query = world.query_filtered::<(Entity, &Identity, &Traits, &LifeStage, &Reproduction), Without<Deceased>>();
    let mut scored: Vec<(f64, u32, Entity)> = query
        .iter(world)
        .filter(|(other, _, _, stage, reproduction)| {
            *other != entity
                && **stage == LifeStage::Adult
                && reproduction.cooldown_steps == 0
                && reproduction.offspring < settings.max_offspring
        })
        .map(|(other, identity, traits, _, _)| (compatibility(&my_traits, traits), identity.serial, other))
        .filter(|(score, _, _)| *score >= settings.compatibility_threshold)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));

    let index = world.resource::<AgentIndex>();
    let mut kinship = KinshipCalculator::new(index.pedigree());
    scored
        .into_iter()
        .filter(|(_, serial, _)| kinship.kinship(my_serial, *serial) < settings.kinship_limit)
        .take(max_results)
        .map(|(score, _, other)| {
            let identity = world.get::<Identity>(other).expect("agent has an identity");
            MateView {
                agent_id: identity.agent_id.to_string(),
                name: identity.name.to_string(),
                spirit: identity.spirit,
                compatibility: score,
            }
        })
        .collect()
}

/// Compatibility, kinship and eligibility of two agents.
pub fn compatibility_report(world: &World, first: Entity, second: Entity) -> CompatibilityView {
    let settings = world.resource::<Settings>();
    let index = world.resource::<AgentIndex>();
    let [a, b] = [first, second].map(|entity| world.get::<Identity>(entity).expect("agent has an identity"));
    let [traits_a, traits_b] = [first, second].map(|entity| world.get::<Traits>(entity).expect("agent has traits"));

    let score = compatibility(traits_a, traits_b);
    let kinship = KinshipCalculator::new(index.pedigree()).kinship(a.serial, b.serial);
    let reasons = pair_blockers(&candidate(world, first), &candidate(world, second), kinship, settings);
    let eligible = reasons.is_empty();
    CompatibilityView {
        agent_id: a.agent_id.to_string(),
        other_id: b.agent_id.to_string(),
        compatibility: score,
        analysis: describe(score).to_owned(),
        recommended: eligible && score >= RECOMMENDED_COMPATIBILITY,
        kinship,
        eligible,
        reasons,
    }
}

/// Builds the family tree of the agent `entity`, `depth` generations up and down.
pub fn lineage(world: &World, entity: Entity, depth: u32) -> LineageView {
    let index = world.resource::<AgentIndex>();
    let identity = world.get::<Identity>(entity).expect("agent has an identity");
    let lineage = world.get::<Lineage>(entity).expect("agent has lineage");

    let parents_of = |serial: u32| index.parents(serial).map_or_else(Vec::new, |parents| parents.to_vec());
    let children_of = |serial: u32| {
        world.get::<Lineage>(index.entity(serial)).map_or_else(Vec::new, |lineage| lineage.children.clone())
    };
    let ancestors = walk(identity.serial, depth, parents_of);
    let descendants = walk(identity.serial, depth, children_of);

    let relative = |(serial, distance): (u32, u32)| {
        let identity = world.get::<Identity>(index.entity(serial)).expect("agent has an identity");
        Relative { agent_id: identity.agent_id.to_string(), name: identity.name.to_string(), distance }
    };
    let nearest = |walked: &[(u32, u32)]| walked.iter().filter(|(_, d)| *d == 1).copied().map(relative).collect();
    LineageView {
        agent: relative((identity.serial, 0)),
        generation: lineage.generation,
        parents: nearest(&ancestors),
        children: nearest(&descendants),
        ancestors: ancestors.iter().copied().map(relative).collect(),
        descendants: descendants.iter().copied().map(relative).collect(),
        inbreeding_coefficient: lineage.inbreeding,
    }
}

/// Breadth-first walk from `start` along `next`, up to `depth` steps. Returns
/// each agent reached once, at its shortest distance, ordered by distance then serial.
fn walk(start: u32, depth: u32, next: impl Fn(u32) -> Vec<u32>) -> Vec<(u32, u32)> {
    let mut distances: BTreeMap<u32, u32> = BTreeMap::new();
    let mut frontier = vec![start];
    for distance in 1..=depth {
        let mut reached = Vec::new();
        for serial in frontier {
            for relative in next(serial) {
                if relative != start && !distances.contains_key(&relative) {
                    distances.insert(relative, distance);
                    reached.push(relative);
                }
            }
        }
        if reached.is_empty() {
            break;
        }
        frontier = reached;
    }
    let mut walked: Vec<(u32, u32)> = distances.into_iter().collect();
    walked.sort_by_key(|(serial, distance)| (*distance, *serial));
    walked
}
