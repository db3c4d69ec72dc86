//! `reynard mcp --url URL`: a stdio MCP server for clients that only speak
//! stdio. It offers the tools of the `/mcp` endpoint and forwards each call
//! to a running Reynard World over its REST API, through `reynard-client`.
//!
//! Credentials come from the environment: `REYNARD_USERNAME` and
//! `REYNARD_PASSWORD` to log in (the client then refreshes tokens itself), or
//! `REYNARD_TOKEN`, an access token. Nothing is read from the arguments.

use reynard_client::{AgentFilter, ClientError, CreateAgentRequest, CreateOffspringRequest, ReynardClient};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{CallToolResult, ContentBlock, ServerCapabilities, ServerConfig};
use rmcp::{tool, tool_handler, tool_router, ErrorData, ServerHandler, ServiceExt};
use serde::Serialize;

use crate::http::ecs::agents::{parse_stage, parse_traits};
use crate::http::ecs::parse_choice;
use crate::http::error::ApiError;
use crate::http::mcp::{
    AgentId, Compatibility, CreateAgent, CreateOffspring, FindMates, Lineage, ListAgents, NoArguments, Nudge, SetBreeding,
};

/// Usage of the subcommand.
pub const USAGE: &str = "usage:
  reynard mcp --url URL   serve MCP over stdio, forwarding to the Reynard World at URL;
                          credentials from REYNARD_USERNAME and REYNARD_PASSWORD, or REYNARD_TOKEN";

/// The stdio MCP server: the same tools as `/mcp`, each forwarded to REST.
#[derive(Clone)]
pub struct Bridge {
    client: std::sync::Arc<ReynardClient>,
    tool_router: ToolRouter<Self>,
}

/// Turns a REST outcome into a tool result: structured content, or a tool
/// error with the server's `detail` message.
fn tool_result<T: Serialize>(outcome: Result<T, ClientError>) -> Result<CallToolResult, ErrorData> {
    match outcome {
        Ok(value) => {
            let value = serde_json::to_value(value).map_err(|error| ErrorData::internal_error(error.to_string(), None))?;
            Ok(CallToolResult::structured(value))
        }
        Err(error) => {
            let message = error.detail().map_or_else(|| error.to_string(), str::to_owned);
            Ok(CallToolResult::error(vec![ContentBlock::text(message)]))
        }
    }
}

/// Reports a rule broken before any request is sent, as a tool error with
/// the REST API's wording.
fn rejected(error: ApiError) -> Result<CallToolResult, ErrorData> {
    Ok(CallToolResult::error(vec![ContentBlock::text(error.detail().to_owned())]))
}

#[tool_router]
impl Bridge {
    pub fn new(client: ReynardClient) -> Self {
        Bridge { client: std::sync::Arc::new(client), tool_router: Self::tool_router() }
    }

    #[tool(description = "World status: population counts, clock, seed and the breeding switch.")]
    async fn world_status(&self, Parameters(_): Parameters<NoArguments>) -> Result<CallToolResult, ErrorData> {
        tool_result(self.client.get_world_status().await)
    }

    #[tool(description = "A page of agents in creation order, with optional filters.")]
    async fn list_agents(&self, Parameters(args): Parameters<ListAgents>) -> Result<CallToolResult, ErrorData> {
        let spirit = args.spirit.as_deref().map(|text| parse_choice("spirit", text, "/api/ecs/naming/spirits")).transpose();
        let stage = args.stage.as_deref().map(parse_stage).transpose();
        let (spirit, stage) = match (spirit, stage) {
            (Ok(spirit), Ok(stage)) => (spirit, stage),
            (Err(error), _) | (_, Err(error)) => return rejected(error),
        };
        let filter = AgentFilter { spirit, stage, alive: args.alive };
        tool_result(self.client.get_agents(args.limit, args.cursor.as_deref(), &filter).await)
    }

    #[tool(description = "Everything about one agent.")]
    async fn get_agent(&self, Parameters(args): Parameters<AgentId>) -> Result<CallToolResult, ErrorData> {
        tool_result(self.client.get_agent(&args.agent_id).await)
    }

    #[tool(description = "Create a founder agent with an id of your choice.")]
    async fn create_agent(&self, Parameters(args): Parameters<CreateAgent>) -> Result<CallToolResult, ErrorData> {
        let mut request = CreateAgentRequest::new(args.agent_id);
        let parsed = (|| {
            request.spirit = args.spirit.as_deref().map(|text| parse_choice("spirit", text, "/api/ecs/naming/spirits")).transpose()?;
            request.style = args.style.as_deref().map(|text| parse_choice("style", text, "/api/ecs/naming/styles")).transpose()?;
            request.traits = parse_traits(args.traits.unwrap_or_default())?;
            Ok::<(), ApiError>(())
        })();
        if let Err(error) = parsed {
            return rejected(error);
        }
        request.name = args.name;
        request.age = args.age;
        tool_result(self.client.create_agent_with(&request).await)
    }

    #[tool(description = "Breed two adult agents into a new offspring.")]
    async fn create_offspring(&self, Parameters(args): Parameters<CreateOffspring>) -> Result<CallToolResult, ErrorData> {
        let mut request = CreateOffspringRequest::new(args.parent1_id, args.parent2_id, args.offspring_id);
        request.name = args.name;
        tool_result(self.client.create_offspring_with(&request).await)
    }

    #[tool(description = "Partners an agent may breed with now, most compatible first.")]
    async fn find_mates(&self, Parameters(args): Parameters<FindMates>) -> Result<CallToolResult, ErrorData> {
        tool_result(self.client.find_compatible_mates(&args.agent_id, args.max_results).await)
    }

    #[tool(description = "Compatibility, kinship and breeding eligibility of two agents.")]
    async fn analyze_compatibility(&self, Parameters(args): Parameters<Compatibility>) -> Result<CallToolResult, ErrorData> {
        tool_result(self.client.analyze_compatibility(&args.agent_id, &args.other_id).await)
    }

    #[tool(description = "An agent's parents, children, ancestors and descendants.")]
    async fn get_lineage(&self, Parameters(args): Parameters<Lineage>) -> Result<CallToolResult, ErrorData> {
        tool_result(self.client.get_agent_lineage(&args.agent_id, args.depth).await)
    }

    #[tool(description = "Turn automatic breeding on or off (admin only).")]
    async fn set_breeding(&self, Parameters(args): Parameters<SetBreeding>) -> Result<CallToolResult, ErrorData> {
        tool_result(self.client.enable_breeding(args.enabled).await)
    }

    #[tool(description = "Population and breeding figures.")]
    async fn breeding_stats(&self, Parameters(_): Parameters<NoArguments>) -> Result<CallToolResult, ErrorData> {
        tool_result(self.client.get_breeding_stats().await)
    }

    #[tool(description = "The simulation clock: tick, simulated years, acceleration and pause.")]
    async fn time_status(&self, Parameters(_): Parameters<NoArguments>) -> Result<CallToolResult, ErrorData> {
        tool_result(self.client.get_time().await)
    }

    #[tool(description = "Run fixed steps of simulated time now (admin only).")]
    async fn nudge_time(&self, Parameters(args): Parameters<Nudge>) -> Result<CallToolResult, ErrorData> {
        tool_result(self.client.nudge(args.steps).await)
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Bridge {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_instructions("Reynard World over stdio: create agents, breed them, read lineage and drive the clock.")
    }
}

/// Runs `reynard mcp ARGS…` until standard input closes.
pub async fn run(args: &[String], vars: &std::collections::HashMap<String, String>) -> Result<String, String> {
    let url = match args {
        [flag, url] if flag == "--url" => url,
        _ => return Err(USAGE.to_owned()),
    };
    let client = ReynardClient::new(url).map_err(|error| format!("invalid --url {url}: {error}"))?;
    match (vars.get("REYNARD_USERNAME"), vars.get("REYNARD_PASSWORD"), vars.get("REYNARD_TOKEN")) {
        (Some(username), Some(password), _) => {
            client.login(username, password).await.map_err(|error| format!("login as {username} at {url} failed: {error}"))?;
        }
        (_, _, Some(token)) => client.set_tokens(token.clone(), String::new()).await,
        _ => return Err(format!("set REYNARD_USERNAME and REYNARD_PASSWORD, or REYNARD_TOKEN\n{USAGE}")),
    }

    let service = Bridge::new(client)
        .serve(rmcp::transport::stdio())
        .await
        .map_err(|error| format!("could not start the MCP session on stdio: {error}"))?;
    service.waiting().await.map_err(|error| format!("the MCP session ended with an error: {error}"))?;
    Ok(String::new())
}
