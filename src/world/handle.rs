//! [`WorldHandle`]: how async code sends commands to the world thread and awaits replies.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use crossbeam_channel::{Sender, TrySendError};
use reynard_systems::SimError;
use tokio::sync::oneshot;

use reynard_systems::views::StatusView;

use super::command::{Command, CommandError, Reply};
use super::status::StatusBoard;

/// How long a request waits for the world thread's reply before giving up.
/// A command still runs if it was taken off the queue before this ran out.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(30);

/// A command that produced no result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WorldError {
    /// The command queue is full; the client should retry shortly.
    #[error("the world is busy: its command queue is full")]
    Busy,
    /// The world thread has stopped or panicked.
    #[error("the world thread has stopped")]
    Stopped,
    /// The world thread did not reply within [`REPLY_TIMEOUT`].
    #[error("the world thread did not reply in time")]
    TimedOut,
    /// The simulation rejected the command; the world is unchanged.
    #[error(transparent)]
    Rejected(#[from] SimError),
    /// The command ran but could not be saved, so it was not acknowledged.
    #[error("the change could not be saved to the database")]
    NotDurable,
}

/// A cheap, cloneable sender of commands to the world thread. Sending never
/// blocks: a full queue is reported as [`WorldError::Busy`].
#[derive(Clone, Debug)]
pub struct WorldHandle {
    /// The bounded command queue the world thread drains.
    sender: Sender<Command>,
    /// Cleared by the world thread when it exits, normally or by panic.
    alive: Arc<AtomicBool>,
    /// The summary the world thread last published.
    board: StatusBoard,
}

impl WorldHandle {
    pub(super) fn new(sender: Sender<Command>, alive: Arc<AtomicBool>, board: StatusBoard) -> Self {
        WorldHandle { sender, alive, board }
    }

    /// Returns the world's summary as the world thread last published it:
    /// after its last batch of steps and its last change. A change shows here
    /// before it is acknowledged, as it does to every other read, and stays
    /// if its journal commit fails. No round trip to the world thread is needed.
    pub fn status(&self) -> Result<StatusView, WorldError> {
        if !self.is_alive() {
            return Err(WorldError::Stopped);
        }
        Ok(self.board.read())
    }

    /// Checks whether the world thread is still running.
    pub fn is_alive(&self) -> bool {
        self.alive.load(Ordering::Acquire)
    }

    /// Sends the command built by `make` and awaits its reply without blocking
    /// the async runtime.
    pub async fn request<T>(&self, make: impl FnOnce(Reply<T>) -> Command) -> Result<T, WorldError> {
        if !self.is_alive() {
            return Err(WorldError::Stopped);
        }
        let (reply, answer) = oneshot::channel();
        match self.sender.try_send(make(reply)) {
            Ok(()) => {}
            Err(TrySendError::Full(command)) => {
                tracing::debug!(command = command.name(), "command queue full");
                return Err(WorldError::Busy);
            }
            Err(TrySendError::Disconnected(_)) => return Err(WorldError::Stopped),
        }

        match tokio::time::timeout(REPLY_TIMEOUT, answer).await {
            Err(_) => Err(WorldError::TimedOut),
            Ok(Err(_)) => Err(WorldError::Stopped),
            Ok(Ok(outcome)) => outcome.map_err(|error| match error {
                CommandError::Rejected(error) => WorldError::Rejected(error),
                CommandError::NotDurable => WorldError::NotDurable,
            }),
        }
    }

    /// Asks the world thread to stop after the commands already queued. Waits
    /// up to a second for queue space.
    pub fn shutdown(&self) {
        let _ = self.sender.send_timeout(Command::Shutdown, Duration::from_secs(1));
    }

    /// Makes the world thread panic. Only tests use it, to check that the
    /// server reports the failure instead of hanging.
    #[doc(hidden)]
    pub fn crash(&self) {
        let _ = self.sender.send_timeout(Command::Crash, Duration::from_secs(1));
    }
}
