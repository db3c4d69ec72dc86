//! Accounts and sessions: `/api/auth/*` and `/api/protected`.

use reqwest::Method;
use serde::Serialize;

use crate::client::{Call, ReynardClient};
use crate::error::ClientError;
use crate::types::{Greeting, TokenPair, User};

#[derive(Serialize)]
struct RegisterBody<'a> {
    username: &'a str,
    email: &'a str,
    password: &'a str,
}

#[derive(Serialize)]
struct LoginBody<'a> {
    username: &'a str,
    password: &'a str,
}

#[derive(Serialize)]
struct LogoutBody<'a> {
    refresh_token: &'a str,
}

impl ReynardClient {
    /// Creates an account with the `user` role. It does not log in.
    ///
    /// The server returns 409 when the username or email is taken and 422
    /// when a field breaks its rule (username 3 to 32 characters of
    /// `A-Z a-z 0-9 _ . -`, password at least 8 characters).
    pub async fn register(&self, username: &str, email: &str, password: &str) -> Result<User, ClientError> {
        let url = self.url(&["api", "auth", "register"]);
        let call = Call::new(Method::POST, url, false).json(&RegisterBody { username, email, password });
        self.fetch(call).await
    }

    /// Logs in, keeps the access and refresh tokens for later calls, and
    /// returns them.
    pub async fn login(&self, username: &str, password: &str) -> Result<TokenPair, ClientError> {
        let url = self.url(&["api", "auth", "login"]);
        let call = Call::new(Method::POST, url, false).json(&LoginBody { username, password });
        let pair: TokenPair = self.fetch(call).await?;
        self.store_pair(&pair).await;
        Ok(pair)
    }

    /// Revokes the session on the server and clears the held tokens. The
    /// held refresh token is sent too, so the server revokes its session as well.
    pub async fn logout(&self) -> Result<(), ClientError> {
        let url = self.url(&["api", "auth", "logout"]);
        let call = match self.refresh_token().await {
            Some(refresh_token) => {
                Call::new(Method::POST, url, true).json(&LogoutBody { refresh_token: &refresh_token })
            }
            None => Call::new(Method::POST, url, true),
        };
        self.send(call).await?;
        self.clear_tokens().await;
        Ok(())
    }

    /// Returns the logged-in account.
    pub async fn me(&self) -> Result<User, ClientError> {
        let url = self.url(&["api", "auth", "me"]);
        self.fetch(Call::new(Method::GET, url, true)).await
    }

    /// Fetches the greeting of `GET /api/protected`, the original backend's
    /// example of a route that needs a token.
    pub async fn protected(&self) -> Result<Greeting, ClientError> {
        let url = self.url(&["api", "protected"]);
        self.fetch(Call::new(Method::GET, url, true)).await
    }
}
