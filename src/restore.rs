//! `reynard restore FILE [--force]`: loads a world exported by
//! `GET /api/ecs/export` into the database.

use std::collections::HashMap;

use reynard_systems::{Simulation, WorldSnapshot, SNAPSHOT_FORMAT_VERSION};

use crate::auth::tokens::unix_now;
use crate::auth::AuthConfig;
use crate::db::Database;
use crate::durability::store;

/// Usage of the subcommand.
pub const USAGE: &str = "usage:
  reynard restore FILE [--force]   load a world exported by GET /api/ecs/export into DATABASE_URL;
                                   --force replaces a world that is already stored";

/// Runs `reynard restore ARGS…` and returns the message to print on success.
pub async fn run(args: &[String], vars: &HashMap<String, String>) -> Result<String, String> {
    let (path, force) = match args {
        [path] => (path, false),
        [path, flag] | [flag, path] if flag == "--force" => (path, true),
        _ => return Err(USAGE.to_owned()),
    };

    let text = std::fs::read_to_string(path).map_err(|error| format!("could not read {path}: {error}"))?;
    let snapshot: WorldSnapshot = serde_json::from_str(&text).map_err(|error| format!("{path} is not a world export: {error}"))?;
    if snapshot.format_version != SNAPSHOT_FORMAT_VERSION {
        return Err(format!(
            "{path} uses format version {}, but this server reads version {SNAPSHOT_FORMAT_VERSION}",
            snapshot.format_version
        ));
    }
    let sim = Simulation::from_snapshot(snapshot.clone()).map_err(|error| format!("{path} is not a consistent world: {error}"))?;

    let url = vars.get("DATABASE_URL").cloned().unwrap_or_else(|| AuthConfig::default().database_url);
    let db = Database::connect(&url).await.map_err(|error| error.to_string())?;
    if !force && store::has_world(&db).await.map_err(|error| error.to_string())? {
        return Err("the database already holds a world; pass --force to replace it".to_owned());
    }
    // The world is stored as this build writes it, so the journal the server
    // adds next follows a snapshot of this build's rules version, whatever
    // version the export records.
    let body = serde_json::to_string(&sim.snapshot()).map_err(|error| error.to_string())?;
    store::replace_world(&db, SNAPSHOT_FORMAT_VERSION, snapshot.tick, &body, unix_now() as i64)
        .await
        .map_err(|error| error.to_string())?;
    Ok(format!(
        "restored a world of {} agents at tick {} (digest {})",
        snapshot.agents.len(),
        snapshot.tick,
        sim.digest()
    ))
}
