-- QuantServe schema, version 2: what the worker pool and the jobs API need beyond the V1 jobs table, and the
-- published artefacts of a job.

-- evaluation_dataset_id: optional data the quantized model is compared with the float model on.
-- from_job_id: the succeeded job a re-export starts from.
-- cancel_requested: set by a cancel of a RUNNING job; its worker stops at the next batch or stage.
-- not_before: a requeued job waits until then (retry backoff).
-- batch_done / batch_total: the calibration batch last finished, of how many (null outside calibration).
-- timings: stage name -> seconds spent, of the current attempt, in stage order (json keeps the key order; jsonb would not).
-- result: notes, quantized and float layers, per-layer summary and metrics of a finished run.
-- started_at: when the current attempt was claimed; finished_at: when the job reached a terminal state.
ALTER TABLE jobs
    ADD COLUMN evaluation_dataset_id uuid        REFERENCES datasets (id),
    ADD COLUMN from_job_id           uuid        REFERENCES jobs (id),
    ADD COLUMN cancel_requested      boolean     NOT NULL DEFAULT false,
    ADD COLUMN not_before            timestamptz,
    ADD COLUMN batch_done            integer     CHECK (batch_done >= 0),
    ADD COLUMN batch_total           integer     CHECK (batch_total >= 0),
    ADD COLUMN timings               json        NOT NULL DEFAULT '{}'::json,
    ADD COLUMN result                jsonb,
    ADD COLUMN started_at            timestamptz,
    ADD COLUMN finished_at           timestamptz;

CREATE INDEX jobs_tenant_state_page ON jobs (tenant_id, state, created_at DESC, id DESC);

-- One row per published artefact. Rows are written in the same transaction that flips the job to SUCCEEDED, after
-- every object was uploaded under {tenant}/jobs/{job}/attempts/{attempt}/{name}: a SUCCEEDED job never lacks one.
CREATE TABLE job_artifacts (
    job_id       uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    name         text        NOT NULL CHECK (name ~ '^[A-Za-z0-9._-]{1,200}$'),
    attempt      integer     NOT NULL CHECK (attempt >= 1),
    object_key   text        NOT NULL UNIQUE,
    size_bytes   bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256       char(64)    NOT NULL,
    content_type text        NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (job_id, name)
);
