//! Starting and stopping the whole server: world thread plus HTTP listener.

use std::future::{Future, IntoFuture};
use std::net::SocketAddr;
use std::sync::Arc;

use reynard_systems::SimError;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::auth::Auth;
use crate::config::Config;
use crate::db::DbError;
use crate::durability::recovery::{self, RecoveryError};
use crate::durability::writer;
use crate::http::{self, AppState};
use crate::world::{self, Journal, WorldHandle, WorldThread};

/// How long a graceful shutdown waits for open connections to finish.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// A failure to start the server.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("could not open the accounts database: {0}")]
    Database(#[from] DbError),
    #[error("invalid simulation settings: {0}")]
    Settings(#[from] SimError),
    #[error("could not load the stored world: {0}")]
    Recovery(#[from] RecoveryError),
    #[error("could not start the world thread: {0}")]
    Thread(std::io::Error),
    #[error("could not read the listening address: {0}")]
    Address(std::io::Error),
}

/// A server accepting requests on `addr` until [`RunningServer::stop`].
pub struct RunningServer {
    /// The address the listener is bound to.
    pub addr: SocketAddr,
    /// The seed the world was started from.
    pub seed: u64,
    /// A handle on the world thread, for callers that embed the server.
    pub world: WorldHandle,
    /// Fired to begin graceful shutdown.
    stop: oneshot::Sender<()>,
    /// Serves HTTP until shutdown, then stops and joins the world thread.
    task: JoinHandle<std::io::Result<()>>,
}

/// Builds the world from `config`, starts its thread and serves the API on `listener`.
pub async fn start(config: Config, listener: TcpListener) -> Result<RunningServer, StartError> {
    let addr = listener.local_addr().map_err(StartError::Address)?;
    let auth = Arc::new(Auth::start(&config.auth).await?);
    let seed = config.seed.unwrap_or_else(rand::random);
    let db = auth.database().clone();
    let recovered = recovery::recover_or_create(&db, &config, seed).await?;
    let seed = recovered.sim.status().seed;
    let (journal_sender, snapshot_needed, writer_task) = writer::spawn(db);
    let journal =
        Journal::new(journal_sender, snapshot_needed, recovered.next_seq, recovered.sim.tick(), config.snapshot_interval);
    let (world, thread) = world::spawn(recovered.sim, config.queue_capacity, journal).map_err(StartError::Thread)?;
    tracing::info!(
        %addr,
        seed,
        acceleration = config.clock.acceleration,
        max_agents = config.settings.max_agents,
        "Reynard World started"
    );

    let (stop, stopped) = oneshot::channel::<()>();
    let shutdown = async move {
        let _ = stopped.await;
    };
    let state = AppState {
        world: world.clone(),
        auth,
        http: Arc::new(config.http.clone()),
        trusted_proxies: Arc::new(config.auth.trusted_proxies.clone()),
        mcp_nudge_steps: (config.mcp_nudge_years * f64::from(config.settings.steps_per_year)).round() as u32,
    };
    let task = tokio::spawn(serve(listener, state, thread, writer_task, shutdown));
    Ok(RunningServer { addr, seed, world, stop, task })
}

impl RunningServer {
    /// Stops accepting connections, lets requests in flight finish, then
    /// stops and joins the world thread.
    pub async fn stop(self) -> std::io::Result<()> {
        let _ = self.stop.send(());
        match self.task.await {
            Ok(outcome) => outcome,
            Err(error) => Err(std::io::Error::other(error)),
        }
    }
}

async fn serve(
    listener: TcpListener,
    state: AppState,
    thread: WorldThread,
    writer_task: JoinHandle<()>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let world = state.world.clone();
    let app = http::router(state).into_make_service_with_connect_info::<SocketAddr>();

    // Graceful shutdown waits for every open connection, and a client that
    // never finishes sending its request would hold it forever; after
    // SHUTDOWN_GRACE the remaining connections are dropped.
    let (begun, begun_rx) = oneshot::channel::<()>();
    let shutdown = async move {
        shutdown.await;
        let _ = begun.send(());
    };
    let serving = axum::serve(listener, app).with_graceful_shutdown(shutdown).into_future();
    let deadline = async move {
        if begun_rx.await.is_ok() {
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    let served = tokio::select! {
        served = serving => served,
        () = deadline => {
            tracing::warn!(grace_seconds = SHUTDOWN_GRACE.as_secs(), "connections still open after the shutdown grace period; closing them");
            Ok(())
        }
    };
    tracing::info!("HTTP server stopped; stopping the world thread");

    world.shutdown();
    let clean = tokio::task::spawn_blocking(move || thread.join()).await.unwrap_or(false);
    if !clean {
        tracing::warn!("the world thread had panicked before shutdown");
    }
    if let Err(error) = writer_task.await {
        tracing::error!(%error, "journal writer failed while stopping");
    }
    served
}
