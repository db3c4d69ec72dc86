//! Agents: listing, lookup, creation, manual breeding and lineage.

use reqwest::Method;
use reynard_systems::views::{AgentDetail, AgentPage, AgentSummary, LineageView};
use reynard_systems::{AgentFilter, NamingStyle, Spirit};

use crate::client::{Call, ReynardClient};
use crate::error::ClientError;
use crate::types::{CreateAgentRequest, CreateOffspringRequest};

/// Largest page the server returns.
pub const MAX_PAGE_SIZE: usize = 1000;

impl ReynardClient {
    /// Fetches one page of agents in creation order.
    ///
    /// `limit` is 1 to [`MAX_PAGE_SIZE`], and the server uses 100 when it is
    /// `None`. `cursor` is the `next_cursor` of the previous page. `filter`
    /// keeps only agents of a spirit, a life stage, or living or dead.
    pub async fn get_agents(
        &self,
        limit: Option<usize>,
        cursor: Option<&str>,
        filter: &AgentFilter,
    ) -> Result<AgentPage, ClientError> {
        let query = [
            ("limit", limit.map(|limit| limit.to_string())),
            ("cursor", cursor.map(str::to_owned)),
            ("spirit", filter.spirit.map(|spirit| spirit.slug().to_owned())),
            ("stage", filter.stage.map(|stage| stage.slug().to_owned())),
            ("alive", filter.alive.map(|alive| alive.to_string())),
        ];
        let url = self.url_with_query(&["api", "ecs", "agents"], &query);
        self.fetch(Call::new(Method::GET, url, true)).await
    }

    /// Fetches every agent that matches `filter`, following the cursor
    /// through pages of [`MAX_PAGE_SIZE`].
    pub async fn get_all_agents(&self, filter: &AgentFilter) -> Result<Vec<AgentSummary>, ClientError> {
        let mut agents = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self.get_agents(Some(MAX_PAGE_SIZE), cursor.as_deref(), filter).await?;
            agents.extend(page.agents);
            match page.next_cursor {
                Some(next) => cursor = Some(next),
                None => return Ok(agents),
            }
        }
    }

    /// Fetches everything about one agent. The server returns 404 when no
    /// agent has the id.
    pub async fn get_agent(&self, agent_id: &str) -> Result<AgentDetail, ClientError> {
        let url = self.url(&["api", "ecs", "agents", agent_id]);
        self.fetch(Call::new(Method::GET, url, true)).await
    }

    /// Creates a newborn founder with a generated name and drawn traits.
    /// See [`ReynardClient::create_agent_with`] for the other fields.
    pub async fn create_agent(
        &self,
        agent_id: &str,
        spirit: Spirit,
        style: NamingStyle,
    ) -> Result<AgentDetail, ClientError> {
        self.create_agent_with(&CreateAgentRequest::new(agent_id).spirit(spirit).style(style)).await
    }

    /// Creates a founder from `request`.
    ///
    /// The server returns 409 when the id is taken or the population is at
    /// its cap, and 422 when a field breaks its rule.
    pub async fn create_agent_with(&self, request: &CreateAgentRequest) -> Result<AgentDetail, ClientError> {
        let url = self.url(&["api", "ecs", "agents"]);
        self.fetch(Call::new(Method::POST, url, true).json(request)).await
    }

    /// Breeds `parent1` and `parent2` into a new agent `offspring_id` with a
    /// generated name.
    pub async fn create_offspring(
        &self,
        parent1: &str,
        parent2: &str,
        offspring_id: &str,
    ) -> Result<AgentDetail, ClientError> {
        self.create_offspring_with(&CreateOffspringRequest::new(parent1, parent2, offspring_id)).await
    }

    /// Breeds the parents of `request`.
    ///
    /// The server returns 404 for a missing parent, and 409 listing every
    /// failed rule when the pair may not breed or the id is taken.
    pub async fn create_offspring_with(&self, request: &CreateOffspringRequest) -> Result<AgentDetail, ClientError> {
        let url = self.url(&["api", "ecs", "agents", "offspring"]);
        self.fetch(Call::new(Method::POST, url, true).json(request)).await
    }

    /// Fetches an agent's parents, children, ancestors and descendants up to
    /// `depth` generations, 1 to 16 (the server uses 3 when it is `None`).
    pub async fn get_agent_lineage(&self, agent_id: &str, depth: Option<u32>) -> Result<LineageView, ClientError> {
        let query = [("depth", depth.map(|depth| depth.to_string()))];
        let url = self.url_with_query(&["api", "ecs", "agents", agent_id, "lineage"], &query);
        self.fetch(Call::new(Method::GET, url, true)).await
    }
}
