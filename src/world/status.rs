//! The status board: the world thread publishes the world's summary after
//! every batch of steps and before acknowledging every change, and readers
//! take the latest one without a round trip to that thread.

use std::sync::{Arc, PoisonError, RwLock};

use reynard_systems::views::StatusView;
use reynard_systems::Simulation;

/// The latest [`StatusView`] the world thread published. Cloning shares it.
#[derive(Clone, Debug)]
pub struct StatusBoard {
    latest: Arc<RwLock<StatusView>>,
}

impl StatusBoard {
    /// Creates a board showing `sim` as it is now.
    pub fn new(sim: &Simulation) -> Self {
        StatusBoard { latest: Arc::new(RwLock::new(sim.status())) }
    }

    /// Replaces the published summary with the current one of `sim`.
    pub fn publish(&self, sim: &Simulation) {
        let status = sim.status();
        // Writers only assign a finished value, so a poisoned lock still holds a whole one.
        *self.latest.write().unwrap_or_else(PoisonError::into_inner) = status;
    }

    /// Returns the last published summary.
    pub fn read(&self) -> StatusView {
        self.latest.read().unwrap_or_else(PoisonError::into_inner).clone()
    }
}
