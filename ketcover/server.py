"""The local web page of `ketcover serve`: loopback only, a per-launch token, one analysis at a time.

Stdlib only (http.server). The token is the first path segment (`http://127.0.0.1:PORT/TOKEN/`),
so the page, its scripts, its images and its downloads all use relative addresses and every
request carries it; no cookie is set. Uploads are written to a private temporary folder under
names this module picks, read by the same isolated worker as the CLI, and deleted as soon as the
analysis ends. The bytes of a readable PDF stay in this process's memory (never parsed here) so
that a cited page can be rendered by a worker; they are gone when the server stops.

This module is the transport (requests, checks, routes); jobs.py keeps the uploads and runs their
analysis, views.py shapes the JSON the page reads.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import os
import re
import secrets
import signal
import socket
import sys
import threading
import time
import traceback
import unicodedata
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ketcover import __version__
from ketcover.analyze import Options, analyze_file, compile_rules
from ketcover.caseweb import CASE_DOWNLOADS, MAX_CASE_BODY, case_view
from ketcover.compare import build_comparison
from ketcover.jobs import HTTPError, Job, JobStore
from ketcover.model import ExitCode
from ketcover.privacy import mask_report
from ketcover.render import render_comparison, render_report as render
from ketcover.render.case import render_case
from ketcover.render.policy import CONTENT_SECURITY_POLICY, STYLESHEET
from ketcover.views import comparison_view, job_view

HOST = "127.0.0.1"
DEFAULT_MAX_UPLOAD_MB = 100
BODY_CHUNK = 64 * 1024
SOCKET_TIMEOUT = 60  # a client that stops sending mid-upload must not hold the analysis slot
# A whole upload must arrive within UPLOAD_GRACE_SECONDS plus its size at MIN_UPLOAD_RATE: on the
# loopback a browser sends 100 MB in about a second, so only a client that trickles (one byte every
# 20 s keeps every single read alive) meets the deadline, and it then loses the analysis slot.
UPLOAD_GRACE_SECONDS = 15.0
MIN_UPLOAD_RATE = 1024 * 1024  # bytes per second
SECURITY_HEADERS = (
    ("Cache-Control", "no-store"),
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
)
STATIC_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
}
DOWNLOADS = {
    "html": ("html", "text/html; charset=utf-8"),
    "md": ("markdown", "text/markdown; charset=utf-8"),
    "json": ("json", "application/json; charset=utf-8"),
}
COMPARISON_DOWNLOADS = {
    "csv": ("csv", "text/csv; charset=utf-8"),
    "html": ("html", "text/html; charset=utf-8"),
    "md": ("markdown", "text/markdown; charset=utf-8"),
    "json": ("json", "application/json; charset=utf-8"),
}
# Headers that must appear at most once: duplicates are refused, not resolved by "first wins".
SINGLE_HEADERS = ("Host", "Content-Length", "Transfer-Encoding", "Origin", "X-Ketcover-Filename",
                  "X-Ketcover-Password")
UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def display_name(raw: str | None) -> str:
    """The upload's name for display only (never used as a path): base name, no control characters."""
    name = unquote(raw or "")
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = " ".join(name.split())[:120]
    return name or "upload.pdf"


def download_name(name: str, suffix: str) -> str:
    stem = UNSAFE_NAME.sub("-", Path(name).stem).strip("-.")[:60] or "report"
    return f"ketcover-{stem}.{suffix}"


def _static_files() -> dict[str, tuple[bytes, str]]:
    """The page's files, read once from the package (ketcover/web); nothing else is served."""
    files = {}
    folder = resources.files("ketcover") / "web"
    for entry in folder.iterdir():
        content_type = STATIC_TYPES.get(Path(entry.name).suffix)
        if content_type and entry.is_file():
            files[entry.name] = (entry.read_bytes(), content_type)
    if "index.html" not in files:
        raise RuntimeError("ketcover/web/index.html is missing from the installed package")
    # One stylesheet for every page: the web page's style.css is the one the CLI's pages inline.
    files["style.css"] = (STYLESHEET.encode("utf-8"), STATIC_TYPES[".css"])
    return files


class KetcoverServer:
    """The web page's server: create it, `start()` it in a thread (tests) or `serve_forever()`, then `stop()`."""

    def __init__(
        self,
        port: int = 0,
        ruleset=None,
        *,
        options: Options | None = None,
        max_upload_bytes: int = DEFAULT_MAX_UPLOAD_MB * 1024 * 1024,
        token: str | None = None,
        quiet: bool = True,
        upload_grace_seconds: float = UPLOAD_GRACE_SECONDS,
        min_upload_rate: float = MIN_UPLOAD_RATE,
    ):
        self.compiled = compile_rules(ruleset)  # the rule set is validated before any upload is read
        self.options = options or Options()
        self.max_upload_bytes = max_upload_bytes
        self.upload_grace_seconds = upload_grace_seconds
        self.min_upload_rate = min_upload_rate
        self.token = token or secrets.token_urlsafe(24)
        self.quiet = quiet
        self.static = _static_files()
        self.httpd = _HTTPServer((HOST, port), _Handler)
        self.httpd.app = self
        self.port = self.httpd.server_address[1]
        self.allowed_hosts = {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}
        self.allowed_origins = {f"http://{host}" for host in self.allowed_hosts}
        self.store = JobStore(self.compiled, self.options)
        self._thread: threading.Thread | None = None
        self._stopped = False

    # The store's state, read through the server by tests and by the page's config answer.
    @property
    def busy(self) -> threading.Lock:
        return self.store.busy

    @property
    def jobs(self) -> dict:
        return self.store.jobs

    @property
    def temp_dir(self) -> Path:
        return self.store.temp_dir

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/{self.token}/"

    def start(self) -> "KetcoverServer":
        """Serve in a background thread (for tests and embedding)."""
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="ketcover-server", daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        """Stop serving, forget every document and remove the temporary folder."""
        if self._stopped:
            return
        self._stopped = True
        if self._thread is not None:
            self.httpd.shutdown()
            self._thread.join(timeout=10)
        self.httpd.server_close()
        self.store.close()

    def __enter__(self) -> "KetcoverServer":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # ---------------------------------------------------------------- uploads

    def upload_deadline(self, length: int) -> float:
        """The monotonic time by which an upload of `length` bytes must have arrived whole."""
        return time.monotonic() + self.upload_grace_seconds + length / self.min_upload_rate

class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    app: KetcoverServer

    def handle_error(self, request, client_address) -> None:
        # The default prints a traceback with the request; one line, without it, is enough.
        kind = sys.exc_info()[0]
        if kind not in (ConnectionResetError, BrokenPipeError, TimeoutError) and not self.app.quiet:
            print(f"ketcover: a request failed ({kind.__name__ if kind else 'unknown'})", file=sys.stderr)


class _Handler(BaseHTTPRequestHandler):
    server_version = "ketcover"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = SOCKET_TIMEOUT

    @property
    def app(self) -> KetcoverServer:
        return self.server.app

    def log_message(self, format, *args) -> None:
        # Request lines hold the token and document names: never logged.
        pass

    # ---------------------------------------------------------------- plumbing

    def send_body(self, status: int, body: bytes, content_type: str, headers: tuple = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in SECURITY_HEADERS + tuple(headers):
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status: int, data: dict, headers: tuple = ()) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        self.send_body(status, body, "application/json; charset=utf-8", headers)

    def send_error_answer(self, error: HTTPError) -> None:
        if "text/html" in (self.headers.get("Accept") or "") and "/api/" not in self.path:
            self.send_body(error.status, (error.message + "\n").encode("utf-8"), "text/plain; charset=utf-8", error.headers)
        else:
            self.send_json(error.status, {"error": error.code, "message": error.message}, error.headers)

    def handle_expect_100(self) -> bool:
        # "100 Continue" is sent by _post once the upload is accepted, so a client that waits
        # for it never sends a body that would be refused (http.server would send it at once).
        return True

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except (ConnectionResetError, BrokenPipeError, TimeoutError):
            self.close_connection = True

    def do_GET(self) -> None:
        self._dispatch(self._get)

    def do_POST(self) -> None:
        self._dispatch(self._post)

    def _refuse_method(self) -> None:
        self.close_connection = True
        self.send_error_answer(HTTPError(HTTPStatus.METHOD_NOT_ALLOWED, "method", "Only GET and POST are used here."))

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = do_HEAD = _refuse_method

    def _dispatch(self, method) -> None:
        self._body_read = False
        try:
            route = self._check()
            method(route, parse_qs(urlsplit(self.path).query))
        except HTTPError as error:
            if self.command == "POST" and not self._body_read:
                self.close_connection = True  # the unread body must not be taken for the next request
            self.send_error_answer(error)
        except (ConnectionResetError, BrokenPipeError, TimeoutError):
            raise
        except Exception as exc:  # a bug answers 500 without details (they could hold document text)
            if os.environ.get("KETCOVER_DEBUG"):
                traceback.print_exc()
            self.close_connection = True
            self.send_error_answer(HTTPError(HTTPStatus.INTERNAL_SERVER_ERROR, "internal_error",
                                             f"ketcover failed on this request ({type(exc).__name__}). Please report it."))

    def _check(self) -> str:
        """Host, Origin and token checks for every request; returns the path after the token."""
        for name in SINGLE_HEADERS:
            if len(self.headers.get_all(name) or ()) > 1:
                # Two values are ambiguous (which one would a proxy or the browser have meant?).
                self.close_connection = True
                raise HTTPError(HTTPStatus.BAD_REQUEST, "duplicate_header",
                                f"The request carries {name} twice. Reload the page and try again.")
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.app.allowed_hosts:
            raise HTTPError(HTTPStatus.FORBIDDEN, "bad_host", "This address is not served here. Open the address ketcover serve printed.")
        origin = self.headers.get("Origin")
        if origin is not None and origin.strip().lower() not in self.app.allowed_origins:
            raise HTTPError(HTTPStatus.FORBIDDEN, "bad_origin", "Requests from other web pages are refused.")
        if (self.headers.get("Sec-Fetch-Site") or "none").lower() not in ("same-origin", "none"):
            raise HTTPError(HTTPStatus.FORBIDDEN, "bad_origin", "Requests from other web pages are refused.")
        path = urlsplit(self.path).path
        parts = path.split("/", 2)  # "", token, rest
        if len(parts) < 2 or not hmac.compare_digest(parts[1].encode(), self.app.token.encode()):
            raise HTTPError(HTTPStatus.FORBIDDEN, "bad_token",
                            "This address needs the secret key that ketcover serve printed. Open the full address it printed.")
        if len(parts) == 2:
            raise HTTPError(HTTPStatus.MOVED_PERMANENTLY, "redirect", "Moved.", (("Location", f"/{self.app.token}/"),))
        return parts[2]

    # ---------------------------------------------------------------- routes

    def _get(self, route: str, query: dict) -> None:
        app = self.app
        if route == "":
            route = "index.html"
        if route in app.static:
            body, content_type = app.static[route]
            self.send_body(HTTPStatus.OK, body, content_type)
            return
        if route == "api/config":
            self.send_json(HTTPStatus.OK, {"version": __version__, "max_upload_bytes": app.max_upload_bytes,
                                           "busy": app.busy.locked()})
            return
        match = re.fullmatch(r"api/jobs/([^/]+)(?:/(.*))?", route)
        if match:
            self._get_job(app.store.job(match.group(1)), match.group(2) or "", query)
            return
        match = re.fullmatch(r"api/comparison(?:\.(\w+))?", route)
        if match:
            self._get_comparison(match.group(1), query)
            return
        raise HTTPError(HTTPStatus.NOT_FOUND, "not_found", "Nothing is served at this address.")

    def _get_job(self, job: Job, rest: str, query: dict) -> None:
        app = self.app
        if rest == "":
            self.send_json(HTTPStatus.OK, job_view(job))
            return
        match = re.fullmatch(r"report\.(\w+)", rest)
        if match and match.group(1) in DOWNLOADS:
            fmt, content_type = DOWNLOADS[match.group(1)]
            if job.report is None:
                raise HTTPError(HTTPStatus.CONFLICT, "not_ready", "This document has not been read yet.")
            # A download leaves the page: member IDs and claim numbers in it are masked.
            body = render([mask_report(job.report)], fmt).encode("utf-8")
            disposition = f'attachment; filename="{download_name(job.name, match.group(1))}"'
            self.send_body(HTTPStatus.OK, body, content_type, (("Content-Disposition", disposition),))
            return
        match = re.fullmatch(r"pages/(\d{1,6})\.png", rest)
        if match:
            self.send_body(HTTPStatus.OK, app.store.page_png(job, int(match.group(1))), "image/png")
            return
        match = re.fullmatch(r"(findings|costs)/(\d{1,6})/boxes", rest)
        if match:
            self.send_json(HTTPStatus.OK, app.store.citation_boxes(job, match.group(1), int(match.group(2))))
            return
        match = re.fullmatch(r"pages/(\d{1,6})/boxes", rest)
        if match:
            quote = (query.get("quote") or [""])[0]
            self.send_json(HTTPStatus.OK, app.store.case_quote_boxes(job, int(match.group(1)), quote))
            return
        raise HTTPError(HTTPStatus.NOT_FOUND, "not_found", "Nothing is served at this address.")

    def _get_comparison(self, suffix: str | None, query: dict) -> None:
        jobs = self.app.store.comparison_jobs(query)
        comparison = build_comparison([job.report for job in jobs])
        if suffix is None:
            self.send_json(HTTPStatus.OK, comparison_view(comparison, jobs))
            return
        if suffix not in COMPARISON_DOWNLOADS:
            raise HTTPError(HTTPStatus.NOT_FOUND, "not_found", "Nothing is served at this address.")
        fmt, content_type = COMPARISON_DOWNLOADS[suffix]
        body = render_comparison(comparison, fmt).encode("utf-8")
        disposition = f'attachment; filename="ketcover-comparison.{suffix}"'
        self.send_body(HTTPStatus.OK, body, content_type, (("Content-Disposition", disposition),))

    def _post(self, route: str, query: dict) -> None:
        match = re.fullmatch(r"api/case(?:\.(json|md|html|letter\.md|letter\.html))?", route)
        if match:
            self._post_case(match.group(1))
            return
        if route != "api/jobs":
            raise HTTPError(HTTPStatus.NOT_FOUND, "not_found", "Nothing is served at this address.")
        app = self.app
        length = self._content_length()
        app.store.begin_upload()  # before the body is read: a second upload is refused, not stored
        path = None
        try:
            job = Job(id=secrets.token_hex(8), name=display_name(self.headers.get("X-Ketcover-Filename")))
            password = self.headers.get("X-Ketcover-Password")
            job.password = unquote(password) if password else None
            path = app.temp_dir / f"upload-{job.id}.pdf"  # a name picked here, never the upload's
            if (self.headers.get("Expect") or "").lower() == "100-continue":
                self.send_response_only(HTTPStatus.CONTINUE)
                self.end_headers()
            data = self._read_body(length, path, app.upload_deadline(length))
            app.store.remember(job)
            # analyze_file is looked up here, at each upload, so that a test can replace it on this module.
            threading.Thread(target=app.store.run_job, args=(job, path, data, analyze_file),
                             name="ketcover-analysis", daemon=True).start()
        except BaseException:
            if path is not None:
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
            app.store.busy.release()
            raise
        self.send_json(HTTPStatus.ACCEPTED, job_view(job))

    def _post_case(self, suffix: str | None) -> None:
        """My case: the profile form comes with each request (JSON) and is forgotten with the answer."""
        app = self.app
        if (self.headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
            raise HTTPError(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "bad_type", "The case request must be JSON. Reload the page.")
        length = self._content_length()
        if length > MAX_CASE_BODY:
            raise HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large", "The profile form is too long; shorten its fields.")
        app.store.begin_upload()  # building a case reads the documents again: one analysis at a time
        try:
            raw = self._read_body(length, None, app.upload_deadline(length))
            try:
                payload = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                raise HTTPError(HTTPStatus.BAD_REQUEST, "bad_request", "The request could not be read. Reload the page.") from None
            case, documents = app.store.build_case(payload)
        finally:
            app.store.busy.release()
        if suffix is None:
            self.send_json(HTTPStatus.OK, case_view(case, documents))
            return
        fmt, content_type, filename = CASE_DOWNLOADS[suffix]
        body = render_case(case, fmt).encode("utf-8")
        self.send_body(HTTPStatus.OK, body, content_type, (("Content-Disposition", f'attachment; filename="{filename}"'),))

    def _content_length(self) -> int:
        if self.headers.get("Transfer-Encoding"):
            raise HTTPError(HTTPStatus.LENGTH_REQUIRED, "length_required", "Uploads must state their size (Content-Length).")
        raw = self.headers.get("Content-Length")
        if raw is None:
            raise HTTPError(HTTPStatus.LENGTH_REQUIRED, "length_required", "Uploads must state their size (Content-Length).")
        if not raw.strip().isdigit():
            raise HTTPError(HTTPStatus.BAD_REQUEST, "bad_length", "The upload's size (Content-Length) is not a number.")
        length = int(raw)
        if length > self.app.max_upload_bytes:
            limit = self.app.max_upload_bytes / (1024 * 1024)
            raise HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "too_large",
                            f"The file is larger than the limit of {limit:g} MB.")
        return length

    def _read_body(self, length: int, path: Path | None, deadline: float) -> bytes:
        """Copy exactly `length` bytes to a new private file at `path` (None: memory only) before `deadline`; also return them."""
        buffer = bytearray()
        handle_context = contextlib.nullcontext()
        if path is not None:
            handle_context = os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb")
        with handle_context as handle:
            while len(buffer) < length:
                remaining = deadline - time.monotonic()
                chunk = None
                if remaining > 0:
                    # read1: one receive at most, so the socket timeout bounds this call (read()
                    # would loop over receives, each one given the full timeout again).
                    self.connection.settimeout(remaining)
                    try:
                        chunk = self.rfile.read1(min(BODY_CHUNK, length - len(buffer)))
                    except (TimeoutError, socket.timeout):
                        chunk = None
                if chunk is None:
                    self._body_read = True
                    self.close_connection = True
                    raise HTTPError(HTTPStatus.REQUEST_TIMEOUT, "upload_too_slow",
                                    "The file arrived too slowly and the upload was stopped. Try again.")
                if not chunk:
                    self._body_read = True
                    self.close_connection = True
                    raise HTTPError(HTTPStatus.BAD_REQUEST, "incomplete", "The upload was interrupted. Try again.")
                buffer += chunk
                if handle is not None:
                    handle.write(chunk)
        self._body_read = True
        self.connection.settimeout(SOCKET_TIMEOUT)
        return bytes(buffer)


def create_server(port: int = 0, ruleset=None, **settings) -> KetcoverServer:
    """A server bound to 127.0.0.1 (a free port by default), not yet serving: call start() or serve_forever()."""
    return KetcoverServer(port=port, ruleset=ruleset, **settings)


def _stop_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM ends the server the way Ctrl+C does, through its clean-up


def serve(port: int = 0, open_browser: bool = True, ruleset=None) -> None:
    """Run the web page until Ctrl+C (or SIGTERM); the temporary folder is removed on the way out."""
    try:
        server = create_server(port=port, ruleset=ruleset, quiet=False)
    except OSError as exc:
        print(f"ketcover: cannot listen on {HOST}:{port} ({exc.strerror or exc}).", file=sys.stderr)
        raise SystemExit(int(ExitCode.USAGE)) from None
    print(f"ketcover is running at {server.url}", flush=True)
    print("Open that address in your browser (it holds a secret key; do not share it). "
          "Your files stay on this computer. Press Ctrl+C to stop.", flush=True)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop_on_signal)
    if open_browser:
        # A console browser (lynx, w3m) would block; the page must be served meanwhile.
        threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        print("ketcover: stopped; uploaded files removed.", file=sys.stderr)


__all__ = ["KetcoverServer", "create_server", "serve", "display_name"]
