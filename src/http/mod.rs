//! The HTTP API: `/api/auth`, `/api/ecs` behind bearer tokens, `/api/health`,
//! and the layers every request passes through.

mod auth;
mod ecs;
mod error;
mod extract;
mod health;
mod principal;
mod security;
mod state;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use extract::MAX_BODY_BYTES;
pub use state::AppState;

use crate::world::WorldError;

/// Builds the application. The layers, outermost first, are tracing, security
/// headers, the trusted-host check, CORS and the body limit. Inside them,
/// `/api/ecs` requires a valid access token and `/api/auth` is rate-limited.
pub fn router(state: AppState) -> Router {
    let ecs = ecs::router()
        .layer(middleware::from_fn_with_state(state.clone(), require_world))
        .layer(middleware::from_fn_with_state(state.clone(), principal::require_token));
    Router::new()
        .nest("/api/ecs", ecs)
        .merge(auth::router(state.clone()))
        .merge(health::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(security::cors(&state.http))
        .layer(middleware::from_fn_with_state(state.clone(), security::trusted_host))
        .layer(middleware::from_fn_with_state(state.clone(), security::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
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
