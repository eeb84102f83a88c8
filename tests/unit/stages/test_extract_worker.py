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
