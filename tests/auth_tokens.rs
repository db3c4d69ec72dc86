//! Refresh-token rotation and reuse detection, logout, and how refresh
//! tokens are stored, over real HTTP on every configured backend.

mod common;

use common::auth::{get_as, login_tokens, refresh, register_user, send_as, TestDatabase, Tokens};
use common::Reply;
use reqwest::{Method, StatusCode};
use serde_json::json;
use sha2::{Digest, Sha256};
use sqlx::{Column, Row};
use tokio::task::JoinSet;

backend_tests!(
    reuse_revokes_session_access,
    refresh_returns_new_pair,
    spent_refresh_revokes_family,
    concurrent_refresh_one_wins,
    logout_revokes_session,
    logout_body_revokes_family,
    logout_skips_foreign_token,
    logout_without_token_rejected,
    revocation_survives_restart,
    refresh_tokens_stored_hashed,
);

const PASSWORD: &str = "correct horse battery";

/// Registers `ranger` and logs in once.
async fn ranger_session(base: &str) -> Tokens {
    register_user(base, "ranger", PASSWORD).await;
    login_tokens(base, "ranger", PASSWORD).await
}

async fn logout(base: &str, access: &str, refresh_token: Option<&str>) -> Reply {
    let body = refresh_token.map(|token| json!({ "refresh_token": token }));
    send_as(base, Method::POST, "/api/auth/logout", Some(access), body.as_ref()).await
}

async fn refresh_returns_new_pair(database: &TestDatabase) {
    let server = database.start().await;
    let first = ranger_session(&server.base).await;

    let reply = refresh(&server.base, &first.refresh).await;
    assert_eq!(reply.status, StatusCode::OK, "{}: {}", database.backend, reply.text);
    assert_eq!(reply.body["token_type"], "bearer");
    assert_eq!(reply.body["expires_in"], 1800);
    let second = Tokens::from_reply(&reply);
    assert_ne!(second.access, first.access);
    assert_ne!(second.refresh, first.refresh);

    let me = get_as(&server.base, "/api/auth/me", &second.access).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["username"], "ranger");
    let third = refresh(&server.base, &second.refresh).await;
    assert_eq!(third.status, StatusCode::OK, "the successor refresh token works once: {}", third.text);

    server.stop().await;
}

async fn reuse_revokes_session_access(database: &TestDatabase) {
    let server = database.start().await;
    let first = ranger_session(&server.base).await;
    let second = Tokens::from_reply(&refresh(&server.base, &first.refresh).await);

    let reused = refresh(&server.base, &first.refresh).await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED, "{}: {}", database.backend, reused.text);
    let me = get_as(&server.base, "/api/auth/me", &second.access).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "{}: access tokens of a revoked session: {}", database.backend, me.text);

    server.stop().await;
}

async fn spent_refresh_revokes_family(database: &TestDatabase) {
    let server = database.start().await;
    let first = ranger_session(&server.base).await;
    let second = Tokens::from_reply(&refresh(&server.base, &first.refresh).await);

    let reused = refresh(&server.base, &first.refresh).await;
    assert_eq!(reused.status, StatusCode::UNAUTHORIZED, "{}: a spent token: {}", database.backend, reused.text);
    assert_eq!(reused.header("www-authenticate"), Some("Bearer"));

    let successor = refresh(&server.base, &second.refresh).await;
    assert_eq!(successor.status, StatusCode::UNAUTHORIZED, "{}: the family is revoked: {}", database.backend, successor.text);

    let other_session = login_tokens(&server.base, "ranger", PASSWORD).await;
    let unrelated = refresh(&server.base, &other_session.refresh).await;
    assert_eq!(unrelated.status, StatusCode::OK, "another login session is unaffected: {}", unrelated.text);

    server.stop().await;
}

/// Sends `count` refreshes of `refresh_token` at once and returns their statuses.
async fn refresh_at_once(base: &str, refresh_token: &str, count: usize) -> Vec<StatusCode> {
    let mut tasks = JoinSet::new();
    for _ in 0..count {
        let base = base.to_owned();
        let token = refresh_token.to_owned();
        tasks.spawn(async move { refresh(&base, &token).await.status });
    }
    let mut statuses = Vec::new();
    while let Some(status) = tasks.join_next().await {
        statuses.push(status.expect("refresh task does not panic"));
    }
    statuses
}

async fn concurrent_refresh_one_wins(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;

    for (round, count) in [2, 2, 2, 2, 8].into_iter().enumerate() {
        let tokens = login_tokens(&server.base, "ranger", PASSWORD).await;
        let statuses = refresh_at_once(&server.base, &tokens.refresh, count).await;
        let succeeded = statuses.iter().filter(|status| **status == StatusCode::OK).count();
        let rejected = statuses.iter().filter(|status| **status == StatusCode::UNAUTHORIZED).count();
        assert_eq!(succeeded, 1, "{}: round {round}, {count} refreshes: {statuses:?}", database.backend);
        assert_eq!(rejected, count - 1, "{}: round {round}, {count} refreshes: {statuses:?}", database.backend);
    }

    server.stop().await;
}

async fn logout_revokes_session(database: &TestDatabase) {
    let server = database.start().await;
    let tokens = ranger_session(&server.base).await;

    let reply = logout(&server.base, &tokens.access, None).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}: {}", database.backend, reply.text);
    assert!(reply.text.is_empty(), "204 has no body: {}", reply.text);

    let me = get_as(&server.base, "/api/auth/me", &tokens.access).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "{}: the access token is revoked: {}", database.backend, me.text);
    assert_eq!(me.header("www-authenticate"), Some("Bearer"));
    let ecs = get_as(&server.base, "/api/ecs/status", &tokens.access).await;
    assert_eq!(ecs.status, StatusCode::UNAUTHORIZED, "{}: also on /api/ecs: {}", database.backend, ecs.text);
    let refreshed = refresh(&server.base, &tokens.refresh).await;
    assert_eq!(refreshed.status, StatusCode::UNAUTHORIZED, "{}: the session's refresh token: {}", database.backend, refreshed.text);

    server.stop().await;
}

async fn logout_body_revokes_family(database: &TestDatabase) {
    let server = database.start().await;
    let first = ranger_session(&server.base).await;
    let second = login_tokens(&server.base, "ranger", PASSWORD).await;
    let third = login_tokens(&server.base, "ranger", PASSWORD).await;

    let reply = logout(&server.base, &first.access, Some(&second.refresh)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}: {}", database.backend, reply.text);

    let named = refresh(&server.base, &second.refresh).await;
    assert_eq!(named.status, StatusCode::UNAUTHORIZED, "{}: the family named in the body: {}", database.backend, named.text);
    let own = refresh(&server.base, &first.refresh).await;
    assert_eq!(own.status, StatusCode::UNAUTHORIZED, "{}: the caller's own family: {}", database.backend, own.text);
    let untouched = refresh(&server.base, &third.refresh).await;
    assert_eq!(untouched.status, StatusCode::OK, "{}: a session not named: {}", database.backend, untouched.text);

    server.stop().await;
}

async fn logout_skips_foreign_token(database: &TestDatabase) {
    let server = database.start().await;
    let ranger = ranger_session(&server.base).await;
    register_user(&server.base, "scout", PASSWORD).await;
    let scout = login_tokens(&server.base, "scout", PASSWORD).await;

    let reply = logout(&server.base, &ranger.access, Some(&scout.refresh)).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}: {}", database.backend, reply.text);

    let refreshed = refresh(&server.base, &scout.refresh).await;
    assert_eq!(
        refreshed.status,
        StatusCode::OK,
        "{}: one user cannot revoke another user's session: {}",
        database.backend,
        refreshed.text
    );

    server.stop().await;
}

async fn logout_without_token_rejected(database: &TestDatabase) {
    let server = database.start().await;
    let tokens = ranger_session(&server.base).await;

    let body = json!({ "refresh_token": tokens.refresh });
    let reply = send_as(&server.base, Method::POST, "/api/auth/logout", None, Some(&body)).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}: {}", database.backend, reply.text);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    let refreshed = refresh(&server.base, &tokens.refresh).await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}: nothing was revoked: {}", database.backend, refreshed.text);

    server.stop().await;
}

async fn revocation_survives_restart(database: &TestDatabase) {
    let first = database.start().await;
    let tokens = ranger_session(&first.base).await;
    let reply = logout(&first.base, &tokens.access, None).await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}: {}", database.backend, reply.text);
    first.stop().await;

    let second = database.start().await;
    let me = get_as(&second.base, "/api/auth/me", &tokens.access).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "{}: revoked before the restart: {}", database.backend, me.text);
    let refreshed = refresh(&second.base, &tokens.refresh).await;
    assert_eq!(refreshed.status, StatusCode::UNAUTHORIZED, "{}: {}", database.backend, refreshed.text);

    second.stop().await;
}

async fn refresh_tokens_stored_hashed(database: &TestDatabase) {
    let server = database.start().await;
    let tokens = ranger_session(&server.base).await;
    let signature = tokens.refresh.rsplit('.').next().expect("a JWT has a signature");

    let pool = database.pool().await;
    let rows = sqlx::query("SELECT * FROM refresh_tokens").fetch_all(&pool).await.expect("reading refresh_tokens");
    assert!(!rows.is_empty(), "{}: the login stored a refresh token", database.backend);
    for row in &rows {
        for column in row.columns() {
            let index = column.ordinal();
            let value = match row.try_get::<Option<String>, _>(index) {
                Ok(text) => text.unwrap_or_default(),
                Err(_) => row
                    .try_get::<Option<i64>, _>(index)
                    .unwrap_or_else(|error| panic!("column {} is neither text nor integer: {error}", column.name()))
                    .map(|number| number.to_string())
                    .unwrap_or_default(),
            };
            assert!(!value.contains(&tokens.refresh), "{}: column {} holds the token", database.backend, column.name());
            assert!(!value.contains(signature), "{}: column {} holds the token's signature", database.backend, column.name());
        }
    }

    let expected: String = Sha256::digest(tokens.refresh.as_bytes()).iter().map(|byte| format!("{byte:02x}")).collect();
    let matching: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM refresh_tokens WHERE token_hash = $1")
        .bind(&expected)
        .fetch_one(&pool)
        .await
        .expect("counting refresh_tokens");
    assert_eq!(matching, 1, "{}: the token is stored as its SHA-256 hex digest", database.backend);

    pool.close().await;
    server.stop().await;
}
