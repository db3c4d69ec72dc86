//! `/api/auth/*` and `/api/protected`: accounts and sessions over HTTP.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use super::error::ApiError;
use super::extract::{Json, RawBody};
use super::principal::Authenticated;
use super::security::client_ip;
use super::state::AppState;
use crate::auth::{TokenPair, User};

pub fn router(state: AppState) -> Router<AppState> {
    let auth = Router::new()
        .route("/register", post(register))
        .route("/login", post(login))
        .route("/refresh", post(refresh))
        .route("/logout", post(logout))
        .route("/me", get(me))
        .layer(middleware::from_fn_with_state(state, rate_limit));
    Router::new().nest("/api/auth", auth).route("/api/protected", get(protected))
}

/// Throttles `/api/auth` per client address; 429 with `Retry-After` when the
/// client's bucket is empty.
async fn rate_limit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let client = client_ip(peer, request.headers(), &state.trusted_proxies);
    if let Err(wait) = state.auth.limiter.check(client) {
        tracing::info!(%client, path = request.uri().path(), "authentication request rate-limited");
        let retry_after = wait.as_secs_f64().ceil().max(1.0) as u64;
        return ApiError::TooManyRequests {
            detail: "too many authentication requests from this address; retry later".to_owned(),
            retry_after,
        }
        .into_response();
    }
    next.run(request).await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegisterBody {
    username: String,
    email: String,
    password: String,
}

async fn register(State(state): State<AppState>, Json(body): Json<RegisterBody>) -> Result<impl IntoResponse, ApiError> {
    let user = state.auth.register(&body.username, &body.email, &body.password).await?;
    Ok((StatusCode::CREATED, axum::Json(user)))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    username: String,
    password: String,
}

/// The OAuth2 password-grant form that OpenAPI clients send; fields other
/// than the credentials are accepted and ignored.
#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

/// Logs in with JSON `{username, password}` or an
/// `application/x-www-form-urlencoded` form with the same fields.
async fn login(State(state): State<AppState>, headers: HeaderMap, RawBody(body): RawBody) -> Result<axum::Json<TokenPair>, ApiError> {
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let (username, password) = if content_type.starts_with("application/x-www-form-urlencoded") {
        let form: LoginForm = serde_urlencoded::from_bytes(&body)
            .map_err(|error| ApiError::Unprocessable(format!("invalid login form: {error}")))?;
        (form.username, form.password)
    } else if content_type.starts_with("application/json") {
        let body: LoginBody = parse_json(&body)?;
        (body.username, body.password)
    } else {
        return Err(ApiError::UnsupportedMediaType(
            "login body must be JSON or application/x-www-form-urlencoded".to_owned(),
        ));
    };
    Ok(axum::Json(state.auth.login(&username, &password).await?))
}

fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| {
        if error.is_data() {
            ApiError::Unprocessable(format!("invalid JSON body: {error}"))
        } else {
            ApiError::Unprocessable(format!("malformed JSON body: {error}"))
        }
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RefreshBody {
    refresh_token: String,
}

async fn refresh(State(state): State<AppState>, Json(body): Json<RefreshBody>) -> Result<axum::Json<TokenPair>, ApiError> {
    Ok(axum::Json(state.auth.refresh(&body.refresh_token).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogoutBody {
    refresh_token: Option<String>,
}

/// Revokes the access token and its session; the body is optional.
async fn logout(
    State(state): State<AppState>,
    Authenticated(principal): Authenticated,
    RawBody(body): RawBody,
) -> Result<StatusCode, ApiError> {
    let refresh_token = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        parse_json::<LogoutBody>(&body)?.refresh_token
    };
    state.auth.logout(&principal, refresh_token.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn me(State(state): State<AppState>, Authenticated(principal): Authenticated) -> Result<axum::Json<User>, ApiError> {
    Ok(axum::Json(state.auth.me(&principal).await?))
}

/// Greets the caller by name: the original backend's example of a protected route.
async fn protected(Authenticated(principal): Authenticated) -> axum::Json<serde_json::Value> {
    axum::Json(json!({
        "message": format!("Hello, {}! You have reached a protected route.", principal.username),
        "user_id": principal.user_id,
        "role": principal.role,
    }))
}
