//! Reynard World: one authoritative simulation of agents, served over HTTP.
//!
//! The simulation lives in the `reynard-systems` crate. This crate adds the
//! configuration, the world thread that owns the simulation, and the axum API.

pub mod config;
pub mod http;
pub mod server;
pub mod world;

pub use config::{Config, ConfigError};
pub use server::{start, RunningServer, StartError};
pub mod db; pub mod auth;
pub mod admin;
pub mod durability;
pub mod restore;
pub mod bridge;
