//! After the world thread panics, every world route responds with 503 at once,
//! and the server still stops cleanly.

mod common;

use std::time::{Duration, Instant};

use common::{slow_nudge_config, start, start_still, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// Polls `GET /api/health` until it returns 503, for at most about two seconds.
async fn wait_until_unhealthy(server: &TestServer) -> bool {
    for _ in 0..100 {
        if server.get("/api/health").await.status == StatusCode::SERVICE_UNAVAILABLE {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    false
}

#[tokio::test(flavor = "multi_thread")]
async fn crashed_world_returns_unavailable() {
    let server = start_still().await;
    server.create("a", 20.0).await;
    server.create("b", 20.0).await;

    server.server.world.crash();
    assert!(wait_until_unhealthy(&server).await, "health turns 503 after the world thread panics");
    assert!(!server.server.world.is_alive());

    let routes: Vec<(Method, &str, Option<Value>)> = vec![
        (Method::GET, "/api/health", None),
        (Method::GET, "/api/ecs/status", None),
        (Method::GET, "/api/ecs/digest", None),
        (Method::GET, "/api/ecs/agents", None),
        (Method::GET, "/api/ecs/agents/a", None),
        (Method::GET, "/api/ecs/agents/offspring", None),
        (Method::GET, "/api/ecs/agents/a/mates", None),
        (Method::GET, "/api/ecs/agents/a/compatibility/b", None),
        (Method::GET, "/api/ecs/agents/a/lineage", None),
        (Method::GET, "/api/ecs/breeding/stats", None),
        (Method::GET, "/api/ecs/time", None),
        (Method::GET, "/api/ecs/naming/spirits", None),
        (Method::GET, "/api/ecs/naming/styles", None),
        (Method::POST, "/api/ecs/agents", Some(json!({ "agent_id": "c" }))),
        (Method::POST, "/api/ecs/agents/offspring", Some(json!({ "parent1_id": "a", "parent2_id": "b", "offspring_id": "k" }))),
        (Method::POST, "/api/ecs/breeding/enable", Some(json!({ "enabled": true }))),
        (Method::PUT, "/api/ecs/time", Some(json!({ "paused": true }))),
        (Method::POST, "/api/ecs/time/nudge", Some(json!({ "steps": 1 }))),
    ];
    for (method, path, body) in routes {
        let label = format!("{method} {path}");
        let reply = match body {
            Some(body) => server.send_json(method, path, &body).await,
            None => server.send(method, path).await,
        };
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{label}: {}", reply.text);
        assert!(reply.detail().contains("stopped"), "{label}: {}", reply.detail());
        assert_eq!(reply.header("retry-after"), None, "{label}: retrying cannot help a stopped world");
    }

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn queued_request_fails_on_crash() {
    let server = start(slow_nudge_config()).await;
    server.populate(300).await;

    // The crash command and the clock request queue up behind the long nudge,
    // so the world thread panics with the clock request still in its queue.
    let long_nudge = server.spawn_long_nudge();
    tokio::time::sleep(Duration::from_millis(50)).await;
    server.server.world.crash();
    let started = Instant::now();
    let reply = server.get("/api/ecs/time").await;
    let waited = started.elapsed();

    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.text);
    assert!(reply.detail().contains("stopped"), "{}", reply.detail());
    assert!(waited < Duration::from_secs(10), "the queued request fails once the thread ends, not at its reply timeout: {waited:?}");
    let nudged = long_nudge.await.expect("nudge task does not panic");
    assert_eq!(nudged.status, StatusCode::OK, "the nudge ahead of the crash completes: {}", nudged.text);

    server.stop().await;
}
