//! Animal spirits, their families, and the trait profile each family leans towards.

use serde::{Deserialize, Serialize};

use crate::traits::TraitName;

/// Defines the `Spirit` enum together with its slug table and family table, so
/// the three can never list different spirits.
macro_rules! spirits {
    ($($family:ident: [$($variant:ident => $slug:literal),+ $(,)?]),+ $(,)?) => {
        /// The animal spirit of an agent. It shapes the trait profile new agents
        /// are drawn around and the root word of generated names.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum Spirit {
            $($(
                #[serde(rename = $slug)]
                $variant,
            )+)+
        }

        impl Spirit {
            /// Every spirit, grouped by family in the order the API lists them.
            pub const ALL: &'static [Spirit] = &[$($(Spirit::$variant,)+)+];

            /// The lower-case name used in JSON and query strings.
            pub fn slug(self) -> &'static str {
                match self {
                    $($(Spirit::$variant => $slug,)+)+
                }
            }

            /// The family this spirit belongs to.
            pub fn family(self) -> Family {
                match self {
                    $($(Spirit::$variant => Family::$family,)+)+
                }
            }
        }
    };
}

spirits! {
    Canine: [Fox => "fox", Wolf => "wolf", Coyote => "coyote", Jackal => "jackal"],
    Aquatic: [
        Otter => "otter", Dolphin => "dolphin", Whale => "whale", Shark => "shark",
        Octopus => "octopus", Axolotl => "axolotl",
    ],
    Avian: [Eagle => "eagle", Falcon => "falcon", Raven => "raven", Owl => "owl", Hawk => "hawk"],
    Feline: [
        Lion => "lion", Tiger => "tiger", Leopard => "leopard", Jaguar => "jaguar",
        Cheetah => "cheetah", Lynx => "lynx",
    ],
    Giant: [Bear => "bear", Panda => "panda", Elephant => "elephant", Rhino => "rhino"],
    Primate: [Ape => "ape", Monkey => "monkey", Lemur => "lemur"],
    Reptile: [Snake => "snake", Lizard => "lizard", Turtle => "turtle", Frog => "frog"],
    Insect: [
        Spider => "spider", Ant => "ant", Bee => "bee", Mantis => "mantis",
        Dragonfly => "dragonfly",
    ],
    Exotic: [
        Pangolin => "pangolin", Platypus => "platypus", Narwhal => "narwhal", Quokka => "quokka",
        Capybara => "capybara", AyeAye => "aye-aye", Kiwi => "kiwi", Toucan => "toucan",
        Flamingo => "flamingo", Peacock => "peacock",
    ],
    Mythical: [
        Dragon => "dragon", Phoenix => "phoenix", Griffin => "griffin", Unicorn => "unicorn",
        Kraken => "kraken", Basilisk => "basilisk", Chimera => "chimera", Sphinx => "sphinx",
        Manticore => "manticore", Hydra => "hydra",
    ],
    Cosmic: [Alien => "alien", Void => "void", Star => "star", Nebula => "nebula", Blackhole => "blackhole"],
    Cryptid: [
        Yeti => "yeti", LochNess => "loch-ness", Chupacabra => "chupacabra",
        Wendigo => "wendigo", Skinwalker => "skinwalker",
    ],
}

impl Default for Spirit {
    fn default() -> Self {
        Spirit::Fox
    }
}

impl std::str::FromStr for Spirit {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Spirit::ALL.iter().copied().find(|spirit| spirit.slug() == text).ok_or(())
    }
}

/// A group of related spirits that share a trait profile.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Canine,
    Aquatic,
    Avian,
    Feline,
    Giant,
    Primate,
    Reptile,
    Insect,
    Exotic,
    Mythical,
    Cosmic,
    Cryptid,
}

impl Family {
    /// Every family, in the order the API lists them.
    pub const ALL: [Family; 12] = [
        Family::Canine,
        Family::Aquatic,
        Family::Avian,
        Family::Feline,
        Family::Giant,
        Family::Primate,
        Family::Reptile,
        Family::Insect,
        Family::Exotic,
        Family::Mythical,
        Family::Cosmic,
        Family::Cryptid,
    ];

    /// The spirits of this family.
    pub fn spirits(self) -> impl Iterator<Item = Spirit> {
        Spirit::ALL.iter().copied().filter(move |spirit| spirit.family() == self)
    }

    /// The traits this family leans towards, as (trait, mean) pairs. Traits not
    /// listed have a mean of 0.5.
    pub fn leanings(self) -> &'static [(TraitName, f32)] {
        use TraitName::*;
        match self {
            Family::Canine => &[(Loyalty, 0.8), (Intelligence, 0.7), (Curiosity, 0.7), (Hunter, 0.7), (Endurance, 0.7)],
            Family::Aquatic => &[(Playfulness, 0.75), (Adaptability, 0.7), (Flexibility, 0.75), (Explorer, 0.7), (Grace, 0.7)],
            Family::Avian => &[(Independence, 0.75), (Patience, 0.7), (Speed, 0.75), (Navigator, 0.8), (Reflexes, 0.7)],
            Family::Feline => &[(Dominance, 0.75), (Courage, 0.75), (Agility, 0.8), (Grace, 0.75), (Warrior, 0.7)],
            Family::Giant => &[(Strength, 0.85), (Size, 0.85), (Patience, 0.7), (Guardian, 0.8), (Speed, 0.3)],
            Family::Primate => &[(Intelligence, 0.8), (Creativity, 0.7), (Charisma, 0.65), (Builder, 0.7), (Inventor, 0.65)],
            Family::Reptile => &[(Patience, 0.8), (Adaptability, 0.7), (Spontaneity, 0.3), (Vitality, 0.7), (Empathy, 0.3)],
            Family::Insect => &[(Determination, 0.85), (Perfectionism, 0.8), (Builder, 0.8), (Size, 0.1), (Endurance, 0.7)],
            Family::Exotic => &[(Creativity, 0.75), (Appearance, 0.75), (Playfulness, 0.7), (Performer, 0.7), (Spontaneity, 0.65)],
            Family::Mythical => &[(Dominance, 0.8), (Intelligence, 0.75), (Strength, 0.75), (Leader, 0.75), (Vitality, 0.8)],
            Family::Cosmic => &[(Curiosity, 0.85), (Intelligence, 0.8), (Scholar, 0.8), (Explorer, 0.75), (Empathy, 0.35)],
            Family::Cryptid => &[(Independence, 0.85), (Spontaneity, 0.7), (Endurance, 0.75), (Charisma, 0.3), (Explorer, 0.65)],
        }
    }
}

impl Spirit {
    /// The mean around which a new agent of this spirit draws `name`.
    pub fn trait_mean(self, name: TraitName) -> f32 {
        self.family()
            .leanings()
            .iter()
            .find(|(leaning, _)| *leaning == name)
            .map_or(0.5, |(_, mean)| *mean)
    }

    /// The spirit's name with an initial capital, used as the root of generated names.
    pub fn title(self) -> String {
        self.slug()
            .split('-')
            .map(|part| {
                let mut chars = part.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                    None => String::new(),
                }
            })
            .collect::<Vec<_>>()
            .join("-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip() {
        for spirit in Spirit::ALL {
            assert_eq!(spirit.slug().parse::<Spirit>(), Ok(*spirit));
        }
    }

    #[test]
    fn every_family_has_spirits() {
        let total: usize = Family::ALL.iter().map(|family| family.spirits().count()).sum();
        assert_eq!(total, Spirit::ALL.len());
        assert_eq!(Spirit::ALL.len(), 67);
    }

    #[test]
    fn title_capitalises_each_part() {
        assert_eq!(Spirit::LochNess.title(), "Loch-Ness");
        assert_eq!(Spirit::Fox.title(), "Fox");
    }
}
