//! [`ClientError`]: every way a call to the API can fail.

use reqwest::StatusCode;

/// A failed call. The server's own errors arrive as [`ClientError::Api`]
/// with the status and the `detail` of its `{"detail": "..."}` body.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server returned a 4xx or 5xx status.
    #[error("server returned {status}: {detail}")]
    Api {
        status: StatusCode,
        /// The server's `detail` message, or the raw body when it sent no JSON error.
        detail: String,
    },

    /// The request did not complete: connection refused, timed out, or the
    /// body could not be read.
    #[error("request failed: {0}")]
    Transport(#[from] reqwest::Error),

    /// A success response whose body is not the JSON the client expects.
    #[error("invalid response body from {path}: {source}")]
    Decode {
        /// Path of the request, such as `/api/ecs/status`.
        path: String,
        source: serde_json::Error,
    },

    /// The base URL given to the client cannot be used.
    #[error("invalid base URL '{url}': {reason}")]
    InvalidBaseUrl { url: String, reason: String },

    /// The call needs a refresh token and the client has none. Log in first.
    #[error("no refresh token is held; log in first")]
    NotLoggedIn,
}

impl ClientError {
    /// Returns the HTTP status of an [`ClientError::Api`] error, or `None` for other variants.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            ClientError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Returns the server's `detail` message of an [`ClientError::Api`] error.
    pub fn detail(&self) -> Option<&str> {
        match self {
            ClientError::Api { detail, .. } => Some(detail),
            _ => None,
        }
    }

    /// Checks whether the server returned 404: no agent or route with that name.
    pub fn is_not_found(&self) -> bool {
        self.status() == Some(StatusCode::NOT_FOUND)
    }

    /// Checks whether the server returned 409: a taken id or name, a full
    /// population, or a pair that may not breed.
    pub fn is_conflict(&self) -> bool {
        self.status() == Some(StatusCode::CONFLICT)
    }
}
