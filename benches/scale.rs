//! Measures the world at scale, outside criterion: resident memory per living
//! agent, and the effective acceleration a world of that size keeps at 100x.
//!
//! Run with `cargo bench --bench scale` (1,000,000 agents; set AGENTS to
//! change it). Debug builds, as in `cargo test --all-targets`, use 10,000
//! agents and one second, only to check that it runs.

use std::time::{Duration, Instant};

use reynard_systems::simulation::ClockConfig;
use reynard_systems::{NewAgent, Settings, Simulation, Spirit};

/// Resident set size of this process, in bytes, from /proc/self/statm.
fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm is readable");
    let pages: u64 = statm.split_whitespace().nth(1).and_then(|field| field.parse().ok()).expect("statm lists resident pages");
    pages * 4096
}

fn main() {
    // cargo bench passes --bench; anything else (cargo test) gets the small run.
    let full = !cfg!(debug_assertions) && std::env::args().any(|arg| arg == "--bench");
    let agents: usize = std::env::var("AGENTS").ok().and_then(|text| text.parse().ok()).unwrap_or(if full { 1_000_000 } else { 10_000 });
    let run_for = if full { Duration::from_secs(20) } else { Duration::from_secs(1) };

    let settings = Settings { max_agents: agents, breeding_enabled: false, ..Settings::default() };
    let clock = ClockConfig { seconds_per_year: 60.0, acceleration: 100.0 };
    let mut sim = Simulation::new(settings, clock, 7).expect("valid settings");

    let before = resident_bytes();
    for i in 0..agents {
        let request = NewAgent {
            agent_id: format!("agent-{i}"),
            spirit: Some(Spirit::ALL[i % Spirit::ALL.len()]),
            age_years: Some((i % 90) as f64),
            ..NewAgent::default()
        };
        sim.create_agent(request).expect("room for every agent");
    }
    let after = resident_bytes();
    let per_agent = after.saturating_sub(before) as f64 / agents as f64;
    println!("agents: {agents}");
    println!("resident memory: {:.1} MiB before, {:.1} MiB after, {per_agent:.0} bytes per agent",
        before as f64 / 1048576.0, after as f64 / 1048576.0);

    // The world thread's loop without commands: sleep until the next step is
    // due, then advance by the real time that passed.
    let tick_before = sim.tick();
    let started = Instant::now();
    let mut last = started;
    while started.elapsed() < run_for {
        if let Some(wait) = sim.until_next_step() {
            std::thread::sleep(wait);
        }
        let now = Instant::now();
        sim.advance(now - last);
        last = now;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let steps = sim.tick() - tick_before;
    let simulated_seconds = steps as f64 * 60.0 / 52.0;
    println!(
        "clock at 100x for {elapsed:.1} s: {steps} steps, effective acceleration {:.1} ({:.0}% of requested)",
        simulated_seconds / elapsed,
        simulated_seconds / elapsed
    );
}
