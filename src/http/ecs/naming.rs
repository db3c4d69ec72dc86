//! `GET /api/ecs/naming/spirits` and `GET /api/ecs/naming/styles`.

use axum::routing::get;
use axum::{Json, Router};
use reynard_systems::{Family, NamingStyle, Spirit};
use serde_json::{json, Value};

use crate::http::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/naming/spirits", get(spirits))
        .route("/naming/styles", get(styles))
}

/// Lists every spirit, flat and grouped by family, with the default.
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
async fn styles() -> Json<Value> {
    let styles: Vec<Value> = NamingStyle::ALL
        .into_iter()
        .map(|style| json!({ "style": style, "description": style.description() }))
        .collect();
    Json(json!({ "styles": styles, "default": NamingStyle::default() }))
}
