"""The cleaner and extractor versions: fingerprints of the code and data a stage's rows are a function of."""
from __future__ import annotations

import os
import shutil

from vnclaims.clean import cleaner_version
from vnclaims.extract import REGISTRY_PATH, extractor_version, load_registry
from vnclaims.fingerprint import fingerprint


def test_the_extractor_version_follows_the_registrys_content_not_its_path(tmp_path):
    copy = tmp_path / "copy.toml"
    shutil.copy(REGISTRY_PATH, copy)
    assert extractor_version(copy) == extractor_version(REGISTRY_PATH) == extractor_version()
    assert len(extractor_version()) == 16 and int(extractor_version(), 16) >= 0
    copy.write_text(REGISTRY_PATH.read_text(encoding="utf-8").replace("tolerance_rel = 0.05", "tolerance_rel = 0.06", 1),
                    encoding="utf-8")
    assert extractor_version(copy) != extractor_version(REGISTRY_PATH)


def test_an_edited_file_is_read_again_by_a_long_lived_process(tmp_path):
    """`vnclaims serve` lives for weeks: the registry and the versions must see an edit (size or mtime)."""
    reg = tmp_path / "metrics.toml"
    shutil.copy(REGISTRY_PATH, reg)
    before, names = extractor_version(reg), {m.name for m in load_registry(reg).metrics}
    text = reg.read_text(encoding="utf-8") + '\n[[metric]]\nname = "x_new"\nunit = "person"\ncues = ["x"]\n'
    reg.write_text(text, encoding="utf-8")
    st = reg.stat()
    os.utime(reg, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert extractor_version(reg) != before
    assert {m.name for m in load_registry(reg).metrics} == names | {"x_new"}


def test_fingerprints_hash_labels_and_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.write_bytes(b"rules")
    b.write_bytes(b"rules")
    assert fingerprint((("x", str(a)),)) == fingerprint((("x", str(b)),))       # the same bytes elsewhere
    assert fingerprint((("x", str(a)),)) != fingerprint((("y", str(a)),))       # another role
    b.write_bytes(b"rules!")
    assert fingerprint((("x", str(a)),)) != fingerprint((("x", str(b)),))
    assert cleaner_version() == cleaner_version() != extractor_version()
