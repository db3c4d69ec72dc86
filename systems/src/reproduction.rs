//! Reproduction state: breeding cooldown and offspring count.

use bevy_ecs::component::Component;

/// Breeding state of one agent.
#[derive(Component, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reproduction {
    /// Steps left before this agent may breed again; the aging system counts it down.
    pub cooldown_steps: u32,
    /// Offspring born to this agent so far, checked against the offspring limit.
    pub offspring: u32,
}
