//! An async client for the Reynard World HTTP API.
//!
//! [`ReynardClient`] covers every route: accounts and sessions, agents,
//! manual and automatic breeding, lineage, the clock, and world status,
//! digest and export. It keeps the tokens of the last login and refreshes
//! the access token when the server rejects it.
//!
//! Responses use the types the server serialises, from
//! [`reynard_systems::views`], so the two cannot drift apart. The few
//! shapes only the server's HTTP layer defines are in [`types`].
//!
//! ```no_run
//! use reynard_client::{NamingStyle, ReynardClient, Spirit};
//!
//! # async fn tour() -> Result<(), reynard_client::ClientError> {
//! let client = ReynardClient::new("http://127.0.0.1:8000")?;
//! client.login("admin", "change-me-now").await?;
//! let vixen = client.create_agent("vixen", Spirit::Fox, NamingStyle::Foundation).await?;
//! println!("{} is {} years old", vixen.summary.name, vixen.summary.age);
//! # Ok(())
//! # }
//! ```

mod agents;
mod auth;
mod breeding;
mod client;
mod error;
mod time;
pub mod types;
mod world;

pub use agents::MAX_PAGE_SIZE;
pub use client::{ReynardClient, CONNECT_TIMEOUT, REQUEST_TIMEOUT};
pub use error::ClientError;
pub use reqwest::StatusCode;
pub use reynard_systems::views::{
    AgentDetail, AgentPage, AgentSummary, BreedingStatsView, CompatibilityView, LineageView, MateView, Relative,
    TimeView, TraitsView,
};
pub use reynard_systems::{
    AgentFilter, Family, LifeStage, NamingStyle, Spirit, TraitCategory, TraitName, WorldSnapshot,
};
pub use types::{
    CreateAgentRequest, CreateOffspringRequest, Digest, EnableBreedingResponse, Greeting, Health, MatesResponse, Role,
    SpiritFamily, SpiritList, StatusView, StyleInfo, StyleList, TokenPair, User,
};
