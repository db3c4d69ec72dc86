//! Bearer-token authentication for handlers and the `/api/ecs` routes.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::state::AppState;
use crate::auth::{Principal, Role};

/// The caller behind a valid bearer access token; 401 otherwise.
pub struct Authenticated(pub Principal);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(principal) = parts.extensions.get::<Principal>() {
            return Ok(Authenticated(principal.clone()));
        }
        let token = bearer_token(parts)?;
        let principal = state.auth.authenticate(token)?;
        Ok(Authenticated(principal))
    }
}

fn bearer_token(parts: &Parts) -> Result<&str, ApiError> {
    let missing = || ApiError::Unauthorized("missing bearer token: send Authorization: Bearer <access token>".to_owned());
    let value = parts.headers.get(AUTHORIZATION).ok_or_else(missing)?;
    let value = value.to_str().map_err(|_| missing())?;
    match value.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => Ok(token.trim()),
        _ => Err(missing()),
    }
}

/// Admits only callers with a valid access token, and stores the
/// [`Principal`] in the request for handlers further in.
pub async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match Authenticated::from_request_parts(&mut parts, &state).await {
        Ok(Authenticated(principal)) => {
            parts.extensions.insert(principal);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(rejection) => rejection.into_response(),
    }
}

/// Checks that the caller is an admin; 403 for any other role.
pub fn require_admin(principal: &Principal, action: &str) -> Result<(), ApiError> {
    if principal.role == Role::Admin {
        return Ok(());
    }
    tracing::debug!(user_id = %principal.user_id, action, "admin action rejected for a user");
    Err(ApiError::Forbidden(format!("{action} requires the admin role")))
}
