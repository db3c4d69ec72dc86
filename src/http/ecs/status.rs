//! `GET /api/ecs/status` and `GET /api/ecs/digest`.

use axum::extract::State;
use axum::routing::get;
use axum::Json;
use reynard_systems::views::StatusView;
use serde_json::{json, Value};

use crate::http::error::{ApiError, ErrorBody};
use crate::http::routes::Routes;
use crate::world::{Command, WorldHandle};

pub fn router() -> Routes {
    Routes::new()
        .route("/status", get(status))
        .route("/digest", get(digest))
}

#[utoipa::path(
    get,
    path = "/api/ecs/status",
    tag = "world",
    responses(
        (status = 200, description = "The world at a glance", body = StatusView),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn status(State(world): State<WorldHandle>) -> Result<Json<StatusView>, ApiError> {
    Ok(Json(world.status()?))
}

/// Returns the world digest and the tick it describes, so two runs can be compared.
#[utoipa::path(
    get,
    path = "/api/ecs/digest",
    tag = "world",
    responses(
        (status = 200, description = "`{\"digest\": hex SHA-256, \"tick\": step}`", body = Object),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn digest(State(world): State<WorldHandle>) -> Result<Json<Value>, ApiError> {
    let (digest, tick) = world.request(Command::Digest).await?;
    Ok(Json(json!({ "digest": digest, "tick": tick })))
}
