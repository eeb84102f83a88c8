"""The extractor's quality may rise, never fall: bench/quality.py's scores (seeds gold, dev set, challenge
set, at the level of the pure extractor) against the floor committed in quality_floor.json. A change that
raises a score should raise the floor too (``python bench/quality.py --json tests/unit/claims/quality_floor.json``)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared"
FLOOR = Path(__file__).with_name("quality_floor.json")

_spec = importlib.util.spec_from_file_location("bench_quality", ROOT / "bench" / "quality.py")
Q = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(Q)


@pytest.fixture(scope="module")
def scores() -> dict:
    if not (SHARED / "devset" / "challenge" / "challenge.jsonl").exists():
        pytest.fail(f"the dev and challenge sets are not at {SHARED}: ../shared must be beside the project")
    return {"seeds": Q.score_seeds(ROOT / "seeds", SHARED / "gold" / "seed_claims.csv"),
            "devset": Q.score_devset(SHARED / "devset"),
            "challenge": Q.score_challenge(SHARED / "devset" / "challenge" / "challenge.jsonl")}


def floor() -> dict:
    return json.loads(FLOOR.read_text(encoding="utf-8"))


def test_seeds_gold_is_kept(scores):
    assert scores["seeds"]["found"] == scores["seeds"]["gold"] == 24
    assert scores["seeds"]["extra"] <= floor()["seeds"]["extra"]


def test_dev_set_core_figures_and_no_false_core_metric(scores):
    assert scores["devset"]["core_found"] >= floor()["devset"]["core_found"]
    assert scores["devset"]["other_under_core_metric"] <= floor()["devset"]["other_under_core_metric"]


def test_challenge_overall_not_below_the_floor(scores):
    got, low = scores["challenge"]["overall"], floor()["challenge"]["overall"]
    assert got["recall"] >= low["recall"] and got["precision"] >= low["precision"], (got, low)


@pytest.mark.parametrize("part", ["by_phenomenon", "by_metric"])
def test_challenge_parts_not_below_the_floor(scores, part):
    low = floor()["challenge"][part]
    worse = {k: (v["recall"], v["precision"], low[k]["recall"], low[k]["precision"])
             for k, v in scores["challenge"][part].items()
             if k in low and (v["recall"] < low[k]["recall"] or v["precision"] < low[k]["precision"])}
    assert not worse, worse


def test_make_quality_writes_its_json_into_a_folder_not_made_yet(tmp_path, capsys):
    # `make quality` on a fresh clone writes warehouse/reports/quality.json before any run made warehouse/reports
    out = tmp_path / "warehouse" / "reports" / "quality.json"
    assert Q.main(["--shared", str(SHARED), "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["seeds"]["found"] == 24
