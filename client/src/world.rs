//! The world as a whole: health, status, digest, export and the naming lists.

use reqwest::Method;
use reynard_systems::WorldSnapshot;

use crate::client::{Call, ReynardClient};
use crate::error::ClientError;
use crate::types::{Digest, Health, SpiritList, StatusView, StyleList};

impl ReynardClient {
    /// Checks that the server is up and its world thread replies, as a first
    /// call before any other. No token is needed.
    pub async fn start(&self) -> Result<(), ClientError> {
        self.health().await.map(|_| ())
    }

    /// Fetches the health report. The server returns 503 when its world
    /// thread has stopped or does not reply within 2 seconds.
    pub async fn health(&self) -> Result<Health, ClientError> {
        let url = self.url(&["api", "health"]);
        self.fetch(Call::new(Method::GET, url, false)).await
    }

    /// Fetches the world at a glance: population, seed, breeding and clock.
    pub async fn get_world_status(&self) -> Result<StatusView, ClientError> {
        let url = self.url(&["api", "ecs", "status"]);
        self.fetch(Call::new(Method::GET, url, true)).await
    }

    /// Fetches the world digest and the tick it describes.
    pub async fn digest(&self) -> Result<Digest, ClientError> {
        let url = self.url(&["api", "ecs", "digest"]);
        self.fetch(Call::new(Method::GET, url, true)).await
    }

    /// Fetches the whole world as a snapshot, the format `reynard restore`
    /// reads. Admin only.
    pub async fn export(&self) -> Result<WorldSnapshot, ClientError> {
        let url = self.url(&["api", "ecs", "export"]);
        self.fetch(Call::new(Method::GET, url, true)).await
    }

    /// Fetches the export as the server sends it, pretty-printed JSON, for
    /// saving as a backup file or comparing byte for byte. Admin only.
    pub async fn export_json(&self) -> Result<String, ClientError> {
        let url = self.url(&["api", "ecs", "export"]);
        let response = self.send(Call::new(Method::GET, url, true)).await?;
        Ok(response.text().await?)
    }

    /// Lists every spirit, flat and by family, with the default.
    pub async fn list_spirits(&self) -> Result<SpiritList, ClientError> {
        let url = self.url(&["api", "ecs", "naming", "spirits"]);
        self.fetch(Call::new(Method::GET, url, true)).await
    }

    /// Lists every naming style with a description, and the default.
    pub async fn list_styles(&self) -> Result<StyleList, ClientError> {
        let url = self.url(&["api", "ecs", "naming", "styles"]);
        self.fetch(Call::new(Method::GET, url, true)).await
    }
}
