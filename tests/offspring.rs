//! Manual breeding and pairwise compatibility over real HTTP.

mod common;

use common::{start_still, TestServer, STEPS_PER_YEAR};
use reqwest::StatusCode;
use serde_json::{json, Value};

const OFFSPRING: &str = "/api/ecs/agents/offspring";

fn offspring_body(parent1: &str, parent2: &str, offspring_id: &str) -> Value {
    json!({ "parent1_id": parent1, "parent2_id": parent2, "offspring_id": offspring_id })
}

/// Creates adult founders `a` and `b` and two children `kit-1` and `kit-2`,
/// one breeding cooldown apart, so the children are full siblings.
async fn siblings(server: &TestServer) {
    server.create("a", 20.0).await;
    server.create("b", 20.0).await;
    server.breed("a", "b", "kit-1").await;
    server.nudge(STEPS_PER_YEAR).await;
    server.breed("a", "b", "kit-2").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn offspring_created_with_parents() {
    let server = start_still().await;
    server.create("a", 20.0).await;
    server.create("b", 25.0).await;

    let body = json!({ "parent1_id": "a", "parent2_id": "b", "offspring_id": "kit", "name": "Little One" });
    let reply = server.post_json(OFFSPRING, &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.header("location"), Some("/api/ecs/agents/kit"));
    let kit = &reply.body;
    assert_eq!(kit["agent_id"], "kit");
    assert_eq!(kit["name"], "Little One");
    assert_eq!(kit["parents"], json!(["a", "b"]));
    assert_eq!(kit["children"], json!([]));
    assert_eq!(kit["generation"], 2);
    assert_eq!(kit["age"], 0.0);
    assert_eq!(kit["stage"], "infant");
    assert_eq!(kit["inbreeding_coefficient"], 0.0);

    for parent in ["a", "b"] {
        let detail = server.get_ok(&format!("/api/ecs/agents/{parent}")).await;
        assert_eq!(detail["children"], json!(["kit"]), "{parent}");
        assert_eq!(detail["offspring_count"], 1, "{parent}");
        assert_eq!(detail["breeding_cooldown_years"], 1.0, "{parent}");
        assert_eq!(detail["can_breed"], false, "{parent}");
    }
    let stats = server.get_ok("/api/ecs/breeding/stats").await;
    assert_eq!(stats["births"], 1);
    assert_eq!(stats["total_offspring"], 1);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn offspring_missing_parent_not_found() {
    let server = start_still().await;
    server.create("a", 20.0).await;
    let before = server.digest().await;

    let reply = server.post_json(OFFSPRING, &offspring_body("a", "ghost", "kit")).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.text);
    assert!(reply.detail().contains("ghost"), "{}", reply.detail());
    assert_eq!(server.digest().await, before);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn offspring_juvenile_parents_conflict() {
    let server = start_still().await;
    server.create("young-a", 10.0).await;
    server.create("young-b", 12.0).await;
    let before = server.digest().await;

    let reply = server.post_json(OFFSPRING, &offspring_body("young-a", "young-b", "kit")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text);
    let detail = reply.detail();
    assert!(detail.contains("young-a is juvenile"), "{detail}");
    assert!(detail.contains("young-b is juvenile"), "{detail}");
    assert_eq!(server.digest().await, before);
    assert_eq!(server.get("/api/ecs/agents/kit").await.status, StatusCode::NOT_FOUND);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn offspring_lists_every_failed_rule() {
    let server = start_still().await;
    siblings(&server).await;

    // kit-1 is an infant and a child of a, and a has just bred, so it is on cooldown.
    let reply = server.post_json(OFFSPRING, &offspring_body("a", "kit-1", "kit-3")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text);
    let detail = reply.detail();
    assert!(detail.contains("a is on breeding cooldown"), "{detail}");
    assert!(detail.contains("kit-1 is infant"), "{detail}");
    assert!(detail.contains("kinship 0.2500"), "{detail}");

    let same = server.post_json(OFFSPRING, &offspring_body("a", "a", "kit-3")).await;
    assert_eq!(same.status, StatusCode::CONFLICT, "{}", same.text);
    assert!(same.detail().contains("two distinct agents"), "{}", same.detail());

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn offspring_taken_id_conflicts() {
    let server = start_still().await;
    server.create("a", 20.0).await;
    server.create("b", 20.0).await;
    server.create("taken", 3.0).await;
    let before = server.digest().await;

    let reply = server.post_json(OFFSPRING, &offspring_body("a", "b", "taken")).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}", reply.text);
    assert!(reply.detail().contains("taken"), "{}", reply.detail());
    assert_eq!(server.digest().await, before);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn offspring_generated_id_rejected() {
    let server = start_still().await;
    server.create("a", 20.0).await;
    server.create("b", 20.0).await;

    let reply = server.post_json(OFFSPRING, &offspring_body("a", "b", "offspring~1")).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
    assert!(reply.detail().contains("offspring_id"), "{}", reply.detail());

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn compatibility_of_eligible_adults() {
    let server = start_still().await;
    server.create("a", 20.0).await;
    server.create("b", 30.0).await;

    let report = server.get_ok("/api/ecs/agents/a/compatibility/b").await;
    assert_eq!(report["agent_id"], "a");
    assert_eq!(report["other_id"], "b");
    let score = report["compatibility"].as_f64().expect("compatibility is a number");
    assert!((0.0..=1.0).contains(&score), "{score}");
    assert!(report["analysis"].as_str().is_some_and(|text| !text.is_empty()), "{report}");
    assert_eq!(report["kinship"], 0.0);
    assert_eq!(report["eligible"], true);
    assert_eq!(report["recommended"], score >= 0.7);
    assert!(report.get("reasons").is_none(), "reasons are omitted for an eligible pair: {report}");

    let reverse = server.get_ok("/api/ecs/agents/b/compatibility/a").await;
    assert_eq!(reverse["compatibility"], report["compatibility"]);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn siblings_have_quarter_kinship() {
    let server = start_still().await;
    siblings(&server).await;

    let report = server.get_ok("/api/ecs/agents/kit-1/compatibility/kit-2").await;
    assert_eq!(report["kinship"], 0.25);
    assert_eq!(report["eligible"], false);
    assert_eq!(report["recommended"], false);
    let reasons: Vec<&str> = report["reasons"].as_array().expect("reasons listed").iter().filter_map(Value::as_str).collect();
    assert!(reasons.iter().any(|reason| reason.contains("kit-1 is infant")), "{reasons:?}");
    assert!(reasons.iter().any(|reason| reason.contains("kit-2 is infant")), "{reasons:?}");
    assert!(reasons.iter().any(|reason| reason.contains("kinship 0.2500")), "{reasons:?}");

    let parent = server.get_ok("/api/ecs/agents/a/compatibility/kit-1").await;
    assert_eq!(parent["kinship"], 0.25);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn compatibility_missing_agent_not_found() {
    let server = start_still().await;
    server.create("a", 20.0).await;

    let missing_other = server.get("/api/ecs/agents/a/compatibility/ghost").await;
    assert_eq!(missing_other.status, StatusCode::NOT_FOUND);
    assert!(missing_other.detail().contains("ghost"), "{}", missing_other.detail());

    let missing_first = server.get("/api/ecs/agents/ghost/compatibility/a").await;
    assert_eq!(missing_first.status, StatusCode::NOT_FOUND);

    server.stop().await;
}
