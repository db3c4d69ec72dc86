//! `GET /api/ecs/agents`, `POST /api/ecs/agents` and `GET /api/ecs/agents/{agent_id}`.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use reynard_systems::views::{AgentDetail, AgentPage};
use reynard_systems::{AgentFilter, LifeStage, NewAgent, TraitCategory, TraitName};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::{check_range, parse_choice};
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Json, Path, Query};
use crate::http::principal::Authenticated;
use crate::http::routes::Routes;
use crate::world::{Command, WorldHandle};

/// Page size when the client gives none, and the largest it may ask for.
const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 1000;

pub fn router() -> Routes {
    Routes::new()
        .route("/agents", get(list).post(create))
        .route("/agents/{agent_id}", get(show))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ListQuery {
    /// Page size, 1 to 1000; 100 when absent.
    limit: Option<usize>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Only agents of this spirit.
    spirit: Option<String>,
    /// Only agents in this stage: infant, juvenile, adult or elder.
    stage: Option<String>,
    /// Only living (`true`) or deceased (`false`) agents.
    alive: Option<bool>,
}

#[utoipa::path(
    get,
    path = "/api/ecs/agents",
    tag = "agents",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of agents", body = AgentPage),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn list(State(world): State<WorldHandle>, Query(query): Query<ListQuery>) -> Result<axum::Json<AgentPage>, ApiError> {
    let limit = check_range("limit", query.limit.unwrap_or(DEFAULT_PAGE), 1, MAX_PAGE)?;
    let filter = AgentFilter {
        spirit: query.spirit.as_deref().map(|text| parse_choice("spirit", text, "/api/ecs/naming/spirits")).transpose()?,
        stage: query.stage.as_deref().map(parse_stage).transpose()?,
        alive: query.alive,
    };

    let page = world
        .request(|reply| Command::Agents { filter, cursor: query.cursor, limit, reply })
        .await?;
    Ok(axum::Json(page))
}

pub(crate) fn parse_stage(text: &str) -> Result<LifeStage, ApiError> {
    text.parse()
        .map_err(|_| ApiError::field("stage", format!("must be one of infant, juvenile, adult, elder, got '{text}'")))
}

/// The body of `POST /api/ecs/agents`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct CreateAgentBody {
    agent_id: String,
    spirit: Option<String>,
    style: Option<String>,
    name: Option<String>,
    /// Starting age in simulated years.
    age: Option<f64>,
    /// `{"personality": {"courage": 0.9}, ...}`: traits to set instead of drawing them.
    traits: Option<BTreeMap<String, BTreeMap<String, f64>>>,
}

#[utoipa::path(
    post,
    path = "/api/ecs/agents",
    tag = "agents",
    request_body = CreateAgentBody,
    responses(
        (status = 201, description = "The agent was created", body = AgentDetail),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 409, description = "Conflicts with the world's state", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn create(
    State(world): State<WorldHandle>,
    Authenticated(principal): Authenticated,
    Json(body): Json<CreateAgentBody>,
) -> Result<impl IntoResponse, ApiError> {
    let request = NewAgent {
        agent_id: body.agent_id,
        name: body.name,
        spirit: body.spirit.as_deref().map(|text| parse_choice("spirit", text, "/api/ecs/naming/spirits")).transpose()?,
        style: body.style.as_deref().map(|text| parse_choice("style", text, "/api/ecs/naming/styles")).transpose()?,
        age_years: body.age,
        traits: parse_traits(body.traits.unwrap_or_default())?,
        created_by: Some(principal.username),
    };

    let agent = world.request(|reply| Command::CreateAgent(request, reply)).await?;
    Ok(created(agent))
}

/// Turns `{"category": {"trait": value}}` into trait overrides, rejecting
/// unknown categories and names. Value ranges are checked by the simulation.
pub(crate) fn parse_traits(groups: BTreeMap<String, BTreeMap<String, f64>>) -> Result<Vec<(TraitName, f64)>, ApiError> {
    let mut overrides = Vec::new();
    for (category_name, values) in groups {
        let category = TraitCategory::ALL
            .into_iter()
            .find(|category| category.as_str() == category_name)
            .ok_or_else(|| {
                ApiError::field(
                    &format!("traits.{category_name}"),
                    "is not a trait category: use personality, physical or abilities",
                )
            })?;
        for (name, value) in values {
            let field = format!("traits.{category_name}.{name}");
            let trait_name = TraitName::find(category, &name)
                .ok_or_else(|| ApiError::field(&field, format!("is not a {} trait", category.as_str())))?;
            overrides.push((trait_name, value));
        }
    }
    Ok(overrides)
}

/// Builds a 201 response with the agent and a `Location` header pointing at it.
pub(super) fn created(agent: AgentDetail) -> impl IntoResponse {
    let location = format!("/api/ecs/agents/{}", agent.summary.agent_id);
    (StatusCode::CREATED, [(header::LOCATION, location)], axum::Json(agent))
}

#[utoipa::path(
    get,
    path = "/api/ecs/agents/{agent_id}",
    tag = "agents",
    params(("agent_id" = String, Path, description = "The agent's id")),
    responses(
        (status = 200, description = "Everything about the agent", body = AgentDetail),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 404, description = "No agent has this id", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn show(State(world): State<WorldHandle>, Path(agent_id): Path<String>) -> Result<axum::Json<AgentDetail>, ApiError> {
    let agent = world.request(|reply| Command::Agent(agent_id, reply)).await?;
    Ok(axum::Json(agent))
}
