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
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ketcover.errors import ReadError
from ketcover.limits import Limits
from ketcover.model import Document, PageWarning
from ketcover.pdf import assemble_document, open_pdf, page_warning, read_input, read_pages

ProgressCallback = Callable[[int, int], None]


def _context():
    """Processes start from a fork server that has only the PDF modules loaded.

    Forking the main process would copy spaCy and any lock another thread holds (the
    server and --jobs use threads); a fork server is a clean, small parent, cheap to fork.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["ketcover.pdf"])
    return context


def _vm_size_bytes() -> int:
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        return 0


def _child(connection, data: bytes, password, engine: str, use_ocr: bool, start: int, fallback: bool,
           max_memory_mb: int, max_pages: int) -> None:
    try:
        # The cap counts on top of what the forked interpreter already maps.
        limit = _vm_size_bytes() + max_memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if start == 0:
            opened = open_pdf(data, password=password, engine=engine, max_pages=max_pages)
            connection.send(("opened", opened))
            fallback = "READER_FALLBACK" in opened.warnings
        for page in read_pages(data, password=password, engine=engine, use_ocr=use_ocr, start=start, fallback=fallback):
            connection.send(("page", page))
        connection.send(("done", None))
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


def extract_isolated(
    path: str | Path,
    *,
    password: str | None = None,
    engine: str = "pdfium",
    use_ocr: bool = True,
    limits: Limits = Limits(),
    progress: ProgressCallback | None = None,
) -> Document:
    """Read a PDF in a child process under `limits`; raises ReadError with a stable code."""
    path = Path(path)
    data, sha256 = read_input(path)
    context = _context()
    deadline: float | None = None
    page_count: int | None = None
    fallback = False
    file_warnings: list[str] = []
    pages: dict[int, object] = {}
    failed_pages: dict[int, str] = {}  # page index -> why it was lost (TIMEOUT, RESOURCE_LIMIT, DAMAGED_PDF)
    next_page = 0
    while True:
        receiver, sender = context.Pipe(duplex=False)
        child = context.Process(
            target=_child,
            args=(sender, data, password, engine, use_ocr, next_page, fallback, limits.max_memory_mb, limits.max_pages),
            daemon=True,
        )
        child.start()
        sender.close()
        if deadline is None:  # from here: the first start may wait for the fork server to boot
            deadline = time.monotonic() + limits.timeout
        finished = False
        cause = "DAMAGED_PDF"
        try:
            while True:
                wait = min(limits.page_timeout, deadline - time.monotonic())
                if wait <= 0 or not receiver.poll(wait):
                    cause = "TIMEOUT"  # this page (or the file) ran out of time
                    break
                try:
                    kind, payload = receiver.recv()
                except (EOFError, OSError):
                    cause = "DIED"  # killed by the memory cap or a crash in C: the exit code tells
                    break
                if kind == "opened":
                    page_count = payload.page_count
                    file_warnings = list(payload.warnings)
                    fallback = "READER_FALLBACK" in file_warnings
                elif kind == "page":
                    pages[payload.index] = payload
                    next_page = payload.index + 1
                    if progress and page_count:
                        progress(len(pages) + len(failed_pages), page_count)
                elif kind == "error":
                    code, detail = payload
                    if code == "RESOURCE_LIMIT":
                        if page_count is None:
                            raise ReadError("RESOURCE_LIMIT", limit_mb=limits.max_memory_mb)
                        cause = "RESOURCE_LIMIT"  # one page hit the cap: lose it, go on
                        break
                    if code == "INTERNAL_ERROR":
                        raise ReadError("INTERNAL_ERROR", reason=detail)
                    raise ReadError.restore(code, detail)
                elif kind == "done":
                    finished = True
                    break
        finally:
            receiver.close()
            if child.is_alive():
                child.kill()
            child.join()
        if finished:
            break
        if cause == "DIED":
            # Killed by a signal: the memory cap (PDFium 5.15 aborts when an allocation fails;
            # SIGKILL/SIGSEGV on mmap failure). A positive exit code is a crash of its own.
            cause = "RESOURCE_LIMIT" if child.exitcode is not None and child.exitcode < 0 else "DAMAGED_PDF"
        if time.monotonic() >= deadline:
            raise ReadError("TIMEOUT", seconds=int(limits.timeout))
        if page_count is None:
            # Not even the page count came back: the file itself is the problem.
            raise _file_error(cause, limits)
        # The page being read when the child hung or died is lost; go on with the next one.
        failed_pages[next_page] = cause
        next_page += 1
        if next_page >= page_count:
            break
    if page_count and all("PAGE_FAILED" in page.warnings for page in pages.values()):
        # No page could be read at all: say why, rather than report an empty document.
        raise _file_error(next(iter(failed_pages.values()), "DAMAGED_PDF"), limits)

    texts, methods, warnings = [], [], [page_warning(code, None) for code in file_warnings if code != "READER_FALLBACK"]
    for index in range(page_count or 0):
        page = pages.get(index)
        if page is None:
            texts.append("")
            methods.append("none")
            warnings.append(page_warning("PAGE_FAILED", index + 1))
            continue
        texts.append(page.text)
        methods.append(page.method)
        warnings += [page_warning(code, index + 1, use_ocr=use_ocr) for code in page.warnings]
    return assemble_document(str(path), sha256, texts, methods, warnings)


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


def run_isolated(function, *args, timeout: float = 60.0, max_memory_mb: int = 2048):
    """Call a module-level `function(*args)` in a worker process under time and memory limits.

    For any other work on a PDF (rendering a page, finding word boxes): the result must be
    picklable. Raises ReadError (TIMEOUT, RESOURCE_LIMIT, or the function's own ReadError).
    """
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_call_child, args=(sender, function, args, max_memory_mb), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise ReadError("TIMEOUT", seconds=int(timeout))
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError):
            raise ReadError("RESOURCE_LIMIT", limit_mb=max_memory_mb) from None
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
        child.join()
    if kind == "ok":
        return payload
    code, detail = payload
    if code == "RESOURCE_LIMIT":
        raise ReadError("RESOURCE_LIMIT", limit_mb=max_memory_mb)
    if code == "INTERNAL_ERROR":
        raise ReadError("INTERNAL_ERROR", reason=detail)
    raise ReadError.restore(code, detail)
