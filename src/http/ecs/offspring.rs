//! `POST /api/ecs/agents/offspring`: breed two agents on request.

use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;
use reynard_systems::OffspringRequest;
use serde::Deserialize;

use super::agents::created;
use crate::http::error::ApiError;
use crate::http::extract::Json;
use crate::http::principal::Authenticated;
use crate::http::state::AppState;
use crate::world::{Command, WorldHandle};

pub fn router() -> Router<AppState> {
    // The static path takes precedence over `/agents/{agent_id}`, so it also
    // serves GET for an agent whose id is `offspring`.
    Router::new().route("/agents/offspring", post(create_offspring).get(show_agent_named_offspring))
}

async fn show_agent_named_offspring(State(world): State<WorldHandle>) -> Result<impl IntoResponse, ApiError> {
    let agent = world.request(|reply| Command::Agent("offspring".to_owned(), reply)).await?;
    Ok(axum::Json(agent))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OffspringBody {
    parent1_id: String,
    parent2_id: String,
    offspring_id: String,
    name: Option<String>,
}

/// 201 with the offspring; 404 for a missing parent; 409 with every failed
/// rule when the pair may not breed or the id is taken.
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
