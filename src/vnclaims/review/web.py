"""``vnclaims review serve``: a local page listing what needs a decision, with buttons that record the same
decisions as the command line.

Safety: the server listens on 127.0.0.1 only; every POST must carry the token made at start-up (other sites
cannot read the page, so they cannot know it) and come from this origin (Origin / Referer, and the Host
header against DNS rebinding); every text from an article is escaped by Jinja2's autoescape, and the
page runs no script (its Content-Security-Policy allows none)."""
from __future__ import annotations

import hmac
import secrets
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jinja2

from ..settings import Settings
from ..errors import WarehouseError
from ..lake.connect import connect
from .model import Decision, ReviewError, default_reviewer
from .queue import review_queue
from .store import record, undo

HOST = "127.0.0.1"
MAX_BODY = 64 * 1024
LOCK_WAIT = 10.0          # seconds a decision waits for a run that holds the warehouse
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}
TEMPLATES = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                               autoescape=True, undefined=jinja2.StrictUndefined)


def number(v, unit: str | None = None) -> str:
    """7200000000.0 -> '7,200,000,000'; 2.3 -> '2.3'; a year 2012.0 -> '2012'; None -> '…' (an open bound)."""
    if v is None:
        return "…"
    if unit == "year":
        return f"{v:.0f}"
    return f"{v:,.0f}" if float(v).is_integer() else f"{v:,.4g}"


TEMPLATES.filters["number"] = number


class ReviewApp:
    """The page and the decisions behind it, for one warehouse; one token per start."""

    def __init__(self, settings: Settings, log=print, token: str | None = None):
        self.settings, self.log = settings, log
        self.token = token or secrets.token_urlsafe(32)
        self.notice: tuple[str, str] | None = None      # (kind, text) shown once on the next page
        self.lock = threading.Lock()

    def page(self) -> str:
        notice, self.notice = self.notice, None
        try:
            con = connect(self.settings, read_only=True)
        except WarehouseError as e:
            return TEMPLATES.get_template("page.html").render(
                q={"ready": False, "conflicts": [], "claims": [], "estimates": [], "decisions": []},
                error=str(e), notice=notice, token=self.token, reviewer=default_reviewer(), pending={},
                warehouse=str(self.settings.warehouse))
        try:
            q = review_queue(self.settings, con)
        finally:
            con.close()
        pending = {d["target_id"]: d for d in q["decisions"] if d["status"] == "pending"}
        return TEMPLATES.get_template("page.html").render(q=q, error=None, notice=notice, token=self.token,
                                                          reviewer=default_reviewer(), pending=pending,
                                                          warehouse=str(self.settings.warehouse))

    def decide(self, form: dict[str, str]) -> str:
        """Record the decision a form posted; returns what to tell the reviewer."""
        kind, target, decision = form.get("kind", ""), form.get("id", ""), form.get("decision", "")
        reason, by = form.get("reason", ""), form.get("by", "").strip() or default_reviewer()
        with self.lock:
            # a run holding the warehouse: the page says so after a short wait (the server is single-threaded)
            if kind == "undo":
                row = undo(self.settings, target, reason, reviewer=by, via="web", log=self.log,
                           lock_timeout=LOCK_WAIT)
            else:
                row = record(self.settings, Decision(kind, target, decision, reason, reviewer=by, via="web"),
                             log=self.log, lock_timeout=LOCK_WAIT)
        return (f"decision {row['review_id']} recorded ({row['decision']} {row['target_kind']} "
                f"{row['target_id'][:12]}, snapshot {row['snapshot_id']}); the next `vnclaims run` applies it")

    def allowed_post(self, headers, port: int) -> str | None:
        """Why a POST is refused (None: allowed)."""
        origins = {f"http://{HOST}:{port}", f"http://localhost:{port}"}
        if headers.get("Host") not in {o.split("//", 1)[1] for o in origins}:
            return "unexpected Host header"
        origin = headers.get("Origin")
        if origin is not None and origin not in origins:
            return "cross-origin request"
        referer = headers.get("Referer")
        if origin is None and referer is not None:
            r = urlsplit(referer)
            if f"{r.scheme}://{r.netloc}" not in origins:
                return "cross-origin request"
        return None


def _handler(app: ReviewApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "vnclaims-review"

        def log_message(self, fmt: str, *args) -> None:     # requests are not worth a log line each
            pass

        def _send(self, status: int, body: str = "", location: str | None = None) -> None:
            data = body.encode("utf-8")
            self.send_response(status)
            for k, v in HEADERS.items():
                self.send_header(k, v)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if urlsplit(self.path).path != "/":
                return self._send(HTTPStatus.NOT_FOUND, "not found")
            self._send(HTTPStatus.OK, app.page())

        def do_POST(self) -> None:
            if urlsplit(self.path).path != "/decide":
                return self._send(HTTPStatus.NOT_FOUND, "not found")
            why = app.allowed_post(self.headers, self.server.server_address[1])
            n = int(self.headers.get("Content-Length") or 0)
            if why is None and not 0 < n <= MAX_BODY:
                why = "no form, or a form too large"
            form = {}
            if why is None:
                raw = parse_qs(self.rfile.read(n).decode("utf-8", "replace"), keep_blank_values=True)
                form = {k: v[0] for k, v in raw.items()}
                if not hmac.compare_digest(form.get("token", ""), app.token):
                    why = "missing or wrong token (reload the page)"
            if why is not None:
                return self._send(HTTPStatus.FORBIDDEN, f"refused: {why}")
            try:
                app.notice = ("ok", app.decide(form))
            except (ReviewError, WarehouseError) as e:
                app.notice = ("error", str(e))
            self._send(HTTPStatus.SEE_OTHER, "", location="/")
    return Handler


def make_server(settings: Settings, port: int = 0, log=print) -> tuple[HTTPServer, ReviewApp]:
    """A server on 127.0.0.1:``port`` (0: any free port); call ``serve_forever`` on it."""
    app = ReviewApp(settings, log=log)
    return HTTPServer((HOST, port), _handler(app)), app


def serve(settings: Settings, port: int = 8765, log=print) -> None:
    server, _ = make_server(settings, port, log)
    log(f"reviewing {settings.warehouse} at http://{HOST}:{server.server_address[1]}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
