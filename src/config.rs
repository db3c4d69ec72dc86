//! Server configuration from environment variables, optionally loaded from `.env`.

use std::collections::HashMap;
use std::net::IpAddr;
use std::str::FromStr;

use reynard_systems::clock::check_acceleration;
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
        })
    }
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

    #[test]
    fn defaults_when_unset() {
        assert_eq!(Config::from_vars(&HashMap::new()).unwrap(), Config::default());
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
