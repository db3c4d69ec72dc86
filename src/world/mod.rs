//! The world thread: the one thread that owns the simulation, and the handle
//! HTTP handlers use to send it commands.

mod command;
mod handle;
mod runner;

pub use command::{Command, TimeChange};
pub use handle::{WorldError, WorldHandle};
pub use runner::{spawn, WorldThread};
