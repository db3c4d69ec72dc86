//! The clock: `GET /api/ecs/time`, `PUT /api/ecs/time` and `POST /api/ecs/time/nudge`.

use std::fmt;

use axum::extract::State;
use axum::routing::{get, post};
use axum::Json;
use reynard_systems::clock::ACCELERATION_RANGE;
use reynard_systems::views::TimeView;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use utoipa::ToSchema;

use super::check_range;
use crate::http::error::{ApiError, ErrorBody};
use crate::http::extract::Json as JsonBody;
use crate::http::principal::{require_admin, Authenticated};
use crate::http::routes::Routes;
use crate::world::{Command, TimeChange, WorldHandle};

/// Most fixed steps one nudge may run.
const MAX_NUDGE_STEPS: u32 = 10_000;

pub fn router() -> Routes {
    Routes::new()
        .route("/time", get(show).put(update))
        .route("/time/nudge", post(nudge))
}

#[utoipa::path(
    get,
    path = "/api/ecs/time",
    tag = "time",
    responses(
        (status = 200, description = "The clock", body = TimeView),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn show(State(world): State<WorldHandle>) -> Result<Json<TimeView>, ApiError> {
    Ok(Json(world.request(Command::Time).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct TimeBody {
    /// Simulated seconds per real second, 0.1 to 100.
    #[serde(default, deserialize_with = "optional_acceleration")]
    acceleration: Option<f64>,
    paused: Option<bool>,
}

/// Reads an optional acceleration so that a value of the wrong type, such as a
/// string, is rejected with the accepted range in the message.
fn optional_acceleration<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<f64>, D::Error> {
    struct AccelerationVisitor;

    impl<'de> Visitor<'de> for AccelerationVisitor {
        type Value = Option<f64>;

        fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
            let (low, high) = ACCELERATION_RANGE;
            write!(formatter, "a number from {low} to {high}")
        }

        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }

        fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
            deserializer.deserialize_any(self)
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
            Ok(Some(value))
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
            Ok(Some(value as f64))
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
            Ok(Some(value as f64))
        }
    }

    deserializer.deserialize_option(AccelerationVisitor)
}

/// Changes acceleration, pause or both; every field is checked before any applies.
#[utoipa::path(
    put,
    path = "/api/ecs/time",
    tag = "time",
    request_body = TimeBody,
    responses(
        (status = 200, description = "The clock after the change", body = TimeView),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 403, description = "The caller is not an admin", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn update(
    State(world): State<WorldHandle>,
    Authenticated(principal): Authenticated,
    JsonBody(body): JsonBody<TimeBody>,
) -> Result<Json<TimeView>, ApiError> {
    require_admin(&principal, "changing the clock")?;
    if body.acceleration.is_none() && body.paused.is_none() {
        return Err(ApiError::Unprocessable("body must set acceleration, paused or both".to_owned()));
    }
    let change = TimeChange { acceleration: body.acceleration, paused: body.paused };
    let time = world.request(|reply| Command::SetTime(change, reply)).await?;
    tracing::info!(acceleration = time.acceleration, paused = time.paused, user_id = %principal.user_id, "clock changed");
    Ok(Json(time))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct NudgeBody {
    steps: u32,
}

/// Runs fixed steps now, also while paused.
#[utoipa::path(
    post,
    path = "/api/ecs/time/nudge",
    tag = "time",
    request_body = NudgeBody,
    responses(
        (status = 200, description = "The clock after the steps", body = TimeView),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 403, description = "The caller is not an admin", body = ErrorBody),
        (status = 422, description = "A field breaks its rule", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn nudge(
    State(world): State<WorldHandle>,
    Authenticated(principal): Authenticated,
    JsonBody(body): JsonBody<NudgeBody>,
) -> Result<Json<TimeView>, ApiError> {
    require_admin(&principal, "nudging the clock")?;
    let steps = check_range("steps", body.steps, 1, MAX_NUDGE_STEPS)?;
    Ok(Json(world.request(|reply| Command::Nudge(steps, reply)).await?))
}
