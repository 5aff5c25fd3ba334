"""Per-page text clean-up: hyphenation, ligatures, odd spaces and hyphens, repeated margins, structure."""

from __future__ import annotations

import pytest

from ketcover.normalize import normalize_page_text, running_lines, split_margins, states_something, text_quality
from ketcover.structure import assemble_document
from ketcover.structure import find_headings, split_passages


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("pre-\nauthorization", "pre-authorization"),  # a prefix that keeps its hyphen
        ("investi-\ngational", "investigational"),  # plain hyphenation
        ("Calen\ufffedar", "Calendar"),  # pypdfium2's soft break marker
        ("the in\ufffenetwork rate", "the in-network rate"),  # pypdfium2 dropped a real hyphen
        ("Out-of\ufffeNetwork", "Out-of-Network"),
        ("a lower-\ncost drug, a lower-cost one", "a lower-cost drug, a lower-cost one"),  # evidence on the page
        ("in-\nsurance for insurance", "insurance for insurance"),
        ("\ufb01le a claim", "file a claim"),  # ligature
        ("soft\u00adhyphen", "softhyphen"),
        ("out\u2011of\u2011network", "out-of-network"),  # non-breaking hyphens print as "-"
        ("copay\u00a0$30\r\nnext", "copay $30\nnext"),
    ],
)
def test_normalize_page_text(raw, clean):
    assert normalize_page_text(raw) == clean


def test_repeated_margins_are_set_aside_and_chapters_kept():
    bodies = ["Covered services.", "Exclusions apply.", "Appeals within 180 days.", "Network rules.", "Claims."]
    pages = [f"Page {n} of 5\n{body}\nMore text about {body.lower()}\nAcme Health Plan 2026" for n, body in enumerate(bodies, 1)]
    split = split_margins(pages)
    stripped = [kept for kept, _margin in split]
    assert stripped[0] == "Covered services.\nMore text about covered services."
    assert all("Page" not in p and "Acme Health Plan" not in p for p in stripped)
    assert split[2][1] == ("Page 3 of 5", "Acme Health Plan 2026")  # set aside, not lost
    pages = [f"Effective 1/1/25 The Dental Plan {n}\nText {n}" for n in range(10, 14)] + ["Other chapter\nText"]
    assert running_lines(pages)[:4] == [f"Effective 1/1/25 The Dental Plan {n}" for n in range(10, 14)]
    assert running_lines(pages)[4] is None


LEGEND = "Drugs marked with an asterisk (*) require prior authorization."


def test_a_legend_repeated_on_every_page_stays_content():
    drugs = ["ABILIFY", "BUPROPION", "CITALOPRAM", "DULOXETINE", "ESCITALOPRAM", "FLUOXETINE", "SPRAVATO"]
    pages = [f"Drug List 2026\n{drugs[n]}* tier 2\n{drugs[n + 1].lower()} tier 1\n{LEGEND}\nPage {n}" for n in range(1, 6)]
    split = split_margins(pages)
    assert all(kept.endswith(LEGEND) for kept, _margin in split)
    assert split[0][1] == ("Drug List 2026", "Page 1")


def test_a_short_notice_whose_pages_repeat_is_never_emptied():
    clauses = ["Your request for esketamine was denied.", "You may appeal within 180 days.", "Call us at 1-800-555-0100 for help."]
    pages = ["\n".join(clauses) for _ in range(4)]
    assert [kept for kept, _margin in split_margins(pages)] == pages
    # Nothing but short repeated lines ("Original page 3"): setting them aside would empty the page.
    pages = [f"Original page {n}" for n in range(1, 12)]
    assert split_margins(pages) == [(page, ()) for page in pages]


@pytest.mark.parametrize("line,statement", [
    ("Page 3 of 40", False), ("Acme Health Plan 2026", False), ("2026 Service Benefit Plan 92 Section 5(e)", False),
    ("Summary of Benefits and Coverage: What this Plan Covers & What You Pay for Covered Services", False),
    ("Prior authorization required.", True), (LEGEND, True), (LEGEND.rstrip("."), True),
    ("Questions? Call 1-800-555-0100 or visit www.example.com.", True),
    ("Proprietary Information of UnitedHealthcare. Copyright 2025 United HealthCare Services, Inc.", False),
    # a browser's print footer: the address's many lower-case parts are not a sentence
    ("https://www.cms.gov/medicare-coverage-database/view/article.aspx?articleId=57528&ver=4 1/12", False),
])
def test_states_something(line, statement):
    assert states_something(line) is statement


def test_text_quality():
    assert text_quality("") == "empty"
    assert text_quality("(cid:12)(cid:13)(cid:14)(cid:15)(cid:16)") == "garbled"
    assert text_quality("Prior authorization is required.") == "ok"


def test_headings_and_passages():
    text = "GENERAL EXCLUSIONS\nWe do not cover:\n• Cosmetic surgery\n• Experimental drugs\n\nWrite to P.O. Box 1234, San Diego CA 92193."
    headings = find_headings(text)
    assert [h.title for h in headings] == ["GENERAL EXCLUSIONS", "We do not cover"]
    passages = [text[p.start:p.end] for p in split_passages(text, {h.offset for h in headings})]
    assert "• Cosmetic surgery" in passages and "• Experimental drugs" in passages
    assert "Write to P.O. Box 1234, San Diego CA 92193." in passages  # an abbreviation ends no sentence


def test_a_date_stamp_is_not_a_heading_a_title_with_a_date_is():
    # The first page of a payer policy: its date lines are fields of the document, not sections
    # (Molina MCP-051 named its findings "Last Approval: 02/12/2025"). Lines as printed in the corpus.
    stamps = ["Last Approval: 02/12/2025", "Next Review Due By: February 2026", "Effective Date: May 1, 2025",
              "Effective 1/1/25", "Coverage Period: 01/01/2025 – 12/31/2025", "Published: 05/16/2024",
              "7/16/26, 7:04 PM"]
    titles = ["Molina Clinical Policy", "Genetic Testing: Policy No. 051", "DISCLAIMER",
              "Model Notice of Adverse Benefit Determination – Revised as of July 3, 2014"]
    headings = find_headings("\n".join(stamps + titles))
    assert [h.title for h in headings] == titles


def test_page_of_is_derived_from_offsets():
    document = assemble_document("x.pdf", "0", ["first page text", "second page", "third"], ["text"] * 3, [])
    assert document.page_of(0) == 1
    assert document.page_of(document.text.index("second")) == 2
    assert document.page_text(3) == "third"
    assert document.page_text(2) == "second page\n"  or document.page_text(2).strip() == "second page"


def test_a_documents_disclaimer_is_its_own_section_a_summarys_plan_disclaimers_are_benefits(compiled_rules):
    # Molina MCP-051 p.1 "DISCLAIMER" (what the policy is for; the member's plan decides) versus the
    # Aetna Medicare summary's "MEDICAL DISCLAIMERS" / "PLAN DISCLAIMERS" (prior approval, network rules).
    classes = compiled_rules.section_classes
    assert classes.classify_heading("DISCLAIMER") == "disclaimers"
    assert classes.classify_heading("MEDICAL DISCLAIMERS") is None
    assert classes.classify_heading("PLAN DISCLAIMERS") is None
    assert "disclaimers" in compiled_rules.ruleset.default_skip_sections


def test_a_repeated_heading_title_is_classified_once_per_document(compiled_rules, monkeypatch):
    """A long document repeats its headings; SectionIndex classifies each distinct title once, with the
    same classes as classifying each heading."""
    from ketcover.sections import SectionClasses, SectionIndex

    pages = ["EXCLUSIONS\nWe do not cover cosmetic surgery.\nAPPEALS\nYou may appeal a denial."] * 4
    document = assemble_document("<test>", "", pages, ["text"] * 4, [])
    classes = compiled_rules.section_classes
    expected = [classes.classify_heading(h.title) for h in document.headings]
    calls = []
    original = SectionClasses.classify_heading

    def counted(self, title):
        calls.append(title)
        return original(self, title)

    monkeypatch.setattr(SectionClasses, "classify_heading", counted)
    index = SectionIndex(document, classes)
    assert len(document.headings) > len(set(h.title for h in document.headings))
    assert sorted(calls) == sorted(set(calls)), "a title classified twice"
    assert [index.at(h.offset)[0] for h in document.headings] == expected


def _reference_normalize(text: str) -> str:
    """normalize_page_text as it was before its fast paths (2026-12-07): every step on every page."""
    from ketcover import normalize as n

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for ligature, plain in n.LIGATURES.items():
        text = text.replace(ligature, plain)
    if n.ODD_CHARACTERS.search(text):
        text = text.translate(n.ODD_SPACES).translate(n.ODD_HYPHENS)
    text = text.replace("\u00ad", "")
    has_break, has_hyphen = "\ufffe" in text, "-\n" in text or "- \n" in text
    if has_break or has_hyphen:
        words = {w.lower() for w in n.PAGE_WORD.findall(text)}
        if has_break:
            text = n.PDFIUM_BREAK.sub(lambda m: n._join_pdfium_break(m, words), text)
        text = n.LINE_HYPHEN.sub(lambda m: n._rejoin(m.group(1), m.group(2), words), text)
    text = n.CONTROL_CHARS.sub("", text)
    text = n.TRAILING_SPACE.sub("\n", text)
    return text.strip("\n ")


def test_fast_paths_clean_as_every_step_does():
    # The skipped steps (no special character, no trailing blank, no hyphen at a line end) and the
    # U+FFFE search started near each break must give what running every step gives.
    import random

    from ketcover.normalize import GARBAGE

    pieces = ["ab", "Zx", " ", "-", "\n", "\t", "\r", ".", "(", "\ufffe", "\ufb01", "\u00a0", "\u2011", "\u00ad",
              "\x02", "\u200b", "\ufeff", "(cid:12)", "\ue000", "\ufffd", "é", "_", "1", "  \n", "-\n", "- \n",
              "-\t \n", "Calen", "dar", "non", "Out-of", "network"]
    rng = random.Random(11)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 24)))
        assert normalize_page_text(text) == _reference_normalize(text), repr(text)
        garbage = sum(len(m.group(0)) for m in GARBAGE.finditer(text))
        expected = "empty" if text_quality(text) == "empty" else ("garbled" if garbage > 0.2 * len(text.strip()) else "ok")
        assert text_quality(text) == expected, repr(text)
