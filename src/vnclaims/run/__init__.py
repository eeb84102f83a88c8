"""Running one pipeline run: its context, its lifecycle (lock, stages, records, clean-up), the worker
pools, and the scratch database the stages share."""
