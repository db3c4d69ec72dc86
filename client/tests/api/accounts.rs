//! Accounts, sessions and the refresh-and-retry path.

use std::sync::Arc;

use reynard_client::{ClientError, Role, StatusCode};

use crate::common::{self, assert_api_error, ADMIN_USERNAME, USER_PASSWORD};

#[tokio::test(flavor = "multi_thread")]
async fn register_returns_user() {
    let server = common::start().await;
    let client = server.client();

    let user = client.register("alice", "alice@example.org", USER_PASSWORD).await.expect("registration succeeds");

    assert_eq!(user.username, "alice");
    assert_eq!(user.email, "alice@example.org");
    assert_eq!(user.role, Role::User);
    assert!(client.access_token().await.is_none(), "registering must not log in");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn login_keeps_both_tokens() {
    let server = common::start().await;
    let client = server.client();

    let pair = client.login(ADMIN_USERNAME, common::ADMIN_PASSWORD).await.expect("login succeeds");

    assert_eq!(pair.token_type, "bearer");
    assert_eq!(pair.expires_in, 30 * 60);
    assert_eq!(client.access_token().await.as_deref(), Some(pair.access_token.as_str()));
    assert_eq!(client.refresh_token().await.as_deref(), Some(pair.refresh_token.as_str()));
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn login_wrong_password_unauthorized() {
    let server = common::start().await;
    let client = server.client();

    let result = client.login(ADMIN_USERNAME, "not-the-password").await;

    assert_api_error(result, StatusCode::UNAUTHORIZED, "incorrect username or password");
    assert!(client.access_token().await.is_none());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn me_returns_account() {
    let server = common::start().await;
    let admin = server.admin().await;
    let user = server.user("bob").await;

    let admin_account = admin.me().await.expect("me succeeds for the admin");
    let user_account = user.me().await.expect("me succeeds for the user");

    assert_eq!(admin_account.username, ADMIN_USERNAME);
    assert_eq!(admin_account.role, Role::Admin);
    assert_eq!(user_account.username, "bob");
    assert_eq!(user_account.role, Role::User);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn protected_greets_caller() {
    let server = common::start().await;
    let user = server.user("carol").await;
    let account = user.me().await.expect("me succeeds");

    let greeting = user.protected().await.expect("the protected route answers");

    assert_eq!(greeting.message, "Hello, carol! You have reached a protected route.");
    assert_eq!(greeting.user_id, account.id);
    assert_eq!(greeting.role, Role::User);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn logout_revokes_session() {
    let server = common::start().await;
    let client = server.admin().await;
    let access = client.access_token().await.expect("an access token is held");
    let refresh = client.refresh_token().await.expect("a refresh token is held");

    client.logout().await.expect("logout succeeds");
    let forgotten = client.access_token().await;
    client.set_tokens(access, refresh).await;
    let after = client.me().await;

    assert!(forgotten.is_none(), "logout must forget the tokens");
    assert_api_error(after, StatusCode::UNAUTHORIZED, "refresh token is invalid, expired or revoked");
    assert!(client.access_token().await.is_none(), "a rejected refresh must forget the tokens");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_rotates_tokens() {
    let server = common::start().await;
    let client = server.admin().await;
    let old_access = client.access_token().await;
    let old_refresh = client.refresh_token().await;

    let pair = client.refresh().await.expect("refresh succeeds");

    assert_ne!(Some(pair.access_token.clone()), old_access);
    assert_ne!(Some(pair.refresh_token.clone()), old_refresh);
    assert_eq!(client.access_token().await, Some(pair.access_token));
    assert!(client.me().await.is_ok(), "the new access token works");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refresh_without_session_fails() {
    let server = common::start().await;
    let client = server.client();

    let result = client.refresh().await;

    assert!(matches!(result, Err(ClientError::NotLoggedIn)), "got {result:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_access_token_refreshes_once() {
    let server = common::start().await;
    let client = server.admin().await;
    let refresh = client.refresh_token().await.expect("a refresh token is held");
    client.set_tokens("not-a-valid-access-token", refresh.clone()).await;

    let status = client.get_world_status().await;

    assert!(status.is_ok(), "the retried request succeeds: {status:?}");
    assert_ne!(client.access_token().await.as_deref(), Some("not-a-valid-access-token"));
    assert_ne!(client.refresh_token().await, Some(refresh), "the refresh token was rotated");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_rejections_share_refresh() {
    let server = common::start().await;
    let client = Arc::new(server.admin().await);
    let refresh = client.refresh_token().await.expect("a refresh token is held");
    client.set_tokens("not-a-valid-access-token", refresh).await;

    let calls: Vec<_> = (0..4)
        .map(|_| {
            let client = Arc::clone(&client);
            tokio::spawn(async move { client.get_breeding_stats().await })
        })
        .collect();
    for call in calls {
        let outcome = call.await.expect("the task completes");
        assert!(outcome.is_ok(), "every concurrent call succeeds: {outcome:?}");
    }

    // Spending one refresh token twice would have revoked the whole session.
    assert!(client.me().await.is_ok(), "the session survives");
    assert!(client.refresh().await.is_ok(), "the held refresh token is still valid");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn rejected_refresh_clears_session() {
    let server = common::start().await;
    let client = server.client();
    client.set_tokens("not-a-valid-access-token", "not-a-valid-refresh-token").await;

    let result = client.get_world_status().await;

    assert_api_error(result, StatusCode::UNAUTHORIZED, "refresh token is invalid, expired or revoked");
    assert!(client.access_token().await.is_none());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn no_session_is_unauthorized() {
    let server = common::start().await;
    let client = server.client();

    let result = client.get_world_status().await;

    let detail = "missing bearer token: send Authorization: Bearer <access token>";
    assert_api_error(result, StatusCode::UNAUTHORIZED, detail);
    server.stop().await;
}
