//! The HTTP API: routes under `/api/ecs` and `/api/health`, JSON errors, and
//! the layers every request passes through.

mod ecs;
mod error;
mod extract;
mod health;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::trace::TraceLayer;

pub use error::ApiError;
pub use extract::MAX_BODY_BYTES;

use crate::world::{WorldError, WorldHandle};

/// Builds the application: every route, the body limit, request tracing and
/// JSON answers for unknown routes and methods.
pub fn router(world: WorldHandle) -> Router {
    let ecs = ecs::router().layer(middleware::from_fn_with_state(world.clone(), require_world));
    Router::new()
        .nest("/api/ecs", ecs)
        .merge(health::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TraceLayer::new_for_http())
        .with_state(world)
}

/// Answers 503 on every `/api/ecs` route once the world thread has stopped, so
/// no route keeps serving as if the world were healthy.
async fn require_world(State(world): State<WorldHandle>, request: Request, next: Next) -> Response {
    if !world.is_alive() {
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
