//! What every client sees around the routes: security headers, caching of
//! `/api/auth` responses, HSTS, CORS, the trusted-host check, the body limit,
//! bearer tokens on every `/api/ecs` route, and the per-address rate limit.

mod common;

use std::time::Duration;

use common::auth::{register_user, send_as, start_without_login, stop_server, TestDatabase};
use common::{client, read, Reply, ADMIN_PASSWORD, ADMIN_USERNAME};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde_json::json;

backend_tests!(
    security_headers_on_success,
    security_headers_on_errors,
    auth_responses_not_cached,
    hsts_off_by_default,
    hsts_sent_when_enabled,
    cors_allows_listed_origin,
    cors_ignores_unlisted_origin,
    untrusted_host_rejected,
    oversized_auth_bodies_rejected,
    ecs_routes_require_token,
    auth_rate_limit_throttles,
    trusted_proxy_separates_clients,
);

const LISTED_ORIGIN: &str = "http://localhost:3000";

async fn send(request: RequestBuilder) -> Reply {
    read(request.send().await.expect("request completes")).await
}

fn assert_security_headers(reply: &Reply, case: &str) {
    assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{case}");
    assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{case}");
    assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{case}");
    let policy = reply.header("content-security-policy").unwrap_or_else(|| panic!("{case}: no Content-Security-Policy"));
    assert!(policy.contains("default-src 'none'"), "{case}: {policy}");
}

async fn security_headers_on_success(database: &TestDatabase) {
    let server = database.start().await;

    let health = server.get("/api/health").await;
    assert_eq!(health.status, StatusCode::OK, "{}", health.text);
    assert_security_headers(&health, &format!("{}: GET /api/health", database.backend));
    let status = server.get("/api/ecs/status").await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.text);
    assert_security_headers(&status, &format!("{}: GET /api/ecs/status", database.backend));

    server.stop().await;
}

async fn security_headers_on_errors(database: &TestDatabase) {
    let server = database.start().await;

    let cases = [
        (client().get(server.url("/api/no-such-route")), StatusCode::NOT_FOUND, "unknown route"),
        (client().get(server.url("/api/auth/me")), StatusCode::UNAUTHORIZED, "missing token"),
        (client().delete(server.url("/api/health")), StatusCode::METHOD_NOT_ALLOWED, "wrong method"),
        (client().get(server.url("/api/health")).header("host", "evil.example"), StatusCode::BAD_REQUEST, "untrusted host"),
    ];
    for (request, expected, case) in cases {
        let reply = send(request).await;
        assert_eq!(reply.status, expected, "{}: {case}: {}", database.backend, reply.text);
        assert_security_headers(&reply, &format!("{}: {case}", database.backend));
    }

    server.stop().await;
}

async fn auth_responses_not_cached(database: &TestDatabase) {
    let server = database.start().await;
    register_user(&server.base, "ranger", "correct horse battery").await;

    let login_body = json!({ "username": "ranger", "password": "correct horse battery" });
    let bad_register = json!({ "username": "x" });
    let cases = [
        (Method::POST, "/api/auth/login", Some(&login_body), StatusCode::OK),
        (Method::POST, "/api/auth/register", Some(&bad_register), StatusCode::UNPROCESSABLE_ENTITY),
        (Method::GET, "/api/auth/me", None, StatusCode::UNAUTHORIZED),
    ];
    for (method, path, body, expected) in cases {
        let reply = send_as(&server.base, method.clone(), path, None, body).await;
        let case = format!("{}: {method} {path}", database.backend);
        assert_eq!(reply.status, expected, "{case}: {}", reply.text);
        assert_eq!(reply.header("cache-control"), Some("no-store"), "{case}");
    }
    let me = server.get("/api/auth/me").await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text);
    assert_eq!(me.header("cache-control"), Some("no-store"), "{}: GET /api/auth/me with a token", database.backend);

    server.stop().await;
}

async fn hsts_off_by_default(database: &TestDatabase) {
    let server = database.start().await;

    for path in ["/api/health", "/api/auth/me"] {
        let reply = send(client().get(server.url(path))).await;
        assert_eq!(reply.header("strict-transport-security"), None, "{}: GET {path}", database.backend);
    }

    server.stop().await;
}

async fn hsts_sent_when_enabled(database: &TestDatabase) {
    let mut config = database.config();
    config.http.hsts = true;
    let server = common::start(config).await;

    for path in ["/api/health", "/api/auth/me", "/api/no-such-route"] {
        let reply = send(client().get(server.url(path))).await;
        let hsts = reply.header("strict-transport-security").unwrap_or_else(|| panic!("{}: GET {path}: no HSTS", database.backend));
        assert!(hsts.starts_with("max-age="), "{}: GET {path}: {hsts}", database.backend);
    }

    server.stop().await;
}

async fn cors_allows_listed_origin(database: &TestDatabase) {
    let server = database.start().await;

    let preflight = send(
        client()
            .request(Method::OPTIONS, server.url("/api/auth/login"))
            .header("origin", LISTED_ORIGIN)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type, authorization"),
    )
    .await;
    assert!(preflight.status.is_success(), "{}: preflight: {} {}", database.backend, preflight.status, preflight.text);
    assert_eq!(preflight.header("access-control-allow-origin"), Some(LISTED_ORIGIN), "{}: preflight", database.backend);
    assert_eq!(preflight.header("access-control-allow-credentials"), Some("true"), "{}: preflight", database.backend);
    let methods = preflight.header("access-control-allow-methods").unwrap_or_default().to_ascii_uppercase();
    assert!(methods.contains("POST"), "{}: allowed methods: {methods}", database.backend);
    let headers = preflight.header("access-control-allow-headers").unwrap_or_default().to_ascii_lowercase();
    assert!(headers.contains("authorization"), "{}: allowed headers: {headers}", database.backend);

    let get = send(client().get(server.url("/api/health")).header("origin", LISTED_ORIGIN)).await;
    assert_eq!(get.status, StatusCode::OK, "{}", get.text);
    assert_eq!(get.header("access-control-allow-origin"), Some(LISTED_ORIGIN), "{}: GET", database.backend);
    assert_eq!(get.header("access-control-allow-credentials"), Some("true"), "{}: GET", database.backend);

    server.stop().await;
}

async fn cors_ignores_unlisted_origin(database: &TestDatabase) {
    let server = database.start().await;

    for origin in ["http://evil.example", "http://localhost:3001", "https://localhost:3000", "null"] {
        let preflight = send(
            client()
                .request(Method::OPTIONS, server.url("/api/auth/login"))
                .header("origin", origin)
                .header("access-control-request-method", "POST"),
        )
        .await;
        assert_eq!(preflight.header("access-control-allow-origin"), None, "{}: preflight from {origin}", database.backend);

        let get = send(client().get(server.url("/api/health")).header("origin", origin)).await;
        assert_eq!(get.header("access-control-allow-origin"), None, "{}: GET from {origin}", database.backend);
    }

    server.stop().await;
}

async fn untrusted_host_rejected(database: &TestDatabase) {
    let server = database.start().await;

    for host in ["evil.example", "evil.example:80", "127.0.0.1.evil.example"] {
        let reply = send(client().get(server.url("/api/health")).header("host", host)).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}: Host {host}: {}", database.backend, reply.text);
        assert!(reply.detail().contains("is not in TRUSTED_HOSTS"), "{}: Host {host}: {}", database.backend, reply.detail());
    }
    let login = send(
        client()
            .post(server.url("/api/auth/login"))
            .header("host", "evil.example")
            .json(&json!({ "username": ADMIN_USERNAME, "password": ADMIN_PASSWORD })),
    )
    .await;
    assert_eq!(login.status, StatusCode::BAD_REQUEST, "{}: login through an untrusted host: {}", database.backend, login.text);
    assert!(login.body.get("access_token").is_none(), "{}", login.text);

    let trusted = send(client().get(server.url("/api/health")).header("host", "localhost:8000")).await;
    assert_eq!(trusted.status, StatusCode::OK, "{}: Host localhost: {}", database.backend, trusted.text);

    server.stop().await;
}

async fn oversized_auth_bodies_rejected(database: &TestDatabase) {
    let server = database.start().await;
    let oversized = "x".repeat(70 * 1024);

    let register = json!({ "username": "ranger", "email": "ranger@example.org", "password": oversized });
    let login = json!({ "username": "ranger", "password": oversized });
    let logout = json!({ "refresh_token": oversized });
    let cases = [
        ("/api/auth/register", register, false),
        ("/api/auth/login", login, false),
        ("/api/auth/refresh", json!({ "refresh_token": oversized }), false),
        ("/api/auth/logout", logout, true),
    ];
    for (path, body, with_token) in cases {
        let token = with_token.then_some(server.admin_token.as_str());
        let reply = send_as(&server.base, Method::POST, path, token, Some(&body)).await;
        let case = format!("{}: POST {path} with a 70 KiB body", database.backend);
        assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE, "{case}: {}", reply.text);
        assert!(reply.detail().contains("65536 bytes"), "{case}: {}", reply.detail());
    }

    server.stop().await;
}

/// Returns every route under `/api/ecs` with each of its methods and a body it accepts.
fn ecs_routes() -> Vec<(Method, &'static str, Option<serde_json::Value>)> {
    vec![
        (Method::GET, "/api/ecs/agents", None),
        (Method::POST, "/api/ecs/agents", Some(json!({ "agent_id": "fox-1" }))),
        (Method::GET, "/api/ecs/agents/fox-1", None),
        (Method::GET, "/api/ecs/agents/fox-1/mates", None),
        (Method::GET, "/api/ecs/agents/fox-1/compatibility/fox-2", None),
        (Method::GET, "/api/ecs/agents/fox-1/lineage", None),
        (Method::POST, "/api/ecs/agents/offspring", Some(json!({ "parent1_id": "fox-1", "parent2_id": "fox-2" }))),
        (Method::GET, "/api/ecs/agents/offspring", None),
        (Method::POST, "/api/ecs/breeding/enable", None),
        (Method::GET, "/api/ecs/breeding/stats", None),
        (Method::GET, "/api/ecs/time", None),
        (Method::PUT, "/api/ecs/time", Some(json!({ "paused": true }))),
        (Method::POST, "/api/ecs/time/nudge", Some(json!({ "steps": 1 }))),
        (Method::GET, "/api/ecs/naming/spirits", None),
        (Method::GET, "/api/ecs/naming/styles", None),
        (Method::GET, "/api/ecs/status", None),
        (Method::GET, "/api/ecs/digest", None),
    ]
}

async fn ecs_routes_require_token(database: &TestDatabase) {
    let server = database.start().await;
    let before = server.digest().await;

    for (method, path, body) in ecs_routes() {
        let reply = send_as(&server.base, method.clone(), path, None, body.as_ref()).await;
        let case = format!("{}: {method} {path} without a token", database.backend);
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{case}: {}", reply.text);
        assert_eq!(reply.header("www-authenticate"), Some("Bearer"), "{case}");
        assert!(reply.detail().contains("bearer token"), "{case}: {}", reply.detail());
    }
    assert_eq!(server.digest().await, before, "{}: no request without a token changed the world", database.backend);
    let status = server.status().await;
    assert_eq!(status["paused"], false, "{}", database.backend);
    assert_eq!(status["breeding_enabled"], false, "{}", database.backend);

    server.stop().await;
}

/// Sends `GET /api/auth/me` without a token, optionally with `X-Forwarded-For`.
async fn auth_probe(base: &str, forwarded_for: Option<&str>) -> Reply {
    let mut request = client().get(format!("{base}/api/auth/me"));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    send(request).await
}

async fn auth_rate_limit_throttles(database: &TestDatabase) {
    let mut config = database.config();
    config.auth.rate_per_minute = 60;
    config.auth.rate_burst = 3;
    let (base, server) = start_without_login(config).await;

    for attempt in 1..=3 {
        let reply = auth_probe(&base, None).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}: request {attempt} is within the burst: {}", database.backend, reply.text);
    }
    let limited = send(client().post(format!("{base}/api/auth/login")).json(&json!({ "username": ADMIN_USERNAME, "password": ADMIN_PASSWORD }))).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}: request 4: {}", database.backend, limited.text);
    assert_eq!(limited.header("retry-after"), Some("1"), "{}: one request per second refills", database.backend);
    assert!(limited.detail().contains("too many authentication requests"), "{}", limited.detail());

    let spoofed = auth_probe(&base, Some("203.0.113.7")).await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS, "{}: X-Forwarded-For from an untrusted peer: {}", database.backend, spoofed.text);
    let health = send(client().get(format!("{base}/api/health"))).await;
    assert_eq!(health.status, StatusCode::OK, "{}: routes outside /api/auth are not limited: {}", database.backend, health.text);

    tokio::time::sleep(Duration::from_millis(1100)).await;
    let recovered = send(client().post(format!("{base}/api/auth/login")).json(&json!({ "username": ADMIN_USERNAME, "password": ADMIN_PASSWORD }))).await;
    assert_eq!(recovered.status, StatusCode::OK, "{}: after a second: {}", database.backend, recovered.text);

    stop_server(server).await;
}

async fn trusted_proxy_separates_clients(database: &TestDatabase) {
    let mut config = database.config();
    config.auth.rate_per_minute = 60;
    config.auth.rate_burst = 3;
    config.auth.trusted_proxies = vec!["127.0.0.1".parse().expect("an IP address")];
    let (base, server) = start_without_login(config).await;

    for attempt in 1..=3 {
        let reply = auth_probe(&base, Some("203.0.113.7")).await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{}: 203.0.113.7 request {attempt}: {}", database.backend, reply.text);
    }
    let limited = auth_probe(&base, Some("203.0.113.7")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}: 203.0.113.7 request 4: {}", database.backend, limited.text);

    let other = auth_probe(&base, Some("198.51.100.9")).await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED, "{}: another forwarded client has its own bucket: {}", database.backend, other.text);
    let proxy_itself = auth_probe(&base, None).await;
    assert_eq!(proxy_itself.status, StatusCode::UNAUTHORIZED, "{}: the proxy's own address has its own bucket: {}", database.backend, proxy_itself.text);
    let chained = auth_probe(&base, Some("203.0.113.7, 127.0.0.1")).await;
    assert_eq!(chained.status, StatusCode::TOO_MANY_REQUESTS, "{}: trusted hops are skipped: {}", database.backend, chained.text);

    stop_server(server).await;
}
