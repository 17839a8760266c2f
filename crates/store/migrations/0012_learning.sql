-- The learning loop: training samples collected from what users store (builds, votes,
-- views, saved builds, teams, feedback, parsed WvW fights), kept per task in numbered
-- versions, and the registry of the models trained on them.
--
-- A snapshot is one collection of one task's samples; a collection that finds exactly the
-- samples of the latest version (same SHA-256) keeps that version instead of adding one.
-- `sources` says what the samples were read from (counts per source, fights skipped and
-- why), as JSON text like every structured column here.

CREATE TABLE learning_snapshots (
    task         TEXT NOT NULL,
    version      BIGINT NOT NULL,
    sample_count BIGINT NOT NULL,
    sha256       TEXT NOT NULL,
    sources      TEXT NOT NULL DEFAULT '{}',
    created_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (task, version)
);

CREATE TABLE learning_samples (
    id         UUID PRIMARY KEY,
    task       TEXT NOT NULL,
    version    BIGINT NOT NULL,
    -- JSON object: feature name -> number
    features   TEXT NOT NULL,
    label      DOUBLE PRECISION NOT NULL,
    -- where the sample came from: `fight:<id>`, `build:<id>`
    source     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    FOREIGN KEY (task, version) REFERENCES learning_snapshots (task, version) ON DELETE CASCADE
);
-- A version's samples in a stable order (training, export pages).
CREATE INDEX learning_samples_version_idx ON learning_samples (task, version, source, id);

-- Every model trained: its kind, the run's version, cross-validated metrics against the
-- baseline (JSON), the data snapshot (JSON: id, size, sha256), the fitted model (JSON) and
-- whether it is the task's selected model. At most one selected model per task.
CREATE TABLE learning_models (
    id         UUID PRIMARY KEY,
    task       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    version    BIGINT NOT NULL,
    metrics    TEXT NOT NULL,
    snapshot   TEXT NOT NULL,
    model      TEXT NOT NULL,
    selected   BOOLEAN NOT NULL DEFAULT FALSE,
    trained_at TIMESTAMPTZ NOT NULL,
    UNIQUE (task, kind, version)
);
CREATE UNIQUE INDEX learning_models_selected_idx ON learning_models (task) WHERE selected;
CREATE INDEX learning_models_task_version_idx ON learning_models (task, version);
