//! The one seeded random number generator every system draws from.

use bevy_ecs::resource::Resource;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// The world's only source of randomness. Systems draw from it in a fixed
/// order, so a seed plus the same commands at the same steps gives the same world.
#[derive(Resource, Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WorldRng {
    /// The seed the generator started from; shown in status so a run can be repeated.
    pub seed: u64,
    rng: ChaCha8Rng,
}

impl WorldRng {
    /// Starts a generator from `seed`.
    pub fn new(seed: u64) -> Self {
        WorldRng { seed, rng: ChaCha8Rng::seed_from_u64(seed) }
    }

    /// Draws uniformly from [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.rng.random::<f64>()
    }

    /// Draws an index uniformly from `0..len`.
    ///
    /// # Panics
    /// Panics if `len` is zero.
    pub fn index(&mut self, len: usize) -> usize {
        self.rng.random_range(0..len)
    }

    /// Draws an integer uniformly from `low..=high`.
    pub fn between(&mut self, low: u32, high: u32) -> u32 {
        self.rng.random_range(low..=high)
    }

    /// Draws from a normal distribution with mean 0 and standard deviation
    /// `stddev`, by the ziggurat method: a table lookup and one uniform draw
    /// for nearly every value, with no logarithm or cosine on the common path.
    pub fn normal(&mut self, stddev: f64) -> f64 {
        stddev * self.rng.sample::<f64, _>(StandardNormal)
    }

    /// The position of the generator in its key stream, folded into the world digest.
    pub fn word_pos(&self) -> u128 {
        self.rng.get_word_pos()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_draws() {
        let mut first = WorldRng::new(7);
        let mut second = WorldRng::new(7);
        for _ in 0..100 {
            assert_eq!(first.unit().to_bits(), second.unit().to_bits());
        }
    }

    #[test]
    fn normal_has_requested_spread() {
        let mut rng = WorldRng::new(1);
        let draws: Vec<f64> = (0..20_000).map(|_| rng.normal(0.05)).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let variance = draws.iter().map(|d| (d - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!(mean.abs() < 0.002, "mean {mean}");
        assert!((variance.sqrt() - 0.05).abs() < 0.002, "stddev {}", variance.sqrt());
    }
}
