//! The MCP endpoint over Streamable HTTP, driven by rmcp's own client.

mod common;

use common::auth::{login_tokens, register_user};
use common::{start_still, TestServer};
use reqwest::StatusCode;
use rmcp::model::{CallToolRequestParams, CallToolResult, ClientConfig};
use rmcp::service::RunningService;
use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::StreamableHttpClientTransport;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{json, Value};

type McpClient = RunningService<RoleClient, ClientConfig>;

const TOOLS: [&str; 12] = [
    "world_status", "list_agents", "get_agent", "create_agent", "create_offspring", "find_mates",
    "analyze_compatibility", "get_lineage", "set_breeding", "breeding_stats", "time_status", "nudge_time",
];

async fn connect(server: &TestServer, token: &str) -> McpClient {
    let config = StreamableHttpClientTransportConfig::with_uri(server.url("/mcp")).auth_header(token.to_owned());
    let transport = StreamableHttpClientTransport::from_config(config);
    ClientConfig::default().serve(transport).await.expect("MCP session initialises")
}

async fn call(client: &McpClient, tool: &str, arguments: Value) -> CallToolResult {
    let arguments = arguments.as_object().cloned().unwrap_or_default();
    client
        .call_tool(CallToolRequestParams::new(tool.to_owned()).with_arguments(arguments))
        .await
        .unwrap_or_else(|error| panic!("calling {tool}: {error}"))
}

fn structured(result: &CallToolResult) -> Value {
    assert_ne!(result.is_error, Some(true), "tool error: {result:?}");
    result.structured_content.clone().unwrap_or_else(|| panic!("no structured content: {result:?}"))
}

fn error_text(result: &CallToolResult) -> String {
    assert_eq!(result.is_error, Some(true), "expected a tool error: {result:?}");
    serde_json::to_string(&result.content).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn lists_every_tool_with_schema() {
    let server = start_still().await;
    let client = connect(&server, &server.admin_token).await;

    let tools = client.list_all_tools().await.expect("tools/list");
    let names: Vec<&str> = tools.iter().map(|tool| tool.name.as_ref()).collect();
    for expected in TOOLS {
        assert!(names.contains(&expected), "{expected} missing from {names:?}");
    }
    let create = tools.iter().find(|tool| tool.name == "create_agent").unwrap();
    let schema = serde_json::to_value(&create.input_schema).unwrap();
    assert!(schema["properties"]["agent_id"].is_object(), "{schema}");

    client.cancel().await.ok();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn every_tool_works() {
    let server = start_still().await;
    let client = connect(&server, &server.admin_token).await;

    let vixen = structured(&call(&client, "create_agent", json!({ "agent_id": "vixen", "age": 20, "spirit": "fox" })).await);
    assert_eq!(vixen["created_by"], common::ADMIN_USERNAME);
    structured(&call(&client, "create_agent", json!({ "agent_id": "tod", "age": 22 })).await);
    let kit = structured(&call(&client, "create_offspring", json!({ "parent1_id": "vixen", "parent2_id": "tod", "offspring_id": "kit" })).await);
    assert_eq!(kit["generation"], 2);

    let status = structured(&call(&client, "world_status", json!({})).await);
    assert_eq!(status["agent_count"], 3);
    let page = structured(&call(&client, "list_agents", json!({ "limit": 2 })).await);
    assert_eq!(page["agents"].as_array().unwrap().len(), 2);
    let agent = structured(&call(&client, "get_agent", json!({ "agent_id": "kit" })).await);
    assert_eq!(agent["parents"], json!(["vixen", "tod"]));
    let mates = structured(&call(&client, "find_mates", json!({ "agent_id": "vixen" })).await);
    assert_eq!(mates["agent_id"], "vixen");
    let report = structured(&call(&client, "analyze_compatibility", json!({ "agent_id": "vixen", "other_id": "kit" })).await);
    assert_eq!(report["kinship"], 0.25);
    let lineage = structured(&call(&client, "get_lineage", json!({ "agent_id": "kit", "depth": 2 })).await);
    assert_eq!(lineage["parents"].as_array().unwrap().len(), 2);
    let switched = structured(&call(&client, "set_breeding", json!({ "enabled": false })).await);
    assert_eq!(switched["enabled"], false);
    let stats = structured(&call(&client, "breeding_stats", json!({})).await);
    assert_eq!(stats["total_offspring"], 1);
    let before = structured(&call(&client, "time_status", json!({})).await)["tick"].as_u64().unwrap();
    let after = structured(&call(&client, "nudge_time", json!({ "steps": 10 })).await)["tick"].as_u64().unwrap();
    assert!(after >= before + 10, "nudge ran 10 steps: {before} -> {after}");

    client.cancel().await.ok();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tool_calls_nudge_time() {
    let server = start_still().await;
    let client = connect(&server, &server.admin_token).await;

    // The test configuration nudges one step per call.
    let first = structured(&call(&client, "time_status", json!({})).await)["tick"].as_u64().unwrap();
    let second = structured(&call(&client, "time_status", json!({})).await)["tick"].as_u64().unwrap();
    assert_eq!(second, first + server_nudge_steps(), "each successful call advances the clock");

    client.cancel().await.ok();
    server.stop().await;
}

fn server_nudge_steps() -> u64 {
    let config = common::still_config();
    (config.mcp_nudge_years * f64::from(config.settings.steps_per_year)).round() as u64
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_carry_rest_messages() {
    let server = start_still().await;
    let client = connect(&server, &server.admin_token).await;

    let missing = error_text(&call(&client, "get_agent", json!({ "agent_id": "nobody" })).await);
    assert!(missing.contains("agent 'nobody' not found"), "{missing}");
    let invalid = error_text(&call(&client, "create_agent", json!({ "agent_id": "bad id" })).await);
    assert!(invalid.contains("agent_id may contain only"), "{invalid}");
    let steps = error_text(&call(&client, "nudge_time", json!({ "steps": 0 })).await);
    assert!(steps.contains("steps must be between 1 and 10000"), "{steps}");

    client.cancel().await.ok();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn admin_tools_refuse_users() {
    let server = start_still().await;
    register_user(&server.base, "ranger", "ranger-password-1").await;
    let user = login_tokens(&server.base, "ranger", "ranger-password-1").await;
    let client = connect(&server, &user.access).await;

    let refused = error_text(&call(&client, "nudge_time", json!({ "steps": 1 })).await);
    assert!(refused.contains("requires the admin role"), "{refused}");
    let breeding = error_text(&call(&client, "set_breeding", json!({ "enabled": true })).await);
    assert!(breeding.contains("requires the admin role"), "{breeding}");
    let created = structured(&call(&client, "create_agent", json!({ "agent_id": "rangers-fox" })).await);
    assert_eq!(created["created_by"], "ranger");

    client.cancel().await.ok();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_token_is_unauthorized() {
    let server = start_still().await;
    let reply = common::read(
        common::client()
            .post(server.url("/mcp"))
            .header("accept", "application/json, text/event-stream")
            .json(&json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {} }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}", reply.text);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn foreign_origin_is_forbidden() {
    let server = start_still().await;
    let send = |origin: &'static str| {
        server
            .client
            .post(server.url("/mcp"))
            .header("origin", origin)
            .header("accept", "application/json, text/event-stream")
            .json(&json!({ "jsonrpc": "2.0", "id": 1, "method": "ping" }))
            .send()
    };

    let foreign = common::read(send("http://evil.example").await.unwrap()).await;
    assert_eq!(foreign.status, StatusCode::FORBIDDEN, "{}", foreign.text);
    let allowed = common::read(send("http://localhost:3000").await.unwrap()).await;
    assert_ne!(allowed.status, StatusCode::FORBIDDEN, "{}", allowed.text);
    server.stop().await;
}
