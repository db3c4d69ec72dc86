//! Mate search and pairwise compatibility:
//! `GET /api/ecs/agents/{agent_id}/mates` and `GET /api/ecs/agents/{agent_id}/compatibility/{other_id}`.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use reynard_systems::views::{CompatibilityView, MateView};
use serde::{Deserialize, Serialize};

use super::check_range;
use crate::http::error::ApiError;
use crate::http::extract::{Path, Query};
use crate::http::state::AppState;
use crate::world::{Command, WorldHandle};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/agents/{agent_id}/mates", get(mates))
        .route("/agents/{agent_id}/compatibility/{other_id}", get(compatibility))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MatesQuery {
    max_results: Option<usize>,
}

#[derive(Serialize)]
struct MatesResponse {
    agent_id: String,
    compatible_mates: Vec<MateView>,
}

async fn mates(
    State(world): State<WorldHandle>,
    Path(agent_id): Path<String>,
    Query(query): Query<MatesQuery>,
) -> Result<Json<MatesResponse>, ApiError> {
    let max_results = check_range("max_results", query.max_results.unwrap_or(5), 1, 100)?;
    let id = agent_id.clone();
    let compatible_mates = world.request(|reply| Command::Mates { agent_id: id, max_results, reply }).await?;
    Ok(Json(MatesResponse { agent_id, compatible_mates }))
}

async fn compatibility(
    State(world): State<WorldHandle>,
    Path((agent_id, other_id)): Path<(String, String)>,
) -> Result<Json<CompatibilityView>, ApiError> {
    let report = world.request(|reply| Command::Compatibility { agent_id, other_id, reply }).await?;
    Ok(Json(report))
}
