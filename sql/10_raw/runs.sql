-- purpose: one row per flow run (also the runs that changed nothing), with counts per stage and outcome
-- key: run_id
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR, flow_run_id VARCHAR, started_at TIMESTAMP, finished_at TIMESTAMP, status VARCHAR,
    snapshot_id BIGINT, code_version VARCHAR, input_fingerprint VARCHAR, seeds VARCHAR, counts VARCHAR,
    stage_seconds VARCHAR, rejected INTEGER, error VARCHAR
);
