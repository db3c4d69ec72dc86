//! Inherited traits: each is the parents' mean plus a normal mutation, clamped
//! to [0, 1] even for extreme parents and a large mutation.

mod common;

use common::{breed_ok, found_uniform, world};
use reynard_systems::views::AgentDetail;
use reynard_systems::{Settings, Simulation, TraitName};

/// Settings that let one pair have five children at once, with `mutation_stddev`.
fn settings(mutation_stddev: f64) -> Settings {
    Settings { breeding_cooldown_steps: 0, mutation_stddev, breeding_enabled: false, ..Settings::default() }
}

/// Breeds the uniform founders `first` and `second` into five children.
fn five_children(sim: &mut Simulation, first: (&str, f64), second: (&str, f64)) -> Vec<AgentDetail> {
    found_uniform(sim, first.0, 20.0, first.1);
    found_uniform(sim, second.0, 20.0, second.1);
    (1..=5)
        .map(|n| breed_ok(sim, first.0, second.0, &format!("{}-{}-kit-{n}", first.0, second.0)))
        .collect()
}

/// Lists every (child id, trait, value) of `children`.
fn trait_values(children: &[AgentDetail]) -> Vec<(String, TraitName, f32)> {
    let mut values = Vec::new();
    for child in children {
        for name in TraitName::ALL {
            values.push((child.summary.agent_id.clone(), *name, child.traits.0.get(*name)));
        }
    }
    values
}

fn assert_all_in_unit_range(children: &[AgentDetail]) {
    for (agent_id, name, value) in trait_values(children) {
        assert!((0.0..=1.0).contains(&value), "{agent_id} {name:?} = {value}");
    }
}

#[test]
fn zero_parents_stay_in_range() {
    let mut sim = world(settings(0.5));
    let children = five_children(&mut sim, ("zero-a", 0.0), ("zero-b", 0.0));
    assert_all_in_unit_range(&children);

    let lowest = trait_values(&children).into_iter().map(|(_, _, value)| value).fold(f32::MAX, f32::min);
    assert_eq!(lowest, 0.0, "negative mutations clamp to 0");
}

#[test]
fn one_parents_stay_in_range() {
    let mut sim = world(settings(0.5));
    let children = five_children(&mut sim, ("one-a", 1.0), ("one-b", 1.0));
    assert_all_in_unit_range(&children);

    let highest = trait_values(&children).into_iter().map(|(_, _, value)| value).fold(f32::MIN, f32::max);
    assert_eq!(highest, 1.0, "positive mutations clamp to 1");
}

#[test]
fn opposite_parents_stay_in_range() {
    let mut sim = world(settings(0.5));
    let children = five_children(&mut sim, ("zero", 0.0), ("one", 1.0));
    assert_all_in_unit_range(&children);
}

#[test]
fn huge_mutation_stays_in_range() {
    let mut sim = world(settings(10.0));
    let children = five_children(&mut sim, ("zero", 0.0), ("one", 1.0));
    assert_all_in_unit_range(&children);
}

#[test]
fn no_mutation_gives_parent_mean() {
    let mut sim = world(settings(0.0));
    let children = five_children(&mut sim, ("low", 0.2), ("high", 0.6));
    for (agent_id, name, value) in trait_values(&children) {
        assert!((value - 0.4).abs() < 1e-6, "{agent_id} {name:?} = {value}, expected 0.4");
    }
}
