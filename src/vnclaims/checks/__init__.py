"""Validation: SQL audits (sql/90_checks) and Great Expectations suites (expectations/)."""
