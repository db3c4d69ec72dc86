//! Mate search and lineage over real HTTP.

mod common;

use common::{start, start_still, still_config, TestServer, STEPS_PER_YEAR};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Steps from birth to adulthood at 18 years.
const STEPS_TO_ADULTHOOD: u32 = 18 * STEPS_PER_YEAR;

/// Collects `(agent_id, distance)` of each relative in a lineage list.
fn relatives(list: &Value) -> Vec<(String, u64)> {
    list.as_array()
        .expect("relatives are an array")
        .iter()
        .map(|relative| {
            let id = relative["agent_id"].as_str().expect("agent_id is a string").to_owned();
            (id, relative["distance"].as_u64().expect("distance is a whole number"))
        })
        .collect()
}

fn pairs(expected: &[(&str, u64)]) -> Vec<(String, u64)> {
    expected.iter().map(|(id, distance)| ((*id).to_owned(), *distance)).collect()
}

/// Creates founders `a`, `b` and `c`, breeds `kit` from `a` and `b`, raises it
/// to adulthood and breeds `grandkit` from `kit` and `c`.
async fn three_generations(server: &TestServer) {
    for id in ["a", "b", "c"] {
        server.create(id, 20.0).await;
    }
    server.breed("a", "b", "kit").await;
    server.nudge(STEPS_TO_ADULTHOOD).await;
    server.breed("kit", "c", "grandkit").await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mates_sorted_by_compatibility() {
    let server = start_still().await;
    for id in ["a", "b", "c", "d", "e"] {
        server.create(id, 20.0).await;
    }
    server.create("young", 10.0).await;

    let body = server.get_ok("/api/ecs/agents/a/mates?max_results=10").await;
    assert_eq!(body["agent_id"], "a");
    let mates = body["compatible_mates"].as_array().expect("compatible_mates is an array");
    assert!(!mates.is_empty(), "foxes of one seed are compatible: {body}");
    for mate in mates {
        let keys: Vec<&str> = mate.as_object().expect("mate is an object").keys().map(String::as_str).collect();
        assert_eq!(keys.len(), 4, "{mate}");
        assert!(mate["name"].is_string(), "{mate}");
        assert_eq!(mate["spirit"], "fox", "{mate}");
        let score = mate["compatibility"].as_f64().expect("compatibility is a number");
        assert!((0.6..=1.0).contains(&score), "at or above the threshold: {mate}");
    }
    let ids: Vec<&str> = mates.iter().filter_map(|mate| mate["agent_id"].as_str()).collect();
    assert!(!ids.contains(&"a"), "an agent is not its own mate: {ids:?}");
    assert!(!ids.contains(&"young"), "juveniles are not mates: {ids:?}");
    let scores: Vec<f64> = mates.iter().filter_map(|mate| mate["compatibility"].as_f64()).collect();
    assert!(scores.windows(2).all(|pair| pair[0] >= pair[1]), "sorted most compatible first: {scores:?}");

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mates_max_results_limits() {
    let server = start_still().await;
    for id in ["a", "b", "c", "d", "e"] {
        server.create(id, 20.0).await;
    }

    let all = server.get_ok("/api/ecs/agents/a/mates?max_results=100").await;
    let count = all["compatible_mates"].as_array().expect("compatible_mates").len();
    assert!(count >= 2, "{all}");

    let best = server.get_ok("/api/ecs/agents/a/mates?max_results=1").await;
    assert_eq!(best["compatible_mates"].as_array().expect("compatible_mates").len(), 1);
    assert_eq!(best["compatible_mates"][0], all["compatible_mates"][0]);

    let default = server.get_ok("/api/ecs/agents/a/mates").await;
    assert_eq!(default["compatible_mates"].as_array().expect("compatible_mates").len(), count.min(5));

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mates_max_results_out_of_range() {
    let server = start_still().await;
    server.create("a", 20.0).await;

    for limit in [0, 101] {
        let reply = server.get(&format!("/api/ecs/agents/a/mates?max_results={limit}")).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{limit}: {}", reply.text);
        assert!(reply.detail().contains("max_results"), "{}", reply.detail());
    }

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn mates_exclude_kin_and_juveniles() {
    let server = start_still().await;
    three_generations(&server).await;

    let young = server.get_ok("/api/ecs/agents/grandkit/mates").await;
    assert_eq!(young["compatible_mates"], json!([]), "an infant has no mates");

    // kit has just bred with c, so it is on cooldown and may not breed at all.
    let kit = server.get_ok("/api/ecs/agents/kit/mates?max_results=100").await;
    assert_eq!(kit["compatible_mates"], json!([]));

    server.nudge(STEPS_PER_YEAR).await;
    let after = server.get_ok("/api/ecs/agents/kit/mates?max_results=100").await;
    let ids: Vec<&str> =
        after["compatible_mates"].as_array().expect("compatible_mates").iter().filter_map(|mate| mate["agent_id"].as_str()).collect();
    assert!(!ids.contains(&"a"), "a parent is too close kin: {ids:?}");
    assert!(!ids.contains(&"b"), "a parent is too close kin: {ids:?}");
    assert!(ids.contains(&"c"), "an unrelated adult off cooldown is a mate: {ids:?}");

    let missing = server.get("/api/ecs/agents/ghost/mates").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lineage_of_grandchild() {
    let server = start_still().await;
    three_generations(&server).await;

    let view = server.get_ok("/api/ecs/agents/grandkit/lineage").await;
    assert_eq!(view["agent"]["agent_id"], "grandkit");
    assert_eq!(view["agent"]["distance"], 0);
    assert_eq!(view["generation"], 3);
    assert_eq!(relatives(&view["parents"]), pairs(&[("c", 1), ("kit", 1)]));
    assert_eq!(relatives(&view["children"]), pairs(&[]));
    assert_eq!(relatives(&view["ancestors"]), pairs(&[("c", 1), ("kit", 1), ("a", 2), ("b", 2)]));
    assert_eq!(relatives(&view["descendants"]), pairs(&[]));
    assert_eq!(view["inbreeding_coefficient"], 0.0);
    assert!(view["parents"][0]["name"].is_string(), "{view}");

    let shallow = server.get_ok("/api/ecs/agents/grandkit/lineage?depth=1").await;
    assert_eq!(relatives(&shallow["ancestors"]), pairs(&[("c", 1), ("kit", 1)]));

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lineage_of_founder() {
    let server = start_still().await;
    three_generations(&server).await;

    let view = server.get_ok("/api/ecs/agents/a/lineage?depth=16").await;
    assert_eq!(view["generation"], 1);
    assert_eq!(relatives(&view["parents"]), pairs(&[]));
    assert_eq!(relatives(&view["children"]), pairs(&[("kit", 1)]));
    assert_eq!(relatives(&view["ancestors"]), pairs(&[]));
    assert_eq!(relatives(&view["descendants"]), pairs(&[("kit", 1), ("grandkit", 2)]));

    let shallow = server.get_ok("/api/ecs/agents/a/lineage?depth=1").await;
    assert_eq!(relatives(&shallow["descendants"]), pairs(&[("kit", 1)]));

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lineage_reports_inbreeding() {
    let mut config = still_config();
    config.settings.kinship_limit = 1.0;
    let server = start(config).await;
    server.create("a", 20.0).await;
    server.create("b", 20.0).await;
    server.breed("a", "b", "kit-1").await;
    server.nudge(STEPS_PER_YEAR).await;
    server.breed("a", "b", "kit-2").await;
    server.nudge(STEPS_TO_ADULTHOOD).await;
    server.breed("kit-1", "kit-2", "inbred").await;

    let view = server.get_ok("/api/ecs/agents/inbred/lineage?depth=2").await;
    assert_eq!(view["inbreeding_coefficient"], 0.25);
    assert_eq!(view["generation"], 3);
    assert_eq!(relatives(&view["ancestors"]), pairs(&[("kit-1", 1), ("kit-2", 1), ("a", 2), ("b", 2)]));

    let detail = server.get_ok("/api/ecs/agents/inbred").await;
    assert_eq!(detail["inbreeding_coefficient"], 0.25);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn lineage_depth_out_of_range() {
    let server = start_still().await;
    server.create("a", 20.0).await;

    for depth in ["0", "17", "deep"] {
        let reply = server.get(&format!("/api/ecs/agents/a/lineage?depth={depth}")).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{depth}: {}", reply.text);
        assert!(reply.detail().contains("depth"), "{}", reply.detail());
    }

    let missing = server.get("/api/ecs/agents/ghost/lineage").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    server.stop().await;
}
