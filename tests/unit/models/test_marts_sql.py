"""The conflict rules on fixture rows (as dbt's unit tests do): the mart models claim_members ->
claim_groups -> group_pairs -> conflicts (and claim_support) run, as their SQL text, in an in-memory
DuckDB over small hand-made `claims`, `documents` and `metrics` tables holding only the columns they read.

Each test states one rule the SQL encodes and fails if the SQL stops encoding it."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from vnclaims.models.spec import load_models

SQL_DIR = Path(__file__).resolve().parents[3] / "sql"
CHAIN = ("claim_members", "claim_groups", "group_pairs", "conflicts", "claim_support")

# metric -> (kind, tolerance_rel, tolerance_abs)
METRICS = {"trade": ("flow", 0.02, None), "growth": ("rate", 0.0, 0.5), "diaspora": ("stock", 0.05, None),
           "ties_year": ("event", 0.0, None)}


@pytest.fixture(scope="module")
def models() -> dict:
    return {m.name: m for m in load_models(SQL_DIR) if m.name in CHAIN}


def claim(cid: str, doc: str, metric: str | None, low: float | None, high: float | None = "same", *,
          period: str | None = "2024", qualifier: str = "exact", as_of_year: int = 2025,
          voice: str | None = None, scope: str | None = None, confidence: float | None = None,
          direction: str | None = None) -> dict:
    """One claim row; a point by default (high = low), the period a year ('2024') or a span ('2020-2024')."""
    start = end = None
    if period is not None and "/" in period:          # a part of a year: "2024-01/2024-06"
        start = end = int(period[:4])
    elif period is not None:
        a, _, b = period.partition("-")
        start, end = int(a), int(b or a)
    return {"claim_id": cid, "doc_id": doc, "voice": voice or doc, "source_path": f"{doc}.txt", "metric": metric,
            "value_low": low, "value_high": low if high == "same" else high, "qualifier": qualifier,
            "period": period, "period_start": start, "period_end": end, "value_text": f"{low}",
            "as_of": None, "as_of_year": as_of_year, "scope": scope, "confidence": confidence,
            "direction": direction}


def run_marts(models: dict, claims: list[dict]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("CREATE TABLE metrics (metric VARCHAR, label VARCHAR, unit VARCHAR, kind VARCHAR, "
                "tolerance_rel DOUBLE, tolerance_abs DOUBLE)")
    con.executemany("INSERT INTO metrics VALUES (?, ?, 'x', ?, ?, ?)",
                    [(m, m.upper(), k, rel, ab) for m, (k, rel, ab) in METRICS.items()])
    con.execute("CREATE TABLE claims (claim_id VARCHAR, doc_id VARCHAR, voice VARCHAR, source_path VARCHAR, "
                "metric VARCHAR, value_low DOUBLE, value_high DOUBLE, qualifier VARCHAR, period VARCHAR, "
                "period_start INTEGER, period_end INTEGER, value_text VARCHAR, as_of VARCHAR, scope VARCHAR, "
                "confidence DOUBLE, direction VARCHAR, quote VARCHAR)")
    cols = ["claim_id", "doc_id", "voice", "source_path", "metric", "value_low", "value_high", "qualifier",
            "period", "period_start", "period_end", "value_text", "as_of", "scope", "confidence", "direction"]
    con.executemany(f"INSERT INTO claims VALUES ({', '.join('?' * (len(cols) + 1))})",
                    [[c[k] for k in cols] + [c.get("quote")] for c in claims])
    con.execute("CREATE TABLE documents (doc_id VARCHAR, as_of_year INTEGER, as_of_source VARCHAR)")
    con.executemany("INSERT INTO documents VALUES (?, ?, 'text')",
                    sorted({(c["doc_id"], c["as_of_year"]) for c in claims}))
    # the reviewers' decisions (claim_reviews, review_decisions): none here (tests/e2e/test_review_*.py)
    con.execute("CREATE TABLE claim_reviews (claim_id VARCHAR, excluded BOOLEAN)")
    con.execute("CREATE TABLE review_decisions (review_id BIGINT, target_kind VARCHAR, status VARCHAR, decision VARCHAR, "
                "group_a VARCHAR, group_b VARCHAR, reviewer VARCHAR, reason VARCHAR)")
    for name in CHAIN:                  # the run order (each reads only the tables before it)
        con.execute(f"CREATE TABLE {name} AS {models[name].sql}")
    return con


def rows(con, sql: str) -> list[dict]:
    cur = con.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def conflicts(models, claims) -> list[dict]:
    return rows(run_marts(models, claims), "SELECT * FROM conflicts ORDER BY claim_id_a, claim_id_b")


def pair_between(models, claims, a: str, b: str) -> list[dict]:
    """The group_pairs row comparing claim a's group with claim b's ([] when they are not compared)."""
    return rows(run_marts(models, claims), f"""
        SELECT p.* FROM group_pairs p, claim_members ma, claim_members mb
        WHERE ma.claim_id = '{a}' AND mb.claim_id = '{b}' AND p.group_a <> p.group_b
          AND ((p.group_a = ma.group_id AND p.group_b = mb.group_id) OR (p.group_a = mb.group_id AND p.group_b = ma.group_id))""")


# ------------------------------------------------------------------ agreement and tolerance

def test_figures_within_tolerance_agree_and_give_no_conflict(models):
    cs = [claim("a", "d1", "trade", 4.90), claim("b", "d2", "trade", 4.98)]     # 1.6 % apart, tolerance 2 %
    (p,) = pair_between(models, cs, "a", "b")
    assert p["agree"] and p["same_value"]
    assert conflicts(models, cs) == []


def test_figures_beyond_tolerance_are_a_disjoint_error(models):
    cs = [claim("a", "d1", "trade", 4.90), claim("b", "d2", "trade", 5.10)]     # 4 % apart
    (k,) = conflicts(models, cs)
    assert (k["severity"], k["disagreement"]) == ("error", "disjoint")
    assert {k["claim_id_a"], k["claim_id_b"]} == {"a", "b"} and k["period"] == "2024"
    assert "the values are disjoint" in k["explanation"]


def test_absolute_tolerance(models):
    ok = [claim("a", "d1", "growth", 10.0), claim("b", "d2", "growth", 10.5)]   # tolerance_abs 0.5
    assert conflicts(models, ok) == []
    bad = [claim("a", "d1", "growth", 10.0), claim("b", "d2", "growth", 10.6)]
    assert [k["severity"] for k in conflicts(models, bad)] == ["error"]


def test_same_figure_twice_is_one_group_not_a_pair(models):
    cs = [claim("a", "d1", "trade", 4.9), claim("b", "d2", "trade", 4.9)]
    con = run_marts(models, cs)
    assert rows(con, "SELECT n_claims, n_docs, n_voices FROM claim_groups") == [
        {"n_claims": 2, "n_docs": 2, "n_voices": 2}]
    assert rows(con, "SELECT count(*) AS n FROM conflicts") == [{"n": 0}]



def test_a_groups_sources_are_its_distinct_paths_in_order_as_string_agg_gives_them(models):
    # one group stated by four claims of three files (one twice, one without a path), another only by a
    # claim without a path: the list is what string_agg(DISTINCT source_path, ', ' ORDER BY source_path) gives
    cs = [claim("a", "d3", "trade", 4.9), claim("b", "d1", "trade", 4.9), claim("c", "d3", "trade", 4.9),
          {**claim("d", "d2", "trade", 4.9), "source_path": None}, {**claim("e", "d4", "trade", 7.0), "source_path": None}]
    con = run_marts(models, cs)
    got = rows(con, "SELECT n_claims, sources FROM claim_groups ORDER BY n_claims DESC")
    assert got == [{"n_claims": 4, "sources": "d1.txt, d3.txt"}, {"n_claims": 1, "sources": None}]
    assert got == rows(con, """SELECT count(*) AS n_claims, string_agg(DISTINCT source_path, ', ' ORDER BY source_path) AS sources
                               FROM claim_members GROUP BY group_id ORDER BY n_claims DESC""")

# ------------------------------------------------------------------ ranges and bounds

def test_range_against_a_point_outside_it_is_a_disjoint_error(models):
    cs = [claim("a", "d1", "trade", 4.0, 5.0, qualifier="range"), claim("b", "d2", "trade", 6.0)]
    (k,) = conflicts(models, cs)
    assert (k["severity"], k["disagreement"]) == ("error", "disjoint")


def test_range_against_a_point_inside_it_overlaps_but_differs_a_warning(models):
    cs = [claim("a", "d1", "trade", 4.0, 5.0, qualifier="range"), claim("b", "d2", "trade", 4.5)]
    (k,) = conflicts(models, cs)
    assert (k["severity"], k["disagreement"]) == ("warning", "overlapping")
    assert "the estimates overlap but differ" in k["explanation"]


def test_a_bound_agrees_with_every_figure_it_admits(models):
    over = [claim("a", "d1", "diaspora", 80_000, None, qualifier="over"), claim("b", "d2", "diaspora", 100_000)]
    (p,) = pair_between(models, over, "a", "b")
    assert p["has_bound"] and p["agree"] and not p["same_value"]
    assert conflicts(models, over) == []
    under = [claim("a", "d1", "diaspora", None, 80_000, qualifier="under"), claim("b", "d2", "diaspora", 100_000)]
    (k,) = conflicts(models, under)
    assert (k["severity"], k["disagreement"]) == ("error", "disjoint")


def test_target_and_actual_figures_are_not_compared(models):
    cs = [claim("a", "d1", "trade", 10.0, qualifier="target"), claim("b", "d2", "trade", 4.9)]
    assert pair_between(models, cs, "a", "b") == []
    assert conflicts(models, cs) == []


# ------------------------------------------------------------------ periods

def test_flows_of_different_periods_are_not_compared(models):
    cs = [claim("a", "d1", "trade", 4.9, period="2023"), claim("b", "d2", "trade", 3.6, period="2024"),
          claim("c", "d3", "trade", 20.0, period="2020-2024")]      # a five-year total contains 2024 but is not it
    assert pair_between(models, cs, "a", "b") == [] and pair_between(models, cs, "b", "c") == []
    assert conflicts(models, cs) == []


def test_stocks_are_compared_when_their_periods_overlap(models):
    cs = [claim("a", "d1", "diaspora", 80_000, period="2020-2024"), claim("b", "d2", "diaspora", 60_000, period="2022"),
          claim("c", "d3", "diaspora", 40_000, period="2010")]
    assert len(pair_between(models, cs, "a", "b")) == 1
    assert pair_between(models, cs, "a", "c") == [] and pair_between(models, cs, "b", "c") == []
    assert [(k["claim_id_a"], k["claim_id_b"]) for k in conflicts(models, cs)] in ([("a", "b")], [("b", "a")])


def test_a_dated_and_an_undated_figure_are_not_compared(models):
    cs = [claim("a", "d1", "diaspora", 80_000, period="2024"), claim("b", "d2", "diaspora", 60_000, period=None)]
    assert pair_between(models, cs, "a", "b") == []


def test_events_are_compared_regardless_of_period(models):
    cs = [claim("a", "d1", "ties_year", 1950, period="2024"), claim("b", "d2", "ties_year", 1951, period="2025")]
    (k,) = conflicts(models, cs)
    assert k["severity"] == "error" and k["period"] is None


def test_undated_figures_reported_years_apart_are_a_warning(models):
    near = [claim("a", "d1", "diaspora", 80_000, period=None, as_of_year=2020),
            claim("b", "d2", "diaspora", 60_000, period=None, as_of_year=2021)]
    assert [k["severity"] for k in conflicts(models, near)] == ["error"]
    apart = [claim("a", "d1", "diaspora", 80_000, period=None, as_of_year=2020),
             claim("b", "d2", "diaspora", 60_000, period=None, as_of_year=2023)]
    (k,) = conflicts(models, apart)
    assert k["severity"] == "warning" and "(undated figures 3 years apart: may reflect change over time)" in k["explanation"]


def test_undated_figures_are_compared_with_the_nearest_reporting_year_only(models):
    cs = [claim("a", "d1", "diaspora", 80_000, period=None, as_of_year=2015),
          claim("b", "d2", "diaspora", 60_000, period=None, as_of_year=2018),
          claim("c", "d3", "diaspora", 40_000, period=None, as_of_year=2022)]
    assert len(pair_between(models, cs, "a", "b")) == 1 and len(pair_between(models, cs, "b", "c")) == 1
    assert pair_between(models, cs, "a", "c") == []


# ------------------------------------------------------------------ severity, sources, classification

def test_a_single_outlier_against_three_sources_is_info(models):
    cs = [claim(c, d, "trade", 4.9) for c, d in (("a", "d1"), ("b", "d2"), ("c", "d3"))] + [claim("z", "d9", "trade", 7.0)]
    (k,) = conflicts(models, cs)
    assert k["severity"] == "info" and (k["independent_sources_a"], k["independent_sources_b"]) in ((3, 1), (1, 3))
    assert "(a single outlier against several agreeing sources)" in k["explanation"]
    two = cs[1:]                                            # two against one: still an error
    assert [k["severity"] for k in conflicts(models, two)] == ["error"]


def test_near_duplicate_copies_are_one_voice(models):
    cs = [claim("a", "d1", "trade", 4.9, voice="v1"), claim("b", "d2", "trade", 4.9, voice="v1"),
          claim("c", "d3", "trade", 4.9, voice="v1"), claim("z", "d9", "trade", 7.0)]
    (k,) = conflicts(models, cs)
    assert k["severity"] == "error" and {k["independent_sources_a"], k["independent_sources_b"]} == {1}


def test_figures_in_the_same_document_are_not_a_conflict(models):
    cs = [claim("a", "d1", "trade", 4.9), claim("b", "d1", "trade", 7.0)]
    assert len(pair_between(models, cs, "a", "b")) == 1          # compared, disagreeing ...
    assert conflicts(models, cs) == []                           # ... but one document is not two sources


def test_a_conflict_names_the_other_groups_claim_from_another_file(models):
    # both groups have a claim in d1.txt: the pair names the first group's claim there and the other group's
    # claim from another file (its last), with that claim's path, text and date
    cs = [claim("a1", "d1", "trade", 4.0), claim("a2", "d3", "trade", 4.0),
          claim("b1", "d1", "trade", 7.0), claim("b2", "d2", "trade", 7.0)]
    for c, text, as_of in zip(cs, ["4,0", "bốn", "7,0", "bảy"], [None, "2024-03-01", None, "2024-05-01"]):
        c["value_text"], c["as_of"] = text, as_of
    (k,) = conflicts(models, cs)
    other = {"a1": "b2", "b1": "a2"}[k["claim_id_a"]]
    text, as_of, path = {"a2": ("bốn", "2024-03-01", "d3.txt"), "b2": ("bảy", "2024-05-01", "d2.txt")}[other]
    assert (k["source_a"], k["claim_id_b"], k["source_b"]) == ("d1.txt", other, path)
    assert f'{path} says "{text}" as of {as_of} (2 sources)' in k["explanation"]


def test_an_unclassified_metric_is_ignored(models):
    cs = [claim("a", "d1", "unknown", 4.9), claim("b", "d2", "unknown", 7.0),
          claim("c", "d3", None, 4.9), claim("d", "d4", None, 7.0)]
    con = run_marts(models, cs)
    assert rows(con, "SELECT count(*) AS n FROM claim_members") == [{"n": 0}]
    assert rows(con, "SELECT count(*) AS n FROM conflicts") == [{"n": 0}]


def test_conflict_ids_are_stable_and_unique(models):
    cs = [claim("a", "d1", "trade", 4.0), claim("b", "d2", "trade", 5.0), claim("c", "d3", "trade", 6.0)]
    first, again = conflicts(models, cs), conflicts(models, list(reversed(cs)))
    assert len(first) == 3 and len({k["conflict_id"] for k in first}) == 3
    assert [k["conflict_id"] for k in first] == [k["conflict_id"] for k in again]


def test_support_counts_agreeing_statements_within_tolerance(models):
    cs = [claim("a", "d1", "trade", 4.90), claim("b", "d2", "trade", 4.95), claim("c", "d3", "trade", 6.0),
          claim("o", "d4", "trade", 4.5, None, qualifier="over")]   # a bound supports, but is not a statement row
    con = run_marts(models, cs)
    got = rows(con, "SELECT value_low, n_sources, n_independent FROM claim_support ORDER BY value_low")
    assert got == [{"value_low": 4.90, "n_sources": 3, "n_independent": 3},
                   {"value_low": 4.95, "n_sources": 3, "n_independent": 3},
                   {"value_low": 6.0, "n_sources": 2, "n_independent": 2}]



def test_support_counts_each_document_and_voice_once_however_many_of_its_figures_agree(models):
    """claim_support counts a statement's supporters without listing them (a sum over the agreeing statements,
    less what it counts twice): against the count made by listing them, on documents that state several
    agreeing figures of one metric (and of other metrics), voices shared by several documents, more than 20
    supporters (the sources list), and bounds."""
    import random
    rng = random.Random(11)
    cs, n = [], 0
    for d in range(60):
        doc, voice = f"d{d:02d}", f"v{d % 23:02d}"
        for _ in range(rng.randrange(1, 5)):
            metric = rng.choice(["trade", "trade", "diaspora", "growth"])
            base = {"trade": 4.9, "diaspora": 80000, "growth": 10.0}[metric]
            step = {"trade": 0.03, "diaspora": 1500, "growth": 0.3}[metric]
            low = round(base + step * rng.randrange(-4, 5), 6)
            bound = rng.random() < 0.1
            cs.append(claim(f"c{n:03d}", doc, metric, low, None if bound else "same",
                            qualifier="over" if bound else "exact", voice=voice))
            n += 1
    con = run_marts(models, cs)
    got = {r["value_key"]: r for r in rows(con, "SELECT value_key, n_sources, n_independent, sources FROM claim_support")}
    # the reference: every agreeing statement's documents listed, made distinct
    members = rows(con, "SELECT DISTINCT value_key, doc_id, voice, source_path FROM claim_members")
    agree = rows(con, """SELECT DISTINCT a.value_key AS a, b.value_key AS b FROM group_pairs p
                         JOIN claim_groups a ON a.group_id = p.group_a JOIN claim_groups b ON b.group_id = p.group_b
                         WHERE p.agree""")
    statements = {r["value_key"] for r in rows(con, "SELECT value_key FROM claim_groups WHERE NOT is_bound")}
    near = {k: {k} for k in {m["value_key"] for m in members}}
    for r in agree:
        near[r["a"]].add(r["b"])
        near[r["b"]].add(r["a"])
    want = {}
    for k in statements:
        docs = {(m["source_path"], m["doc_id"], m["voice"]) for m in members if m["value_key"] in near[k]}
        want[k] = {"value_key": k, "n_sources": len(docs), "n_independent": len({v for _, _, v in docs}),
                   "sources": ", ".join(p for p, _, _ in sorted(docs)[:20])}
    assert got == want
    assert any(w["n_sources"] > 20 for w in want.values())
    twice = rows(con, """SELECT count(*) AS n FROM (SELECT m.doc_id FROM claim_members m JOIN claim_groups g USING (group_id)
                         GROUP BY m.doc_id, m.metric HAVING count(DISTINCT g.value_key) > 1)""")[0]["n"]
    assert twice > 5              # documents stating two figures of one metric: the case counted twice


# ------------------------------------------------------------------ claim frames: like with like (issue 17)

def test_a_scoped_figure_is_never_compared_with_the_headline_total(models):
    cs = [claim("a", "d1", "trade", 4.9), claim("b", "d2", "trade", 0.19, scope="item:thủy sản")]
    assert pair_between(models, cs, "a", "b") == [] and conflicts(models, cs) == []


def test_the_same_scope_is_compared(models):
    cs = [claim("a", "d1", "trade", 0.19, scope="item:thủy sản"), claim("b", "d2", "trade", 0.30, scope="item:thủy sản")]
    (k,) = conflicts(models, cs)
    assert k["scope"] == "item:thủy sản" and "the same scope item:thủy sản" in k["explanation"]


def test_a_part_of_a_year_is_never_compared_with_a_whole_year(models):
    # a stock's periods overlap (2024 and its first half) but are of another granularity
    cs = [claim("a", "d1", "diaspora", 80000, period="2024"), claim("b", "d2", "diaspora", 60000, period="2024-01/2024-06")]
    assert pair_between(models, cs, "a", "b") == []


def test_low_confidence_frames_are_not_compared_and_error_needs_high_confidence_on_both(models):
    low = [claim("a", "d1", "trade", 4.9), claim("b", "d2", "trade", 6.0, confidence=0.4)]
    assert conflicts(models, low) == []
    mid = [claim("a", "d1", "trade", 4.9), claim("b", "d2", "trade", 6.0, confidence=0.7)]
    (k,) = conflicts(models, mid)
    assert k["severity"] == "warning" and "too low for an error" in k["explanation"]
    high = [claim("a", "d1", "trade", 4.9, confidence=0.9), claim("b", "d2", "trade", 6.0, confidence=1.0)]
    (k,) = conflicts(models, high)
    assert k["severity"] == "error" and "both headline totals" in k["explanation"]


def test_a_milestone_with_the_ussr_is_not_compared_with_one_with_russia(models):
    cs = [claim("a", "d1", "ties_year", 1978, period="1978", direction="ussr"),
          claim("b", "d2", "ties_year", 1994, period="1994")]
    assert conflicts(models, cs) == []
    cs[1]["direction"] = "ussr"
    assert len(conflicts(models, cs)) == 1


def test_estimates_read_the_claims_frame_through_claim_members(models):
    # claim_members (made by its model from the claims) carries each claim's frame scope and confidence and its
    # value text, which estimates read from it: two frames at 0.6 and 0.8 support 80,000 (their mean, 0.7,
    # scales the score 0.72), the outlier is listed by its text, an item's figure is an estimate of its own
    cs = [claim("a", "d1", "diaspora", 80_000, period=None, scope="total", confidence=0.6),
          claim("b", "d2", "diaspora", 80_000, period=None, scope="total", confidence=0.8),
          claim("c", "d3", "diaspora", 150_000, period=None, scope="total", confidence=0.1),
          claim("d", "d4", "diaspora", 7, period=None, scope="item:x", confidence=1.0)]
    for c, text in zip(cs, ["80.000", "80 nghìn", "150 nghìn", "7"]):
        c["value_text"] = text
    con = run_marts(models, cs)
    con.execute("ALTER TABLE claim_reviews ADD COLUMN review_id BIGINT")
    con.execute("ALTER TABLE claim_reviews ADD COLUMN trusted BOOLEAN")
    con.execute("ALTER TABLE claim_reviews ADD COLUMN out_of_estimate BOOLEAN")
    every = {m.name: m for m in load_models(SQL_DIR)}
    con.execute(f"CREATE TEMP VIEW estimate_members AS {every['estimate_members'].sql}")
    con.execute(f"CREATE TEMP VIEW estimate_claims AS {every['estimate_claims'].sql}")
    got = {r[0]: r[1:] for r in con.execute(
        f"SELECT scope, value_low, confidence_score, outliers FROM ({every['estimates'].sql})").fetchall()}
    assert got["total"] == (80_000, round((0.5 + 0.5 * 2 / 3 * 2 / 3) * 0.7, 2), "d3.txt: 150 nghìn")
    assert got["item:x"][:2] == (7, 0.4)
