"""Through the real CLI (`vnclaims run`, a Prefect flow run against the test harness's Prefect API):
several bad files beside the seed articles -> exit code 3, the summary names each rejected file with its
reason and how many; then the bad files are fixed or removed -> exit code 0, the fixed file is loaded as a
new version of the same path, and the quarantine history stays (also at the old snapshot)."""
from __future__ import annotations

import os
import subprocess

from tests.e2e.test_flow_seeds import VNCLAIMS, sql_json

from ._support import (Lake, article, assert_good_documents, assert_no_mojibake, assert_quarantined, child_env,
                       make_seeds, write)

BAD = {
    "báo cáo.txt": (b"PK\x03\x04" + bytes(60), "binary", "ZIP archive"),            # later fixed
    "rỗng.txt": (b"", "empty", "empty"),                                             # later removed
    "khoảng trắng.txt": (b" \n\n\t \n", "blank", "only whitespace"),                # later removed
    "hỏng.txt": (b"".join(article("x").encode()[i:i + 7] + b"\xff\xfe" for i in range(0, 700, 7)),
                 "undecodable", "not valid UTF-8"),                                   # left as is
}


def _cli(*args: str, api_url: str) -> subprocess.CompletedProcess:
    env = child_env(PREFECT_API_URL=api_url)
    return subprocess.run([VNCLAIMS, *args], capture_output=True, text=True, env=env, timeout=300)


def test_cli_exit_3_lists_rejected_files_and_rerun_after_fix_keeps_history(tmp_path, prefect_harness):
    from prefect.settings import PREFECT_API_URL
    api = PREFECT_API_URL.value()
    assert api, "the Prefect test harness has no API URL"
    seeds = make_seeds(tmp_path, {k: v[0] for k, v in BAD.items()})
    wh = tmp_path / "warehouse"
    r1 = _cli("run", "--seeds", str(seeds), "--warehouse", str(wh), "--no-gx", api_url=api)
    assert r1.returncode == 3, (r1.stdout, r1.stderr)
    out = r1.stdout
    assert "rejected  : 4 input file(s) quarantined this run (total quarantined: 4)" in out, out
    lake = Lake(wh)
    for name, (data, code, words) in BAD.items():
        row = assert_quarantined(lake, name, code, data, reason_has=words)
        assert f"  - {name!r}: {row['reason']}" in out, (name, out)
    assert_good_documents(lake)
    assert_no_mojibake(lake)
    first_snapshot = lake.snapshots[-1]
    history = sql_json(wh, "SELECT source_path, reason_code, reason, run_id, blob_path FROM quarantine")
    assert len(history) == 4

    # fix one bad file, remove two, leave one
    write(seeds / "báo cáo.txt", article("báo cáo đã sửa").encode())
    os.remove(seeds / "rỗng.txt")
    os.remove(seeds / "khoảng trắng.txt")
    r2 = _cli("run", "--seeds", str(seeds), "--warehouse", str(wh), "--no-gx", api_url=api)
    # the unchanged bad file was reported in the first run and is not read again (size+mtime cache)
    assert r2.returncode == 0, (r2.stdout, r2.stderr)
    assert "rejected  : 0 input file(s) quarantined this run (total quarantined: 4)" in r2.stdout, r2.stdout
    lake2 = Lake(wh)
    assert lake2.snapshots[:-1] == lake.snapshots and lake2.snapshots[-1] > first_snapshot
    docs = assert_good_documents(lake2, extra=("báo cáo.txt",))
    assert docs["báo cáo.txt"]["title"].endswith("báo cáo đã sửa")
    versions = {x["status"]: x for x in lake2.where("raw_documents", source_path="báo cáo.txt")}
    assert set(versions) == {"quarantined", "ok"} and versions["ok"]["sha256"] != versions["quarantined"]["sha256"]
    assert (wh / versions["ok"]["blob_path"]).read_bytes() == article("báo cáo đã sửa").encode()
    # quarantine history stays, bytes still kept; removed files are marked not present
    assert sorted(map(repr, sql_json(wh, "SELECT source_path, reason_code, reason, run_id, blob_path FROM quarantine"))) \
        == sorted(map(repr, history))
    for row in history:
        assert (wh / row["blob_path"]).read_bytes() == BAD[row["source_path"]][0]
    present = {x["source_path"]: (x["status"], x["present"]) for x in lake2["source_files"]}
    assert present["báo cáo.txt"] == ("ok", True) and present["hỏng.txt"] == ("quarantined", True)
    assert present["rỗng.txt"][1] is False and present["khoảng trắng.txt"][1] is False
    assert len(sql_json(wh, "SELECT * FROM quarantine", as_of=first_snapshot)) == 4
    assert_no_mojibake(lake2)
