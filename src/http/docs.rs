//! Interactive documentation served by the binary itself: Swagger UI at
//! `/api/docs` and ReDoc at `/api/redoc`, both reading `/openapi.json`.
//!
//! The assets come from the npm packages swagger-ui-dist and redoc, vendored
//! under `assets/docs` by `scripts/vendor_docs_assets.sh`, and are embedded at
//! compile time, so the pages work offline and load nothing from elsewhere.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::extract::Path;
use super::state::AppState;

/// Policy for the documentation pages: scripts, styles and fonts from this
/// server only. Swagger UI sets inline styles and shows data: images; ReDoc
/// runs its search in a worker created from a blob: URL.
const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src blob:; \
    frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

const SWAGGER_PAGE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Reynard World API</title>
  <link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api/docs/assets/swagger-ui-standalone-preset.js"></script>
  <script src="/api/docs/assets/init.js"></script>
</body>
</html>
"##;

/// Starts Swagger UI on `/openapi.json`. It lives in a file of its own
/// because the page's policy allows no inline script.
const SWAGGER_INIT: &str = r##"window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout"
  });
});
"##;

const REDOC_PAGE: &str = r##"<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Reynard World API reference</title>
</head>
<body>
  <redoc spec-url="/openapi.json" disable-search="false"></redoc>
  <script src="/api/docs/assets/redoc.standalone.js"></script>
</body>
</html>
"##;

/// The embedded assets: (file name, content type, bytes).
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("swagger-ui.css", "text/css; charset=utf-8", include_bytes!("../../assets/docs/swagger-ui.css")),
    ("swagger-ui-bundle.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/docs/swagger-ui-bundle.js")),
    (
        "swagger-ui-standalone-preset.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/docs/swagger-ui-standalone-preset.js"),
    ),
    ("redoc.standalone.js", "text/javascript; charset=utf-8", include_bytes!("../../assets/docs/redoc.standalone.js")),
    ("init.js", "text/javascript; charset=utf-8", SWAGGER_INIT.as_bytes()),
];

/// The documentation routes. They are not part of the documented API.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/docs", get(|| async { page(SWAGGER_PAGE) }))
        .route("/api/redoc", get(|| async { page(REDOC_PAGE) }))
        .route("/api/docs/assets/{file}", get(asset))
}

fn page(html: &'static str) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOCS_CSP));
    response
}

async fn asset(Path(file): Path<String>) -> Response {
    let Some((_, content_type, bytes)) = ASSETS.iter().find(|(name, _, _)| *name == file) else {
        return (StatusCode::NOT_FOUND, axum::Json(serde_json::json!({ "detail": format!("no documentation asset named '{file}'") })))
            .into_response();
    };
    let headers = [
        (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
        (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
        (header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(DOCS_CSP)),
    ];
    (headers, *bytes).into_response()
}
