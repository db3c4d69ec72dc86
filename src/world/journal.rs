//! The world thread's side of durability: numbering journal entries, and
//! handing entries, progress and snapshots to the journal writer.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use reynard_systems::{Simulation, WorldCommand};
use tokio::sync::mpsc;

use crate::durability::store::NewEntry;
use crate::durability::writer::{Ack, Record, SnapshotNeeded};

/// How often the world thread records the step it has reached.
pub const PROGRESS_INTERVAL: Duration = Duration::from_secs(1);

/// Journal state owned by the world thread.
pub struct Journal {
    /// Channel to the journal writer; sending blocks while it is full.
    sender: mpsc::Sender<Record>,
    /// Sequence number of the next entry.
    next_seq: u64,
    /// When progress was last recorded, and the tick recorded then.
    last_progress: (Instant, u64),
    /// When the last snapshot was taken.
    last_snapshot: Instant,
    /// Real time between periodic snapshots.
    snapshot_interval: Duration,
    /// Raised by the writer after a failed commit, and cleared by taking a snapshot.
    snapshot_needed: SnapshotNeeded,
}

impl Journal {
    /// Creates the journal; the first entry gets `next_seq`.
    pub fn new(
        sender: mpsc::Sender<Record>,
        snapshot_needed: SnapshotNeeded,
        next_seq: u64,
        tick: u64,
        snapshot_interval: Duration,
    ) -> Self {
        let now = Instant::now();
        Journal { sender, next_seq, last_progress: (now, tick), last_snapshot: now, snapshot_interval, snapshot_needed }
    }

    /// Journals `command`, applied at `tick`. `ack` runs once the entry is
    /// committed (`true`) or failed to commit (`false`).
    pub fn record(&mut self, command: &WorldCommand, tick: u64, ack: Ack) {
        let seq = self.next_seq;
        self.next_seq += 1;
        let command = serde_json::to_string(command).expect("commands always serialise");
        let record = Record::Entry { entry: NewEntry { seq, tick, command }, ack };
        if let Err(mpsc::error::SendError(Record::Entry { ack, .. })) = self.sender.blocking_send(record) {
            tracing::error!(seq, "journal writer has stopped; command not acknowledged");
            ack(false);
        }
    }

    /// Records progress at most once per [`PROGRESS_INTERVAL`], and takes a
    /// snapshot when the interval has passed or a journal commit has failed.
    pub fn after_steps(&mut self, sim: &Simulation) {
        let tick = sim.tick();
        let (sent_at, sent_tick) = self.last_progress;
        if tick != sent_tick && sent_at.elapsed() >= PROGRESS_INTERVAL {
            self.last_progress = (Instant::now(), tick);
            let _ = self.sender.blocking_send(Record::Progress(tick));
        }
        let after_failure = self.snapshot_needed.swap(false, Ordering::AcqRel);
        if after_failure {
            tracing::warn!("taking a snapshot early because a journal commit failed");
        }
        if after_failure || self.last_snapshot.elapsed() >= self.snapshot_interval {
            self.snapshot(sim);
        }
    }

    /// Copies the world and hands the copy to the writer, which serialises
    /// and stores it off this thread.
    pub fn snapshot(&mut self, sim: &Simulation) {
        let started = Instant::now();
        let snapshot = Box::new(sim.snapshot());
        let pause = started.elapsed();
        self.last_snapshot = Instant::now();
        self.last_progress = (self.last_snapshot, snapshot.tick);
        tracing::debug!(tick = snapshot.tick, pause_ms = pause.as_secs_f64() * 1000.0, "world copied for a snapshot");
        let last_seq = self.next_seq - 1;
        if self.sender.blocking_send(Record::Snapshot { snapshot, last_seq }).is_err() {
            tracing::error!("journal writer has stopped; snapshot not written");
        }
    }
}
