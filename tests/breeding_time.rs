//! Automatic breeding and the clock over real HTTP.

mod common;

use common::{start_still, TestServer, STEPS_PER_YEAR};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const ENABLE: &str = "/api/ecs/breeding/enable";

async fn time(server: &TestServer) -> Value {
    server.get_ok("/api/ecs/time").await
}

#[tokio::test(flavor = "multi_thread")]
async fn breeding_enable_by_query() {
    let server = start_still().await;

    let on = server.send(Method::POST, &format!("{ENABLE}?enabled=true")).await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.text);
    assert_eq!(on.body["enabled"], true);
    assert_eq!(on.body["stats"]["enabled"], true);
    assert!(on.body["message"].is_string(), "{}", on.text);
    assert_eq!(server.status().await["breeding_enabled"], true);

    let off = server.send(Method::POST, &format!("{ENABLE}?enabled=false")).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.text);
    assert_eq!(off.body["enabled"], false);
    assert_eq!(server.status().await["breeding_enabled"], false);

    let bare = server.send(Method::POST, ENABLE).await;
    assert_eq!(bare.status, StatusCode::OK, "{}", bare.text);
    assert_eq!(bare.body["enabled"], true, "no query and no body enables breeding");
    assert_eq!(server.status().await["breeding_enabled"], true);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn breeding_enable_by_body() {
    let server = start_still().await;

    let on = server.post_json(ENABLE, &json!({ "enabled": true })).await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.text);
    assert_eq!(on.body["enabled"], true);
    assert_eq!(server.status().await["breeding_enabled"], true);

    let off = server.post_json(ENABLE, &json!({ "enabled": false })).await;
    assert_eq!(off.status, StatusCode::OK, "{}", off.text);
    assert_eq!(server.status().await["breeding_enabled"], false);

    let agreeing = server.post_json(&format!("{ENABLE}?enabled=true"), &json!({ "enabled": true })).await;
    assert_eq!(agreeing.status, StatusCode::OK, "{}", agreeing.text);
    assert_eq!(server.status().await["breeding_enabled"], true);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn breeding_enable_conflict_rejected() {
    let server = start_still().await;

    let reply = server.post_json(&format!("{ENABLE}?enabled=false"), &json!({ "enabled": true })).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text);
    assert!(reply.detail().contains("enabled"), "{}", reply.detail());
    assert_eq!(server.status().await["breeding_enabled"], false, "a rejected switch changes nothing");

    let wrong_type = server.post_json(ENABLE, &json!({ "enabled": "yes" })).await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong_type.text);
    assert!(wrong_type.detail().contains("enabled"), "{}", wrong_type.detail());

    let bad_query = server.send(Method::POST, &format!("{ENABLE}?enabled=maybe")).await;
    assert_eq!(bad_query.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad_query.text);
    assert!(bad_query.detail().contains("enabled"), "{}", bad_query.detail());
    assert_eq!(server.status().await["breeding_enabled"], false);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn breeding_stats_of_fresh_world() {
    let server = start_still().await;
    server.create("a", 20.0).await;
    server.create("b", 2.0).await;

    let stats = server.get_ok("/api/ecs/breeding/stats").await;
    assert_eq!(stats["total_agents"], 2);
    assert_eq!(stats["mature_agents"], 1);
    assert_eq!(stats["total_offspring"], 0);
    assert_eq!(stats["average_offspring_per_agent"], 0.0);
    assert_eq!(stats["enabled"], false);
    assert_eq!(stats["births"], 0);
    assert_eq!(stats["deaths"], 0);
    assert_eq!(stats["last_pass_tick"], Value::Null);
    assert_eq!(stats["last_pass_pairs"], 0);
    assert_eq!(stats["interval_years"], 1.0);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn breeding_pass_produces_offspring() {
    let server = start_still().await;
    server.create("a", 20.0).await;
    server.create("b", 20.0).await;
    server.set_breeding(true).await;

    server.nudge(STEPS_PER_YEAR - 1).await;
    let before_pass = server.get_ok("/api/ecs/breeding/stats").await;
    assert_eq!(before_pass["births"], 0, "no pass before one interval");

    server.nudge(1).await;
    let stats = server.get_ok("/api/ecs/breeding/stats").await;
    assert_eq!(stats["births"], 1);
    assert_eq!(stats["total_offspring"], 1);
    assert_eq!(stats["total_agents"], 3);
    assert_eq!(stats["average_offspring_per_agent"], 1.0 / 3.0);
    assert_eq!(stats["last_pass_tick"], STEPS_PER_YEAR);
    assert_eq!(stats["last_pass_pairs"], 1);

    // The pass lists a pair in pairing order (by personality sum), which the
    // drawn traits decide, so the parents are compared as a set.
    let kit = server.get_ok("/api/ecs/agents/offspring~1").await;
    let mut parents: Vec<&str> = kit["parents"].as_array().expect("parents").iter().filter_map(|id| id.as_str()).collect();
    parents.sort_unstable();
    assert_eq!(parents, ["a", "b"]);
    assert_eq!(kit["generation"], 2);

    let lineage = server.get_ok("/api/ecs/agents/offspring~1/lineage").await;
    let mut parents: Vec<&str> =
        lineage["parents"].as_array().expect("parents").iter().filter_map(|parent| parent["agent_id"].as_str()).collect();
    parents.sort_unstable();
    assert_eq!(parents, ["a", "b"]);

    let listed = server.get_ok("/api/ecs/agents?stage=infant").await;
    assert_eq!(listed["agents"][0]["agent_id"], "offspring~1");

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn breeding_off_produces_nothing() {
    let server = start_still().await;
    server.create("a", 20.0).await;
    server.create("b", 20.0).await;

    server.nudge(3 * STEPS_PER_YEAR).await;
    let stats = server.get_ok("/api/ecs/breeding/stats").await;
    assert_eq!(stats["births"], 0);
    assert_eq!(stats["last_pass_tick"], Value::Null);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn time_reports_clock() {
    let server = start_still().await;

    let view = time(&server).await;
    assert_eq!(view["tick"], 0);
    assert_eq!(view["simulation_years"], 0.0);
    assert_eq!(view["acceleration"], 1.0);
    assert!(view["effective_acceleration"].is_number(), "{view}");
    assert_eq!(view["paused"], false);
    assert_eq!(view["steps_per_year"], STEPS_PER_YEAR);
    assert_eq!(view["seconds_per_year"], 1_000_000.0);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn acceleration_bounds_accepted() {
    let server = start_still().await;

    for acceleration in [0.1, 100.0, 2.5] {
        let reply = server.put_json("/api/ecs/time", &json!({ "acceleration": acceleration })).await;
        assert_eq!(reply.status, StatusCode::OK, "{acceleration}: {}", reply.text);
        assert_eq!(reply.body["acceleration"], acceleration);
        assert_eq!(time(&server).await["acceleration"], acceleration);
        assert_eq!(server.status().await["acceleration"], acceleration);
    }

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn acceleration_out_of_range_rejected() {
    let server = start_still().await;
    let before = time(&server).await;

    let cases = [
        json!({ "acceleration": 0.09 }),
        json!({ "acceleration": 100.5 }),
        json!({ "acceleration": -1 }),
        json!({ "acceleration": "fast" }),
        json!({ "acceleration": 0.09, "paused": true }),
    ];
    for body in cases {
        let reply = server.put_json("/api/ecs/time", &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {}", reply.text);
        let detail = reply.detail();
        assert!(detail.contains("acceleration"), "{body}: {detail}");
        assert!(detail.contains("0.1"), "{body}: the lower bound is named: {detail}");
        assert!(detail.contains("100"), "{body}: the upper bound is named: {detail}");
        let after = time(&server).await;
        for field in ["acceleration", "paused", "tick"] {
            assert_eq!(after[field], before[field], "{body}: a rejected change leaves {field} as it was");
        }
    }

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn time_body_needs_a_field() {
    let server = start_still().await;

    let empty = server.put_json("/api/ecs/time", &json!({})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.text);
    assert!(empty.detail().contains("acceleration"), "{}", empty.detail());

    let wrong_type = server.put_json("/api/ecs/time", &json!({ "paused": "yes" })).await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong_type.text);
    assert!(wrong_type.detail().contains("paused"), "{}", wrong_type.detail());

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn pause_and_resume_clock() {
    let server = start_still().await;

    let paused = server.put_json("/api/ecs/time", &json!({ "paused": true })).await;
    assert_eq!(paused.status, StatusCode::OK, "{}", paused.text);
    assert_eq!(paused.body["paused"], true);
    assert_eq!(paused.body["effective_acceleration"], 0.0);
    assert_eq!(server.status().await["paused"], true);

    let both = server.put_json("/api/ecs/time", &json!({ "paused": false, "acceleration": 50 })).await;
    assert_eq!(both.status, StatusCode::OK, "{}", both.text);
    assert_eq!(both.body["paused"], false);
    assert_eq!(both.body["acceleration"], 50.0);
    assert_eq!(time(&server).await["paused"], false);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn nudge_advances_exact_steps() {
    let server = start_still().await;
    server.create("a", 0.0).await;

    let once = server.nudge(1).await;
    assert_eq!(once["tick"], 1);
    let more = server.nudge(7).await;
    assert_eq!(more["tick"], 8);
    assert_eq!(more["simulation_years"], 2.0);
    assert_eq!(server.get_ok("/api/ecs/agents/a").await["age"], 2.0);

    let reply = server.put_json("/api/ecs/time", &json!({ "paused": true })).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let while_paused = server.nudge(5).await;
    assert_eq!(while_paused["tick"], 13, "nudges run while paused");
    assert_eq!(while_paused["paused"], true);

    let most = server.nudge(10_000).await;
    assert_eq!(most["tick"], 10_013);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn nudge_steps_out_of_range() {
    let server = start_still().await;

    for steps in [json!(0), json!(10_001), json!(-1), json!(1.5), json!("3")] {
        let reply = server.post_json("/api/ecs/time/nudge", &json!({ "steps": steps })).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{steps}: {}", reply.text);
        assert!(reply.detail().contains("steps"), "{steps}: {}", reply.detail());
    }
    assert_eq!(time(&server).await["tick"], 0);

    server.stop().await;
}
