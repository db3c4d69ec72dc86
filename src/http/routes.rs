//! [`Routes`]: an axum router that remembers the paths it serves, so a test
//! can check that each of them is in the OpenAPI document.

use axum::routing::MethodRouter;
use axum::Router;

use super::state::AppState;

/// A router under construction, with the full path of every route added.
pub struct Routes {
    router: Router<AppState>,
    /// Paths served, with the prefixes of `nest` applied.
    paths: Vec<String>,
}

impl Routes {
    pub fn new() -> Self {
        Routes { router: Router::new(), paths: Vec::new() }
    }

    /// Adds a route, as [`Router::route`] does.
    pub fn route(mut self, path: &str, method_router: MethodRouter<AppState>) -> Self {
        self.router = self.router.route(path, method_router);
        self.paths.push(path.to_owned());
        self
    }

    /// Adds all routes of `other`, as [`Router::merge`] does.
    pub fn merge(mut self, other: Routes) -> Self {
        self.router = self.router.merge(other.router);
        self.paths.extend(other.paths);
        self
    }

    /// Serves `other` under `prefix`, as [`Router::nest`] does.
    pub fn nest(mut self, prefix: &str, other: Routes) -> Self {
        self.router = self.router.nest(prefix, other.router);
        self.paths.extend(other.paths.into_iter().map(|path| format!("{prefix}{path}")));
        self
    }

    /// Applies `apply` to the router, for layers; the paths stay as they are.
    pub fn map_router(mut self, apply: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Self {
        self.router = apply(self.router);
        self
    }

    /// Splits into the router and the paths it serves.
    pub fn into_parts(self) -> (Router<AppState>, Vec<String>) {
        (self.router, self.paths)
    }
}
