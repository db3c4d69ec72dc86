//! Compatibility of two agents and the rules that decide whether a pair may breed.

use crate::lifecycle::LifeStage;
use crate::reproduction::Reproduction;
use crate::settings::Settings;
use crate::traits::Traits;

/// Computes one minus the mean absolute difference of two agents' personality traits, in [0, 1].
pub fn compatibility(a: &Traits, b: &Traits) -> f64 {
    let sum: f64 = a
        .personality()
        .iter()
        .zip(b.personality())
        .map(|(x, y)| f64::from((x - y).abs()))
        .sum();
    1.0 - sum / a.personality().len() as f64
}

/// The facts the pairing rules need about one prospective parent.
#[derive(Clone, Copy, Debug)]
pub struct Candidate<'a> {
    pub agent_id: &'a str,
    pub alive: bool,
    pub stage: LifeStage,
    pub reproduction: Reproduction,
}

/// Lists every rule that stops one agent from breeding now.
pub fn individual_blockers(candidate: &Candidate, settings: &Settings) -> Vec<String> {
    let id = candidate.agent_id;
    let mut reasons = Vec::new();

    if !candidate.alive {
        reasons.push(format!("{id} is deceased"));
        return reasons;
    }
    if candidate.stage != LifeStage::Adult {
        reasons.push(format!("{id} is {}, only adults breed", candidate.stage.slug()));
    }
    if candidate.reproduction.cooldown_steps > 0 {
        let years = settings.years_for_steps(u64::from(candidate.reproduction.cooldown_steps));
        reasons.push(format!("{id} is on breeding cooldown for {years:.2} more years"));
    }
    if candidate.reproduction.offspring >= settings.max_offspring {
        reasons.push(format!(
            "{id} has reached the limit of {} offspring",
            settings.max_offspring
        ));
    }
    reasons
}

/// Lists every rule that stops two agents from breeding with each other now:
/// their individual rules and the kinship limit.
pub fn pair_blockers(first: &Candidate, second: &Candidate, kinship: f64, settings: &Settings) -> Vec<String> {
    if first.agent_id == second.agent_id {
        return vec!["parents must be two distinct agents".to_owned()];
    }

    let mut reasons = individual_blockers(first, settings);
    reasons.extend(individual_blockers(second, settings));
    if kinship >= settings.kinship_limit {
        reasons.push(format!(
            "kinship {kinship:.4} is at or above the limit of {}",
            settings.kinship_limit
        ));
    }
    reasons
}

/// Describes a compatibility score in one readable sentence.
pub fn describe(score: f64) -> &'static str {
    if score >= 0.9 {
        "Exceptional match: their personalities are nearly identical."
    } else if score >= 0.8 {
        "Strong match: their personalities align closely."
    } else if score >= 0.7 {
        "Good match: their personalities mostly agree."
    } else if score >= 0.6 {
        "Fair match: their personalities differ in several traits."
    } else {
        "Poor match: their personalities differ widely."
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::traits::TRAIT_COUNT;

    fn traits(value: f32) -> Traits {
        Traits { values: [value; TRAIT_COUNT] }
    }

    #[test]
    fn identical_personalities_score_one() {
        assert_eq!(compatibility(&traits(0.3), &traits(0.3)), 1.0);
    }

    #[test]
    fn opposite_personalities_score_zero() {
        assert_eq!(compatibility(&traits(0.0), &traits(1.0)), 0.0);
    }

    #[test]
    fn only_personality_counts() {
        let mut other = traits(0.5);
        other.values[TRAIT_COUNT - 1] = 0.0;
        assert_eq!(compatibility(&traits(0.5), &other), 1.0);
    }

    #[test]
    fn pair_lists_every_failed_rule() {
        let settings = Settings::default();
        let young = Candidate {
            agent_id: "a",
            alive: true,
            stage: LifeStage::Juvenile,
            reproduction: Reproduction { cooldown_steps: 10, offspring: 5 },
        };
        let dead = Candidate { agent_id: "b", alive: false, stage: LifeStage::Elder, reproduction: Reproduction::default() };
        let reasons = pair_blockers(&young, &dead, 0.25, &settings);
        assert_eq!(reasons.len(), 5, "{reasons:?}");
    }
}
