//! `POST /api/ecs/agents/offspring`: breed two agents on request.

use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::post;
use reynard_systems::OffspringRequest;
use serde::Deserialize;
use utoipa::ToSchema;

use super::agents::created;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::Json;
use crate::http::principal::Authenticated;
use crate::http::routes::Routes;
use crate::world::{Command, WorldHandle};

pub fn router() -> Routes {
    // The static path takes precedence over `/agents/{agent_id}`, so it also
    // serves GET for an agent whose id is `offspring`.
    Routes::new().route("/agents/offspring", post(create_offspring).get(show_agent_named_offspring))
}

async fn show_agent_named_offspring(State(world): State<WorldHandle>) -> Result<impl IntoResponse, ApiError> {
    let agent = world.request(|reply| Command::Agent("offspring".to_owned(), reply)).await?;
    Ok(axum::Json(agent))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct OffspringBody {
    parent1_id: String,
    parent2_id: String,
    offspring_id: String,
    name: Option<String>,
}

/// 201 with the offspring; 404 for a missing parent; 409 with every failed
/// rule when the pair may not breed or the id is taken.
#[utoipa::path(
    post,
    path = "/api/ecs/agents/offspring",
    tag = "agents",
    request_body = OffspringBody,
    responses(
        (status = 201, description = "The offspring was born", body = reynard_systems::views::AgentDetail),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 404, description = "No agent has this id", body = ErrorBody),
        (status = 409, description = "Conflicts with the world's state", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn create_offspring(
    State(world): State<WorldHandle>,
    Authenticated(principal): Authenticated,
    Json(body): Json<OffspringBody>,
) -> Result<impl IntoResponse, ApiError> {
    let request = OffspringRequest {
        parent1_id: body.parent1_id,
        parent2_id: body.parent2_id,
        offspring_id: body.offspring_id,
        name: body.name,
        created_by: Some(principal.username),
    };
    let offspring = world.request(|reply| Command::Breed(request, reply)).await?;
    Ok(created(offspring))
}
