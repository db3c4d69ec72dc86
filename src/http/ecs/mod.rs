//! Routes under `/api/ecs`, one module per resource, with the original API's paths.

pub(crate) mod agents;
pub(super) mod breeding;
pub(super) mod compatibility;
pub(super) mod export;
pub(super) mod lineage;
pub(super) mod naming;
pub(super) mod offspring;
pub(super) mod status;
pub(super) mod time;


use super::error::ApiError;
use super::routes::Routes;

pub fn router() -> Routes {
    Routes::new()
        .merge(agents::router())
        .merge(offspring::router())
        .merge(compatibility::router())
        .merge(export::router())
        .merge(lineage::router())
        .merge(breeding::router())
        .merge(time::router())
        .merge(naming::router())
        .merge(status::router())
}

/// Checks that `value` lies in `low..=high`, naming `field` otherwise.
pub(crate) fn check_range<T: PartialOrd + std::fmt::Display>(field: &str, value: T, low: T, high: T) -> Result<T, ApiError> {
    if value < low || value > high {
        return Err(ApiError::field(field, format!("must be between {low} and {high}, got {value}")));
    }
    Ok(value)
}

/// Parses a name from a fixed list, naming `field` and where the list is served otherwise.
pub(crate) fn parse_choice<T: std::str::FromStr>(field: &str, text: &str, listed_at: &str) -> Result<T, ApiError> {
    text.parse()
        .map_err(|_| ApiError::field(field, format!("must be one of the values listed at {listed_at}, got '{text}'")))
}
