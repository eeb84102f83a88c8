"""seeds/manifest.json. Issue 19 item 7: its values were not validated ("<script>..." and "2013-99-99"
became `as_of`, and every check passed); bad metadata gets a warning naming the file and the field and is
not used (the other fields of the entry still are). Item 8: a manifest.json that is a symbolic link to a
file outside the seeds folder was read and applied, while the run says links are not followed."""
from __future__ import annotations

import json

from . import _cli
from ._support import SEED_NAMES, make_seeds

A, B, C, D = SEED_NAMES[:4]


def _docs(wh) -> dict[str, dict]:
    return {d["source_path"]: d for d in _cli.sql(wh, "SELECT source_path, as_of, as_of_source, publisher, url "
                                                       "FROM documents")}


def test_bad_manifest_values_are_warned_about_and_not_used(tmp_path):
    manifest = {"files": {
        A: {"published": "<script>alert(1)</script>"},
        B: {"published": "2013-99-99"},
        C: {"published": "2015-04-05", "url": "javascript:alert(1)"},
        D: {"published": "2014-02-03", "publisher": "Báo Nhân Dân", "url": "https://nhandan.vn/bai-viet"},
    }}
    seeds = make_seeds(tmp_path, {"manifest.json": json.dumps(manifest, ensure_ascii=False).encode()})
    wh = tmp_path / "wh"
    r = _cli.run(seeds, wh)
    out = _cli.text(r)
    assert r.returncode == 0, out
    warned = [l for l in out.splitlines() if "manifest" in l.lower()]
    for name, field in ((A, "published"), (B, "published"), (C, "url")):
        assert any(name in l and field in l for l in warned), f"no warning naming {name} and {field}:\n{out}"
    docs = _docs(wh)
    for name in (A, B):
        assert docs[name]["as_of_source"] != "manifest", docs[name]
        assert docs[name]["as_of"] not in ("<script>alert(1)</script>", "2013-99-99"), docs[name]
    assert docs[C]["as_of"] == "2015-04-05" and docs[C]["as_of_source"] == "manifest", docs[C]
    assert docs[C]["url"] is None, docs[C]
    assert (docs[D]["as_of"], docs[D]["publisher"], docs[D]["url"]) == \
        ("2014-02-03", "Báo Nhân Dân", "https://nhandan.vn/bai-viet"), docs[D]


def test_a_manifest_that_links_outside_the_seeds_is_not_read(tmp_path):
    seeds = make_seeds(tmp_path)
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"files": {A: {"published": "1999-01-01", "publisher": "EVIL"}}}))
    (seeds / "manifest.json").symlink_to(outside)
    wh = tmp_path / "wh"
    r = _cli.run(seeds, wh)
    out = _cli.text(r)
    assert r.returncode in (0, 3), out
    doc = _docs(wh)[A]
    assert doc["publisher"] != "EVIL" and doc["as_of"] != "1999-01-01" and doc["as_of_source"] != "manifest", doc
    assert any("manifest.json" in l and "link" in l for l in out.splitlines()), \
        f"the run does not say that the linked manifest was not read:\n{out}"
