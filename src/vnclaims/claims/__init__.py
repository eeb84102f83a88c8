"""The claim domain: everything that turns a sentence into claims (pure code: no Prefect, no DuckDB)."""
