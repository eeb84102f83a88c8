"""Acceptance of the claim extractor on the seed articles against ../shared/gold/seed_claims.csv.

Recall: every gold row is found (metric, value_low, value_high, unit, qualifier, period; the gold quote
is contained in the claim's quote after whitespace collapsing).
Precision: every classified claim (metric != 'unclassified') is a gold claim, and every unclassified
claim still carries a value and a unit (nothing is kept without knowing what it counts).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import pytest

from vnclaims.text.clean import clean_text
from vnclaims.claims.as_of import infer_as_of
from vnclaims.claims.extract import extract_document

ROOT = Path(__file__).resolve().parents[3]
SEEDS = ROOT / "seeds"
GOLD_CSV = ROOT.parent / "shared" / "gold" / "seed_claims.csv"
SEED_FILES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _ws(s: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", s)).strip()


def _num(s: str) -> float | None:
    return None if s == "" else float(s)


@lru_cache(maxsize=None)
def _gold_rows() -> tuple[dict, ...]:
    if not GOLD_CSV.exists():
        pytest.fail(f"gold file not found at {GOLD_CSV}: ../shared must be beside the project")
    with GOLD_CSV.open(encoding="utf-8", newline="") as fh:
        return tuple(csv.DictReader(fh))


@lru_cache(maxsize=None)
def _extract(seed: str):
    doc = clean_text((SEEDS / seed).read_text(encoding="utf-8"))
    year, _ = infer_as_of(doc.body, doc.sentences)
    claims = extract_document(seed.split("_")[0], f"seeds/{seed}", doc.body, doc.sentences,
                              as_of=str(year) if year else None, as_of_source="inferred")
    return doc, year, tuple(claims)


def _matches(claim, row: dict) -> bool:
    return (claim.metric == row["metric"]
            and claim.value_low == _num(row["value_low"])
            and claim.value_high == _num(row["value_high"])
            and claim.unit == row["unit"]
            and claim.qualifier == row["qualifier"]
            and claim.period == (row["period"] or None)
            and _ws(row["quote"]) in _ws(claim.quote))


def test_gold_has_24_rows_over_the_seeds():
    rows = _gold_rows()
    assert len(rows) == 24
    assert {r["seed"] for r in rows} <= set(SEED_FILES)


@pytest.mark.parametrize("i", range(24), ids=lambda i: f"gold{i:02d}")
def test_gold_claim_found(i):
    row = _gold_rows()[i]
    _, _, claims = _extract(row["seed"])
    found = [c for c in claims if _matches(c, row)]
    if not found:
        near = [(c.metric, c.value_low, c.value_high, c.unit, c.qualifier, c.period, c.value_text)
                for c in claims if c.metric == row["metric"]]
        pytest.fail(f"gold row not found in {row['seed']}: {row}\nsame-metric claims: {near}")


@pytest.mark.parametrize("seed", SEED_FILES)
def test_no_extra_classified_claims(seed):
    gold = [r for r in _gold_rows() if r["seed"] == seed]
    _, _, claims = _extract(seed)
    extra = [(c.metric, c.value_low, c.value_high, c.unit, c.qualifier, c.period, c.value_text)
             for c in claims if c.metric != "unclassified" and not any(_matches(c, r) for r in gold)]
    assert extra == []


@pytest.mark.parametrize("seed", SEED_FILES)
def test_unclassified_claims_have_value_and_unit(seed):
    _, _, claims = _extract(seed)
    for c in claims:
        if c.metric == "unclassified":
            assert c.unit, c
            assert c.value_low is not None or c.value_high is not None, c
            assert c.value_text.strip(), c


@pytest.mark.parametrize("seed", SEED_FILES)
def test_offsets_cut_quote_and_value_from_body(seed):
    doc, _, claims = _extract(seed)
    assert claims
    for c in claims:
        assert c.quote == doc.body[c.char_start:c.char_end]
        assert c.value_text == doc.body[c.value_start:c.value_end]
        assert c.char_start <= c.value_start < c.value_end <= c.char_end
        assert c.qualifier in ("exact", "approx", "over", "under", "range", "target", "derived")


@pytest.mark.parametrize("seed", SEED_FILES)
def test_claim_ids_deterministic_and_unique(seed):
    doc = clean_text((SEEDS / seed).read_text(encoding="utf-8"))
    year, _ = infer_as_of(doc.body, doc.sentences)
    runs = [extract_document("d", f"seeds/{seed}", doc.body, doc.sentences, as_of=str(year),
                             as_of_source="inferred") for _ in range(2)]
    ids = [[c.claim_id for c in r] for r in runs]
    assert ids[0] == ids[1]
    assert len(set(ids[0])) == len(ids[0])
    assert [c.as_row() for c in runs[0]] == [c.as_row() for c in runs[1]]


@pytest.mark.parametrize("prefix, year", [("000", 2015), ("001", 2024), ("004", 2021)])
def test_inferred_as_of(prefix, year):
    seed = next(s for s in SEED_FILES if s.startswith(prefix))
    _, y, _ = _extract(seed)
    assert y == year


def test_seed_totals():
    """24/24 gold found, 0 extra classified claims (reported in the test log)."""
    rows = _gold_rows()
    found = sum(any(_matches(c, r) for c in _extract(r["seed"])[2]) for r in rows)
    classified = sum(c.metric != "unclassified" for s in SEED_FILES for c in _extract(s)[2])
    assert found == 24
    assert classified == 24
