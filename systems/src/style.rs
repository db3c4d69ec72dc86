//! Naming styles: the patterns generated names follow.

use serde::{Deserialize, Serialize};

/// The pattern generated names follow. Each style has its own recognisable pattern;
/// [`crate::names`] implements them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NamingStyle {
    /// Spirit, a title and a number: `Fox-Archivist-12`.
    #[default]
    Foundation,
    /// A stellar prefix, the spirit and a designation: `Nova-Fox-K17`.
    Exo,
    /// Spirit fused with a technical suffix: `Foxcore-Quantum`.
    Hybrid,
    /// Spirit and a street tag in a handle: `Fox_Neon88`.
    Cyberpunk,
    /// Spirit named after a mythic place or figure: `Fox of Olympus`.
    Mythological,
    /// Spirit, a Greek letter and a specimen number: `Fox-Theta-204`.
    Scientific,
    /// Spirit with an epithet of fate: `Fox the Unbroken`.
    Destiny,
}

impl NamingStyle {
    /// Every style, in the order the API lists them.
    pub const ALL: [NamingStyle; 7] = [
        NamingStyle::Foundation,
        NamingStyle::Exo,
        NamingStyle::Hybrid,
        NamingStyle::Cyberpunk,
        NamingStyle::Mythological,
        NamingStyle::Scientific,
        NamingStyle::Destiny,
    ];

    /// Returns the lower-case name used in JSON and query strings.
    pub fn slug(self) -> &'static str {
        match self {
            NamingStyle::Foundation => "foundation",
            NamingStyle::Exo => "exo",
            NamingStyle::Hybrid => "hybrid",
            NamingStyle::Cyberpunk => "cyberpunk",
            NamingStyle::Mythological => "mythological",
            NamingStyle::Scientific => "scientific",
            NamingStyle::Destiny => "destiny",
        }
    }

    /// Describes the pattern in one sentence, served by the naming endpoint.
    pub fn description(self) -> &'static str {
        match self {
            NamingStyle::Foundation => "Spirit, a title of office and a number, as in Fox-Archivist-12.",
            NamingStyle::Exo => "A stellar prefix, the spirit and a designation, as in Nova-Fox-K17.",
            NamingStyle::Hybrid => "The spirit fused with a suffix and a technical term, as in Foxcore-Quantum.",
            NamingStyle::Cyberpunk => "A street handle of spirit, tag and digits, as in Fox_Neon88.",
            NamingStyle::Mythological => "The spirit of a mythic place, as in Fox of Olympus.",
            NamingStyle::Scientific => "Spirit, a Greek letter and a specimen number, as in Fox-Theta-204.",
            NamingStyle::Destiny => "The spirit with an epithet of fate, as in Fox the Unbroken.",
        }
    }
}

impl std::str::FromStr for NamingStyle {
    type Err = ();

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        NamingStyle::ALL.iter().copied().find(|style| style.slug() == text).ok_or(())
    }
}
