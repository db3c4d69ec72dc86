//! Agents, status, naming, digest and health over real HTTP.

mod common;

use common::{start, start_still, still_config, Reply, SEED, STEPS_PER_YEAR};
use reqwest::StatusCode;
use reynard_systems::Settings;
use serde_json::{json, Value};

/// Collects the agent ids on one page of `GET /api/ecs/agents`.
fn ids(page: &Value) -> Vec<String> {
    page["agents"]
        .as_array()
        .expect("agents is an array")
        .iter()
        .map(|agent| agent["agent_id"].as_str().expect("agent_id is a string").to_owned())
        .collect()
}

fn assert_rejected(reply: &Reply, status: StatusCode, field: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert!(reply.detail().contains(field), "detail should name {field}: {}", reply.detail());
}

#[tokio::test(flavor = "multi_thread")]
async fn status_of_empty_world() {
    let server = start_still().await;

    let status = server.status().await;
    assert_eq!(status["status"], "active");
    assert_eq!(status["entity_count"], 0);
    assert_eq!(status["agent_count"], 0);
    assert_eq!(status["mature_agents"], 0);
    assert_eq!(status["deceased_count"], 0);
    assert_eq!(status["system_count"], 3);
    assert_eq!(status["tick"], 0);
    assert_eq!(status["simulation_years"], 0.0);
    assert_eq!(status["acceleration"], 1.0);
    assert!(status["effective_acceleration"].is_number(), "{status}");
    assert_eq!(status["paused"], false);
    assert_eq!(status["seed"], SEED);
    assert_eq!(status["breeding_enabled"], false);
    assert_eq!(status["max_agents"], Settings::default().max_agents);
    assert_eq!(server.server.seed, SEED);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn status_shows_each_acknowledged_change() {
    let server = start_still().await;
    for n in 1..=20 {
        server.create(&format!("seen-{n}"), 30.0).await;
        let status = server.status().await;
        assert_eq!(status["agent_count"], n, "status right after create number {n}");
        assert_eq!(status["mature_agents"], n, "mature agents right after create number {n}");
    }

    let paused = server.put_json("/api/ecs/time", &json!({ "paused": true })).await;
    assert_eq!(paused.status, StatusCode::OK, "{}", paused.text);
    assert_eq!(server.status().await["paused"], true, "status right after pausing");

    let nudged = server.nudge(3).await;
    assert_eq!(server.status().await["tick"], nudged["tick"], "status right after a nudge");

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn status_counts_agents_and_deaths() {
    let server = start_still().await;
    server.create("young", 2.0).await;
    server.create("adult", 30.0).await;
    // 99.75 years is one step short of death at 100 years with 4 steps per year.
    server.create("old", 99.75).await;
    server.nudge(1).await;

    let status = server.status().await;
    assert_eq!(status["entity_count"], 3);
    assert_eq!(status["agent_count"], 2);
    assert_eq!(status["mature_agents"], 1);
    assert_eq!(status["deceased_count"], 1);
    assert_eq!(status["tick"], 1);
    assert_eq!(status["simulation_years"], 0.25);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn health_reports_healthy() {
    let server = start_still().await;

    let reply = server.get("/api/health").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["status"], "healthy");
    assert_eq!(reply.body["tick"], 0);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_honours_every_field() {
    let server = start_still().await;
    let body = json!({
        "agent_id": "wolf-1",
        "spirit": "wolf",
        "style": "exo",
        "name": "Grey Wanderer",
        "age": 20,
        "traits": { "personality": { "courage": 0.9 }, "physical": { "speed": 0.25 }, "abilities": { "hunter": 1.0 } },
    });

    let reply = server.post_json("/api/ecs/agents", &body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.header("location"), Some("/api/ecs/agents/wolf-1"));
    let agent = &reply.body;
    assert_eq!(agent["agent_id"], "wolf-1");
    assert_eq!(agent["spirit"], "wolf");
    assert_eq!(agent["style"], "exo");
    assert_eq!(agent["name"], "Grey Wanderer");
    assert_eq!(agent["age"], 20.0);
    assert_eq!(agent["stage"], "adult");
    assert_eq!(agent["active"], true);
    assert_eq!(agent["generation"], 1);
    assert_eq!(agent["traits"]["personality"]["courage"], 0.9);
    assert_eq!(agent["traits"]["physical"]["speed"], 0.25);
    assert_eq!(agent["traits"]["abilities"]["hunter"], 1.0);
    assert_eq!(agent["offspring_count"], 0);
    assert_eq!(agent["breeding_cooldown_years"], 0.0);
    assert_eq!(agent["can_breed"], true);
    assert_eq!(agent["parents"], json!([]));
    assert_eq!(agent["children"], json!([]));
    assert_eq!(agent["inbreeding_coefficient"], 0.0);
    assert_eq!(agent["died_at_year"], Value::Null);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn create_applies_defaults() {
    let server = start_still().await;

    let agent = server.create_with(&json!({ "agent_id": "plain" })).await;
    assert_eq!(agent["spirit"], "fox");
    assert_eq!(agent["style"], "foundation");
    assert_eq!(agent["age"], 0.0);
    assert_eq!(agent["stage"], "infant");
    assert_eq!(agent["can_breed"], false);
    let name = agent["name"].as_str().expect("name is a string");
    assert!(name.starts_with("Fox-"), "foundation names start with the spirit: {name}");
    for category in ["personality", "physical", "abilities"] {
        let traits = agent["traits"][category].as_object().expect("trait group is an object");
        assert!(!traits.is_empty(), "{category} has traits");
        let in_range = traits.values().all(|value| (0.0..=1.0).contains(&value.as_f64().unwrap_or(-1.0)));
        assert!(in_range, "{category} values in [0, 1]: {traits:?}");
    }

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn get_agent_found_and_missing() {
    let server = start_still().await;
    let created = server.create("fox-1", 20.0).await;

    let found = server.get("/api/ecs/agents/fox-1").await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.body, created);

    let missing = server.get("/api/ecs/agents/nobody").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.detail().contains("nobody"), "{}", missing.detail());

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn list_pages_with_cursor() {
    let server = start_still().await;
    let all: Vec<String> = (1..=5).map(|n| format!("fox-{n}")).collect();
    for id in &all {
        server.create(id, 20.0).await;
    }

    let mut seen = Vec::new();
    let mut path = "/api/ecs/agents?limit=2".to_owned();
    let mut page_sizes = Vec::new();
    for _ in 0..10 {
        let page = server.get_ok(&path).await;
        page_sizes.push(ids(&page).len());
        seen.extend(ids(&page));
        match page["next_cursor"].as_str() {
            Some(cursor) => path = format!("/api/ecs/agents?limit=2&cursor={cursor}"),
            None => break,
        }
    }
    assert_eq!(page_sizes, [2, 2, 1]);
    assert_eq!(seen, all);

    let whole = server.get_ok("/api/ecs/agents").await;
    assert_eq!(ids(&whole), all);
    assert_eq!(whole["next_cursor"], Value::Null);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn list_filters_spirit_stage_alive() {
    let server = start_still().await;
    server.create_with(&json!({ "agent_id": "wolf-adult", "spirit": "wolf", "age": 20 })).await;
    server.create_with(&json!({ "agent_id": "fox-infant", "age": 1 })).await;
    server.create_with(&json!({ "agent_id": "fox-juvenile", "age": 10 })).await;
    server.create_with(&json!({ "agent_id": "fox-dying", "age": 99.75 })).await;
    server.nudge(1).await;

    let wolves = server.get_ok("/api/ecs/agents?spirit=wolf").await;
    assert_eq!(ids(&wolves), ["wolf-adult"]);

    let juveniles = server.get_ok("/api/ecs/agents?stage=juvenile").await;
    assert_eq!(ids(&juveniles), ["fox-juvenile"]);

    let dead = server.get_ok("/api/ecs/agents?alive=false").await;
    assert_eq!(ids(&dead), ["fox-dying"]);
    assert_eq!(dead["agents"][0]["active"], false);

    let living_foxes = server.get_ok("/api/ecs/agents?spirit=fox&alive=true").await;
    assert_eq!(ids(&living_foxes), ["fox-infant", "fox-juvenile"]);

    let dying = server.get_ok("/api/ecs/agents/fox-dying").await;
    assert_eq!(dying["died_at_year"], 0.25);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn list_limit_out_of_range() {
    let server = start_still().await;

    assert_rejected(&server.get("/api/ecs/agents?limit=0").await, StatusCode::UNPROCESSABLE_ENTITY, "limit");
    assert_rejected(&server.get("/api/ecs/agents?limit=1001").await, StatusCode::UNPROCESSABLE_ENTITY, "limit");
    assert_eq!(server.get("/api/ecs/agents?limit=1000").await.status, StatusCode::OK);
    assert_eq!(server.get("/api/ecs/agents?limit=1").await.status, StatusCode::OK);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn population_cap_rejects_fourth() {
    let mut config = still_config();
    config.settings.max_agents = 3;
    let server = start(config).await;
    for id in ["a", "b", "c"] {
        server.create(id, 20.0).await;
    }

    let reply = server.post_json("/api/ecs/agents", &json!({ "agent_id": "d" })).await;
    assert_rejected(&reply, StatusCode::CONFLICT, "cap of 3");
    assert_eq!(server.status().await["agent_count"], 3);
    assert_eq!(server.get("/api/ecs/agents/d").await.status, StatusCode::NOT_FOUND);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn taken_agent_id_conflicts() {
    let server = start_still().await;
    server.create("fox-1", 20.0).await;

    let reply = server.post_json("/api/ecs/agents", &json!({ "agent_id": "fox-1" })).await;
    assert_rejected(&reply, StatusCode::CONFLICT, "fox-1");
    assert_eq!(server.status().await["agent_count"], 1);

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn naming_spirits_grouped_in_families() {
    let server = start_still().await;

    let body = server.get_ok("/api/ecs/naming/spirits").await;
    let spirits: Vec<&str> = body["spirits"].as_array().expect("spirits").iter().filter_map(Value::as_str).collect();
    for spirit in ["fox", "loch-ness", "aye-aye"] {
        assert!(spirits.contains(&spirit), "{spirit} listed: {spirits:?}");
    }
    assert_eq!(body["default"], "fox");

    let families = body["families"].as_array().expect("families is an array");
    let grouped: Vec<&str> = families
        .iter()
        .flat_map(|family| family["spirits"].as_array().expect("family spirits").iter().filter_map(Value::as_str))
        .collect();
    assert_eq!(grouped.len(), spirits.len(), "every spirit is in exactly one family");
    let canine = families.iter().find(|family| family["family"] == "canine").expect("canine family listed");
    assert!(canine["spirits"].as_array().expect("canine spirits").contains(&json!("fox")));
    let cryptid = families.iter().find(|family| family["family"] == "cryptid").expect("cryptid family listed");
    assert!(cryptid["spirits"].as_array().expect("cryptid spirits").contains(&json!("loch-ness")));

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn naming_styles_lists_seven() {
    let server = start_still().await;

    let body = server.get_ok("/api/ecs/naming/styles").await;
    let styles = body["styles"].as_array().expect("styles is an array");
    let names: Vec<&str> = styles.iter().filter_map(|style| style["style"].as_str()).collect();
    assert_eq!(names, ["foundation", "exo", "hybrid", "cyberpunk", "mythological", "scientific", "destiny"]);
    let described = styles.iter().all(|style| style["description"].as_str().is_some_and(|text| !text.is_empty()));
    assert!(described, "every style has a description: {styles:?}");
    assert_eq!(body["default"], "foundation");

    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn digest_changes_with_world() {
    let server = start_still().await;

    let empty = server.get_ok("/api/ecs/digest").await;
    let digest = empty["digest"].as_str().expect("digest is a string");
    assert_eq!(digest.len(), 64, "SHA-256 in hex: {digest}");
    assert!(digest.chars().all(|c| c.is_ascii_hexdigit()), "{digest}");
    assert_eq!(empty["tick"], 0);
    assert_eq!(server.digest().await, digest, "reading twice gives the same digest");

    server.create("fox-1", 20.0).await;
    let after_create = server.digest().await;
    assert_ne!(after_create, digest);

    server.nudge(STEPS_PER_YEAR).await;
    let stepped = server.get_ok("/api/ecs/digest").await;
    assert_eq!(stepped["tick"], STEPS_PER_YEAR);
    assert_ne!(stepped["digest"], json!(after_create));

    server.stop().await;
}
