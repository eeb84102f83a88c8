"""The cleaner and extractor versions: fingerprints of the code and data a stage's rows are a function of."""
from __future__ import annotations

import os
import shutil

from vnclaims import versions
from vnclaims.claims.metrics import load_registry
from vnclaims.versions import REGISTRY_PATH, extractor_version
from vnclaims.versions import cleaner_version, fingerprint, package_tree


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


def test_a_version_covers_its_folder_by_glob_under_relative_paths(tmp_path):
    """A module added to the folder is inside the version; files are named by their path in the package,
    hashed by content (a touch does not change the version)."""
    (tmp_path / "text" / "decode").mkdir(parents=True)
    (tmp_path / "text" / "clean.py").write_text("A = 1\n")
    (tmp_path / "text" / "decode" / "__init__.py").write_text("B = 2\n")
    (tmp_path / "text" / "notes.txt").write_text("not a module")
    tree = package_tree("text", root=tmp_path)
    assert [label for label, _ in tree] == ["text/clean.py", "text/decode/__init__.py"]
    before = fingerprint(tree)
    st = (tmp_path / "text" / "clean.py").stat()
    os.utime(tmp_path / "text" / "clean.py", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    assert fingerprint(package_tree("text", root=tmp_path)) == before
    (tmp_path / "text" / "decode" / "html.py").write_text("C = 3\n")
    assert fingerprint(package_tree("text", root=tmp_path)) != before


def test_the_cleaner_version_hashes_every_text_module_and_the_extractor_version_every_claims_module():
    text = {label for label, _ in package_tree("text")}
    assert {"text/clean.py", "text/sentences.py", "text/textnorm.py", "text/minhash.py", "text/decode/__init__.py",
            "text/decode/legacy.py", "text/decode/binary.py", "text/decode/mojibake.py", "text/decode/html.py"} <= text
    assert text == {p.relative_to(versions.PACKAGE).as_posix() for p in (versions.PACKAGE / "text").rglob("*.py")}
    # the signatures are the cleaner's; the near-duplicate search over them is dedup's: changing it cleans nothing again
    assert not any(label.startswith("dedup/") for label in text) and (versions.PACKAGE / "dedup" / "lsh.py").is_file()
    import vnclaims.text.minhash as minhash
    assert not hasattr(minhash, "find_near_pairs") and hasattr(minhash, "MinHasher")
    assert "claims/__init__.py" in {label for label, _ in package_tree("claims")}
    assert len(versions.extractor_version()) == 16 and versions.extractor_version() != cleaner_version()


def test_the_new_extractor_version_follows_the_registrys_content_not_its_path(tmp_path):
    copy = tmp_path / "copy.toml"
    shutil.copy(versions.REGISTRY_PATH, copy)
    assert versions.extractor_version(copy) == versions.extractor_version(versions.REGISTRY_PATH)
    assert versions.extractor_version(copy) == versions.extractor_version()
    copy.write_text(copy.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert versions.extractor_version(copy) != versions.extractor_version()
