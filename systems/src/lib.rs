//! The simulation core of Reynard World: a `bevy_ecs` world of agents that age,
//! mature, breed and die on a fixed timestep of simulated time.
//!
//! [`Simulation`] owns the world and is the whole public surface: commands that
//! change it, queries that read it, and the clock that steps it. All randomness
//! comes from one seeded ChaCha RNG, so a seed plus the same commands at the same
//! steps gives a bit-identical world, which [`Simulation::digest`] shows.

pub mod agents;
pub mod birth;
pub mod breeding;
pub mod clock;
pub mod command;
pub mod compatibility;
pub mod digest;
pub mod error;
pub mod identity;
pub mod lifecycle;
pub mod lineage;
pub mod names;
pub mod offspring;
pub mod queries;
pub mod registry;
pub mod reproduction;
pub mod rng;
pub mod settings;
pub mod simulation;
pub mod snapshot;
pub mod spirit;
pub mod style;
pub mod traits;
pub mod views;

pub use agents::NewAgent;
pub use command::WorldCommand;
pub use error::SimError;
pub use lifecycle::LifeStage;
pub use offspring::OffspringRequest;
pub use queries::AgentFilter;
pub use settings::Settings;
pub use simulation::Simulation;
pub use snapshot::{RULES_VERSION, SNAPSHOT_FORMAT_VERSION, WorldSnapshot};
pub use spirit::{Family, Spirit};
pub use style::NamingStyle;
pub use traits::{TraitCategory, TraitName};
