"""Accuracy on the labeled real corpus must not fall below the floors in tests/eval_floors.yaml."""

from __future__ import annotations

import pytest
import yaml

from ketcover import CONCERNS
from ketcover.evaluate import Evaluation, Score, load_gold, score_report

from conftest import GOLD, ROOT, needs_corpus

FLOORS = yaml.safe_load((ROOT / "tests" / "eval_floors.yaml").read_text())


def test_gold_files_are_complete_and_quote_their_evidence():
    golds = load_gold(GOLD)
    assert len(golds) >= 14
    for gold in golds:
        for concern in CONCERNS:
            for page, quote in gold.positives[concern].items():
                assert 1 <= page <= gold.pages and quote.strip(), (gold.document, concern, page)
            assert not set(gold.positives[concern]) & gold.negatives[concern], (gold.document, concern)


def test_floors_cover_every_concern():
    assert set(FLOORS) == set(CONCERNS)


@pytest.fixture(scope="module")
def evaluation(corpus_documents, corpus_reports):
    result = Evaluation({c: Score() for c in CONCERNS})
    for gold in load_gold(GOLD):
        score_report(gold, corpus_reports[gold.document], corpus_documents[gold.document], result)
    return result


@needs_corpus
def test_citation_integrity_is_total(evaluation):
    assert evaluation.quotes_checked > 1000
    assert evaluation.quotes_verbatim == evaluation.quotes_checked


@needs_corpus
def test_gold_evidence_is_on_the_labeled_pages(evaluation):
    assert evaluation.gold_evidence_problems == []


@needs_corpus
@pytest.mark.parametrize("concern", CONCERNS)
def test_concern_stays_above_its_floor(evaluation, concern):
    score = evaluation.scores[concern]
    floor = FLOORS[concern]
    assert (score.precision or 0) >= floor["precision"], f"{concern} precision {score.precision}; wrongly flagged: {score.wrong}"
    assert (score.recall or 0) >= floor["recall"], f"{concern} recall {score.recall}; missed: {score.missed}"


@needs_corpus
def test_eval_command_prints_the_table(tmp_path):
    import subprocess
    import sys

    from conftest import CORPUS

    result = subprocess.run([sys.executable, "-m", "ketcover", "eval", str(GOLD), "--corpus", str(CORPUS), "--no-details"],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "| prior_authorization |" in result.stdout and "Citation integrity:" in result.stdout


def test_keyword_baseline_is_scored_on_the_same_pages(compiled_rules):
    """A page is flagged by the baseline when its text matches the concern's keywords; scored
    against the same gold as the engine, side by side in the rendered table."""
    from ketcover.analyze import report_for_document
    from ketcover.evaluate import GoldDocument, render_evaluation
    from ketcover.structure import assemble_document

    pages = ["Preauthorization is required for inpatient stays.",
             "Contents\nPrior Authorization ........................ 12\nAppeals ........................ 14",
             "Your authorized representative may file for you."]
    document = assemble_document("<test>", "", pages, ["text"] * 3, [])
    empty = {c: {} for c in CONCERNS}
    gold = GoldDocument("test.pdf", 3, True, {**empty, "prior_authorization": {1: "Preauthorization is required"}},
                        {c: set() for c in CONCERNS})
    result = Evaluation({c: Score() for c in CONCERNS})
    keywords = {c.name: c.keyword_search for c in compiled_rules.ruleset.concerns}
    score_report(gold, report_for_document(document, compiled_rules, "test.pdf"), document, result, keywords)
    baseline = result.baseline["prior_authorization"]
    assert (baseline.tp, baseline.fp, baseline.fn) == (1, 1, 0)  # p.2: a contents line
    table = render_evaluation(result, details=False)
    assert "keyword precision | keyword recall |" in table
    assert "| prior_authorization | 1.000 | 1.000 | 1.000 | 1 | 0 | 0 | 0.500 | 1.000 | 0.667 | 1 | 1 | 0 |" in table
