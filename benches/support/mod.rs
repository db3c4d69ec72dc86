//! World building shared by the benches.

use reynard_systems::{NewAgent, Simulation, Spirit};

/// Creates `count` founders aged 0 to 60 years in `sim`, spread over all
/// spirits. Explicit names skip the generator, whose search for a free name
/// slows down once a million agents share its word lists.
pub fn add_founders(sim: &mut Simulation, count: usize) {
    for i in 0..count {
        let request = NewAgent {
            agent_id: format!("agent-{i}"),
            name: Some(format!("Agent {i}")),
            spirit: Some(Spirit::ALL[i % Spirit::ALL.len()]),
            age_years: Some((i % 61) as f64),
            ..NewAgent::default()
        };
        sim.create_agent(request).expect("room for every agent");
    }
}
