//! Recovery at startup: the latest snapshot plus a deterministic replay of the
//! journal after it gives back the exact world that existed before a crash.

use std::time::Instant;

use reynard_systems::{SimError, Simulation, WorldCommand, WorldSnapshot, RULES_VERSION, SNAPSHOT_FORMAT_VERSION};

use super::store;
use crate::auth::tokens::unix_now;
use crate::config::Config;
use crate::db::{Database, DbError};

/// A failure to load the stored world. The database is left untouched.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    #[error(transparent)]
    Database(#[from] DbError),
    #[error(
        "the stored world uses snapshot format version {found}, but this server reads versions up to \
         {SNAPSHOT_FORMAT_VERSION}; run a newer server on this database"
    )]
    UnknownVersion { found: i64 },
    #[error(
        "the stored world has {entries} journal entries and {steps} fixed steps after its last snapshot, \
         recorded under simulation rules version {found}; this server would redo them under version \
         {RULES_VERSION} and give other agents than the ones that existed. Start the previous server on \
         this database and stop it with SIGTERM (its final snapshot leaves nothing to redo), then start \
         this one"
    )]
    RulesChanged { found: u32, entries: usize, steps: u64 },
    #[error("snapshot {id} cannot be read: {reason}")]
    BadSnapshot { id: i64, reason: String },
    #[error("invalid simulation settings: {0}")]
    Settings(#[from] SimError),
}

/// A world ready to run, and the number its next journal entry gets.
pub struct Recovered {
    pub sim: Simulation,
    pub next_seq: u64,
}

/// Loads the stored world, or creates a new one from `config` and stores its
/// first snapshot so its seed and rules survive a crash.
pub async fn recover_or_create(db: &Database, config: &Config, seed: u64) -> Result<Recovered, RecoveryError> {
    let Some(stored) = store::latest_snapshot(db).await? else {
        let sim = Simulation::new(config.settings.clone(), config.clock, seed)?;
        save(db, &sim, 0).await?;
        let seed_source = if config.seed.is_some() { "WORLD_SEED" } else { "drawn at startup" };
        tracing::info!(seed, seed_source, "new world created");
        return Ok(Recovered { sim, next_seq: 1 });
    };

    if stored.format_version > i64::from(SNAPSHOT_FORMAT_VERSION) || stored.format_version < 1 {
        return Err(RecoveryError::UnknownVersion { found: stored.format_version });
    }
    let started = Instant::now();
    let snapshot: WorldSnapshot = serde_json::from_str(&stored.body)
        .map_err(|error| RecoveryError::BadSnapshot { id: stored.id, reason: error.to_string() })?;
    let entries = store::entries_after(db, stored.last_seq).await?;
    let progress = store::progress(db).await?.unwrap_or(stored.tick).max(0) as u64;
    let found_rules = snapshot.rules_version;
    let rules_changed = found_rules != RULES_VERSION;
    let steps_ahead = progress.saturating_sub(snapshot.tick);
    if rules_changed && (!entries.is_empty() || steps_ahead > 0) {
        return Err(RecoveryError::RulesChanged { found: found_rules, entries: entries.len(), steps: steps_ahead });
    }
    let mut sim = Simulation::from_snapshot(snapshot)
        .map_err(|error| RecoveryError::BadSnapshot { id: stored.id, reason: error.to_string() })?;

    let replay = replay(&mut sim, &entries);
    let catch_up = progress.saturating_sub(sim.tick());
    sim.nudge(u32::try_from(catch_up).unwrap_or(u32::MAX));

    let last_seq = store::last_seq(db, stored.last_seq).await?.max(0) as u64;
    if rules_changed || replay.replayed > 0 || catch_up > 0 || replay.stopped_at.is_some() {
        // A fresh snapshot makes the next start quick, drops any damaged
        // entries, and puts the journal that follows behind this build's rules.
        save(db, &sim, last_seq).await?;
    }
    if rules_changed {
        tracing::info!(from = found_rules, to = RULES_VERSION, "world stored under new simulation rules");
    }
    tracing::info!(
        snapshot_tick = stored.tick,
        entries_replayed = replay.replayed,
        steps_rerun = sim.tick().saturating_sub(stored.tick.max(0) as u64),
        tick = sim.tick(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "world recovered"
    );
    warn_on_changed_rules(config, &sim);
    Ok(Recovered { sim, next_seq: last_seq + 1 })
}

/// Outcome of a journal replay.
struct Replay {
    replayed: usize,
    /// Sequence number of the first entry that could not be replayed.
    stopped_at: Option<i64>,
}

/// Re-runs fixed steps up to each entry's tick and applies its command. A
/// damaged entry ends the replay at the last intact one.
fn replay(sim: &mut Simulation, entries: &[store::StoredEntry]) -> Replay {
    let mut replayed = 0;
    for entry in entries {
        let command = match serde_json::from_str::<WorldCommand>(&entry.command) {
            Ok(command) => command,
            Err(error) => {
                tracing::warn!(seq = entry.seq, %error, "journal entry is damaged; replay ends at the entry before it");
                return Replay { replayed, stopped_at: Some(entry.seq) };
            }
        };
        let Some(steps) = u64::try_from(entry.tick).ok().and_then(|tick| tick.checked_sub(sim.tick())) else {
            tracing::warn!(seq = entry.seq, tick = entry.tick, world_tick = sim.tick(), "journal entry is older than the world; replay ends");
            return Replay { replayed, stopped_at: Some(entry.seq) };
        };
        sim.nudge(u32::try_from(steps).unwrap_or(u32::MAX));
        if let Err(error) = command.apply(sim) {
            tracing::warn!(seq = entry.seq, %error, "journaled command was rejected on replay");
        }
        replayed += 1;
    }
    Replay { replayed, stopped_at: None }
}

async fn save(db: &Database, sim: &Simulation, last_seq: u64) -> Result<(), DbError> {
    let snapshot = sim.snapshot();
    let body = serde_json::to_string(&snapshot).expect("snapshots always serialise");
    store::save_snapshot(db, SNAPSHOT_FORMAT_VERSION, snapshot.tick, last_seq, &body, unix_now() as i64).await
}

/// Warns when the configured rules differ from the stored world's. A world's
/// rules are fixed when it is created; a changed variable applies only to a new world.
fn warn_on_changed_rules(config: &Config, sim: &Simulation) {
    let stored = sim.settings();
    let configured = &config.settings;
    let changed = stored.steps_per_year != configured.steps_per_year
        || stored.max_agents != configured.max_agents
        || stored.breeding_cooldown_steps != configured.breeding_cooldown_steps
        || stored.max_offspring != configured.max_offspring
        || stored.kinship_limit != configured.kinship_limit
        || stored.compatibility_threshold != configured.compatibility_threshold
        || stored.breeding_interval_steps != configured.breeding_interval_steps
        || stored.mutation_stddev != configured.mutation_stddev;
    if changed {
        tracing::warn!("the stored world keeps the rules it was created with; changed simulation variables apply only to a new world");
    }
}
