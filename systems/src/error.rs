//! Why a command was rejected.

use std::fmt;

/// A rejected command. The world is unchanged whenever one is returned.
#[derive(Clone, Debug, PartialEq)]
pub enum SimError {
    /// No agent has this id.
    NotFound { agent_id: String },
    /// An input value broke a rule; `field` names it in the request's terms.
    Invalid { field: String, rule: String },
    /// The id is taken by a living or dead agent.
    IdTaken { agent_id: String },
    /// The living population is at its cap.
    PopulationFull { max_agents: usize },
    /// Breeding was refused; every rule that failed is listed.
    BreedingRejected { reasons: Vec<String> },
}

impl SimError {
    /// Shorthand for [`SimError::Invalid`].
    pub fn invalid(field: impl Into<String>, rule: impl Into<String>) -> Self {
        SimError::Invalid { field: field.into(), rule: rule.into() }
    }
}

impl fmt::Display for SimError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SimError::NotFound { agent_id } => write!(f, "agent '{agent_id}' not found"),
            SimError::Invalid { field, rule } => write!(f, "{field} {rule}"),
            SimError::IdTaken { agent_id } => write!(f, "agent id '{agent_id}' is already taken"),
            SimError::PopulationFull { max_agents } => {
                write!(f, "the living population is at its cap of {max_agents} agents")
            }
            SimError::BreedingRejected { reasons } => {
                write!(f, "breeding rejected: {}", reasons.join("; "))
            }
        }
    }
}

impl std::error::Error for SimError {}
