//! The durable world: a journal of every acknowledged command and periodic
//! snapshots in the database, and recovery of the exact world at startup.

pub mod recovery;
pub mod store;
pub mod writer;
