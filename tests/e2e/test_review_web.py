"""`vnclaims review serve`, clicked in headless Chromium (the system's, driven by Playwright): the buttons
record decisions in the warehouse; other origins and token-less posts are refused; article text is escaped."""
from __future__ import annotations

import os
import threading
import urllib.error
import urllib.request

import pytest

from tests.browser import require_chromium
from tests.e2e.review_support import PLANTED, quiet, registry, rows, seeds_with

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
HOSTILE = "Cộng đồng người Việt tại Nga có khoảng 90.000 người <script>alert('x')</script><img src=x onerror=alert(1)>."


@pytest.fixture
def served(tmp_path, make_settings):
    from vnclaims.pipeline import run_pipeline
    from vnclaims.review.web import make_server
    seeds = seeds_with(tmp_path, PLANTED)
    (seeds / "hostile.txt").write_text(HOSTILE + "\n", encoding="utf-8")
    s = make_settings(seeds, metrics_file=registry(tmp_path), gx=False, report=False)
    run_pipeline(s, log=quiet)
    server, app = make_server(s, 0, log=quiet)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        yield s, app, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def require_playwright():
    """Playwright's Python package (no browser download: it drives the system's Chromium); skipped when it is
    not installed, except under CI=true."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        msg = "the playwright package is not installed (pip install -e '.[test]')"
        if os.environ.get("CI", "").strip().lower() == "true":
            pytest.fail("CI=true but " + msg)
        pytest.skip(msg)
    return sync_playwright


def _post(url: str, body: str, headers: dict | None = None) -> int:
    req = urllib.request.Request(url + "decide", data=body.encode(), headers=headers or {}, method="POST")
    try:
        return urllib.request.urlopen(req, timeout=30).status
    except urllib.error.HTTPError as e:
        return e.code


def test_decisions_by_clicking_in_chromium(served):
    chromium = require_chromium()
    sync_playwright = require_playwright()
    s, app, url = served
    finding = rows(s, "SELECT conflict_id FROM consistency_conflicts")[0]["conflict_id"]
    outlier = rows(s, "SELECT claim_id FROM claims WHERE source_path = ? AND metric = 'diaspora_population'",
                   [PLANTED.name])[0]["claim_id"]
    dialogs = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(url)
            # the hostile article's markup is shown as text, and runs nothing
            assert page.get_by_text("<script>alert('x')</script>", exact=False).count() >= 1
            assert page.locator("img[src=x]").count() == 0

            card = page.locator(f"#conflict-{finding}")
            card.get_by_placeholder("why (the next reviewer reads it)").fill("the customs total is right")
            card.get_by_role("button", name="Trust a").click()
            assert "decision 1 recorded" in page.locator("#notice").inner_text()
            assert "the next vnclaims run applies it" in page.locator(f"#conflict-{finding}").inner_text()

            card = page.locator(f"#claim-{outlier}")
            card.get_by_placeholder("why (the next reviewer reads it)").fill("not the community: a misread figure")
            card.locator("input[name=by]").fill("minh")
            card.get_by_role("button", name="Reject").click()
            assert "decision 2 recorded" in page.locator("#notice").inner_text()

            # a decision needs a reason: the browser does not send the form without one
            page.locator("#decision-2").get_by_role("button", name="Undo").click()
            assert "decision 2 recorded" in page.locator("#notice").inner_text()     # the same page, not sent
            page.screenshot(path=str(s.warehouse / "review.png"), full_page=False)
        finally:
            browser.close()
    assert dialogs == []
    got = rows(s, "SELECT review_id, reviewer, via, target_kind, target_id, decision, reason FROM reviews ORDER BY 1")
    assert [(r["review_id"], r["via"], r["target_kind"], r["target_id"], r["decision"]) for r in got] == [
        (1, "web", "conflict", finding, "trust_a"), (2, "web", "claim", outlier, "reject")]
    assert got[1]["reviewer"] == "minh" and got[0]["reason"] == "the customs total is right"
    # each decision is a snapshot of its own
    assert len(rows(s, "SELECT * FROM lake.snapshots() WHERE commit_extra_info LIKE '%\"kind\": \"review\"%'")) == 2


def test_posts_without_the_token_or_from_elsewhere_are_refused(served):
    s, app, url = served
    claim = rows(s, "SELECT claim_id FROM claim_keys LIMIT 1")[0]["claim_id"]
    form = f"kind=claim&id={claim}&decision=reject&reason=r"
    assert _post(url, form) == 403
    assert _post(url, form + "&token=guess") == 403
    assert _post(url, form + f"&token={app.token}", {"Origin": "http://evil.example"}) == 403
    assert _post(url, form + f"&token={app.token}", {"Referer": "http://evil.example/page"}) == 403
    assert rows(s, "SELECT count(*) AS n FROM reviews") == [{"n": 0}]
    assert _post(url, form + f"&token={app.token}", {"Origin": url.rstrip("/")}) == 200   # 303 -> the page
    assert rows(s, "SELECT count(*) AS n FROM reviews") == [{"n": 1}]


def test_a_decision_while_a_run_holds_the_warehouse_is_refused_with_a_message(served, monkeypatch):
    import vnclaims.review.web as W
    from vnclaims.lake.lock import writer_lock
    s, app, url = served
    monkeypatch.setattr(W, "LOCK_WAIT", 0.5)
    claim = rows(s, "SELECT claim_id FROM claim_keys LIMIT 1")[0]["claim_id"]
    body = f"kind=claim&id={claim}&decision=reject&reason=r&token={app.token}".encode()
    with writer_lock(s, "a test run"):
        # the 303 is followed: the page after the post says why nothing was recorded
        page = urllib.request.urlopen(urllib.request.Request(url + "decide", data=body, method="POST"),
                                      timeout=30).read().decode()
    assert "another vnclaims run is writing" in page and "a test run" in page
    assert rows(s, "SELECT count(*) AS n FROM reviews") == [{"n": 0}]
    page = urllib.request.urlopen(url, timeout=30).read().decode()
    assert "another vnclaims run is writing" not in page        # the notice is shown once
