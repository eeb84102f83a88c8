"""Shared helpers for the reliability suite: a seeds folder with the five good articles plus bad
files each test builds itself, real pipeline runs, and the checks every case repeats (good documents
loaded, each bad file quarantined with a reason in words and its exact bytes kept, no mojibake)."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT, SEEDS

SEED_NAMES = sorted(p.name for p in SEEDS.iterdir() if p.is_file())
PY = sys.executable

# what a wrong code page leaves behind (UTF-8 read as Windows-1252/Latin-1, or a replacement character)
MOJIBAKE_MARKS = ("Ã", "á»", "áº", "Æ°", "Ä‘", "\ufffd")

# A short Vietnamese article with four figures the extractor classifies; "{tag}" keeps each copy a
# distinct document. Every character exists in VISCII, TCVN3 and Windows-1258 (no curly quotes,
# no tone-marked capitals, which TCVN3 lacks).
ARTICLE = """Quan hệ hợp tác Việt Nam và Liên bang Nga: {tag}

Kim ngạch thương mại song phương giữa hai nước năm 2014 đạt 3,75 tỷ USD, phấn đấu năm 2020 đạt 10 tỷ USD.

Cộng đồng người Việt Nam tại Nga có khoảng 80.000 người, có nhiều đóng góp cho đất nước.

Hiện có khoảng hơn 5.000 sinh viên Việt Nam du học tại Liên bang Nga.

Việt Nam và Nga thiết lập quan hệ đối tác chiến lược toàn diện năm 2012, hai bên duy trì hợp tác kỹ thuật quân sự.

Năng lượng là lĩnh vực hợp tác truyền thống chiến lược và hiệu quả của hai nước.
"""
ARTICLE_METRICS = {("trade_turnover", 3.75e9), ("trade_target", 1e10), ("diaspora_population", 80000.0),
                   ("students_in_russia", 5000.0), ("milestone_comprehensive_strategic_partnership", 2012.0)}


def article(tag: str) -> str:
    return ARTICLE.format(tag=tag)


def make_seeds(base: Path, files: dict[str, bytes] | None = None) -> Path:
    """base/seeds with the five seed articles (writable copies) plus ``files`` (relative path -> bytes)."""
    seeds = base / "seeds"
    seeds.mkdir(parents=True, exist_ok=True)
    for name in SEED_NAMES:
        shutil.copyfile(SEEDS / name, seeds / name)
        os.chmod(seeds / name, 0o644)
    for rel, data in (files or {}).items():
        write(seeds / rel, data)
    return seeds


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def settings(seeds: Path, warehouse: Path, **kw):
    from vnclaims.settings import Settings
    kw.setdefault("gx", False)
    kw.setdefault("report", False)
    return Settings.load(seeds=seeds, warehouse=warehouse, **kw)


@dataclass
class Run:
    ctx: object
    logs: list[str] = field(default_factory=list)

    @property
    def rejected(self) -> dict[str, dict]:
        return {r["source_path"]: r for r in self.ctx.rejected}


def run(s) -> Run:
    """One real pipeline run (all stages, no Prefect); the log lines are kept."""
    from vnclaims.pipeline import run_pipeline
    logs: list[str] = []
    ctx = run_pipeline(s, log=logs.append)
    return Run(ctx, logs)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(4 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


TABLES = ("documents", "raw_documents", "quarantine", "claims", "source_files", "runs")


class Lake(dict):
    """All rows of the tables the checks look at, read with ONE read-only connection (opening the
    catalog costs ~0.3 s), plus the warehouse path."""

    def __init__(self, warehouse: Path):
        from vnclaims.settings import Settings
        from vnclaims.lake.connect import connect
        from vnclaims.lake.history import data_snapshots
        super().__init__()
        self.warehouse = Path(warehouse)
        con = connect(Settings.load(warehouse=warehouse), read_only=True)
        try:
            for t in TABLES:
                cur = con.execute(f"SELECT * FROM {t}")
                names = [d[0] for d in cur.description]
                self[t] = [dict(zip(names, r)) for r in cur.fetchall()]
            self.snapshots = [d["snapshot_id"] for d in data_snapshots(con)]
        finally:
            con.close()

    def where(self, table: str, **eq) -> list[dict]:
        return [r for r in self[table] if all(r.get(k) == v for k, v in eq.items())]

    @property
    def docs(self) -> dict[str, dict]:
        return {d["source_path"]: d for d in self["documents"]}

    def claims_of(self, path: str) -> set[tuple]:
        return {(c["metric"], c["value_low"], c["value_high"], c["unit"], c["qualifier"], c["period"])
                for c in self.where("claims", source_path=path)}


# ------------------------------------------------------------------------------------------- checks
def assert_good_documents(lake: Lake, extra: tuple[str, ...] = ()) -> dict[str, dict]:
    """The five seed articles (and ``extra`` paths) are documents with a body; returns documents by path."""
    docs = lake.docs
    missing = [p for p in (*SEED_NAMES, *extra) if p not in docs]
    assert not missing, f"documents missing for {missing}; have {sorted(docs)}"
    for p in (*SEED_NAMES, *extra):
        assert len(docs[p]["body"]) > 40, (p, docs[p]["body"])
    return docs


def assert_no_mojibake(lake: Lake) -> None:
    """Never mojibake in the warehouse: no 'Ã', 'á»', U+FFFD... in any document title/body or claim quote."""
    texts = [(d["source_path"], f"{d['title'] or ''}\n{d['body']}") for d in lake["documents"]]
    texts += [(c["source_path"], c["quote"] or "") for c in lake["claims"]]
    assert lake["documents"], "no documents at all"
    bad = [(p, m, t[max(0, t.find(m) - 30): t.find(m) + 30]) for p, t in texts for m in MOJIBAKE_MARKS if m in t]
    assert not bad, f"mojibake in the warehouse: {bad[:5]}"


def assert_quarantined(lake: Lake, rel: str, code: str, data: bytes | None, r: Run | None = None,
                       reason_has: str = "") -> dict:
    """``rel`` is a quarantine row with ``code`` and a reason in words; when ``data`` is given its bytes
    are kept at blob_path, byte-identical (sha256 and size match too); it is not a document; the run
    reported it with the same code and reason. Returns the (latest) quarantine row."""
    rows = sorted(lake.where("quarantine", source_path=rel), key=lambda x: x["run_id"])
    assert rows, f"{rel!r} is not in quarantine"
    row = rows[-1]
    assert row["reason_code"] == code, (rel, row)
    reason = row["reason"] or ""
    assert len(reason.split()) >= 4 and reason != code, f"reason is not in words: {reason!r}"
    assert reason_has in reason, (reason_has, reason)
    if data is not None:
        assert row["blob_path"], f"{rel!r}: bytes not kept ({row})"
        kept = lake.warehouse / row["blob_path"]
        assert kept.is_file(), kept
        assert not Path(row["blob_path"]).is_absolute() and kept.resolve().is_relative_to(lake.warehouse.resolve())
        assert kept.read_bytes() == data, f"{rel!r}: kept bytes differ from what was written"
        assert row["sha256"] == hashlib.sha256(data).hexdigest() and row["byte_size"] == len(data), row
    raw = lake.where("raw_documents", raw_id=row["raw_id"])
    assert [x["status"] for x in raw] == ["quarantined"], raw
    assert rel not in lake.docs, f"{rel!r} became a document"
    if r is not None:
        rep = r.rejected.get(rel)
        assert rep is not None, f"{rel!r} not reported by the run: {sorted(r.rejected)}"
        assert (rep["code"], rep["reason"]) == (code, reason), rep
        assert any(repr(rel) in line and reason in line for line in r.logs), f"no log line for {rel!r}"
    return row


def summary(ctx) -> list[str]:
    from vnclaims.pipeline import summary_lines
    return summary_lines(ctx)


def assert_summary_counts(ctx, n_rejected: int) -> list[str]:
    lines = summary(ctx)
    rej = [l for l in lines if l.startswith("rejected")]
    assert rej and rej[0].split(":", 1)[1].strip().startswith(f"{n_rejected} input file(s) quarantined this run"), lines
    for r in ctx.rejected[:10]:
        assert any(repr(r["source_path"]) in l and r["reason"] in l for l in lines), (r, lines)
    return lines


# ------------------------------------------------------------------------------ less privilege (root)
def unprivileged_prefix() -> list[str] | None:
    """A command prefix under which chmod is enforced: [] when not root; as root, setpriv dropping
    CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH (root can otherwise read any file); None when impossible."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if not setpriv:
        return None
    prefix = [setpriv, "--inh-caps=-dac_override,-dac_read_search",
              "--bounding-set=-dac_override,-dac_read_search"]
    probe = Path(os.environ.get("TMPDIR", "/tmp")) / f"vnclaims-probe-{os.getpid()}"
    probe.write_text("x")
    probe.chmod(0)
    try:
        r = subprocess.run([*prefix, PY, "-c", f"open({str(probe)!r}).read()"], capture_output=True, timeout=60)
        return prefix if r.returncode != 0 and b"PermissionError" in r.stderr else None
    except OSError:
        return None
    finally:
        probe.unlink()


DRIVER = """
import json, sys
from pathlib import Path
from vnclaims.settings import Settings
from vnclaims.pipeline import run_pipeline, summary_lines
s = Settings.load(seeds=Path(sys.argv[1]), warehouse=Path(sys.argv[2]), gx=False, report=False)
try:
    ctx = run_pipeline(s, log=lambda m: print("log:", m, file=sys.stderr))
except Exception as e:
    import traceback
    traceback.print_exc()              # to stderr, for the assertion message if a test fails
    print(json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"}))
    sys.exit(1)
print(json.dumps({"ok": True, "snapshot_id": ctx.snapshot_id, "rejected": ctx.rejected, "summary": summary_lines(ctx)}))
"""


def child_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNCLAIMS_")}
    return {**env, "PYTHONWARNINGS": "ignore", "PYTHONPATH": str(ROOT), **extra}


def run_child(seeds: Path, warehouse: Path, prefix: list[str] | None = None, timeout: float = 300):
    """The pipeline in a child process (optionally under ``prefix``); returns (exit code, JSON result, stderr)."""
    import json
    r = subprocess.run([*(prefix or []), PY, "-c", DRIVER, str(seeds), str(warehouse)], capture_output=True,
                       text=True, env=child_env(), timeout=timeout, cwd=str(ROOT))
    last = r.stdout.strip().splitlines()[-1] if r.stdout.strip() else "{}"
    return r.returncode, json.loads(last), r.stderr


# ------------------------------------------------------------------------- what the process opened
_OPENED: list[list[str]] = []
_HOOKED = False


def _audit(event: str, args: tuple) -> None:
    if event == "open" and _OPENED and args and isinstance(args[0], (str, bytes, os.PathLike)):
        p = os.fsdecode(args[0])
        for rec in _OPENED:
            rec.append(p)


class record_opens:
    """Every path this process opens (builtins.open, os.open, ...) while inside the block, via an audit
    hook (installed once; inactive outside the block)."""

    def __enter__(self) -> list[str]:
        global _HOOKED
        if not _HOOKED:
            sys.addaudithook(_audit)
            _HOOKED = True
        self.paths: list[str] = []
        _OPENED.append(self.paths)
        return self.paths

    def __exit__(self, *exc) -> None:
        _OPENED.remove(self.paths)
