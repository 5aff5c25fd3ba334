"""The worker process that reads PDFs: time and memory limits, so a hostile file harms nothing.

The parent never parses a PDF. A child process opens the file and streams pages back one by
one; a page that hangs costs only that page (the child is killed and a new one goes on from
the next page), and a child that runs out of its memory cap or time ends the file with a
clear error.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
import time
import traceback
from pathlib import Path
from typing import Callable

from ketcover.errors import ReadError
from ketcover.limits import Limits
from ketcover.model import Document
from ketcover.shutdown import die_with_parent, install_signal_cleanup, stopping
from ketcover.inputs import read_input
from ketcover.structure import document_from_pages

ProgressCallback = Callable[[int, int], None]
# From this many pages, the document is assembled in a worker (see extract_isolated); below it a
# process start costs more than the work.
ASSEMBLE_APART_MIN_PAGES = 100
# From this many pages a second reader takes the second half. Below it the reader finishes before the
# parent has loaded spaCy and the rules (about 0.75 s of CPU on the other core) and a second reader
# would only compete with that; above it, reading was the longer of the two (the 399-page guide's
# pages arrived 0.1-0.3 s after the rules were ready, measured 2026-12-07).
PARALLEL_MIN_PAGES = 250


def _context():
    """Processes start from a fork server that has only the PDF modules (and this one) loaded.

    Forking the main process would copy spaCy and any lock another thread holds (the
    server and --jobs use threads); a fork server is a clean, small parent, cheap to fork.
    """
    context = multiprocessing.get_context("forkserver")
    # ketcover.isolation too: every worker's target lives here, and a module the server has not
    # imported is imported again by each worker it forks (four per long document).
    context.set_forkserver_preload(["ketcover.pdf", "ketcover.isolation"])
    install_signal_cleanup()  # effective when the first read starts on the main thread
    return context


def start_fork_server() -> None:
    """Start the fork server now: it boots and imports the PDF modules in the background while
    the caller does other work (parsing the rules), so the first read does not wait for it."""
    _context()
    from multiprocessing import forkserver

    forkserver.ensure_running()


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _child(connection, data: bytes, password, engine: str, use_ocr: bool, start: int, end: int | None,
           fallback: bool, max_memory_mb: int, max_pages: int, readers: int) -> None:
    try:
        die_with_parent()
        # Only the worker loads the PDF libraries (the fork server has them preloaded).
        from ketcover.pdf import open_pdf, read_pages

        # The cap counts on top of what the forked interpreter already maps.
        limit = _vm_size_bytes() + max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if start == 0 and end is None:
            opened = open_pdf(data, password=password, engine=engine, max_pages=max_pages)
            if readers > 1 and opened.page_count >= PARALLEL_MIN_PAGES:
                end = -(-opened.page_count // readers)  # this reader's share: the first part
            connection.send(("opened", (opened, end)))
            fallback = "READER_FALLBACK" in opened.warnings
        for page in read_pages(data, password=password, engine=engine, use_ocr=use_ocr, start=start, fallback=fallback):
            if end is not None and page.index >= end:
                break
            connection.send(("page", page))
        connection.send(("done", None))
    except (BrokenPipeError, ConnectionResetError):
        pass  # the parent stopped listening (it gave up on this file, or was ended): nothing to say
    except ReadError as error:
        connection.send(("error", (error.code, error.text)))
    except MemoryError:
        connection.send(("error", ("RESOURCE_LIMIT", None)))
    except BaseException as exc:  # the parent turns this into INTERNAL_ERROR, without document text
        connection.send(("error", ("INTERNAL_ERROR", type(exc).__name__)))
        if os.environ.get("KETCOVER_DEBUG"):
            traceback.print_exc()
    finally:
        connection.close()


class _Reading:
    """What the readers of one file have found so far (shared by their threads)."""

    def __init__(self, path: Path, data: bytes, password, engine: str, use_ocr: bool, limits: Limits,
                 progress: ProgressCallback | None):
        self.path, self.data, self.password, self.engine, self.use_ocr = path, data, password, engine, use_ocr
        self.limits, self.progress = limits, progress
        self.context = _context()
        self.deadline: float | None = None
        self.page_count: int | None = None
        self.fallback = False
        self.file_warnings: list[str] = []
        self.pages: dict[int, object] = {}
        self.failed_pages: dict[int, str] = {}  # page index -> why it was lost (TIMEOUT, RESOURCE_LIMIT, DAMAGED_PDF)
        self.helpers: list[threading.Thread] = []
        self.helper_errors: list[ReadError] = []

    def read_range(self, start: int, end: int | None, readers: int) -> None:
        """Read pages [start, end) in child processes; a page that hangs or kills its child is
        lost and a new child goes on from the next one. end None: the first reader, which
        opens the file and may hand the second half to another reader."""
        next_page = start
        limits = self.limits
        while True:
            if stopping():  # the run is ending: start no reader
                raise ReadError("INTERRUPTED")
            receiver, sender = self.context.Pipe(duplex=False)
            child = self.context.Process(
                target=_child,
                args=(sender, self.data, self.password, self.engine, self.use_ocr, next_page, end, self.fallback,
                      limits.max_memory_mb, limits.max_pages, readers),
                daemon=True,
            )
            child.start()
            sender.close()
            _unless_stopping(child, receiver)
            if self.deadline is None:  # from here: the first start may wait for the fork server to boot
                self.deadline = time.monotonic() + limits.timeout
            finished = False
            received = False
            cause = "DAMAGED_PDF"
            try:
                while True:
                    wait = min(limits.page_timeout, self.deadline - time.monotonic())
                    if wait <= 0 or not receiver.poll(wait):
                        cause = "TIMEOUT"  # this page (or the file) ran out of time
                        break
                    try:
                        kind, payload = receiver.recv()
                    except (EOFError, OSError):
                        cause = "DIED"  # killed by the memory cap or a crash in C: the exit code tells
                        break
                    received = True
                    if kind == "opened":
                        opened, end = payload
                        self.page_count = opened.page_count
                        self.file_warnings = list(opened.warnings)
                        self.fallback = "READER_FALLBACK" in self.file_warnings
                        if end is not None and end < self.page_count:
                            self._start_helper(end, self.page_count)
                    elif kind == "page":
                        self.pages[payload.index] = payload
                        next_page = payload.index + 1
                        if self.progress and self.page_count:
                            self.progress(len(self.pages) + len(self.failed_pages), self.page_count)
                    elif kind == "error":
                        code, detail = payload
                        if code == "RESOURCE_LIMIT":
                            if self.page_count is None:
                                raise ReadError("RESOURCE_LIMIT", limit_mb=limits.max_memory_mb)
                            cause = "RESOURCE_LIMIT"  # one page hit the cap: lose it, go on
                            break
                        raise _child_error(code, detail)
                    elif kind == "done":
                        finished = True
                        break
            finally:
                _stop(child, receiver)
            if finished:
                return
            if stopping():
                # The run is ending and its readers were killed on purpose: not the page's fault,
                # nor the memory cap's (a child killed by a signal would read as RESOURCE_LIMIT).
                raise ReadError("INTERRUPTED")
            if cause == "DIED":
                # Killed by a signal: the memory cap (PDFium 5.15 aborts when an allocation fails;
                # SIGKILL/SIGSEGV on mmap failure). A positive exit code is a crash of its own.
                cause = "RESOURCE_LIMIT" if child.exitcode is not None and child.exitcode < 0 else "DAMAGED_PDF"
            if time.monotonic() >= self.deadline:
                raise ReadError("TIMEOUT", seconds=int(limits.timeout))
            if self.page_count is None:
                if cause == "DAMAGED_PDF" and not received and child.exitcode:
                    # The worker exited before saying anything: it could not start, most often
                    # because the calling script re-runs itself in the worker (no main guard).
                    raise ReadError("INTERNAL_ERROR", reason="the PDF reader process could not start; "
                                    "guard your script with if __name__ == '__main__'")
                # Not even the page count came back: the file itself is the problem.
                raise _file_error(cause, limits)
            # The page being read when the child hung or died is lost; go on with the next one.
            self.failed_pages[next_page] = cause
            next_page += 1
            if end is None:
                end = self.page_count
            if next_page >= end:
                return

    def _start_helper(self, start: int, end: int) -> None:
        def run() -> None:
            try:
                self.read_range(start, end, 1)
            except ReadError as error:
                self.helper_errors.append(error)

        helper = threading.Thread(target=run, daemon=True)
        helper.start()
        self.helpers.append(helper)


def extract_isolated(
    path: str | Path,
    *,
    password: str | None = None,
    engine: str = "pdfium",
    use_ocr: bool = True,
    limits: Limits = Limits(),
    progress: ProgressCallback | None = None,
    readers: int = 2,
) -> Document:
    """Read a PDF in child processes under `limits`; raises ReadError with a stable code.

    A long file is read by `readers` children at once, each a share of the pages (PDFium's
    text pass is most of the cost, and it is per page).
    """
    path = Path(path)
    data, sha256 = read_input(path)
    reading = _Reading(path, data, password, engine, use_ocr, limits, progress)
    try:
        reading.read_range(0, None, readers)
    finally:
        for helper in reading.helpers:  # no reader outlives the call (each stops at the deadline)
            helper.join()
    if reading.helper_errors:
        raise reading.helper_errors[0]
    page_count, pages, failed_pages = reading.page_count, reading.pages, reading.failed_pages
    file_warnings = reading.file_warnings
    if page_count and all("PAGE_FAILED" in page.warnings for page in pages.values()):
        # No page could be read at all: say why, rather than report an empty document.
        raise _file_error(next(iter(failed_pages.values()), "DAMAGED_PDF"), limits)

    arguments = (str(path), sha256, page_count or 0, pages, file_warnings, use_ocr)
    if (page_count or 0) >= ASSEMBLE_APART_MIN_PAGES:
        # Joining a long document and finding its headings is pure text work: a worker does it on
        # the core the reader has left, while this process is still loading spaCy.
        try:
            return start_isolated(_assemble, *arguments, timeout=limits.timeout,
                                  max_memory_mb=limits.max_memory_mb).result()
        except (ReadError, OSError):
            pass  # the worker failed or could not start (memory, a signal): the same work here, nothing is lost
    return _assemble(*arguments)


def _assemble(path: str, sha256: str, page_count: int, pages: dict, file_warnings, use_ocr: bool) -> Document:
    return document_from_pages(path, sha256, page_count, pages, file_warnings, use_ocr=use_ocr)


def _unless_stopping(child, receiver) -> None:
    """Stop a child just started if the run is ending (raises ReadError INTERRUPTED).

    A signal that arrives while a child is being started (the fork server still booting on a busy
    machine) finds no child to kill; this child would then read on, and the run wait for it."""
    if stopping():
        _stop(child, receiver)
        raise ReadError("INTERRUPTED")


def _stop(child, receiver) -> None:
    """Close the pipe and make sure the child is gone (killed if it still runs) and reaped."""
    receiver.close()
    if child.is_alive():
        child.kill()
    child.join()


def _child_error(code: str, detail) -> ReadError:
    """The ReadError a child reported (an internal error keeps only the exception's type name)."""
    if code == "INTERNAL_ERROR":
        return ReadError("INTERNAL_ERROR", reason=detail)
    return ReadError.restore(code, detail)


def _file_error(cause: str, limits: Limits) -> ReadError:
    if cause == "TIMEOUT":
        return ReadError("TIMEOUT", seconds=int(limits.page_timeout))
    if cause == "RESOURCE_LIMIT":
        return ReadError("RESOURCE_LIMIT", limit_mb=limits.max_memory_mb)
    return ReadError("DAMAGED_PDF")


def _call_child(connection, function, args, max_memory_mb: int) -> None:
    try:
        limit = _vm_size_bytes() + max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        connection.send(("ok", function(*args)))
    except ReadError as error:
        connection.send(("error", (error.code, error.text)))
    except MemoryError:
        connection.send(("error", ("RESOURCE_LIMIT", None)))
    except BaseException as exc:
        connection.send(("error", ("INTERNAL_ERROR", type(exc).__name__)))
    finally:
        connection.close()


class IsolatedCall:
    """A call running in a worker process; `result()` waits for it (see start_isolated)."""

    def __init__(self, function, args: tuple, timeout: float, max_memory_mb: int):
        self.timeout, self.max_memory_mb = timeout, max_memory_mb
        context = _context()
        self.receiver, sender = context.Pipe(duplex=False)
        self.child = context.Process(target=_call_child, args=(sender, function, args, max_memory_mb), daemon=True)
        self.child.start()
        sender.close()
        _unless_stopping(self.child, self.receiver)
        self.started = time.monotonic()

    def result(self):
        """The function's return value; raises ReadError (TIMEOUT, RESOURCE_LIMIT, or its own)."""
        try:
            if not self.receiver.poll(max(0.0, self.started + self.timeout - time.monotonic())):
                raise ReadError("TIMEOUT", seconds=int(self.timeout))
            try:
                kind, payload = self.receiver.recv()
            except (EOFError, OSError):
                raise ReadError("RESOURCE_LIMIT", limit_mb=self.max_memory_mb) from None
        finally:
            _stop(self.child, self.receiver)
        if kind == "ok":
            return payload
        code, detail = payload
        if code == "RESOURCE_LIMIT":
            raise ReadError("RESOURCE_LIMIT", limit_mb=self.max_memory_mb)
        raise _child_error(code, detail)


def start_isolated(function, *args, timeout: float = 60.0, max_memory_mb: int = 2048) -> IsolatedCall:
    """Start a module-level `function(*args)` in a worker process and return at once: the
    caller goes on working on its own core meanwhile. Arguments and result must be picklable."""
    return IsolatedCall(function, args, timeout, max_memory_mb)


def run_isolated(function, *args, timeout: float = 60.0, max_memory_mb: int = 2048):
    """Call a module-level `function(*args)` in a worker process under time and memory limits.

    For any other work on a PDF (rendering a page, finding word boxes): the result must be
    picklable. Raises ReadError (TIMEOUT, RESOURCE_LIMIT, or the function's own ReadError).
    """
    return start_isolated(function, *args, timeout=timeout, max_memory_mb=max_memory_mb).result()
