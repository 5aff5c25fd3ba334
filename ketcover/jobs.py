"""The web page's uploads: each one's analysis state, its report and its bytes, and the work done on them.

One analysis at a time (`busy`); at most MAX_KEPT_DOCUMENTS documents are kept, in memory only,
so that a cited page can be drawn by an isolated worker; the temporary folder holds an upload only
while it is analyzed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import threading
import traceback
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from pathlib import Path

from ketcover.analyze import error_report
from ketcover.caseweb import MAX_CASE_DOCUMENTS, CaseDocument, ProfileError, profile_from_page, read_case_sources, unique_names
from ketcover.errors import ReadError
from ketcover.isolation import run_isolated
from ketcover.model import DocumentReport
from ketcover.normalize import one_line
from ketcover.views import web_report

MAX_KEPT_DOCUMENTS = 16  # analyzed PDFs kept in memory for the page view; the oldest goes first
MAX_KEPT_BYTES = 400 * 1024 * 1024
PAGE_DPI = 150  # sharp enough to read a clause when the page view is zoomed
PAGE_TIMEOUT = 60.0
PAGE_MEMORY_MB = 1024
JOB_ID = re.compile(r"^[0-9a-f]{16}$")


def _render_page(data: bytes, page: int, password: str | None) -> bytes:
    """In the worker: the page as a PNG (ketcover.pdf is imported there, never in the server process)."""
    from ketcover.pdf import render_page_png

    return render_page_png(data, page, dpi=PAGE_DPI, password=password)


def _quote_boxes(data: bytes, page: int, quote: str, password: str | None) -> list:
    """In the worker: where `quote` is on the page (see _render_page)."""
    from ketcover.pdf import quote_boxes

    return quote_boxes(data, page, quote, password)


# The store answers the page's requests, so what it refuses carries the HTTP status server.py sends.
class HTTPError(Exception):
    """A request refused with a status and a plain message."""

    def __init__(self, status: HTTPStatus, code: str, message: str, headers: tuple = ()):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


@dataclass
class Job:
    """One uploaded file: its analysis state and, once read, its report and its bytes."""

    id: str
    name: str
    state: str = "reading"  # reading | matching | done
    pages_done: int = 0
    pages_total: int = 0
    report: DocumentReport | None = None
    data: bytes | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    rendered: dict = field(default_factory=dict, repr=False)  # page -> PNG bytes


class JobStore:
    """The server's uploads, in memory, with the lock that lets one analysis run at a time."""

    def __init__(self, compiled, options):
        self.compiled = compiled
        self.options = options
        self.temp_dir = Path(tempfile.mkdtemp(prefix="ketcover-serve-"))  # mode 0700
        self.busy = threading.Lock()  # held for the whole of one analysis
        self.renderers = threading.BoundedSemaphore(2)
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.jobs_lock = threading.Lock()
        self.case_texts: dict = {}  # job id -> its Document, read again for "My case" (memory only)

    def close(self) -> None:
        """Forget every document and remove the temporary folder."""
        with self.jobs_lock:
            self.jobs.clear()
            self.case_texts.clear()
        shutil.rmtree(self.temp_dir, ignore_errors=True)

    def job(self, job_id: str) -> Job:
        with self.jobs_lock:
            job = self.jobs.get(job_id) if JOB_ID.match(job_id) else None
        if job is None:
            raise HTTPError(HTTPStatus.NOT_FOUND, "unknown_document",
                            "This document is no longer here (the server was restarted or it was replaced). Drop it again.")
        return job

    def remember(self, job: Job) -> None:
        with self.jobs_lock:
            self.jobs[job.id] = job
            while len(self.jobs) > MAX_KEPT_DOCUMENTS or sum(len(j.data or b"") for j in self.jobs.values()) > MAX_KEPT_BYTES:
                oldest = next(iter(self.jobs))
                if oldest == job.id:
                    break
                del self.jobs[oldest]
                self.case_texts.pop(oldest, None)

    def begin_upload(self) -> None:
        if not self.busy.acquire(blocking=False):
            raise HTTPError(
                HTTPStatus.SERVICE_UNAVAILABLE, "busy",
                "Another document is being analyzed. Wait until it is finished, then try again.",
                (("Retry-After", "5"),),
            )

    def run_job(self, job: Job, path: Path, data: bytes, analyze_file) -> None:
        """Analyze one saved upload with `analyze_file` (in its own thread); the file is deleted when this ends."""

        def progress(done: int, total: int) -> None:
            job.pages_done, job.pages_total = done, total
            if done >= total:
                job.state = "matching"

        try:
            try:
                options = replace(self.options, password=job.password)
                report = analyze_file(path, self.compiled, options, progress)
            except Exception as exc:  # a bug costs this file, never the server (and never shows its text)
                if os.environ.get("KETCOVER_DEBUG"):
                    traceback.print_exc()
                report = error_report(job.name, ReadError("INTERNAL_ERROR", reason=type(exc).__name__))
            job.report = web_report(report, job.name)
            if report.status != "error":
                job.data = data  # kept for the page view only
            else:
                job.password = None
            job.state = "done"
        finally:
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            self.busy.release()

    # ---------------------------------------------------------------- pages

    def page_png(self, job: Job, page: int) -> bytes:
        report = self._readable(job)
        if not 1 <= page <= report.pages:
            raise HTTPError(HTTPStatus.NOT_FOUND, "no_such_page", f"This document has no page {page}.")
        cached = job.rendered.get(page)
        if cached is None:
            cached = self._isolated(_render_page, job.data, page, job.password)
            if len(job.rendered) < 12:
                job.rendered[page] = cached
        return cached

    def citation_boxes(self, job: Job, kind: str, number: int) -> dict:
        report = self._readable(job)
        items = report.findings if kind == "findings" else report.costs
        if not 0 <= number < len(items):
            raise HTTPError(HTTPStatus.NOT_FOUND, "no_such_citation", "This citation is not in the report.")
        item = items[number]
        boxes = self._isolated(_quote_boxes, job.data, item.page, item.quote, job.password)
        return {"page": item.page, "quote": one_line(item.quote), "boxes": [list(box) for box in boxes]}

    def _readable(self, job: Job) -> DocumentReport:
        if job.report is None or job.data is None:
            raise HTTPError(HTTPStatus.CONFLICT, "not_ready", "This document has not been read yet.")
        return job.report

    def _isolated(self, function, *args):
        if not self.renderers.acquire(timeout=PAGE_TIMEOUT):
            raise HTTPError(HTTPStatus.SERVICE_UNAVAILABLE, "busy", "Too many pages are being drawn; try again.")
        try:
            return run_isolated(function, *args, timeout=PAGE_TIMEOUT, max_memory_mb=PAGE_MEMORY_MB)
        except ReadError as error:
            raise HTTPError(HTTPStatus.INTERNAL_SERVER_ERROR, error.code, error.text) from None
        finally:
            self.renderers.release()

    # ---------------------------------------------------------------- my case

    def build_case(self, payload) -> tuple[dict, list[CaseDocument]]:
        """The case of the page's documents and profile form (the profile is used for this answer, never kept)."""
        from ketcover.case import case_from_sources

        if not isinstance(payload, dict):
            raise HTTPError(HTTPStatus.BAD_REQUEST, "bad_request", "The request could not be read. Reload the page.")
        ids = payload.get("jobs")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise HTTPError(HTTPStatus.BAD_REQUEST, "too_few", "Drop at least one document for your case.")
        if len(ids) > MAX_CASE_DOCUMENTS:
            raise HTTPError(HTTPStatus.BAD_REQUEST, "too_many",
                            f"A case reads at most {MAX_CASE_DOCUMENTS} documents; drop only the ones about this treatment.")
        jobs = [self.job(job_id) for job_id in dict.fromkeys(ids)]
        if any(job.report is None for job in jobs):
            raise HTTPError(HTTPStatus.CONFLICT, "not_ready", "A document is still being read.")
        try:
            profile = profile_from_page(payload.get("profile"))
        except ProfileError as error:
            raise HTTPError(HTTPStatus.BAD_REQUEST, "bad_profile", str(error)) from None
        names = unique_names([job.name for job in jobs])
        documents = [CaseDocument(job.id, name, job.report, job.data, job.password) for job, name in zip(jobs, names)]
        sources = read_case_sources(documents, self.temp_dir, self.options, self.case_texts)
        return case_from_sources(sources, profile), documents

    def case_quote_boxes(self, job: Job, page: int, quote: str) -> dict:
        """Where a case's quote is on its page; only a quote that is on that page's text is looked up."""
        self._readable(job)
        document = self.case_texts.get(job.id)
        if document is None:
            raise HTTPError(HTTPStatus.CONFLICT, "not_ready", "Build the case first.")
        if not 1 <= page <= document.page_count or not quote or quote not in document.page_text(page):
            raise HTTPError(HTTPStatus.NOT_FOUND, "no_such_citation", "This quote is not on that page.")
        boxes = self._isolated(_quote_boxes, job.data, page, quote, job.password)
        return {"page": page, "quote": one_line(quote), "boxes": [list(box) for box in boxes]}

    # ---------------------------------------------------------------- comparison

    def comparison_jobs(self, query: dict) -> list[Job]:
        ids = [i for i in ",".join(query.get("jobs", [])).split(",") if i]
        if len(ids) < 2:
            raise HTTPError(HTTPStatus.BAD_REQUEST, "too_few", "Choose at least two documents to compare.")
        jobs = [self.job(job_id) for job_id in ids]
        if any(job.report is None for job in jobs):
            raise HTTPError(HTTPStatus.CONFLICT, "not_ready", "A document is still being read.")
        return jobs
