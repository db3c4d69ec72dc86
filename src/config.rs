//! Server configuration from environment variables, optionally loaded from `.env`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::str::FromStr;

use reynard_systems::clock::check_acceleration;

use crate::auth::config::MIN_SECRET_BYTES;
use crate::auth::password::MIN_ITERATIONS;
use crate::auth::{AuthConfig, BootstrapAdmin};
use reynard_systems::simulation::ClockConfig;
use reynard_systems::Settings;

/// A configuration variable with a value the server cannot use.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("invalid {variable}: {rule}, got '{value}'")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub variable: &'static str,
    /// The expected form.
    pub rule: String,
    /// The value as given.
    pub value: String,
}

/// Everything the server reads at startup.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Address to listen on (`HOST`).
    pub host: IpAddr,
    /// Port to listen on (`PORT`); 0 picks a free one.
    pub port: u16,
    /// Filter for log output (`LOG_LEVEL`), in `tracing_subscriber::EnvFilter` syntax.
    pub log_level: String,
    /// Seed of the world RNG (`WORLD_SEED`); drawn at startup when unset.
    pub seed: Option<u64>,
    /// Clock speed and the length of a simulated year.
    pub clock: ClockConfig,
    /// Simulation rules handed to the world.
    pub settings: Settings,
    /// Commands that may wait for the world thread before requests get 503.
    pub queue_capacity: usize,
    /// Simulated years each successful MCP tool call advances the clock by,
    /// rounded to whole steps; 0 disables it (`MCP_TIME_NUDGE_YEARS`).
    pub mcp_nudge_years: f64,
    /// Real time between periodic world snapshots (`SNAPSHOT_INTERVAL_SECONDS`).
    pub snapshot_interval: std::time::Duration,
    /// Accounts, tokens and throttles.
    pub auth: AuthConfig,
    /// Browser-facing protections.
    pub http: HttpConfig,
}

/// Settings of the HTTP surface that browsers see.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpConfig {
    /// Origins allowed by CORS, matched exactly (`ALLOWED_ORIGINS`).
    pub allowed_origins: Vec<String>,
    /// Host names accepted in the `Host` header, with any port (`TRUSTED_HOSTS`).
    pub trusted_hosts: Vec<String>,
    /// Whether to send `Strict-Transport-Security` (`HSTS_ENABLED`).
    pub hsts: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            allowed_origins: vec!["http://localhost:3000".to_owned(), "http://localhost:5173".to_owned()],
            trusted_hosts: vec!["localhost".to_owned(), "127.0.0.1".to_owned(), "[::1]".to_owned()],
            hsts: false,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: IpAddr::from([127, 0, 0, 1]),
            port: 8000,
            log_level: "info".to_owned(),
            seed: None,
            clock: ClockConfig::default(),
            settings: Settings::default(),
            queue_capacity: 1024,
            snapshot_interval: std::time::Duration::from_secs(30),
            mcp_nudge_years: 0.05,
            auth: AuthConfig::default(),
            http: HttpConfig::default(),
        }
    }
}

impl Config {
    /// Reads the configuration from the process environment.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_vars(&std::env::vars().collect())
    }

    /// Reads the configuration from `vars`; unset variables take their defaults.
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Config, ConfigError> {
        let reader = Reader { vars };
        let defaults = Config::default();
        let default_settings = &defaults.settings;

        let steps_per_year: u32 = reader.parse("STEPS_PER_YEAR", "a whole number from 1 to 10000", |v| (1..=10_000).contains(v))?
            .unwrap_or(default_settings.steps_per_year);
        let per_year = f64::from(steps_per_year);
        let years_to_steps = |years: f64| (years * per_year).round() as u32;

        let acceleration = reader
            .parse("TIME_ACCELERATION", "a number from 0.1 to 100", |v: &f64| check_acceleration(*v).is_ok())?
            .unwrap_or(defaults.clock.acceleration);
        let seconds_per_year = reader
            .parse("SIM_SECONDS_PER_YEAR", "a number of seconds from 0.001 to 31557600", |v: &f64| {
                v.is_finite() && (0.001..=31_557_600.0).contains(v)
            })?
            .unwrap_or(defaults.clock.seconds_per_year);
        let cooldown_years = reader
            .parse("BREEDING_COOLDOWN_YEARS", "a number of years from 0 to 100", |v: &f64| (0.0..=100.0).contains(v))?
            .unwrap_or(1.0);
        let interval_years = reader
            .parse("BREEDING_INTERVAL_YEARS", "a number of years of at least one step and at most 100", |v: &f64| {
                (0.0..=100.0).contains(v) && (v * per_year).round() >= 1.0
            })?
            .unwrap_or(1.0);

        let settings = Settings {
            steps_per_year,
            max_agents: reader
                .parse("MAX_AGENTS", "a whole number from 1 to 10000000", |v| (1..=10_000_000).contains(v))?
                .unwrap_or(default_settings.max_agents),
            breeding_cooldown_steps: years_to_steps(cooldown_years),
            max_offspring: reader
                .parse("MAX_OFFSPRING", "a whole number from 0 to 1000", |v| (0..=1000).contains(v))?
                .unwrap_or(default_settings.max_offspring),
            kinship_limit: reader
                .parse("KINSHIP_LIMIT", "a number from 0 to 1", |v: &f64| (0.0..=1.0).contains(v))?
                .unwrap_or(default_settings.kinship_limit),
            compatibility_threshold: reader
                .parse("COMPATIBILITY_THRESHOLD", "a number from 0 to 1", |v: &f64| (0.0..=1.0).contains(v))?
                .unwrap_or(default_settings.compatibility_threshold),
            breeding_interval_steps: years_to_steps(interval_years),
            mutation_stddev: reader
                .parse("MUTATION_STDDEV", "a number from 0 to 1", |v: &f64| (0.0..=1.0).contains(v))?
                .unwrap_or(default_settings.mutation_stddev),
            breeding_enabled: reader
                .parse_bool("BREEDING_ENABLED")?
                .unwrap_or(default_settings.breeding_enabled),
        };

        Ok(Config {
            host: reader.parse("HOST", "an IPv4 or IPv6 address", |_| true)?.unwrap_or(defaults.host),
            port: reader.parse("PORT", "a port number from 0 to 65535", |_| true)?.unwrap_or(defaults.port),
            log_level: reader.text("LOG_LEVEL").unwrap_or(defaults.log_level),
            seed: reader.parse("WORLD_SEED", "a whole number from 0 to 18446744073709551615", |_| true)?,
            clock: ClockConfig { seconds_per_year, acceleration },
            settings,
            queue_capacity: reader
                .parse("COMMAND_QUEUE_CAPACITY", "a whole number from 1 to 1000000", |v| (1..=1_000_000).contains(v))?
                .unwrap_or(defaults.queue_capacity),
            mcp_nudge_years: reader
                .parse("MCP_TIME_NUDGE_YEARS", "a number of years from 0 to 10", |v: &f64| (0.0..=10.0).contains(v))?
                .unwrap_or(defaults.mcp_nudge_years),
            snapshot_interval: reader
                .parse("SNAPSHOT_INTERVAL_SECONDS", "a whole number of seconds from 1 to 86400", |v: &u64| (1..=86_400).contains(v))?
                .map_or(defaults.snapshot_interval, std::time::Duration::from_secs),
            auth: read_auth(&reader)?,
            http: read_http(&reader)?,
        })
    }
}

/// How to make a key, shown when `SECRET_KEY` is missing or short.
const SECRET_HINT: &str = "generate one with: openssl rand -hex 32";

fn read_auth(reader: &Reader) -> Result<AuthConfig, ConfigError> {
    let defaults = AuthConfig::default();
    let debug = reader.parse_bool("DEBUG")?.unwrap_or(false);

    let secret_key = match reader.text("SECRET_KEY") {
        Some(key) if key.len() >= MIN_SECRET_BYTES => Some(key.into_bytes()),
        Some(key) => {
            return Err(ConfigError {
                variable: "SECRET_KEY",
                rule: format!("expected at least {MIN_SECRET_BYTES} bytes ({SECRET_HINT})"),
                value: format!("<{} bytes, hidden>", key.len()),
            });
        }
        None if debug => None,
        None => {
            return Err(ConfigError {
                variable: "SECRET_KEY",
                rule: format!("must be set unless DEBUG=true ({SECRET_HINT})"),
                value: String::new(),
            });
        }
    };

    let min_iterations = if debug { 1 } else { MIN_ITERATIONS };
    let iterations_rule = format!("a whole number from {min_iterations} to 10000000 (below {MIN_ITERATIONS} only with DEBUG=true)");
    let iterations = reader
        .parse("PBKDF2_ITERATIONS", &iterations_rule, |v: &u32| (min_iterations..=10_000_000).contains(v))?
        .unwrap_or(defaults.iterations);

    let bootstrap_admin = match (reader.text("BOOTSTRAP_ADMIN_USERNAME"), reader.text("BOOTSTRAP_ADMIN_PASSWORD")) {
        (Some(username), Some(password)) => Some(BootstrapAdmin {
            email: reader.text("BOOTSTRAP_ADMIN_EMAIL").unwrap_or_else(|| format!("{username}@example.invalid")),
            username,
            password,
        }),
        (None, None) => None,
        (Some(_), None) => return Err(missing_pair("BOOTSTRAP_ADMIN_PASSWORD", "BOOTSTRAP_ADMIN_USERNAME")),
        (None, Some(_)) => return Err(missing_pair("BOOTSTRAP_ADMIN_USERNAME", "BOOTSTRAP_ADMIN_PASSWORD")),
    };

    let minutes = reader
        .parse("ACCESS_TOKEN_EXPIRE_MINUTES", "a whole number of minutes from 1 to 1440", |v: &u64| (1..=1440).contains(v))?
        .map(|minutes| std::time::Duration::from_secs(minutes * 60));
    let days = reader
        .parse("REFRESH_TOKEN_EXPIRE_DAYS", "a whole number of days from 1 to 365", |v: &u64| (1..=365).contains(v))?
        .map(|days| std::time::Duration::from_secs(days * 24 * 3600));

    Ok(AuthConfig {
        database_url: reader.text("DATABASE_URL").unwrap_or(defaults.database_url),
        debug,
        secret_key,
        issuer: reader.text("JWT_ISSUER").unwrap_or(defaults.issuer),
        access_ttl: minutes.unwrap_or(defaults.access_ttl),
        refresh_ttl: days.unwrap_or(defaults.refresh_ttl),
        iterations,
        hash_concurrency: defaults.hash_concurrency,
        bootstrap_admin,
        rate_per_minute: reader
            .parse("AUTH_RATE_LIMIT_PER_MINUTE", "a whole number from 1 to 100000", |v| (1..=100_000).contains(v))?
            .unwrap_or(defaults.rate_per_minute),
        rate_burst: reader
            .parse("AUTH_RATE_LIMIT_BURST", "a whole number from 1 to 10000", |v| (1..=10_000).contains(v))?
            .unwrap_or(defaults.rate_burst),
        trusted_proxies: reader.list("TRUSTED_PROXIES", "a comma-separated list of IP addresses")?.unwrap_or_default(),
    })
}

fn missing_pair(missing: &'static str, given: &str) -> ConfigError {
    ConfigError { variable: missing, rule: format!("must be set together with {given}"), value: String::new() }
}

fn read_http(reader: &Reader) -> Result<HttpConfig, ConfigError> {
    let defaults = HttpConfig::default();
    let origins: Option<Vec<String>> = reader.list("ALLOWED_ORIGINS", "a comma-separated list of origins such as http://localhost:3000")?;
    if let Some(bad) = origins.iter().flatten().find(|origin| !is_origin(origin)) {
        return Err(ConfigError {
            variable: "ALLOWED_ORIGINS",
            rule: "expected origins of the form scheme://host[:port], without a path or a wildcard".to_owned(),
            value: bad.clone(),
        });
    }
    Ok(HttpConfig {
        allowed_origins: origins.unwrap_or(defaults.allowed_origins),
        trusted_hosts: reader
            .list("TRUSTED_HOSTS", "a comma-separated list of host names")?
            .map(|hosts: Vec<String>| hosts.into_iter().map(|host| host.to_ascii_lowercase()).collect())
            .unwrap_or(defaults.trusted_hosts),
        hsts: reader.parse_bool("HSTS_ENABLED")?.unwrap_or(defaults.hsts),
    })
}

fn is_origin(origin: &str) -> bool {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return false;
    };
    matches!(scheme, "http" | "https") && !rest.is_empty() && !rest.contains(['/', '*', ' '])
}

/// Reads typed values out of a variable map, treating empty values as unset.
struct Reader<'a> {
    vars: &'a HashMap<String, String>,
}

impl Reader<'_> {
    fn text(&self, variable: &str) -> Option<String> {
        self.vars.get(variable).map(|value| value.trim().to_owned()).filter(|value| !value.is_empty())
    }

    fn parse<T: FromStr>(
        &self,
        variable: &'static str,
        rule: &str,
        accept: impl Fn(&T) -> bool,
    ) -> Result<Option<T>, ConfigError> {
        let Some(text) = self.text(variable) else {
            return Ok(None);
        };
        match text.parse::<T>() {
            Ok(value) if accept(&value) => Ok(Some(value)),
            _ => Err(ConfigError { variable, rule: format!("expected {rule}"), value: text }),
        }
    }

    fn list<T: FromStr>(&self, variable: &'static str, rule: &str) -> Result<Option<Vec<T>>, ConfigError> {
        let Some(text) = self.text(variable) else {
            return Ok(None);
        };
        text.split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| {
                item.parse::<T>().map_err(|_| ConfigError {
                    variable,
                    rule: format!("expected {rule}"),
                    value: item.to_owned(),
                })
            })
            .collect::<Result<Vec<T>, _>>()
            .map(Some)
    }

    fn parse_bool(&self, variable: &'static str) -> Result<Option<bool>, ConfigError> {
        let Some(text) = self.text(variable) else {
            return Ok(None);
        };
        match text.to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" | "on" => Ok(Some(true)),
            "false" | "0" | "no" | "off" => Ok(Some(false)),
            _ => Err(ConfigError { variable, rule: "expected true or false".to_owned(), value: text }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    const KEY: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn defaults_when_unset() {
        let config = Config::from_vars(&vars(&[("SECRET_KEY", KEY)])).unwrap();
        let expected = Config {
            auth: AuthConfig { secret_key: Some(KEY.as_bytes().to_vec()), ..AuthConfig::default() },
            ..Config::default()
        };
        assert_eq!(config, expected);
    }

    #[test]
    fn secret_required_outside_debug() {
        let error = Config::from_vars(&HashMap::new()).unwrap_err();
        assert_eq!(error.variable, "SECRET_KEY");
        assert!(error.to_string().contains("openssl rand -hex 32"), "{error}");
    }

    #[test]
    fn short_secret_rejected_without_echo() {
        let error = Config::from_vars(&vars(&[("SECRET_KEY", "short-secret")])).unwrap_err();
        assert_eq!(error.variable, "SECRET_KEY");
        assert!(!error.to_string().contains("short-secret"), "{error}");
    }

    #[test]
    fn debug_allows_missing_secret_and_low_iterations() {
        let config = Config::from_vars(&vars(&[("DEBUG", "true"), ("PBKDF2_ITERATIONS", "1000")])).unwrap();
        assert_eq!(config.auth.secret_key, None);
        assert_eq!(config.auth.iterations, 1000);
    }

    #[test]
    fn low_iterations_rejected_outside_debug() {
        let error = Config::from_vars(&vars(&[("SECRET_KEY", KEY), ("PBKDF2_ITERATIONS", "99999")])).unwrap_err();
        assert_eq!(error.variable, "PBKDF2_ITERATIONS");
    }

    #[test]
    fn wildcard_origin_rejected() {
        let error = Config::from_vars(&vars(&[("SECRET_KEY", KEY), ("ALLOWED_ORIGINS", "*")])).unwrap_err();
        assert_eq!(error.variable, "ALLOWED_ORIGINS");
    }

    #[test]
    fn admin_password_needs_username() {
        let error = Config::from_vars(&vars(&[("SECRET_KEY", KEY), ("BOOTSTRAP_ADMIN_PASSWORD", "x")])).unwrap_err();
        assert_eq!(error.variable, "BOOTSTRAP_ADMIN_USERNAME");
    }

    #[test]
    fn acceleration_out_of_range_names_variable() {
        let error = Config::from_vars(&vars(&[("TIME_ACCELERATION", "250")])).unwrap_err();
        assert_eq!(error.variable, "TIME_ACCELERATION");
        assert_eq!(error.to_string(), "invalid TIME_ACCELERATION: expected a number from 0.1 to 100, got '250'");
    }

    #[test]
    fn non_finite_acceleration_rejected() {
        for value in ["NaN", "inf", "-inf", "fast"] {
            assert!(Config::from_vars(&vars(&[("TIME_ACCELERATION", value)])).is_err(), "{value}");
        }
    }

    #[test]
    fn years_become_whole_steps() {
        let config = Config::from_vars(&vars(&[
            ("STEPS_PER_YEAR", "12"),
            ("BREEDING_COOLDOWN_YEARS", "0.5"),
            ("BREEDING_INTERVAL_YEARS", "2"),
            ("SECRET_KEY", KEY),
        ]))
        .unwrap();
        assert_eq!(config.settings.breeding_cooldown_steps, 6);
        assert_eq!(config.settings.breeding_interval_steps, 24);
    }

    #[test]
    fn bad_boolean_rejected() {
        let error = Config::from_vars(&vars(&[("BREEDING_ENABLED", "maybe")])).unwrap_err();
        assert_eq!(error.variable, "BREEDING_ENABLED");
    }

    #[test]
    fn interval_below_one_step_rejected() {
        let error = Config::from_vars(&vars(&[("BREEDING_INTERVAL_YEARS", "0.001")])).unwrap_err();
        assert_eq!(error.variable, "BREEDING_INTERVAL_YEARS");
    }
}
