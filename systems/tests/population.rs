//! The population cap: `max_agents` bounds living agents for creation, manual
//! breeding and the automatic breeding pass; the dead do not count.

mod common;

use common::{breed, found, found_uniform, mentions, quiet_settings, rejection_reasons, world};
use reynard_systems::{NewAgent, Settings, SimError};

#[test]
fn creation_at_cap_is_population_full() {
    let mut sim = world(Settings { max_agents: 3, ..quiet_settings() });
    for id in ["a", "b", "c"] {
        found(&mut sim, id, 20.0);
    }
    let digest = sim.digest();

    let result = sim.create_agent(NewAgent { agent_id: "d".to_owned(), ..NewAgent::default() });
    assert_eq!(result, Err(SimError::PopulationFull { max_agents: 3 }), "creation at the cap");
    assert_eq!(sim.digest(), digest, "world unchanged");
}

#[test]
fn manual_breeding_at_cap_rejected() {
    let mut sim = world(Settings { max_agents: 2, ..quiet_settings() });
    found(&mut sim, "a", 20.0);
    found(&mut sim, "b", 20.0);
    let digest = sim.digest();

    let reasons = rejection_reasons(breed(&mut sim, "a", "b", "kit"));
    assert_eq!(reasons, ["the living population is at its cap of 2 agents"], "reasons");
    assert_eq!(sim.digest(), digest, "world unchanged");
}

#[test]
fn cap_reason_joins_other_reasons() {
    let mut sim = world(Settings { max_agents: 2, ..quiet_settings() });
    found(&mut sim, "a", 20.0);
    found(&mut sim, "kit", 1.0);

    let reasons = rejection_reasons(breed(&mut sim, "a", "kit", "grandkit"));
    assert!(mentions(&reasons, "kit is infant"), "stage reason: {reasons:?}");
    assert!(mentions(&reasons, "cap of 2 agents"), "cap reason: {reasons:?}");
}

#[test]
fn breeding_pass_stops_at_cap() {
    let mut sim = world(Settings { max_agents: 5, breeding_cooldown_steps: 0, ..Settings::default() });
    for id in ["a", "b", "c", "d"] {
        found_uniform(&mut sim, id, 20.0, 0.5);
    }
    let interval = sim.settings().breeding_interval_steps;
    sim.nudge(interval);

    let stats = sim.breeding_stats();
    assert_eq!(stats.last_pass_pairs, 1, "births in a pass that reaches the cap");
    assert_eq!(sim.status().agent_count, 5, "living agents");
}

#[test]
fn living_never_exceed_cap() {
    let mut sim = world(Settings { max_agents: 7, breeding_cooldown_steps: 0, ..Settings::default() });
    for n in 0..6 {
        found_uniform(&mut sim, &format!("founder-{n}"), 20.0, 0.5);
    }
    let interval = sim.settings().breeding_interval_steps;
    for tick in 1..=4 * interval {
        sim.step();
        let living = sim.status().agent_count;
        assert!(living <= 7, "{living} living agents at tick {tick}");
    }
    assert_eq!(sim.status().agent_count, 7, "the population filled up to the cap");
}

#[test]
fn death_frees_room_under_cap() {
    let mut sim = world(Settings { max_agents: 2, ..quiet_settings() });
    found(&mut sim, "old", 99.99);
    found(&mut sim, "young", 20.0);
    sim.step();
    assert!(!sim.agent("old").unwrap().summary.active, "old has died");

    let result = sim.create_agent(NewAgent { agent_id: "newcomer".to_owned(), ..NewAgent::default() });
    assert!(result.is_ok(), "creation after a death: {result:?}");
}
