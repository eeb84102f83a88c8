"""The extract stage's per-document work item: its rows are those of the pure extractor, and the process
that extracts collects its young objects less often (issue 20: the cyclic collector ran over every claim
row thousands of times a batch)."""
from __future__ import annotations

import gc
import importlib

from vnclaims.claims.extract import extract_document
from vnclaims.settings import Settings
from vnclaims.text.sentences import split_sentences

stage = importlib.import_module("vnclaims.stages.extract")

BODY = ("Năm 2023, kim ngạch thương mại Việt Nam - Nga đạt 3,6 tỷ USD, tăng 8% so với năm 2022. "
        "Trong đó, xuất khẩu của Việt Nam sang Nga đạt 1,2 tỷ USD. Hai nước kỷ niệm 70 năm thiết lập quan hệ "
        "ngoại giao.")


def test_a_work_item_gives_the_extractors_rows_and_raises_the_gc_threshold():
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, *before[1:])
        stage._registry.cache_clear()
        item = ("d1", "a.txt", BODY, "2024", "inferred", "", False, split_sentences(BODY),
                str(Settings().metrics_file), "v1", "r1")
        rows, mentions, record, asof = stage._extract_one(item)
        assert gc.get_threshold()[0] == stage.GC_THRESHOLD
        want = [c.as_row() for c in extract_document("d1", "a.txt", BODY, split_sentences(BODY), as_of="2024",
                                                     as_of_source="inferred")]
        for r in want:
            r.pop("source_path")
        assert rows == want and len(rows) >= 3
        assert list(rows[0]) == stage.CLAIM_COLS or set(rows[0]) == set(stage.CLAIM_COLS)
        assert record["claims"] == len(rows) and asof is None
    finally:
        gc.set_threshold(*before)
        stage._registry.cache_clear()


def test_a_new_documents_spans_are_split_from_its_body_by_the_worker():
    """A document cleaned in this run reaches the worker without spans (``None``): the worker splits its body,
    which gives what clean wrote (clean cuts a body's sentences with ``split_sentences`` and nothing else,
    checked on the seeds and the dev set's passages, whose paragraphs, captions and bylines clean removes)."""
    from tests.conftest import SHARED
    from vnclaims.claims.as_of import infer_as_of
    from vnclaims.settings import PROJECT_ROOT
    from vnclaims.text.decode import decode_bytes
    from vnclaims.text.document import clean_document
    paths = sorted((PROJECT_ROOT / "seeds").glob("*.txt")) + sorted((SHARED / "devset" / "texts").glob("*.txt"))
    assert len(paths) >= 10
    for p in paths:
        r = clean_document("r", p.name, decode_bytes(p.read_bytes(), p.name).text, None, None, None, 128, infer_as_of)
        assert [(x["char_start"], x["char_end"]) for x in r["sentences"]] == split_sentences(r["doc"]["body"]), p.name
    with_spans = ("d1", "a.txt", BODY, "2024", "manifest", "", False, split_sentences(BODY),
                  str(Settings().metrics_file), "v1", "r1")
    before = gc.get_threshold()
    try:
        assert stage._extract_one((*with_spans[:7], None, *with_spans[8:])) == stage._extract_one(with_spans)
        assert [it[7] for it in stage._extract_items(None, [with_spans[:7]], Settings().metrics_file, "v1", "r1",
                                                     spans=stage.SPLIT)] == [None]
    finally:
        gc.set_threshold(*before)
        stage._registry.cache_clear()


def test_a_chunk_written_to_files_loads_the_rows_its_columns_give(tmp_path):
    """A worker writes its chunk's rows as JSON files (issue 20: the stage's main process no longer converts
    every value); loaded, they are the rows it sends column by column without a folder, in order."""
    import duckdb

    from vnclaims.run.scratch import put, put_parts
    items = [(f"d{i}", f"{i}.txt", BODY.replace("3,6", f"3,{i}"), "2024", "inferred", "", False, None,
              str(Settings().metrics_file), "v1", "r1") for i in range(4)]
    before = gc.get_threshold()
    try:
        by_files = stage._extract_chunk(items, folder=str(tmp_path))
        by_columns = stage._extract_chunk(items)
    finally:
        gc.set_threshold(*before)
        stage._registry.cache_clear()
    assert by_files["documents"] == by_columns["documents"] == 4
    assert all(isinstance(by_files[t], str) for t in ("e_claims", "e_mentions", "e_extracted"))
    a, b = duckdb.connect(), duckdb.connect()
    for t in stage.E_TABLES:
        put(a, t, [])
        put(b, t, [])
        put_parts(a, t, [by_files[t]])
        put_parts(b, t, [by_columns[t]])
        q = f"SELECT * FROM {t} ORDER BY rowid"
        assert a.execute(q).fetchall() == b.execute(q).fetchall(), t
    assert a.execute("SELECT count(*) FROM e_claims").fetchone()[0] >= 12
    assert list(tmp_path.iterdir()) == []
