"""Fuzz target (atheris): any bytes through the PDF reader end as pages or a ReadError with a stable code."""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout, not installed

with atheris.instrument_imports(include=["ketcover", "pdfplumber", "pdfminer"]):
    from ketcover.errors import MESSAGES, ReadError
    from ketcover.inputs import describe_non_pdf
    from ketcover.pdf import open_pdf, read_pages

# Mutated /Count values ask for thousands of pages; a few are enough to reach every code path.
MAX_PAGES = 20
METHODS = {"text", "ocr", "none"}
# pdfminer is pure Python: a hang there is interrupted, saved and the run goes on (the worker's
# page timeout contains it). A hang in PDFium (C) cannot be interrupted; -timeout catches it.
HANG_SECONDS = 5.0
HANGS = Path(os.environ.get("FUZZ_HANGS", "fuzz/artifacts"))
logging.disable(logging.CRITICAL)  # pdfminer's warnings would flood the fuzzer's output


class Hang(BaseException):
    """Raised by the alarm; a BaseException so that no `except Exception` in the reader hides it."""


def _alarm(signum, frame):
    raise Hang()


signal.signal(signal.SIGALRM, _alarm)


def save_hang(data: bytes, engine: str) -> None:
    HANGS.mkdir(parents=True, exist_ok=True)
    path = HANGS / f"hang-{engine}-{hashlib.sha1(data).hexdigest()}"
    path.write_bytes(data)
    print(f"HANG over {HANG_SECONDS:g} s with {engine}: saved {path}", file=sys.stderr, flush=True)


def check(data: bytes, engine: str) -> None:
    """What extract_isolated's worker does with one file (open, then every page), in process."""
    signal.setitimer(signal.ITIMER_REAL, HANG_SECONDS)
    try:
        opened = open_pdf(data, password=None, engine=engine, max_pages=MAX_PAGES)
        fallback = "READER_FALLBACK" in opened.warnings
        for page in read_pages(data, password=None, engine=engine, use_ocr=False, fallback=fallback):
            assert page.method in METHODS, page.method
            assert set(page.warnings) <= set(MESSAGES), page.warnings
            assert isinstance(page.text, str)
    except ReadError as error:
        # INTERNAL_ERROR is how the worker reports an exception it did not expect: a finding.
        assert error.code in MESSAGES and error.code != "INTERNAL_ERROR", error.code
    except Hang:
        save_hang(data, engine)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


def TestOneInput(data: bytes) -> None:
    # read_input's checks come first, as in the real path.
    if not data or describe_non_pdf(data[:2048]):
        return
    check(data, "pdfium")
    check(data, "pdfplumber")


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
