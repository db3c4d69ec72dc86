//! Two servers with the same seed and the same commands end in the same world.

mod common;

use common::{start, still_config, TestServer, SEED, STEPS_PER_YEAR};
use serde_json::json;

/// Sends the same sequence of commands to `server`: founders of several
/// spirits, automatic breeding over a few passes, a manual birth and more steps.
async fn run_script(server: &TestServer) {
    let founders = [("a", "fox", 20), ("b", "fox", 22), ("c", "wolf", 25), ("d", "wolf", 30), ("e", "otter", 19)];
    for (id, spirit, age) in founders {
        server.create_with(&json!({ "agent_id": id, "spirit": spirit, "age": age })).await;
    }
    server.set_breeding(true).await;
    server.nudge(3 * STEPS_PER_YEAR).await;

    server.create_with(&json!({ "agent_id": "f", "spirit": "fox", "age": 40, "style": "destiny" })).await;
    server.create_with(&json!({ "agent_id": "g", "spirit": "fox", "age": 40 })).await;
    server.breed("f", "g", "fg").await;
    server.nudge(5 * STEPS_PER_YEAR).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn same_seed_same_digest() {
    let first = start(still_config()).await;
    let second = start(still_config()).await;
    run_script(&first).await;
    run_script(&second).await;

    let births = first.get_ok("/api/ecs/breeding/stats").await["births"].as_u64().expect("births");
    assert!(births > 1, "the script breeds automatically as well as by request: {births}");
    assert_eq!(first.digest().await, second.digest().await);
    assert_eq!(
        first.get_ok("/api/ecs/agents?limit=1000").await,
        second.get_ok("/api/ecs/agents?limit=1000").await
    );

    first.stop().await;
    second.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn other_seed_other_digest() {
    let mut other = still_config();
    other.seed = Some(SEED + 1);
    let first = start(still_config()).await;
    let second = start(other).await;
    run_script(&first).await;
    run_script(&second).await;

    assert_eq!(second.status().await["seed"], SEED + 1);
    assert_ne!(first.digest().await, second.digest().await);

    first.stop().await;
    second.stop().await;
}
