//! Coefficients of kinship of pedigrees built by manual breeding, read through
//! `compatibility(a, b).kinship` and the inbreeding coefficient of offspring.

mod common;

use common::{breed_ok, found, pedigree_settings, steps_to_adulthood, world};
use reynard_systems::Simulation;

fn kinship(sim: &Simulation, first: &str, second: &str) -> f64 {
    sim.compatibility(first, second).expect("both agents exist").kinship
}

/// Creates 20-year-old founders with the given ids.
fn found_adults(sim: &mut Simulation, ids: &[&str]) {
    for id in ids {
        found(sim, id, 20.0);
    }
}

/// Builds three generations:
///
/// ```text
/// gp1 x gp2 -> a, b        (full siblings)
/// gp1 x p3  -> h           (half sibling of a and b)
/// a   x p4  -> c1
/// b   x p5  -> c2          (first cousin of c1)
/// ```
fn three_generations() -> Simulation {
    let mut sim = world(pedigree_settings());
    found_adults(&mut sim, &["gp1", "gp2", "p3", "p4", "p5"]);
    breed_ok(&mut sim, "gp1", "gp2", "a");
    breed_ok(&mut sim, "gp1", "gp2", "b");
    breed_ok(&mut sim, "gp1", "p3", "h");

    let to_adulthood = steps_to_adulthood(&sim);
    sim.nudge(to_adulthood);
    breed_ok(&mut sim, "a", "p4", "c1");
    breed_ok(&mut sim, "b", "p5", "c2");
    sim
}

#[test]
fn unrelated_founders_have_zero() {
    let sim = three_generations();
    assert_eq!(kinship(&sim, "gp1", "p3"), 0.0);
}

#[test]
fn self_kinship_is_one_half() {
    let sim = three_generations();
    assert_eq!(kinship(&sim, "a", "a"), 0.5);
}

#[test]
fn parent_and_child() {
    let sim = three_generations();
    assert_eq!(kinship(&sim, "gp1", "a"), 0.25, "parent first");
    assert_eq!(kinship(&sim, "a", "gp1"), 0.25, "child first");
}

#[test]
fn full_siblings() {
    let sim = three_generations();
    assert_eq!(kinship(&sim, "a", "b"), 0.25);
}

#[test]
fn half_siblings() {
    let sim = three_generations();
    assert_eq!(kinship(&sim, "a", "h"), 0.125);
}

#[test]
fn grandparent_and_grandchild() {
    let sim = three_generations();
    assert_eq!(kinship(&sim, "gp1", "c1"), 0.125);
}

#[test]
fn aunt_and_nephew() {
    let sim = three_generations();
    assert_eq!(kinship(&sim, "b", "c1"), 0.125);
}

#[test]
fn first_cousins() {
    let sim = three_generations();
    assert_eq!(kinship(&sim, "c1", "c2"), 0.0625);
}

#[test]
fn founders_child_not_inbred() {
    let sim = three_generations();
    assert_eq!(sim.agent("c1").unwrap().inbreeding_coefficient, 0.0);
}

#[test]
fn double_first_cousins() {
    // Two pairs of full siblings, s1 and s2, t1 and t2, marry across: each
    // cousin descends from both founder couples.
    let mut sim = world(pedigree_settings());
    found_adults(&mut sim, &["f1", "f2", "g1", "g2"]);
    breed_ok(&mut sim, "f1", "f2", "s1");
    breed_ok(&mut sim, "f1", "f2", "s2");
    breed_ok(&mut sim, "g1", "g2", "t1");
    breed_ok(&mut sim, "g1", "g2", "t2");

    let to_adulthood = steps_to_adulthood(&sim);
    sim.nudge(to_adulthood);
    breed_ok(&mut sim, "s1", "t1", "x");
    breed_ok(&mut sim, "s2", "t2", "y");

    assert_eq!(kinship(&sim, "x", "y"), 0.125);
}

#[test]
fn child_of_half_siblings() {
    let mut sim = world(pedigree_settings());
    found_adults(&mut sim, &["m", "f1", "f2"]);
    breed_ok(&mut sim, "m", "f1", "h1");
    breed_ok(&mut sim, "m", "f2", "h2");

    let to_adulthood = steps_to_adulthood(&sim);
    sim.nudge(to_adulthood);
    let child = breed_ok(&mut sim, "h1", "h2", "z");

    assert_eq!(child.inbreeding_coefficient, 0.125, "inbreeding in the agent view");
    assert_eq!(sim.lineage("z", 2).unwrap().inbreeding_coefficient, 0.125, "inbreeding in the lineage view");
    assert_eq!(kinship(&sim, "z", "z"), 0.5625, "self-kinship of the inbred child");
}

#[test]
fn parent_appears_on_both_sides() {
    // w is the child of full siblings a and b. v is the child of w and a, so
    // a is both a parent and a grandparent of v.
    let mut sim = world(pedigree_settings());
    found_adults(&mut sim, &["gp1", "gp2"]);
    breed_ok(&mut sim, "gp1", "gp2", "a");
    breed_ok(&mut sim, "gp1", "gp2", "b");

    let to_adulthood = steps_to_adulthood(&sim);
    sim.nudge(to_adulthood);
    let w = breed_ok(&mut sim, "a", "b", "w");
    assert_eq!(w.inbreeding_coefficient, 0.25, "inbreeding of the siblings' child");

    sim.nudge(to_adulthood);
    assert_eq!(kinship(&sim, "w", "a"), 0.375, "kinship of w and its parent a");
    let v = breed_ok(&mut sim, "w", "a", "v");
    assert_eq!(v.inbreeding_coefficient, 0.375, "inbreeding of the child of w and a");
    // gp1 is a grandparent of v through a and a great-grandparent through w:
    // (kinship(w, gp1) + kinship(a, gp1)) / 2 = (0.25 + 0.25) / 2.
    assert_eq!(kinship(&sim, "v", "gp1"), 0.25, "kinship of v and gp1");
}

#[test]
fn lineage_lists_ancestors_once() {
    let mut sim = world(pedigree_settings());
    found_adults(&mut sim, &["gp1", "gp2"]);
    breed_ok(&mut sim, "gp1", "gp2", "a");
    breed_ok(&mut sim, "gp1", "gp2", "b");
    let to_adulthood = steps_to_adulthood(&sim);
    sim.nudge(to_adulthood);
    breed_ok(&mut sim, "a", "b", "w");

    let lineage = sim.lineage("w", 3).unwrap();
    let ancestors: Vec<(&str, u32)> =
        lineage.ancestors.iter().map(|relative| (relative.agent_id.as_str(), relative.distance)).collect();
    assert_eq!(ancestors, [("a", 1), ("b", 1), ("gp1", 2), ("gp2", 2)]);
}
