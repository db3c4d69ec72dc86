//! Invalid requests: each gets a 4xx with a JSON `detail` naming what is
//! wrong, and none of them changes the world.

mod common;

use common::{read, start_still, Reply, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const JSON: &str = "application/json";

/// One invalid request and the response it expects.
struct Case {
    method: Method,
    path: String,
    /// `Content-Type` header; none when `None`.
    content_type: Option<&'static str>,
    /// Raw body; none when `None`.
    body: Option<String>,
    status: StatusCode,
    /// Text the `detail` must contain: the field, or what else is wrong.
    mentions: &'static str,
}

impl Case {
    fn get(path: &str, status: StatusCode, mentions: &'static str) -> Case {
        Case { method: Method::GET, path: path.to_owned(), content_type: None, body: None, status, mentions }
    }

    fn json(method: Method, path: &str, body: Value, status: StatusCode, mentions: &'static str) -> Case {
        Case::raw(method, path, Some(JSON), &body.to_string(), status, mentions)
    }

    fn raw(
        method: Method,
        path: &str,
        content_type: Option<&'static str>,
        body: &str,
        status: StatusCode,
        mentions: &'static str,
    ) -> Case {
        Case { method, path: path.to_owned(), content_type, body: Some(body.to_owned()), status, mentions }
    }

    /// Builds a `POST /api/ecs/agents` case with `body` that expects 422.
    fn create(body: Value, mentions: &'static str) -> Case {
        Case::json(Method::POST, "/api/ecs/agents", body, StatusCode::UNPROCESSABLE_ENTITY, mentions)
    }

    /// Builds a `POST /api/ecs/agents/offspring` case with `body` that expects `status`.
    fn offspring(body: Value, status: StatusCode, mentions: &'static str) -> Case {
        Case::json(Method::POST, "/api/ecs/agents/offspring", body, status, mentions)
    }

    fn label(&self) -> String {
        let body = self.body.as_deref().unwrap_or("");
        let preview: String = body.chars().take(80).collect();
        format!("{} {} {preview}", self.method, self.path)
    }

    async fn send(&self, server: &TestServer) -> Reply {
        let mut request = server.client.request(self.method.clone(), server.url(&self.path));
        if let Some(content_type) = self.content_type {
            request = request.header(reqwest::header::CONTENT_TYPE, content_type);
        }
        if let Some(body) = &self.body {
            request = request.body(body.clone());
        }
        read(request.send().await.expect("request completes")).await
    }
}

/// Everything a rejected request must leave as it was: the digest of every
/// agent, the tick and RNG position, and the switches and clock in the status.
async fn snapshot(server: &TestServer) -> (String, Value) {
    let mut status = server.status().await;
    status.as_object_mut().expect("status is an object").remove("effective_acceleration");
    (server.digest().await, status)
}

/// Starts a server with the adults `a` and `b` that the cases refer to.
async fn populated() -> TestServer {
    let server = start_still().await;
    server.create("a", 20.0).await;
    server.create("b", 20.0).await;
    server
}

async fn check(server: &TestServer, cases: &[Case]) {
    let before = snapshot(server).await;
    for case in cases {
        let label = case.label();
        let reply = case.send(server).await;
        assert_eq!(reply.status, case.status, "{label}: {}", reply.text);
        assert!(reply.status.is_client_error(), "{label}: expected a 4xx, got {}", reply.status);
        assert_eq!(reply.header("content-type"), Some(JSON), "{label}: {}", reply.text);
        let detail = reply.detail();
        assert!(detail.contains(case.mentions), "{label}: detail should mention {:?}: {detail}", case.mentions);
        assert_eq!(snapshot(server).await, before, "{label}: the world changed");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn create_body_rejected() {
    let server = populated().await;
    let malformed = |body: &str| Case::raw(Method::POST, "/api/ecs/agents", Some(JSON), body, StatusCode::UNPROCESSABLE_ENTITY, "JSON");
    let cases = [
        malformed("{\"agent_id\": \"x\","),
        malformed("{\"agent_id\": \"x\"} trailing"),
        malformed(""),
        Case::create(json!({ "agent_id": 5 }), "agent_id"),
        Case::create(json!({ "agent_id": null }), "agent_id"),
        Case::create(json!({ "agent_id": "x", "colour": "red" }), "colour"),
        Case::create(json!({ "age": 5 }), "agent_id"),
        Case::create(json!({ "agent_id": "" }), "agent_id"),
        Case::create(json!({ "agent_id": "x".repeat(65) }), "agent_id"),
        Case::create(json!({ "agent_id": "two words" }), "agent_id"),
        Case::create(json!({ "agent_id": "fox~1" }), "agent_id"),
        Case::create(json!({ "agent_id": "fox/1" }), "agent_id"),
        Case::create(json!({ "agent_id": "renée" }), "agent_id"),
        Case::create(json!({ "agent_id": "x", "name": "n".repeat(65) }), "name"),
        Case::create(json!({ "agent_id": "x", "name": "bell\u{7}ringer" }), "name"),
        Case::create(json!({ "agent_id": "x", "name": "   " }), "name"),
        Case::create(json!({ "agent_id": "x", "name": 7 }), "name"),
        Case::create(json!({ "agent_id": "x", "age": -1 }), "age"),
        Case::create(json!({ "agent_id": "x", "age": 100 }), "age"),
        Case::create(json!({ "agent_id": "x", "age": "old" }), "age"),
        Case::create(json!({ "agent_id": "x", "traits": { "personality": { "courage": 1.5 } } }), "traits.personality.courage"),
        Case::create(json!({ "agent_id": "x", "traits": { "physical": { "speed": -0.1 } } }), "traits.physical.speed"),
        Case::create(json!({ "agent_id": "x", "traits": { "personality": { "speed": 0.5 } } }), "traits.personality.speed"),
        Case::create(json!({ "agent_id": "x", "traits": { "mood": { "calm": 0.5 } } }), "traits.mood"),
        Case::create(json!({ "agent_id": "x", "traits": [0.5] }), "traits"),
        Case::create(json!({ "agent_id": "x", "spirit": "cat" }), "spirit"),
        Case::create(json!({ "agent_id": "x", "style": "gothic" }), "style"),
        Case::json(Method::POST, "/api/ecs/agents", json!({ "agent_id": "a" }), StatusCode::CONFLICT, "'a'"),
    ];
    check(&server, &cases).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn offspring_body_rejected() {
    let server = populated().await;
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let cases = [
        Case::offspring(json!({ "parent1_id": "a", "parent2_id": "b" }), invalid, "offspring_id"),
        Case::offspring(json!({ "parent1_id": "", "parent2_id": "b", "offspring_id": "k" }), invalid, "parent1_id"),
        Case::offspring(json!({ "parent1_id": "a", "parent2_id": "b c", "offspring_id": "k" }), invalid, "parent2_id"),
        Case::offspring(json!({ "parent1_id": "a", "parent2_id": "b", "offspring_id": "k~1" }), invalid, "offspring_id"),
        Case::offspring(json!({ "parent1_id": "a", "parent2_id": "b", "offspring_id": "k".repeat(65) }), invalid, "offspring_id"),
        Case::offspring(json!({ "parent1_id": "a", "parent2_id": "b", "offspring_id": "k", "name": "a\nb" }), invalid, "name"),
        Case::offspring(json!({ "parent1_id": "a", "parent2_id": "b", "offspring_id": "k", "litter": 2 }), invalid, "litter"),
        Case::offspring(json!({ "parent1_id": 1, "parent2_id": "b", "offspring_id": "k" }), invalid, "parent1_id"),
        Case::offspring(json!({ "parent1_id": "a", "parent2_id": "a", "offspring_id": "k" }), StatusCode::CONFLICT, "distinct"),
        Case::offspring(json!({ "parent1_id": "a", "parent2_id": "b", "offspring_id": "b" }), StatusCode::CONFLICT, "'b'"),
        Case::offspring(json!({ "parent1_id": "a", "parent2_id": "ghost", "offspring_id": "k" }), StatusCode::NOT_FOUND, "ghost"),
    ];
    check(&server, &cases).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn path_ids_rejected() {
    let server = populated().await;
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let long = "x".repeat(65);
    let cases = [
        Case::get("/api/ecs/agents/bad%20id", invalid, "agent_id"),
        Case::get(&format!("/api/ecs/agents/{long}"), invalid, "agent_id"),
        Case::get("/api/ecs/agents/a%2Fb", invalid, "agent_id"),
        Case::get("/api/ecs/agents/%FF", StatusCode::BAD_REQUEST, "agent_id"),
        Case::get("/api/ecs/agents/bad%20id/mates", invalid, "agent_id"),
        Case::get("/api/ecs/agents/bad%20id/lineage", invalid, "agent_id"),
        Case::get("/api/ecs/agents/bad%20id/compatibility/a", invalid, "agent_id"),
        Case::get("/api/ecs/agents/a/compatibility/bad%20id", invalid, "other_id"),
        Case::get(&format!("/api/ecs/agents/a/compatibility/{long}"), invalid, "other_id"),
        Case::get("/api/ecs/agents/offspring~9", StatusCode::NOT_FOUND, "offspring~9"),
    ];
    check(&server, &cases).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn query_parameters_rejected() {
    let server = populated().await;
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let cases = [
        Case::get("/api/ecs/agents?limit=abc", invalid, "limit"),
        Case::get("/api/ecs/agents?limit=-1", invalid, "limit"),
        Case::get("/api/ecs/agents?colour=red", invalid, "colour"),
        Case::get("/api/ecs/agents?stage=old", invalid, "stage"),
        Case::get("/api/ecs/agents?spirit=cat", invalid, "spirit"),
        Case::get("/api/ecs/agents?alive=maybe", invalid, "alive"),
        Case::get("/api/ecs/agents?cursor=zz", invalid, "cursor"),
        Case::get("/api/ecs/agents/a/mates?max_results=many", invalid, "max_results"),
        Case::get("/api/ecs/agents/a/mates?depth=3", invalid, "depth"),
        Case::get("/api/ecs/agents/a/lineage?depth=-1", invalid, "depth"),
    ];
    check(&server, &cases).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn clock_and_breeding_bodies_rejected() {
    let server = populated().await;
    let invalid = StatusCode::UNPROCESSABLE_ENTITY;
    let enable = "/api/ecs/breeding/enable";
    let cases = [
        Case::json(Method::PUT, "/api/ecs/time", json!({ "acceleration": "fast" }), invalid, "acceleration"),
        Case::json(Method::PUT, "/api/ecs/time", json!({ "acceleration": 0.09, "paused": true }), invalid, "acceleration"),
        Case::json(Method::PUT, "/api/ecs/time", json!({ "speed": 2 }), invalid, "speed"),
        Case::json(Method::PUT, "/api/ecs/time", json!({ "paused": "yes" }), invalid, "paused"),
        Case::json(Method::POST, "/api/ecs/time/nudge", json!({}), invalid, "steps"),
        Case::json(Method::POST, "/api/ecs/time/nudge", json!({ "steps": "3" }), invalid, "steps"),
        Case::json(Method::POST, "/api/ecs/time/nudge", json!({ "steps": 0 }), invalid, "steps"),
        Case::json(Method::POST, enable, json!({ "enabled": "yes" }), invalid, "enabled"),
        Case::json(Method::POST, enable, json!({ "enabled": true, "switch": 1 }), invalid, "switch"),
        Case::json(Method::POST, &format!("{enable}?enabled=false"), json!({ "enabled": true }), invalid, "enabled"),
        Case::raw(Method::POST, enable, Some(JSON), "{\"enabled\": tru", StatusCode::UNPROCESSABLE_ENTITY, "JSON"),
    ];
    check(&server, &cases).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn oversized_body_rejected() {
    let server = populated().await;
    let huge = format!("{{\"agent_id\": \"{}\"}}", "x".repeat(64 * 1024));
    let too_large = StatusCode::PAYLOAD_TOO_LARGE;
    let cases = [
        Case::raw(Method::POST, "/api/ecs/agents", Some(JSON), &huge, too_large, "65536 bytes"),
        Case::raw(Method::POST, "/api/ecs/agents/offspring", Some(JSON), &huge, too_large, "65536 bytes"),
        Case::raw(Method::PUT, "/api/ecs/time", Some(JSON), &huge, too_large, "65536 bytes"),
        Case::raw(Method::POST, "/api/ecs/breeding/enable", Some(JSON), &huge, too_large, "65536 bytes"),
    ];
    check(&server, &cases).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_content_type_rejected() {
    let server = populated().await;
    let body = "{\"agent_id\": \"x\"}";
    let unsupported = StatusCode::UNSUPPORTED_MEDIA_TYPE;
    let cases = [
        Case::raw(Method::POST, "/api/ecs/agents", Some("text/plain"), body, unsupported, "Content-Type"),
        Case::raw(Method::POST, "/api/ecs/agents", None, body, unsupported, "Content-Type"),
        Case::raw(Method::POST, "/api/ecs/agents", Some("application/x-www-form-urlencoded"), "agent_id=x", unsupported, "Content-Type"),
        Case::raw(Method::PUT, "/api/ecs/time", Some("text/plain"), "{\"paused\": true}", unsupported, "Content-Type"),
        Case::raw(Method::POST, "/api/ecs/time/nudge", Some("text/plain"), "{\"steps\": 1}", unsupported, "Content-Type"),
    ];
    check(&server, &cases).await;
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_routes_and_methods() {
    let server = populated().await;
    let missing = StatusCode::NOT_FOUND;
    let not_allowed = StatusCode::METHOD_NOT_ALLOWED;
    let cases = [
        Case::get("/api/nope", missing, "/api/nope"),
        Case::get("/api/ecs/nope", missing, "/api/ecs/nope"),
        Case::get("/", missing, "/"),
        Case::get("/api/ecs/agents/a/friends", missing, "/api/ecs/agents/a/friends"),
        Case { method: Method::DELETE, path: "/api/ecs/agents/a".to_owned(), content_type: None, body: None, status: not_allowed, mentions: "DELETE" },
        Case { method: Method::PUT, path: "/api/ecs/status".to_owned(), content_type: None, body: None, status: not_allowed, mentions: "PUT" },
        Case { method: Method::POST, path: "/api/health".to_owned(), content_type: None, body: None, status: not_allowed, mentions: "POST" },
        Case::get("/api/ecs/time/nudge", not_allowed, "GET"),
        Case::get("/api/ecs/breeding/enable", not_allowed, "GET"),
    ];
    check(&server, &cases).await;
    server.stop().await;
}
