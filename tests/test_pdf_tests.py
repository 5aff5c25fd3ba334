"""The public PDF test suites (../shared/pdf-tests): every file gets a clear answer, and no text pdftotext reads disappears without a word."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from ketcover.errors import MESSAGES

PDF_TESTS = ROOT.parent / "shared" / "pdf-tests"
needs_pdf_tests = pytest.mark.skipif(
    not PDF_TESTS.is_dir(), reason=f"the public PDF test files are not present at {PDF_TESTS} (outside the project)")
sys.path.insert(0, str(ROOT / "tools"))


@pytest.fixture(scope="module")
def audits():
    from pdf_tests_audit import audit_folder

    # One process reads them all through the isolated reader, as `ketcover analyze` does
    # (221 CLI runs would spend most of their time starting Python and loading spaCy).
    return audit_folder(PDF_TESTS)


@pytest.mark.slow
@needs_pdf_tests
def test_no_traceback_and_every_answer_is_clear(audits):
    assert len(audits) >= 200
    assert [(a.name, a.traceback) for a in audits if a.traceback] == []
    for audit in audits:
        assert audit.status in ("ok", "ok_with_warnings", "error"), audit
        if audit.status == "error":
            assert audit.error in MESSAGES and audit.error != "INTERNAL_ERROR", audit


@pytest.mark.slow
@needs_pdf_tests
def test_no_page_loses_its_text_without_a_warning(audits):
    """A page where pdftotext reads 50 or more letters and digits and ketcover keeps under a
    fifth of them must carry a warning for that page (a scan, hidden or garbled text...)."""
    assert [(a.name, a.silent_pages) for a in audits if a.silent_pages] == []


@pytest.mark.slow
@needs_pdf_tests
def test_no_false_refusal(audits):
    """A file poppler opens and reads text from is not refused (empty-password AES-256, damaged
    files the fallback reader opens)."""
    assert [(a.name, a.error) for a in audits if a.false_refusal] == []


@pytest.mark.slow
@needs_pdf_tests
def test_exit_codes(tmp_path, audits):
    readable = next(a.name for a in audits if a.status == "ok")
    refused = next(a.name for a in audits if a.status == "error")
    run = lambda *names: subprocess.run(  # noqa: E731
        [sys.executable, "-m", "ketcover", "analyze", "--no-cache", "--format", "json", *(str(PDF_TESTS / n) for n in names)],
        capture_output=True, text=True, cwd=tmp_path, check=False)
    assert run(readable).returncode == 0
    both = run(readable, refused)
    assert both.returncode == 3 and "Traceback" not in both.stderr
