//! Read-only, serialisable views of agents and of the world, built by the queries.

use std::collections::BTreeMap;

use serde::de::{self, Deserialize, Deserializer};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde::{Deserialize as DeriveDeserialize, Serialize as DeriveSerialize};

use crate::lifecycle::LifeStage;
use crate::spirit::Spirit;
use crate::style::NamingStyle;
use crate::traits::{TraitCategory, TraitName, Traits, TRAIT_COUNT};

/// The fields every agent listing shows.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(DeriveSerialize, DeriveDeserialize, Clone, Debug, PartialEq)]
pub struct AgentSummary {
    pub agent_id: String,
    pub name: String,
    pub spirit: Spirit,
    pub style: NamingStyle,
    /// False once the agent has died.
    pub active: bool,
    /// Age in simulated years.
    pub age: f64,
    pub stage: LifeStage,
    pub generation: u32,
}

/// Everything about one agent.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(DeriveSerialize, DeriveDeserialize, Clone, Debug, PartialEq)]
pub struct AgentDetail {
    #[serde(flatten)]
    pub summary: AgentSummary,
    /// `{"personality": {...}, "physical": {...}, "abilities": {...}}`, each trait in [0, 1].
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub traits: TraitsView,
    pub offspring_count: u32,
    /// Simulated years left before the agent may breed again.
    pub breeding_cooldown_years: f64,
    /// Whether the agent may breed now, leaving kinship aside.
    pub can_breed: bool,
    /// Ids of the two parents; empty for founders.
    pub parents: Vec<String>,
    /// Ids of the children, in birth order.
    pub children: Vec<String>,
    pub inbreeding_coefficient: f64,
    /// Simulated year in which the agent died, if it has.
    pub died_at_year: Option<f64>,
    /// Username of the account that created the agent; null for automatic births.
    pub created_by: Option<String>,
}

/// Trait values grouped as `{"personality": {...}, "physical": {...}, "abilities": {...}}`,
/// each group in the canonical trait order.
#[derive(Clone, Debug, PartialEq)]
pub struct TraitsView(pub Traits);

impl Serialize for TraitsView {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        struct Group<'a>(&'a Traits, TraitCategory);

        impl Serialize for Group<'_> {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(None)?;
                for name in self.1.traits() {
                    map.serialize_entry(name.as_str(), &self.0.get(name))?;
                }
                map.end()
            }
        }

        let mut map = serializer.serialize_map(Some(TraitCategory::ALL.len()))?;
        for category in TraitCategory::ALL {
            map.serialize_entry(category.as_str(), &Group(&self.0, category))?;
        }
        map.end()
    }
}

/// Reads the grouped form that `Serialize` writes. Every trait must be present
/// under its own category, and unknown categories and names are rejected.
impl<'de> Deserialize<'de> for TraitsView {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let groups = BTreeMap::<String, BTreeMap<String, f32>>::deserialize(deserializer)?;
        let mut values = [0.0; TRAIT_COUNT];
        let mut present = [false; TRAIT_COUNT];
        for (category_name, group) in groups {
            let category = TraitCategory::ALL
                .into_iter()
                .find(|category| category.as_str() == category_name)
                .ok_or_else(|| de::Error::custom(format!("unknown trait category '{category_name}'")))?;
            for (name, value) in group {
                let trait_name = TraitName::find(category, &name)
                    .ok_or_else(|| de::Error::custom(format!("'{name}' is not a {category_name} trait")))?;
                values[trait_name as usize] = value;
                present[trait_name as usize] = true;
            }
        }

        if let Some(missing) = TraitName::ALL.iter().find(|name| !present[**name as usize]) {
            return Err(de::Error::custom(format!("trait '{}' is missing", missing.as_str())));
        }
        Ok(TraitsView(Traits { values }))
    }
}

/// A page of agents.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(DeriveSerialize, DeriveDeserialize, Clone, Debug, PartialEq)]
pub struct AgentPage {
    pub agents: Vec<AgentSummary>,
    /// Pass as `cursor` to fetch the next page; `None` on the last page.
    pub next_cursor: Option<String>,
}

/// A possible partner in mate search.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(DeriveSerialize, DeriveDeserialize, Clone, Debug, PartialEq)]
pub struct MateView {
    pub agent_id: String,
    pub name: String,
    pub spirit: Spirit,
    pub compatibility: f64,
}

/// Compatibility of two agents and whether they may breed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(DeriveSerialize, DeriveDeserialize, Clone, Debug, PartialEq)]
pub struct CompatibilityView {
    pub agent_id: String,
    pub other_id: String,
    pub compatibility: f64,
    pub analysis: String,
    /// Eligible and at least 0.7 compatible.
    pub recommended: bool,
    pub kinship: f64,
    pub eligible: bool,
    /// Every rule that makes the pair ineligible; omitted when eligible.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<String>,
}

/// A relative in a lineage view.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(DeriveSerialize, DeriveDeserialize, Clone, Debug, PartialEq)]
pub struct Relative {
    pub agent_id: String,
    pub name: String,
    /// Generations between this relative and the agent the view is about.
    pub distance: u32,
}

/// An agent's family tree up to a depth.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(DeriveSerialize, DeriveDeserialize, Clone, Debug, PartialEq)]
pub struct LineageView {
    pub agent: Relative,
    pub generation: u32,
    pub parents: Vec<Relative>,
    pub children: Vec<Relative>,
    /// Ancestors up to the requested depth, nearest first.
    pub ancestors: Vec<Relative>,
    /// Descendants up to the requested depth, nearest first.
    pub descendants: Vec<Relative>,
    pub inbreeding_coefficient: f64,
}

/// Population and breeding figures.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(DeriveSerialize, DeriveDeserialize, Clone, Debug, PartialEq)]
pub struct BreedingStatsView {
    /// Living agents.
    pub total_agents: usize,
    /// Living adults and elders.
    pub mature_agents: usize,
    /// Offspring born since the world began, alive or dead.
    pub total_offspring: u64,
    /// Offspring born per agent ever created.
    pub average_offspring_per_agent: f64,
    pub enabled: bool,
    pub births: u64,
    pub deaths: usize,
    pub last_pass_tick: Option<u64>,
    pub last_pass_pairs: usize,
    pub interval_years: f64,
}

/// The clock, as the time endpoints show it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(DeriveSerialize, DeriveDeserialize, Clone, Debug, PartialEq)]
pub struct TimeView {
    pub tick: u64,
    pub simulation_years: f64,
    /// Acceleration set by configuration or the API.
    pub acceleration: f64,
    /// Acceleration achieved over the last second of real time; 0 while paused.
    pub effective_acceleration: f64,
    pub paused: bool,
    pub steps_per_year: u32,
    /// Real seconds one simulated year lasts at acceleration 1.
    pub seconds_per_year: f64,
}

/// The world at a glance.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(DeriveSerialize, Clone, Debug, PartialEq)]
pub struct StatusView {
    pub status: &'static str,
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
