//! Accounts and sessions: PBKDF2 passwords, JWT access and refresh tokens with
//! rotation and reuse detection, and throttles on the login routes.

pub mod config;
pub mod password;
pub mod rate_limit;
pub mod service;
pub mod sessions;
pub mod tokens;
pub mod users;

pub use config::{AuthConfig, BootstrapAdmin};
pub use service::{Auth, AuthError, Principal, TokenPair};
pub use users::{Role, User};
