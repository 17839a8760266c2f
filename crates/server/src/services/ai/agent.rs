//! What an agent is, and how a workflow records the agents it runs.
//!
//! An agent is one typed step of advice on the real engines (a recommender over stored builds,
//! the gear engine, the squad analyzer...): typed input and output, async, explicit errors,
//! cancellable through its run's token. A workflow chains agents with ordinary code, calling
//! each through a [`Recorder`], which keeps every step's input, output, status and duration,
//! stores them with the run and publishes them to the run's WebSocket topic as they happen.

use std::future::Future;
use std::time::Instant;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use store::users::User;
use tokio_util::sync::CancellationToken;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::ApiError;
use crate::events::EventBus;
use crate::services::engines::Caller;
use store::Db;

/// The language an agent writes its summary in (the chat's: one `Lang` for the adviser).
pub use crate::services::lang::Lang;

/// Who runs an agent, in which language, and the token that cancels the run.
#[derive(Clone)]
pub struct RunContext {
    pub user: Option<User>,
    pub caller: Caller,
    pub lang: Lang,
    pub cancel: CancellationToken,
}

impl RunContext {
    pub fn new(user: Option<User>, caller: Caller, lang: Lang) -> Self {
        RunContext {
            user,
            caller,
            lang,
            cancel: CancellationToken::new(),
        }
    }
}

/// Why an agent did not answer.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    /// The API's own error (bad input on a field, not found, forbidden, busy...).
    #[error(transparent)]
    Api(#[from] ApiError),
    #[error("cancelled")]
    Cancelled,
}

impl From<AgentError> for ApiError {
    fn from(e: AgentError) -> Self {
        match e {
            AgentError::Api(api) => api,
            AgentError::Cancelled => ApiError::Conflict("the run was cancelled".into()),
        }
    }
}

/// One step of advice.
pub trait Agent: Send + Sync {
    type Input: Serialize + DeserializeOwned + Send + Sync;
    type Output: Serialize + Send + Sync;
    /// The agent's name in recorded steps and progress events.
    const NAME: &'static str;
    fn run(
        &self,
        input: Self::Input,
        cx: &RunContext,
    ) -> impl Future<Output = Result<Self::Output, AgentError>> + Send;
}

/// Runs `agent` unless or until `cx` is cancelled.
pub async fn run_agent<A: Agent>(
    agent: &A,
    input: A::Input,
    cx: &RunContext,
) -> Result<A::Output, AgentError> {
    if cx.cancel.is_cancelled() {
        return Err(AgentError::Cancelled);
    }
    tokio::select! {
        out = agent.run(input, cx) => out,
        () = cx.cancel.cancelled() => Err(AgentError::Cancelled),
    }
}

/// One recorded step of a workflow run.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct StepRecord {
    pub agent: String,
    /// running | done | failed | cancelled
    pub status: String,
    pub input: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    pub started_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
}

/// The event-bus topic of a run's progress (followed over `/ws/mcm` with `run_id`).
pub fn run_topic(run_id: Uuid) -> String {
    format!("workflow:{run_id}")
}

/// Keeps a run's steps: in memory, in the database after each step, and on its topic.
pub struct Recorder {
    pub run_id: Uuid,
    pub steps: Vec<StepRecord>,
    db: Db,
    events: EventBus,
    clock: Clock,
}

impl Recorder {
    pub fn new(run_id: Uuid, db: Db, events: EventBus, clock: Clock) -> Self {
        Recorder {
            run_id,
            steps: Vec::new(),
            db,
            events,
            clock,
        }
    }

    /// Runs one agent as the workflow's next step and records it.
    pub async fn step<A: Agent>(
        &mut self,
        agent: &A,
        input: A::Input,
        cx: &RunContext,
    ) -> Result<A::Output, AgentError> {
        let index = self.steps.len();
        self.steps.push(StepRecord {
            agent: A::NAME.to_owned(),
            status: "running".into(),
            input: serde_json::to_value(&input).unwrap_or(Value::Null),
            output: None,
            error: None,
            started_at: self.clock.now(),
            duration_ms: None,
        });
        self.publish(index).await;
        let started = Instant::now();
        let out = run_agent(agent, input, cx).await;
        let duration = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        if let Some(step) = self.steps.get_mut(index) {
            step.duration_ms = Some(duration);
            match &out {
                Ok(output) => {
                    step.status = "done".into();
                    step.output = Some(serde_json::to_value(output).unwrap_or(Value::Null));
                }
                Err(AgentError::Cancelled) => step.status = "cancelled".into(),
                Err(e) => {
                    step.status = "failed".into();
                    step.error = Some(e.to_string());
                }
            }
        }
        self.save().await;
        self.publish(index).await;
        out
    }

    /// The steps as stored (a JSON array).
    pub fn steps_json(&self) -> String {
        serde_json::to_string(&self.steps).unwrap_or_else(|_| "[]".into())
    }

    async fn save(&self) {
        if let Err(e) =
            store::workflow_runs::set_steps(&self.db, self.run_id, &self.steps_json()).await
        {
            tracing::warn!(run = %self.run_id, error = %e, "workflow steps not saved");
        }
    }

    async fn publish(&self, index: usize) {
        if let Some(step) = self.steps.get(index) {
            self.events
                .publish(
                    &run_topic(self.run_id),
                    &json!({"type": "workflow_step", "run_id": self.run_id, "index": index, "step": step}),
                )
                .await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// An agent that takes a long time (a slow engine run).
    struct Slow;

    impl Agent for Slow {
        type Input = u64;
        type Output = u64;
        const NAME: &'static str = "slow";
        async fn run(&self, input: u64, _cx: &RunContext) -> Result<u64, AgentError> {
            tokio::time::sleep(Duration::from_secs(input)).await;
            Ok(input)
        }
    }

    fn cx() -> RunContext {
        RunContext::new(
            None,
            Caller::Anonymous(std::net::Ipv4Addr::LOCALHOST.into()),
            Lang::En,
        )
    }

    #[tokio::test]
    async fn a_cancelled_run_stops_its_agent_at_once() {
        let cx = cx();
        let token = cx.cancel.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            token.cancel();
        });
        let started = Instant::now();
        let out = run_agent(&Slow, 30, &cx).await;
        assert!(matches!(out, Err(AgentError::Cancelled)), "{out:?}");
        assert!(started.elapsed() < Duration::from_secs(5));
        // Once cancelled, the next step does not start.
        assert!(matches!(
            run_agent(&Slow, 0, &cx).await,
            Err(AgentError::Cancelled)
        ));
    }

    #[tokio::test]
    async fn an_agent_answers_when_not_cancelled() {
        assert_eq!(run_agent(&Slow, 0, &cx()).await.unwrap(), 0);
    }

    #[test]
    fn languages_from_headers() {
        assert_eq!(Lang::parse(Some("fr-FR")), Lang::Fr);
        assert_eq!(Lang::parse(Some(" FR")), Lang::Fr);
        assert_eq!(Lang::parse(Some("en-GB")), Lang::En);
        assert_eq!(Lang::parse(Some("de")), Lang::En);
        assert_eq!(Lang::parse(None), Lang::En);
    }
}
