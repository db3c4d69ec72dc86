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

use crate::http::error::{ApiError, ErrorBody};
use crate::http::principal::{require_admin, Authenticated};
use crate::http::routes::Routes;
use crate::world::{Command, WorldHandle};

pub fn router() -> Routes {
    Routes::new().route("/export", get(export))
}

/// Copies the world on the world thread and serialises it on a blocking
/// thread, so a large world does not hold up other requests.
#[utoipa::path(
    get,
    path = "/api/ecs/export",
    tag = "world",
    responses(
        (status = 200, description = "The whole world as a snapshot, the format reynard restore reads", body = Object),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 403, description = "The caller is not an admin", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
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
