//! `GET /api/ecs/export`: the whole world as JSON, for backups (admin only).
//!
//! The body is a snapshot in the format `reynard restore` reads: format
//! version, tick, rules, clock, RNG state, counters, and every agent in
//! creation order. Two exports of the same world are byte-identical, so
//! they can be diffed.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::http::error::ApiError;
use crate::http::principal::{require_admin, Authenticated};
use crate::http::state::AppState;
use crate::world::{Command, WorldHandle};

pub fn router() -> Router<AppState> {
    Router::new().route("/export", get(export))
}

/// Copies the world on the world thread and serialises it on a blocking
/// thread, so a large world does not hold up other requests.
async fn export(State(world): State<WorldHandle>, Authenticated(principal): Authenticated) -> Result<impl IntoResponse, ApiError> {
    require_admin(&principal, "exporting the world")?;
    let snapshot = world.request(Command::Export).await?;
    let tick = snapshot.tick;
    let body = tokio::task::spawn_blocking(move || serde_json::to_vec_pretty(&snapshot))
        .await
        .map_err(|error| {
            tracing::error!(%error, "export serialisation task failed");
            ApiError::Internal
        })?
        .map_err(|error| {
            tracing::error!(%error, "could not serialise the world for export");
            ApiError::Internal
        })?;
    tracing::info!(user_id = %principal.user_id, tick, bytes = body.len(), "world exported");
    let disposition = format!("attachment; filename=\"reynard-world-{tick}.json\"");
    Ok(([(header::CONTENT_TYPE, "application/json".to_owned()), (header::CONTENT_DISPOSITION, disposition)], body))
}
