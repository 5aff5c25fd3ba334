"""Work moved to worker processes (assembling a long document, reading its groundwork: costs, keyword
spans, kind, identifiers, plan name) gives the same answer as the same work done in this process, and is
done here when the worker fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from ketcover import analyze as analyze_module
from ketcover import isolation
from ketcover.costs import extract_costs
from ketcover.errors import ReadError
from ketcover.groundwork import groundwork
from ketcover.keyword_scan import KeywordScanner
from ketcover.pdf import extract_document
from pdf_builders import POLICY_LINES, text_pdf

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_EOC = ROOT / "sample_policies" / "eoc_example-health_gold-hmo.pdf"


class FailingCall:
    """What start_isolated returns when the worker dies (the memory cap, a signal)."""

    def result(self):
        raise ReadError("RESOURCE_LIMIT", limit_mb=1)


@pytest.fixture
def long_pdf(tmp_path):
    lines = [*POLICY_LINES, "Prior authorization is required for esketamine (Spravato)."]
    path = tmp_path / "long.pdf"
    path.write_bytes(text_pdf([lines] * (isolation.ASSEMBLE_APART_MIN_PAGES + 5)))
    return path


def test_a_long_document_assembled_in_a_worker_equals_one_assembled_here(long_pdf):
    assembled_apart = isolation.extract_isolated(long_pdf)
    assembled_here = extract_document(long_pdf)
    assert assembled_apart.page_count == isolation.ASSEMBLE_APART_MIN_PAGES + 5
    assert assembled_apart == assembled_here


def test_a_failed_assembly_worker_costs_nothing(long_pdf, monkeypatch):
    expected = extract_document(long_pdf)
    monkeypatch.setattr(isolation, "start_isolated", lambda *args, **kwargs: FailingCall())
    assert isolation.extract_isolated(long_pdf) == expected


def test_groundwork_read_in_a_worker_equals_groundwork_read_here(monkeypatch, compiled_rules):
    document = extract_document(SAMPLE_EOC)
    scanner = KeywordScanner.of(compiled_rules.ruleset)
    expected = groundwork(document, scanner)
    assert expected.costs, "the sample EOC states mental-health costs"
    assert expected.keywords.spans and expected.kind.kind and expected.plan_name
    monkeypatch.setattr(analyze_module, "GROUNDWORK_APART_MIN_PAGES", 1)
    call = analyze_module._start_groundwork(document, scanner)
    assert call is not None, "a document of GROUNDWORK_APART_MIN_PAGES pages has its groundwork read in a worker"
    assert call.result() == expected


def test_a_report_with_its_groundwork_read_apart_equals_one_read_here(monkeypatch, compiled_rules):
    document = extract_document(SAMPLE_EOC)
    expected = analyze_module.report_for_document(document, compiled_rules)
    monkeypatch.setattr(analyze_module, "GROUNDWORK_APART_MIN_PAGES", 1)
    assert analyze_module.report_for_document(document, compiled_rules) == expected


def test_groundwork_is_read_here_when_the_worker_fails(monkeypatch, compiled_rules):
    document = extract_document(SAMPLE_EOC)
    expected = analyze_module.report_for_document(document, compiled_rules)
    monkeypatch.setattr(analyze_module, "GROUNDWORK_APART_MIN_PAGES", 1)
    monkeypatch.setattr(isolation, "start_isolated", lambda *args, **kwargs: FailingCall())
    assert expected.costs and expected.findings
    assert analyze_module.report_for_document(document, compiled_rules) == expected


def test_a_worker_that_cannot_start_costs_nothing(long_pdf, monkeypatch, compiled_rules):
    """No process can be started (a process limit): the same work is done here."""
    expected = extract_document(long_pdf)

    def cannot_start(*args, **kwargs):
        raise OSError("Resource temporarily unavailable")

    monkeypatch.setattr(isolation, "start_isolated", cannot_start)
    assert isolation.extract_isolated(long_pdf) == expected
    document = extract_document(SAMPLE_EOC)
    monkeypatch.setattr(analyze_module, "GROUNDWORK_APART_MIN_PAGES", 1)
    assert analyze_module.report_for_document(document, compiled_rules).costs == extract_costs(document)


def test_a_long_documents_costs_are_read_only_in_its_worker(long_pdf):
    """The parent of a long document's analysis never loads the cost readers: the groundwork worker
    reads the costs, and loading them here cost about 0.05 s of CPU while the PDF was read."""
    import subprocess
    import sys

    probe = ("import sys\n"
             "if __name__ == '__main__':\n"
             "    from ketcover.analyze import analyze\n"
             f"    [report] = analyze([{str(long_pdf)!r}])\n"
             "    assert report.status == 'ok' and report.findings, report\n"
             "    print('COSTS LOADED', 'ketcover.costs' in sys.modules)\n")
    script = long_pdf.parent / "probe.py"
    script.write_text(probe)
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-500:]
    assert "COSTS LOADED False" in result.stdout, result.stdout[-300:]


def test_the_fork_server_preloads_the_workers_module():
    """Every worker's target is in ketcover.isolation: preloaded, no worker imports it again."""
    from multiprocessing import forkserver

    isolation._context()
    assert "ketcover.isolation" in forkserver._forkserver._preload_modules


def test_passages_found_in_assembly_are_the_ones_the_analysis_would_split(long_pdf, monkeypatch, compiled_rules):
    """A long document's passages are split where it is assembled (a worker, beside the rules' compilation):
    the analysis reads them from the Document instead of splitting the text again, and they are the same."""
    from ketcover import sections
    from ketcover.structure import split_passages

    document = isolation.extract_isolated(long_pdf)
    assert document.passage_bounds
    split_here = tuple(split_passages(document.text, frozenset(h.offset for h in document.headings)))

    def no_second_split(*args):
        raise AssertionError("the passages were split again")

    monkeypatch.setattr(sections, "split_passages", no_second_split)
    assert sections.outline_of(document, compiled_rules.section_classes).passages == split_here
