//! Mate search and pairwise compatibility:
//! `GET /api/ecs/agents/{agent_id}/mates` and `GET /api/ecs/agents/{agent_id}/compatibility/{other_id}`.

use axum::extract::State;
use axum::routing::get;
use axum::Json;
use reynard_systems::views::{CompatibilityView, MateView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::check_range;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Path, Query};
use crate::http::routes::Routes;
use crate::world::{Command, WorldHandle};

pub fn router() -> Routes {
    Routes::new()
        .route("/agents/{agent_id}/mates", get(mates))
        .route("/agents/{agent_id}/compatibility/{other_id}", get(compatibility))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct MatesQuery {
    /// Most partners to return, 1 to 100; 5 when absent.
    max_results: Option<usize>,
}

#[derive(Serialize, ToSchema)]
struct MatesResponse {
    agent_id: String,
    compatible_mates: Vec<MateView>,
}

#[utoipa::path(
    get,
    path = "/api/ecs/agents/{agent_id}/mates",
    tag = "breeding",
    params(("agent_id" = String, Path, description = "The agent's id"), MatesQuery),
    responses(
        (status = 200, description = "Eligible partners, most compatible first", body = MatesResponse),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 404, description = "No agent has this id", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
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

#[utoipa::path(
    get,
    path = "/api/ecs/agents/{agent_id}/compatibility/{other_id}",
    tag = "breeding",
    params(("agent_id" = String, Path, description = "One agent's id"), ("other_id" = String, Path, description = "The other agent's id")),
    responses(
        (status = 200, description = "Compatibility, kinship and eligibility", body = CompatibilityView),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 404, description = "No agent has this id", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn compatibility(
    State(world): State<WorldHandle>,
    Path((agent_id, other_id)): Path<(String, String)>,
) -> Result<Json<CompatibilityView>, ApiError> {
    let report = world.request(|reply| Command::Compatibility { agent_id, other_id, reply }).await?;
    Ok(Json(report))
}
