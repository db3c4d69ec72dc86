//! The clock: real time fed to `advance` runs fixed steps at the acceleration,
//! pausing stops it, and catch-up after a long gap is bounded.

mod common;

use std::time::Duration;

use common::quiet_settings;
use reynard_systems::clock::max_virtual_delta;
use reynard_systems::simulation::ClockConfig;
use reynard_systems::Simulation;

/// Builds a world whose fixed timestep is one second: 52 steps in a 52-second year.
fn one_second_steps(acceleration: f64) -> Simulation {
    let clock = ClockConfig { seconds_per_year: 52.0, acceleration };
    Simulation::new(quiet_settings(), clock, common::SEED).expect("settings and clock are valid")
}

#[test]
fn step_runs_on_whole_timestep() {
    let mut sim = one_second_steps(1.0);
    assert_eq!(sim.advance(Duration::from_millis(999)), 0, "steps after 999 ms");
    assert_eq!(sim.advance(Duration::from_millis(1)), 1, "steps after another 1 ms");
    assert_eq!(sim.tick(), 1, "tick");
}

#[test]
fn first_advance_counts_fully() {
    let mut sim = one_second_steps(1.0);
    assert_eq!(sim.advance(Duration::from_secs(3)), 3);
}

#[test]
fn acceleration_scales_steps() {
    let mut sim = one_second_steps(10.0);
    assert_eq!(sim.advance(Duration::from_millis(100)), 1, "steps after 100 ms at 10x");
    assert_eq!(sim.advance(Duration::from_millis(250)), 2, "steps after another 250 ms at 10x");
    assert_eq!(sim.advance(Duration::from_millis(50)), 1, "the 500 ms remainder carries over");
}

#[test]
fn set_acceleration_changes_pace() {
    let mut sim = one_second_steps(1.0);
    sim.set_acceleration(4.0).unwrap();
    assert_eq!(sim.advance(Duration::from_secs(1)), 4, "steps in 1 s at 4x");
    assert_eq!(sim.time().acceleration, 4.0, "acceleration in the time view");
}

#[test]
fn acceleration_out_of_range_rejected() {
    let mut sim = one_second_steps(1.0);
    for acceleration in [0.0, 0.09, 100.5, f64::NAN] {
        assert!(sim.set_acceleration(acceleration).is_err(), "acceleration {acceleration}");
    }
    assert_eq!(sim.time().acceleration, 1.0, "acceleration unchanged");
}

#[test]
fn paused_advance_runs_nothing() {
    let mut sim = one_second_steps(1.0);
    sim.set_paused(true);
    assert_eq!(sim.advance(Duration::from_secs(10)), 0, "steps while paused");
    assert_eq!(sim.until_next_step(), None, "until_next_step while paused");
    assert!(sim.time().paused, "paused flag in the time view");
    assert_eq!(sim.time().effective_acceleration, 0.0, "effective acceleration while paused");
}

#[test]
fn effective_acceleration_restarts_after_resume() {
    let mut sim = one_second_steps(4.0);
    sim.set_paused(true);
    sim.advance(Duration::from_secs(5));
    sim.set_paused(false);
    assert_eq!(sim.time().effective_acceleration, 4.0, "requested acceleration until a window completes");

    sim.advance(Duration::from_secs(1));
    assert_eq!(sim.time().effective_acceleration, 4.0, "measured over the first window after resuming");
}

#[test]
fn effective_acceleration_restarts_after_speed_change() {
    // Chunks of 200 ms stay under the catch-up limit at both speeds.
    let mut sim = one_second_steps(2.0);
    for _ in 0..3 {
        sim.advance(Duration::from_millis(200));
    }
    sim.set_acceleration(8.0).unwrap();
    for _ in 0..2 {
        sim.advance(Duration::from_millis(200));
    }
    assert_eq!(sim.time().effective_acceleration, 8.0, "requested acceleration until a window completes");

    for _ in 0..3 {
        sim.advance(Duration::from_millis(200));
    }
    assert_eq!(sim.time().effective_acceleration, 8.0, "no window mixes the old speed with the new");
}

#[test]
fn nudge_works_while_paused() {
    let mut sim = one_second_steps(1.0);
    sim.set_paused(true);
    sim.nudge(3);
    assert_eq!(sim.tick(), 3);
}

#[test]
fn pause_builds_no_backlog() {
    let mut sim = one_second_steps(1.0);
    sim.set_paused(true);
    sim.advance(Duration::from_secs(10));
    sim.set_paused(false);
    assert_eq!(sim.advance(Duration::from_millis(999)), 0, "steps just after resuming");
    assert_eq!(sim.advance(Duration::from_millis(1)), 1, "steps once a full second has passed");
}

#[test]
fn catch_up_is_bounded() {
    let mut sim = one_second_steps(100.0);
    let timestep = Duration::from_secs(1);
    let bound = max_virtual_delta(100.0, timestep).as_secs_f64() / timestep.as_secs_f64();

    let steps = sim.advance(Duration::from_secs(3600));
    assert_eq!(f64::from(steps), bound.floor(), "steps after an hour-long gap at 100x");
}

#[test]
fn until_next_step_counts_down() {
    let mut sim = one_second_steps(1.0);
    assert_eq!(sim.until_next_step(), Some(Duration::from_secs(1)), "fresh world");

    sim.advance(Duration::from_millis(400));
    assert_eq!(sim.until_next_step(), Some(Duration::from_millis(600)), "after 400 ms");

    sim.set_acceleration(2.0).unwrap();
    assert_eq!(sim.until_next_step(), Some(Duration::from_millis(300)), "after doubling the pace");
}

#[test]
fn time_view_reports_years() {
    let mut sim = one_second_steps(1.0);
    sim.nudge(78);
    let time = sim.time();
    assert_eq!(time.tick, 78, "tick");
    assert_eq!(time.simulation_years, 1.5, "simulated years");
    assert_eq!(time.steps_per_year, 52, "steps per year");
    assert_eq!(time.seconds_per_year, 52.0, "seconds per year");
}

#[test]
fn invalid_clock_rejected() {
    let bad_clocks = [
        ClockConfig { seconds_per_year: 52.0, acceleration: 0.0 },
        ClockConfig { seconds_per_year: 0.0, acceleration: 1.0 },
        ClockConfig { seconds_per_year: f64::INFINITY, acceleration: 1.0 },
    ];
    for clock in bad_clocks {
        let result = Simulation::new(quiet_settings(), clock, common::SEED);
        assert!(result.is_err(), "clock {clock:?}");
    }
}
