"""SBC benefit tables read as tables: no finding quotes the column headers alone, and none runs
from one row's cells into the next row's service ("Prior authorization required Hospice services
No charge ..." reads as if hospice needed it)."""

from __future__ import annotations

import re

import pytest

from conftest import CORPUS, SAMPLES, needs_corpus

# Words of the SBC table's column headers ("Network Provider (You will pay the least)").
HEADER_WORDS = re.compile(
    r"\b(?:in-network|out-of-network|non-network|network|participating|non-participating|preferred|provider|"
    r"providers|you|will|pay|the|least|most|more|information|limitations|exceptions|other|important|what|"
    r"common|medical|event|services|may|need|tier|plan|non-plan)\b|[()&,:/]", re.I)
# The "Services You May Need" cells of the federal template, as printed at the start of a row.
SERVICES = (
    "Primary care visit", "Specialist visit", "Preventive care", "Diagnostic test", "Imaging (CT/PET",
    "Generic drugs", "Preferred brand drugs", "Non-preferred brand drugs", "Specialty drugs",
    "Emergency room care", "Emergency medical transportation", "Urgent care",
    "Childbirth/delivery professional services", "Childbirth/delivery facility services",
    "Home health care", "Rehabilitation services", "Habilitation services", "Skilled nursing care",
    "Durable medical equipment", "Hospice services",
)
SERVICE = re.compile("|".join(re.escape(s) for s in SERVICES))
ROW_LABEL = re.compile(r"If (?:you|your)\b.*", re.S)


def header_alone(quote: str) -> bool:
    return not HEADER_WORDS.sub(" ", quote).split()


LEADING_HEADER = re.compile(r"^(?:(?:" + HEADER_WORDS.pattern + r")\s*)*", re.I)


def spans_two_rows(quote: str) -> bool:
    """A template service cell that does not open the quote: only the column headers and its own
    row's label may precede it."""
    for match in SERVICE.finditer(quote):
        before = quote[:match.start()].strip()
        before = before[LEADING_HEADER.match(before).end():].strip()
        if before and not ROW_LABEL.fullmatch(before):
            return True
    return False


def test_the_checks_catch_the_cases_they_are_for():
    assert header_alone("(You will pay the least) Out-of-Network")
    assert header_alone("In-Network Provider (You Information will pay the least)")
    assert not header_alone("You will pay less if you use a provider in the plan’s network.")
    assert spans_two_rows("Prior authorization required Hospice services No charge")
    assert not spans_two_rows("Hospice services No charge Preauthorization is required.")
    assert not spans_two_rows("If you need help recovering Home health care 20% coinsurance")
    assert not spans_two_rows("Network Provider (You will pay the least) If you have a test Diagnostic test 20%")
    assert spans_two_rows("Network Provider (You will pay the least) Urgent care $35 None Hospice services")


@pytest.fixture(scope="module")
def sbc_reports(compiled_rules):
    from ketcover.analyze import report_for_document
    from ketcover.isolation import extract_isolated

    paths = [SAMPLES / "sbc_example-health_silver-ppo.pdf"]
    if CORPUS.is_dir():
        paths += sorted(CORPUS.glob("sbc_*.pdf"))
    reports = {}
    for path in paths:
        document = extract_isolated(path)
        reports[path.name] = (document, report_for_document(document, compiled_rules, path.name))
    return reports


@needs_corpus
def test_no_sbc_finding_quotes_a_header_alone_or_two_rows(sbc_reports):
    assert len(sbc_reports) >= 9
    bad = []
    for name, (document, report) in sbc_reports.items():
        assert report.findings, name
        for finding in report.findings:
            quote = " ".join(finding.quote.split())
            if header_alone(quote) or spans_two_rows(quote):
                bad.append(f"{name} p. {finding.page} {finding.rule}: {quote[:160]}")
    assert not bad, "\n".join(bad)


def test_a_limitation_is_quoted_with_its_own_row(sbc_reports):
    """The hospice row's own note stays with it; the equipment row's note never joins it."""
    document, report = sbc_reports["sbc_example-health_silver-ppo.pdf"]
    hospice = [f for f in report.findings if " ".join(f.quote.split()).startswith("Hospice services")]
    assert hospice and all("Preauthorization is required" in f.quote for f in hospice if f.concern == "prior_authorization")
