"""Documents follow the cleaner that made them: a file cleaned by another cleaner version (other decoding or
cleaning rules) is read and cleaned again by the next run, so a warehouse that lived through the change
holds the same rows as one built from scratch with the new cleaner. The new cleaner is simulated in this
process: a rule added on top of ``clean_text``, under another version (the seeds are few enough to be
cleaned here, not in worker processes)."""
from __future__ import annotations

import shutil
from dataclasses import replace

import pytest

from tests.conftest import SEEDS
from tests.e2e.test_incremental_marts import _marts

pytestmark = pytest.mark.e2e


def _quiet(msg: str) -> None:
    pass


def _with_body(d, body: str):
    """The cleaned document ``d`` with another body: paragraphs and sentences computed again."""
    from vnclaims.text.sentences import split_sentences
    spans, pos = [], 0
    for p in body.split("\n\n"):
        spans.append((pos, pos + len(p)))
        pos += len(p) + 2
    return replace(d, body=body, paragraphs=spans, sentences=split_sentences(body))


def _install(monkeypatch, rule, version: str) -> None:
    import vnclaims.text.clean as C    # the stages look both up through their modules at call time
    import vnclaims.versions as V
    clean_text = C.clean_text
    monkeypatch.setattr(C, "clean_text", lambda text: rule(clean_text(text)))
    monkeypatch.setattr(V, "cleaner_version", lambda: version)


RULES = {
    # the same words: the documents keep their ids, a column changes
    "byline": lambda d: replace(d, author="Ban Thời sự"),
    # the same words in another layout: the ids stay, the body and every offset after the change move
    "layout": lambda d: _with_body(d, d.body.replace(", ", " , ")),
    # other words: new documents replace the old ones
    "words": lambda d: _with_body(d, d.body.split("\n\n", 1)[-1]),
}


def _rows(settings, sql: str, read_only: bool = True) -> list[tuple]:
    """The rows of ``sql`` on the warehouse (``read_only=False``: a statement that changes it, as a user's
    session could, to set up a case)."""
    from vnclaims.lake.connect import connect
    con = connect(settings, read_only=read_only)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_new_cleaner_cleans_the_known_files_again(tmp_path, make_settings, monkeypatch, rule):
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    s = make_settings(seeds, gx=False, report=False)
    run_pipeline(s, log=_quiet)
    docs_before = _rows(s, "SELECT doc_id FROM documents ORDER BY 1")
    several_paragraphs = {r[0] for r in _rows(s, "SELECT doc_id FROM documents WHERE contains(body, chr(10) || chr(10))")}

    _install(monkeypatch, RULES[rule], f"test-{rule}")
    logged = []
    ctx = run_pipeline(s, log=logged.append)
    ing, ded = ctx.counts["ingest"], ctx.counts["dedup"]
    assert ing["cleaned_again"] == 5 and ing["unchanged"] == 0
    assert "5 cleaned by cleaner version" in ing["again_because"] and "now version test-" in ing["again_because"]
    assert any("5 file(s) already in the warehouse are read and cleaned again" in m for m in logged)
    assert ctx.snapshot_id is not None

    # the same rows as a warehouse built from scratch with the new cleaner
    fresh = make_settings(seeds, tmp_path / "fresh", gx=False, report=False)
    run_pipeline(fresh, log=_quiet)
    got, want = _marts(s), _marts(fresh)
    for name in want:
        assert got[name] == want[name], f"{name} differs from a warehouse built with the new cleaner"
    for table in ("stg_sentences", "cleaning_log"):
        q = f"SELECT * FROM {table} WHERE " + ("doc_id IN (SELECT doc_id FROM documents)" if table == "stg_sentences"
                                                else "raw_id IN (SELECT raw_id FROM source_files)") + " ORDER BY ALL"
        assert _rows(s, q) == _rows(fresh, q), f"{table} differs from a warehouse built with the new cleaner"

    if rule == "byline":
        assert ded["known_documents_cleaned_differently"] == 5
        assert _rows(s, "SELECT DISTINCT author FROM documents") == [("Ban Thời sự",)]
        assert _rows(s, "SELECT doc_id FROM documents ORDER BY 1") == docs_before
    elif rule == "layout":
        assert ded["known_documents_cleaned_differently"] >= 4
        assert ctx.counts["extract"]["extracted_again"] == ded["known_documents_cleaned_differently"]
        assert _rows(s, "SELECT doc_id FROM documents ORDER BY 1") == docs_before
        # every quote is where its offsets say, in the new body
        assert _rows(s, "SELECT count(*) FROM claims c JOIN documents d USING (doc_id) "
                        "WHERE substr(d.body, c.char_start + 1, c.char_end - c.char_start) <> c.quote") == [(0,)]
        assert _rows(s, "SELECT count(*) FROM claims WHERE quote LIKE '% , %'")[0][0] > 0
    else:    # the articles of several paragraphs lose their first one: new documents
        assert ded["new_documents"] == len(several_paragraphs) >= 3
        assert not {r[0] for r in _rows(s, "SELECT doc_id FROM documents")} & several_paragraphs

    # cleaned by this version now: the next run reads nothing again
    again = run_pipeline(s, log=_quiet)
    assert again.counts["ingest"]["cleaned_again"] == 0 and again.snapshot_id is None


def test_reclean_on_demand_changes_nothing_when_the_cleaner_is_the_same(tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    s = make_settings(seeds, gx=False, report=False)
    run_pipeline(s, log=_quiet)
    before = _marts(s)
    ctx = run_pipeline(replace(s, reclean=True), log=_quiet)
    assert ctx.counts["ingest"]["cleaned_again"] == 5
    assert ctx.counts["ingest"]["again_because"] == "asked to (--reclean / VNCLAIMS_RECLEAN)"
    assert ctx.counts["dedup"]["known_documents_cleaned_differently"] == 0
    assert ctx.counts["load"]["inserted"] == {"stg_cleanings": 5}
    assert _marts(s) == before
