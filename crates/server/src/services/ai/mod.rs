//! The AI adviser: agents on the real engines and stored data, and the workflows that chain
//! them (see `agent` for the trait and the recording, `agents/` for each agent, `workflows`
//! for the chains). Runs happen in the background; their steps are stored and published on
//! the run's topic (followed over `/ws/mcm` with `run_id`).

pub mod agent;
pub mod agents;
pub mod workflows;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use store::users::User;
use store::Db;
use tokio_util::sync::CancellationToken;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};
use crate::events::EventBus;
use agent::{run_topic, AgentError, Recorder, RunContext, StepRecord};
use agents::build_optimization::BuildOptimization;
use agents::learning::LearningAgent;
use agents::meta_analysis::MetaAnalysis;
use agents::recommender::Recommender;
use agents::squad_planner::SquadPlanner;
use agents::team_analysis::TeamAnalysis;
use workflows::Workflow;

/// Every agent, built once at start-up with the services it reads.
pub struct Agents {
    /// Shared with the chat's grounding (build questions).
    pub recommender: Arc<Recommender>,
    pub build_optimization: BuildOptimization,
    pub team_analysis: TeamAnalysis,
    pub meta_analysis: MetaAnalysis,
    pub learning: LearningAgent,
    pub squad_planner: SquadPlanner,
}

/// A workflow run as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RunOut {
    pub id: Uuid,
    pub workflow: String,
    /// running | done | failed | cancelled
    pub status: String,
    #[schema(value_type = Object)]
    pub input: Value,
    pub steps: Vec<StepRecord>,
    #[schema(value_type = Option<Object>)]
    pub output: Option<Value>,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl RunOut {
    fn from_row(row: store::workflow_runs::RunRow) -> Self {
        RunOut {
            id: row.id,
            workflow: row.workflow,
            status: row.status,
            input: serde_json::from_str(&row.input).unwrap_or(Value::Null),
            steps: serde_json::from_str(&row.steps).unwrap_or_default(),
            output: row.output.and_then(|o| serde_json::from_str(&o).ok()),
            error: row.error,
            created_at: row.created_at,
            finished_at: row.finished_at,
        }
    }
}

/// The adviser service (clones share everything).
#[derive(Clone)]
pub struct Adviser {
    agents: Arc<Agents>,
    db: Db,
    events: EventBus,
    clock: Clock,
    /// Cancellation tokens of the runs this instance is running.
    running: Arc<Mutex<HashMap<Uuid, CancellationToken>>>,
}

impl Adviser {
    pub fn new(agents: Agents, db: Db, events: EventBus, clock: Clock) -> Self {
        Adviser {
            agents: Arc::new(agents),
            db,
            events,
            clock,
            running: Arc::default(),
        }
    }

    pub fn agents(&self) -> &Agents {
        &self.agents
    }

    /// Starts `workflow` for `cx`'s user in the background; answers at once with the run.
    pub async fn start(&self, workflow: &str, input: Value, cx: RunContext) -> ApiResult<RunOut> {
        let Some(user) = cx.user.clone() else {
            return Err(ApiError::Unauthorized(
                "workflows are run by signed-in users".into(),
            ));
        };
        let workflow = Workflow::named(workflow).ok_or_else(|| {
            ApiError::NotFound(format!(
                "no workflow {workflow:?}; there are {}",
                Workflow::ALL.map(Workflow::name).join(", ")
            ))
        })?;
        workflows::check_input(workflow, &input, &user)?;
        let id = Uuid::new_v4();
        let row = store::workflow_runs::create(
            &self.db,
            id,
            user.id,
            workflow.name(),
            &input.to_string(),
            self.clock.now(),
        )
        .await?;
        if let Ok(mut running) = self.running.lock() {
            running.insert(id, cx.cancel.clone());
        }
        let adviser = self.clone();
        tokio::spawn(async move { adviser.execute(id, workflow, input, cx).await });
        Ok(RunOut::from_row(row))
    }

    async fn execute(&self, id: Uuid, workflow: Workflow, input: Value, cx: RunContext) {
        let mut rec = Recorder::new(id, self.db.clone(), self.events.clone(), self.clock.clone());
        let out = workflows::run(workflow, &self.agents, input, &mut rec, &cx).await;
        let (status, output, error) = match out {
            Ok(output) => ("done", Some(output.to_string()), None),
            Err(AgentError::Cancelled) => ("cancelled", None, None),
            Err(e) => ("failed", None, Some(e.to_string())),
        };
        if let Err(e) = store::workflow_runs::finish(
            &self.db,
            id,
            status,
            &rec.steps_json(),
            output.as_deref(),
            error.as_deref(),
            self.clock.now(),
        )
        .await
        {
            tracing::warn!(run = %id, error = %e, "workflow end not saved");
        }
        if let Ok(mut running) = self.running.lock() {
            running.remove(&id);
        }
        let output: Value = output
            .and_then(|o| serde_json::from_str(&o).ok())
            .unwrap_or(Value::Null);
        self.events
            .publish(
                &run_topic(id),
                &json!({"type": "workflow_done", "run_id": id, "status": status, "output": output, "error": error}),
            )
            .await;
    }

    /// A run of `user` (404 for anyone else's: its existence is not disclosed).
    pub async fn run_of(&self, user: &User, id: Uuid) -> ApiResult<RunOut> {
        match store::workflow_runs::get(&self.db, id).await? {
            Some(row) if row.user_id == user.id || user.is_superuser => Ok(RunOut::from_row(row)),
            _ => Err(ApiError::NotFound("no such workflow run".into())),
        }
    }

    /// Cancels a running run of `user` (running on this instance); answers its state.
    pub async fn cancel(&self, user: &User, id: Uuid) -> ApiResult<RunOut> {
        let run = self.run_of(user, id).await?;
        if run.status == "running" {
            let token = self.running.lock().ok().and_then(|r| r.get(&id).cloned());
            if let Some(token) = token {
                token.cancel();
            }
        }
        Ok(run)
    }
}
