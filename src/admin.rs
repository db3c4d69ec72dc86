//! `reynard admin`: create or promote an admin account from the command line.
//! The password is read from standard input, never from the arguments, so it
//! does not show in the process list or shell history.

use std::collections::HashMap;
use std::io::{BufRead, IsTerminal, Write};

use crate::auth::password::{self, DEFAULT_ITERATIONS, MIN_ITERATIONS};
use crate::auth::users::{self, CreateError, NewUser, Role};
use crate::auth::AuthConfig;
use crate::db::Database;

/// Usage of the subcommand.
pub const USAGE: &str = "usage:
  reynard admin create USERNAME [--email EMAIL]   create an admin; the password is read from standard input
  reynard admin promote USERNAME                  give an existing account the admin role

The database is DATABASE_URL (default sqlite:data/reynard.db); new hashes
use PBKDF2_ITERATIONS.";

/// Runs `reynard admin ARGS…` and returns the message to print on success.
pub async fn run(args: &[String], vars: &HashMap<String, String>) -> Result<String, String> {
    let database_url = vars.get("DATABASE_URL").cloned().unwrap_or_else(|| AuthConfig::default().database_url);
    let iterations = iterations(vars)?;

    match args {
        [command, username] if command == "promote" => {
            let (_, key) = users::normalize_username(username).map_err(|rule| format!("username {rule}"))?;
            let db = open(&database_url).await?;
            if users::promote(&db, &key).await.map_err(|error| error.to_string())? {
                Ok(format!("{username} is now an admin"))
            } else {
                Err(format!("no account named {username}; create it with: reynard admin create {username}"))
            }
        }
        [command, username, rest @ ..] if command == "create" => {
            let email = match rest {
                [] => format!("{username}@example.invalid"),
                [flag, email] if flag == "--email" => email.clone(),
                _ => return Err(USAGE.to_owned()),
            };
            let password = read_password()?;
            create(&database_url, username, &email, &password, iterations).await
        }
        _ => Err(USAGE.to_owned()),
    }
}

fn iterations(vars: &HashMap<String, String>) -> Result<u32, String> {
    let debug = vars.get("DEBUG").is_some_and(|value| value.eq_ignore_ascii_case("true"));
    let Some(text) = vars.get("PBKDF2_ITERATIONS") else {
        return Ok(DEFAULT_ITERATIONS);
    };
    match text.trim().parse::<u32>() {
        Ok(count) if count >= MIN_ITERATIONS || (debug && count > 0) => Ok(count),
        _ => Err(format!(
            "invalid PBKDF2_ITERATIONS: expected a whole number of at least {MIN_ITERATIONS} (lower only with DEBUG=true), got '{text}'"
        )),
    }
}

async fn open(url: &str) -> Result<Database, String> {
    Database::connect(url).await.map_err(|error| error.to_string())
}

/// Reads one line from standard input, prompting when it is a terminal.
fn read_password() -> Result<String, String> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprint!("Password for the new admin (input is shown): ");
        let _ = std::io::stderr().flush();
    }
    let mut line = String::new();
    stdin.lock().read_line(&mut line).map_err(|error| format!("could not read the password: {error}"))?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    let password = password.strip_suffix('\r').unwrap_or(password);
    if password.is_empty() {
        return Err("no password on standard input".to_owned());
    }
    Ok(password.to_owned())
}

async fn create(url: &str, username: &str, email: &str, password: &str, iterations: u32) -> Result<String, String> {
    let (username, username_key) = users::normalize_username(username).map_err(|rule| format!("username {rule}"))?;
    let email_key = users::normalize_email(email).map_err(|rule| format!("email {rule}"))?;
    password::check_new(password, &username).map_err(|rule| format!("password {rule}"))?;

    let db = open(url).await?;
    let password_hash = password::hash(password, iterations);
    let new = NewUser { username: username.clone(), username_key, email: email.to_owned(), email_key, password_hash, role: Role::Admin };
    match users::create(&db, new).await {
        Ok(user) => Ok(format!("created admin {} ({})", user.username, user.id)),
        Err(CreateError::UsernameTaken) => Err(format!(
            "an account named {username} exists; promote it with: reynard admin promote {username}"
        )),
        Err(error) => Err(error.to_string()),
    }
}
