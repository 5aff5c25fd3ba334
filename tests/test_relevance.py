"""A concern's quotes come best answer first: a benefit row or a statement of the rule before a
passing mention, and the one-line answer starts from the best of them."""

from __future__ import annotations

import pytest

from conftest import CORPUS, needs_corpus

FEHB = "plan-brochure_fehb_bcbs-fep-blue-standard-basic_2026.pdf"


def _finding(quote: str, page: int, rule: str = "mental_health_coverage.benefit"):
    from ketcover.model import Finding

    return Finding("mental_health_coverage", rule, page, quote, None, "affirms", 1.0, "pattern", answer="covered")


def test_a_cost_statement_outranks_a_rule_which_outranks_a_mention():
    from ketcover.summary import ranked

    mention = _finding("Telehealth visits for behavioral health counseling are available by phone.", 20)
    rule = _finding("We cover inpatient mental health care when it is medically necessary.", 30)
    cost = _finding("Mental health office visits: $30 copay per visit.", 90)
    question = _finding("Do you need mental health services?", 10)
    assert ranked([question, mention, rule, cost]) == [cost, rule, mention, question]


@pytest.fixture(scope="module")
def fehb_report(compiled_rules):
    if not CORPUS.is_dir():
        pytest.skip("corpus absent")
    from ketcover.analyze import report_for_document
    from ketcover.isolation import extract_isolated

    return report_for_document(extract_isolated(CORPUS / FEHB), compiled_rules, FEHB)


@needs_corpus
def test_the_fehb_brochure_leads_mental_health_with_its_cost_sharing(fehb_report):
    from ketcover.render.report_markdown import render_markdown
    from ketcover.render.report_text import render_text

    text = render_text([fehb_report])
    section = text[text.index("Mental health coverage:"):]
    first_quote = section.split("\n")[2]
    # p. 94: "Cost-sharing and limitations for In-Network (Preferred) and Out-of-Network
    # (Non-preferred) mental health and substance use disorder benefits are no greater than ..."
    assert "p. 94" in first_quote and "Cost-sharing" in first_quote, first_quote
    markdown = render_markdown([fehb_report])
    first_md = markdown[markdown.index("### Mental health coverage"):].split("\n")[2]
    assert "Cost-sharing" in first_md, first_md
    summary = next(s for s in fehb_report.summary if s.concern == "mental_health_coverage")
    # The one-line answer leads with the cost sharing itself, read from the brochure's benefit table
    # since costs are read beyond SBCs (p. 95), for each option it names: one option's copay alone
    # would read as the plan's.
    assert summary.answer.startswith(
        "covered: outpatient mental health: Basic Option, In network: $35 copayment per visit"), summary.answer
    assert "Standard Option, In network: $30 copayment per visit" in summary.answer, summary.answer
    assert "(p. 95)" in summary.answer.split(";")[0], summary.answer


def test_a_heading_alone_comes_after_the_statements_under_it():
    # A criteria document's headings ("Initial Authorization") are findings of their concern, but a
    # patient's first quote should state something: "Spravato will be approved based on ...".
    from ketcover.summary import ranked

    heading = _finding("Initial Authorization", 1, rule="prior_authorization.named")
    statement = _finding("Spravato will be approved based on all of the following criteria", 2)
    lead_in = _finding("Prior authorization is needed for:", 3)
    assert ranked([heading, statement, lead_in]) == [statement, lead_in, heading]
