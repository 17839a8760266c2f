//! The learning loop (`gw2opt learn run`, `/api/v1/learning/*`): collect what users store
//! into versioned samples ([`collect`]), train every model kind of a task with k-fold
//! cross-validation against the baseline, register them all and select the best
//! (`learning::registry`), list the registry, export samples, turn the selected
//! fight-outcome model into the squad optimizer's weights (`learned_weights`), and rank
//! elite specializations by a player-contribution model selected in a run
//! (`TaskRunOut::specializations`).

pub mod collect;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures_util::Stream;
use learning::{Metrics, Snapshot, Task, TrainOptions};
use optimizer::squad::Resource;
use serde::{Deserialize, Serialize};
use store::learning::{self as repo, ModelRow, NewModel, NewSample, SnapshotRow};
use store::Db;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::clock::Clock;
use crate::error::{ApiError, ApiResult};

/// What `POST /learning/run` and `gw2opt learn run` are asked.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct RunRequest {
    /// `fight_outcome`, `build_rating`, `player_contribution` or `all` (default).
    #[serde(default)]
    pub task: Option<String>,
    /// Cross-validation folds, 2 to 20 (default 5; fewer when the data is small).
    #[serde(default)]
    pub folds: Option<usize>,
    /// Seed of the folds and importance shuffles (the same data and seed give the same
    /// linear models).
    #[serde(default)]
    pub seed: Option<u64>,
}

/// A registered model: its kind, the run's version, its cross-validated metrics against the
/// baseline and the data it was trained on.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ModelOut {
    pub id: Uuid,
    pub task: String,
    /// `logistic_regression`, `decision_tree`, `ridge` or `lasso`.
    pub kind: String,
    pub version: i64,
    /// The task's model in use (at most one per task).
    pub selected: bool,
    pub trained_at: DateTime<Utc>,
    /// `{metric, fold_scores, mean, sd, baseline_fold_scores, baseline_mean, baseline_sd,
    /// gain, gain_se, beats_baseline, samples, importance, correlation}`.
    #[schema(value_type = Object)]
    pub metrics: Metrics,
    /// `{id, task, version, size, sha256}` of the samples.
    #[schema(value_type = Object)]
    pub snapshot: Snapshot,
}

/// A collected snapshot of a task's samples.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SnapshotOut {
    /// `{task}@{version}`.
    pub id: String,
    pub task: String,
    pub version: i64,
    pub size: i64,
    pub sha256: String,
    /// False when the collection found exactly the previous version's samples (kept).
    pub new: bool,
    /// Rows read per source and rows skipped per reason.
    #[schema(value_type = Object)]
    pub sources: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// A model kind that could not be fitted in a run.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct KindFailure {
    pub kind: String,
    pub error: String,
}

/// One task of a run.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct TaskRunOut {
    pub task: String,
    /// The samples trained on (absent when collection failed).
    pub snapshot: Option<SnapshotOut>,
    /// The registry version of this run's models (absent when none was trained).
    pub version: Option<i64>,
    pub models: Vec<ModelOut>,
    /// The kind selected in this run: `null` when none beat the baseline clearly (the
    /// previous selection, if any, stands).
    pub selected: Option<String>,
    pub failures: Vec<KindFailure>,
    /// Why the task was not trained (too few samples, a single outcome...).
    pub error: Option<String>,
    /// `player_contribution` only, when this run selected a model: the elite
    /// specializations the model saw, best first, by the contribution index it predicts for
    /// a player of each at the average boon uptimes and squad of the samples
    /// (`learning::ranking`; 1.0 is a squad's average member). `null` otherwise.
    pub specializations: Option<Vec<SpecializationOut>>,
}

/// An elite specialization's predicted contribution index.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SpecializationOut {
    /// As the game names it (`Firebrand`).
    pub specialization: String,
    pub profession: String,
    /// 1.0 is a squad's average member.
    pub predicted: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RunOut {
    pub tasks: Vec<TaskRunOut>,
}

/// Which model weighted a squad's objective, and how (`weighted_by` of a squad plan).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct WeightedBy {
    /// The model's kind.
    pub model: String,
    pub version: i64,
    pub id: Uuid,
    pub task: String,
    /// The snapshot the model was trained on.
    pub snapshot: String,
    pub trained_at: DateTime<Utc>,
    /// Factor per resource on the requirements' weights (`learning::advice`).
    #[schema(value_type = Object)]
    pub factors: BTreeMap<Resource, f64>,
}

/// Why `learned_weights: true` weighted nothing (a warning of the squad answers).
pub fn no_model_warning(lang: crate::services::lang::Lang) -> &'static str {
    lang.pick(
        "learned_weights: no fight-outcome model is selected (run `gw2opt learn run` once enough won and lost WvW fights are stored); the template's weights were used",
        "learned_weights : aucun modèle d'issue des combats n'est sélectionné (lancez `gw2opt learn run` quand assez de combats McM gagnés et perdus sont enregistrés) ; les poids du format ont été utilisés",
    )
}

/// The learning service: what it needs, given at start-up (see `state`).
#[derive(Clone)]
pub struct Learning {
    pub(crate) db: Db,
    pub(crate) clock: Clock,
    /// One training run at a time per process (a second one is a 409).
    pub(crate) running: Arc<tokio::sync::Mutex<()>>,
}

/// Samples per page of an export.
const EXPORT_PAGE: i64 = 500;

impl Learning {
    pub fn new(db: Db, clock: Clock) -> Self {
        Learning {
            db,
            clock,
            running: Arc::default(),
        }
    }

    /// The tasks a request names (`all` or absent: every task).
    pub fn tasks(name: Option<&str>) -> ApiResult<Vec<Task>> {
        match name.map(str::trim) {
            None | Some("all") => Ok(Task::ALL.to_vec()),
            Some(name) => name
                .parse::<Task>()
                .map(|t| vec![t])
                .map_err(|e| ApiError::validation("task", format!("{e}, or all"))),
        }
    }

    /// Collects, trains, registers and selects, task by task. A task that cannot be trained
    /// (too few samples...) says why in its entry; the others still run.
    pub async fn run(&self, request: RunRequest) -> ApiResult<RunOut> {
        let tasks = Self::tasks(request.task.as_deref())?;
        let defaults = TrainOptions::default();
        let options = TrainOptions {
            folds: request.folds.unwrap_or(defaults.folds),
            seed: request.seed.unwrap_or(defaults.seed),
        };
        if !(2..=20).contains(&options.folds) {
            return Err(ApiError::validation("folds", "must be 2 to 20"));
        }
        let Ok(running) = self.running.clone().try_lock_owned() else {
            return Err(ApiError::Conflict(
                "a training run is already in progress; try again when it ends".into(),
            ));
        };
        // Its own task: a caller that stops waiting (a request timeout, a closed connection)
        // does not leave a snapshot stored and its models unregistered.
        let this = self.clone();
        tokio::spawn(async move {
            let _running = running;
            let mut out = Vec::new();
            for task in tasks {
                out.push(this.run_task(task, options).await?);
            }
            Ok(RunOut { tasks: out })
        })
        .await
        .map_err(ApiError::internal)?
    }

    async fn run_task(&self, task: Task, options: TrainOptions) -> ApiResult<TaskRunOut> {
        let (samples, sources) = collect::collect(&self.db, task).await?;
        let snapshot = self.store_snapshot(task, &samples, &sources).await?;
        let mut out = TaskRunOut {
            task: task.to_string(),
            snapshot: Some(snapshot.clone()),
            version: None,
            models: Vec::new(),
            selected: None,
            failures: Vec::new(),
            error: None,
            specializations: None,
        };
        let model_version = repo::next_model_version(&self.db, task.as_str()).await?;
        let info = learning::RunInfo {
            model_version,
            snapshot_version: snapshot.version,
            trained_at: self.clock.now(),
        };
        let trained =
            tokio::task::spawn_blocking(move || learning::train(task, &samples, info, options))
                .await
                .map_err(ApiError::internal)?;
        let run = match trained {
            Ok(run) => run,
            Err(e) => {
                out.error = Some(e.to_string());
                return Ok(out);
            }
        };
        let entries = run.entries().map_err(ApiError::internal)?;
        let rows: Vec<NewModel> = entries
            .iter()
            .map(|e| {
                Ok(NewModel {
                    task: task.as_str().to_owned(),
                    kind: e.kind.as_str().to_owned(),
                    version: e.version,
                    metrics: serde_json::to_string(&e.metrics)?,
                    snapshot: serde_json::to_string(&e.snapshot)?,
                    model: e.model.clone(),
                    selected: e.selected,
                    trained_at: e.trained_at,
                })
            })
            .collect::<Result<_, serde_json::Error>>()
            .map_err(ApiError::internal)?;
        let ids = repo::insert_run(&self.db, task.as_str(), &rows).await?;
        out.version = Some(run.version);
        out.selected = run.selected_candidate().map(|c| c.kind.to_string());
        if let Some(c) = run
            .selected_candidate()
            .filter(|_| task == Task::PlayerContribution)
        {
            let ranked = learning::rank_specializations(&c.model, &BTreeMap::new())
                .map_err(ApiError::internal)?;
            out.specializations = Some(
                ranked
                    .into_iter()
                    .map(|r| SpecializationOut {
                        specialization: r.specialization,
                        profession: r.profession,
                        predicted: r.predicted,
                    })
                    .collect(),
            );
        }
        out.failures = run
            .failures
            .iter()
            .map(|(kind, error)| KindFailure {
                kind: kind.to_string(),
                error: error.clone(),
            })
            .collect();
        out.models = ids
            .into_iter()
            .zip(entries)
            .map(|(id, e)| ModelOut {
                id,
                task: task.to_string(),
                kind: e.kind.to_string(),
                version: e.version,
                selected: e.selected,
                trained_at: e.trained_at,
                metrics: e.metrics,
                snapshot: e.snapshot,
            })
            .collect();
        Ok(out)
    }

    /// Stores the samples as a new version, unless they are exactly the latest version's.
    async fn store_snapshot(
        &self,
        task: Task,
        samples: &[learning::Sample],
        sources: &collect::Sources,
    ) -> ApiResult<SnapshotOut> {
        let sha256 = Snapshot::hash(samples);
        let sources_json = serde_json::to_string(sources).map_err(ApiError::internal)?;
        let latest = repo::latest_snapshot(&self.db, task.as_str()).await?;
        let (row, new) = match latest {
            Some(row) if row.sha256 == sha256 && row.sample_count == samples.len() as i64 => {
                (row, false)
            }
            _ => {
                let rows = samples
                    .iter()
                    .map(|s| {
                        Ok(NewSample {
                            features: serde_json::to_string(&s.features)?,
                            label: s.label,
                            source: s.source.clone(),
                        })
                    })
                    .collect::<Result<Vec<_>, serde_json::Error>>()
                    .map_err(ApiError::internal)?;
                let row = repo::insert_snapshot(
                    &self.db,
                    task.as_str(),
                    &sha256,
                    &sources_json,
                    &rows,
                    self.clock.now(),
                )
                .await?;
                (row, true)
            }
        };
        snapshot_out(row, new)
    }

    /// Registered models, newest first, optionally of one task.
    pub async fn models(
        &self,
        task: Option<Task>,
        skip: i64,
        limit: i64,
    ) -> ApiResult<(Vec<ModelOut>, i64)> {
        let (rows, total) =
            repo::list_models(&self.db, task.map(Task::as_str), skip, limit).await?;
        let models = rows
            .into_iter()
            .map(model_out)
            .collect::<ApiResult<Vec<_>>>()?;
        Ok((models, total))
    }

    /// The newest snapshot of `task` (or version `version`) and its samples as JSON lines,
    /// read a page at a time.
    pub async fn export(
        &self,
        task: Task,
        version: Option<i64>,
    ) -> ApiResult<(
        SnapshotOut,
        impl Stream<Item = Result<bytes::Bytes, ApiError>> + Send + 'static,
    )> {
        let row = match version {
            Some(v) => repo::snapshot(&self.db, task.as_str(), v).await?,
            None => repo::latest_snapshot(&self.db, task.as_str()).await?,
        };
        let Some(row) = row else {
            return Err(ApiError::NotFound(match version {
                Some(v) => format!("{task} has no sample version {v}"),
                None => format!(
                    "no {task} samples have been collected yet (gw2opt learn run, or POST /api/v1/learning/run)"
                ),
            }));
        };
        let snapshot = snapshot_out(row.clone(), false)?;
        let db = self.db.clone();
        let pages = futures_util::stream::try_unfold(0_i64, move |skip| {
            let db = db.clone();
            let task = row.task.clone();
            let version = row.version;
            async move {
                let page = repo::samples(&db, &task, version, skip, EXPORT_PAGE).await?;
                if page.is_empty() {
                    return Ok(None);
                }
                let mut text = String::new();
                for sample in &page {
                    let features: serde_json::Value = serde_json::from_str(&sample.features)
                        .map_err(|e| ApiError::internal(format!("sample {}: {e}", sample.id)))?;
                    let line = serde_json::json!({
                        "id": sample.id, "task": sample.task, "version": sample.version,
                        "features": features, "label": sample.label, "source": sample.source,
                        "created_at": sample.created_at,
                    });
                    text.push_str(&line.to_string());
                    text.push('\n');
                }
                Ok(Some((bytes::Bytes::from(text), skip + page.len() as i64)))
            }
        });
        Ok((snapshot, pages))
    }

    /// The elite specializations ranked by the selected player-contribution model (at the
    /// training data's mean boon uptimes), best first; `None` without such a model.
    pub async fn specialization_ranking(&self) -> ApiResult<Option<Vec<SpecializationOut>>> {
        let Some((_, model)) =
            repo::selected_model(&self.db, Task::PlayerContribution.as_str()).await?
        else {
            return Ok(None);
        };
        let model = learning::TrainedModel::from_json(&model).map_err(ApiError::internal)?;
        let ranked =
            learning::rank_specializations(&model, &BTreeMap::new()).map_err(ApiError::internal)?;
        Ok(Some(
            ranked
                .into_iter()
                .map(|r| SpecializationOut {
                    specialization: r.specialization,
                    profession: r.profession,
                    predicted: r.predicted,
                })
                .collect(),
        ))
    }

    /// The selected model of every task that has one, in the tasks' order.
    pub async fn selected_models(&self) -> ApiResult<Vec<ModelOut>> {
        let mut out = Vec::new();
        for task in Task::ALL {
            if let Some((row, _)) = repo::selected_model(&self.db, task.as_str()).await? {
                out.push(model_out(row)?);
            }
        }
        Ok(out)
    }

    /// The weights of the selected fight-outcome model, or `None` when no model is selected
    /// or none of its resource features mattered.
    pub async fn squad_weights(&self) -> ApiResult<Option<WeightedBy>> {
        let Some((row, _)) = repo::selected_model(&self.db, Task::FightOutcome.as_str()).await?
        else {
            return Ok(None);
        };
        let model = model_out(row)?;
        Ok(
            learning::squad_weights(&model.metrics).map(|weights| WeightedBy {
                model: model.kind,
                version: model.version,
                id: model.id,
                task: model.task,
                snapshot: model.snapshot.id,
                trained_at: model.trained_at,
                factors: weights.factors,
            }),
        )
    }
}

fn model_out(row: ModelRow) -> ApiResult<ModelOut> {
    let corrupt = |what: &str, e: serde_json::Error| {
        ApiError::internal(format!("stored model {} has corrupt {what}: {e}", row.id))
    };
    Ok(ModelOut {
        metrics: serde_json::from_str(&row.metrics).map_err(|e| corrupt("metrics", e))?,
        snapshot: serde_json::from_str(&row.snapshot).map_err(|e| corrupt("snapshot", e))?,
        id: row.id,
        task: row.task,
        kind: row.kind,
        version: row.version,
        selected: row.selected,
        trained_at: row.trained_at,
    })
}

fn snapshot_out(row: SnapshotRow, new: bool) -> ApiResult<SnapshotOut> {
    Ok(SnapshotOut {
        id: format!("{}@{}", row.task, row.version),
        sources: serde_json::from_str(&row.sources).map_err(ApiError::internal)?,
        task: row.task,
        version: row.version,
        size: row.sample_count,
        sha256: row.sha256,
        new,
        created_at: row.created_at,
    })
}
