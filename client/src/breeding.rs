//! Mate search, pairwise compatibility and automatic breeding.

use reqwest::Method;
use reynard_systems::views::{BreedingStatsView, CompatibilityView};

use crate::client::{Call, ReynardClient};
use crate::error::ClientError;
use crate::types::{EnableBreedingResponse, MatesResponse};

impl ReynardClient {
    /// Finds eligible partners for `agent_id`, most compatible first.
    /// `max_results` is 1 to 100 (the server uses 5 when it is `None`).
    pub async fn find_compatible_mates(
        &self,
        agent_id: &str,
        max_results: Option<usize>,
    ) -> Result<MatesResponse, ClientError> {
        let query = [("max_results", max_results.map(|max| max.to_string()))];
        let url = self.url_with_query(&["api", "ecs", "agents", agent_id, "mates"], &query);
        self.fetch(Call::new(Method::GET, url, true)).await
    }

    /// Compares two agents: compatibility, kinship, and every rule that
    /// keeps them from breeding now.
    pub async fn analyze_compatibility(
        &self,
        agent_id: &str,
        other_id: &str,
    ) -> Result<CompatibilityView, ClientError> {
        let url = self.url(&["api", "ecs", "agents", agent_id, "compatibility", other_id]);
        self.fetch(Call::new(Method::GET, url, true)).await
    }

    /// Turns automatic breeding on or off. Admin only: other accounts get 403.
    pub async fn enable_breeding(&self, enabled: bool) -> Result<EnableBreedingResponse, ClientError> {
        let query = [("enabled", Some(enabled.to_string()))];
        let url = self.url_with_query(&["api", "ecs", "breeding", "enable"], &query);
        self.fetch(Call::new(Method::POST, url, true)).await
    }

    /// Fetches population and breeding figures.
    pub async fn get_breeding_stats(&self) -> Result<BreedingStatsView, ClientError> {
        let url = self.url(&["api", "ecs", "breeding", "stats"]);
        self.fetch(Call::new(Method::GET, url, true)).await
    }
}
