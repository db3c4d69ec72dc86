//! Every client method against a real server started in this process.

mod accounts;
mod agents;
mod common;
mod errors;
mod shapes;
mod tour;
mod world;
