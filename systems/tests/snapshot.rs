//! Snapshots: a world rebuilt from its snapshot is the same world and goes
//! on the same way.

use reynard_systems::simulation::ClockConfig;
use reynard_systems::{NewAgent, Settings, Simulation, WorldCommand, WorldSnapshot, SNAPSHOT_FORMAT_VERSION};

/// A busy world: founders of all ages, automatic breeding, births and deaths.
fn busy_world(seed: u64) -> Simulation {
    let settings = Settings { steps_per_year: 4, max_agents: 400, ..Settings::default() };
    let mut sim = Simulation::new(settings, ClockConfig::default(), seed).unwrap();
    for n in 0..40 {
        let request = NewAgent { agent_id: format!("founder-{n}"), age_years: Some(f64::from(n) * 2.4), ..NewAgent::default() };
        sim.create_agent(request).unwrap();
    }
    sim.nudge(120);
    sim
}

fn through_json(snapshot: &WorldSnapshot) -> WorldSnapshot {
    serde_json::from_str(&serde_json::to_string(snapshot).unwrap()).unwrap()
}

#[test]
fn restored_world_has_same_digest() {
    let sim = busy_world(11);
    let restored = Simulation::from_snapshot(through_json(&sim.snapshot())).unwrap();
    assert_eq!(restored.digest(), sim.digest());
}

#[test]
fn busy_world_has_births_and_deaths() {
    let sim = busy_world(11);
    let status = sim.status();
    assert!(status.deceased_count > 0, "deaths: {}", status.deceased_count);
    assert!(sim.breeding_stats().births > 0, "births");
}

#[test]
fn restored_world_continues_identically() {
    let mut original = busy_world(12);
    let mut restored = Simulation::from_snapshot(through_json(&original.snapshot())).unwrap();
    let later = [
        WorldCommand::CreateAgent(NewAgent { agent_id: "late".to_owned(), age_years: Some(20.0), ..NewAgent::default() }),
        WorldCommand::Nudge { steps: 60 },
        WorldCommand::SetBreeding { enabled: false },
        WorldCommand::Nudge { steps: 10 },
    ];
    for command in &later {
        command.apply(&mut original).unwrap();
        command.apply(&mut restored).unwrap();
    }
    assert_eq!(restored.digest(), original.digest());
}

#[test]
fn restored_status_matches() {
    let sim = busy_world(13);
    let restored = Simulation::from_snapshot(through_json(&sim.snapshot())).unwrap();
    assert_eq!(restored.status(), sim.status());
    assert_eq!(restored.breeding_stats(), sim.breeding_stats());
}

#[test]
fn unknown_version_rejected() {
    let mut snapshot = busy_world(14).snapshot();
    snapshot.format_version = SNAPSHOT_FORMAT_VERSION + 1;
    let error = Simulation::from_snapshot(snapshot).err().expect("a newer format is rejected");
    assert!(error.to_string().contains("format_version"), "{error}");
}

#[test]
fn command_round_trips_through_json() {
    let command = WorldCommand::SetTime { acceleration: Some(2.5), paused: None };
    let text = serde_json::to_string(&command).unwrap();
    assert_eq!(serde_json::from_str::<WorldCommand>(&text).unwrap(), command);
}
