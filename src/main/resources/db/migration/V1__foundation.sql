-- QuantServe schema, version 1: tenants and their API keys, the model and dataset registries, and the job table
-- the worker pool claims from. Timestamps are UTC (timestamptz), ids are UUIDs assigned by the service.

CREATE TABLE tenants (
    id         uuid        PRIMARY KEY,
    name       text        NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    created_at timestamptz NOT NULL
);

-- Keys are never stored: key_hash is the lower-case hex SHA-256 of the key as presented.
CREATE TABLE api_keys (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    key_hash    char(64)    NOT NULL UNIQUE,
    key_prefix  text        NOT NULL,
    role        text        NOT NULL CHECK (role IN ('admin', 'user')),
    description text,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz,
    revoked_at  timestamptz
);
CREATE INDEX api_keys_tenant ON api_keys (tenant_id);

CREATE TABLE models (
    id          uuid        PRIMARY KEY,
    tenant_id   uuid        NOT NULL REFERENCES tenants (id),
    name        text        NOT NULL,
    object_key  text        NOT NULL UNIQUE,
    size_bytes  bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256      char(64)    NOT NULL,
    opset       bigint      NOT NULL,
    ir_version  bigint      NOT NULL,
    inspection  jsonb       NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX models_tenant_page ON models (tenant_id, created_at DESC, id DESC);

CREATE TABLE datasets (
    id           uuid        PRIMARY KEY,
    tenant_id    uuid        NOT NULL REFERENCES tenants (id),
    name         text        NOT NULL,
    object_key   text        NOT NULL UNIQUE,
    format       text        NOT NULL CHECK (format IN ('npz', 'npy', 'onnx_test_data')),
    size_bytes   bigint      NOT NULL CHECK (size_bytes >= 0),
    sha256       char(64)    NOT NULL,
    sample_count bigint      CHECK (sample_count >= 0),
    arrays       jsonb       NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX datasets_tenant_page ON datasets (tenant_id, created_at DESC, id DESC);

-- Jobs: QUEUED -> RUNNING -> SUCCEEDED | FAILED | CANCELLED, RUNNING -> QUEUED when a lease expires.
-- A worker claims with one UPDATE ... WHERE id = (SELECT ... FOR UPDATE SKIP LOCKED LIMIT 1).
CREATE TABLE jobs (
    id               uuid             PRIMARY KEY,
    tenant_id        uuid             NOT NULL REFERENCES tenants (id),
    state            text             NOT NULL CHECK (state IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    stage            text,
    progress         double precision NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
    model_id         uuid             NOT NULL REFERENCES models (id),
    dataset_id       uuid             NOT NULL REFERENCES datasets (id),
    options          jsonb            NOT NULL DEFAULT '{}'::jsonb,
    idempotency_key  text,
    attempts         integer          NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    lease_owner      text,
    lease_expires_at timestamptz,
    error            jsonb,
    created_at       timestamptz      NOT NULL,
    updated_at       timestamptz      NOT NULL,
    CONSTRAINT jobs_idempotency UNIQUE (tenant_id, idempotency_key)
);
CREATE INDEX jobs_queue ON jobs (created_at, id) WHERE state = 'QUEUED';
CREATE INDEX jobs_leases ON jobs (lease_expires_at) WHERE state = 'RUNNING';
CREATE INDEX jobs_tenant_page ON jobs (tenant_id, created_at DESC, id DESC);
