"""Compiled templates are kept between processes: a new environment loads them from the bytecode cache
instead of compiling (the report's and GX Data Docs'), a changed template or salt is compiled again, and
a cache folder that cannot be written does not fail a render."""
from __future__ import annotations

import os

from jinja2 import DictLoader, Environment

from vnclaims.report import render
from vnclaims.jinja_cache import QuietBytecodeCache, bytecode_cache


def _env(cache, source: str = "hello {{ name }}") -> Environment:
    return Environment(loader=DictLoader({"t.j2": source}), bytecode_cache=cache)


def _compiles(monkeypatch, env: Environment) -> int:
    n = []
    real = Environment.compile

    def counted(self, *a, **kw):
        n.append(1)
        return real(self, *a, **kw)
    monkeypatch.setattr(Environment, "compile", counted)
    try:
        assert env.get_template("t.j2").render(name="x") in ("hello x", "bye x")
    finally:
        monkeypatch.setattr(Environment, "compile", real)
    return len(n)


def test_a_second_process_loads_the_compiled_template(tmp_path, monkeypatch):
    d = str(tmp_path)
    assert _compiles(monkeypatch, _env(QuietBytecodeCache("a", d))) == 1
    assert _compiles(monkeypatch, _env(QuietBytecodeCache("a", d))) == 0        # from the cache
    assert _compiles(monkeypatch, _env(QuietBytecodeCache("b", d))) == 1        # another salt
    assert _compiles(monkeypatch, _env(QuietBytecodeCache("a", d), "bye {{ name }}")) == 1   # another source


def test_an_unwritable_cache_compiles_as_before(tmp_path, monkeypatch):
    ro = tmp_path / "ro"
    ro.mkdir()
    os.chmod(ro, 0o500)
    try:
        cache = QuietBytecodeCache("a", str(ro / "missing"))
        assert _compiles(monkeypatch, _env(cache)) == 1
    finally:
        os.chmod(ro, 0o700)


def test_the_report_and_gx_views_use_a_cache():
    assert isinstance(render.environment().bytecode_cache, QuietBytecodeCache)
    assert bytecode_cache("x") is not None
    from vnclaims.checks.gx import _import_gx
    _import_gx()
    from great_expectations.render.view.view import DefaultJinjaPageView
    assert isinstance(DefaultJinjaPageView().env.bytecode_cache, QuietBytecodeCache)


def test_a_damaged_cache_file_is_compiled_again(tmp_path, monkeypatch):
    d = str(tmp_path)
    assert _compiles(monkeypatch, _env(QuietBytecodeCache("a", d))) == 1
    for f in tmp_path.iterdir():                       # truncated: the magic is there, the code is not
        f.write_bytes(f.read_bytes()[:40])
    assert _compiles(monkeypatch, _env(QuietBytecodeCache("a", d))) == 1
    assert _compiles(monkeypatch, _env(QuietBytecodeCache("a", d))) == 0        # written again


def test_the_gx_views_are_patched_once():
    from vnclaims.checks.gx import _cache_templates, _import_gx
    gx = _import_gx()
    from great_expectations.render.view import view
    init = view.DefaultJinjaView.__init__
    _cache_templates(gx.__version__)                   # again (as after a reload of vnclaims.checks.gx)
    assert view.DefaultJinjaView.__init__ is init


def test_the_salt_follows_the_files(tmp_path):
    from vnclaims.jinja_cache import file_salt
    a = tmp_path / "a.py"
    a.write_text("x = 1")
    before = file_salt(a)
    a.write_text("x = 2")
    assert file_salt(a) != before
