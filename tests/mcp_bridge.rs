//! The stdio MCP bridge: `reynard mcp --url URL` as a child process, driven
//! by rmcp's client, forwarding to a real server.

mod common;

use common::{start_still, TestServer, ADMIN_PASSWORD, ADMIN_USERNAME};
use rmcp::model::{CallToolRequestParams, CallToolResult, ClientConfig};
use rmcp::service::RunningService;
use rmcp::transport::TokioChildProcess;
use rmcp::{RoleClient, ServiceExt};
use serde_json::{json, Value};

type McpClient = RunningService<RoleClient, ClientConfig>;

/// Starts the bridge for `server`, logged in as the bootstrap admin.
async fn bridge(server: &TestServer) -> McpClient {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_reynard"));
    command
        .args(["mcp", "--url", &server.base])
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("REYNARD_USERNAME", ADMIN_USERNAME)
        .env("REYNARD_PASSWORD", ADMIN_PASSWORD)
        .current_dir(std::env::temp_dir());
    let transport = TokioChildProcess::new(command).expect("the bridge starts");
    ClientConfig::default().serve(transport).await.expect("MCP session over stdio initialises")
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

#[tokio::test(flavor = "multi_thread")]
async fn bridge_lists_and_calls_tools() {
    let server = start_still().await;
    let client = bridge(&server).await;

    let tools = client.list_all_tools().await.expect("tools/list");
    assert_eq!(tools.len(), 12, "{:?}", tools.iter().map(|tool| tool.name.clone()).collect::<Vec<_>>());

    let vixen = structured(&call(&client, "create_agent", json!({ "agent_id": "vixen", "age": 20, "spirit": "fox" })).await);
    assert_eq!(vixen["created_by"], ADMIN_USERNAME);
    structured(&call(&client, "create_agent", json!({ "agent_id": "tod", "age": 21 })).await);
    let kit = structured(&call(&client, "create_offspring", json!({ "parent1_id": "vixen", "parent2_id": "tod", "offspring_id": "kit" })).await);
    assert_eq!(kit["generation"], 2);
    let lineage = structured(&call(&client, "get_lineage", json!({ "agent_id": "kit" })).await);
    assert_eq!(lineage["parents"].as_array().unwrap().len(), 2);
    let status = structured(&call(&client, "world_status", json!({})).await);
    assert_eq!(status["agent_count"], 3);
    let page = structured(&call(&client, "list_agents", json!({ "stage": "infant" })).await);
    assert_eq!(page["agents"][0]["agent_id"], "kit");
    let agent = structured(&call(&client, "get_agent", json!({ "agent_id": "tod" })).await);
    assert_eq!(agent["children"], json!(["kit"]));
    let mates = structured(&call(&client, "find_mates", json!({ "agent_id": "vixen", "max_results": 3 })).await);
    assert_eq!(mates["agent_id"], "vixen");
    let report = structured(&call(&client, "analyze_compatibility", json!({ "agent_id": "tod", "other_id": "kit" })).await);
    assert_eq!(report["kinship"], 0.25);
    let switched = structured(&call(&client, "set_breeding", json!({ "enabled": false })).await);
    assert_eq!(switched["enabled"], false);
    let stats = structured(&call(&client, "breeding_stats", json!({})).await);
    assert_eq!(stats["births"], 1);
    let before = structured(&call(&client, "time_status", json!({})).await)["tick"].as_u64().unwrap();
    let after = structured(&call(&client, "nudge_time", json!({ "steps": 5 })).await)["tick"].as_u64().unwrap();
    assert_eq!(after, before + 5);

    client.cancel().await.ok();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bridge_reports_rest_errors() {
    let server = start_still().await;
    let client = bridge(&server).await;

    let missing = call(&client, "get_agent", json!({ "agent_id": "nobody" })).await;
    assert_eq!(missing.is_error, Some(true));
    let text = serde_json::to_string(&missing.content).unwrap();
    assert!(text.contains("agent 'nobody' not found"), "{text}");
    let spirit = call(&client, "create_agent", json!({ "agent_id": "x1", "spirit": "gryphon" })).await;
    let text = serde_json::to_string(&spirit.content).unwrap();
    assert!(text.contains("spirit must be one of the values listed"), "{text}");

    client.cancel().await.ok();
    server.stop().await;
}
