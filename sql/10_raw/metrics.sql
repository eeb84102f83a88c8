-- purpose: the metric registry (src/vnclaims/data/metrics.toml) as reference data for SQL
-- key: metric
CREATE TABLE IF NOT EXISTS metrics (
    metric VARCHAR, label VARCHAR, subject VARCHAR, unit VARCHAR, kind VARCHAR, direction VARCHAR,
    target_of VARCHAR, tolerance_rel DOUBLE, tolerance_abs DOUBLE
);
