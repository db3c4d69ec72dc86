//! Health, status, digest, export, the clock, automatic breeding and the naming lists.

use reynard_client::{CreateAgentRequest, Family, NamingStyle, Spirit, WorldSnapshot};

use crate::common::{self, STEPS_PER_YEAR};

#[tokio::test(flavor = "multi_thread")]
async fn health_reports_tick() {
    let server = common::start().await;
    let client = server.client();

    let health = client.health().await.expect("health check succeeds without a token");

    assert_eq!(health.status, "healthy");
    assert_eq!(health.tick, 0);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn start_checks_server_up() {
    let server = common::start().await;
    let client = server.client();

    let started = client.start().await;

    assert!(started.is_ok(), "got {started:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn status_counts_agents() {
    let server = common::start().await;
    let client = server.admin().await;
    client.create_agent_with(&CreateAgentRequest::new("vixen").age(20.0)).await.expect("creation succeeds");
    client.create_agent("cub", Spirit::Fox, NamingStyle::Foundation).await.expect("creation succeeds");

    let status = client.get_world_status().await.expect("status succeeds");

    assert_eq!(status.status, "active");
    assert_eq!(status.agent_count, 2);
    assert_eq!(status.mature_agents, 1);
    assert_eq!(status.seed, 20_240_611);
    assert!(!status.breeding_enabled);
    assert_eq!(status.time.steps_per_year, STEPS_PER_YEAR);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn digest_tracks_changes() {
    let server = common::start().await;
    let client = server.admin().await;

    let first = client.digest().await.expect("digest succeeds");
    let again = client.digest().await.expect("digest succeeds");
    client.create_agent("cub", Spirit::Fox, NamingStyle::Foundation).await.expect("creation succeeds");
    let changed = client.digest().await.expect("digest succeeds");

    assert_eq!(first, again);
    assert_eq!(first.digest.len(), 64, "a hex SHA-256 has 64 digits");
    assert_ne!(changed.digest, first.digest);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn export_lists_agents() {
    let server = common::start().await;
    let client = server.admin().await;
    client.create_agent("cub", Spirit::Fox, NamingStyle::Foundation).await.expect("creation succeeds");
    client.create_agent("pup", Spirit::Wolf, NamingStyle::Foundation).await.expect("creation succeeds");
    client.nudge(3).await.expect("nudge succeeds");
    // The clock's progress toward the next step is part of the snapshot, so
    // the clock must stand still for two exports to be equal.
    client.set_time(None, Some(true)).await.expect("pausing succeeds");

    let snapshot = client.export().await.expect("export succeeds");
    let json = client.export_json().await.expect("export succeeds");
    let parsed: WorldSnapshot = serde_json::from_str(&json).expect("the raw export is a snapshot");

    assert_eq!(snapshot.tick, 3);
    assert_eq!(snapshot.agents.len(), 2);
    assert_eq!(parsed, snapshot);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn time_controls_change_clock() {
    let server = common::start().await;
    let client = server.admin().await;

    let paused = client.set_time(Some(2.5), Some(true)).await.expect("setting the clock succeeds");
    let read = client.get_time().await.expect("reading the clock succeeds");
    let nudged = client.nudge(3).await.expect("nudge succeeds");
    let resumed = client.set_time(None, Some(false)).await.expect("resuming succeeds");

    assert_eq!(paused.acceleration, 2.5);
    assert!(paused.paused);
    assert_eq!(read.tick, paused.tick);
    assert_eq!(nudged.tick, paused.tick + 3);
    assert!(!resumed.paused);
    assert_eq!(resumed.acceleration, 2.5, "an absent field keeps its value");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn breeding_switch_and_stats() {
    let server = common::start().await;
    let client = server.admin().await;
    client.create_agent_with(&CreateAgentRequest::new("vixen").age(20.0)).await.expect("creation succeeds");
    client.create_agent_with(&CreateAgentRequest::new("tod").age(22.0)).await.expect("creation succeeds");

    let enabled = client.enable_breeding(true).await.expect("enabling succeeds");
    client.nudge(STEPS_PER_YEAR).await.expect("nudge succeeds");
    let stats = client.get_breeding_stats().await.expect("stats succeed");
    let disabled = client.enable_breeding(false).await.expect("disabling succeeds");

    assert!(enabled.enabled);
    assert_eq!(enabled.message, "automatic breeding enabled");
    assert!(enabled.stats.enabled);
    assert!(stats.enabled);
    assert_eq!(stats.births, 1, "one pass pairs the two adults once");
    assert_eq!(stats.total_agents, 3);
    assert!(!disabled.enabled);
    assert_eq!(disabled.message, "automatic breeding disabled");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn naming_lists_every_choice() {
    let server = common::start().await;
    let client = server.user("hana").await;

    let spirits = client.list_spirits().await.expect("spirit list succeeds");
    let styles = client.list_styles().await.expect("style list succeeds");

    let families: Vec<Family> = spirits.families.iter().map(|group| group.family).collect();
    let style_names: Vec<NamingStyle> = styles.styles.iter().map(|info| info.style).collect();
    assert_eq!(spirits.spirits, Spirit::ALL);
    assert_eq!(families, Family::ALL);
    assert_eq!(spirits.default, Spirit::Fox);
    assert_eq!(style_names, NamingStyle::ALL);
    assert_eq!(styles.default, NamingStyle::Foundation);
    assert!(styles.styles.iter().all(|info| !info.description.is_empty()), "every style has a description");
    server.stop().await;
}
