//! `GET /api/ecs/status` and `GET /api/ecs/digest`.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use reynard_systems::views::StatusView;
use serde_json::{json, Value};

use crate::http::error::ApiError;
use crate::http::state::AppState;
use crate::world::{Command, WorldHandle};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/status", get(status))
        .route("/digest", get(digest))
}

async fn status(State(world): State<WorldHandle>) -> Result<Json<StatusView>, ApiError> {
    Ok(Json(world.request(Command::Status).await?))
}

/// Returns the world digest and the tick it describes, so two runs can be compared.
async fn digest(State(world): State<WorldHandle>) -> Result<Json<Value>, ApiError> {
    let (digest, tick) = world.request(Command::Digest).await?;
    Ok(Json(json!({ "digest": digest, "tick": tick })))
}
