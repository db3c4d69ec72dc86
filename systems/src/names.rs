//! Name generation: one pattern per naming style, words drawn from the world RNG.

use std::fmt::Write;

use crate::rng::WorldRng;
use crate::spirit::Spirit;
use crate::style::NamingStyle;

const TITLES: &[&str] = &[
    "Archivist", "Steward", "Mentor", "Envoy", "Speaker", "Trader", "Warden", "Prime", "Scribe",
    "Herald", "Keeper", "Regent",
];
const STELLAR: &[&str] = &[
    "Nova", "Astra", "Orbit", "Zenith", "Quasar", "Pulsar", "Vega", "Sol", "Lumen", "Corona",
];
const FUSIONS: &[&str] = &["core", "wing", "byte", "forge", "spark", "flux", "shard", "link"];
const TECH: &[&str] = &[
    "Quantum", "Vector", "Photon", "Matrix", "Cipher", "Tensor", "Helix", "Kernel", "Lattice",
];
const TAGS: &[&str] = &["Neon", "Chrome", "Glitch", "Razor", "Static", "Ghost", "Proxy", "Wire", "Hex"];
const REALMS: &[&str] = &[
    "Olympus", "Asgard", "Avalon", "Elysium", "Valhalla", "Atlantis", "Arcadia", "Hyperborea",
    "Tir na nOg", "Shambhala",
];
const GREEK: &[&str] = &[
    "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa",
    "Lambda", "Sigma", "Omega",
];
const EPITHETS: &[&str] = &[
    "Unbroken", "Foretold", "Wanderer", "Last", "Chosen", "Returned", "Awakened", "Undying",
    "Seeker", "Bright", "Silent", "Bold",
];

/// Builds one candidate name for `spirit` in `style`. Every word and number
/// comes from `rng`, so the same draws give the same name.
pub fn generate(rng: &mut WorldRng, spirit: Spirit, style: NamingStyle) -> String {
    let mut name = String::new();
    write_candidate(&mut name, rng, spirit, style);
    name
}

/// Replaces the contents of `out` with one candidate name, so that a search
/// for a free name reuses one buffer instead of allocating per candidate.
fn write_candidate(out: &mut String, rng: &mut WorldRng, spirit: Spirit, style: NamingStyle) {
    out.clear();
    // `fmt::Write` for `String` never returns an error.
    let _ = match style {
        NamingStyle::Foundation => {
            spirit.push_title(out, "-");
            write!(out, "-{}-{}", pick(rng, TITLES), rng.between(1, 99))
        }
        NamingStyle::Exo => {
            let letter = char::from(b'A' + rng.between(0, 25) as u8);
            out.push_str(pick(rng, STELLAR));
            out.push('-');
            spirit.push_title(out, "-");
            write!(out, "-{letter}{}", rng.between(10, 99))
        }
        NamingStyle::Hybrid => {
            spirit.push_title(out, "");
            write!(out, "{}-{}", pick(rng, FUSIONS), pick(rng, TECH))
        }
        NamingStyle::Cyberpunk => {
            spirit.push_title(out, "");
            write!(out, "_{}{}", pick(rng, TAGS), rng.between(10, 99))
        }
        NamingStyle::Mythological => {
            spirit.push_title(out, "-");
            write!(out, " of {}", pick(rng, REALMS))
        }
        NamingStyle::Scientific => {
            spirit.push_title(out, "-");
            write!(out, "-{}-{}", pick(rng, GREEK), rng.between(100, 999))
        }
        NamingStyle::Destiny => {
            spirit.push_title(out, "-");
            write!(out, " the {}", pick(rng, EPITHETS))
        }
    };
}

/// Builds a name for `spirit` in `style` for which `taken` is false. After a
/// few drawn candidates collide, the last one gets a number suffix drawn from
/// 2 to 99, a range that grows tenfold whenever a round of draws collides
/// too. Drawing the number keeps the cost flat however many agents share a
/// name, where counting up from 2 would grow with them.
pub fn generate_unique(rng: &mut WorldRng, spirit: Spirit, style: NamingStyle, taken: impl Fn(&str) -> bool) -> String {
    const ATTEMPTS: usize = 4;
    let mut name = String::with_capacity(32);
    for _ in 0..ATTEMPTS {
        write_candidate(&mut name, rng, spirit, style);
        if !taken(&name) {
            return name;
        }
    }

    let base_len = name.len();
    let mut ceiling = 99u32;
    loop {
        for _ in 0..ATTEMPTS {
            name.truncate(base_len);
            let _ = write!(name, " {}", rng.between(2, ceiling));
            if !taken(&name) {
                return name;
            }
        }
        ceiling = ceiling.saturating_mul(10);
    }
}

fn pick(rng: &mut WorldRng, words: &[&'static str]) -> &'static str {
    words[rng.index(words.len())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style_fits_name_rules() {
        let mut rng = WorldRng::new(3);
        for spirit in Spirit::ALL {
            for style in NamingStyle::ALL {
                let name = generate(&mut rng, *spirit, style);
                assert!(name.chars().count() <= 64, "{name}");
                assert!(name.chars().all(|c| !c.is_control()), "{name}");
            }
        }
    }

    #[test]
    fn styles_are_recognisable() {
        let mut rng = WorldRng::new(5);
        assert!(generate(&mut rng, Spirit::Fox, NamingStyle::Mythological).starts_with("Fox of "));
        assert!(generate(&mut rng, Spirit::Fox, NamingStyle::Destiny).starts_with("Fox the "));
        assert!(generate(&mut rng, Spirit::Fox, NamingStyle::Cyberpunk).starts_with("Fox_"));
    }

    #[test]
    fn unique_name_avoids_taken() {
        let mut rng = WorldRng::new(9);
        let name = generate_unique(&mut rng, Spirit::Owl, NamingStyle::Destiny, |_| false);
        let mut rng = WorldRng::new(9);
        let other = generate_unique(&mut rng, Spirit::Owl, NamingStyle::Destiny, |n| n == name);
        assert_ne!(name, other);
    }

    #[test]
    fn number_suffix_when_every_plain_name_is_taken() {
        let mut rng = WorldRng::new(11);
        let plain = |name: &str| !name.rsplit(' ').next().is_some_and(|word| word.parse::<u32>().is_ok());
        let name = generate_unique(&mut rng, Spirit::Owl, NamingStyle::Destiny, plain);
        let (base, number) = name.rsplit_once(' ').expect("a suffix");
        assert!(base.starts_with("Owl the "), "{name}");
        let number: u32 = number.parse().expect("a number");
        assert!((2..=99).contains(&number), "{name}");
    }

    #[test]
    fn suffix_range_grows_when_small_numbers_are_taken() {
        let mut rng = WorldRng::new(13);
        let taken =
            |name: &str| name.rsplit(' ').next().and_then(|word| word.parse::<u32>().ok()).is_none_or(|n| n < 100);
        let name = generate_unique(&mut rng, Spirit::Owl, NamingStyle::Destiny, taken);
        let number: u32 = name.rsplit(' ').next().and_then(|word| word.parse().ok()).expect("a number");
        assert!((100..=990).contains(&number), "{name}");
    }
}
