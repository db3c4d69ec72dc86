//! Protections on every response and request: security headers, the
//! trusted-host check, CORS, and the client address behind trusted proxies.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{Request, State};
use axum::http::header::{self, HeaderName};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::error::ApiError;
use super::state::AppState;
use crate::config::HttpConfig;

/// Policy for API responses: they are JSON and load nothing.
const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// Sets the security headers on every response; responses about accounts
/// (`/api/auth`, `/api/protected`) are never cached.
pub async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_auth = path.starts_with("/api/auth") || path == "/api/protected";
    let mut response = next.run(request).await;
    let headers = response.headers_mut();

    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.entry(header::CONTENT_SECURITY_POLICY).or_insert(HeaderValue::from_static(API_CSP));
    if state.http.hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    if is_auth {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    }
    response
}

/// Rejects with 400 a request whose `Host` is not a trusted host name, which
/// guards against DNS rebinding and host-header attacks.
pub async fn trusted_host(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| request.uri().authority().map(|authority| authority.to_string()));
    let Some(host) = host else {
        return ApiError::BadRequest("missing Host header".to_owned()).into_response();
    };

    let name = host_name(&host).to_ascii_lowercase();
    if !state.http.trusted_hosts.contains(&name) {
        tracing::debug!(host = %host, "request for an untrusted host rejected");
        return ApiError::BadRequest(format!("host '{name}' is not in TRUSTED_HOSTS")).into_response();
    }
    next.run(request).await
}

/// Returns the host part of a `Host` value, without the port; IPv6 keeps its brackets.
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        return host.find(']').map_or(host, |end| &host[..=end]);
    }
    host.rsplit_once(':').map_or(host, |(name, _)| name)
}

/// CORS for the configured origins only, matched exactly, with credentials.
/// An unlisted origin gets no `Access-Control-Allow-Origin` header.
pub fn cors(config: &HttpConfig) -> CorsLayer {
    let origins: Vec<HeaderValue> = config
        .allowed_origins
        .iter()
        .filter_map(|origin| HeaderValue::from_str(origin).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PUT, Method::DELETE, Method::OPTIONS])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .expose_headers([header::LOCATION, header::RETRY_AFTER, HeaderName::from_static("www-authenticate")])
        .allow_credentials(true)
        .max_age(std::time::Duration::from_secs(600))
}

/// Returns the client's address: the peer, or, when the peer is a trusted proxy, the
/// nearest address in `X-Forwarded-For` that is not a trusted proxy itself.
pub fn client_ip(peer: SocketAddr, headers: &HeaderMap, trusted_proxies: &[IpAddr]) -> IpAddr {
    let peer = peer.ip();
    if !trusted_proxies.contains(&peer) {
        return peer;
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|item| item.trim().parse().ok())
        .collect();
    forwarded.into_iter().rev().find(|ip| !trusted_proxies.contains(ip)).unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_name_strips_port() {
        assert_eq!(host_name("localhost:8000"), "localhost");
        assert_eq!(host_name("[::1]:8000"), "[::1]");
        assert_eq!(host_name("127.0.0.1"), "127.0.0.1");
    }

    #[test]
    fn forwarded_ignored_from_untrusted_peer() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        let peer: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        assert_eq!(client_ip(peer, &headers, &[]), peer.ip());
    }

    #[test]
    fn forwarded_used_from_trusted_proxy() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", HeaderValue::from_static("198.51.100.7, 10.0.0.2"));
        let peer: SocketAddr = "10.0.0.1:5000".parse().unwrap();
        let proxies: Vec<IpAddr> = vec!["10.0.0.1".parse().unwrap(), "10.0.0.2".parse().unwrap()];
        assert_eq!(client_ip(peer, &headers, &proxies), "198.51.100.7".parse::<IpAddr>().unwrap());
    }
}
