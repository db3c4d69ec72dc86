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
use utoipa::ToSchema;
use serde_json::json;

use super::error::{ApiError, ErrorBody};
use super::extract::{Json, RawBody};
use super::principal::Authenticated;
use super::security::client_ip;
use super::routes::Routes;
use super::state::AppState;
use crate::auth::{TokenPair, User};

/// Builds the account routes; `guard` wraps `/api/auth` (the rate limit).
pub fn router(guard: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Routes {
    let auth = Routes::new()
        .route("/register", post(register))
        .route("/login", post(login))
        .route("/refresh", post(refresh))
        .route("/logout", post(logout))
        .route("/me", get(me))
        .map_router(guard);
    Routes::new().nest("/api/auth", auth).route("/api/protected", get(protected))
}

/// Puts `/api/auth` behind the per-address rate limit.
pub fn rate_limited(state: &AppState) -> impl FnOnce(Router<AppState>) -> Router<AppState> + use<> {
    let state = state.clone();
    move |router| router.layer(middleware::from_fn_with_state(state, rate_limit))
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RegisterBody {
    username: String,
    email: String,
    password: String,
}

#[utoipa::path(
    post,
    path = "/api/auth/register",
    tag = "auth",
    request_body = RegisterBody,
    responses(
        (status = 201, description = "The account was created", body = User),
        (status = 409, description = "The username or email is taken", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 429, description = "Too many requests; see Retry-After", body = ErrorBody)
    )
)]
async fn register(State(state): State<AppState>, Json(body): Json<RegisterBody>) -> Result<impl IntoResponse, ApiError> {
    let user = state.auth.register(&body.username, &body.email, &body.password).await?;
    Ok((StatusCode::CREATED, axum::Json(user)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LoginBody {
    username: String,
    password: String,
}

/// The OAuth2 password-grant form that OpenAPI clients send; fields other
/// than the credentials are accepted and ignored.
#[derive(Deserialize, ToSchema)]
struct LoginForm {
    username: String,
    password: String,
}

/// Logs in with JSON `{username, password}` or an
/// `application/x-www-form-urlencoded` form with the same fields.
#[utoipa::path(
    post,
    path = "/api/auth/login",
    tag = "auth",
    request_body(content(
        (LoginBody = "application/json"),
        (LoginForm = "application/x-www-form-urlencoded")
    )),
    responses(
        (status = 200, description = "Access and refresh tokens", body = TokenPair),
        (status = 401, description = "Missing or invalid credentials", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 429, description = "Too many requests; see Retry-After", body = ErrorBody)
    )
)]
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

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct RefreshBody {
    refresh_token: String,
}

#[utoipa::path(
    post,
    path = "/api/auth/refresh",
    tag = "auth",
    request_body = RefreshBody,
    responses(
        (status = 200, description = "A new pair; the presented refresh token is spent", body = TokenPair),
        (status = 401, description = "Missing or invalid credentials", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 429, description = "Too many requests; see Retry-After", body = ErrorBody)
    )
)]
async fn refresh(State(state): State<AppState>, Json(body): Json<RefreshBody>) -> Result<axum::Json<TokenPair>, ApiError> {
    Ok(axum::Json(state.auth.refresh(&body.refresh_token).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct LogoutBody {
    refresh_token: Option<String>,
}

/// Revokes the access token and its session; the body is optional.
#[utoipa::path(
    post,
    path = "/api/auth/logout",
    tag = "auth",
    request_body(content = Option<LogoutBody>, description = "Optional: a refresh token whose session to revoke as well"),
    responses(
        (status = 204, description = "The session is revoked"),
        (status = 401, description = "Missing or invalid credentials", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 429, description = "Too many requests; see Retry-After", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
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

#[utoipa::path(
    get,
    path = "/api/auth/me",
    tag = "auth",
    responses(
        (status = 200, description = "The caller's account", body = User),
        (status = 401, description = "Missing or invalid credentials", body = ErrorBody),
        (status = 429, description = "Too many requests; see Retry-After", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn me(State(state): State<AppState>, Authenticated(principal): Authenticated) -> Result<axum::Json<User>, ApiError> {
    Ok(axum::Json(state.auth.me(&principal).await?))
}

/// Greets the caller by name: the original backend's example of a protected route.
#[utoipa::path(
    get,
    path = "/api/protected",
    tag = "auth",
    responses(
        (status = 200, description = "A greeting naming the caller", body = Object),
        (status = 401, description = "Missing or invalid credentials", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn protected(Authenticated(principal): Authenticated) -> axum::Json<serde_json::Value> {
    axum::Json(json!({
        "message": format!("Hello, {}! You have reached a protected route.", principal.username),
        "user_id": principal.user_id,
        "role": principal.role,
    }))
}
