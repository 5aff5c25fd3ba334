"""The bundled sample policies against their hand-written expected findings (concern, page).

Misses and unexpected findings are reported separately, like a rule test runner would.
"""

from __future__ import annotations

import pytest
import yaml

from ketcover import CONCERNS

from conftest import SAMPLES

EXPECTED = sorted(SAMPLES.glob("*.expected.yaml"))


def test_there_are_at_least_four_samples_each_with_expectations():
    assert len(EXPECTED) >= 4
    for path in EXPECTED:
        data = yaml.safe_load(path.read_text())
        assert (SAMPLES / data["document"]).is_file(), data["document"]
        assert set(data["expected"]) == set(CONCERNS), path.name


@pytest.fixture(scope="module")
def sample_reports():
    from ketcover.analyze import analyze

    documents = [SAMPLES / yaml.safe_load(p.read_text())["document"] for p in EXPECTED]
    return {r.file: r for r in analyze(documents)}


@pytest.mark.parametrize("expected_file", EXPECTED, ids=lambda p: p.name.split(".")[0])
def test_sample_findings_match_expectations(expected_file, sample_reports):
    data = yaml.safe_load(expected_file.read_text())
    report = sample_reports[str(SAMPLES / data["document"])]
    assert report.status == "ok", report.error
    assert report.pages == data["pages"]
    misses, unexpected = [], []
    for concern in CONCERNS:
        want = set(data["expected"][concern])
        got = {f.page for f in report.findings if f.concern == concern}
        misses += [f"{concern} p.{p}" for p in sorted(want - got)]
        unexpected += [f"{concern} p.{p}" for p in sorted(got - want)]
    assert not misses and not unexpected, f"missed: {misses}; unexpected: {unexpected}"
    for concern, pages in (data.get("negated") or {}).items():
        negated = {f.page for f in report.findings if f.concern == concern and f.polarity == "negates"}
        assert set(pages) <= negated, f"{concern}: expected a negating finding on {pages}, got {sorted(negated)}"


def test_sample_quotes_are_verbatim_on_their_pages(sample_reports):
    from ketcover.pdf import extract_document

    for report in sample_reports.values():
        document = extract_document(report.file)
        for finding in report.findings:
            assert finding.quote in document.page_text(finding.page), (report.file, finding.page, finding.quote)


def test_samples_are_regenerated_identically(tmp_path):
    """generate.py is the source of the committed PDFs: rebuilding them changes no byte."""
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "sample_policies"
    shutil.copytree(SAMPLES, copy)
    subprocess.run([sys.executable, str(copy / "generate.py")], check=True, capture_output=True)
    for pdf in SAMPLES.glob("*.pdf"):
        assert (copy / pdf.name).read_bytes() == pdf.read_bytes(), pdf.name
