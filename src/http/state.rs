//! [`AppState`]: what every handler can reach.

use std::net::IpAddr;
use std::sync::Arc;

use axum::extract::FromRef;

use crate::auth::Auth;
use crate::config::HttpConfig;
use crate::world::WorldHandle;

/// Shared state of the router; cloning it is cheap.
#[derive(Clone)]
pub struct AppState {
    /// Sends commands to the world thread.
    pub world: WorldHandle,
    /// Accounts, tokens and login throttles.
    pub auth: Arc<Auth>,
    /// CORS origins, trusted hosts and HSTS.
    pub http: Arc<HttpConfig>,
    /// Peers whose `X-Forwarded-For` header names the real client.
    pub trusted_proxies: Arc<Vec<IpAddr>>,
    /// Fixed steps each successful MCP tool call advances the clock by.
    pub mcp_nudge_steps: u32,
}

impl FromRef<AppState> for WorldHandle {
    fn from_ref(state: &AppState) -> Self {
        state.world.clone()
    }
}
