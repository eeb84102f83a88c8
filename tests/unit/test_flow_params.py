"""The daily flow sends its parameters to Prefect's API without importing FastAPI (Prefect's own
serialize_parameters does, for its JSON encoder: ~0.2 s of CPU a run), and sends the same values that
encoder would. In a fresh interpreter (the test process may have imported FastAPI already)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHECK = """
import sys
from pathlib import Path
from flows.pipeline import daily
params = {"seeds": "seeds", "warehouse": "wh", "gx": None, "full_rescan": True, "reextract": False, "reclean": None}
plain = daily.serialize_parameters(params)
before = "fastapi" in sys.modules
odd = daily.serialize_parameters({"seeds": Path("seeds")})      # not a plain value: Prefect's way
from fastapi.encoders import jsonable_encoder
print(before, plain == {k: jsonable_encoder(v) for k, v in params.items()}, odd == {"seeds": "seeds"})
"""


def test_the_flow_parameters_are_sent_without_fastapi():
    r = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["False", "True", "True"]
