"""Retries, through the real Prefect flow (`flows/pipeline.py:daily`, the test harness's Prefect API):
a transient read error on the first attempt is retried and the file is loaded; a read error that
persists is retried, then quarantined as io-error; decoding rejections (binary, empty) are NOT retried
— each file is read exactly once."""
from __future__ import annotations

import errno
import os

from vnclaims.sources import files as input_files

from ._support import (SEED_NAMES, Lake, article, assert_good_documents, assert_no_mojibake, assert_quarantined, make_seeds)

FLAKY, BROKEN, BINARY, EMPTY = "chập chờn.txt", "ổ đĩa hỏng.txt", "ảnh chụp.png", "rỗng.txt"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40)


def test_transient_errors_are_retried_and_decoding_rejections_are_not(tmp_path, monkeypatch, prefect_harness):
    from flows.pipeline import daily
    seeds = make_seeds(tmp_path, {FLAKY: article("đọc lỗi một lần").encode(), BROKEN: article("ổ hỏng").encode(),
                                  BINARY: PNG, EMPTY: b""})
    wh = tmp_path / "warehouse"
    monkeypatch.setenv("VNCLAIMS_GX", "0")
    calls: dict[str, int] = {}
    real = input_files.read_input

    def read_input(f, root, max_bytes, blob_sink=None):
        calls[f.rel_path] = calls.get(f.rel_path, 0) + 1
        if f.rel_path == BROKEN or (f.rel_path == FLAKY and calls[FLAKY] == 1):
            raise OSError(errno.EIO, "Input/output error", str(f.abs_path))
        return real(f, root, max_bytes, blob_sink)

    monkeypatch.setattr(input_files, "read_input", read_input)
    result = daily(seeds=str(seeds), warehouse=str(wh))
    assert isinstance(result, dict) and result["status"] == "completed", result
    retries = 3                                                  # Settings.io_retries
    assert calls[FLAKY] == 2, calls                              # failed once, retried, read
    assert calls[BROKEN] == retries, calls                       # retried, then given up
    assert calls[BINARY] == 1 and calls[EMPTY] == 1, calls       # a decoding rejection is final
    assert all(n == 1 for p, n in calls.items() if p not in (FLAKY, BROKEN)), calls
    lake = Lake(wh)
    assert_good_documents(lake, extra=(FLAKY,))
    assert not lake.where("quarantine", source_path=FLAKY)
    assert_quarantined(lake, BROKEN, "io-error", None, reason_has="could not be read: Input/output error")
    assert_quarantined(lake, BINARY, "binary", PNG, reason_has="PNG image")
    assert_quarantined(lake, EMPTY, "empty", b"", reason_has="empty")
    assert sorted((r["source_path"], r["code"]) for r in result["rejected"]) == sorted(
        [(BROKEN, "io-error"), (BINARY, "binary"), (EMPTY, "empty")])
    lines = result["summary"]
    assert any(l.startswith("rejected  : 3 input file(s) quarantined this run") for l in lines), lines
    for r in result["rejected"]:
        assert any(repr(r["source_path"]) in l and r["reason"] in l for l in lines), (r, lines)
    runs = lake["runs"]
    assert [(r["status"], r["rejected"], bool(r["flow_run_id"])) for r in runs] == [("completed", 3, True)]
    assert_no_mojibake(lake)


def test_a_retried_ingest_starts_its_scratch_tables_again(tmp_path, monkeypatch, prefect_harness):
    """Ingest writes to scratch a batch at a time. When it fails after a batch is written (here: the raw
    copy of the third file fails once, as on a full disk) Prefect runs the task again; the second attempt
    must not add its rows to the first attempt's, or every table downstream holds a file twice."""
    from flows.pipeline import daily
    from vnclaims.sources import blobs
    names = [f"bài {i}.txt" for i in range(4)]
    seeds = make_seeds(tmp_path, {n: article(f"lần thử {i}").encode() for i, n in enumerate(names)})
    wh = tmp_path / "warehouse"
    monkeypatch.setenv("VNCLAIMS_GX", "0")
    monkeypatch.setenv("VNCLAIMS_BATCH_SIZE", "1")           # a flush to scratch after every file
    failed: list[str] = []
    real = blobs.keep_bytes

    def keep_bytes(target, data, source):
        if source == names[2] and not failed:
            failed.append(source)
            raise blobs.WarehouseError(f"could not keep the bytes of {source!r} in {os.path.dirname(target)}: "
                                          "No space left on device")
        return real(target, data, source)

    monkeypatch.setattr(blobs, "keep_bytes", keep_bytes)
    result = daily(seeds=str(seeds), warehouse=str(wh))
    assert failed == [names[2]]                                   # the first attempt did fail, after 2 flushes
    assert isinstance(result, dict) and result["status"] == "completed", result
    lake = Lake(wh)
    every = sorted([*SEED_NAMES, *names])
    assert sorted(r["source_path"] for r in lake["raw_documents"]) == every
    assert sorted(r["source_path"] for r in lake["source_files"]) == every
    assert sorted(d["source_path"] for d in lake["documents"]) == every
    claims = lake["claims"]
    assert claims and len({c["claim_id"] for c in claims}) == len(claims)
    assert not lake["quarantine"]
    assert_good_documents(lake, extra=tuple(names))
