//! The MCP endpoint at `/mcp`: the world's operations as Model Context
//! Protocol tools over the Streamable HTTP transport, built on `rmcp`.
//!
//! Requests pass the same bearer-token check as `/api/ecs`, and a browser
//! `Origin` must be one of `ALLOWED_ORIGINS`. Tools run the same commands as
//! the REST routes and fail with the same messages. After each successful
//! call the world is nudged by `MCP_TIME_NUDGE_YEARS` of simulated time.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::header::ORIGIN;
use axum::http::request::Parts;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use reynard_systems::{AgentFilter, NewAgent, OffspringRequest};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::Extension;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, ServerCapabilities, ServerConfig};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use rmcp::{schemars, tool, tool_handler, tool_router, ErrorData, ServerHandler};
use serde::{Deserialize, Serialize};

use super::ecs::agents::{parse_stage, parse_traits};
use super::ecs::{check_range, parse_choice};
use super::error::ApiError;
use super::principal::{require_admin, require_token};
use super::state::AppState;
use crate::auth::Principal;
use crate::world::Command;

/// The MCP server: one instance per session, sharing the application state.
#[derive(Clone)]
pub struct ReynardMcp {
    state: AppState,
    tool_router: ToolRouter<Self>,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct NoArguments {}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct AgentId {
    /// The agent's id.
    pub agent_id: String,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct ListAgents {
    /// Page size, 1 to 1000; 100 when absent.
    pub limit: Option<usize>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only agents of this spirit.
    pub spirit: Option<String>,
    /// Only agents in this stage: infant, juvenile, adult or elder.
    pub stage: Option<String>,
    /// Only living (true) or deceased (false) agents.
    pub alive: Option<bool>,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct CreateAgent {
    /// 1 to 64 characters of A-Z a-z 0-9 . _ -
    pub agent_id: String,
    /// A spirit from the naming catalogue; fox when absent.
    pub spirit: Option<String>,
    /// A naming style; foundation when absent.
    pub style: Option<String>,
    /// Display name; generated when absent.
    pub name: Option<String>,
    /// Starting age in simulated years, 0 up to but excluding 100.
    pub age: Option<f64>,
    /// Trait values to set, as {"personality": {"courage": 0.9}}.
    pub traits: Option<BTreeMap<String, BTreeMap<String, f64>>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct CreateOffspring {
    pub parent1_id: String,
    pub parent2_id: String,
    /// Id of the new agent.
    pub offspring_id: String,
    pub name: Option<String>,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct FindMates {
    pub agent_id: String,
    /// Maximum number of partners to return, 1 to 100; 5 when absent.
    pub max_results: Option<usize>,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct Compatibility {
    pub agent_id: String,
    pub other_id: String,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct Lineage {
    pub agent_id: String,
    /// Generations up and down, 1 to 16; 3 when absent.
    pub depth: Option<u32>,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct SetBreeding {
    pub enabled: bool,
}

#[derive(Deserialize, schemars::JsonSchema)]
pub struct Nudge {
    /// Fixed steps to run, 1 to 10000.
    pub steps: u32,
}

/// Turns an outcome into a tool result: structured content on success, a
/// tool error with the REST API's message otherwise.
fn tool_result<T: Serialize>(outcome: Result<T, ApiError>) -> Result<CallToolResult, ErrorData> {
    match outcome {
        Ok(value) => {
            let value = serde_json::to_value(value).map_err(|error| ErrorData::internal_error(error.to_string(), None))?;
            Ok(CallToolResult::structured(value))
        }
        Err(error) => Ok(CallToolResult::error(vec![ContentBlock::text(error.detail().to_owned())])),
    }
}

/// Returns the caller, put in the request by the bearer-token check in front of `/mcp`.
fn principal(parts: &Parts) -> Result<Principal, ApiError> {
    parts
        .extensions
        .get::<Principal>()
        .cloned()
        .ok_or_else(|| ApiError::Unauthorized("missing bearer token".to_owned()))
}

#[tool_router]
impl ReynardMcp {
    pub fn new(state: AppState) -> Self {
        ReynardMcp { state, tool_router: Self::tool_router() }
    }

    /// Runs a tool's work, then nudges the clock if the work succeeded.
    async fn run<T: Serialize>(&self, work: impl Future<Output = Result<T, ApiError>>) -> Result<CallToolResult, ErrorData> {
        let outcome = work.await;
        if outcome.is_ok() && self.state.mcp_nudge_steps > 0 {
            let steps = self.state.mcp_nudge_steps;
            if let Err(error) = self.state.world.request(|reply| Command::Nudge(steps, reply)).await {
                tracing::warn!(%error, "the time nudge after an MCP tool call failed");
            }
        }
        tool_result(outcome)
    }

    #[tool(description = "World status: population counts, clock, seed and the breeding switch.")]
    async fn world_status(&self, Parameters(_): Parameters<NoArguments>) -> Result<CallToolResult, ErrorData> {
        self.run(async { Ok::<_, ApiError>(self.state.world.status()?) }).await
    }

    #[tool(description = "A page of agents in creation order, with optional filters.")]
    async fn list_agents(&self, Parameters(args): Parameters<ListAgents>) -> Result<CallToolResult, ErrorData> {
        self.run(async {
            let limit = check_range("limit", args.limit.unwrap_or(100), 1, 1000)?;
            let filter = AgentFilter {
                spirit: args.spirit.as_deref().map(|text| parse_choice("spirit", text, "/api/ecs/naming/spirits")).transpose()?,
                stage: args.stage.as_deref().map(parse_stage).transpose()?,
                alive: args.alive,
            };
            Ok::<_, ApiError>(self.state.world.request(|reply| Command::Agents { filter, cursor: args.cursor, limit, reply }).await?)
        })
        .await
    }

    #[tool(description = "Everything about one agent.")]
    async fn get_agent(&self, Parameters(args): Parameters<AgentId>) -> Result<CallToolResult, ErrorData> {
        self.run(async { Ok::<_, ApiError>(self.state.world.request(|reply| Command::Agent(args.agent_id, reply)).await?) })
            .await
    }

    #[tool(description = "Create a founder agent with an id of your choice.")]
    async fn create_agent(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(args): Parameters<CreateAgent>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run(async {
            let principal = principal(&parts)?;
            let request = NewAgent {
                agent_id: args.agent_id,
                name: args.name,
                spirit: args.spirit.as_deref().map(|text| parse_choice("spirit", text, "/api/ecs/naming/spirits")).transpose()?,
                style: args.style.as_deref().map(|text| parse_choice("style", text, "/api/ecs/naming/styles")).transpose()?,
                age_years: args.age,
                traits: parse_traits(args.traits.unwrap_or_default())?,
                created_by: Some(principal.username),
            };
            Ok::<_, ApiError>(self.state.world.request(|reply| Command::CreateAgent(request, reply)).await?)
        })
        .await
    }

    #[tool(description = "Breed two adult agents into a new offspring.")]
    async fn create_offspring(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(args): Parameters<CreateOffspring>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run(async {
            let principal = principal(&parts)?;
            let request = OffspringRequest {
                parent1_id: args.parent1_id,
                parent2_id: args.parent2_id,
                offspring_id: args.offspring_id,
                name: args.name,
                created_by: Some(principal.username),
            };
            Ok::<_, ApiError>(self.state.world.request(|reply| Command::Breed(request, reply)).await?)
        })
        .await
    }

    #[tool(description = "Partners an agent may breed with now, most compatible first.")]
    async fn find_mates(&self, Parameters(args): Parameters<FindMates>) -> Result<CallToolResult, ErrorData> {
        self.run(async {
            let max_results = check_range("max_results", args.max_results.unwrap_or(5), 1, 100)?;
            let agent_id = args.agent_id.clone();
            let mates = self.state.world.request(|reply| Command::Mates { agent_id, max_results, reply }).await?;
            Ok::<_, ApiError>(serde_json::json!({ "agent_id": args.agent_id, "compatible_mates": mates }))
        })
        .await
    }

    #[tool(description = "Compatibility, kinship and breeding eligibility of two agents.")]
    async fn analyze_compatibility(&self, Parameters(args): Parameters<Compatibility>) -> Result<CallToolResult, ErrorData> {
        self.run(async {
            let (agent_id, other_id) = (args.agent_id, args.other_id);
            Ok::<_, ApiError>(self.state.world.request(|reply| Command::Compatibility { agent_id, other_id, reply }).await?)
        })
        .await
    }

    #[tool(description = "An agent's parents, children, ancestors and descendants.")]
    async fn get_lineage(&self, Parameters(args): Parameters<Lineage>) -> Result<CallToolResult, ErrorData> {
        self.run(async {
            let depth = check_range("depth", args.depth.unwrap_or(3), 1, 16)?;
            let agent_id = args.agent_id;
            Ok::<_, ApiError>(self.state.world.request(|reply| Command::Lineage { agent_id, depth, reply }).await?)
        })
        .await
    }

    #[tool(description = "Turn automatic breeding on or off (admin only).")]
    async fn set_breeding(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(args): Parameters<SetBreeding>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run(async {
            require_admin(&principal(&parts)?, "switching automatic breeding")?;
            Ok::<_, ApiError>(self.state.world.request(|reply| Command::SetBreeding(args.enabled, reply)).await?)
        })
        .await
    }

    #[tool(description = "Population and breeding figures.")]
    async fn breeding_stats(&self, Parameters(_): Parameters<NoArguments>) -> Result<CallToolResult, ErrorData> {
        self.run(async { Ok::<_, ApiError>(self.state.world.request(Command::BreedingStats).await?) }).await
    }

    #[tool(description = "The simulation clock: tick, simulated years, acceleration and pause.")]
    async fn time_status(&self, Parameters(_): Parameters<NoArguments>) -> Result<CallToolResult, ErrorData> {
        self.run(async { Ok::<_, ApiError>(self.state.world.request(Command::Time).await?) }).await
    }

    #[tool(description = "Run fixed steps of simulated time now (admin only).")]
    async fn nudge_time(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(args): Parameters<Nudge>,
    ) -> Result<CallToolResult, ErrorData> {
        self.run(async {
            require_admin(&principal(&parts)?, "nudging the clock")?;
            let steps = check_range("steps", args.steps, 1, 10_000)?;
            Ok::<_, ApiError>(self.state.world.request(|reply| Command::Nudge(steps, reply)).await?)
        })
        .await
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for ReynardMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_instructions("Reynard World: create agents, breed them, read lineage and drive the simulation clock.")
    }
}

/// Builds the `/mcp` route: the Streamable HTTP service behind the Origin
/// check and the bearer-token check.
pub fn router(state: &AppState) -> Router<AppState> {
    let for_sessions = state.clone();
    let config = StreamableHttpServerConfig::default().with_allowed_hosts(state.http.trusted_hosts.clone());
    let service = StreamableHttpService::new(
        move || Ok(ReynardMcp::new(for_sessions.clone())),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    Router::new()
        .nest_service("/mcp", service)
        .layer(middleware::from_fn_with_state(state.clone(), require_token))
        .layer(middleware::from_fn_with_state(state.clone(), check_origin))
}

/// Rejects with 403 a request whose `Origin` is not an allowed origin, as the
/// MCP specification requires against DNS rebinding. Requests without an
/// `Origin` (non-browser clients) pass.
async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if let Some(origin) = request.headers().get(ORIGIN) {
        let allowed = origin.to_str().is_ok_and(|origin| state.http.allowed_origins.iter().any(|allowed| allowed == origin));
        if !allowed {
            tracing::info!(origin = ?origin, "MCP request from an origin that is not allowed");
            return ApiError::Forbidden("origin is not in ALLOWED_ORIGINS".to_owned()).into_response();
        }
    }
    next.run(request).await
}
