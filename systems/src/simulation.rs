//! [`Simulation`]: the world, its fixed-step schedule and its clock behind one API.

use std::time::Duration;

use bevy_ecs::prelude::*;
use bevy_time::{update_virtual_time, Fixed, Real, Time, Virtual};

use crate::agents::{create_agent, NewAgent};
use crate::breeding::{breeding_pass, BreedingStats};
use crate::clock::{check_acceleration, max_virtual_delta, FixedStep, PaceMeter, SimClock};
use crate::error::SimError;
use crate::lifecycle::age_agents;
use crate::offspring::{breed, OffspringRequest};
use crate::queries::{self, AgentFilter};
use crate::registry::AgentIndex;
use crate::rng::WorldRng;
use crate::settings::Settings;
use crate::views::{
    AgentDetail, AgentPage, BreedingStatsView, CompatibilityView, LineageView, MateView, StatusView, TimeView,
};

/// Starts each fixed step by advancing the tick.
fn advance_tick(mut clock: ResMut<SimClock>) {
    clock.tick += 1;
}

/// The clock parameters a simulation starts with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClockConfig {
    /// Real seconds one simulated year lasts at acceleration 1.
    pub seconds_per_year: f64,
    /// Starting acceleration, 0.1 to 100.
    pub acceleration: f64,
}

impl Default for ClockConfig {
    fn default() -> Self {
        ClockConfig { seconds_per_year: 60.0, acceleration: 10.0 }
    }
}

/// A world of agents with its schedule and clock. Only its owner touches the
/// world, so the server keeps it on one dedicated thread.
pub struct Simulation {
    pub(crate) world: World,
    /// Number of systems in the fixed-step schedule, for status.
    system_count: usize,
    pub(crate) seconds_per_year: f64,
}

impl Simulation {
    /// Builds an empty world that draws from `seed`.
    ///
    /// # Errors
    /// Returns [`SimError::Invalid`] if the acceleration is outside 0.1 to 100 or
    /// `seconds_per_year` or `steps_per_year` is not positive.
    pub fn new(settings: Settings, clock: ClockConfig, seed: u64) -> Result<Self, SimError> {
        check_acceleration(clock.acceleration).map_err(|rule| SimError::invalid("acceleration", rule))?;
        if !(clock.seconds_per_year.is_finite() && clock.seconds_per_year > 0.0) {
            return Err(SimError::invalid("seconds_per_year", "must be a positive number"));
        }
        if settings.steps_per_year == 0 {
            return Err(SimError::invalid("steps_per_year", "must be at least 1"));
        }

        let timestep = Duration::from_secs_f64(clock.seconds_per_year / f64::from(settings.steps_per_year));
        let mut world = World::new();
        world.insert_resource(settings);
        world.insert_resource(WorldRng::new(seed));
        world.insert_resource(SimClock::default());
        world.insert_resource(AgentIndex::default());
        world.insert_resource(BreedingStats::default());
        world.insert_resource(PaceMeter::default());
        // The first update of a `Time<Real>` only records its start instant, so
        // without this one the real time passed to the first `advance` is lost.
        let mut real_time = Time::<Real>::default();
        real_time.update_with_duration(Duration::ZERO);
        world.insert_resource(real_time);
        world.insert_resource(Time::<Fixed>::from_duration(timestep));
        let mut virtual_time = Time::<Virtual>::default();
        virtual_time.set_relative_speed_f64(clock.acceleration);
        virtual_time.set_max_delta(max_virtual_delta(clock.acceleration, timestep));
        world.insert_resource(virtual_time);

        let mut schedule = Schedule::new(FixedStep);
        schedule.add_systems((advance_tick, age_agents, breeding_pass).chain());
        let system_count = 3;
        world.add_schedule(schedule);

        Ok(Simulation { world, system_count, seconds_per_year: clock.seconds_per_year })
    }

    /// Returns the world, for reads that the API does not cover (benches and tests).
    pub fn world(&self) -> &World {
        &self.world
    }

    /// Returns the rules in force.
    pub fn settings(&self) -> &Settings {
        self.world.resource::<Settings>()
    }

    /// Fixed steps run so far.
    pub fn tick(&self) -> u64 {
        self.world.resource::<SimClock>().tick
    }

    /// Runs one fixed step now, whatever the clock shows.
    pub fn step(&mut self) {
        self.world.run_schedule(FixedStep);
    }

    /// Runs `steps` fixed steps now, also while paused.
    pub fn nudge(&mut self, steps: u32) {
        for _ in 0..steps {
            self.step();
        }
    }

    /// Advances the clocks by `real` elapsed real time and runs every fixed
    /// step that became due. The virtual delta is capped (see
    /// [`max_virtual_delta`]), so a long pause in updates makes simulated time
    /// fall behind instead of triggering a burst of steps. Returns the number of steps run.
    pub fn advance(&mut self, real: Duration) -> u32 {
        let virtual_delta = {
            let world = &mut self.world;
            world.resource_mut::<Time<Real>>().update_with_duration(real);
            let real_time = *world.resource::<Time<Real>>();
            let mut generic = Time::<()>::default();
            update_virtual_time(&mut generic, &mut world.resource_mut::<Time<Virtual>>(), &real_time);
            world.resource::<Time<Virtual>>().delta()
        };
        self.world.resource_mut::<PaceMeter>().record(real, virtual_delta);
        self.world.resource_mut::<Time<Fixed>>().accumulate_overstep(virtual_delta);

        let mut steps = 0;
        loop {
            let mut fixed = self.world.resource_mut::<Time<Fixed>>();
            let timestep = fixed.timestep();
            if fixed.overstep() < timestep {
                break;
            }
            fixed.discard_overstep(timestep);
            fixed.advance_by(timestep);
            self.step();
            steps += 1;
        }
        steps
    }

    /// Real time until the next fixed step is due, or `None` while paused.
    pub fn until_next_step(&self) -> Option<Duration> {
        let virtual_time = self.world.resource::<Time<Virtual>>();
        if virtual_time.is_paused() {
            return None;
        }
        let fixed = self.world.resource::<Time<Fixed>>();
        let remaining = fixed.timestep().saturating_sub(fixed.overstep());
        Some(remaining.div_f64(virtual_time.relative_speed_f64()))
    }

    /// Sets the acceleration: simulated seconds per real second, 0.1 to 100.
    pub fn set_acceleration(&mut self, acceleration: f64) -> Result<(), SimError> {
        check_acceleration(acceleration).map_err(|rule| SimError::invalid("acceleration", rule))?;
        let timestep = self.world.resource::<Time<Fixed>>().timestep();
        let mut virtual_time = self.world.resource_mut::<Time<Virtual>>();
        let changed = virtual_time.relative_speed_f64() != acceleration;
        virtual_time.set_relative_speed_f64(acceleration);
        virtual_time.set_max_delta(max_virtual_delta(acceleration, timestep));
        if changed {
            self.world.resource_mut::<PaceMeter>().restart();
        }
        Ok(())
    }

    /// Pauses or resumes the clock. Commands and nudges still work while paused.
    /// Until a second of real time has passed after resuming, the effective
    /// acceleration reads as the requested one.
    pub fn set_paused(&mut self, paused: bool) {
        let mut virtual_time = self.world.resource_mut::<Time<Virtual>>();
        let resumed = !paused && virtual_time.is_paused();
        if paused {
            virtual_time.pause();
        } else {
            virtual_time.unpause();
        }
        if resumed {
            self.world.resource_mut::<PaceMeter>().restart();
        }
    }

    /// Turns the automatic breeding pass on or off.
    pub fn set_breeding(&mut self, enabled: bool) {
        self.world.resource_mut::<Settings>().breeding_enabled = enabled;
    }

    /// Runs one automatic breeding pass now, whatever the tick, the breeding
    /// interval and the `breeding_enabled` setting. It exists for benchmarks and tests.
    pub fn run_breeding_pass(&mut self) {
        crate::breeding::run_pass(&mut self.world);
    }

    /// Creates a founder and returns its full view.
    pub fn create_agent(&mut self, request: NewAgent) -> Result<AgentDetail, SimError> {
        let entity = create_agent(&mut self.world, request)?;
        Ok(queries::detail(&self.world, entity))
    }

    /// Breeds two agents on request and returns the offspring's full view.
    pub fn breed(&mut self, request: OffspringRequest) -> Result<AgentDetail, SimError> {
        let entity = breed(&mut self.world, request)?;
        Ok(queries::detail(&self.world, entity))
    }

    /// Everything about one agent.
    pub fn agent(&self, agent_id: &str) -> Result<AgentDetail, SimError> {
        let entity = queries::find(&self.world, "agent_id", agent_id)?;
        Ok(queries::detail(&self.world, entity))
    }

    /// Lists a page of agents in creation order. `cursor` comes from the previous page.
    pub fn agents(&self, filter: AgentFilter, cursor: Option<&str>, limit: usize) -> Result<AgentPage, SimError> {
        let start = match cursor {
            None => 0,
            Some(text) => text
                .parse::<u32>()
                .map_err(|_| SimError::invalid("cursor", format!("must be a value returned as next_cursor, got '{text}'")))?,
        };
        Ok(queries::page(&self.world, filter, start, limit))
    }

    /// Eligible partners of one agent, most compatible first.
    pub fn mates(&mut self, agent_id: &str, max_results: usize) -> Result<Vec<MateView>, SimError> {
        let entity = queries::find(&self.world, "agent_id", agent_id)?;
        Ok(queries::mates(&mut self.world, entity, max_results))
    }

    /// Compatibility, kinship and eligibility of two agents.
    pub fn compatibility(&self, agent_id: &str, other_id: &str) -> Result<CompatibilityView, SimError> {
        let first = queries::find(&self.world, "agent_id", agent_id)?;
        let second = queries::find(&self.world, "other_id", other_id)?;
        Ok(queries::compatibility_report(&self.world, first, second))
    }

    /// Builds an agent's family tree, `depth` generations up and down.
    pub fn lineage(&self, agent_id: &str, depth: u32) -> Result<LineageView, SimError> {
        let entity = queries::find(&self.world, "agent_id", agent_id)?;
        Ok(queries::lineage(&self.world, entity, depth))
    }

    /// Describes the clock as the time endpoints show it.
    pub fn time(&self) -> TimeView {
        let virtual_time = self.world.resource::<Time<Virtual>>();
        let settings = self.settings();
        let tick = self.tick();
        let effective = if virtual_time.is_paused() {
            0.0
        } else {
            self.world.resource::<PaceMeter>().last.unwrap_or(virtual_time.relative_speed_f64())
        };
        TimeView {
            tick,
            simulation_years: settings.years_for_steps(tick),
            acceleration: virtual_time.relative_speed_f64(),
            effective_acceleration: effective,
            paused: virtual_time.is_paused(),
            steps_per_year: settings.steps_per_year,
            seconds_per_year: self.seconds_per_year,
        }
    }

    /// Summarises the world at a glance.
    pub fn status(&self) -> StatusView {
        let index = self.world.resource::<AgentIndex>();
        let settings = self.settings();
        StatusView {
            status: "active",
            entity_count: index.len(),
            agent_count: index.living,
            mature_agents: index.mature,
            deceased_count: index.deceased,
            system_count: self.system_count,
            seed: self.world.resource::<WorldRng>().seed,
            breeding_enabled: settings.breeding_enabled,
            max_agents: settings.max_agents,
            time: self.time(),
        }
    }

    /// Population and breeding figures.
    pub fn breeding_stats(&self) -> BreedingStatsView {
        let index = self.world.resource::<AgentIndex>();
        let stats = self.world.resource::<BreedingStats>();
        let settings = self.settings();
        let created = index.len();
        BreedingStatsView {
            total_agents: index.living,
            mature_agents: index.mature,
            total_offspring: index.births,
            average_offspring_per_agent: if created == 0 { 0.0 } else { index.births as f64 / created as f64 },
            enabled: settings.breeding_enabled,
            births: index.births,
            deaths: index.deceased,
            last_pass_tick: stats.last_pass_tick,
            last_pass_pairs: stats.last_pass_pairs,
            interval_years: settings.years_for_steps(u64::from(settings.breeding_interval_steps)),
        }
    }

    /// Hashes all agent state in id order, with the tick and RNG position, into a SHA-256 digest.
    pub fn digest(&self) -> String {
        crate::digest::digest(&self.world)
    }
}
