"""Audit ketcover's reader against pdftotext on a folder of PDFs: silent losses, tracebacks, refusals, memory.

Usage: python tools/pdf_tests_audit.py [FOLDER] [--no-ocr] [--json OUT]
(FOLDER defaults to ../shared/pdf-tests). One process reads every file through the isolated
reader (as `ketcover analyze` does) and compares each page with what `pdftotext` reads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

MIN_ALNUM = 50  # a page with fewer letters and digits than this in pdftotext is not judged
KEPT_SHARE = 0.2  # keeping less than a fifth of them without a word is a silent loss
# Errors that mean the reader refused the file.
REFUSALS = {"DAMAGED_PDF", "NO_PAGES", "NOT_A_PDF", "PASSWORD_REQUIRED", "PASSWORD_INCORRECT",
            "UNSUPPORTED_ENCRYPTION", "EMPTY_FILE", "TIMEOUT", "RESOURCE_LIMIT"}


def alnum(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def pdftotext_pages(path: Path, timeout: float = 60.0) -> list[str] | None:
    """pdftotext's text per page (form-feed separated), or None when poppler cannot read the file."""
    try:
        result = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, timeout=timeout, check=False)
    except (subprocess.TimeoutExpired, OSError):
        return None
    if result.returncode != 0:
        return None
    pages = result.stdout.decode("utf-8", "replace").split("\f")
    if pages and not pages[-1].strip():
        pages.pop()
    return pages


def _tree_rss_mb(root: int) -> float:
    """Resident memory of every process below `root` (the reader processes), in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(pid)
        rss[pid] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    total, pending = 0, list(children.get(root, []))
    while pending:
        pid = pending.pop()
        total += rss.get(pid, 0)
        pending.extend(children.get(pid, []))
    return total / 2**20


class PeakSampler:
    """Samples the memory of this process's descendants every 50 ms while a file is read."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            self.peak = max(self.peak, _tree_rss_mb(os.getpid()))

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class FileAudit:
    name: str
    status: str = ""
    error: str | None = None
    traceback: str | None = None
    silent_pages: list[int] = field(default_factory=list)  # pages lost without a warning for that page
    silent_document: bool = False  # status ok, yet under a fifth of pdftotext's letters and digits kept
    false_refusal: bool = False
    ocr_pages: int = 0
    seconds: float = 0.0
    peak_mb: float = 0.0


def audit_file(path: Path, compiled, options, *, sample_memory: bool = False) -> FileAudit:
    """Read one file as `ketcover analyze` does and hold its pages against pdftotext's."""
    from ketcover.analyze import _read, report_for_document
    from ketcover.errors import ReadError

    found = FileAudit(path.name)
    started = time.monotonic()
    sampler = PeakSampler() if sample_memory else None
    try:
        if sampler:
            sampler.__enter__()
        try:
            document = _read(path, options, None)
        finally:
            if sampler:
                sampler.__exit__()
                found.peak_mb = round(sampler.peak, 1)
        if isinstance(document, ReadError):
            found.status, found.error = "error", document.code
            if document.code == "INTERNAL_ERROR":
                found.traceback = document.text
        else:
            report = report_for_document(document, compiled, str(path))
            found.status = report.status
            found.ocr_pages = sum(m == "ocr" for m in document.page_methods)
    except Exception as exc:  # what the audit exists to catch
        found.status, found.traceback = "traceback", f"{type(exc).__name__}: {exc}"
        return found
    finally:
        found.seconds = round(time.monotonic() - started, 2)
    reference = pdftotext_pages(path)
    if reference is None:
        return found
    if found.status == "error":
        # poppler opened it and read text: a refusal is false (a wrong password makes pdftotext fail)
        found.false_refusal = found.error in REFUSALS and any(alnum(p) for p in reference)
        return found
    want_total = sum(map(alnum, reference))
    found.silent_document = (found.status == "ok" and want_total > 0
                             and alnum(document.text) < KEPT_SHARE * want_total)
    warned = {w.page for w in report.warnings if w.page is not None}
    for number, expected in enumerate(reference[:document.page_count], 1):
        want = alnum(expected)
        if want >= MIN_ALNUM and alnum(document.page_text(number)) < KEPT_SHARE * want and number not in warned:
            found.silent_pages.append(number)
    return found


def audit_folder(folder: Path, *, use_ocr: bool = True, sample_memory: bool = False, progress=None) -> list[FileAudit]:
    from ketcover.analyze import Options, compile_rules

    compiled = compile_rules()
    options = Options(use_ocr=use_ocr)
    results = []
    for path in sorted(p for p in folder.iterdir() if p.suffix.lower() == ".pdf"):
        results.append(audit_file(path, compiled, options, sample_memory=sample_memory))
        if progress:
            progress(results[-1])
    return results


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[1]
    out = argv[argv.index("--json") + 1] if "--json" in argv else None
    args = [a for a in argv if not a.startswith("--") and a != out]
    folder = Path(args[0]) if args else root.parent / "shared" / "pdf-tests"
    use_ocr = "--no-ocr" not in argv

    def show(item: FileAudit) -> None:
        flags = []
        if item.silent_pages:
            flags.append(f"SILENT pages {item.silent_pages[:10]}")
        if item.silent_document:
            flags.append("SILENT-DOC")
        if item.traceback:
            flags.append(f"TRACEBACK {item.traceback}")
        if item.false_refusal:
            flags.append(f"FALSE REFUSAL {item.error}")
        print(f"{item.name[:70]:70} {item.status:17} {item.seconds:6.1f}s {item.peak_mb:6.0f}MB "
              f"ocr={item.ocr_pages} {' '.join(flags)}", flush=True)

    started = time.monotonic()
    results = audit_folder(folder, use_ocr=use_ocr, sample_memory=True, progress=show)
    worst = max(results, key=lambda r: r.peak_mb)
    worst_ocr = max((r for r in results if r.ocr_pages), key=lambda r: r.peak_mb, default=None)
    print(f"\nfiles {len(results)} in {time.monotonic() - started:.0f} s")
    print(f"silent losses (files): {sum(bool(r.silent_pages) for r in results)}; pages: {sum(len(r.silent_pages) for r in results)}")
    print(f"files with status ok keeping under a fifth of pdftotext's text: {sum(r.silent_document for r in results)}")
    print(f"tracebacks / internal errors: {sum(bool(r.traceback) for r in results)}")
    print(f"false refusals: {sum(r.false_refusal for r in results)}")
    print(f"errors: {sum(r.status == 'error' for r in results)}")
    print(f"peak reader-tree memory: {worst.peak_mb:.0f} MB ({worst.name})")
    if worst_ocr:
        print(f"peak reader-tree memory of an OCR file: {worst_ocr.peak_mb:.0f} MB ({worst_ocr.name})")
    if out:
        Path(out).write_text(json.dumps([r.__dict__ for r in results], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
