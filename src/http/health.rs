//! `GET /api/health`: healthy only while the world thread replies.

use std::time::Duration;

use axum::extract::State;
use axum::routing::get;
use axum::Json;
use serde_json::{json, Value};

use super::error::{ApiError, ErrorBody};
use super::routes::Routes;
use crate::world::{Command, WorldError, WorldHandle};

/// How long the health check waits for the world thread.
const PING_TIMEOUT: Duration = Duration::from_secs(2);

pub fn router() -> Routes {
    Routes::new().route("/api/health", get(health)).route("/api/health/live", get(live))
}

/// 200 with the current tick when the world thread replies within
/// [`PING_TIMEOUT`]; 503 when it has stopped, is stuck or its queue is full.
#[utoipa::path(
    get,
    path = "/api/health",
    tag = "health",
    responses(
        (status = 200, description = "`{\"status\": \"healthy\", \"tick\": step}`", body = Object),
        (status = 503, description = "The world thread has stopped or does not reply", body = ErrorBody)
    )
)]
async fn health(State(world): State<WorldHandle>) -> Result<Json<Value>, ApiError> {
    let ping = world.request(Command::Ping);
    let tick = match tokio::time::timeout(PING_TIMEOUT, ping).await {
        Ok(outcome) => outcome?,
        Err(_) => return Err(WorldError::TimedOut.into()),
    };
    Ok(Json(json!({ "status": "healthy", "tick": tick })))
}

/// 200 as long as the HTTP server runs. It touches neither the world nor the
/// database, so load tests use it as the framework's ceiling.
#[utoipa::path(
    get,
    path = "/api/health/live",
    tag = "health",
    responses((status = 200, description = "`{\"status\": \"alive\"}`", body = Object))
)]
async fn live() -> Json<Value> {
    Json(json!({ "status": "alive" }))
}
