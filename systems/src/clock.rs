//! The simulation clock: fixed steps fed by `bevy_time`'s virtual clock.
//!
//! Real time drives `Time<Real>`. `Time<Virtual>` scales it by the acceleration
//! and can be paused. The scaled delta accumulates in `Time<Fixed>`, and each
//! whole timestep accumulated there runs the fixed schedule once. At acceleration 1 a
//! simulated year lasts `seconds_per_year` real seconds.

use std::time::Duration;

use bevy_ecs::prelude::*;
use bevy_ecs::schedule::ScheduleLabel;

/// The schedule of every simulation system. It runs once per fixed step.
#[derive(ScheduleLabel, Clone, Debug, PartialEq, Eq, Hash)]
pub struct FixedStep;

/// Fixed steps run since the world began; the single source of simulated time.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SimClock {
    /// The number of the step in progress, or of the last one completed outside
    /// a step. The first step is tick 1.
    pub tick: u64,
}

/// Lowest and highest acceleration accepted, inclusive.
pub const ACCELERATION_RANGE: (f64, f64) = (0.1, 100.0);

/// Real time the clock may fall behind in one update before the rest is
/// dropped. It bounds catch-up work, so a slow machine lets simulated time lag
/// instead of spiralling into ever longer updates.
pub const MAX_CATCH_UP_REAL: Duration = Duration::from_millis(250);

/// Fewest fixed steps one update may catch up on, whatever the acceleration.
pub const MIN_CATCH_UP_STEPS: u32 = 4;

/// Checks an acceleration against [`ACCELERATION_RANGE`], returning the rule on failure.
pub fn check_acceleration(acceleration: f64) -> Result<(), String> {
    let (low, high) = ACCELERATION_RANGE;
    if !acceleration.is_finite() || !(low..=high).contains(&acceleration) {
        return Err(format!("must be between {low} and {high}, got {acceleration}"));
    }
    Ok(())
}

/// Returns the virtual-time delta one update may add: enough for [`MAX_CATCH_UP_REAL`]
/// at `acceleration`, and never fewer than [`MIN_CATCH_UP_STEPS`] timesteps.
pub fn max_virtual_delta(acceleration: f64, timestep: Duration) -> Duration {
    let by_real = MAX_CATCH_UP_REAL.mul_f64(acceleration);
    by_real.max(timestep * MIN_CATCH_UP_STEPS)
}

/// Measures the effective acceleration: virtual time gained per real second,
/// over windows of about one real second.
#[derive(Resource, Clone, Debug, Default)]
pub struct PaceMeter {
    window_real: Duration,
    window_virtual: Duration,
    /// Effective acceleration over the last full window, if one has completed.
    pub last: Option<f64>,
}

impl PaceMeter {
    const WINDOW: Duration = Duration::from_secs(1);

    /// Forgets the measurement so far, after the clock's speed changed: a
    /// window mixing the old speed (or a pause) with the new one measures neither.
    pub fn restart(&mut self) {
        *self = PaceMeter::default();
    }

    /// Adds one update's real and virtual deltas and closes the window when it is full.
    pub fn record(&mut self, real: Duration, virtual_delta: Duration) {
        self.window_real += real;
        self.window_virtual += virtual_delta;
        if self.window_real >= Self::WINDOW {
            self.last = Some(self.window_virtual.as_secs_f64() / self.window_real.as_secs_f64());
            self.window_real = Duration::ZERO;
            self.window_virtual = Duration::ZERO;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acceleration_range_is_inclusive() {
        assert!(check_acceleration(0.1).is_ok());
        assert!(check_acceleration(100.0).is_ok());
        assert!(check_acceleration(0.09).is_err());
        assert!(check_acceleration(100.5).is_err());
        assert!(check_acceleration(f64::NAN).is_err());
        assert!(check_acceleration(f64::INFINITY).is_err());
    }

    #[test]
    fn catch_up_has_a_floor_of_steps() {
        let step = Duration::from_secs(1);
        assert_eq!(max_virtual_delta(0.1, step), Duration::from_secs(4));
        assert_eq!(max_virtual_delta(100.0, step), Duration::from_secs(25));
    }

    #[test]
    fn pace_meter_reports_after_a_window() {
        let mut meter = PaceMeter::default();
        meter.record(Duration::from_millis(500), Duration::from_secs(5));
        assert_eq!(meter.last, None);
        meter.record(Duration::from_millis(500), Duration::from_secs(5));
        assert_eq!(meter.last, Some(10.0));
    }
}
