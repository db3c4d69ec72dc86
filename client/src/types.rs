//! Request bodies, and the response shapes that only the server's HTTP layer
//! defines. Agent and world views come from `reynard_systems::views`, the
//! types the server itself serialises.
//!
//! Every type here matches the server's JSON field for field. The crate's
//! tests decode real responses into these types and encode them back to the
//! same JSON.

use std::collections::BTreeMap;
use std::fmt;

use reynard_systems::views::{BreedingStatsView, MateView, TimeView};
use reynard_systems::{Family, NamingStyle, Spirit, TraitName};
use serde::{Deserialize, Serialize, Serializer};

/// Access and refresh tokens from login or refresh.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `bearer`.
    pub token_type: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

/// Shows the token type and lifetime but never the tokens.
impl fmt::Debug for TokenPair {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("TokenPair")
            .field("access_token", &"<redacted>")
            .field("refresh_token", &"<redacted>")
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// The permission level of an account: `user` drives agents, and `admin`
/// also controls the clock, automatic breeding and exports.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    User,
    Admin,
}

/// An account, as `register` and `me` return it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub email: String,
    pub role: Role,
    /// RFC 3339 time of registration, in UTC.
    pub created_at: String,
}

/// The greeting of `GET /api/protected`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Greeting {
    pub message: String,
    pub user_id: String,
    pub role: Role,
}

/// The health report of `GET /api/health`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Health {
    /// Always `healthy`: an unhealthy server returns 503 instead.
    pub status: String,
    /// The last fixed step the world completed.
    pub tick: u64,
}

/// The world digest of `GET /api/ecs/digest`. Equal digests mean equal worlds.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct Digest {
    /// Hex-encoded SHA-256 of the world state.
    pub digest: String,
    /// The step the digest describes.
    pub tick: u64,
}

/// The world at a glance, from `GET /api/ecs/status`.
///
/// The server's `reynard_systems::views::StatusView` has a `&'static str`
/// status, which cannot be deserialised, so the client keeps this copy.
/// The `From` impl below names every field of the server's type, so a field
/// added there fails this crate's build until it is added here as well.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StatusView {
    /// Always `active`: a stopped world returns 503 instead.
    pub status: String,
    /// Entities in the world: every agent, living or dead.
    pub entity_count: usize,
    /// Living agents.
    pub agent_count: usize,
    /// Living adults and elders.
    pub mature_agents: usize,
    pub deceased_count: usize,
    /// Systems in the fixed-step schedule.
    pub system_count: usize,
    pub seed: u64,
    pub breeding_enabled: bool,
    pub max_agents: usize,
    #[serde(flatten)]
    pub time: TimeView,
}

impl From<reynard_systems::views::StatusView> for StatusView {
    fn from(view: reynard_systems::views::StatusView) -> Self {
        let reynard_systems::views::StatusView {
            status,
            entity_count,
            agent_count,
            mature_agents,
            deceased_count,
            system_count,
            seed,
            breeding_enabled,
            max_agents,
            time,
        } = view;
        StatusView {
            status: status.to_owned(),
            entity_count,
            agent_count,
            mature_agents,
            deceased_count,
            system_count,
            seed,
            breeding_enabled,
            max_agents,
            time,
        }
    }
}

/// Partners for one agent, from `GET /api/ecs/agents/{agent_id}/mates`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct MatesResponse {
    pub agent_id: String,
    /// Eligible partners, most compatible first.
    pub compatible_mates: Vec<MateView>,
}

/// The new automatic-breeding setting, from `POST /api/ecs/breeding/enable`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct EnableBreedingResponse {
    pub enabled: bool,
    /// `automatic breeding enabled` or `automatic breeding disabled`.
    pub message: String,
    pub stats: BreedingStatsView,
}

/// Every spirit, flat and by family, from `GET /api/ecs/naming/spirits`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SpiritList {
    pub spirits: Vec<Spirit>,
    pub families: Vec<SpiritFamily>,
    /// The spirit of agents created without one.
    pub default: Spirit,
}

/// The spirits of one family.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SpiritFamily {
    pub family: Family,
    pub spirits: Vec<Spirit>,
}

/// Every naming style, from `GET /api/ecs/naming/styles`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StyleList {
    pub styles: Vec<StyleInfo>,
    /// The style of agents created without one.
    pub default: NamingStyle,
}

/// A naming style with a description of the names it generates.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct StyleInfo {
    pub style: NamingStyle,
    pub description: String,
}

/// The body of `POST /api/ecs/agents`. Fields left `None` or empty are
/// chosen by the server: spirit `fox`, style `foundation`, a generated
/// name, age 0 and traits drawn around the spirit's profile.
#[derive(Serialize, Clone, Debug, Default, PartialEq)]
pub struct CreateAgentRequest {
    /// 1 to 64 characters of `A-Z a-z 0-9 . _ -`, unique forever.
    pub agent_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spirit: Option<Spirit>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub style: Option<NamingStyle>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Starting age in simulated years.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub age: Option<f64>,
    /// Trait values in [0, 1] to set instead of drawing them. A later value
    /// for the same trait replaces an earlier one.
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "serialize_traits")]
    pub traits: Vec<(TraitName, f64)>,
}

impl CreateAgentRequest {
    /// Starts a request for `agent_id` with every other field left to the server.
    pub fn new(agent_id: impl Into<String>) -> Self {
        CreateAgentRequest { agent_id: agent_id.into(), ..CreateAgentRequest::default() }
    }

    /// Sets the spirit.
    pub fn spirit(mut self, spirit: Spirit) -> Self {
        self.spirit = Some(spirit);
        self
    }

    /// Sets the naming style.
    pub fn style(mut self, style: NamingStyle) -> Self {
        self.style = Some(style);
        self
    }

    /// Sets the display name instead of generating one.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// Sets the starting age in simulated years.
    pub fn age(mut self, years: f64) -> Self {
        self.age = Some(years);
        self
    }

    /// Sets one trait value, in [0, 1].
    pub fn trait_value(mut self, name: TraitName, value: f64) -> Self {
        self.traits.push((name, value));
        self
    }
}

/// Writes trait overrides in the server's grouped form,
/// `{"personality": {"courage": 0.9}, ...}`.
fn serialize_traits<S: Serializer>(traits: &[(TraitName, f64)], serializer: S) -> Result<S::Ok, S::Error> {
    let mut groups: BTreeMap<&str, BTreeMap<&str, f64>> = BTreeMap::new();
    for (name, value) in traits {
        groups.entry(name.category().as_str()).or_default().insert(name.as_str(), *value);
    }
    groups.serialize(serializer)
}

/// The body of `POST /api/ecs/agents/offspring`.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct CreateOffspringRequest {
    pub parent1_id: String,
    pub parent2_id: String,
    /// The offspring's id, with the rules of [`CreateAgentRequest::agent_id`].
    pub offspring_id: String,
    /// Display name, generated from the parents when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl CreateOffspringRequest {
    /// Starts a request to breed `parent1` and `parent2` into `offspring_id`.
    pub fn new(parent1: impl Into<String>, parent2: impl Into<String>, offspring_id: impl Into<String>) -> Self {
        CreateOffspringRequest {
            parent1_id: parent1.into(),
            parent2_id: parent2.into(),
            offspring_id: offspring_id.into(),
            name: None,
        }
    }

    /// Sets the offspring's display name instead of generating one.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }
}
