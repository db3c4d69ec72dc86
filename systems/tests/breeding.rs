//! Manual breeding: the birth itself, the cooldown, the offspring limit, and
//! rejections that list every failed rule and leave the world unchanged.

mod common;

use common::{breed, breed_ok, found, mentions, quiet_settings, rejection_reasons, request, world};
use reynard_systems::{LifeStage, OffspringRequest, Settings, SimError, Simulation};

/// Builds a world with four unrelated 20-year-old adults `a`, `b`, `c` and `d`.
fn adults(settings: Settings) -> Simulation {
    let mut sim = world(settings);
    for id in ["a", "b", "c", "d"] {
        found(&mut sim, id, 20.0);
    }
    sim
}

#[test]
fn birth_links_parents_and_child() {
    let mut sim = adults(quiet_settings());
    let kit = breed_ok(&mut sim, "a", "b", "kit");

    assert_eq!(kit.parents, ["a", "b"], "parents of the child");
    assert_eq!(kit.summary.generation, 2, "generation of the child");
    assert_eq!(kit.summary.stage, LifeStage::Infant, "stage of the newborn");
    assert_eq!(kit.summary.age, 0.0, "age of the newborn");
    assert_eq!(kit.inbreeding_coefficient, 0.0, "inbreeding of a founders' child");
    assert_eq!(sim.agent("a").unwrap().children, ["kit"], "children of the first parent");
    assert_eq!(sim.agent("b").unwrap().offspring_count, 1, "offspring count of the second parent");
    assert_eq!(sim.breeding_stats().births, 1, "births");
}

#[test]
fn given_name_is_kept() {
    let mut sim = adults(quiet_settings());
    let named = OffspringRequest { name: Some("Vixen the Bold".to_owned()), ..request("a", "b", "kit") };
    let kit = sim.breed(named).unwrap();
    assert_eq!(kit.summary.name, "Vixen the Bold");
}

#[test]
fn birth_starts_cooldown_of_both_parents() {
    let mut sim = adults(quiet_settings());
    breed_ok(&mut sim, "a", "b", "kit");

    for parent in ["a", "b"] {
        let detail = sim.agent(parent).unwrap();
        assert_eq!(detail.breeding_cooldown_years, 1.0, "cooldown of {parent}");
        assert!(!detail.can_breed, "can_breed of {parent}");
    }
}

#[test]
fn cooldown_blocks_until_it_expires() {
    let mut sim = adults(quiet_settings());
    let cooldown = sim.settings().breeding_cooldown_steps;
    breed_ok(&mut sim, "a", "b", "kit-1");

    sim.nudge(cooldown - 1);
    assert_eq!(sim.agent("a").unwrap().breeding_cooldown_years, 1.0 / 52.0, "cooldown one step before expiry");
    let reasons = rejection_reasons(breed(&mut sim, "a", "c", "kit-2"));
    assert!(mentions(&reasons, "a is on breeding cooldown"), "reasons one step before expiry: {reasons:?}");

    sim.step();
    assert_eq!(sim.agent("a").unwrap().breeding_cooldown_years, 0.0, "cooldown at expiry");
    assert!(breed(&mut sim, "a", "c", "kit-2").is_ok(), "breeding once the cooldown has passed");
}

#[test]
fn offspring_limit_rejects_sixth() {
    let settings = Settings { breeding_cooldown_steps: 0, ..quiet_settings() };
    let mut sim = world(settings);
    found(&mut sim, "a", 20.0);
    for n in 1..=6 {
        found(&mut sim, &format!("partner-{n}"), 20.0);
    }
    for n in 1..=5 {
        breed_ok(&mut sim, "a", &format!("partner-{n}"), &format!("kit-{n}"));
    }
    assert_eq!(sim.agent("a").unwrap().offspring_count, 5, "offspring after five births");

    let reasons = rejection_reasons(breed(&mut sim, "a", "partner-6", "kit-6"));
    assert_eq!(reasons, ["a has reached the limit of 5 offspring"]);
}

#[test]
fn rejection_lists_every_failed_rule() {
    let mut sim = adults(quiet_settings());
    breed_ok(&mut sim, "a", "b", "kit");
    let digest = sim.digest();

    let reasons = rejection_reasons(breed(&mut sim, "a", "kit", "grandkit"));
    assert_eq!(reasons.len(), 3, "reasons: {reasons:?}");
    assert!(mentions(&reasons, "a is on breeding cooldown"), "cooldown reason: {reasons:?}");
    assert!(mentions(&reasons, "kit is infant, only adults breed"), "stage reason: {reasons:?}");
    assert!(mentions(&reasons, "kinship 0.2500 is at or above the limit of 0.125"), "kinship reason: {reasons:?}");
    assert_eq!(sim.digest(), digest, "world unchanged");
}

#[test]
fn same_agent_twice_rejected() {
    let mut sim = adults(quiet_settings());
    let reasons = rejection_reasons(breed(&mut sim, "a", "a", "kit"));
    assert_eq!(reasons, ["parents must be two distinct agents"]);
}

#[test]
fn missing_parent_is_not_found() {
    let mut sim = adults(quiet_settings());
    let digest = sim.digest();

    let missing_first = breed(&mut sim, "ghost", "a", "kit");
    assert_eq!(missing_first, Err(SimError::NotFound { agent_id: "ghost".to_owned() }), "missing first parent");
    let missing_second = breed(&mut sim, "a", "offspring~9", "kit");
    assert_eq!(missing_second, Err(SimError::NotFound { agent_id: "offspring~9".to_owned() }), "missing second parent");
    assert_eq!(sim.digest(), digest, "world unchanged");
}

#[test]
fn taken_offspring_id_rejected() {
    let mut sim = adults(quiet_settings());
    breed_ok(&mut sim, "a", "b", "kit");
    let digest = sim.digest();

    let reused_child_id = breed(&mut sim, "c", "d", "kit");
    assert_eq!(reused_child_id, Err(SimError::IdTaken { agent_id: "kit".to_owned() }), "id of an earlier child");
    let reused_parent_id = breed(&mut sim, "c", "d", "c");
    assert_eq!(reused_parent_id, Err(SimError::IdTaken { agent_id: "c".to_owned() }), "id of a parent");
    assert_eq!(sim.digest(), digest, "world unchanged");
}

#[test]
fn malformed_request_is_invalid() {
    let mut sim = adults(quiet_settings());
    let digest = sim.digest();
    let cases = [
        (request("", "b", "kit"), "parent1_id"),
        (request("a b", "b", "kit"), "parent1_id"),
        (request("a", &"b".repeat(65), "kit"), "parent2_id"),
        (request("a", "b", ""), "offspring_id"),
        (request("a", "b", "kit~1"), "offspring_id"),
        (request("a", "b", "kit/1"), "offspring_id"),
        (OffspringRequest { name: Some("Kit\u{7}".to_owned()), ..request("a", "b", "kit") }, "name"),
        (OffspringRequest { name: Some("x".repeat(65)), ..request("a", "b", "kit") }, "name"),
    ];

    for (bad, expected_field) in cases {
        let description = format!("{bad:?}");
        match sim.breed(bad) {
            Err(SimError::Invalid { field, .. }) => assert_eq!(field, expected_field, "field for {description}"),
            other => panic!("expected Invalid for {description}, got {other:?}"),
        }
    }
    assert_eq!(sim.digest(), digest, "world unchanged");
    assert_eq!(sim.status().agent_count, 4, "living agents");
}

#[test]
fn kinship_limit_blocks_relatives() {
    let mut sim = adults(Settings { steps_per_year: 4, breeding_cooldown_steps: 0, ..quiet_settings() });
    breed_ok(&mut sim, "a", "b", "kit");
    sim.nudge(18 * 4);

    let reasons = rejection_reasons(breed(&mut sim, "kit", "a", "grandkit"));
    assert_eq!(reasons, ["kinship 0.2500 is at or above the limit of 0.125"], "parent and child");
    assert!(breed(&mut sim, "kit", "c", "grandkit").is_ok(), "kit with an unrelated adult");
}
