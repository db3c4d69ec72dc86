//! [`ApiError`]: the one error type of the HTTP API, rendered as `{"detail": "..."}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use reynard_systems::SimError;
use serde_json::json;

use crate::auth::AuthError;
use crate::world::WorldError;

/// The body of every error response.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The failure, naming the field and the rule where one applies.
    pub detail: String,
}

/// Seconds a client is asked to wait before retrying when the world is busy.
const RETRY_AFTER_SECONDS: &str = "1";

/// An error response. Every variant carries the message sent to the client; it
/// never contains internal details, which go to the log instead.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// 400: the request is malformed in a way no field rule covers.
    BadRequest(String),
    /// 401: no valid credentials. Sent with `WWW-Authenticate: Bearer`.
    Unauthorized(String),
    /// 403: authenticated, but the role does not allow the action.
    Forbidden(String),
    /// 404: the route or the agent does not exist.
    NotFound(String),
    /// 405: the route exists but not with this method.
    MethodNotAllowed(String),
    /// 409: the request conflicts with the world's state (a taken id, a full
    /// population, a pair that may not breed).
    Conflict(String),
    /// 413: the body is over the size limit.
    PayloadTooLarge(String),
    /// 415: the body is not JSON.
    UnsupportedMediaType(String),
    /// 422: a field breaks its rule; the message names the field and the rule.
    Unprocessable(String),
    /// 429: too many requests; `retry_after` seconds go in `Retry-After`.
    TooManyRequests { detail: String, retry_after: u64 },
    /// 500: a failure on the server's side, such as the database. The cause is
    /// logged where it happens; the client sees a generic message.
    Internal,
    /// 503: the world is busy or stopped. Sent with `Retry-After` when retrying can help.
    Unavailable { detail: String, retry: bool },
}

impl ApiError {
    /// Builds a 422 for `field` breaking `rule`.
    pub fn field(field: &str, rule: impl std::fmt::Display) -> Self {
        ApiError::Unprocessable(format!("{field} {rule}"))
    }

    /// Returns the HTTP status this error becomes.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// Returns the message sent to the client.
    pub fn detail(&self) -> &str {
        match self {
            ApiError::Internal => "internal server error",
            ApiError::TooManyRequests { detail, .. } => detail,
            ApiError::BadRequest(detail)
            | ApiError::Unauthorized(detail)
            | ApiError::Forbidden(detail)
            | ApiError::NotFound(detail)
            | ApiError::MethodNotAllowed(detail)
            | ApiError::Conflict(detail)
            | ApiError::PayloadTooLarge(detail)
            | ApiError::UnsupportedMediaType(detail)
            | ApiError::Unprocessable(detail)
            | ApiError::Unavailable { detail, .. } => detail,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status(), Json(json!({ "detail": self.detail() }))).into_response();
        let headers = response.headers_mut();
        match self {
            ApiError::Unavailable { retry: true, .. } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
            }
            ApiError::TooManyRequests { retry_after, .. } => {
                headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            }
            ApiError::Unauthorized(_) => {
                headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            _ => {}
        }
        response
    }
}

impl From<SimError> for ApiError {
    fn from(error: SimError) -> Self {
        let detail = error.to_string();
        match error {
            SimError::NotFound { .. } => ApiError::NotFound(detail),
            SimError::Invalid { .. } => ApiError::Unprocessable(detail),
            SimError::IdTaken { .. } | SimError::PopulationFull { .. } | SimError::BreedingRejected { .. } => {
                ApiError::Conflict(detail)
            }
        }
    }
}

impl From<AuthError> for ApiError {
    fn from(error: AuthError) -> Self {
        match error {
            AuthError::Invalid { field, rule } => ApiError::field(field, rule),
            AuthError::Conflict(detail) => ApiError::Conflict(detail),
            AuthError::Unauthorized(detail) => ApiError::Unauthorized(detail.to_owned()),
            AuthError::Throttled(wait) => ApiError::TooManyRequests {
                detail: "too many failed logins for this username; retry later".to_owned(),
                retry_after: wait.as_secs().max(1),
            },
            AuthError::Database(error) => {
                tracing::error!(%error, "database error while handling an authentication request");
                ApiError::Internal
            }
        }
    }
}

impl From<WorldError> for ApiError {
    fn from(error: WorldError) -> Self {
        match error {
            WorldError::Rejected(error) => error.into(),
            WorldError::Busy => ApiError::Unavailable {
                detail: "the world is busy: its command queue is full, retry shortly".to_owned(),
                retry: true,
            },
            WorldError::TimedOut => {
                tracing::warn!("world thread did not reply in time");
                ApiError::Unavailable { detail: "the world did not reply in time, retry shortly".to_owned(), retry: true }
            }
            WorldError::NotDurable => ApiError::Unavailable {
                detail: "the change could not be saved to the database and was not acknowledged; retry shortly".to_owned(),
                retry: true,
            },
            WorldError::Stopped => ApiError::Unavailable {
                detail: "the world thread has stopped; restart the server".to_owned(),
                retry: false,
            },
        }
    }
}
