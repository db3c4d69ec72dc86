//! Typed errors: each server rejection arrives with its status and detail.

use reynard_client::{ClientError, CreateAgentRequest, NamingStyle, ReynardClient, Spirit, StatusCode, TraitName};
use tokio::net::TcpListener;

use crate::common::{self, assert_api_error, USER_PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn unknown_agent_not_found() {
    let server = common::start().await;
    let client = server.admin().await;

    let error = client.get_agent("ghost").await.expect_err("an unknown agent is not found");

    assert_eq!(error.status(), Some(StatusCode::NOT_FOUND));
    assert_eq!(error.detail(), Some("agent 'ghost' not found"));
    assert!(error.is_not_found());
    assert!(!error.is_conflict());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unknown_agent_routes_not_found() {
    let server = common::start().await;
    let client = server.admin().await;
    client.create_agent("tod", Spirit::Fox, NamingStyle::Foundation).await.expect("creation succeeds");

    let detail = "agent 'ghost' not found";
    assert_api_error(client.find_compatible_mates("ghost", None).await, StatusCode::NOT_FOUND, detail);
    assert_api_error(client.analyze_compatibility("tod", "ghost").await, StatusCode::NOT_FOUND, detail);
    assert_api_error(client.get_agent_lineage("ghost", None).await, StatusCode::NOT_FOUND, detail);
    assert_api_error(client.create_offspring("ghost", "tod", "kit").await, StatusCode::NOT_FOUND, detail);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn taken_agent_id_conflicts() {
    let server = common::start().await;
    let client = server.admin().await;
    client.create_agent("tod", Spirit::Fox, NamingStyle::Foundation).await.expect("first creation succeeds");

    let error = client.create_agent("tod", Spirit::Wolf, NamingStyle::Foundation).await.expect_err("the id is taken");

    assert_eq!(error.status(), Some(StatusCode::CONFLICT));
    assert_eq!(error.detail(), Some("agent id 'tod' is already taken"));
    assert!(error.is_conflict());
    assert!(!error.is_not_found());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ineligible_pair_conflicts() {
    let server = common::start().await;
    let client = server.admin().await;
    client.create_agent_with(&CreateAgentRequest::new("vixen").age(20.0)).await.expect("creation succeeds");
    client.create_agent("cub", Spirit::Fox, NamingStyle::Foundation).await.expect("creation succeeds");

    let result = client.create_offspring("vixen", "cub", "kit").await;

    assert_api_error(result, StatusCode::CONFLICT, "breeding rejected: cub is infant, only adults breed");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn taken_username_conflicts() {
    let server = common::start().await;
    let client = server.client();
    client.register("erin", "erin@example.org", USER_PASSWORD).await.expect("first registration succeeds");

    let result = client.register("erin", "other@example.org", USER_PASSWORD).await;

    assert_api_error(result, StatusCode::CONFLICT, "username is already taken");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_input_unprocessable() {
    let server = common::start().await;
    let admin = server.admin().await;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;

    let bad_id = admin.create_agent("bad id", Spirit::Fox, NamingStyle::Foundation).await;
    assert_api_error(
        bad_id,
        unprocessable,
        "agent_id may contain only letters A-Z and a-z, digits and . _ - (found ' ')",
    );

    let bad_trait = admin.create_agent_with(&CreateAgentRequest::new("fox").trait_value(TraitName::Courage, 1.5)).await;
    assert_api_error(bad_trait, unprocessable, "traits.personality.courage must be between 0 and 1, got 1.5");

    let bad_limit = admin.get_agents(Some(0), None, &Default::default()).await;
    assert_api_error(bad_limit, unprocessable, "limit must be between 1 and 1000, got 0");

    let bad_depth = admin.get_agent_lineage("fox", Some(17)).await;
    assert_api_error(bad_depth, unprocessable, "depth must be between 1 and 16, got 17");

    let bad_max = admin.find_compatible_mates("fox", Some(101)).await;
    assert_api_error(bad_max, unprocessable, "max_results must be between 1 and 100, got 101");

    let bad_steps = admin.nudge(0).await;
    assert_api_error(bad_steps, unprocessable, "steps must be between 1 and 10000, got 0");

    let empty_change = admin.set_time(None, None).await;
    assert_api_error(empty_change, unprocessable, "body must set acceleration, paused or both");

    let short_password = server.client().register("frank", "frank@example.org", "short").await;
    assert_api_error(short_password, unprocessable, "password must be between 8 and 1024 characters, got 5");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn user_admin_controls_forbidden() {
    let server = common::start().await;
    let user = server.user("gus").await;
    let forbidden = StatusCode::FORBIDDEN;

    assert_api_error(user.nudge(1).await, forbidden, "nudging the clock requires the admin role");
    assert_api_error(user.set_time(Some(2.0), None).await, forbidden, "changing the clock requires the admin role");
    assert_api_error(
        user.enable_breeding(true).await,
        forbidden,
        "switching automatic breeding requires the admin role",
    );
    assert_api_error(user.export().await, forbidden, "exporting the world requires the admin role");
    assert_api_error(user.export_json().await, forbidden, "exporting the world requires the admin role");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn closed_port_is_transport_error() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binding a free loopback port");
    let addr = listener.local_addr().expect("the listener has an address");
    drop(listener);
    let client = ReynardClient::with_http_client(&format!("http://{addr}"), common::http()).expect("the URL is valid");

    let result = client.health().await;

    assert!(matches!(result, Err(ClientError::Transport(_))), "got {result:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn invalid_base_url_rejected() {
    for url in ["not a url", "ftp://127.0.0.1/", "http://127.0.0.1:8000/?page=1", "mailto:fox@example.org"] {
        let result = ReynardClient::new(url);
        assert!(matches!(result, Err(ClientError::InvalidBaseUrl { .. })), "{url}: got {:?}", result.err());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn base_path_prefixes_requests() {
    let server = common::start().await;
    let prefixed = format!("{}/behind-proxy/", server.base);
    let client = ReynardClient::with_http_client(&prefixed, common::http()).expect("the URL is valid");

    let result = client.health().await;

    assert_api_error(result, StatusCode::NOT_FOUND, "no route for /behind-proxy/api/health");
    server.stop().await;
}
