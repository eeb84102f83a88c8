"""The pipeline's stages, one module each, each with one entry point over the run context that returns
its counts (in / out / dropped by reason). :data:`STAGES` is THE registry: the names in run order and
their functions, used by :func:`vnclaims.run.lifecycle.run_stages`, the Prefect flow and the bench."""
from __future__ import annotations

from typing import Callable

from .clean import clean
from .dedup import dedup
from .extract import extract
from .ingest import ingest
from .load import load
from .report import report
from .validate import validate

STAGES: dict[str, Callable[..., dict]] = {
    "ingest": ingest,        # files -> raw versions / quarantine          (stages/ingest.py)
    "clean": clean,          # raw text -> documents, sentences, log        (stages/clean.py)
    "dedup": dedup,          # exact and near duplicates                    (stages/dedup.py)
    "extract": extract,      # documents -> claims, entity mentions         (stages/extract.py)
    "load": load,            # scratch -> lake, marts: one snapshot         (stages/load.py)
    "validate": validate,    # SQL audits + GX suites on that snapshot      (stages/validate.py)
    "report": report,        # the reviewer's page                          (stages/report.py)
}
