//! The clock: read it, change its speed or pause it, and run steps now.

use reqwest::Method;
use reynard_systems::views::TimeView;
use serde::Serialize;

use crate::client::{Call, ReynardClient};
use crate::error::ClientError;

#[derive(Serialize)]
struct TimeBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    acceleration: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    paused: Option<bool>,
}

#[derive(Serialize)]
struct NudgeBody {
    steps: u32,
}

impl ReynardClient {
    /// Fetches the clock.
    pub async fn get_time(&self) -> Result<TimeView, ClientError> {
        let url = self.url(&["api", "ecs", "time"]);
        self.fetch(Call::new(Method::GET, url, true)).await
    }

    /// Changes the acceleration (simulated seconds per real second, 0.1 to
    /// 100), pauses or resumes the clock, or both. Admin only. Fields left
    /// `None` keep their value, and the server returns 422 when both are
    /// `None`.
    pub async fn set_time(&self, acceleration: Option<f64>, paused: Option<bool>) -> Result<TimeView, ClientError> {
        let url = self.url(&["api", "ecs", "time"]);
        let call = Call::new(Method::PUT, url, true).json(&TimeBody { acceleration, paused });
        self.fetch(call).await
    }

    /// Runs `steps` fixed steps now, 1 to 10 000, also while paused. Admin only.
    pub async fn nudge(&self, steps: u32) -> Result<TimeView, ClientError> {
        let url = self.url(&["api", "ecs", "time", "nudge"]);
        self.fetch(Call::new(Method::POST, url, true).json(&NudgeBody { steps })).await
    }
}
