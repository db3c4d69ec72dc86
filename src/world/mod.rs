//! The world thread: the one thread that owns the simulation, and the handle
//! HTTP handlers use to send it commands.

mod command;
mod handle;
mod journal;
mod runner;
mod status;

pub use command::{Command, CommandError, TimeChange};
pub use journal::Journal;
pub use handle::{WorldError, WorldHandle};
pub use runner::{spawn, WorldThread};
pub use status::StatusBoard;
