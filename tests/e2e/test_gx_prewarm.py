"""Great Expectations is imported in the background while a run works, but where depends on the batch: a small
one has ingest start it (the import overlaps clean, dedup and extract), a big one has load start it after its
marts, so that GX's modules are not in the process while the marts' DuckDB memory makes the run's peak (issue 20:
peak memory at a million files). Either way validate runs the GX suites. Each case in a fresh interpreter (GX,
once imported, stays), on a real warehouse, with the threshold lowered for the "big" case."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]

RUN = """
import json, sys
from pathlib import Path
import vnclaims.models.plan as plan
from vnclaims.pipeline import run_pipeline
from vnclaims.settings import Settings

v = sys.modules["vnclaims.stages.validate"]     # (the package's name "validate" is the stage function)

v.PREWARM_EARLY_MAX_FILES = int(sys.argv[3])
seen = {}
build = plan._build


def spy(*a, **k):        # when the marts start: was the GX import started, is any of GX loaded yet?
    seen["started_at_marts"] = v._gx_import is not None
    seen["loaded_at_marts"] = any(m.startswith("great_expectations") for m in sys.modules)
    return build(*a, **k)


plan._build = spy
s = Settings.load(seeds=Path(sys.argv[1]), warehouse=Path(sys.argv[2]), report=False, gx_docs=False)
ctx = run_pipeline(s, log=lambda m: None)
seen["loaded_after"] = "great_expectations" in sys.modules
seen["validate"] = {k: ctx.counts["validate"].get(k) for k in ("checks", "passed", "failed")}
print(json.dumps(seen))
"""


def _run(tmp_path: Path, name: str, threshold: int) -> dict:
    seeds = tmp_path / name / "seeds"
    shutil.copytree(SEEDS, seeds)
    r = subprocess.run([sys.executable, "-c", RUN, str(seeds), str(tmp_path / name / "warehouse"), str(threshold)],
                       capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_a_small_batch_imports_gx_during_ingest_a_big_one_after_the_marts(tmp_path):
    n = len(list(SEEDS.glob("*.txt")))
    small = _run(tmp_path, "small", n)          # every file read is within the threshold
    big = _run(tmp_path, "big", n - 1)          # one file more than it
    assert small["started_at_marts"] is True
    assert big["started_at_marts"] is False and big["loaded_at_marts"] is False
    for got in (small, big):
        assert got["loaded_after"] is True
        # the same checks, GX's among them, ran and passed either way
        assert got["validate"]["failed"] == 0 and got["validate"]["passed"] == got["validate"]["checks"]
    assert small["validate"] == big["validate"] and small["validate"]["checks"] > 40
