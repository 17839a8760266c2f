//! `gw2opt learn run [--task fight_outcome|build_rating|player_contribution|all]`: the
//! learning loop on the service's database (the same as `POST /api/v1/learning/run`):
//! collect the samples, train every model kind with k-fold cross-validation, compare each
//! with the baseline, register them all and select the best of each task; then print what
//! happened (and, for a selected player-contribution model, which elite specializations it
//! predicts contribute most).

use server::services::learning::{Learning, RunOut, RunRequest, TaskRunOut};

use super::Format;

pub async fn run(
    learning: &Learning,
    task: String,
    folds: usize,
    seed: Option<u64>,
    format: Format,
) -> anyhow::Result<()> {
    let out = learning
        .run(RunRequest {
            task: Some(task),
            folds: Some(folds),
            seed,
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    match format {
        Format::Json => super::print_json(&out)?,
        Format::Table => super::out(&table(&out))?,
    }
    if out.tasks.iter().all(|t| t.version.is_none()) {
        anyhow::bail!("no task could be trained (see above)");
    }
    Ok(())
}

/// Most elite specializations listed after a player-contribution run.
const RANKED_SHOWN: usize = 5;

/// One row per model: task, kind, cross-validated mean ± sd, the baseline's, and whether
/// it was selected; a task that could not be trained says why.
pub fn table(out: &RunOut) -> String {
    let mut text = format!(
        "{:<20} {:<20} {:<8} {:>15} {:>15}  {}\n",
        "task", "kind", "metric", "CV mean ± sd", "baseline", "selected"
    );
    for task in &out.tasks {
        text.push_str(&task_rows(task));
    }
    text
}

fn task_rows(task: &TaskRunOut) -> String {
    let mut text = String::new();
    if let Some(snapshot) = &task.snapshot {
        text.push_str(&format!(
            "# {}: {} samples, snapshot {} ({}), sha256 {}\n",
            task.task,
            snapshot.size,
            snapshot.id,
            if snapshot.new { "new" } else { "unchanged" },
            &snapshot.sha256[..snapshot.sha256.len().min(12)]
        ));
    }
    if let Some(error) = &task.error {
        text.push_str(&format!("{:<20} not trained: {error}\n", task.task));
        return text;
    }
    for model in &task.models {
        let m = &model.metrics;
        text.push_str(&format!(
            "{:<20} {:<20} {:<8} {:>15} {:>15}  {}\n",
            model.task,
            model.kind,
            m.metric.as_str(),
            format!("{:.3} ± {:.3}", m.mean, m.sd),
            format!("{:.3} ± {:.3}", m.baseline_mean, m.baseline_sd),
            if model.selected {
                "yes"
            } else if m.beats_baseline {
                "no"
            } else {
                "no (does not beat the baseline)"
            }
        ));
    }
    for failure in &task.failures {
        text.push_str(&format!(
            "{:<20} {:<20} failed: {}\n",
            task.task, failure.kind, failure.error
        ));
    }
    if let Some(ranked) = task.specializations.as_ref().filter(|r| !r.is_empty()) {
        let shown: Vec<String> = ranked
            .iter()
            .take(RANKED_SHOWN)
            .map(|r| format!("{} {:.2}", r.specialization, r.predicted))
            .collect();
        text.push_str(&format!(
            "# {}: predicted contribution by elite specialization (1.00 = a squad's average): {}\n",
            task.task,
            shown.join(", ")
        ));
    }
    if task.selected.is_none() {
        text.push_str(&format!(
            "# {}: no model selected in this run (none beats the baseline clearly)\n",
            task.task
        ));
    }
    text
}
