//! Lineage: generation, children and inbreeding of each agent, and the
//! coefficient of kinship computed from the pedigree.

use std::collections::HashMap;

use foldhash::fast::RandomState;

use bevy_ecs::component::Component;

/// An agent's place in the family tree. Its parents are kept in the
/// [`crate::registry::AgentIndex`] pedigree.
#[derive(Component, Clone, Debug, Default, PartialEq)]
pub struct Lineage {
    /// Founders are generation 1; a child is one more than the larger of its parents' generations.
    pub generation: u32,
    /// Serials of this agent's children, in birth order.
    pub children: Vec<u32>,
    /// The coefficient of kinship of its parents, 0 for founders.
    pub inbreeding: f64,
}

/// Computes coefficients of kinship over a pedigree indexed by serial, caching
/// intermediate pairs. Founders are taken as unrelated to each other and not inbred.
///
/// The recursion is the standard one for pedigrees in which every parent has a
/// smaller serial than its child: the kinship of an agent with itself is
/// (1 + kinship of its parents) / 2, and otherwise the younger agent is replaced
/// by the mean over its two parents. It yields 1/4 for parent and child or full
/// siblings, 1/8 for half siblings or grandparent and grandchild, and 1/16 for
/// first cousins, and handles repeated ancestors exactly.
pub struct KinshipCalculator<'a> {
    pedigree: &'a [Option<[u32; 2]>],
    cache: HashMap<(u32, u32), f64, RandomState>,
}

impl<'a> KinshipCalculator<'a> {
    /// Creates a calculator over `pedigree`, where `pedigree[serial]` contains that agent's parents.
    pub fn new(pedigree: &'a [Option<[u32; 2]>]) -> Self {
        KinshipCalculator { pedigree, cache: HashMap::default() }
    }

    /// Computes the coefficient of kinship of agents `a` and `b`: the probability that
    /// an allele drawn from each is identical by descent.
    pub fn kinship(&mut self, a: u32, b: u32) -> f64 {
        let (older, younger) = if a <= b { (a, b) } else { (b, a) };
        let Some([first, second]) = self.pedigree[younger as usize] else {
            return if older == younger { 0.5 } else { 0.0 };
        };

        if let Some(cached) = self.cache.get(&(older, younger)) {
            return *cached;
        }
        let value = if older == younger {
            0.5 * (1.0 + self.kinship(first, second))
        } else {
            0.5 * (self.kinship(older, first) + self.kinship(older, second))
        };
        self.cache.insert((older, younger), value);
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a pedigree from (child, parent, parent) triples; serials not
    /// listed as children are founders.
    fn pedigree(size: usize, births: &[(u32, u32, u32)]) -> Vec<Option<[u32; 2]>> {
        let mut parents = vec![None; size];
        for (child, first, second) in births {
            parents[*child as usize] = Some([*first, *second]);
        }
        parents
    }

    #[test]
    fn founders_are_unrelated() {
        let tree = pedigree(2, &[]);
        let mut calc = KinshipCalculator::new(&tree);
        assert_eq!(calc.kinship(0, 1), 0.0);
        assert_eq!(calc.kinship(0, 0), 0.5);
    }

    #[test]
    fn standard_relations() {
        // 0,1 founders; 2,3 full siblings; 4 founder; 5 half sibling of 2 via 0;
        // 6 founder, 7 child of 3 and 6; 8 founder, 9 child of 2 and 8;
        // 7 and 9 are first cousins.
        let tree = pedigree(10, &[(2, 0, 1), (3, 0, 1), (5, 0, 4), (7, 3, 6), (9, 2, 8)]);
        let mut calc = KinshipCalculator::new(&tree);
        assert_eq!(calc.kinship(0, 2), 0.25, "parent and child");
        assert_eq!(calc.kinship(2, 3), 0.25, "full siblings");
        assert_eq!(calc.kinship(2, 5), 0.125, "half siblings");
        assert_eq!(calc.kinship(0, 7), 0.125, "grandparent and grandchild");
        assert_eq!(calc.kinship(7, 9), 0.0625, "first cousins");
        assert_eq!(calc.kinship(4, 7), 0.0, "unrelated");
    }

    #[test]
    fn repeated_ancestors() {
        // 2 and 3 are full siblings; 4 is their inbred child. 5 is a child of 4 and
        // its parent 2, so 2 appears on both sides of 5's pedigree.
        let tree = pedigree(6, &[(2, 0, 1), (3, 0, 1), (4, 2, 3), (5, 4, 2)]);
        let mut calc = KinshipCalculator::new(&tree);
        assert_eq!(calc.kinship(2, 3), 0.25);
        assert_eq!(calc.kinship(4, 4), 0.625, "self-kinship of an inbred agent");
        // kinship(2, 4) = (kinship(2,2) + kinship(2,3)) / 2 = (0.5 + 0.25) / 2.
        assert_eq!(calc.kinship(2, 4), 0.375);
        // kinship(5, 5) = (1 + kinship(4, 2)) / 2.
        assert_eq!(calc.kinship(5, 5), 0.6875);
    }
}
