"""Hostile, broken and scanned PDFs: every file gets a clear answer, nothing hangs, nothing leaks."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

import pdf_builders as build
from conftest import ROOT
from ketcover.analyze import Options, analyze_file
from ketcover.errors import MESSAGES
from ketcover.isolation import Limits, extract_isolated, run_isolated
from ketcover.pdf import extract_document, open_pdf
from ketcover.render.report_html import render_html
from ketcover.render.report_markdown import render_markdown
from ketcover.render.report_text import render_text

HAS_TESSERACT = shutil.which("tesseract") is not None
needs_tesseract = pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract is not installed")
ENGINES = ("pdfium", "pdfplumber")
# Generous for real work, small enough that a hostile file cannot take the machine down.
LIMITS = Limits(timeout=60, page_timeout=30, max_memory_mb=1024)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_plain(text: str) -> None:
    """A user-facing sentence: no document text, no traceback, no raw library message."""
    assert build.MARKER not in text
    for leak in ("Traceback", 'File "', "Error:", "Exception", "pdfminer", "PdfiumError", "cid:"):
        assert leak not in text, text
    assert text.rstrip().endswith((".", ")")), text


def analyze_bytes(tmp_path: Path, name: str, data: bytes, rules, **options):
    """analyze_file on `data` saved as `name`; checks what must hold for every file."""
    path = tmp_path / name
    path.write_bytes(data)
    before = sha256(path)
    options.setdefault("limits", LIMITS)
    report = analyze_file(path, rules, Options(**options))
    assert sha256(path) == before, "the input was modified"
    assert report.status in ("ok", "ok_with_warnings", "error")
    if report.error:
        assert report.error.code in MESSAGES
        assert_plain(report.error.message)
    for warning in report.warnings:
        assert warning.code in MESSAGES
        assert_plain(warning.message)
    assert (report.status == "ok_with_warnings") == bool(report.warnings and not report.error)
    return report


def codes(report) -> list[tuple[str, int | None]]:
    return [(w.code, w.page) for w in report.warnings]


def quotes(report) -> str:
    return " ".join(f.quote for f in report.findings)


# --- files that are read ------------------------------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_minimal_valid_pdf_is_read_with_cited_findings(tmp_path, compiled_rules, engine):
    report = analyze_bytes(tmp_path, "plan.pdf", build.text_pdf(), compiled_rules, engine=engine)
    assert report.status == "ok" and report.pages == 1
    assert {f.rule for f in report.findings} >= {"prior_authorization.required", "experimental_exclusion.excluded"}
    assert all(f.page == 1 and f.method in ("phrase", "pattern", "fuzzy", "section") for f in report.findings)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", ["mediabox_three_numbers", "missing_mediabox", "shifted_xref", "junk_prefix"])
def test_damaged_structure_that_a_reader_recovers_is_read(tmp_path, compiled_rules, case, engine):
    """pdfplumber raised a raw IndexError/TypeError on these MediaBoxes; PDFium reads them."""
    data = getattr(build, f"{case}_pdf")()
    report = analyze_bytes(tmp_path, f"{case}.pdf", data, compiled_rules, engine=engine)
    assert report.status == "ok", report.error
    assert "prior_authorization.required" in {f.rule for f in report.findings}


@pytest.mark.parametrize("engine", ENGINES)
def test_object_and_xref_streams_are_read(tmp_path, compiled_rules, engine):
    report = analyze_bytes(tmp_path, "pdf15.pdf", build.xref_stream_pdf(), compiled_rules, engine=engine)
    assert report.status == "ok" and "prior_authorization.required" in {f.rule for f in report.findings}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_font_with_a_tounicode_map_is_text_not_garbage(tmp_path, compiled_rules, engine):
    """The garbled font's own glyph codes, decoded by a ToUnicode CMap: no GARBLED_TEXT."""
    report = analyze_bytes(tmp_path, "mapped.pdf", build.tounicode_font_pdf(), compiled_rules, engine=engine)
    assert report.status == "ok", report.warnings
    assert "step_therapy" in {f.concern for f in report.findings}


def test_junk_before_the_header_is_still_a_pdf(tmp_path, compiled_rules):
    data = build.junk_prefix_pdf(b"<html>proxy banner</html>\n" * 20)  # under 1 KB of junk, as readers allow
    assert not data.startswith(b"%PDF-")
    report = analyze_bytes(tmp_path, "prefixed.pdf", data, compiled_rules)
    assert report.status == "ok"


def test_owner_password_only_is_read_and_the_restriction_noted(tmp_path, compiled_rules):
    report = analyze_bytes(tmp_path, "restricted.pdf", build.encrypted_pdf("", "owner-secret"), compiled_rules)
    assert report.status == "ok_with_warnings"
    assert codes(report) == [("ENCRYPTED_OWNER", None)]
    assert "prior_authorization.required" in {f.rule for f in report.findings}


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_password_opens_a_protected_pdf(tmp_path, compiled_rules, algorithm):
    data = build.encrypted_pdf("secret", "owner", algorithm=algorithm)
    assert analyze_bytes(tmp_path, "a.pdf", data, compiled_rules).error.code == "PASSWORD_REQUIRED"
    assert analyze_bytes(tmp_path, "b.pdf", data, compiled_rules, password="wrong").error.code == "PASSWORD_INCORRECT"
    report = analyze_bytes(tmp_path, "c.pdf", data, compiled_rules, password="secret")
    assert report.status == "ok" and report.findings


# --- files that are refused, each with its code -------------------------------------------

def test_empty_file(tmp_path, compiled_rules):
    report = analyze_bytes(tmp_path, "empty.pdf", b"", compiled_rules)
    assert report.error.code == "EMPTY_FILE"


@pytest.mark.parametrize("maker,named", [
    (build.png_bytes, "PNG"), (build.html_bytes, "HTML"), (build.zip_bytes, "ZIP"),
    (lambda: b"Member ID: " + build.MARKER.encode() + b"\nPlan: Gold\n", "text file"),
])
def test_not_a_pdf_says_what_it_is(tmp_path, compiled_rules, maker, named):
    report = analyze_bytes(tmp_path, "policy.pdf", maker(), compiled_rules)
    assert report.error.code == "NOT_A_PDF"
    assert named in report.error.message


@pytest.mark.parametrize("maker", [build.header_only_pdf, build.truncated_pdf, lambda: b"%PDF-1.7\n" + os.urandom(4000)])
def test_damaged_pdf(tmp_path, compiled_rules, maker):
    report = analyze_bytes(tmp_path, "broken.pdf", maker(), compiled_rules)
    assert report.error.code == "DAMAGED_PDF"


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("maker", [build.empty_kids_pdf, build.cyclic_page_tree_pdf])
def test_no_pages_is_an_error_not_an_empty_report(tmp_path, compiled_rules, maker, engine):
    """Raw pdfplumber said "0 pages" without error; PDFium counted a page it could not load."""
    report = analyze_bytes(tmp_path, "nopages.pdf", maker(), compiled_rules, engine=engine)
    assert report.error.code == "NO_PAGES"


def test_unsupported_encryption(tmp_path, compiled_rules):
    report = analyze_bytes(tmp_path, "pubsec.pdf", build.unsupported_encryption_pdf(), compiled_rules)
    assert report.error.code == "UNSUPPORTED_ENCRYPTION"


def test_too_many_pages(tmp_path, compiled_rules):
    limits = dataclasses.replace(LIMITS, max_pages=10)
    report = analyze_bytes(tmp_path, "long.pdf", build.many_pages_pdf(11), compiled_rules, limits=limits)
    assert report.error.code == "TOO_MANY_PAGES"
    assert "11 pages" in report.error.message and "10" in report.error.message
    assert analyze_bytes(tmp_path, "ok.pdf", build.many_pages_pdf(10), compiled_rules, limits=limits).status != "error"


@pytest.fixture(scope="module")
def bomb(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / "bomb.pdf"
    path.write_bytes(build.bomb_pdf())
    return path


@pytest.mark.parametrize("engine", ENGINES)
def test_decompression_bomb_hits_the_memory_cap(bomb, tmp_path, compiled_rules, engine):
    """1 MB on disk, 1 GiB inflated: raw pdfplumber reached 1.06 GB resident."""
    assert bomb.stat().st_size < 1_200_000
    limits = dataclasses.replace(LIMITS, max_memory_mb=256)
    report = analyze_bytes(tmp_path, "bomb.pdf", bomb.read_bytes(), compiled_rules, engine=engine, limits=limits)
    assert report.error.code == "RESOURCE_LIMIT"
    assert "256 MB" in report.error.message


def test_doubly_compressed_stream_times_out(tmp_path, compiled_rules):
    """A 1.4 KB stream that inflates twice to 256 MB of operators keeps a core busy for seconds."""
    data = build.double_flate_pdf()
    assert len(data) < 2000
    limits = dataclasses.replace(LIMITS, page_timeout=1.0)
    report = analyze_bytes(tmp_path, "slow.pdf", data, compiled_rules, limits=limits)
    assert report.error.code == "TIMEOUT"


def test_whole_file_timeout(tmp_path, compiled_rules):
    limits = dataclasses.replace(LIMITS, timeout=1.0)
    report = analyze_bytes(tmp_path, "slow.pdf", build.double_flate_pdf(), compiled_rules, limits=limits)
    assert report.error.code == "TIMEOUT" and "1 s" in report.error.message


def test_a_hung_page_costs_only_that_page(tmp_path, compiled_rules):
    limits = dataclasses.replace(LIMITS, page_timeout=1.5)
    report = analyze_bytes(tmp_path, "tbt.pdf", build.double_flate_pdf(layout="TBT"), compiled_rules, limits=limits)
    assert report.status == "ok_with_warnings" and report.pages == 3
    assert codes(report) == [("PAGE_FAILED", 2)]
    assert {f.page for f in report.findings if f.concern == "appeals"} == {1, 3}
    appeals = next(s for s in report.summary if s.concern == "appeals")
    assert appeals.status == "found"


def release_reader(fifo: Path) -> None:
    """Open and close the FIFO's writing end: a reader blocked on it gets an empty file."""
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:  # ENXIO: nobody is reading it, as it should be
        pass


def test_io_errors(tmp_path, compiled_rules):
    assert analyze_file(tmp_path / "missing.pdf", compiled_rules).error.code == "IO_ERROR"
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    assert analyze_file(folder, compiled_rules).error.code == "IO_ERROR"
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)  # reading it would block forever
    unblock = threading.Timer(5, release_reader, args=(fifo,))  # so a regression fails, not hangs
    unblock.start()
    try:
        piped = analyze_file(fifo, compiled_rules)
    finally:
        unblock.cancel()
    assert piped.error.code == "IO_ERROR" and "regular file" in piped.error.message
    for report in [piped] + [analyze_file(p, compiled_rules) for p in (tmp_path / "missing.pdf", folder)]:
        assert_plain(report.error.message)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_an_io_error(tmp_path, compiled_rules):
    path = tmp_path / "secret.pdf"
    path.write_bytes(build.text_pdf())
    path.chmod(0)
    report = analyze_file(path, compiled_rules)
    assert report.error.code == "IO_ERROR" and "permission" in report.error.message


# --- page warnings -------------------------------------------------------------------------

def test_image_only_page_without_ocr_says_how_to_read_it(tmp_path, compiled_rules):
    report = analyze_bytes(tmp_path, "scan.pdf", build.image_only_pdf(), compiled_rules, use_ocr=False)
    assert report.status == "ok_with_warnings"
    assert codes(report) == [("NO_TEXT_LAYER", 1)]
    assert "--no-ocr" in report.warnings[0].message
    # "not found" never stands alone when pages could not be read
    for summary in report.summary:
        assert summary.status != "found"
        assert "could not be read" in summary.answer or "no readable text" in summary.answer or summary.status == "unknown"


def test_image_only_page_without_tesseract_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr("ketcover.ocr.ocr_available", lambda: False)
    path = tmp_path / "scan.pdf"
    path.write_bytes(build.image_only_pdf())
    document = extract_document(path)
    assert [(w.code, w.page) for w in document.warnings] == [("NO_TEXT_LAYER", 1)]
    assert "tesseract-ocr" in document.warnings[0].message


@needs_tesseract
def test_ocr_reads_an_image_only_page(tmp_path, compiled_rules):
    report = analyze_bytes(tmp_path, "scan.pdf", build.image_only_pdf(), compiled_rules)
    assert codes(report) == [("OCR_USED", 1)]
    found = {f.rule: f for f in report.findings}
    assert "prior_authorization.required" in found
    assert all(f.method.endswith("+ocr") for f in report.findings)


@needs_tesseract
def test_stuck_or_missing_tesseract_loses_the_ocr_not_the_file(tmp_path, monkeypatch):
    from ketcover import ocr

    png = tmp_path / "page.png"
    build.text_image(build.SCAN_LINES).save(png)
    assert ocr.ocr_png(png.read_bytes(), timeout=0.01) == ""  # raised TimeoutExpired before
    monkeypatch.setenv("PATH", str(tmp_path))
    assert ocr.ocr_png(png.read_bytes()) == ""  # raised FileNotFoundError before


@pytest.mark.parametrize("engine", ENGINES)
def test_garbled_font_is_reported_not_matched(tmp_path, compiled_rules, engine):
    """PDFium returns raw glyph codes ("(Mr¼áĆī$In"), pdfminer "(cid:40)": neither is text."""
    report = analyze_bytes(tmp_path, "garbled.pdf", build.garbled_font_pdf(), compiled_rules,
                           engine=engine, use_ocr=False)
    assert codes(report) == [("GARBLED_TEXT", 1)]
    assert report.findings == ()


def test_a_partly_garbled_page_keeps_its_readable_text_without_ocr(tmp_path, compiled_rules):
    """A run of undecodable glyphs (a broken marker font) no longer costs the page's readable words."""
    report = analyze_bytes(tmp_path, "partly.pdf", build.partly_garbled_pdf(), compiled_rules,
                           engine="pdfium", use_ocr=True)
    assert codes(report) == [("GARBLED_PARTIAL", 1)]
    assert {f.concern for f in report.findings} >= {"prior_authorization", "experimental_exclusion"}
    assert not any("ocr" in f.method for f in report.findings)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("render_mode", [3, 7])
def test_hidden_text_is_dropped_with_a_warning(tmp_path, compiled_rules, engine, render_mode):
    data = build.hidden_text_pdf(render_mode)
    report = analyze_bytes(tmp_path, "hidden.pdf", data, compiled_rules, engine=engine)
    assert codes(report) == [("HIDDEN_TEXT", 1)]
    assert "never need" not in quotes(report) and "covered in full" not in quotes(report)
    assert not any(f.polarity == "negates" and f.concern == "prior_authorization" for f in report.findings)
    assert "prior_authorization.required" in {f.rule for f in report.findings}  # the visible text stays
    document = extract_isolated(tmp_path / "hidden.pdf", engine=engine, limits=LIMITS)
    assert build.HIDDEN_LINE[:30] not in document.text and build.POLICY_LINES[0][:30] in document.text


@pytest.mark.parametrize("engine", ENGINES)
def test_invisible_ocr_layer_over_a_scan_is_kept(tmp_path, engine):
    """ocrmypdf writes its text in render mode 3 over the page image: that text is the page."""
    path = tmp_path / "ocrd.pdf"
    path.write_bytes(build.ocr_layer_pdf())
    document = extract_isolated(path, engine=engine, limits=LIMITS)
    assert document.warnings == ()
    assert build.POLICY_LINES[0] in document.text


# --- findings of the fuzzer (fuzz/README.md) ----------------------------------------------

@pytest.mark.parametrize("engine", ENGINES)
def test_fuzz_self_referencing_font_descriptor_does_not_hang(tmp_path, compiled_rules, engine):
    """fuzz run 2 (timeout-959f5387): pdfminer.six 20260107 looped forever on "5 0 obj 5 0 R"."""
    limits = dataclasses.replace(LIMITS, page_timeout=5)  # a hang shows as PAGE_FAILED, not a stuck test
    report = analyze_bytes(tmp_path, "ref.pdf", build.self_reference_pdf(), compiled_rules, engine=engine, limits=limits)
    assert report.status == "ok" and report.pages == 2
    assert {f.page for f in report.findings} == {1, 2}


@pytest.mark.parametrize("engine", ENGINES)
def test_fuzz_self_referencing_catalog_is_read_by_the_other_reader(tmp_path, compiled_rules, engine):
    """fuzz run 3 (hang-*-119c91af, 28ca727e, ce049977, d9b925da): /Root is "1 0 obj 1 0 R".

    PDFium rejects the file, so pdfminer reads it: that fallback looped forever before.
    """
    data = build.self_reference_catalog_pdf()
    # In a worker with a timeout: if the loop comes back, this fails instead of hanging the suite.
    opened = run_isolated(functools.partial(open_pdf, password=None, engine=engine, max_pages=10), data, timeout=10)
    assert "READER_FALLBACK" in opened.warnings
    limits = dataclasses.replace(LIMITS, page_timeout=5)
    report = analyze_bytes(tmp_path, "root.pdf", data, compiled_rules, engine=engine, limits=limits)
    assert report.status == "ok"
    assert "prior_authorization.required" in {f.rule for f in report.findings}


# --- every case together: untouched inputs, plain messages ----------------------------------

def all_cases() -> dict[str, bytes]:
    cases = dict(build.seed_cases())
    cases.update({
        "empty.pdf": b"", "png.pdf": build.png_bytes(), "html.pdf": build.html_bytes(), "zip.pdf": build.zip_bytes(),
        "header_only.pdf": build.header_only_pdf(), "image_only.pdf": build.image_only_pdf(),
        "ocr_layer.pdf": build.ocr_layer_pdf(), "many_pages.pdf": build.many_pages_pdf(30),
    })
    return cases


def test_every_case_leaves_its_input_byte_identical_and_speaks_plainly(tmp_path, compiled_rules):
    cases = all_cases()
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
    before = {name: (sha256(tmp_path / name), (tmp_path / name).stat().st_mtime_ns) for name in cases}
    limits = dataclasses.replace(LIMITS, max_pages=20)
    reports = [analyze_file(tmp_path / name, compiled_rules, Options(limits=limits, use_ocr=False)) for name in cases]
    assert before == {name: (sha256(tmp_path / name), (tmp_path / name).stat().st_mtime_ns) for name in cases}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(cases)  # nothing written beside them
    for report in reports:
        assert report.status in ("ok", "ok_with_warnings", "error")
        messages = [report.error.message] if report.error else []
        messages += [w.message for w in report.warnings]
        for text in messages:
            assert_plain(text)
        assert not (report.error and report.error.code == "INTERNAL_ERROR"), report


# --- the command line: batches, passwords, temp files, network ------------------------------

def run_cli(*args, env=None, timeout=300):
    return subprocess.run([sys.executable, "-m", "ketcover", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=timeout)


BAD_FILES = {
    "EMPTY_FILE": lambda: b"",
    "NOT_A_PDF": build.png_bytes,
    "DAMAGED_PDF": build.truncated_pdf,
    "NO_PAGES": build.empty_kids_pdf,
    "PASSWORD_REQUIRED": lambda: build.encrypted_pdf("secret", "owner"),
    "UNSUPPORTED_ENCRYPTION": build.unsupported_encryption_pdf,
    "TOO_MANY_PAGES": lambda: build.many_pages_pdf(60),
    "RESOURCE_LIMIT": build.bomb_pdf,
    "TIMEOUT": build.double_flate_pdf,
}


@pytest.mark.slow
def test_batch_of_100_with_10_bad_files_gives_90_reports_10_errors_and_exit_3(tmp_path):
    folder, scratch = tmp_path / "in", tmp_path / "tmp"
    folder.mkdir()
    scratch.mkdir()
    good = [build.text_pdf(), build.hidden_text_pdf(), build.junk_prefix_pdf(), build.missing_mediabox_pdf(),
            build.encrypted_pdf("", "owner"), build.shifted_xref_pdf()]
    expected = {}
    for i in range(90):
        (folder / f"good_{i:03}.pdf").write_bytes(good[i % len(good)])
    # Timing must not decide which refusal a file gets (the memory bomb used to lose a race with a
    # 3 s timeout on a busy machine): the bomb reaches the 700 MB cap within a second or two, far
    # inside the 12 s limit, while the slow file walks six 256 MB pages (about 5 s each here), far
    # past it, and never holds more than one of them in memory.
    slow = functools.partial(build.double_flate_pdf, layout="BBBBBB")
    bad = [(code, slow if code == "TIMEOUT" else maker) for code, maker in BAD_FILES.items()]
    bad += [("NOT_A_PDF", build.html_bytes)]
    for i, (code, maker) in enumerate(bad):
        name = f"bad_{i:02}_{code.lower()}.pdf"
        (folder / name).write_bytes(maker())
        expected[name] = code
    hashes = {p.name: sha256(p) for p in folder.iterdir()}
    env = dict(os.environ, TMPDIR=str(scratch))
    # 700 MB: the 1 GiB bomb exceeds it, each 256 MB double-Flate page fits but takes ~5 s.
    result = run_cli("analyze", "--format", "json", "--no-ocr", "--max-memory-mb", "700", "--max-pages", "50",
                     "--timeout", "12", folder, env=env)
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr and build.MARKER not in result.stderr
    documents = json.loads(result.stdout)["documents"]
    assert len(documents) == 100
    errors = {Path(d["file"]).name: d["error"]["code"] for d in documents if d["status"] == "error"}
    assert errors == expected
    assert sum(d["status"] != "error" and bool(d["findings"]) for d in documents) == 90
    assert len([line for line in result.stderr.splitlines() if line.startswith("ketcover: ")]) == 10
    assert hashes == {p.name: sha256(p) for p in folder.iterdir()}
    assert list(scratch.iterdir()) == []  # killed workers (memory cap, timeout) left nothing behind


def test_no_temporary_file_survives_killed_workers_and_ocr(tmp_path, bomb):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    (tmp_path / "scan.pdf").write_bytes(build.image_only_pdf())
    # As in the batch above: a limit the bomb's memory cap always beats, a slow file that always exceeds it.
    (tmp_path / "slow.pdf").write_bytes(build.double_flate_pdf(layout="BBBBBB"))
    env = dict(os.environ, TMPDIR=str(scratch))
    result = run_cli("analyze", "--format", "json", "--max-memory-mb", "700", "--timeout", "12",
                     bomb, tmp_path / "slow.pdf", tmp_path / "scan.pdf", env=env)
    assert result.returncode == 3, result.stderr
    documents = json.loads(result.stdout)["documents"]
    assert [d["error"]["code"] if d["error"] else d["status"] for d in documents] == [
        "RESOURCE_LIMIT", "TIMEOUT", "ok_with_warnings"]
    assert list(scratch.iterdir()) == []


def test_password_file_opens_a_protected_pdf(tmp_path):
    (tmp_path / "locked.pdf").write_bytes(build.encrypted_pdf("s3cret pass", "owner", algorithm="AES-256"))
    (tmp_path / "password.txt").write_text("s3cret pass\n")
    result = run_cli("analyze", "--format", "json", "--password-file", tmp_path / "password.txt", tmp_path / "locked.pdf")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)["documents"][0]
    assert document["status"] == "ok" and document["findings"]
    assert "s3cret" not in result.stdout + result.stderr


AUDIT_HOOK = textwrap.dedent('''
    """Installed in every Python process of the test run: records and blocks non-loopback connections."""
    import ipaddress, os, socket, sys

    LOG = os.environ["KETCOVER_NETLOG"]

    def _local(host):
        if host in (None, "", "localhost"):
            return True
        try:
            return ipaddress.ip_address(host.split("%")[0]).is_loopback
        except ValueError:
            return False

    def _hook(event, args):
        if event in ("socket.connect", "socket.sendto"):
            sock, address = args[0], args[-1]
            if sock.family == socket.AF_UNIX or (isinstance(address, tuple) and _local(address[0])):
                return
        elif event == "socket.getaddrinfo":
            if _local(args[0]):
                return
        else:
            return
        with open(LOG, "a") as log:
            log.write(f"{os.getpid()} {event} {args[-1] if event != 'socket.getaddrinfo' else args[0]}\\n")
        raise OSError("network access blocked by the ketcover test")

    sys.addaudithook(_hook)
''')


def test_an_analysis_opens_no_network_connection(tmp_path):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(AUDIT_HOOK)
    log = tmp_path / "net.log"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(hooks), str(ROOT)]), KETCOVER_NETLOG=str(log))
    # The hook works: a connection to a documentation address (TEST-NET-1) is seen and blocked.
    probe = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 9), timeout=1)"],
                           env=env, capture_output=True, text=True, timeout=60)
    assert probe.returncode != 0 and "blocked by the ketcover test" in probe.stderr
    assert "192.0.2.1" in log.read_text()
    log.unlink()
    (tmp_path / "plan.pdf").write_bytes(build.text_pdf())
    (tmp_path / "scan.pdf").write_bytes(build.image_only_pdf())
    for fmt in ("json", "html"):
        result = run_cli("analyze", "--format", fmt, tmp_path / "plan.pdf", tmp_path / "scan.pdf", env=env)
        assert result.returncode == 0, result.stderr
    assert not log.exists(), log.read_text()


# --- output safety --------------------------------------------------------------------------

HOSTILE_QUOTE = ("Prior authorization is required for esketamine <script>alert(1)</script> "
                 "**now** [click](http://evil.example) `x` | y.")


def test_html_and_markdown_escape_document_text(tmp_path, compiled_rules):
    data = build.text_pdf(pages=((HOSTILE_QUOTE,),))
    report = analyze_bytes(tmp_path, "x.pdf", data, compiled_rules)
    assert "<script>" in quotes(report)  # the quote is verbatim ...
    page = render_html([report])
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # ... and escaped
    assert 'href="http://evil' not in page
    markdown = render_markdown([report])
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "[click](http" not in markdown and "\\*\\*now\\*\\*" in markdown


def test_terminal_output_strips_control_and_bidi_characters(tmp_path, compiled_rules):
    report = analyze_bytes(tmp_path, "plan.pdf", build.text_pdf(), compiled_rules)
    evil = "\x1b[2J\x1b]0;owned\x07 Prior \u202eauthorization\u2066 \x9b31m"
    finding = dataclasses.replace(report.findings[0], quote=evil)
    report = dataclasses.replace(report, findings=(finding,), file="plan\x1b[31m.pdf")
    text = render_text([report])
    for bad in ("\x1b", "\x07", "\u202e", "\u2066", "\x9b"):
        assert bad not in text
    assert "Prior authorization" in text
