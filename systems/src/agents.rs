//! Creating founder agents from a client's request.

use bevy_ecs::prelude::*;
use compact_str::CompactString;

use crate::error::SimError;
use crate::identity::{self, Identity};
use crate::lifecycle::{Age, LifeStage, lifespan_steps};
use crate::lineage::Lineage;
use crate::names;
use crate::registry::AgentIndex;
use crate::reproduction::Reproduction;
use crate::rng::WorldRng;
use crate::settings::Settings;
use crate::spirit::Spirit;
use crate::style::NamingStyle;
use crate::traits::{TraitName, Traits};

/// Spread of founder traits around their spirit's profile.
pub const FOUNDER_TRAIT_STDDEV: f64 = 0.1;

/// A request to create a founder: an agent without parents.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct NewAgent {
    pub agent_id: String,
    /// Display name; generated from spirit and style when absent.
    pub name: Option<String>,
    /// Defaults to fox.
    pub spirit: Option<Spirit>,
    /// Defaults to foundation.
    pub style: Option<NamingStyle>,
    /// Starting age in simulated years, 0 up to but excluding 100; defaults to 0.
    pub age_years: Option<f64>,
    /// Trait values to set instead of drawing them, each in [0, 1].
    pub traits: Vec<(TraitName, f64)>,
    /// Username of the requesting account, recorded on the agent.
    pub created_by: Option<String>,
}

impl NewAgent {
    /// Checks every field against its rule, naming the first field that fails.
    pub fn validate(&self) -> Result<(), SimError> {
        identity::check_client_id(&self.agent_id).map_err(|rule| SimError::invalid("agent_id", rule))?;
        if let Some(name) = &self.name {
            identity::check_name(name).map_err(|rule| SimError::invalid("name", rule))?;
        }
        if let Some(age) = self.age_years
            && (!age.is_finite() || !(0.0..100.0).contains(&age))
        {
            return Err(SimError::invalid("age", format!("must be at least 0 and below 100 years, got {age}")));
        }
        for (name, value) in &self.traits {
            if !value.is_finite() || !(0.0..=1.0).contains(value) {
                let field = format!("traits.{}.{}", name.category().as_str(), name.as_str());
                return Err(SimError::invalid(field, format!("must be between 0 and 1, got {value}")));
            }
        }
        Ok(())
    }
}

/// Creates a founder after checking the request, the id and the population cap.
/// Returns the new agent's entity; on error the world is unchanged.
pub fn create_agent(world: &mut World, request: NewAgent) -> Result<Entity, SimError> {
    request.validate()?;
    let settings = world.resource::<Settings>().clone();
    let index = world.resource::<AgentIndex>();
    if index.serial(&request.agent_id).is_some() {
        return Err(SimError::IdTaken { agent_id: request.agent_id });
    }
    if index.living >= settings.max_agents {
        return Err(SimError::PopulationFull { max_agents: settings.max_agents });
    }

    let spirit = request.spirit.unwrap_or_default();
    let style = request.style.unwrap_or_default();
    let (traits, name) = world.resource_scope(|world, mut rng: Mut<WorldRng>| {
        let mut traits = draw_founder_traits(&mut rng, spirit);
        for (name, value) in &request.traits {
            traits.set(*name, *value as f32);
        }
        let name = request.name.clone().unwrap_or_else(|| {
            let index = world.resource::<AgentIndex>();
            names::generate_unique(&mut rng, spirit, style, |name| index.name_is_living(name))
        });
        (traits, name)
    });

    let age_steps = settings.steps_for_years(request.age_years.unwrap_or(0.0));
    let age_steps = (age_steps as u32).min(lifespan_steps(settings.steps_per_year) - 1);
    let identity = Identity {
        agent_id: CompactString::from(request.agent_id.as_str()),
        name: CompactString::from(name.as_str()),
        spirit,
        style,
        created_by: request.created_by,
        serial: world.resource::<AgentIndex>().next_serial(),
    };
    let entity = world
        .spawn((
            traits,
            Age { steps: age_steps },
            LifeStage::for_age(age_steps, settings.steps_per_year),
            Reproduction::default(),
            Lineage { generation: 1, children: Vec::new(), inbreeding: 0.0 },
        ))
        .id();
    let mut index = world.resource_mut::<AgentIndex>();
    index.insert(&identity.agent_id, &identity.name, entity, None);
    if LifeStage::for_age(age_steps, settings.steps_per_year).is_mature() {
        index.mature += 1;
    }
    tracing::debug!(agent_id = %identity.agent_id, spirit = spirit.slug(), "founder created");
    world.entity_mut(entity).insert(identity);
    Ok(entity)
}

/// Draws every trait around the spirit's profile.
fn draw_founder_traits(rng: &mut WorldRng, spirit: Spirit) -> Traits {
    Traits::draw(rng, FOUNDER_TRAIT_STDDEV, |name| f64::from(spirit.trait_mean(name)))
}
