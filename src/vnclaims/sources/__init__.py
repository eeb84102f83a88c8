"""The input files: listing and reading them safely, the seeds' manifest, and the kept copies of their bytes."""
