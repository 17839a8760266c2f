-- The uploaded input of a queued job that does not fit its JSON `input` (an arcdps log of up
-- to the upload limit, for `log_parse` jobs): kept in the database because the instance that
-- accepts the upload may not be the one that runs the job, and instances share no disk.
-- Stored in chunks (the worker reads them back in `seq` order), so a large upload is written
-- without building one huge statement; deleted with its job, and by the worker once the job
-- has ended.
CREATE TABLE job_blobs (
    job_id UUID NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq    INTEGER NOT NULL,
    data   BYTEA NOT NULL,
    PRIMARY KEY (job_id, seq)
);
