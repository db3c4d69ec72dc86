//! Typed commands sent to the world thread, each with the channel its reply goes back on.

use reynard_systems::views::{
    AgentDetail, AgentPage, BreedingStatsView, CompatibilityView, LineageView, MateView, TimeView,
};
use reynard_systems::{AgentFilter, NewAgent, OffspringRequest, SimError, Simulation, WorldCommand};
use tokio::sync::oneshot;

use super::journal::Journal;
use super::status::StatusBoard;

/// A command that produced no result.
#[derive(Debug, Clone, PartialEq)]
pub enum CommandError {
    /// The simulation rejected the command; the world is unchanged.
    Rejected(SimError),
    /// The command ran but its journal entry did not commit, so it was not acknowledged.
    NotDurable,
}

/// The channel the world thread sends the outcome of one command on.
pub type Reply<T> = oneshot::Sender<Result<T, CommandError>>;

/// A change to the clock; absent fields stay as they are.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TimeChange {
    pub acceleration: Option<f64>,
    pub paused: Option<bool>,
}

/// A request for the world thread. Commands run one at a time between fixed
/// steps, so each finds and leaves a consistent world.
pub enum Command {
    CreateAgent(NewAgent, Reply<AgentDetail>),
    Breed(OffspringRequest, Reply<AgentDetail>),
    Agent(String, Reply<AgentDetail>),
    Agents { filter: AgentFilter, cursor: Option<String>, limit: usize, reply: Reply<AgentPage> },
    Mates { agent_id: String, max_results: usize, reply: Reply<Vec<MateView>> },
    Compatibility { agent_id: String, other_id: String, reply: Reply<CompatibilityView> },
    Lineage { agent_id: String, depth: u32, reply: Reply<LineageView> },
    BreedingStats(Reply<BreedingStatsView>),
    SetBreeding(bool, Reply<BreedingStatsView>),
    Time(Reply<TimeView>),
    SetTime(TimeChange, Reply<TimeView>),
    Nudge(u32, Reply<TimeView>),
    /// Returns the digest together with the tick it was taken at.
    Digest(Reply<(String, u64)>),
    /// Returns a copy of the whole world.
    Export(Reply<Box<reynard_systems::WorldSnapshot>>),
    /// Returns the tick; a reply proves the thread is alive and serving.
    Ping(Reply<u64>),
    /// Ends the world thread after the commands queued before it.
    Shutdown,
    /// Panics the world thread, so tests can check how the server degrades.
    #[doc(hidden)]
    Crash,
}

impl Command {
    /// Returns the command's name, for logs.
    pub fn name(&self) -> &'static str {
        match self {
            Command::CreateAgent(..) => "create_agent",
            Command::Breed(..) => "breed",
            Command::Agent(..) => "agent",
            Command::Agents { .. } => "agents",
            Command::Mates { .. } => "mates",
            Command::Compatibility { .. } => "compatibility",
            Command::Lineage { .. } => "lineage",
            Command::BreedingStats(..) => "breeding_stats",
            Command::SetBreeding(..) => "set_breeding",
            Command::Time(..) => "time",
            Command::SetTime(..) => "set_time",
            Command::Nudge(..) => "nudge",
            Command::Digest(..) => "digest",
            Command::Export(..) => "export",
            Command::Ping(..) => "ping",
            Command::Shutdown => "shutdown",
            Command::Crash => "crash",
        }
    }

    /// Runs the command against `sim` and sends the reply. A command that
    /// changes the world is journaled, and its reply waits for the commit. A
    /// requester that stopped waiting is not an error: its reply is dropped.
    /// Publishes every change on `board` before acknowledging it, so that a
    /// client reads its own writes in the status.
    pub fn execute(self, sim: &mut Simulation, journal: &mut Journal, board: &StatusBoard) {
        let tick = sim.tick();
        match self {
            Command::CreateAgent(request, reply) => {
                let journaled = WorldCommand::CreateAgent(request.clone());
                let outcome = sim.create_agent(request);
                durable(journal, board, sim, reply, outcome, journaled, tick);
            }
            Command::Breed(request, reply) => {
                let journaled = WorldCommand::Breed(request.clone());
                let outcome = sim.breed(request);
                durable(journal, board, sim, reply, outcome, journaled, tick);
            }
            Command::Agent(agent_id, reply) => send(reply, sim.agent(&agent_id)),
            Command::Agents { filter, cursor, limit, reply } => send(reply, sim.agents(filter, cursor.as_deref(), limit)),
            Command::Mates { agent_id, max_results, reply } => send(reply, sim.mates(&agent_id, max_results)),
            Command::Compatibility { agent_id, other_id, reply } => send(reply, sim.compatibility(&agent_id, &other_id)),
            Command::Lineage { agent_id, depth, reply } => send(reply, sim.lineage(&agent_id, depth)),
            Command::BreedingStats(reply) => send(reply, Ok(sim.breeding_stats())),
            Command::SetBreeding(enabled, reply) => {
                sim.set_breeding(enabled);
                durable(journal, board, sim, reply, Ok(sim.breeding_stats()), WorldCommand::SetBreeding { enabled }, tick);
            }
            Command::Time(reply) => send(reply, Ok(sim.time())),
            Command::SetTime(change, reply) => {
                let journaled = WorldCommand::SetTime { acceleration: change.acceleration, paused: change.paused };
                let outcome = set_time(sim, change);
                durable(journal, board, sim, reply, outcome, journaled, tick);
            }
            Command::Nudge(steps, reply) => {
                sim.nudge(steps);
                durable(journal, board, sim, reply, Ok(sim.time()), WorldCommand::Nudge { steps }, tick);
            }
            Command::Digest(reply) => send(reply, Ok((sim.digest(), sim.tick()))),
            Command::Export(reply) => send(reply, Ok(Box::new(sim.snapshot()))),
            Command::Ping(reply) => send(reply, Ok(sim.tick())),
            Command::Shutdown => {}
            Command::Crash => panic!("crash requested through the world handle"),
        }
    }
}

/// Applies a clock change only after every part of it has been checked, so a
/// rejected change leaves the clock as it was.
fn set_time(sim: &mut Simulation, change: TimeChange) -> Result<TimeView, SimError> {
    if let Some(acceleration) = change.acceleration {
        sim.set_acceleration(acceleration)?;
    }
    if let Some(paused) = change.paused {
        sim.set_paused(paused);
    }
    Ok(sim.time())
}

fn send<T>(reply: Reply<T>, outcome: Result<T, SimError>) {
    if let Err(error) = &outcome {
        tracing::debug!(reason = %error, "command rejected");
    }
    let _ = reply.send(outcome.map_err(CommandError::Rejected));
}

/// Sends a rejection at once. Publishes a success on `board`, journals it as
/// `command`, applied at `tick`, and sends it only after the journal entry has
/// committed.
///
/// NOTE: a command whose commit fails stays applied in memory and gets a 503
/// response. The writer then asks for an early snapshot, which makes it
/// durable, but a crash before that snapshot lands would replay the journal
/// without it.
fn durable<T: Send + 'static>(
    journal: &mut Journal,
    board: &StatusBoard,
    sim: &Simulation,
    reply: Reply<T>,
    outcome: Result<T, SimError>,
    command: WorldCommand,
    tick: u64,
) {
    match outcome {
        Err(error) => send(reply, Err(error)),
        Ok(value) => {
            board.publish(sim);
            journal.record(
                &command,
                tick,
                Box::new(move |committed| {
                    let _ = reply.send(if committed { Ok(value) } else { Err(CommandError::NotDurable) });
                }),
            );
        }
    }
}
