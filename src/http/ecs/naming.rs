//! `GET /api/ecs/naming/spirits` and `GET /api/ecs/naming/styles`.

use axum::routing::get;
use axum::Json;
use reynard_systems::{Family, NamingStyle, Spirit};
use serde_json::{json, Value};

use crate::http::error::ErrorBody;
use crate::http::routes::Routes;

pub fn router() -> Routes {
    Routes::new()
        .route("/naming/spirits", get(spirits))
        .route("/naming/styles", get(styles))
}

/// Lists every spirit, flat and grouped by family, with the default.
#[utoipa::path(
    get,
    path = "/api/ecs/naming/spirits",
    tag = "naming",
    responses(
        (status = 200, description = "Every spirit, flat and by family, with the default", body = Object),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn spirits() -> Json<Value> {
    let families: Vec<Value> = Family::ALL
        .into_iter()
        .map(|family| json!({ "family": family, "spirits": family.spirits().collect::<Vec<_>>() }))
        .collect();
    Json(json!({
        "spirits": Spirit::ALL,
        "families": families,
        "default": Spirit::default(),
    }))
}

/// Lists every naming style with a description of its pattern, and the default.
#[utoipa::path(
    get,
    path = "/api/ecs/naming/styles",
    tag = "naming",
    responses(
        (status = 200, description = "Every naming style with its pattern, and the default", body = Object),
        (status = 401, description = "Missing or invalid access token", body = ErrorBody),
        (status = 503, description = "The world is busy or stopped", body = ErrorBody)
    ),
    security(("bearer" = []))
)]
async fn styles() -> Json<Value> {
    let styles: Vec<Value> = NamingStyle::ALL
        .into_iter()
        .map(|style| json!({ "style": style, "description": style.description() }))
        .collect();
    Json(json!({ "styles": styles, "default": NamingStyle::default() }))
}
