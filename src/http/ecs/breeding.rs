//! `POST /api/ecs/breeding/enable` and `GET /api/ecs/breeding/stats`.

use axum::body::Bytes;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use reynard_systems::views::BreedingStatsView;
use serde::{Deserialize, Serialize};

use crate::http::error::ApiError;
use crate::http::extract::Query;
use crate::world::{Command, WorldHandle};

pub fn router() -> Router<WorldHandle> {
    Router::new()
        .route("/breeding/enable", post(enable))
        .route("/breeding/stats", get(stats))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnableQuery {
    enabled: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnableBody {
    enabled: bool,
}

#[derive(Serialize)]
struct EnableResponse {
    enabled: bool,
    message: &'static str,
    stats: BreedingStatsView,
}

/// Turns automatic breeding on or off. The original API takes `?enabled=`;
/// a JSON body `{"enabled": bool}` works too. With neither, breeding is
/// enabled, as in the original; when both are given they must agree.
async fn enable(
    State(world): State<WorldHandle>,
    Query(query): Query<EnableQuery>,
    body: Bytes,
) -> Result<Json<EnableResponse>, ApiError> {
    let from_body = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let parsed: EnableBody = serde_json::from_slice(&body)
            .map_err(|error| ApiError::Unprocessable(format!("invalid JSON body: {error}")))?;
        Some(parsed.enabled)
    };
    let enabled = match (query.enabled, from_body) {
        (Some(a), Some(b)) if a != b => {
            return Err(ApiError::field("enabled", "must have the same value in the query string and the body"));
        }
        (query, body) => query.or(body).unwrap_or(true),
    };

    let stats = world.request(|reply| Command::SetBreeding(enabled, reply)).await?;
    tracing::info!(enabled, "automatic breeding switched");
    let message = if enabled { "automatic breeding enabled" } else { "automatic breeding disabled" };
    Ok(Json(EnableResponse { enabled, message, stats }))
}

async fn stats(State(world): State<WorldHandle>) -> Result<Json<BreedingStatsView>, ApiError> {
    Ok(Json(world.request(Command::BreedingStats).await?))
}
