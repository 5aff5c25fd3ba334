"""The real plan documents in ../shared/corpus: every file reads, every quote is on its page, key pages are found.

The pages asserted here were checked by reading the PDFs (see tests/gold/ for the full labels
with evidence quotes); skipped with a reason when the corpus folder is absent.
"""

from __future__ import annotations

import re

import pytest

from ketcover.evaluate import load_gold

from conftest import GOLD, needs_corpus

pytestmark = needs_corpus

SBCS = [
    "sbc_aetna_justworks_a7_2024-2025.pdf",
    "sbc_aetna_justworks_b3_2024-2025.pdf",
    "sbc_aetna_justworks_c3_2024-2025.pdf",
    "sbc_aetna_justworks_f1_2024-2025.pdf",
    "sbc_cms_sample-completed-sbc_accessible_2025-01.pdf",
    "sbc_kaiser-permanente_ca-small-group_gold-80-hmo_2025.pdf",
    "sbc_university-of-rochester_ppo-option_2026.pdf",
]
# The page of each SBC's "If you need mental health, behavioral health, or substance abuse
# services" row, read off the rendered PDFs.
SBC_MENTAL_HEALTH_PAGE = {
    "sbc_aetna_justworks_a7_2024-2025.pdf": 3,
    "sbc_aetna_justworks_b3_2024-2025.pdf": 3,
    "sbc_aetna_justworks_c3_2024-2025.pdf": 3,
    "sbc_aetna_justworks_f1_2024-2025.pdf": 3,
    "sbc_cms_sample-completed-sbc_accessible_2025-01.pdf": 3,
    "sbc_kaiser-permanente_ca-small-group_gold-80-hmo_2025.pdf": 3,
    "sbc_university-of-rochester_ppo-option_2026.pdf": 5,
}
FEHB = "plan-brochure_fehb_bcbs-fep-blue-standard-basic_2026.pdf"
COST = re.compile(r"\$\d|\d+%|no charge|not covered", re.I)


def test_every_corpus_document_analyzes_without_error(corpus_reports, corpus_read_errors):
    # Near-miss documents may rightly have no findings; reading them must still succeed.
    assert not corpus_read_errors, {name: f"{error.code}: {error}" for name, error in corpus_read_errors.items()}
    assert len(corpus_reports) >= 14
    for name, report in corpus_reports.items():
        assert report.status in ("ok", "ok_with_warnings"), (name, report.error)
        assert report.pages > 0, name


GOLD_DOCUMENTS = {gold.document: gold for gold in load_gold(GOLD)}
WITH_POSITIVES = sorted(name for name, gold in GOLD_DOCUMENTS.items() if any(gold.positives.values()))
# Labeled documents with positives where the engine, at first contact, found none of them. A known miss is
# recorded here, not hidden: strict xfail, so the test fails (XPASS) once the engine finds them and the
# entry must then be removed.
# (The Medicare TMS billing article, a first-contact miss, has findings on its gold pages 7 and 9 since
# the medical-policy reading of a psychiatric subject, 2026-12-07; its p. 5 exclusion is still missed.)
KNOWN_MISSES: dict[str, str] = {}


@pytest.mark.parametrize("name", [
    pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=KNOWN_MISSES[name])) if name in KNOWN_MISSES else name
    for name in WITH_POSITIVES
])
def test_labeled_document_has_findings_on_its_gold_pages(name, corpus_reports):
    # The labels, not a blanket assumption, say what a document must show: one whose gold file has
    # positives must have at least one finding on a labeled (concern, page); documents labeled with no
    # positives are covered by the reading test above and by the false-hit caps of tests/eval_floors.yaml.
    assert name in corpus_reports, f"{name} could not be read (see the reading test)"
    gold = GOLD_DOCUMENTS[name]
    found = {(f.concern, f.page) for f in corpus_reports[name].findings}
    labeled = {(concern, page) for concern, pages in gold.positives.items() for page in pages}
    assert found & labeled, f"{name}: no finding on any of {sorted(labeled)}"


def test_every_quote_is_verbatim_on_its_cited_page(corpus_reports, corpus_documents):
    checked = 0
    for name, report in corpus_reports.items():
        document = corpus_documents[name]
        for finding in report.findings:
            assert finding.quote.strip(), (name, finding)
            assert finding.quote in document.page_text(finding.page), (name, finding.page, finding.quote)
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize("name", SBCS)
def test_sbc_names_its_mental_health_row_with_cost_and_page(name, corpus_reports):
    report = corpus_reports[name]
    page = SBC_MENTAL_HEALTH_PAGE[name]
    rows = [f for f in report.findings if f.rule == "mental_health_coverage.sbc_row"]
    assert rows and rows[0].page == page, [(f.page, f.quote[:60]) for f in rows]
    summary = {s.concern: s for s in report.summary}["mental_health_coverage"]
    assert summary.status == "found"
    assert f"(p. {page})" in summary.answer and COST.search(summary.answer), summary.answer


def _pages(report, concern, rule_prefix=""):
    return {f.page for f in report.findings if f.concern == concern and f.rule.startswith(rule_prefix)}


def test_fehb_brochure_key_pages(corpus_reports):
    report = corpus_reports[FEHB]
    # General exclusions list: "Experimental or investigational procedures, treatments, drugs or devices".
    assert 135 in _pages(report, "experimental_exclusion")
    # Definitions section: "Experimental or investigational shall mean: ...".
    assert 154 in _pages(report, "experimental_exclusion", "experimental_exclusion.definition")
    summary = {s.concern: s for s in report.summary}["experimental_exclusion"]
    assert "defined on" in summary.answer and "154" in summary.answer
    # Section 3 "How you get care": precertification and prior approval rules (p. 23 is about
    # specialty and transitional care, not approval).
    assert {22, 24, 25, 26, 27, 28, 29} <= _pages(report, "prior_authorization")
    # Pharmacy prior approval (Section 5(f)) and mental health precertification (Section 5(e)).
    assert {99, 100, 102, 103} <= _pages(report, "prior_authorization")
    assert {94, 96} <= _pages(report, "prior_authorization")
    # Section 8 "The disputed claims process".
    assert {138, 139, 140, 141, 142} <= _pages(report, "appeals")
    # Section 5(e) Mental health and substance use disorder benefits.
    assert {94, 95, 96, 97} <= _pages(report, "mental_health_coverage")


def test_formulary_names_spravato_on_its_pages(corpus_reports):
    report = corpus_reports["formulary_cvs-caremark_performance-drug-list_2026-07.pdf"]
    assert _pages(report, "ketamine") == {3, 9}
    assert any(w.code == "ENCRYPTED_OWNER" for w in report.warnings)


def test_near_miss_hra_has_no_mental_health_or_network_rules(corpus_reports):
    report = corpus_reports["spd_city-of-cincinnati_integrated-hra.pdf"]
    assert not _pages(report, "mental_health_coverage")
    assert not _pages(report, "prior_authorization")
    assert {6, 7, 8, 9, 10, 11} <= _pages(report, "appeals")


# A drug list's marked rows that stay unread (none now: the Healthfirst list's table font, which has
# no Unicode map, is read by the look of its glyphs; see test_drug_list_in_a_font_without_unicode_map_*).
KNOWN_MARKER_MISSES: dict[tuple[str, str], set[int]] = {}
CRITERIA_AND_DRUG_LISTS = [
    "pa-criteria_unitedhealthcare_spravato-esketamine-2026-p-2168-11_2026-07.pdf",
    "formulary_cvs-caremark_performance-drug-list_2026-07.pdf",
    "formulary_healthfirst_ny-comprehensive-drug-list_2025.pdf",
]


@pytest.mark.parametrize("name", CRITERIA_AND_DRUG_LISTS)
def test_criteria_and_drug_lists_state_prior_authorization_and_step_therapy_on_every_labeled_page(name, corpus_reports):
    # Issue 12's bar: on criteria documents and drug lists, prior authorization and step therapy are
    # found on every page that states them (tests/gold, labeled by reading), and each finding the
    # document's kind made names its drug (a criteria document's subject, a marked row's drug or class).
    report = corpus_reports[name]
    gold = GOLD_DOCUMENTS[name]
    for concern in ("prior_authorization", "step_therapy"):
        missed = set(gold.positives[concern]) - _pages(report, concern)
        known = KNOWN_MARKER_MISSES.get((name, concern), set())
        # A recorded miss is held exactly: finding it fails this test until the entry is removed.
        assert missed == known, f"{name} {concern}: pages {sorted(missed)} not found (recorded: {sorted(known)})"
    for finding in report.findings:
        if finding.method.startswith("kind") and finding.concern in ("prior_authorization", "step_therapy"):
            assert finding.section and re.search(r"[A-Za-z]{3}", finding.section), finding


HEALTHFIRST = "formulary_healthfirst_ny-comprehensive-drug-list_2025.pdf"


def test_drug_list_in_a_font_without_unicode_map_is_read_by_the_look_of_its_glyphs(corpus_documents, corpus_reports):
    # The Healthfirst list's table font (Cambria, embedded with glyph numbers for codes, no ToUnicode,
    # no cmap, no glyph names) printed its tiers, brand names and Requirements/Limits column in
    # words nobody's text layer had. Read off the rendered pages (pdftoppm -r 100): the rows below.
    document = corpus_documents[HEALTHFIRST]
    rows = {
        30: ["bexarotene cap 75 mg 3 PA", "ZOLINZA CAP 100MG 3 PA", "QL (20 packets every 5 days)"],
        47: ["amitriptyline hcl tab 75 mg 1 PA; High strength requires", "QL applies to members age"],
        50: ["nortriptyline hcl cap 75 mg 1 PA; High strength requires", "QL (60 caps every 30 days)"],
        # a page whose text was under half readable: before, OCR of the whole page
        29: ["sunitinib malate cap 12.5 mg (base equivalent) 3 PA", "SPRYCEL TAB 140MG 3 PA"],
    }
    for page, expected in rows.items():
        text = " ".join(document.page_text(page).split())
        for row in expected:
            assert row in text, (page, row)
    report = corpus_reports[HEALTHFIRST]
    read_by_look = {w.page for w in report.warnings if w.code == "GLYPHS_READ"}
    assert {29, 30, 47, 50} <= read_by_look
    assert not any(w.code == "OCR_USED" and w.page in rows for w in report.warnings)
    # Each of those pages' prior-authorization findings quotes a marked row (its drug named).
    for page in rows:
        quotes = [f.quote for f in report.findings if f.page == page and f.concern == "prior_authorization"]
        assert any(re.search(r"\bPA\b", quote) and re.search(r"[a-z]{4,} .*\d", quote, re.I) for quote in quotes), (page, quotes)


MOLINA = "medical-policy_molina_genetic-testing-mcp-051_2025.pdf"


def test_a_policy_disclaimer_and_its_date_lines_are_not_read_as_rules_or_sections(corpus_reports):
    # Molina MCP-051 p.1: its DISCLAIMER says what such policies do ("whether certain services or
    # supplies are medically necessary, experimental, investigational") and declares nothing
    # (tests/gold: p.1 negative); "Last Approval: 02/12/2025" is a date line, not a section.
    report = corpus_reports[MOLINA]
    assert not [f for f in report.findings if f.page == 1 and f.concern in ("experimental_exclusion", "prior_authorization")]
    assert not [f for f in report.findings if f.section and re.search(r"\d{1,2}/\d{1,2}/\d{2,4}", f.section)]
    # The policy's own exclusion is still found (gold p.4).
    assert 4 in _pages(report, "experimental_exclusion")
