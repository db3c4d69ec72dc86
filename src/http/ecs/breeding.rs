//! `POST /api/ecs/breeding/enable` and `GET /api/ecs/breeding/stats`.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Json;
use reynard_systems::views::BreedingStatsView;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::{Query, RawBody};
use crate::http::principal::{require_admin, Authenticated};
use crate::http::routes::Routes;
use crate::world::{Command, WorldHandle};

pub fn router() -> Routes {
    Routes::new()
        .route("/breeding/enable", post(enable))
        .route("/breeding/stats", get(stats))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct EnableQuery {
    enabled: Option<bool>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct EnableBody {
    enabled: bool,
}

#[derive(Serialize, ToSchema)]
struct EnableResponse {
    enabled: bool,
    message: &'static str,
    stats: BreedingStatsView,
}

/// Turns automatic breeding on or off. The original API takes `?enabled=`;
/// a JSON body `{"enabled": bool}` works too. With neither, breeding is
/// enabled, as in the original; when both are given they must agree.
#[utoipa::path(
    post,
    path = "/api/ecs/breeding/enable",
    tag = "breeding",
    params(EnableQuery),
    request_body(content = Option<EnableBody>, description = "Optional; agrees with the query string when both are given"),
    responses(
        (status = 200, description = "The new setting with breeding figures", body = EnableResponse),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 403, description = "The caller is not an admin", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn enable(
    State(world): State<WorldHandle>,
    Authenticated(principal): Authenticated,
    Query(query): Query<EnableQuery>,
    RawBody(body): RawBody,
) -> Result<Json<EnableResponse>, ApiError> {
    require_admin(&principal, "switching automatic breeding")?;
    let from_body = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        let parsed: EnableBody = serde_json::from_slice(&body).map_err(enable_body_error)?;
        Some(parsed.enabled)
    };
    let enabled = match (query.enabled, from_body) {
        (Some(a), Some(b)) if a != b => {
            return Err(ApiError::field("enabled", "must have the same value in the query string and the body"));
        }
        (query, body) => query.or(body).unwrap_or(true),
    };

    let stats = world.request(|reply| Command::SetBreeding(enabled, reply)).await?;
    tracing::info!(enabled, user_id = %principal.user_id, "automatic breeding switched");
    let message = if enabled { "automatic breeding enabled" } else { "automatic breeding disabled" };
    Ok(Json(EnableResponse { enabled, message, stats }))
}

/// Both malformed JSON and a body of the wrong shape are 422, as for every
/// other JSON body.
fn enable_body_error(error: serde_json::Error) -> ApiError {
    if error.is_syntax() || error.is_eof() {
        ApiError::Unprocessable(format!("failed to parse the request body as JSON: {error}"))
    } else {
        ApiError::field("body", format!("must be {{\"enabled\": true}} or {{\"enabled\": false}}: {error}"))
    }
}

#[utoipa::path(
    get,
    path = "/api/ecs/breeding/stats",
    tag = "breeding",
    responses(
        (status = 200, description = "Population and breeding figures", body = BreedingStatsView),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn stats(State(world): State<WorldHandle>) -> Result<Json<BreedingStatsView>, ApiError> {
    Ok(Json(world.request(Command::BreedingStats).await?))
}
