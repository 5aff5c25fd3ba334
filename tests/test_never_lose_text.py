"""Never lose text without a word: legends and notices repeated on every page, form fields, clipped text."""

from __future__ import annotations

import shutil
import signal

import pytest

import pdf_builders as build
from ketcover.analyze import Options, analyze_file
from ketcover.isolation import Limits, extract_isolated
from ketcover.pdf import quote_boxes
from ketcover.structure import render_pages

HAS_TESSERACT = shutil.which("tesseract") is not None
LIMITS = Limits(timeout=60, page_timeout=30, max_memory_mb=1024)
LEGEND = "Drugs marked with an asterisk (*) require prior authorization."
# Rows start with a capital, as brand names do: a page that starts in lower case runs on from the
# previous page's last sentence in one passage (structure.split_passages), which gets one finding.
DRUG_PAGES = (
    ("Spravato (esketamine) nasal spray*", "Wellbutrin XL tablets", "Zoloft tablets"),
    ("Ketalar (ketamine) injection*", "Lexapro tablets", "Prozac capsules"),
    ("Abilify tablets*", "Effexor XR capsules", "Remeron tablets"),
    ("Latuda tablets*", "Cymbalta capsules", "Desyrel tablets"),
)


def reportlab_pdf(path, pages, *, footer=None, header=None) -> None:
    """One page per list of lines, with a running header and a "Page N of M" footer."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    for number, lines in enumerate(pages, 1):
        pdf.setFont("Helvetica", 11)
        if header:
            pdf.drawString(72, 750, header)
        y = 700
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 18
        pdf.drawString(72, 60, footer or f"Page {number} of {len(pages)}")
        pdf.showPage()
    pdf.save()


def test_a_drug_lists_legend_on_every_page_is_read_on_every_page(tmp_path, compiled_rules):
    path = tmp_path / "formulary.pdf"
    pages = [(*rows, LEGEND) for rows in DRUG_PAGES]
    reportlab_pdf(path, pages, header="Acme Health 2026 Formulary (List of Covered Drugs)")
    report = analyze_file(path, compiled_rules, Options(limits=LIMITS))
    pa_pages = {f.page for f in report.findings if f.concern == "prior_authorization"}
    assert pa_pages == {1, 2, 3, 4}
    document = extract_isolated(path, limits=LIMITS)
    for number in range(1, 5):
        assert LEGEND in document.page_text(number)
        assert "Acme Health 2026 Formulary" not in document.page_text(number)  # a running title, set aside
    assert document.page_margins[1] == ("Acme Health 2026 Formulary (List of Covered Drugs)", "Page 2 of 4")
    for finding in report.findings:
        assert finding.quote in document.page_text(finding.page)


def test_a_short_notice_whose_pages_repeat_the_same_clauses_is_read(tmp_path, compiled_rules):
    clauses = (
        "Ketamine infusion therapy is experimental and investigational and is not covered.",
        "Prior authorization is required for esketamine (Spravato).",
        "You have the right to appeal this decision within 180 days.",
    )
    path = tmp_path / "notice.pdf"
    reportlab_pdf(path, [clauses] * 4, footer="Notice of coverage rules")
    report = analyze_file(path, compiled_rules, Options(limits=LIMITS))
    concerns = {(f.concern, f.page) for f in report.findings}
    for concern in ("experimental_exclusion", "prior_authorization", "appeals"):
        assert {(concern, page) for page in range(1, 5)} <= concerns, concern
    document = extract_isolated(path, limits=LIMITS)
    assert all(clauses[0] in document.page_text(n) for n in range(1, 5))


def test_text_painted_through_a_clip_is_read(tmp_path, compiled_rules):
    path = tmp_path / "clipped.pdf"
    path.write_bytes(build.clipped_text_pdf())
    report = analyze_file(path, compiled_rules, Options(limits=LIMITS))
    assert report.status == "ok" and report.warnings == ()
    assert "prior_authorization.required" in {f.rule for f in report.findings}


def test_render_pages_shows_the_margin_set_aside(tmp_path):
    path = tmp_path / "formulary.pdf"
    reportlab_pdf(path, [(*rows, LEGEND) for rows in DRUG_PAGES], header="Acme Health 2026 Formulary")
    text = render_pages(extract_isolated(path, limits=LIMITS))
    pages = text.split("\f")
    assert pages[-1] == "" and len(pages) == 5  # every page ends with a form feed, as pdftotext's do
    body, margin = pages[2].split("--- margin ---\n")
    assert LEGEND in body and "Abilify" in body
    assert margin.split("\n")[:2] == ["Acme Health 2026 Formulary", "Page 3 of 4"]


DENIAL_FIELDS = {
    "reason": "Ketamine infusion therapy is experimental and investigational and is not covered.",
    "pa": "Prior authorization is required for esketamine (Spravato).",
    "appeal": "You may appeal this decision within 180 days of this notice.",
}


def denial_form_pdf(path) -> None:
    """A filled-in denial notice: labels in the page content, the clauses in form fields; the
    second page holds nothing but a field."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 740, "Notice of Adverse Benefit Determination")
    for number, (name, value) in enumerate(list(DENIAL_FIELDS.items())[:2]):
        y = 680 - 60 * number
        pdf.drawString(72, y + 24, f"Field {number + 1}:")
        pdf.acroForm.textfield(name=name, value=value, x=72, y=y, width=470, height=20, fontSize=9,
                               borderWidth=0, fillColor=None)
    pdf.showPage()
    pdf.acroForm.textfield(name="appeal", value=DENIAL_FIELDS["appeal"], x=72, y=600, width=470, height=20,
                           fontSize=9, borderWidth=0, fillColor=None)
    pdf.showPage()
    pdf.save()


def test_a_filled_in_denial_form_is_read_and_its_clauses_found(tmp_path, compiled_rules):
    path = tmp_path / "denial.pdf"
    denial_form_pdf(path)
    report = analyze_file(path, compiled_rules, Options(limits=LIMITS))
    assert report.status == "ok_with_warnings"
    assert [(w.code, w.page) for w in report.warnings] == [("FORM_TEXT", 1), ("FORM_TEXT", 2)]  # not "a scan"
    found = {(f.concern, f.page) for f in report.findings}
    assert {("experimental_exclusion", 1), ("prior_authorization", 1), ("appeals", 2)} <= found
    document = extract_isolated(path, limits=LIMITS)
    for finding in report.findings:
        assert finding.quote in document.page_text(finding.page)
        assert quote_boxes(path.read_bytes(), finding.page, finding.quote), finding  # the web page highlights it
    assert DENIAL_FIELDS["appeal"] in document.page_text(2)


def test_twenty_megabytes_of_junk_after_a_header_is_refused_within_seconds(tmp_path, compiled_rules):
    import random
    import time

    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.4\n" + random.Random(15).randbytes(20 * 2**20))
    started = time.monotonic()
    report = analyze_file(path, compiled_rules, Options(limits=LIMITS))
    assert report.error.code == "DAMAGED_PDF"
    assert time.monotonic() - started < 15  # pdfminer took 46 s to lex it all before giving up


def _tree_peak_mb(process) -> float:
    """Peak resident memory of `process` and all its descendants while it runs, sampled."""
    import os
    import time

    def tree() -> float:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for entry in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        total, pending = 0, [process.pid]
        while pending:
            pid = pending.pop()
            total += rss.get(pid, 0)
            pending.extend(children.get(pid, []))
        return total / 2**20

    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree())
        time.sleep(0.03)
    return peak


@pytest.mark.slow
@pytest.mark.skipif(not HAS_TESSERACT, reason="tesseract is not installed")
def test_ocr_of_a_poster_page_stays_within_300_mb(tmp_path):
    """At 300 dpi a 48 x 36 inch scan took the tree to 1.75 GB; a blank 200-inch page (a few
    hundred bytes) failed with a memory error that a higher limit would not have cured."""
    import json
    import subprocess
    import sys

    (tmp_path / "poster.pdf").write_bytes(build.poster_scan_pdf())
    (tmp_path / "blank.pdf").write_bytes(build.document([b""], mediabox=b"[0 0 14400 14400]"))
    process = subprocess.Popen([sys.executable, "-m", "ketcover", "analyze", "--format", "json", "--no-cache",
                                str(tmp_path / "poster.pdf"), str(tmp_path / "blank.pdf")],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path)
    peak = _tree_peak_mb(process)
    out, err = process.communicate()
    assert process.returncode == 0, err
    poster, blank = json.loads(out)["documents"]
    assert [w["code"] for w in poster["warnings"]] == ["OCR_USED"]
    assert poster["summary"]["prior_authorization"]["status"] == "found"
    assert [w["code"] for w in blank["warnings"]] == ["NO_TEXT_LAYER"]
    assert peak <= 300, f"{peak:.0f} MB"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_run_ended_by_a_signal_leaves_no_temporary_folder(tmp_path, signum):
    import os
    import subprocess
    import sys
    import time

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    # Twenty slow pages (about 5 s each of operators to walk) keep the reader busy well past the signal
    # on any machine (one OCR'd poster page finished within the second on a quiet one), and longer
    # than the 60 s allowed below: a reader that took its killed child for a damaged page and went
    # on with the next one in a new child (as it did) fails here on a quiet machine too.
    (tmp_path / "slow.pdf").write_bytes(build.double_flate_pdf(layout="B" * 20))
    # A suite started as a background job (no job control) has SIGINT ignored, and a child inherits that: ketcover
    # rightly leaves an ignored SIGINT ignored, so the run under test gets the default disposition back first (exec
    # keeps the process, so the signal still goes to ketcover itself).
    command = [sys.executable, "-m", "ketcover", "analyze", "--no-cache", str(tmp_path / "slow.pdf")]
    interruptible = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
                     "os.execv(sys.executable, sys.argv[1:])")
    process = subprocess.Popen([sys.executable, "-c", interruptible, *command],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=tmp_path,
                               env=dict(os.environ, TMPDIR=str(scratch)))
    deadline = time.monotonic() + 60
    while not list(scratch.glob("pymp-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert list(scratch.glob("pymp-*")), "the reader never started"
    time.sleep(1.0)  # the reader is at work on the page
    process.send_signal(signum)
    _out, err = process.communicate(timeout=60)
    assert process.returncode in (-signum, 128 + signum, 1), err
    assert b"Traceback" not in err
    assert list(scratch.iterdir()) == []


def test_a_signal_while_a_reader_starts_stops_that_reader(tmp_path, monkeypatch):
    # The race behind a run that went on for a minute after Ctrl-C on a busy machine: the signal came
    # while a reader was being started (the fork server still booting), so the handler found no child
    # to kill, and the reader read all twenty slow pages while the run waited for it. Here the "signal"
    # comes right after the start, deterministically: the reader must be stopped, not waited for.
    import multiprocessing
    import time

    from ketcover import shutdown
    from ketcover.errors import ReadError

    process_class = type(multiprocessing.get_context("forkserver").Process())
    started = []

    def start_then_signal(self):
        multiprocessing.process.BaseProcess.start(self)
        started.append(self)
        shutdown._STOPPING.set()  # what _on_signal does first; its kill found no child yet

    (tmp_path / "slow.pdf").write_bytes(build.double_flate_pdf(layout="B" * 20))
    monkeypatch.setattr(process_class, "start", start_then_signal)
    began = time.monotonic()
    try:
        with pytest.raises(ReadError) as raised:
            extract_isolated(tmp_path / "slow.pdf")
    finally:
        shutdown._STOPPING.clear()
    assert raised.value.code == "INTERRUPTED"
    assert time.monotonic() - began < 20  # the twenty pages take about 100 s
    assert started and not any(child.is_alive() for child in started)


def test_the_text_command_prints_what_the_rules_read(tmp_path):
    import subprocess
    import sys

    path = tmp_path / "formulary.pdf"
    reportlab_pdf(path, [(*rows, LEGEND) for rows in DRUG_PAGES], header="Acme Health 2026 Formulary")
    result = subprocess.run([sys.executable, "-m", "ketcover", "text", str(path)], capture_output=True, text=True,
                            cwd=tmp_path, check=False)
    assert result.returncode == 0, result.stderr
    pages = result.stdout.split("\f")
    assert len(pages) == 5 and pages[-1] == ""
    assert pages[0] == "\n".join([*DRUG_PAGES[0], LEGEND, "--- margin ---", "Acme Health 2026 Formulary", "Page 1 of 4"]) + "\n"
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.4\n" + b"\x00" * 1000)
    result = subprocess.run([sys.executable, "-m", "ketcover", "text", str(tmp_path / "junk.pdf")], capture_output=True,
                            text=True, cwd=tmp_path, check=False)
    assert result.returncode == 3 and "damaged" in result.stderr and result.stdout == ""
