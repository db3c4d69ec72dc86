//! Registration, login and the caller's account over real HTTP, on SQLite
//! and, when configured, PostgreSQL.

mod common;

use common::auth::{
    get_as, login_reply, login_tokens, register, register_user, send_as, TestDatabase, Tokens,
};
use common::{client, read, Reply};
use reqwest::{Method, StatusCode};
use serde_json::json;

backend_tests!(
    register_returns_account,
    username_rules_enforced,
    cyrillic_lookalike_rejected,
    taken_username_conflicts,
    lookalike_usernames_conflict,
    email_rules_enforced,
    taken_email_conflicts,
    password_rules_enforced,
    password_length_boundaries_accepted,
    unknown_register_field_rejected,
    login_json_returns_pair,
    login_form_returns_pair,
    login_ignores_username_case,
    login_failures_look_identical,
    me_and_protected_name_user,
    missing_token_gets_401,
    rehash_raises_iterations,
);

const PASSWORD: &str = "correct horse battery";

/// Checks that `reply` has `status` and a detail that starts with `field`.
fn assert_rejects_field(reply: &Reply, status: StatusCode, field: &str, case: &str) {
    assert_eq!(reply.status, status, "{case}: {}", reply.text);
    assert!(reply.detail().starts_with(field), "{case}: detail should name {field}: {}", reply.detail());
}

async fn register_returns_account(database: &TestDatabase) {
    let server = database.start().await;

    let reply = register(&server.base, "ranger", "Ranger@Example.org", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}: {}", database.backend, reply.text);
    let account = reply.body.as_object().expect("the account is an object");
    let mut keys: Vec<&str> = account.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["created_at", "email", "id", "role", "username"], "{}", reply.text);
    assert_eq!(reply.body["username"], "ranger");
    assert_eq!(reply.body["email"], "Ranger@Example.org", "the email is stored as given");
    assert_eq!(reply.body["role"], "user");
    let id = reply.body["id"].as_str().expect("id is a string");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "id should be a UUID: {id}");
    let created_at = reply.body["created_at"].as_str().expect("created_at is a string");
    assert!(created_at.contains('T'), "created_at should be an RFC 3339 date and time: {created_at}");
    assert!(created_at.ends_with('Z'), "created_at should be in UTC: {created_at}");

    server.stop().await;
}

async fn username_rules_enforced(database: &TestDatabase) {
    let server = database.start().await;
    let too_long = "a".repeat(33);
    let cases = [
        ("ab", "two characters"),
        (too_long.as_str(), "33 characters"),
        ("", "empty"),
        ("has space", "a space"),
        ("semi;colon", "a semicolon"),
        ("quote'name", "a quote"),
        ("slash/name", "a slash"),
        ("émile", "a letter outside A-Z"),
        ("name\u{0}", "a NUL character"),
    ];

    for (username, case) in cases {
        let reply = register(&server.base, username, "rules@example.org", PASSWORD).await;
        assert_rejects_field(&reply, StatusCode::UNPROCESSABLE_ENTITY, "username", &format!("{}: {case}", database.backend));
    }
    let reply = register(&server.base, "a.b-c_9", "rules@example.org", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::CREATED, "dot, dash, underscore and digit are allowed: {}", reply.text);

    server.stop().await;
}

async fn cyrillic_lookalike_rejected(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;

    // U+0430 CYRILLIC SMALL LETTER A looks like the Latin "a" but NFKC keeps it.
    let reply = register(&server.base, "r\u{0430}nger", "cyrillic@example.org", PASSWORD).await;
    assert_rejects_field(&reply, StatusCode::UNPROCESSABLE_ENTITY, "username", database.backend);

    server.stop().await;
}

async fn taken_username_conflicts(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;

    let reply = register(&server.base, "ranger", "other@example.org", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{}: {}", database.backend, reply.text);
    assert_eq!(reply.detail(), "username is already taken");

    server.stop().await;
}

async fn lookalike_usernames_conflict(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;

    // "ＲＡＮＧＥＲ" and "ｒａｎｇｅｒ" are fullwidth forms that NFKC maps to ASCII.
    let cases = [("Ranger", "capitalised"), ("RANGER", "upper case"), ("ｒａｎｇｅｒ", "fullwidth"), ("ＲＡＮＧＥＲ", "fullwidth upper case")];
    for (n, (username, case)) in cases.into_iter().enumerate() {
        let reply = register(&server.base, username, &format!("lookalike{n}@example.org"), PASSWORD).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}: {case}: {}", database.backend, reply.text);
        assert_eq!(reply.detail(), "username is already taken", "{case}");
    }

    server.stop().await;
}

async fn email_rules_enforced(database: &TestDatabase) {
    let server = database.start().await;
    let long_local = format!("{}@example.org", "a".repeat(65));
    let cases = [
        ("", "empty"),
        ("plainaddress", "no @"),
        ("ann@", "no domain"),
        ("@example.org", "no local part"),
        ("ann@example", "a domain without a dot"),
        ("ann@@example.org", "two @"),
        ("a b@example.org", "a space"),
        ("ann@exa_mple.org", "an underscore in the domain"),
        ("ann@-example.org", "a label starting with a dash"),
        (".ann@example.org", "a leading dot"),
        ("an..n@example.org", "two dots in a row"),
        ("\"ann\"@example.org", "quotes"),
        (long_local.as_str(), "a local part over 64 characters"),
    ];

    for (n, (email, case)) in cases.into_iter().enumerate() {
        let reply = register(&server.base, &format!("emailcase{n}"), email, PASSWORD).await;
        assert_rejects_field(&reply, StatusCode::UNPROCESSABLE_ENTITY, "email", &format!("{}: {case}", database.backend));
    }

    server.stop().await;
}

async fn taken_email_conflicts(database: &TestDatabase) {
    let server = database.start().await;
    let created = register(&server.base, "first", "shared@example.org", PASSWORD).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);

    for (username, email) in [("second", "shared@example.org"), ("third", "SHARED@Example.ORG")] {
        let reply = register(&server.base, username, email, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::CONFLICT, "{}: {email}: {}", database.backend, reply.text);
        assert_eq!(reply.detail(), "email is already registered", "{email}");
    }

    server.stop().await;
}

async fn password_rules_enforced(database: &TestDatabase) {
    let server = database.start().await;
    let too_long = "p".repeat(1025);
    let cases = [
        ("longname1", "seven77", "7 characters"),
        ("longname2", too_long.as_str(), "1025 characters"),
        ("longname3", "longname3", "the username"),
        ("longname4", "LongName4", "the username in another case"),
    ];

    for (username, password, case) in cases {
        let reply = register(&server.base, username, &format!("{username}@example.org"), password).await;
        assert_rejects_field(&reply, StatusCode::UNPROCESSABLE_ENTITY, "password", &format!("{}: {case}", database.backend));
    }

    server.stop().await;
}

async fn password_length_boundaries_accepted(database: &TestDatabase) {
    let server = database.start().await;

    let shortest = "eight888";
    register_user(&server.base, "shortest", shortest).await;
    let longest = "p".repeat(1024);
    register_user(&server.base, "longest", &longest).await;

    let reply = login_reply(&server.base, "shortest", shortest).await;
    assert_eq!(reply.status, StatusCode::OK, "{}: 8 characters: {}", database.backend, reply.text);
    let reply = login_reply(&server.base, "longest", &longest).await;
    assert_eq!(reply.status, StatusCode::OK, "{}: 1024 characters: {}", database.backend, reply.text);

    server.stop().await;
}

async fn unknown_register_field_rejected(database: &TestDatabase) {
    let server = database.start().await;

    let body = json!({ "username": "ranger", "email": "ranger@example.org", "password": PASSWORD, "role": "admin" });
    let reply = send_as(&server.base, Method::POST, "/api/auth/register", None, Some(&body)).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}: {}", database.backend, reply.text);
    assert!(reply.detail().contains("role"), "detail should name the unknown field: {}", reply.detail());
    let login = login_reply(&server.base, "ranger", PASSWORD).await;
    assert_eq!(login.status, StatusCode::UNAUTHORIZED, "no account was created: {}", login.text);

    server.stop().await;
}

/// Checks the OAuth2 password-flow shape of a token reply.
fn assert_token_pair(reply: &Reply, backend: &str) {
    assert_eq!(reply.status, StatusCode::OK, "{backend}: {}", reply.text);
    let pair = reply.body.as_object().expect("the token pair is an object");
    let mut keys: Vec<&str> = pair.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["access_token", "expires_in", "refresh_token", "token_type"], "{}", reply.text);
    assert_eq!(reply.body["token_type"], "bearer");
    assert_eq!(reply.body["expires_in"], 1800);
    let access = reply.body["access_token"].as_str().expect("access_token is a string");
    let refresh = reply.body["refresh_token"].as_str().expect("refresh_token is a string");
    assert_eq!(access.split('.').count(), 3, "access_token is a JWT: {access}");
    assert_eq!(refresh.split('.').count(), 3, "refresh_token is a JWT: {refresh}");
    assert_ne!(access, refresh);
}

async fn login_json_returns_pair(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;

    let reply = login_reply(&server.base, "ranger", PASSWORD).await;
    assert_token_pair(&reply, database.backend);
    let tokens = Tokens::from_reply(&reply);
    let me = get_as(&server.base, "/api/auth/me", &tokens.access).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["username"], "ranger");

    server.stop().await;
}

async fn login_form_returns_pair(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;

    let form = format!("grant_type=password&username=ranger&password={}&scope=", PASSWORD.replace(' ', "+"));
    let response = client()
        .post(server.url("/api/auth/login"))
        .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .expect("login request completes");
    let reply = read(response).await;
    assert_token_pair(&reply, database.backend);
    let tokens = Tokens::from_reply(&reply);
    let me = get_as(&server.base, "/api/auth/me", &tokens.access).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.body["username"], "ranger");

    server.stop().await;
}

async fn login_ignores_username_case(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "Ranger", PASSWORD).await;

    for username in ["Ranger", "ranger", "RANGER", "ｒａｎｇｅｒ"] {
        let reply = login_reply(&server.base, username, PASSWORD).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {username}: {}", database.backend, reply.text);
    }
    let tokens = login_tokens(&server.base, "ranger", PASSWORD).await;
    let me = get_as(&server.base, "/api/auth/me", &tokens.access).await;
    assert_eq!(me.body["username"], "Ranger", "the account keeps the spelling it was registered with");

    server.stop().await;
}

async fn login_failures_look_identical(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", PASSWORD).await;

    let wrong_password = login_reply(&server.base, "ranger", "not the password").await;
    let unknown_user = login_reply(&server.base, "nobody", PASSWORD).await;
    assert_eq!(wrong_password.status, StatusCode::UNAUTHORIZED, "{}: {}", database.backend, wrong_password.text);
    assert_eq!(unknown_user.status, StatusCode::UNAUTHORIZED, "{}: {}", database.backend, unknown_user.text);
    assert_eq!(wrong_password.detail(), unknown_user.detail());
    assert_eq!(wrong_password.detail(), "incorrect username or password");
    assert_eq!(wrong_password.header("www-authenticate"), Some("Bearer"));
    assert_eq!(unknown_user.header("www-authenticate"), Some("Bearer"));

    server.stop().await;
}

async fn me_and_protected_name_user(database: &TestDatabase) {
    let server = database.start().await;
    let account = register_user(&server.base, "ranger", PASSWORD).await;
    let tokens = login_tokens(&server.base, "ranger", PASSWORD).await;

    let me = get_as(&server.base, "/api/auth/me", &tokens.access).await;
    assert_eq!(me.status, StatusCode::OK, "{}: {}", database.backend, me.text);
    assert_eq!(me.body, account, "GET /api/auth/me returns the registered account");

    let protected = get_as(&server.base, "/api/protected", &tokens.access).await;
    assert_eq!(protected.status, StatusCode::OK, "{}: {}", database.backend, protected.text);
    let message = protected.body["message"].as_str().expect("message is a string");
    assert!(message.contains("ranger"), "the message should name the user: {message}");
    assert_eq!(protected.body["user_id"], account["id"]);
    assert_eq!(protected.body["role"], "user");

    server.stop().await;
}

async fn missing_token_gets_401(database: &TestDatabase) {
    let server = database.start().await;
    let authorizations = [None, Some("Basic cmFuZ2VyOnB3"), Some("Bearer"), Some("Bearer "), Some("Bearer not-a-jwt")];

    for path in ["/api/auth/me", "/api/protected"] {
        for authorization in authorizations {
            let mut request = client().get(server.url(path));
            if let Some(value) = authorization {
                request = request.header(reqwest::header::AUTHORIZATION, value);
            }
            let reply = read(request.send().await.expect("request completes")).await;
            let case = format!("{}: GET {path} with Authorization {authorization:?}", database.backend);
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{case}: {}", reply.text);
            assert_eq!(reply.header("www-authenticate"), Some("Bearer"), "{case}");
        }
    }

    server.stop().await;
}

async fn rehash_raises_iterations(database: &TestDatabase) {
    let first = database.start().await;
    register_user(&first.base, "ranger", PASSWORD).await;
    first.stop().await;

    let pool = database.pool().await;
    let read_hash = async || {
        let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username_key = $1")
            .bind("ranger")
            .fetch_one(&pool)
            .await
            .expect("reading the stored hash");
        hash
    };
    let before = read_hash().await;
    assert!(before.starts_with("$pbkdf2-sha256$i=1000,"), "{}: {before}", database.backend);

    let mut config = database.config();
    config.auth.iterations = 2000;
    let second = common::start(config).await;
    let reply = login_reply(&second.base, "ranger", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{}: {}", database.backend, reply.text);

    let after = read_hash().await;
    assert!(after.contains("i=2000"), "{}: the hash should use 2000 iterations: {after}", database.backend);
    assert_ne!(after, before);
    let again = login_reply(&second.base, "ranger", PASSWORD).await;
    assert_eq!(again.status, StatusCode::OK, "login with the upgraded hash: {}", again.text);

    pool.close().await;
    second.stop().await;
}
