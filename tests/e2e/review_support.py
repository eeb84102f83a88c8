"""Helpers of the reviewer's-loop tests: seeds with the planted article, a registry that knows exports and
imports, reading the warehouse."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import ROOT, SEEDS

FIXTURES = ROOT / "tests" / "fixtures" / "review"
PLANTED = FIXTURES / "planted_trade_2021.txt"
SHIPPED_REGISTRY = ROOT / "src" / "vnclaims" / "data" / "metrics.toml"
DIASPORA_000 = "000_b5e19962cae27463.txt"      # "khoảng 80.000 người" (2015)
DIASPORA_001 = "001_501a62dae2258d1a.txt"      # "60-80 nghìn người" (2024)


def quiet(msg: str) -> None:
    pass


def seeds_with(tmp_path: Path, *extra: Path) -> Path:
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    for f in extra:
        shutil.copy(f, dst / f.name)
    return dst


def registry(tmp_path: Path, name: str = "metrics.toml", extra: str = "") -> Path:
    """The shipped registry, plus exports/imports when it lacks them (issue 17 adds them), plus ``extra``."""
    text = SHIPPED_REGISTRY.read_text(encoding="utf-8")
    if 'name = "vn_exports_to_ru"' not in text:
        text += (FIXTURES / "trade_metrics.toml").read_text(encoding="utf-8")
    path = tmp_path / name
    path.write_text(text + extra, encoding="utf-8")
    return path


def rows(settings, sql: str, params: list | None = None) -> list[dict]:
    from vnclaims.lake.connect import connect
    con = connect(settings, read_only=True)
    try:
        cur = con.execute(sql, params or [])
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]
    finally:
        con.close()


def claim_id(settings, source: str, metric: str) -> str:
    got = rows(settings, "SELECT claim_id FROM claims WHERE source_path = ? AND metric = ?", [source, metric])
    assert len(got) == 1, got
    return got[0]["claim_id"]
