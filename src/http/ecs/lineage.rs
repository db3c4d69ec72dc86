//! `GET /api/ecs/agents/{agent_id}/lineage`: ancestors and descendants up to a depth.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use reynard_systems::views::LineageView;
use serde::Deserialize;

use super::check_range;
use crate::http::error::ApiError;
use crate::http::extract::{Path, Query};
use crate::http::state::AppState;
use crate::world::{Command, WorldHandle};

pub fn router() -> Router<AppState> {
    Router::new().route("/agents/{agent_id}/lineage", get(lineage))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LineageQuery {
    /// Generations to walk up and down, 1 to 16; 3 when absent.
    depth: Option<u32>,
}

async fn lineage(
    State(world): State<WorldHandle>,
    Path(agent_id): Path<String>,
    Query(query): Query<LineageQuery>,
) -> Result<Json<LineageView>, ApiError> {
    let depth = check_range("depth", query.depth.unwrap_or(3), 1, 16)?;
    let view = world.request(|reply| Command::Lineage { agent_id, depth, reply }).await?;
    Ok(Json(view))
}
