//! The journal writer: an async task that commits journal entries in groups,
//! records progress, and stores snapshots off the world thread.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Instant;

use reynard_systems::{WorldSnapshot, SNAPSHOT_FORMAT_VERSION};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::store::{self, NewEntry};
use crate::auth::tokens::unix_now;
use crate::db::Database;

/// Records waiting for the writer before the world thread blocks; this is
/// the back-pressure that keeps memory bounded when the database is slow.
pub const CHANNEL_CAPACITY: usize = 4096;

/// Entries committed in one transaction at most.
const MAX_GROUP: usize = 1024;

/// Called once an entry's transaction has ended: `true` if it committed.
pub type Ack = Box<dyn FnOnce(bool) + Send>;

/// A record the world thread hands to the writer.
pub enum Record {
    /// A command to journal; its acknowledgement waits for the commit.
    Entry { entry: NewEntry, ack: Ack },
    /// The step the world has reached.
    Progress(u64),
    /// A full snapshot covering the journal up to `last_seq`.
    Snapshot { snapshot: Box<WorldSnapshot>, last_seq: u64 },
}

/// Set by the writer when a journal commit fails. The world thread then takes
/// a snapshot as soon as it can: the failed commands are still in the world,
/// and without the snapshot a replay would skip them.
pub type SnapshotNeeded = Arc<AtomicBool>;

/// Starts the writer. It ends when every sender is dropped and all records are written.
pub fn spawn(db: Database) -> (mpsc::Sender<Record>, SnapshotNeeded, JoinHandle<()>) {
    let (sender, receiver) = mpsc::channel(CHANNEL_CAPACITY);
    let needed = SnapshotNeeded::default();
    (sender, Arc::clone(&needed), tokio::spawn(run(db, receiver, needed)))
}

async fn run(db: Database, mut receiver: mpsc::Receiver<Record>, snapshot_needed: SnapshotNeeded) {
    while let Some(first) = receiver.recv().await {
        let mut group = Group::default();
        group.add(first);
        while group.entries.len() < MAX_GROUP {
            match receiver.try_recv() {
                Ok(record) => group.add(record),
                Err(_) => break,
            }
        }
        if !group.commit(&db).await {
            snapshot_needed.store(true, Ordering::Release);
        }
        for (snapshot, last_seq) in group.snapshots {
            write_snapshot(&db, *snapshot, last_seq).await;
        }
    }
    tracing::debug!("journal writer stopped");
}

/// Records taken from the channel together: entries and progress commit in
/// one transaction; snapshots are written after it.
#[derive(Default)]
struct Group {
    entries: Vec<NewEntry>,
    acks: Vec<Ack>,
    progress: Option<u64>,
    snapshots: Vec<(Box<WorldSnapshot>, u64)>,
}

impl Group {
    fn add(&mut self, record: Record) {
        match record {
            Record::Entry { entry, ack } => {
                self.progress = self.progress.max(Some(entry.tick));
                self.entries.push(entry);
                self.acks.push(ack);
            }
            Record::Progress(tick) => self.progress = self.progress.max(Some(tick)),
            Record::Snapshot { snapshot, last_seq } => {
                self.progress = self.progress.max(Some(snapshot.tick));
                self.snapshots.push((snapshot, last_seq));
            }
        }
    }

    /// Commits the entries and progress; returns false if the commit failed.
    async fn commit(&mut self, db: &Database) -> bool {
        if self.entries.is_empty() && self.progress.is_none() {
            return true;
        }
        let committed = match store::append(db, &self.entries, self.progress).await {
            Ok(()) => true,
            Err(error) => {
                let first = self.entries.first().map(|entry| entry.seq);
                tracing::error!(%error, entries = self.entries.len(), first_seq = ?first, "journal commit failed; the commands were not acknowledged");
                false
            }
        };
        for ack in self.acks.drain(..) {
            ack(committed);
        }
        committed
    }
}

async fn write_snapshot(db: &Database, snapshot: WorldSnapshot, last_seq: u64) {
    let started = Instant::now();
    let tick = snapshot.tick;
    let agents = snapshot.agents.len();
    let body = match tokio::task::spawn_blocking(move || serde_json::to_string(&snapshot)).await {
        Ok(Ok(body)) => body,
        Ok(Err(error)) => {
            tracing::error!(%error, tick, "could not serialise a snapshot");
            return;
        }
        Err(error) => {
            tracing::error!(%error, tick, "snapshot serialisation task failed");
            return;
        }
    };
    match store::save_snapshot(db, SNAPSHOT_FORMAT_VERSION, tick, last_seq, &body, unix_now() as i64).await {
        Ok(()) => tracing::info!(
            tick,
            last_seq,
            agents,
            bytes = body.len(),
            elapsed_ms = started.elapsed().as_millis() as u64,
            "snapshot written"
        ),
        Err(error) => tracing::error!(%error, tick, "could not write a snapshot; the journal is kept"),
    }
}
