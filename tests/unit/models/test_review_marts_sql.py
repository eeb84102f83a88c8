"""The estimates mart on fixture rows (its SQL text in an in-memory DuckDB): support by independent voices,
outliers, contested figures, the reviewer's choice, rejected claims, claim-frame scopes and confidence (issue
17's columns, which claim_members carries from claims)."""
from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from vnclaims.models.spec import load_models

SQL = {m.name: m.sql for m in load_models(Path(__file__).resolve().parents[3] / "sql")}


def estimates(members: list[tuple], reviews: list[tuple] = (), scopes: dict | None = None,
              texts: dict | None = None, confidences: dict | None = None) -> dict:
    """members: (claim_id, voice, low, high); one metric 'm' (stock, 5 %), undated. reviews: (claim_id,
    review_id, trusted, out_of_estimate). scopes: claim_id -> frame scope (else NULL). texts: claim_id ->
    value_text (else the low value). confidences: claim_id -> the frame's confidence (else NULL). The frame's
    columns are claim_members' own (it carries them from claims)."""
    con = duckdb.connect()
    con.execute("""CREATE TABLE claim_members (claim_id VARCHAR, doc_id VARCHAR, voice VARCHAR, source_path VARCHAR,
                   metric VARCHAR, label VARCHAR, unit VARCHAR, kind VARCHAR, is_target BOOLEAN, g_period VARCHAR,
                   undated_as_of INTEGER, value_low DOUBLE, value_high DOUBLE, tolerance_abs DOUBLE, tolerance_rel DOUBLE,
                   value_text VARCHAR, scope VARCHAR, frame_confidence DOUBLE)""")
    con.executemany("INSERT INTO claim_members VALUES (?, ?, ?, ?, 'm', 'M', 'person', 'stock', false, NULL, 2020, ?, ?, "
                    "NULL, 0.05, ?, ?, ?)",
                    [(c, v, v, f"{v}.txt", lo, hi, (texts or {}).get(c, f"{lo}"), (scopes or {}).get(c),
                      (confidences or {}).get(c)) for c, v, lo, hi in members])
    con.execute("CREATE TABLE metrics AS SELECT 'm' AS metric, 'M' AS label, 'person' AS unit, 'stock' AS kind")
    con.execute("CREATE TABLE claim_reviews (claim_id VARCHAR, review_id BIGINT, trusted BOOLEAN, out_of_estimate BOOLEAN)")
    if reviews:
        con.executemany("INSERT INTO claim_reviews VALUES (?, ?, ?, ?)", list(reviews))
    # estimates reads the ephemeral estimate_members and estimate_claims (temp views over their results in a load)
    con.execute(f"CREATE TEMP VIEW estimate_members AS {SQL['estimate_members']}")
    con.execute(f"CREATE TEMP VIEW estimate_claims AS {SQL['estimate_claims']}")
    cur = con.execute(SQL["estimates"])
    names = [d[0] for d in cur.description]
    return {(r["scope"] or ""): r for r in (dict(zip(names, x)) for x in cur.fetchall())}


def test_the_value_most_independent_sources_contain():
    e = estimates([("a", "A", 80000, 80000), ("b", "B", 60000, 80000), ("c", "C", 150000, 150000)])[""]
    assert (e["value_low"], e["value_high"], e["range_low"], e["range_high"]) == (80000, 80000, 60000, 80000)
    assert (e["n_supporting"], e["n_outlying"], e["method"], e["confidence"]) == (2, 1, "consensus", "medium")
    assert e["outliers"] == "C.txt: 150000"


def test_near_duplicates_are_one_voice():
    # A and A' are copies (one voice): they do not outvote B and C
    e = estimates([("a1", "A", 100, 100), ("a2", "A", 100, 100), ("b", "B", 200, 200), ("c", "C", 200, 200)])[""]
    assert (e["value_low"], e["n_supporting"], e["n_independent"], e["n_claims"]) == (200, 2, 3, 4)


def test_equally_strong_disagreement_is_contested():
    e = estimates([("a", "A", 100, 100), ("b", "B", 200, 200)])[""]
    assert (e["method"], e["confidence"], e["value_low"], e["value_high"]) == ("contested", "low", 100, 200)


def test_the_reviewer_decides_and_rejected_claims_leave():
    members = [("a", "A", 100, 100), ("b", "B", 100, 100), ("c", "C", 300, 300)]
    e = estimates(members, reviews=[("c", 7, True, False)])[""]
    assert (e["method"], e["confidence"], e["value_low"], e["reviewer_choice"], e["review_id"]) == (
        "reviewer", "reviewed", 300, "c", 7)
    assert e["n_outlying"] == 2
    e = estimates(members, reviews=[("c", 8, False, True)])[""]
    assert (e["n_claims"], e["n_outlying"], e["confidence"]) == (2, 0, "high")


def test_frame_scopes_make_separate_estimates():
    members = [("a", "A", 100, 100), ("b", "B", 100, 100), ("c", "C", 7, 7)]
    got = estimates(members, scopes={"a": "total", "b": "total", "c": "item"})
    assert set(got) == {"total", "item"} and got["total"]["n_outlying"] == 0 and got["item"]["value_low"] == 7
    assert set(estimates(members)) == {""}        # no scopes: one estimate, the 7 an outlier


def test_the_frames_confidence_weighs_the_estimates_score():
    # two of three voices support 100: 0.5 + 0.5 * 2/3 * 2/3 = 0.72; frames decided with confidence 0.6 and
    # 0.8 (the outlier's 0.1 does not count: it does not support the estimate) scale it by their mean, 0.7
    members = [("a", "A", 100, 100), ("b", "B", 100, 100), ("c", "C", 900, 900)]
    assert estimates(members)[""]["confidence_score"] == 0.72
    e = estimates(members, confidences={"a": 0.6, "b": 0.8, "c": 0.1})[""]
    assert e["confidence_score"] == round((0.5 + 0.5 * 2 / 3 * 2 / 3) * 0.7, 2) == 0.51
    # no confidence on a frame: the score is not lowered
    assert estimates(members, confidences={"a": None, "b": None, "c": 0.1})[""]["confidence_score"] == 0.72


def test_sources_and_claims_listed_are_the_first_20_distinct_in_order():
    # 25 voices support 100 (voice V07 twice, from one file), 23 outlying figures (one without a value text:
    # left out of the outliers' text, not of their claims); given in shuffled order
    sup = [(f"s{i:02d}", f"V{i:02d}", 100, 100) for i in range(25)] + [("s07b", "V07", 100, 100)]
    out = [(f"o{i:02d}", f"W{i:02d}", 500 + i, 500 + i) for i in range(23)]
    members = sorted(sup + out, key=lambda m: hash(m[0]) % 97)
    e = estimates(members, texts={"o00": None})[""]
    assert e["sources"] == ", ".join(f"V{i:02d}.txt" for i in range(20))
    assert e["supporting_claims"] == ", ".join(sorted(c for c, *_ in sup)[:20])
    assert e["outliers"] == "; ".join(f"W{i:02d}.txt: {500 + i}" for i in range(1, 21))
    assert e["outlier_claims"] == ", ".join(f"o{i:02d}" for i in range(20))
    assert (e["n_supporting"], e["n_outlying"], e["n_claims"]) == (25, 23, 49)


def test_candidates_with_the_same_voices_are_not_contested():
    # 100 and 200 are each contained by A's and B's figures: the same two voices, one estimate (the lower)
    e = estimates([("a", "A", 100, 200), ("b", "B", 100, 200), ("c", "C", 900, 900)])[""]
    assert (e["method"], e["value_low"], e["value_high"], e["n_supporting"]) == ("consensus", 100, 200, 2)
    # a third candidate as strong but held by other voices makes it contested
    e = estimates([("a", "A", 100, 200), ("b", "B", 100, 200), ("c", "C", 900, 900), ("d", "D", 900, 900)])[""]
    assert e["method"] == "contested"


def test_voices_stating_several_figures_count_once_per_candidate():
    # A states 100 and 200, B and B2 100, C and C2 200: both candidates have 3 voices, A among them, but not
    # the same 3 (contested); voices grouped by the figures they state (B with B2) count by their number
    e = estimates([("a1", "A", 100, 100), ("a2", "A", 200, 200), ("b", "B", 100, 100), ("b2", "B2", 100, 100),
                   ("c", "C", 200, 200), ("c2", "C2", 200, 200)])[""]
    assert (e["method"], e["n_independent"], e["range_low"], e["range_high"]) == ("contested", 5, 100, 200)
    # one more voice for 200 decides it: 4 voices support it (A by one of its figures), and A, B, B2 have
    # a figure outside it
    e = estimates([("a1", "A", 100, 100), ("a2", "A", 200, 200), ("b", "B", 100, 100), ("b2", "B2", 100, 100),
                   ("c", "C", 200, 200), ("c2", "C2", 200, 200), ("d", "D", 200, 200)])[""]
    assert (e["method"], e["value_low"], e["n_supporting"], e["n_outlying"]) == ("consensus", 200, 4, 3)
    # the same voices behind both candidates (each states both figures): not contested, the lower one wins
    e = estimates([("a1", "A", 100, 100), ("a2", "A", 200, 200), ("b1", "B", 100, 100), ("b2", "B", 200, 200)])[""]
    assert (e["method"], e["n_independent"]) == ("consensus", 2)


def test_an_estimates_id_is_the_md5_of_its_frame_whatever_the_query_groups_by():
    # the query groups by a 128-bit number and spells the id out once per estimate: the id must stay the
    # md5 of the frame's row text (what reviews and the report point at), NULL period and scope included
    members = [("a", "A", 100, 100), ("b", "B", 100, 100), ("c", "C", 7, 7), ("d", "D", 8, 8)]
    got = estimates(members, scopes={"a": "total", "b": "total", "c": "item", "d": None})
    con = duckdb.connect()
    for scope, e in got.items():
        want = con.execute("SELECT md5(row(?::VARCHAR, ?::VARCHAR, ?::VARCHAR, ?::BOOLEAN)::VARCHAR)",
                           [e["metric"], e["period"], e["scope"], e["is_target"]]).fetchone()[0]
        assert e["estimate_id"] == want, scope
    assert len({e["estimate_id"] for e in got.values()}) == 3 and got[""]["n_claims"] == 1


@pytest.mark.parametrize("name", ["claim_keys", "review_decisions", "claim_reviews", "consistency_conflicts"])
def test_review_marts_parse(name):
    assert SQL[name].lstrip().upper().startswith(("SELECT", "WITH"))
