//! Age, life stage and death, and the aging system that advances them each fixed step.

use bevy_ecs::prelude::*;
use serde::{Deserialize, Serialize};

use crate::clock::SimClock;
use crate::identity::Identity;
use crate::registry::AgentIndex;
use crate::reproduction::Reproduction;
use crate::settings::Settings;

/// Years at which an agent leaves infancy, youth, adulthood and old age; at the
/// last one it dies.
pub const STAGE_ENDS_YEARS: [u32; 4] = [5, 18, 80, 100];

/// Age in whole fixed steps, so long runs never drift.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Age {
    pub steps: u32,
}

/// The stage of life, which decides who may breed: only adults.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LifeStage {
    Infant,
    Juvenile,
    Adult,
    Elder,
}

impl LifeStage {
    /// Every stage, youngest first.
    pub const ALL: [LifeStage; 4] = [LifeStage::Infant, LifeStage::Juvenile, LifeStage::Adult, LifeStage::Elder];

    /// Returns the stage of an agent aged `steps`. Ages at or past death count as elder.
    pub fn for_age(steps: u32, steps_per_year: u32) -> LifeStage {
        let years_end = |index: usize| STAGE_ENDS_YEARS[index] * steps_per_year;
        if steps < years_end(0) {
            LifeStage::Infant
        } else if steps < years_end(1) {
            LifeStage::Juvenile
        } else if steps < years_end(2) {
            LifeStage::Adult
        } else {
            LifeStage::Elder
        }
    }

    /// Returns the lower-case name used in JSON and query strings.
    pub fn slug(self) -> &'static str {
        match self {
            LifeStage::Infant => "infant",
            LifeStage::Juvenile => "juvenile",
            LifeStage::Adult => "adult",
            LifeStage::Elder => "elder",
        }
    }

    /// Checks whether the stage counts as mature: adults and elders.
    pub fn is_mature(self) -> bool {
        matches!(self, LifeStage::Adult | LifeStage::Elder)
    }
}

impl std::str::FromStr for LifeStage {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        LifeStage::ALL.into_iter().find(|stage| stage.slug() == text).ok_or(())
    }
}

/// Marks a dead agent. It stays in the world so lineage stays whole, but it no
/// longer ages, breeds or counts as living.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deceased {
    /// The tick of the step in which the agent died.
    pub at_tick: u64,
}

/// Steps at which an agent dies of old age.
pub fn lifespan_steps(steps_per_year: u32) -> u32 {
    STAGE_ENDS_YEARS[3] * steps_per_year
}

/// Ages every living agent by one step, counts down breeding cooldowns, moves
/// agents into their next stage at exact boundaries and marks those reaching
/// 100 years as deceased.
///
/// Nothing reads change ticks, so the loop bypasses change detection: writing
/// a tick per component per agent would add a third to the memory it touches.
/// The query leaves out `Entity`: reading it for every agent costs as much
/// memory traffic as the counters themselves, and the rare death finds it
/// through the index instead.
pub fn age_agents(
    mut commands: Commands,
    settings: Res<Settings>,
    clock: Res<SimClock>,
    mut index: ResMut<AgentIndex>,
    mut agents: Query<(&Identity, &mut Age, &mut LifeStage, &mut Reproduction), Without<Deceased>>,
) {
    let steps_per_year = settings.steps_per_year;
    let lifespan = lifespan_steps(steps_per_year);
    let index = index.bypass_change_detection();

    for (identity, mut age, mut stage, mut reproduction) in &mut agents {
        let age = age.bypass_change_detection();
        let stage = stage.bypass_change_detection();
        let reproduction = reproduction.bypass_change_detection();
        age.steps += 1;
        reproduction.cooldown_steps = reproduction.cooldown_steps.saturating_sub(1);

        let next = LifeStage::for_age(age.steps, steps_per_year);
        if next != *stage {
            if next == LifeStage::Adult {
                index.mature += 1;
            }
            *stage = next;
        }
        if age.steps >= lifespan {
            commands.entity(index.entity(identity.serial)).insert(Deceased { at_tick: clock.tick });
            index.record_death(&identity.name);
            tracing::debug!(agent_id = %identity.agent_id, tick = clock.tick, "agent died of old age");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_boundaries_are_exact() {
        let per_year = 52;
        assert_eq!(LifeStage::for_age(5 * per_year - 1, per_year), LifeStage::Infant);
        assert_eq!(LifeStage::for_age(5 * per_year, per_year), LifeStage::Juvenile);
        assert_eq!(LifeStage::for_age(18 * per_year - 1, per_year), LifeStage::Juvenile);
        assert_eq!(LifeStage::for_age(18 * per_year, per_year), LifeStage::Adult);
        assert_eq!(LifeStage::for_age(80 * per_year - 1, per_year), LifeStage::Adult);
        assert_eq!(LifeStage::for_age(80 * per_year, per_year), LifeStage::Elder);
    }
}
