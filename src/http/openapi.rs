//! The OpenAPI 3.1 document, generated from the handlers' annotations and
//! served at `/openapi.json`.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{auth, ecs, health};

/// Every documented route. A test checks that the router serves no path
/// missing from this list.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Reynard World",
        description = "One authoritative simulation of agents that age, breed and die on an accelerated clock."
    ),
    paths(
        health::health,
        health::live,
        auth::register,
        auth::login,
        auth::refresh,
        auth::logout,
        auth::me,
        auth::protected,
        ecs::agents::list,
        ecs::agents::create,
        ecs::agents::show,
        ecs::offspring::create_offspring,
        ecs::compatibility::mates,
        ecs::compatibility::compatibility,
        ecs::lineage::lineage,
        ecs::breeding::enable,
        ecs::breeding::stats,
        ecs::time::show,
        ecs::time::update,
        ecs::time::nudge,
        ecs::naming::spirits,
        ecs::naming::styles,
        ecs::status::status,
        ecs::status::digest,
        ecs::export::export,
    ),
    modifiers(&BearerScheme),
    tags(
        (name = "auth", description = "Accounts and sessions"),
        (name = "agents", description = "Creating and reading agents"),
        (name = "breeding", description = "Mates, compatibility and automatic breeding"),
        (name = "time", description = "The simulation clock"),
        (name = "world", description = "Status, digest and export"),
        (name = "naming", description = "Spirits and naming styles"),
        (name = "health", description = "Liveness")
    )
)]
pub struct ApiDoc;

/// Adds the bearer-token security scheme that protected operations refer to.
struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).bearer_format("JWT").build()),
        );
    }
}

/// Builds the document as served.
pub fn document() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
