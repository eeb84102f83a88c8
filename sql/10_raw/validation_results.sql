-- purpose: every check (Great Expectations and SQL audits) of every validated snapshot
-- key: snapshot_id
CREATE TABLE IF NOT EXISTS validation_results (
    snapshot_id BIGINT, run_id VARCHAR, suite VARCHAR, expectation VARCHAR, success BOOLEAN,
    details VARCHAR, checked_at TIMESTAMP
);
