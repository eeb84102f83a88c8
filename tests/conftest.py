"""Shared fixtures: the gold files from ../shared, a copy of the seeds, warehouse settings in tmp_path,
and a Prefect test harness (one temporary Prefect server for the whole session)."""
from __future__ import annotations

import json
import os
import re
import shutil
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold"

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")


def norm_ws(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


@pytest.fixture(scope="session")
def gold_documents() -> dict:
    if not (GOLD / "seed_documents.json").exists():
        pytest.fail(f"gold files not found at {GOLD}: ../shared must be beside the project")
    return json.loads((GOLD / "seed_documents.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def gold_conflicts() -> dict:
    return json.loads((GOLD / "seed_conflicts.json").read_text(encoding="utf-8"))


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst


@pytest.fixture
def make_settings(tmp_path: Path):
    from vnclaims.settings import Settings

    def make(seeds: Path, warehouse: Path | None = None, **kw) -> Settings:
        return Settings.load(seeds=seeds, warehouse=warehouse or tmp_path / "warehouse", **kw)
    return make


@pytest.fixture(scope="session")
def prefect_harness():
    """A real (temporary) Prefect API for flow runs in this test session."""
    from prefect.testing.utilities import prefect_test_harness
    with prefect_test_harness(server_startup_timeout=180):
        yield
