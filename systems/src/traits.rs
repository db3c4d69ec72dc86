//! Trait values: personality, physical and abilities, each a number in [0, 1].

use bevy_ecs::component::Component;

use crate::rng::WorldRng;

/// Defines `TraitName` with its category ranges and snake_case names in one place.
macro_rules! trait_names {
    ($($category:ident: [$($variant:ident => $name:literal),+ $(,)?]),+ $(,)?) => {
        /// The name of one trait. Its discriminant is its index in [`Traits::values`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[repr(u8)]
        pub enum TraitName {
            $($($variant,)+)+
        }

        impl TraitName {
            /// Every trait in index order: personality, then physical, then abilities.
            pub const ALL: &'static [TraitName] = &[$($(TraitName::$variant,)+)+];

            /// Returns the snake_case name used in JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($(TraitName::$variant => $name,)+)+
                }
            }

            /// Returns the category this trait is listed under.
            pub fn category(self) -> TraitCategory {
                match self {
                    $($(TraitName::$variant => TraitCategory::$category,)+)+
                }
            }
        }
    };
}

trait_names! {
    Personality: [
        Dominance => "dominance", Independence => "independence", Patience => "patience",
        Aggression => "aggression", Charisma => "charisma", Creativity => "creativity",
        Perfectionism => "perfectionism", Adaptability => "adaptability",
        Playfulness => "playfulness", Intelligence => "intelligence", Loyalty => "loyalty",
        Curiosity => "curiosity", Courage => "courage", Empathy => "empathy",
        Determination => "determination", Spontaneity => "spontaneity",
    ],
    Physical: [
        Size => "size", Strength => "strength", Agility => "agility", Endurance => "endurance",
        Appearance => "appearance", Grace => "grace", Speed => "speed",
        Coordination => "coordination", Stamina => "stamina", Flexibility => "flexibility",
        Reflexes => "reflexes", Vitality => "vitality",
    ],
    Abilities: [
        Strategist => "strategist", Hunter => "hunter", Teacher => "teacher", Artist => "artist",
        Healer => "healer", Inventor => "inventor", Explorer => "explorer",
        Guardian => "guardian", Diplomat => "diplomat", Warrior => "warrior",
        Scholar => "scholar", Performer => "performer", Builder => "builder",
        Navigator => "navigator", Communicator => "communicator", Leader => "leader",
    ],
}

/// Number of traits of all categories.
pub const TRAIT_COUNT: usize = 44;

/// Number of personality traits; they occupy the first indices of [`Traits::values`].
pub const PERSONALITY_COUNT: usize = 16;

/// The three groups traits are listed under in the API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TraitCategory {
    Personality,
    Physical,
    Abilities,
}

impl TraitCategory {
    /// Every category, in the order the API lists them.
    pub const ALL: [TraitCategory; 3] = [TraitCategory::Personality, TraitCategory::Physical, TraitCategory::Abilities];

    /// Returns the JSON key of this category.
    pub fn as_str(self) -> &'static str {
        match self {
            TraitCategory::Personality => "personality",
            TraitCategory::Physical => "physical",
            TraitCategory::Abilities => "abilities",
        }
    }

    /// Lists the traits of this category, in index order.
    pub fn traits(self) -> impl Iterator<Item = TraitName> {
        TraitName::ALL.iter().copied().filter(move |name| name.category() == self)
    }
}

impl serde::Serialize for TraitName {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for TraitName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = String::deserialize(deserializer)?;
        TraitName::ALL
            .iter()
            .copied()
            .find(|candidate| candidate.as_str() == name)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown trait '{name}'")))
    }
}

impl TraitName {
    /// Looks a trait up by its name within one category.
    pub fn find(category: TraitCategory, name: &str) -> Option<TraitName> {
        category.traits().find(|candidate| candidate.as_str() == name)
    }
}

/// All trait values of one agent, indexed by [`TraitName`]. Every value is in [0, 1].
#[derive(Component, Clone, Debug, PartialEq)]
pub struct Traits {
    /// One value per trait, in [`TraitName::ALL`] order.
    pub values: [f32; TRAIT_COUNT],
}

impl Traits {
    /// Draws every trait, in [`TraitName::ALL`] order, as `mean(name)` plus
    /// normal noise of standard deviation `stddev`, clamped into [0, 1].
    pub fn draw(rng: &mut WorldRng, stddev: f64, mean: impl Fn(TraitName) -> f64) -> Traits {
        let mut traits = Traits { values: [0.0; TRAIT_COUNT] };
        for name in TraitName::ALL {
            traits.set(*name, (mean(*name) + rng.normal(stddev)) as f32);
        }
        traits
    }

    /// Returns the value of one trait.
    pub fn get(&self, name: TraitName) -> f32 {
        self.values[name as usize]
    }

    /// Sets one trait, clamping the value into [0, 1].
    pub fn set(&mut self, name: TraitName, value: f32) {
        self.values[name as usize] = value.clamp(0.0, 1.0);
    }

    /// Returns the personality traits, the part that compatibility compares.
    pub fn personality(&self) -> &[f32] {
        &self.values[..PERSONALITY_COUNT]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn categories_have_expected_sizes() {
        assert_eq!(TraitName::ALL.len(), TRAIT_COUNT);
        assert_eq!(TraitCategory::Personality.traits().count(), PERSONALITY_COUNT);
        assert_eq!(TraitCategory::Physical.traits().count(), 12);
        assert_eq!(TraitCategory::Abilities.traits().count(), 16);
    }

    #[test]
    fn discriminants_match_positions() {
        for (index, name) in TraitName::ALL.iter().enumerate() {
            assert_eq!(*name as usize, index);
        }
    }

    #[test]
    fn find_is_scoped_to_category() {
        assert_eq!(TraitName::find(TraitCategory::Physical, "speed"), Some(TraitName::Speed));
        assert_eq!(TraitName::find(TraitCategory::Personality, "speed"), None);
    }

    #[test]
    fn set_clamps_into_unit_range() {
        let mut traits = Traits { values: [0.5; TRAIT_COUNT] };
        traits.set(TraitName::Courage, 1.7);
        traits.set(TraitName::Speed, -0.2);
        assert_eq!(traits.get(TraitName::Courage), 1.0);
        assert_eq!(traits.get(TraitName::Speed), 0.0);
    }
}
