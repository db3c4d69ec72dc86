//! `GET /api/ecs/agents/{agent_id}/lineage`: ancestors and descendants up to a depth.

use axum::extract::State;
use axum::routing::get;
use axum::Json;
use reynard_systems::views::LineageView;
use serde::Deserialize;
use utoipa::IntoParams;

use super::check_range;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Path, Query};
use crate::http::routes::Routes;
use crate::world::{Command, WorldHandle};

pub fn router() -> Routes {
    Routes::new().route("/agents/{agent_id}/lineage", get(lineage))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct LineageQuery {
    /// Generations to walk up and down, 1 to 16; 3 when absent.
    depth: Option<u32>,
}

#[utoipa::path(
    get,
    path = "/api/ecs/agents/{agent_id}/lineage",
    tag = "agents",
    params(("agent_id" = String, Path, description = "The agent's id"), LineageQuery),
    responses(
        (status = 200, description = "Parents, children, ancestors and descendants", body = LineageView),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 404, description = "No agent has this id", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn lineage(
    State(world): State<WorldHandle>,
    Path(agent_id): Path<String>,
    Query(query): Query<LineageQuery>,
) -> Result<Json<LineageView>, ApiError> {
    let depth = check_range("depth", query.depth.unwrap_or(3), 1, 16)?;
    let view = world.request(|reply| Command::Lineage { agent_id, depth, reply }).await?;
    Ok(Json(view))
}
