//! The OpenAPI document: it covers every route the router serves, and it is
//! served at `/openapi.json`.

mod common;

use std::collections::BTreeSet;

use common::start_still;
use reqwest::StatusCode;

fn documented_paths() -> BTreeSet<String> {
    reynard::http::openapi::document().paths.paths.keys().cloned().collect()
}

#[test]
fn every_served_path_is_documented() {
    let documented = documented_paths();
    let missing: Vec<String> = reynard::http::served_paths().into_iter().filter(|path| !documented.contains(path)).collect();
    assert!(missing.is_empty(), "served but not in the OpenAPI document: {missing:?}");
}

#[test]
fn every_documented_path_is_served() {
    let served: BTreeSet<String> = reynard::http::served_paths().into_iter().collect();
    let extra: Vec<String> = documented_paths().into_iter().filter(|path| !served.contains(path)).collect();
    assert!(extra.is_empty(), "documented but not served: {extra:?}");
}

#[test]
fn router_serves_expected_count() {
    // Two under /api/health, five under /api/auth, /api/protected and 15
    // under /api/ecs; some paths serve two methods.
    let served: BTreeSet<String> = reynard::http::served_paths().into_iter().collect();
    assert_eq!(served.len(), 23, "{served:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn document_served_as_json() {
    let server = start_still().await;
    let reply = common::read(common::client().get(server.url("/openapi.json")).send().await.unwrap()).await;

    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    assert_eq!(reply.body["openapi"], "3.1.0");
    assert_eq!(reply.body["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let status = &reply.body["paths"]["/api/ecs/status"]["get"];
    assert_eq!(status["security"][0]["bearer"], serde_json::json!([]), "{status}");
    assert!(reply.body["paths"]["/api/ecs/agents"]["post"]["responses"]["422"].is_object());
    assert!(reply.body["components"]["schemas"]["AgentDetail"].is_object());

    server.stop().await;
}
