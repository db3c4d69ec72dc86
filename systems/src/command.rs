//! [`WorldCommand`]: every command that changes the world, in a form that can
//! be stored in a journal and applied again to rebuild the world.

use serde::{Deserialize, Serialize};

use crate::agents::NewAgent;
use crate::error::SimError;
use crate::offspring::OffspringRequest;
use crate::simulation::Simulation;

/// A state-changing command. Applying the same commands at the same ticks to
/// the same starting world gives the same world.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WorldCommand {
    CreateAgent(NewAgent),
    Breed(OffspringRequest),
    SetBreeding { enabled: bool },
    /// A clock change; absent fields stay as they are.
    SetTime { acceleration: Option<f64>, paused: Option<bool> },
    /// Runs this many fixed steps at once.
    Nudge { steps: u32 },
}

impl WorldCommand {
    /// Applies the command to `sim`. A clock change is checked in full before
    /// any part of it applies.
    pub fn apply(&self, sim: &mut Simulation) -> Result<(), SimError> {
        match self {
            WorldCommand::CreateAgent(request) => sim.create_agent(request.clone()).map(drop),
            WorldCommand::Breed(request) => sim.breed(request.clone()).map(drop),
            WorldCommand::SetBreeding { enabled } => {
                sim.set_breeding(*enabled);
                Ok(())
            }
            WorldCommand::SetTime { acceleration, paused } => {
                if let Some(acceleration) = acceleration {
                    sim.set_acceleration(*acceleration)?;
                }
                if let Some(paused) = paused {
                    sim.set_paused(*paused);
                }
                Ok(())
            }
            WorldCommand::Nudge { steps } => {
                sim.nudge(*steps);
                Ok(())
            }
        }
    }
}
