//! [`ReynardClient`]: the connection settings, the held tokens, and the one
//! request path every endpoint method goes through.

use std::time::Duration;

use reqwest::{Method, Response, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::error::ClientError;
use crate::types::TokenPair;

/// Maximum time one request may take, connection included, in the client
/// that [`ReynardClient::new`] builds.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Maximum time to establish a connection in the client that
/// [`ReynardClient::new`] builds.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// An async client for one Reynard World server.
///
/// It stores the access and refresh tokens of the last login. Every
/// `/api/ecs` and account request sends the access token. When the server
/// returns 401 and a refresh token is held, the client spends it at
/// `POST /api/auth/refresh`, stores the new pair and retries the request once.
/// Concurrent requests that fail together share that one refresh, because
/// the server revokes the whole session when a refresh token is presented twice.
///
/// The client is `Send + Sync`; share it between tasks behind an `Arc`.
pub struct ReynardClient {
    http: reqwest::Client,
    base: Url,
    tokens: Mutex<Option<Session>>,
}

/// Shows the base URL and whether a session is held, never the tokens.
impl std::fmt::Debug for ReynardClient {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // `None` while a request holds the token lock for a refresh.
        let logged_in = self.tokens.try_lock().map(|tokens| tokens.is_some()).ok();
        formatter
            .debug_struct("ReynardClient")
            .field("base_url", &self.base.as_str())
            .field("logged_in", &logged_in)
            .finish()
    }
}

/// The tokens of the current login.
#[derive(Clone)]
struct Session {
    access_token: String,
    refresh_token: String,
}

/// One request, kept so that it can be sent again after a refresh.
pub(crate) struct Call {
    method: Method,
    url: Url,
    body: Option<Vec<u8>>,
    /// Whether to send the access token and refresh it on a 401.
    authenticated: bool,
}

impl Call {
    /// Builds a request without a body. An `authenticated` request sends the
    /// access token and is retried once after a refresh when it gets 401.
    pub(crate) fn new(method: Method, url: Url, authenticated: bool) -> Self {
        Call { method, url, body: None, authenticated }
    }

    /// Sets `body`, serialised as JSON, as the request body.
    pub(crate) fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Some(serde_json::to_vec(body).expect("request bodies always serialise to JSON"));
        self
    }
}

/// The body of every error response.
#[derive(Deserialize)]
struct ErrorBody {
    detail: String,
}

#[derive(Serialize)]
struct RefreshBody<'a> {
    refresh_token: &'a str,
}

impl ReynardClient {
    /// Builds a client for the server at `base_url`, such as
    /// `http://127.0.0.1:8000`, with [`REQUEST_TIMEOUT`] and
    /// [`CONNECT_TIMEOUT`]. A path in the URL is kept as a prefix of every
    /// API path. Proxies named in the environment (`HTTP_PROXY`, `NO_PROXY`)
    /// apply.
    ///
    /// NOTE: this crate enables no TLS feature of reqwest, so `https` URLs
    /// fail with [`ClientError::Transport`] unless another crate in the build
    /// enables one.
    pub fn new(base_url: &str) -> Result<Self, ClientError> {
        let http = reqwest::Client::builder().timeout(REQUEST_TIMEOUT).connect_timeout(CONNECT_TIMEOUT).build()?;
        Self::with_http_client(base_url, http)
    }

    /// Builds a client that sends its requests through `http`, for custom
    /// timeouts, proxies or headers.
    pub fn with_http_client(base_url: &str, http: reqwest::Client) -> Result<Self, ClientError> {
        let invalid = |reason: String| ClientError::InvalidBaseUrl { url: base_url.to_owned(), reason };
        let base = Url::parse(base_url).map_err(|error| invalid(error.to_string()))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(invalid(format!("the scheme must be http or https, got '{}'", base.scheme())));
        }
        if base.query().is_some() || base.fragment().is_some() {
            return Err(invalid("the URL must not have a query or fragment".to_owned()));
        }
        Ok(ReynardClient { http, base, tokens: Mutex::new(None) })
    }

    /// Returns the base URL as parsed.
    pub fn base_url(&self) -> &Url {
        &self.base
    }

    /// Returns the access token held, if any.
    pub async fn access_token(&self) -> Option<String> {
        self.tokens.lock().await.as_ref().map(|session| session.access_token.clone())
    }

    /// Returns the refresh token held, if any.
    pub async fn refresh_token(&self) -> Option<String> {
        self.tokens.lock().await.as_ref().map(|session| session.refresh_token.clone())
    }

    /// Replaces the held tokens, for example to resume a saved session.
    pub async fn set_tokens(&self, access_token: impl Into<String>, refresh_token: impl Into<String>) {
        let session = Session { access_token: access_token.into(), refresh_token: refresh_token.into() };
        *self.tokens.lock().await = Some(session);
    }

    /// Forgets the held tokens without revoking them on the server.
    /// [`ReynardClient::logout`] revokes them as well.
    pub async fn clear_tokens(&self) {
        *self.tokens.lock().await = None;
    }

    pub(crate) async fn store_pair(&self, pair: &TokenPair) {
        self.set_tokens(pair.access_token.clone(), pair.refresh_token.clone()).await;
    }

    /// Builds the URL of `segments` under the base URL, percent-encoding
    /// each segment, so an agent id is always one path segment.
    pub(crate) fn url(&self, segments: &[&str]) -> Url {
        let mut url = self.base.clone();
        url.path_segments_mut().expect("http and https URLs always have a path").pop_if_empty().extend(segments);
        url
    }

    /// Builds the URL of `segments` with the query parameters in `pairs`
    /// that are `Some`.
    pub(crate) fn url_with_query(&self, segments: &[&str], pairs: &[(&str, Option<String>)]) -> Url {
        let mut url = self.url(segments);
        let present: Vec<(&str, &str)> =
            pairs.iter().filter_map(|(key, value)| value.as_deref().map(|value| (*key, value))).collect();
        if !present.is_empty() {
            url.query_pairs_mut().extend_pairs(present);
        }
        url
    }

    /// Sends `call` and decodes a success body as `T`.
    pub(crate) async fn fetch<T: DeserializeOwned>(&self, call: Call) -> Result<T, ClientError> {
        let path = call.url.path().to_owned();
        decode(&path, self.send(call).await?).await
    }

    /// Sends `call` and returns the success response; any other status
    /// becomes [`ClientError::Api`]. An authenticated call that gets 401 is
    /// sent once more after a refresh, when a refresh token is held.
    pub(crate) async fn send(&self, call: Call) -> Result<Response, ClientError> {
        let used_token = if call.authenticated { self.access_token().await } else { None };
        let response = self.dispatch(&call, used_token.as_deref()).await?;
        if response.status() != StatusCode::UNAUTHORIZED || !call.authenticated {
            return check(response).await;
        }

        if !self.refresh_after(used_token.as_deref()).await? {
            return check(response).await;
        }
        tracing::debug!(method = %call.method, path = call.url.path(), "retrying with the refreshed access token");
        let token = self.access_token().await;
        check(self.dispatch(&call, token.as_deref()).await?).await
    }

    async fn dispatch(&self, call: &Call, token: Option<&str>) -> Result<Response, ClientError> {
        let mut request = self.http.request(call.method.clone(), call.url.clone());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = &call.body {
            request = request.header(reqwest::header::CONTENT_TYPE, "application/json").body(body.clone());
        }
        Ok(request.send().await?)
    }

    /// Makes sure the held access token is newer than `used_token`, the one
    /// a request was rejected with. Returns whether the request is worth
    /// retrying, which is false when no session is held.
    ///
    /// The lock is held across the refresh, so concurrent callers wait for
    /// it and then retry with its result instead of spending the refresh
    /// token a second time.
    async fn refresh_after(&self, used_token: Option<&str>) -> Result<bool, ClientError> {
        let mut tokens = self.tokens.lock().await;
        let Some(session) = tokens.as_ref() else {
            return Ok(false);
        };
        if used_token != Some(session.access_token.as_str()) {
            return Ok(true);
        }

        self.renew(&mut tokens).await.map(|_| true)
    }

    /// Spends the held refresh token, stores the new pair and returns it.
    pub async fn refresh(&self) -> Result<TokenPair, ClientError> {
        let mut tokens = self.tokens.lock().await;
        self.renew(&mut tokens).await
    }

    /// Spends the refresh token in `tokens` and replaces them with the new
    /// pair. A refresh token the server rejects (401) is of no further use,
    /// so `tokens` is then cleared.
    async fn renew(&self, tokens: &mut Option<Session>) -> Result<TokenPair, ClientError> {
        let refresh_token = tokens.as_ref().ok_or(ClientError::NotLoggedIn)?.refresh_token.clone();
        let outcome = self.post_refresh(&refresh_token).await;
        match outcome {
            Ok(pair) => {
                *tokens = Some(Session {
                    access_token: pair.access_token.clone(),
                    refresh_token: pair.refresh_token.clone(),
                });
                Ok(pair)
            }
            Err(error) => {
                if error.status() == Some(StatusCode::UNAUTHORIZED) {
                    tracing::debug!(%error, "refresh token rejected; forgetting the session");
                    *tokens = None;
                }
                Err(error)
            }
        }
    }

    /// Sends `POST /api/auth/refresh` once. It bypasses `send`, which would
    /// refresh on a 401 and so call back here.
    async fn post_refresh(&self, refresh_token: &str) -> Result<TokenPair, ClientError> {
        let url = self.url(&["api", "auth", "refresh"]);
        let call = Call::new(Method::POST, url, false).json(&RefreshBody { refresh_token });
        let response = check(self.dispatch(&call, None).await?).await?;
        decode(call.url.path(), response).await
    }
}

/// Decodes the JSON body of a success response to a request for `path`.
async fn decode<T: DeserializeOwned>(path: &str, response: Response) -> Result<T, ClientError> {
    let bytes = response.bytes().await?;
    serde_json::from_slice(&bytes).map_err(|source| ClientError::Decode { path: path.to_owned(), source })
}

/// Passes a success response through and turns any other into [`ClientError::Api`].
async fn check(response: Response) -> Result<Response, ClientError> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let text = response.text().await?;
    let detail = match serde_json::from_str::<ErrorBody>(&text) {
        Ok(body) => body.detail,
        Err(_) if text.trim().is_empty() => status.canonical_reason().unwrap_or("no detail").to_owned(),
        Err(_) => text,
    };
    Err(ClientError::Api { status, detail })
}
