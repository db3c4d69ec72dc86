//! Creating founders: defaults, trait overrides, and validation that names the
//! failing field and leaves the world unchanged.

mod common;

use common::{found, quiet_settings, world};
use reynard_systems::{LifeStage, NamingStyle, NewAgent, SimError, Spirit, TraitName};

fn new_agent(agent_id: &str) -> NewAgent {
    NewAgent { agent_id: agent_id.to_owned(), ..NewAgent::default() }
}

/// Creates `request` in a fresh world and returns the `field` of the
/// [`SimError::Invalid`] it must fail with. Also checks that the world is unchanged.
fn invalid_field(request: NewAgent) -> String {
    let mut sim = world(quiet_settings());
    let digest = sim.digest();
    let description = format!("{request:?}");
    let result = sim.create_agent(request);
    assert_eq!(sim.digest(), digest, "world changed by {description}");
    match result {
        Err(SimError::Invalid { field, .. }) => field,
        other => panic!("expected Invalid for {description}, got {other:?}"),
    }
}

#[test]
fn founder_gets_defaults() {
    let mut sim = world(quiet_settings());
    let fox = sim.create_agent(new_agent("fox-1")).unwrap();

    assert_eq!(fox.summary.agent_id, "fox-1", "id");
    assert_eq!(fox.summary.spirit, Spirit::Fox, "spirit");
    assert_eq!(fox.summary.style, NamingStyle::Foundation, "style");
    assert_eq!(fox.summary.age, 0.0, "age");
    assert_eq!(fox.summary.stage, LifeStage::Infant, "stage");
    assert_eq!(fox.summary.generation, 1, "generation");
    assert!(fox.summary.active, "active");
    assert!(fox.summary.name.starts_with("Fox-"), "generated name: {}", fox.summary.name);
    assert!(fox.parents.is_empty(), "parents");
    assert_eq!(fox.offspring_count, 0, "offspring");
}

#[test]
fn requested_fields_are_kept() {
    let mut sim = world(quiet_settings());
    let request = NewAgent {
        agent_id: "owl-1".to_owned(),
        name: Some("Hoot".to_owned()),
        spirit: Some(Spirit::Owl),
        style: Some(NamingStyle::Destiny),
        age_years: Some(42.5),
        traits: vec![(TraitName::Courage, 0.0), (TraitName::Speed, 1.0)],
        created_by: Some("ranger".to_owned()),
    };
    let owl = sim.create_agent(request).unwrap();

    assert_eq!(owl.created_by.as_deref(), Some("ranger"), "created_by");
    assert_eq!(owl.summary.name, "Hoot", "name");
    assert_eq!(owl.summary.spirit, Spirit::Owl, "spirit");
    assert_eq!(owl.summary.style, NamingStyle::Destiny, "style");
    assert_eq!(owl.summary.age, 42.5, "age");
    assert_eq!(owl.traits.0.get(TraitName::Courage), 0.0, "courage override");
    assert_eq!(owl.traits.0.get(TraitName::Speed), 1.0, "speed override");
}

#[test]
fn drawn_traits_in_unit_range() {
    let mut sim = world(quiet_settings());
    for (n, spirit) in Spirit::ALL.iter().enumerate() {
        let request = NewAgent { spirit: Some(*spirit), ..new_agent(&format!("agent-{n}")) };
        let agent = sim.create_agent(request).unwrap();
        for name in TraitName::ALL {
            let value = agent.traits.0.get(*name);
            assert!((0.0..=1.0).contains(&value), "{spirit:?} {name:?} = {value}");
        }
    }
}

#[test]
fn generated_names_unique_among_living() {
    let mut sim = world(quiet_settings());
    let mut names = std::collections::HashSet::new();
    for n in 0..300 {
        let request = NewAgent { style: Some(NamingStyle::Destiny), ..new_agent(&format!("agent-{n}")) };
        let name = sim.create_agent(request).unwrap().summary.name;
        assert!(names.insert(name.clone()), "name {name} given twice");
    }
}

#[test]
fn bad_agent_id_is_invalid() {
    let long = "a".repeat(65);
    for bad_id in ["", long.as_str(), "a b", "a~b", "a/b", "é"] {
        assert_eq!(invalid_field(new_agent(bad_id)), "agent_id", "id {bad_id:?}");
    }
}

#[test]
fn longest_agent_id_accepted() {
    let mut sim = world(quiet_settings());
    let longest = "a".repeat(64);
    assert!(sim.create_agent(new_agent(&longest)).is_ok());
}

#[test]
fn bad_name_is_invalid() {
    for bad_name in ["x".repeat(65), "Kit\u{7}".to_owned(), "Kit\nFox".to_owned(), "   ".to_owned(), String::new()] {
        let request = NewAgent { name: Some(bad_name.clone()), ..new_agent("kit") };
        assert_eq!(invalid_field(request), "name", "name {bad_name:?}");
    }
}

#[test]
fn bad_age_is_invalid() {
    for bad_age in [-1.0, 100.0, 150.0, f64::NAN, f64::INFINITY] {
        let request = NewAgent { age_years: Some(bad_age), ..new_agent("kit") };
        assert_eq!(invalid_field(request), "age", "age {bad_age}");
    }
}

#[test]
fn bad_trait_names_its_path() {
    let cases = [
        (TraitName::Courage, 1.5, "traits.personality.courage"),
        (TraitName::Speed, -0.1, "traits.physical.speed"),
        (TraitName::Leader, f64::NAN, "traits.abilities.leader"),
    ];
    for (name, value, expected_field) in cases {
        let request = NewAgent { traits: vec![(name, value)], ..new_agent("kit") };
        assert_eq!(invalid_field(request), expected_field, "{name:?} = {value}");
    }
}

#[test]
fn duplicate_id_is_taken() {
    let mut sim = world(quiet_settings());
    found(&mut sim, "fox", 20.0);
    let digest = sim.digest();

    let result = sim.create_agent(new_agent("fox"));
    assert_eq!(result, Err(SimError::IdTaken { agent_id: "fox".to_owned() }), "second fox");
    assert_eq!(sim.digest(), digest, "world unchanged");
}

#[test]
fn dead_agent_id_stays_taken() {
    let mut sim = world(quiet_settings());
    found(&mut sim, "old", 99.99);
    sim.step();
    assert!(!sim.agent("old").unwrap().summary.active, "old has died");

    let result = sim.create_agent(new_agent("old"));
    assert_eq!(result, Err(SimError::IdTaken { agent_id: "old".to_owned() }));
}

#[test]
fn lookup_of_bad_id_is_invalid() {
    let mut sim = world(quiet_settings());
    found(&mut sim, "fox", 20.0);

    assert!(matches!(sim.agent("a b"), Err(SimError::Invalid { field, .. }) if field == "agent_id"), "agent");
    assert!(
        matches!(sim.compatibility("fox", "a/b"), Err(SimError::Invalid { field, .. }) if field == "other_id"),
        "compatibility"
    );
    assert_eq!(sim.lineage("ghost", 1), Err(SimError::NotFound { agent_id: "ghost".to_owned() }), "lineage");
}
