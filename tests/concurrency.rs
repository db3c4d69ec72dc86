//! Parallel requests: every create lands exactly once, and a full command
//! queue makes requests fail with 503 at once instead of hanging.

mod common;

use std::time::Duration;

use common::{read, slow_nudge_config, start, start_still, Reply, TestServer};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use tokio::task::JoinSet;

/// Sends every `(method, path, body)` request at once and returns the replies
/// in the order they finish.
async fn send_all(server: &TestServer, requests: Vec<(Method, String, Option<Value>)>) -> Vec<Reply> {
    let mut tasks = JoinSet::new();
    for (method, path, body) in requests {
        let client = server.client.clone();
        let url = server.url(&path);
        tasks.spawn(async move {
            let mut request = client.request(method, url);
            if let Some(body) = body {
                request = request.json(&body);
            }
            read(request.send().await.expect("request completes")).await
        });
    }
    let mut replies = Vec::new();
    while let Some(reply) = tasks.join_next().await {
        replies.push(reply.expect("request task does not panic"));
    }
    replies
}

fn create_request(agent_id: &str) -> (Method, String, Option<Value>) {
    (Method::POST, "/api/ecs/agents".to_owned(), Some(json!({ "agent_id": agent_id, "age": 20 })))
}

fn count(replies: &[Reply], status: StatusCode) -> usize {
    replies.iter().filter(|reply| reply.status == status).count()
}

#[tokio::test(flavor = "multi_thread")]
async fn parallel_distinct_creates_all_land() {
    let server = start_still().await;
    let ids: Vec<String> = (0..200).map(|n| format!("agent-{n}")).collect();

    let replies = send_all(&server, ids.iter().map(|id| create_request(id)).collect()).await;
    assert_eq!(replies.len(), 200);
    assert_eq!(count(&replies, StatusCode::CREATED), 200, "{:?}", replies.iter().find(|r| r.status != StatusCode::CREATED));

    assert_eq!(server.status().await["agent_count"], 200);
    let lookups = send_all(&server, ids.iter().map(|id| (Method::GET, format!("/api/ecs/agents/{id}"), None)).collect()).await;
    assert_eq!(count(&lookups, StatusCode::OK), 200);
    let mut found: Vec<&str> = lookups.iter().filter_map(|reply| reply.body["agent_id"].as_str()).collect();
    found.sort_unstable();
    let mut expected: Vec<&str> = ids.iter().map(String::as_str).collect();
    expected.sort_unstable();
    assert_eq!(found, expected);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn parallel_same_id_one_wins() {
    let server = start_still().await;

    let replies = send_all(&server, (0..20).map(|_| create_request("shared")).collect()).await;
    assert_eq!(count(&replies, StatusCode::CREATED), 1);
    assert_eq!(count(&replies, StatusCode::CONFLICT), 19);
    let conflicts_name_id = replies
        .iter()
        .filter(|reply| reply.status == StatusCode::CONFLICT)
        .all(|reply| reply.detail().contains("shared"));
    assert!(conflicts_name_id, "every 409 names the id");
    assert_eq!(server.status().await["agent_count"], 1);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn full_queue_returns_busy() {
    let mut config = slow_nudge_config();
    config.queue_capacity = 1;
    let server = start(config).await;
    server.populate(300).await;

    let long_nudge = server.spawn_long_nudge();
    // Gives the nudge time to reach the world thread before the flood.
    tokio::time::sleep(Duration::from_millis(50)).await;

    let mut flood = Vec::new();
    for n in 0..40 {
        flood.push((Method::GET, "/api/ecs/status".to_owned(), None));
        flood.push((Method::GET, "/api/health".to_owned(), None));
        flood.push(create_request(&format!("late-{n}")));
    }
    let replies = send_all(&server, flood).await;

    let busy: Vec<&Reply> = replies.iter().filter(|reply| reply.status == StatusCode::SERVICE_UNAVAILABLE).collect();
    assert!(!busy.is_empty(), "a queue of one command overflows under 120 parallel requests");
    let unexpected: Vec<&Reply> = replies
        .iter()
        .filter(|reply| ![StatusCode::OK, StatusCode::CREATED, StatusCode::SERVICE_UNAVAILABLE].contains(&reply.status))
        .collect();
    assert!(unexpected.is_empty(), "only 200, 201 or 503: {unexpected:?}");
    for reply in &busy {
        assert_eq!(reply.header("retry-after"), Some("1"), "{}", reply.text);
        assert!(reply.detail().contains("busy"), "{}", reply.detail());
    }

    let nudged = tokio::time::timeout(Duration::from_secs(30), long_nudge)
        .await
        .expect("the long nudge finishes")
        .expect("nudge task does not panic");
    assert_eq!(nudged.status, StatusCode::OK, "{}", nudged.text);
    assert_eq!(nudged.body["tick"], 10_000);

    let status = server.get("/api/ecs/status").await;
    assert_eq!(status.status, StatusCode::OK, "the server answers after the flood: {}", status.text);
    let created = count(&replies, StatusCode::CREATED);
    assert_eq!(status.body["agent_count"], 300 + created, "every 201 landed and no 503 did");
    assert_eq!(server.get("/api/health").await.status, StatusCode::OK);

    server.stop().await;
}
