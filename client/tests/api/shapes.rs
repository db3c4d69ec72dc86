//! The client's types match the server's JSON: each real response decodes
//! into its type and encodes back to the same JSON, and the server's own
//! types encode to JSON that decodes into the client's equivalents.

use std::any::type_name;

use reqwest::Method;
use reynard_client::{
    AgentDetail, AgentPage, BreedingStatsView, CompatibilityView, CreateAgentRequest, Digest, EnableBreedingResponse,
    Greeting, Health, LineageView, MatesResponse, Role, SpiritList, StatusView, StyleList, TimeView, TokenPair,
    TraitsView, User, WorldSnapshot,
};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

use crate::common::{self, TestServer, ADMIN_PASSWORD, ADMIN_USERNAME, STEPS_PER_YEAR, USER_PASSWORD};

/// Decodes `raw` as `T`, checks that `T` encodes back to the same JSON
/// value, and returns the decoded value.
#[track_caller]
fn assert_round_trip<T: DeserializeOwned + Serialize>(raw: &str) -> T {
    let name = type_name::<T>();
    let expected: Value = serde_json::from_str(raw).expect("the server sent JSON");
    let typed: T = serde_json::from_str(raw).unwrap_or_else(|error| panic!("decoding {name} failed: {error}\n{raw}"));
    // Compared through text, so f32 trait values are written as the server writes them.
    let encoded = serde_json::to_string(&typed).expect("encoding succeeds");
    let actual: Value = serde_json::from_str(&encoded).expect("the encoding is JSON");
    assert_eq!(actual, expected, "{name} does not encode back to the server's JSON");
    typed
}

#[tokio::test(flavor = "multi_thread")]
async fn account_responses_round_trip() {
    let server = common::start().await;
    let client = server.client();
    let register = json!({ "username": "ivy", "email": "ivy@example.org", "password": USER_PASSWORD });
    let login = json!({ "username": ADMIN_USERNAME, "password": ADMIN_PASSWORD });

    assert_round_trip::<User>(&server.raw(&client, Method::POST, "/api/auth/register", Some(&register)).await);
    let pair =
        assert_round_trip::<TokenPair>(&server.raw(&client, Method::POST, "/api/auth/login", Some(&login)).await);
    client.set_tokens(pair.access_token, pair.refresh_token).await;
    assert_round_trip::<User>(&server.raw_get(&client, "/api/auth/me").await);
    assert_round_trip::<Greeting>(&server.raw_get(&client, "/api/protected").await);
    let refresh = json!({ "refresh_token": client.refresh_token().await });
    assert_round_trip::<TokenPair>(&server.raw(&client, Method::POST, "/api/auth/refresh", Some(&refresh)).await);
    server.stop().await;
}

/// Builds a world with founders, a manual and an automatic offspring, and
/// a dead agent, so optional fields appear both set and unset.
async fn populated_server() -> (TestServer, reynard_client::ReynardClient) {
    let server = common::start().await;
    let client = server.admin().await;
    for (id, age) in [("vixen", 20.0), ("tod", 22.0), ("elder", 99.9)] {
        client.create_agent_with(&CreateAgentRequest::new(id).age(age)).await.expect("creation succeeds");
    }
    client.create_offspring("vixen", "tod", "kit").await.expect("breeding succeeds");
    client.nudge(STEPS_PER_YEAR).await.expect("nudge succeeds");
    (server, client)
}

#[tokio::test(flavor = "multi_thread")]
async fn agent_responses_round_trip() {
    let (server, client) = populated_server().await;
    let founder = json!({ "agent_id": "luna", "spirit": "wolf", "style": "destiny", "name": "Luna", "age": 30.0,
                          "traits": { "personality": { "courage": 0.9 } } });

    assert_round_trip::<AgentDetail>(&server.raw(&client, Method::POST, "/api/ecs/agents", Some(&founder)).await);
    let dead = assert_round_trip::<AgentDetail>(&server.raw_get(&client, "/api/ecs/agents/elder").await);
    assert!(dead.died_at_year.is_some(), "the elder died during the nudge");
    assert_round_trip::<AgentDetail>(&server.raw_get(&client, "/api/ecs/agents/kit").await);
    assert_round_trip::<AgentPage>(&server.raw_get(&client, "/api/ecs/agents?limit=2").await);
    assert_round_trip::<AgentPage>(&server.raw_get(&client, "/api/ecs/agents").await);
    let mates = assert_round_trip::<MatesResponse>(&server.raw_get(&client, "/api/ecs/agents/luna/mates").await);
    assert!(!mates.compatible_mates.is_empty(), "luna has possible mates");
    assert_round_trip::<CompatibilityView>(&server.raw_get(&client, "/api/ecs/agents/luna/compatibility/tod").await);
    let rejected = assert_round_trip::<CompatibilityView>(
        &server.raw_get(&client, "/api/ecs/agents/vixen/compatibility/kit").await,
    );
    assert!(!rejected.reasons.is_empty(), "a parent and its infant may not breed");
    assert_round_trip::<LineageView>(&server.raw_get(&client, "/api/ecs/agents/kit/lineage?depth=2").await);
    assert_round_trip::<LineageView>(&server.raw_get(&client, "/api/ecs/agents/vixen/lineage").await);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn world_responses_round_trip() {
    let (server, client) = populated_server().await;
    let nudge = json!({ "steps": 1 });
    let change = json!({ "acceleration": 3.5, "paused": true });

    let enabled = server.raw(&client, Method::POST, "/api/ecs/breeding/enable?enabled=true", None).await;
    assert_round_trip::<EnableBreedingResponse>(&enabled);
    assert_round_trip::<BreedingStatsView>(&server.raw_get(&client, "/api/ecs/breeding/stats").await);
    assert_round_trip::<TimeView>(&server.raw(&client, Method::PUT, "/api/ecs/time", Some(&change)).await);
    assert_round_trip::<TimeView>(&server.raw(&client, Method::POST, "/api/ecs/time/nudge", Some(&nudge)).await);
    assert_round_trip::<TimeView>(&server.raw_get(&client, "/api/ecs/time").await);
    assert_round_trip::<StatusView>(&server.raw_get(&client, "/api/ecs/status").await);
    assert_round_trip::<Digest>(&server.raw_get(&client, "/api/ecs/digest").await);
    assert_round_trip::<Health>(&server.raw_get(&client, "/api/health").await);
    assert_round_trip::<SpiritList>(&server.raw_get(&client, "/api/ecs/naming/spirits").await);
    assert_round_trip::<StyleList>(&server.raw_get(&client, "/api/ecs/naming/styles").await);

    let export = server.raw_get(&client, "/api/ecs/export").await;
    let snapshot = assert_round_trip::<WorldSnapshot>(&export);
    let pretty = serde_json::to_string_pretty(&snapshot).expect("encoding succeeds");
    assert_eq!(pretty, export, "the snapshot encodes back to the exact bytes of the export");
    server.stop().await;
}

/// Builds the client's `User` from the server's. Both struct patterns name
/// every field, so a field added to either type fails this build.
fn client_user(user: reynard::auth::User) -> User {
    let reynard::auth::User { id, username, email, role, created_at } = user;
    User { id, username, email, role: client_role(role), created_at }
}

fn client_role(role: reynard::auth::Role) -> Role {
    match role {
        reynard::auth::Role::User => Role::User,
        reynard::auth::Role::Admin => Role::Admin,
    }
}

/// Builds the client's `TokenPair` from the server's, naming every field.
fn client_pair(pair: reynard::auth::TokenPair) -> TokenPair {
    let reynard::auth::TokenPair { access_token, refresh_token, token_type, expires_in } = pair;
    TokenPair { access_token, refresh_token, token_type: token_type.to_owned(), expires_in }
}

#[test]
fn server_accounts_decode_as_client() {
    for role in [reynard::auth::Role::User, reynard::auth::Role::Admin] {
        let user = reynard::auth::User {
            id: "8d0f7c5e-0000-4000-8000-000000000001".to_owned(),
            username: "ivy".to_owned(),
            email: "ivy@example.org".to_owned(),
            role,
            created_at: "2026-01-02T03:04:05Z".to_owned(),
        };
        let json = serde_json::to_string(&user).expect("encoding succeeds");
        let decoded: User = serde_json::from_str(&json).expect("the client decodes the server's user");
        assert_eq!(decoded, client_user(user), "role {role:?}");
    }

    let pair = reynard::auth::TokenPair {
        access_token: "access".to_owned(),
        refresh_token: "refresh".to_owned(),
        token_type: "bearer",
        expires_in: 1800,
    };
    let json = serde_json::to_string(&pair).expect("encoding succeeds");
    let decoded: TokenPair = serde_json::from_str(&json).expect("the client decodes the server's token pair");
    assert_eq!(decoded, client_pair(pair));
}

#[test]
fn server_status_decodes_as_client() {
    let time = TimeView {
        tick: 12,
        simulation_years: 3.0,
        acceleration: 10.0,
        effective_acceleration: 9.5,
        paused: false,
        steps_per_year: 4,
        seconds_per_year: 60.0,
    };
    let status = reynard_systems::views::StatusView {
        status: "active",
        entity_count: 5,
        agent_count: 4,
        mature_agents: 2,
        deceased_count: 1,
        system_count: 6,
        seed: 7,
        breeding_enabled: true,
        max_agents: 1000,
        time,
    };

    let json = serde_json::to_string(&status).expect("encoding succeeds");
    let decoded: StatusView = serde_json::from_str(&json).expect("the client decodes the server's status");

    assert_eq!(decoded, StatusView::from(status));
}

#[test]
fn traits_decode_strictly() {
    let values = [0.5; reynard_systems::traits::TRAIT_COUNT];
    let traits = TraitsView(reynard_systems::traits::Traits { values });
    let full = serde_json::to_value(&traits).expect("encoding succeeds");
    let decode = |value: &Value| serde_json::from_value::<TraitsView>(value.clone()).map_err(|error| error.to_string());

    let mut missing = full.clone();
    missing["personality"].as_object_mut().expect("a group is an object").remove("dominance");
    let mut unknown_category = full.clone();
    unknown_category["magic"] = json!({ "luck": 0.5 });
    let mut misplaced = full.clone();
    misplaced["physical"]["courage"] = json!(0.5);

    assert_eq!(decode(&full), Ok(traits));
    assert_eq!(decode(&missing), Err("trait 'dominance' is missing".to_owned()));
    assert_eq!(decode(&unknown_category), Err("unknown trait category 'magic'".to_owned()));
    assert_eq!(decode(&misplaced), Err("'courage' is not a physical trait".to_owned()));
}
