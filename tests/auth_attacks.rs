//! Attacks on accounts and tokens over real HTTP: forged and tampered JWTs,
//! token-type confusion, SQL metacharacters, registration races, password
//! guessing, and logins that must not stall the server.

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::auth::{
    access_claims, base64url, decode_part, get_as, login_reply, login_tokens, refresh, register, register_user,
    send_as, sign, token_parts, unix_now, TestDatabase,
};
use common::{read, Reply, ADMIN_PASSWORD, ADMIN_USERNAME};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use reqwest::{Client, Method, StatusCode};
use serde_json::json;
use tokio::task::JoinSet;

backend_tests!(
    hand_signed_control_accepted,
    alg_none_rejected,
    algorithm_swap_rejected,
    tampered_payload_rejected,
    tampered_header_rejected,
    tampered_signature_rejected,
    foreign_key_rejected,
    wrong_issuer_rejected,
    expired_token_rejected,
    refresh_token_not_access,
    access_token_not_refresh,
    malformed_refresh_rejected,
    concurrent_registration_one_wins,
    sql_metacharacters_stored_verbatim,
    sql_in_login_username_fails,
    failed_logins_back_off,
    hashing_leaves_health_responsive,
);

const PASSWORD: &str = "correct horse battery";

/// Registers `ranger`, logs in, and returns the account id and access token.
async fn ranger(base: &str) -> (String, String) {
    let account = register_user(base, "ranger", PASSWORD).await;
    let tokens = login_tokens(base, "ranger", PASSWORD).await;
    (account["id"].as_str().expect("id is a string").to_owned(), tokens.access)
}

/// Checks that `token` gets 401 with `WWW-Authenticate: Bearer` on
/// `/api/auth/me`, on an `/api/ecs` route and on an admin-only control.
async fn assert_token_rejected(base: &str, token: &str, case: &str) {
    let me = get_as(base, "/api/auth/me", token).await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED, "{case}: /api/auth/me: {}", me.text);
    assert_eq!(me.header("www-authenticate"), Some("Bearer"), "{case}");

    let status = get_as(base, "/api/ecs/status", token).await;
    assert_eq!(status.status, StatusCode::UNAUTHORIZED, "{case}: /api/ecs/status: {}", status.text);

    let body = json!({ "paused": true });
    let clock = send_as(base, Method::PUT, "/api/ecs/time", Some(token), Some(&body)).await;
    assert_eq!(clock.status, StatusCode::UNAUTHORIZED, "{case}: PUT /api/ecs/time: {}", clock.text);
}

async fn hand_signed_control_accepted(database: &TestDatabase) {
    let server = database.start().await;
    let (user_id, _) = ranger(&server.base).await;

    // The attacks below change one property of this token; unchanged, it works.
    let token = sign(&access_claims(&user_id, "ranger", "user"), Algorithm::HS256);
    let me = get_as(&server.base, "/api/auth/me", &token).await;
    assert_eq!(me.status, StatusCode::OK, "{}: {}", database.backend, me.text);
    assert_eq!(me.body["username"], "ranger");

    server.stop().await;
}

async fn alg_none_rejected(database: &TestDatabase) {
    let server = database.start().await;
    let (user_id, _) = ranger(&server.base).await;
    let payload = base64url(access_claims(&user_id, "ranger", "admin").to_string().as_bytes());

    for alg in ["none", "None", "NONE", "nOnE"] {
        let header = base64url(json!({ "alg": alg, "typ": "JWT" }).to_string().as_bytes());
        let unsigned = format!("{header}.{payload}.");
        assert_token_rejected(&server.base, &unsigned, &format!("{}: alg {alg}", database.backend)).await;
    }

    server.stop().await;
}

async fn algorithm_swap_rejected(database: &TestDatabase) {
    let server = database.start().await;
    let (user_id, _) = ranger(&server.base).await;

    for algorithm in [Algorithm::HS384, Algorithm::HS512] {
        let token = sign(&access_claims(&user_id, "ranger", "user"), algorithm);
        assert_token_rejected(&server.base, &token, &format!("{}: {algorithm:?} with the server's key", database.backend)).await;
    }

    server.stop().await;
}

async fn tampered_payload_rejected(database: &TestDatabase) {
    let server = database.start().await;
    let (_, access) = ranger(&server.base).await;
    let (header, payload, signature) = token_parts(&access);

    let mut claims = decode_part(&payload);
    assert_eq!(claims["role"], "user");
    claims["role"] = json!("admin");
    let elevated = format!("{header}.{}.{signature}", base64url(claims.to_string().as_bytes()));
    assert_token_rejected(&server.base, &elevated, &format!("{}: role changed to admin", database.backend)).await;

    let mut claims = decode_part(&payload);
    claims["exp"] = json!(unix_now() + 365 * 24 * 3600);
    let extended = format!("{header}.{}.{signature}", base64url(claims.to_string().as_bytes()));
    assert_token_rejected(&server.base, &extended, &format!("{}: exp extended", database.backend)).await;

    server.stop().await;
}

async fn tampered_header_rejected(database: &TestDatabase) {
    let server = database.start().await;
    let (_, access) = ranger(&server.base).await;
    let (header, payload, signature) = token_parts(&access);

    let mut fields = decode_part(&header);
    assert_eq!(fields["alg"], "HS256");
    fields["kid"] = json!("other-key");
    let with_kid = format!("{}.{payload}.{signature}", base64url(fields.to_string().as_bytes()));
    assert_token_rejected(&server.base, &with_kid, &format!("{}: kid added", database.backend)).await;

    let mut fields = decode_part(&header);
    fields["alg"] = json!("HS512");
    let relabelled = format!("{}.{payload}.{signature}", base64url(fields.to_string().as_bytes()));
    assert_token_rejected(&server.base, &relabelled, &format!("{}: alg relabelled", database.backend)).await;

    server.stop().await;
}

async fn tampered_signature_rejected(database: &TestDatabase) {
    let server = database.start().await;
    let (_, access) = ranger(&server.base).await;
    let (header, payload, signature) = token_parts(&access);

    let first = signature.chars().next().expect("the signature is not empty");
    let flipped = if first == 'A' { 'B' } else { 'A' };
    let changed = format!("{header}.{payload}.{flipped}{}", &signature[1..]);
    assert_token_rejected(&server.base, &changed, &format!("{}: first signature character changed", database.backend)).await;

    let truncated = format!("{header}.{payload}.{}", &signature[..signature.len() - 4]);
    assert_token_rejected(&server.base, &truncated, &format!("{}: signature truncated", database.backend)).await;

    let stripped = format!("{header}.{payload}.");
    assert_token_rejected(&server.base, &stripped, &format!("{}: signature removed", database.backend)).await;

    server.stop().await;
}

async fn foreign_key_rejected(database: &TestDatabase) {
    let server = database.start().await;
    let (user_id, _) = ranger(&server.base).await;

    let key = EncodingKey::from_secret(b"another-secret-key-of-enough-length-0123").expect("the key is not empty");
    let claims = access_claims(&user_id, "ranger", "admin");
    let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &key).expect("signing");
    assert_token_rejected(&server.base, &token, &format!("{}: signed with another key", database.backend)).await;

    server.stop().await;
}

async fn wrong_issuer_rejected(database: &TestDatabase) {
    let server = database.start().await;
    let (user_id, _) = ranger(&server.base).await;

    let mut claims = access_claims(&user_id, "ranger", "user");
    claims["iss"] = json!("evil");
    let token = sign(&claims, Algorithm::HS256);
    assert_token_rejected(&server.base, &token, &format!("{}: iss evil", database.backend)).await;

    let mut claims = access_claims(&user_id, "ranger", "user");
    claims.as_object_mut().expect("claims are an object").remove("iss");
    let token = sign(&claims, Algorithm::HS256);
    assert_token_rejected(&server.base, &token, &format!("{}: no iss", database.backend)).await;

    server.stop().await;
}

async fn expired_token_rejected(database: &TestDatabase) {
    let server = database.start().await;
    let (user_id, _) = ranger(&server.base).await;
    let now = unix_now();

    // One minute past expiry is well beyond the server's 10-second leeway.
    let mut claims = access_claims(&user_id, "ranger", "user");
    claims["iat"] = json!(now - 1860);
    claims["exp"] = json!(now - 60);
    let token = sign(&claims, Algorithm::HS256);
    assert_token_rejected(&server.base, &token, &format!("{}: expired a minute ago", database.backend)).await;

    let mut claims = access_claims(&user_id, "ranger", "user");
    claims.as_object_mut().expect("claims are an object").remove("exp");
    let token = sign(&claims, Algorithm::HS256);
    assert_token_rejected(&server.base, &token, &format!("{}: no exp", database.backend)).await;

    server.stop().await;
}

async fn refresh_token_not_access(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;
    let tokens = login_tokens(&server.base, "ranger", PASSWORD).await;

    assert_token_rejected(&server.base, &tokens.refresh, &format!("{}: refresh token as bearer", database.backend)).await;
    let refreshed = refresh(&server.base, &tokens.refresh).await;
    assert_eq!(refreshed.status, StatusCode::OK, "the refresh token still works for refresh: {}", refreshed.text);

    server.stop().await;
}

async fn access_token_not_refresh(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;
    let tokens = login_tokens(&server.base, "ranger", PASSWORD).await;

    let reply = refresh(&server.base, &tokens.access).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}: {}", database.backend, reply.text);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    let refreshed = refresh(&server.base, &tokens.refresh).await;
    assert_eq!(refreshed.status, StatusCode::OK, "the session is not revoked: {}", refreshed.text);

    server.stop().await;
}

async fn malformed_refresh_rejected(database: &TestDatabase) {
    let server = database.start().await;
    let (user_id, _) = ranger(&server.base).await;

    let mut claims = access_claims(&user_id, "ranger", "user");
    claims["typ"] = json!("refresh");
    let never_issued = sign(&claims, Algorithm::HS256);
    let header = base64url(br#"{"alg":"none","typ":"JWT"}"#);
    let unsigned = format!("{header}.{}.", base64url(claims.to_string().as_bytes()));
    for (token, case) in [("", "empty"), ("not-a-jwt", "not a JWT"), (never_issued.as_str(), "validly signed but never issued"), (unsigned.as_str(), "alg none")] {
        let reply = refresh(&server.base, token).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}: {case}: {}", database.backend, reply.text);
    }

    let missing = send_as(&server.base, Method::POST, "/api/auth/refresh", None, Some(&json!({}))).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: no refresh_token: {}", database.backend, missing.text);

    server.stop().await;
}

async fn concurrent_registration_one_wins(database: &TestDatabase) {
    let server = database.start().await;

    // One round registers one spelling eight times; the other mixes spellings
    // that normalise to the same key.
    let rounds: [Vec<&str>; 2] = [vec!["ranger"; 8], vec!["scout", "Scout", "SCOUT", "ｓｃｏｕｔ", "scouT", "ＳＣＯＵＴ"]];
    for (round, usernames) in rounds.iter().enumerate() {
        let mut tasks = JoinSet::new();
        for (n, username) in usernames.iter().enumerate() {
            let base = server.base.clone();
            let username = (*username).to_owned();
            let email = format!("race{round}-{n}@example.org");
            tasks.spawn(async move { register(&base, &username, &email, PASSWORD).await });
        }
        let mut replies: Vec<Reply> = Vec::new();
        while let Some(reply) = tasks.join_next().await {
            replies.push(reply.expect("registration task does not panic"));
        }

        let statuses: Vec<StatusCode> = replies.iter().map(|reply| reply.status).collect();
        let created = statuses.iter().filter(|status| **status == StatusCode::CREATED).count();
        assert_eq!(created, 1, "{}: {usernames:?}: {statuses:?}", database.backend);
        for reply in replies.iter().filter(|reply| reply.status != StatusCode::CREATED) {
            assert_eq!(reply.status, StatusCode::CONFLICT, "{}: {}", database.backend, reply.text);
            assert_eq!(reply.detail(), "username is already taken");
        }
    }

    server.stop().await;
}

async fn sql_metacharacters_stored_verbatim(database: &TestDatabase) {
    let server = database.start().await;
    let email = "o'brien+x@example.org";
    let password = "'; DROP TABLE users; --";
    let agent_name = "Robert'); DROP TABLE agents;--";

    let reply = register(&server.base, "obrien", email, password).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}: {}", database.backend, reply.text);
    assert_eq!(reply.body["email"], email);

    let tokens = login_tokens(&server.base, "obrien", password).await;
    let me = get_as(&server.base, "/api/auth/me", &tokens.access).await;
    assert_eq!(me.status, StatusCode::OK, "{}: {}", database.backend, me.text);
    assert_eq!(me.body["email"], email);

    let duplicate = register(&server.base, "obrien2", "O'Brien+X@Example.org", password).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT, "{}: the quoted email matches itself: {}", database.backend, duplicate.text);

    let body = json!({ "agent_id": "bobby-tables", "name": agent_name, "age": 3 });
    let created = send_as(&server.base, Method::POST, "/api/ecs/agents", Some(&tokens.access), Some(&body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}: {}", database.backend, created.text);
    assert_eq!(created.body["name"], agent_name);
    let fetched = get_as(&server.base, "/api/ecs/agents/bobby-tables", &tokens.access).await;
    assert_eq!(fetched.body["name"], agent_name, "{}", fetched.text);

    let pool = database.pool().await;
    let stored: String = sqlx::query_scalar("SELECT email FROM users WHERE username_key = $1")
        .bind("obrien")
        .fetch_one(&pool)
        .await
        .expect("reading the stored email");
    assert_eq!(stored, email);
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&pool).await.expect("counting users");
    assert_eq!(accounts, 2, "{}: the admin and obrien", database.backend);
    pool.close().await;

    register_user(&server.base, "afterwards", PASSWORD).await;
    let again = login_reply(&server.base, "obrien", password).await;
    assert_eq!(again.status, StatusCode::OK, "{}: the users table still works: {}", database.backend, again.text);

    server.stop().await;
}

async fn sql_in_login_username_fails(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;

    let attempts = [
        "ranger' --",
        "ranger' OR '1'='1",
        "' OR 1=1 --",
        "ranger\"; --",
        "warden'/*",
    ];
    for username in attempts {
        for password in [PASSWORD, "' OR '1'='1", ADMIN_PASSWORD] {
            let reply = login_reply(&server.base, username, password).await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}: {username} / {password}: {}", database.backend, reply.text);
            assert_eq!(reply.detail(), "incorrect username or password");
        }
    }
    let admin = login_reply(&server.base, ADMIN_USERNAME, ADMIN_PASSWORD).await;
    assert_eq!(admin.status, StatusCode::OK, "{}: {}", database.backend, admin.text);

    server.stop().await;
}

/// Sends seven wrong-password logins for `username` and returns the replies.
async fn seven_failures(base: &str, username: &str) -> Vec<Reply> {
    let mut replies = Vec::new();
    for _ in 0..7 {
        replies.push(login_reply(base, username, "not the password").await);
    }
    replies
}

async fn failed_logins_back_off(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;

    // The lock after the sixth failure lasts one second, so the checks that
    // need it follow the failures at once.
    let existing = seven_failures(&server.base, "ranger").await;
    let correct_while_locked = login_reply(&server.base, "ranger", PASSWORD).await;
    let other_user = login_reply(&server.base, ADMIN_USERNAME, ADMIN_PASSWORD).await;
    let unknown = seven_failures(&server.base, "nobody").await;

    for (label, replies) in [("ranger", &existing), ("nobody", &unknown)] {
        for (n, reply) in replies[..6].iter().enumerate() {
            let attempt = n + 1;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}: {label} attempt {attempt}: {}", database.backend, reply.text);
        }
        let locked = &replies[6];
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS, "{}: {label} attempt 7: {}", database.backend, locked.text);
        let retry_after: u64 = locked.header("retry-after").expect("Retry-After is set").parse().expect("Retry-After is whole seconds");
        assert!((1..=2).contains(&retry_after), "{label}: Retry-After {retry_after}");
    }
    let details = |replies: &[Reply]| replies.iter().map(|reply| (reply.status, reply.detail().to_owned())).collect::<Vec<_>>();
    assert_eq!(details(&existing), details(&unknown), "an unknown name is throttled exactly like a real one");
    assert_eq!(existing[6].detail(), "too many failed logins for this username; retry later");
    assert_eq!(correct_while_locked.status, StatusCode::TOO_MANY_REQUESTS, "the right password waits too: {}", correct_while_locked.text);
    assert_eq!(other_user.status, StatusCode::OK, "other names are not locked: {}", other_user.text);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let recovered = login_reply(&server.base, "ranger", PASSWORD).await;
    assert_eq!(recovered.status, StatusCode::OK, "{}: after the backoff: {}", database.backend, recovered.text);

    server.stop().await;
}

async fn hashing_leaves_health_responsive(database: &TestDatabase) {
    let mut config = database.config();
    config.auth.iterations = 200_000;
    let server = common::start(config).await;
    register_user(&server.base, "ranger", PASSWORD).await;

    // The default client gives up after 20 seconds; 50 queued hashes can take longer.
    let patient = Client::builder().no_proxy().timeout(Duration::from_secs(180)).build().expect("building the HTTP client");
    let finished = Arc::new(AtomicUsize::new(0));
    let mut logins = JoinSet::new();
    for _ in 0..50 {
        let request = patient.post(server.url("/api/auth/login")).json(&json!({ "username": "ranger", "password": PASSWORD }));
        let finished = Arc::clone(&finished);
        logins.spawn(async move {
            let reply = read(request.send().await.expect("login completes")).await;
            finished.fetch_add(1, Ordering::SeqCst);
            reply.status
        });
    }

    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut checks = 0;
    while checks < 5 && finished.load(Ordering::SeqCst) < 50 {
        let started = Instant::now();
        let health = server.get("/api/health").await;
        let elapsed = started.elapsed();
        assert_eq!(health.status, StatusCode::OK, "{}: {}", database.backend, health.text);
        assert!(elapsed < Duration::from_secs(2), "{}: /api/health took {elapsed:?} during the logins", database.backend);
        checks += 1;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert!(checks > 0, "{}: the logins finished before the first health check", database.backend);

    let mut statuses: Vec<StatusCode> = Vec::new();
    while let Some(status) = logins.join_next().await {
        statuses.push(status.expect("login task does not panic"));
    }
    let succeeded = statuses.iter().filter(|status| **status == StatusCode::OK).count();
    assert_eq!(succeeded, 50, "{}: {statuses:?}", database.backend);

    server.stop().await;
}
