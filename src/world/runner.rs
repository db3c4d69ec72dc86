//! The world thread's loop: commands interleaved with fixed steps.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use crossbeam_channel::{Receiver, RecvTimeoutError};
use reynard_systems::Simulation;

use super::command::Command;
use super::handle::WorldHandle;
use super::journal::Journal;
use super::status::StatusBoard;

/// Commands run back to back before the clock is checked again, so a flood of
/// commands cannot hold fixed steps off for long.
const COMMAND_BATCH: usize = 256;

/// Stack of the world thread. Kinship recursion goes as deep as the pedigree,
/// which grows by a generation every couple of decades of simulated time.
const STACK_BYTES: usize = 64 * 1024 * 1024;

/// The running world thread.
pub struct WorldThread {
    join: JoinHandle<()>,
}

impl WorldThread {
    /// Waits for the thread to end. Returns false if it had panicked.
    pub fn join(self) -> bool {
        self.join.join().is_ok()
    }
}

/// Moves `sim` onto a new thread named `world` and returns the handle to
/// command it. The queue accepts at most `capacity` waiting commands.
pub fn spawn(sim: Simulation, capacity: usize, journal: Journal) -> std::io::Result<(WorldHandle, WorldThread)> {
    let (sender, receiver) = crossbeam_channel::bounded(capacity);
    let alive = Arc::new(AtomicBool::new(true));
    let flag = Arc::clone(&alive);
    let board = StatusBoard::new(&sim);
    let published = board.clone();

    let join = std::thread::Builder::new()
        .name("world".to_owned())
        .stack_size(STACK_BYTES)
        .spawn(move || {
            let outcome = panic::catch_unwind(AssertUnwindSafe(|| run(sim, &receiver, journal, &published)));
            flag.store(false, Ordering::Release);
            // A bounded channel keeps queued commands until every sender is gone,
            // so their requesters would wait for `REPLY_TIMEOUT`. Dropping the
            // commands here closes their reply channels, and each requester gets
            // `WorldError::Stopped` at once.
            // NOTE: a request that saw the thread alive just before the flag was
            // cleared can still enqueue after this drain, and it gets 503 only
            // when its reply times out.
            let abandoned = receiver.try_iter().count();
            drop(receiver);
            if abandoned > 0 {
                tracing::warn!(abandoned, "world thread ended with commands still queued; they were dropped");
            }
            if let Err(payload) = outcome {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|text| text.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "non-text panic payload".to_owned());
                tracing::error!(panic = %message, "world thread panicked; the world is no longer served");
                panic::resume_unwind(payload);
            }
        })?;
    Ok((WorldHandle::new(sender, alive, board), WorldThread { join }))
}

/// Sleeps until a command arrives or the next fixed step is due, never longer
/// and never busy-waiting. While paused it sleeps until a command arrives.
/// Each wake-up first advances the clock by the real time that passed, then
/// runs the commands waiting. The status board is republished after the
/// clock moves.
fn run(mut sim: Simulation, receiver: &Receiver<Command>, mut journal: Journal, board: &StatusBoard) {
    let mut last = Instant::now();
    loop {
        let received = match sim.until_next_step() {
            Some(wait) => receiver.recv_timeout(wait),
            None => receiver.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };

        let now = Instant::now();
        let tick = sim.tick();
        sim.advance(now - last);
        last = now;
        journal.after_steps(&sim);
        if sim.tick() != tick {
            board.publish(&sim);
        }

        let first = match received {
            Ok(command) => command,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let batch = std::iter::once(first).chain(receiver.try_iter().take(COMMAND_BATCH - 1));
        for command in batch {
            if matches!(command, Command::Shutdown) {
                tracing::info!(tick = sim.tick(), "world thread stopping; taking a final snapshot");
                journal.snapshot(&sim);
                return;
            }
            command.execute(&mut sim, &mut journal, board);
        }
    }
    tracing::info!(tick = sim.tick(), "world thread stopping: every handle was dropped");
}
