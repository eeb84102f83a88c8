"""vnclaims.checks.gx against a real, small DuckLake warehouse (no mocks).

Snapshot GOOD holds consistent rows (Vietnamese text, quotes matching their offsets, an 'over'
claim without value_high, an 'under' claim without value_low, an unclassified claim with a free
unit). Snapshot BROKEN adds one claim that breaks exactly three rules. The suites are the
project's own (expectations/*.json).
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from vnclaims.checks import gx as V
from vnclaims.checks import gx_docs as D

ROOT = Path(__file__).resolve().parents[3]
SUITES = ROOT / "expectations"

BODY1 = (
    "Kim ngạch thương mại Việt Nam – Nga năm 2023 đạt khoảng 3,6 tỷ USD, theo Bộ Công Thương. "
    "Lạm phát của Nga dưới 8% trong năm."
)
BODY2 = (
    "Năm 2023, thương mại song phương Việt – Nga đạt hơn 4 tỷ USD. "
    "Khoảng 1.000 sinh viên Việt Nam đang học tập tại Liên bang Nga."
)

# the rules the broken row violates, as validate_snapshot labels them
EXPECTED_BROKEN = {
    ("claims", "expect_column_values_to_be_in_set(unit where metric != 'unclassified')"),
    ("claims", "expect_column_pair_values_a_to_be_greater_than_b(value_low <= value_high)"),
    ("claims", "unexpected_rows_expectation(quote matches body at offsets)"),
}

REMOTE_ATTR = re.compile(r"""\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)


def _extension_dir() -> str:
    import importlib.util

    return list(importlib.util.find_spec("duckdb_ext").submodule_search_locations)[0] + "/extensions"


def _open_lake(catalog: Path, data: Path, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET extension_directory='{_extension_dir()}'")
    con.execute("SET autoinstall_known_extensions=false")
    con.execute("LOAD ducklake")
    ro = ", READ_ONLY" if read_only else ""
    con.execute(f"ATTACH 'ducklake:{catalog}' AS lake (DATA_PATH '{data}/'{ro})")
    return con


def _claim(cid, doc_id, source, metric, low, high, unit, qualifier, period, body, quote, shift=0):
    start = body.index(quote) + shift
    return (cid, doc_id, source, metric, low, high, unit, qualifier, period, "2024-01-15",
            quote, start, start + len(quote))


def _last_snapshot(con) -> int:
    return con.execute("SELECT max(snapshot_id) FROM lake.snapshots()").fetchone()[0]


def build_warehouse(root: Path) -> tuple[Path, Path, int, int]:
    catalog, data = root / "vnclaims.ducklake", root / "data"
    root.mkdir(parents=True, exist_ok=True)
    con = _open_lake(catalog, data)
    try:
        con.execute("BEGIN")
        con.execute(
            "CREATE TABLE lake.raw_documents(raw_id VARCHAR, source_path VARCHAR, sha256 VARCHAR, "
            "byte_size BIGINT, encoding VARCHAR, status VARCHAR, ingested_at TIMESTAMP)"  # extra column
        )
        con.execute(
            "CREATE TABLE lake.documents(doc_id VARCHAR, raw_id VARCHAR, source_path VARCHAR, title VARCHAR, "
            "author VARCHAR, body VARCHAR, as_of VARCHAR, as_of_source VARCHAR)"
        )
        con.execute(
            "CREATE TABLE lake.claims(claim_id VARCHAR, doc_id VARCHAR, source_path VARCHAR, metric VARCHAR, "
            "value_low DOUBLE, value_high DOUBLE, unit VARCHAR, qualifier VARCHAR, period VARCHAR, as_of VARCHAR, "
            "quote VARCHAR, char_start INTEGER, char_end INTEGER)"
        )
        con.execute(
            "CREATE TABLE lake.conflicts(conflict_id VARCHAR, metric VARCHAR, period VARCHAR, severity VARCHAR, "
            "claim_id_a VARCHAR, claim_id_b VARCHAR, source_a VARCHAR, source_b VARCHAR, explanation VARCHAR)"
        )
        con.executemany(
            "INSERT INTO lake.raw_documents VALUES (?, ?, ?, ?, ?, ?, now())",
            [
                ("r1", "vnexpress/thuong-mai.txt", "a" * 64, len(BODY1.encode()), "utf-8", "ok"),
                ("r2", "tuoitre/hop-tac.txt", "b" * 64, len(BODY2.encode()), "utf-8", "ok"),
                ("r3", "tuoitre/rong.txt", "c" * 64, 0, "unknown", "quarantined"),
            ],
        )
        con.executemany(
            "INSERT INTO lake.documents VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                ("d1", "r1", "vnexpress/thuong-mai.txt", "Thương mại Việt – Nga", "Minh Anh", BODY1,
                 "2024-01-15", "byline"),
                ("d2", "r2", "tuoitre/hop-tac.txt", "Hợp tác giáo dục Việt – Nga", None, BODY2,
                 "2024-01-10", "path"),
            ],
        )
        con.executemany(
            "INSERT INTO lake.claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                _claim("c1", "d1", "vnexpress/thuong-mai.txt", "trade_turnover", 3.6e9, 3.6e9, "USD",
                       "approx", "2023", BODY1, "khoảng 3,6 tỷ USD"),
                _claim("c2", "d1", "vnexpress/thuong-mai.txt", "inflation", None, 8, "percent",
                       "under", "2023", BODY1, "dưới 8%"),
                _claim("c3", "d2", "tuoitre/hop-tac.txt", "trade_turnover", 4e9, None, "USD",
                       "over", "2023", BODY2, "hơn 4 tỷ USD"),
                _claim("c4", "d2", "tuoitre/hop-tac.txt", "unclassified", 1000, 1000, "sinh viên",
                       "approx", None, BODY2, "Khoảng 1.000 sinh viên"),
            ],
        )
        con.execute(
            "INSERT INTO lake.conflicts VALUES ('k1', 'trade_turnover', '2023', 'warning', 'c1', 'c3', "
            "'vnexpress/thuong-mai.txt', 'tuoitre/hop-tac.txt', 'khoảng 3,6 tỷ USD so với hơn 4 tỷ USD')"
        )
        con.execute("COMMIT")
        good = _last_snapshot(con)

        # one deliberately broken row: unit outside the closed set for a classified metric,
        # value_low > value_high, and offsets that do not point at the quote
        con.execute(
            "INSERT INTO lake.claims VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            _claim("c5", "d2", "tuoitre/hop-tac.txt", "trade_turnover", 5e9, 4e9, "cái", "range",
                   "2023", BODY2, "hơn 4 tỷ USD", shift=3),
        )
        broken = _last_snapshot(con)
    finally:
        con.close()
    assert broken == good + 1
    return catalog, data, good, broken


@pytest.fixture(scope="module")
def lake(tmp_path_factory):
    return build_warehouse(tmp_path_factory.mktemp("warehouse"))


@pytest.fixture(scope="module")
def good_run(lake):
    catalog, data, good, _ = lake
    started = time.perf_counter()
    results = V.validate_snapshot(catalog, data, good, SUITES, None)
    return results, time.perf_counter() - started


@pytest.fixture(scope="module")
def broken_run(lake, tmp_path_factory):
    catalog, data, _, broken = lake
    docs = tmp_path_factory.mktemp("docs") / "data_docs"
    started = time.perf_counter()
    results = V.validate_snapshot(catalog, data, broken, SUITES, docs)
    return results, docs, time.perf_counter() - started


def _assert_writable(catalog: Path, data: Path) -> None:
    """The catalog opens for writing right away, in this process and in another one."""
    con = _open_lake(catalog, data)
    try:
        con.execute("CREATE TABLE lake.lock_probe(x INTEGER)")
        con.execute("DROP TABLE lake.lock_probe")
    finally:
        con.close()
    code = (
        "import duckdb, sys\n"
        "con = duckdb.connect()\n"
        f"con.execute(\"SET extension_directory='{_extension_dir()}'\")\n"
        "con.execute('SET autoinstall_known_extensions=false'); con.execute('LOAD ducklake')\n"
        f"con.execute(\"ATTACH 'ducklake:{catalog}' AS lake (DATA_PATH '{data}/')\")\n"
        "con.execute('CREATE TABLE lake.lock_probe2(x INTEGER)'); con.execute('DROP TABLE lake.lock_probe2')\n"
        "con.close()\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


# ---------------------------------------------------------------------------------------------


def test_good_snapshot_passes_every_expectation(good_run):
    results, _ = good_run
    failed = [r for r in results if not r["success"]]
    assert failed == []
    assert {r["suite"] for r in results} == {"raw_documents", "documents", "claims", "conflicts"}
    # one result per expectation of every suite file, in file-name then suite order
    expected_counts = {
        p.stem: len(json.loads(p.read_text(encoding="utf-8"))["expectations"])
        for p in sorted(SUITES.glob("*.json"))
    }
    assert [r["suite"] for r in results] == [s for s, n in expected_counts.items() for _ in range(n)]
    assert V.expectation_summary(results) == {"passed": len(results), "failed": 0}


def test_results_are_persist_ready_dicts(good_run):
    results, _ = good_run
    for r in results:
        assert set(r) == {"suite", "expectation", "success", "details"}
        assert isinstance(r["suite"], str) and isinstance(r["expectation"], str)
        assert type(r["success"]) is bool
        assert isinstance(r["details"], str) and 0 < len(r["details"]) <= 300
        assert re.fullmatch(r"[a-z_]+\(.+\)", r["expectation"]), r["expectation"]
    labels = [(r["suite"], r["expectation"]) for r in results]
    assert len(labels) == len(set(labels)), "labels must identify an expectation within a run"
    assert json.loads(json.dumps(results, ensure_ascii=False)) == results
    by_label = {r["expectation"]: r for r in results if r["suite"] == "claims"}
    assert by_label["unexpected_rows_expectation(quote matches body at offsets)"]["details"] == "0 unexpected rows"
    assert by_label["expect_column_values_to_be_unique(claim_id)"]["details"] == "0 unexpected of 4 rows"


def test_broken_snapshot_fails_exactly_the_broken_rules(broken_run):
    results, _, _ = broken_run
    failed = {(r["suite"], r["expectation"]) for r in results if not r["success"]}
    assert failed == EXPECTED_BROKEN
    details = {r["expectation"]: r["details"] for r in results if not r["success"]}
    assert details["expect_column_values_to_be_in_set(unit where metric != 'unclassified')"] == \
        '1 unexpected of 4 rows: ["cái"]'
    assert details["expect_column_pair_values_a_to_be_greater_than_b(value_low <= value_high)"] == \
        "1 unexpected of 5 rows (2 null, ignored): [[4000000000, 5000000000]]"
    quote = details["unexpected_rows_expectation(quote matches body at offsets)"]
    assert quote.startswith("1 unexpected row(s)") and '"c5"' in quote
    assert V.expectation_summary(results) == {"passed": len(results) - 3, "failed": 3}


def test_earlier_snapshot_still_validates_after_later_commits(good_run, broken_run):
    # time travel: the good snapshot passes although the broken one was committed before the run
    assert all(r["success"] for r in good_run[0])
    assert len(good_run[0]) == len(broken_run[0])


def test_data_docs_exist_and_load_nothing_remote(broken_run):
    _, docs, _ = broken_run
    index = docs / "index.html"
    assert index.is_file()
    pages = sorted(docs.rglob("*.html"))
    assert len(pages) >= 1 + 4 + 4  # index, 4 suite pages, 4 validation pages
    offenders = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        offenders += [f"{page.name}: {m.group(0)}" for m in REMOTE_ATTR.finditer(text)]
        assert 'id="vnclaims-offline"' in text  # the inline stylesheet
        assert "great-expectations-web-assets" not in text  # the remote logo (img and css)
        assert not re.search(r"<script[^>]*\bsrc=", text)
        assert not re.search(r"<link[^>]*stylesheet", text)
    assert offenders == []
    assert D.remote_references(docs) == []
    # the index is static HTML now (bootstrap-table is gone): it links every validation page
    html = index.read_text(encoding="utf-8")
    assert "bootstrapTable" not in html
    links = re.findall(r'href="(validations/[^"]+\.html)"', html)
    assert len(links) == 4 and all((docs / link).is_file() for link in links)
    assert "Failed" in html
    claims_page = (docs / [link for link in links if "/claims/" in link][0]).read_text(encoding="utf-8")
    assert "quote equals documents.body" in claims_page


def test_catalog_is_writable_right_after(lake, good_run, broken_run):
    catalog, data, _, _ = lake
    _assert_writable(catalog, data)


def test_errors_release_the_catalog(lake, tmp_path):
    catalog, data, good, broken = lake
    with pytest.raises(ValueError, match="snapshot 9999 does not exist"):
        V.validate_snapshot(catalog, data, 9999, SUITES, None)
    bad_suites = tmp_path / "bad"
    bad_suites.mkdir()
    (bad_suites / "claims.json").write_text(
        json.dumps({"name": "claims", "expectations": [{"type": "expect_no_such_thing", "kwargs": {}}]}),
        encoding="utf-8",
    )
    with pytest.raises(V.SuiteError):
        V.validate_snapshot(catalog, data, good, bad_suites, None)
    # a failure after GX opened the catalog: Data Docs cannot be written (a file where a folder goes)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "validations").write_text("not a folder", encoding="utf-8")
    with pytest.raises(RuntimeError, match="Data Docs .* incomplete"):
        V.validate_snapshot(catalog, data, good, SUITES, docs)
    _assert_writable(catalog, data)


def test_custom_suites_dir_schema_and_missing_table(lake, tmp_path):
    catalog, data, good, _ = lake
    suites = tmp_path / "suites"
    suites.mkdir()
    (suites / "documents.json").write_text(
        json.dumps(
            {
                "name": "documents",
                "expectations": [
                    {"type": "expect_table_columns_to_match_set",
                     "kwargs": {"column_set": ["doc_id", "body", "summary"], "exact_match": False},
                     "meta": {"check": "schema"}},
                    {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "author"}},
                ],
            }
        ),
        encoding="utf-8",
    )
    (suites / "translations.json").write_text(
        json.dumps({"name": "translations", "expectations": [
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "id"}}]}),
        encoding="utf-8",
    )
    results = V.validate_snapshot(catalog, data, good, suites, None)
    assert results == [
        {"suite": "documents", "expectation": "expect_table_columns_to_match_set(schema)",
         "success": False, "details": "missing columns: summary"},
        {"suite": "documents", "expectation": "expect_column_values_to_not_be_null(author)",
         "success": False, "details": "1 unexpected of 2 rows"},
        {"suite": "translations", "expectation": "table_exists(translations)",
         "success": False, "details": f"table 'translations' does not exist at snapshot {good}"},
    ]


def test_make_docs_offline_on_a_page(tmp_path):
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head>"
        '<link rel="stylesheet" href="https://cdn.example/bootstrap.css"/>\n'
        '<script src="//cdn.example/jquery.js"></script>\n'
        "<style>a{background:url('https://x.example/logo.png')}</style>"
        '<link rel="shortcut icon" href="./static/images/favicon.ico"/>'
        "</head><body>"
        '<a href="index.html"><img src="https://assets.example/logo.png?d=1" alt="logo"/></a>'
        '<a href="https://greatexpectations.io">GX</a>'
        "<footer><p>newsletter <a href='https://x.example/n'>Subscribe</a></p></footer>"
        "</body></html>",
        encoding="utf-8",
    )
    assert D.make_docs_offline(tmp_path) == 1
    text = page.read_text(encoding="utf-8")
    assert not REMOTE_ATTR.search(text) and "url('https" not in text
    assert "./static/images/favicon.ico" in text and ">GX</a>" in text and "<footer" not in text
    assert D.make_docs_offline(tmp_path) == 0  # idempotent


def test_timing_report(good_run, broken_run):
    # not a benchmark: keeps an eye on the cost (the first run includes importing GX)
    print(f"\nvalidate_snapshot: first run {good_run[1]:.2f}s, with data docs {broken_run[2]:.2f}s")
    assert broken_run[2] < 30


def test_gx_engine_takes_the_runs_memory_limit_and_spill_folder(tmp_path):
    """Without the run's options GX's own DuckDB took 80 % of the machine's memory and could not spill (the
    validate stage's peak at a million files)."""
    import sqlalchemy as sa

    catalog, data, good, _ = build_warehouse(tmp_path / "wh")
    spill = tmp_path / "spill folder é"
    cfg = {"memory_limit": "300MB", "temp_directory": str(spill), "preserve_insertion_order": False}
    engine = sa.create_engine(V._connection_url(catalog, cfg))
    try:
        with engine.connect() as c:
            got = c.execute(sa.text("SELECT current_setting('memory_limit'), current_setting('temp_directory'), "
                                    "current_setting('preserve_insertion_order'), current_setting('access_mode')")).one()
    finally:
        engine.dispose()
    assert got[0].replace(" ", "") in ("286.1MiB", "300.0MB") and got[1] == str(spill)
    assert got[2] is False and got[3] == "read_only"
    results = V.validate_snapshot(catalog, data, good, SUITES, None, duckdb_config=cfg)
    assert results and all(r["success"] for r in results)
