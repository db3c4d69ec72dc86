//! The HTTP API: `/api/auth`, `/api/ecs` behind bearer tokens, `/api/health`,
//! and the layers every request passes through.

mod auth;
mod docs;
pub(crate) mod ecs;
pub(crate) mod error;
mod extract;
mod health;
pub mod mcp;
pub mod openapi;
mod principal;
mod routes;
mod security;
mod state;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use extract::MAX_BODY_BYTES;
pub use state::AppState;

use routes::Routes;

use crate::world::WorldError;

/// Builds the application. The layers, outermost first, are tracing, security
/// headers, the trusted-host check, CORS and the body limit. Inside them,
/// `/api/ecs` requires a valid access token and `/api/auth` is rate-limited.
pub fn router(state: AppState) -> Router {
    let (api, _) = api_routes(Box::new(guard_ecs(&state)), Box::new(auth::rate_limited(&state))).into_parts();
    api.route("/openapi.json", get(openapi_json))
        .merge(docs::router())
        .merge(mcp::router(&state))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(security::cors(&state.http))
        .layer(middleware::from_fn_with_state(state.clone(), security::trusted_host))
        .layer(middleware::from_fn_with_state(state.clone(), security::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A layer stack to put in front of a group of routes.
type Guard = Box<dyn FnOnce(Router<AppState>) -> Router<AppState>>;

/// Builds the documented API: `/api/ecs` behind `guard_ecs` (the token and world
/// checks), `/api/auth` behind `guard_auth` (the rate limit), and `/api/health`.
fn api_routes(guard_ecs: Guard, guard_auth: Guard) -> Routes {
    Routes::new()
        .nest("/api/ecs", ecs::router().map_router(guard_ecs))
        .merge(auth::router(guard_auth))
        .merge(health::router())
}

/// Puts every `/api/ecs` route behind a valid access token and a live world.
fn guard_ecs(state: &AppState) -> impl FnOnce(Router<AppState>) -> Router<AppState> + use<> {
    let state = state.clone();
    move |router| {
        router
            .layer(middleware::from_fn_with_state(state.clone(), require_world))
            .layer(middleware::from_fn_with_state(state, principal::require_token))
    }
}

/// Lists every path the API serves, in axum's `{param}` syntax, which is also
/// OpenAPI's. The documentation routes are not part of it.
pub fn served_paths() -> Vec<String> {
    api_routes(Box::new(|router| router), Box::new(|router| router)).into_parts().1
}

async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(openapi::document())
}

/// Returns 503 on every `/api/ecs` route once the world thread has stopped, so
/// no route keeps serving as if the world were healthy.
async fn require_world(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !state.world.is_alive() {
        return ApiError::from(WorldError::Stopped).into_response();
    }
    next.run(request).await
}

async fn not_found(request: Request) -> ApiError {
    ApiError::NotFound(format!("no route for {}", request.uri().path()))
}

async fn method_not_allowed(request: Request) -> ApiError {
    ApiError::MethodNotAllowed(format!("method {} is not allowed on {}", request.method(), request.uri().path()))
}
