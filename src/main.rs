//! The `reynard` binary: reads the configuration, starts the server and stops
//! it cleanly on SIGINT or SIGTERM.

use std::io::IsTerminal;
use std::process::ExitCode;

use reynard::Config;
use tokio::net::TcpListener;
use tracing_subscriber::EnvFilter;

/// Exit code for a configuration the server cannot use.
const EXIT_CONFIG: u8 = 2;
/// Exit code for a failure while starting or serving.
const EXIT_RUNTIME: u8 = 1;

/// Returns the usage of the server and of every subcommand.
fn usage() -> String {
    format!(
        "usage: reynard            run the server (configured by environment variables or .env)\n{}\n{}\n{}",
        reynard::admin::USAGE,
        reynard::restore::USAGE,
        reynard::bridge::USAGE
    )
}

fn main() -> ExitCode {
    if let Err(error) = dotenvy::dotenv()
        && !error.not_found()
    {
        eprintln!("reynard: could not read .env: {error}");
        return ExitCode::from(EXIT_CONFIG);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("admin") => return run_subcommand(&args[1..], Subcommand::Admin),
        Some("restore") => return run_subcommand(&args[1..], Subcommand::Restore),
        Some("mcp") => return run_subcommand(&args[1..], Subcommand::Mcp),
        Some("-h" | "--help") => {
            println!("{}", usage());
            return ExitCode::SUCCESS;
        }
        Some(other) => {
            eprintln!("reynard: unknown argument '{other}'\n{}", usage());
            return ExitCode::from(EXIT_CONFIG);
        }
        None => {}
    }

    let config = match Config::from_env() {
        Ok(config) => config,
        Err(error) => {
            eprintln!("reynard: {error}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    let filter = match EnvFilter::try_new(&config.log_level) {
        Ok(filter) => filter,
        Err(error) => {
            eprintln!("reynard: invalid LOG_LEVEL: expected a level such as info or debug, or a filter such as reynard=debug: {error}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::stdout().is_terminal())
        .init();

    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            tracing::error!(%error, "could not start the async runtime");
            return ExitCode::from(EXIT_RUNTIME);
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!("{message}");
            ExitCode::from(EXIT_RUNTIME)
        }
    }
}

/// A command-line subcommand other than running the server.
enum Subcommand {
    Admin,
    Restore,
    Mcp,
}

/// Runs `reynard admin …` or `reynard restore …` and maps its outcome to an exit code.
fn run_subcommand(args: &[String], subcommand: Subcommand) -> ExitCode {
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("reynard: could not start the async runtime: {error}");
            return ExitCode::from(EXIT_RUNTIME);
        }
    };
    let vars = std::env::vars().collect();
    let outcome = match subcommand {
        Subcommand::Admin => runtime.block_on(reynard::admin::run(args, &vars)),
        Subcommand::Restore => runtime.block_on(reynard::restore::run(args, &vars)),
        Subcommand::Mcp => runtime.block_on(reynard::bridge::run(args, &vars)),
    };
    match outcome {
        Ok(message) => {
            if !message.is_empty() {
                println!("{message}");
            }
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("reynard: {message}");
            ExitCode::from(EXIT_CONFIG)
        }
    }
}

async fn run(config: Config) -> Result<(), String> {
    let signals = ShutdownSignals::install()?;
    let address = (config.host, config.port);
    let listener = TcpListener::bind(address)
        .await
        .map_err(|error| format!("could not listen on {}:{}: {error}", config.host, config.port))?;
    let server = reynard::start(config, listener).await.map_err(|error| error.to_string())?;

    signals.wait().await;
    tracing::info!("shutdown requested; finishing requests in flight");
    server.stop().await.map_err(|error| format!("server stopped with an error: {error}"))?;
    tracing::info!("Reynard World stopped");
    Ok(())
}

/// Listens for SIGINT (Ctrl-C) or SIGTERM. The handlers are registered when
/// it is created, before the server starts, so a signal that arrives right
/// after the startup line still gets a graceful stop.
#[cfg(unix)]
struct ShutdownSignals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl ShutdownSignals {
    fn install() -> Result<Self, String> {
        use tokio::signal::unix::{signal, SignalKind};
        let listen = |kind: SignalKind, name: &str| signal(kind).map_err(|error| format!("could not listen for {name}: {error}"));
        Ok(ShutdownSignals { interrupt: listen(SignalKind::interrupt(), "SIGINT")?, terminate: listen(SignalKind::terminate(), "SIGTERM")? })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// Listens for Ctrl-C where Unix signals are not available.
#[cfg(not(unix))]
struct ShutdownSignals;

#[cfg(not(unix))]
impl ShutdownSignals {
    fn install() -> Result<Self, String> {
        Ok(ShutdownSignals)
    }

    async fn wait(self) {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "could not listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    }
}
