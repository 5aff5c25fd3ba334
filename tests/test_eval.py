"""Accuracy on the labeled real corpus, per gold set, must not fall below the floors in tests/eval_floors.yaml.

Every gold file names its set (`set:` key). `development` holds the 14 documents the rules were
developed on; `second_batch` holds documents added later, whose floors are the figures measured at
first contact (tests/gold/first_contact.md). A concern without gold positives in a set is held to a
false-hit cap instead of precision and recall.
"""

from __future__ import annotations

from functools import cache

import pytest
import yaml

from ketcover import CONCERNS
from ketcover.evaluate import Evaluation, GoldDocument, Score, load_gold, score_report

from conftest import GOLD, ROOT, needs_corpus

FLOORS = yaml.safe_load((ROOT / "tests" / "eval_floors.yaml").read_text())
FLOOR_CASES = [(set_name, concern) for set_name in FLOORS for concern in CONCERNS]


@cache
def gold_set_names() -> dict[str, str]:
    """Gold file's document name -> the set its `set:` key names."""
    names = {}
    for path in sorted(GOLD.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        names[raw["document"]] = raw.get("set")
    return names


@cache
def golds_by_set() -> dict[str, list[GoldDocument]]:
    names = gold_set_names()
    sets: dict[str, list[GoldDocument]] = {name: [] for name in FLOORS}
    for gold in load_gold(GOLD):
        sets.setdefault(names[gold.document], []).append(gold)
    return sets


def test_gold_files_are_complete_and_quote_their_evidence():
    golds = load_gold(GOLD)
    assert len(golds) >= 14
    for gold in golds:
        for concern in CONCERNS:
            for page, quote in gold.positives[concern].items():
                assert 1 <= page <= gold.pages and quote.strip(), (gold.document, concern, page)
            assert not set(gold.positives[concern]) & gold.negatives[concern], (gold.document, concern)


def test_every_gold_file_names_a_set_with_floors():
    unknown = {doc: name for doc, name in gold_set_names().items() if name not in FLOORS}
    assert not unknown, f"gold files whose `set:` has no block in tests/eval_floors.yaml: {unknown}"


def test_development_set_is_the_original_fourteen():
    # The development floors were measured on exactly these documents; new documents join another set.
    assert len(golds_by_set()["development"]) == 14


def test_floors_cover_every_concern_of_every_set():
    for set_name, floors in FLOORS.items():
        assert set(floors) == set(CONCERNS), set_name


@pytest.mark.parametrize(("set_name", "concern"), FLOOR_CASES)
def test_floor_kind_matches_the_labels(set_name, concern):
    # precision/recall where the set has positives for the concern, a false-hit cap where it has none.
    has_positives = any(gold.positives[concern] for gold in golds_by_set()[set_name])
    floor = FLOORS[set_name][concern]
    if has_positives:
        assert {"precision", "recall"} <= set(floor), (set_name, concern, floor)
    else:
        assert set(floor) == {"max_false_hits"}, (set_name, concern, floor)


@pytest.fixture(scope="module")
def evaluations(corpus_documents, corpus_reports) -> dict[str, Evaluation]:
    results = {}
    for set_name, golds in golds_by_set().items():
        result = Evaluation({c: Score() for c in CONCERNS})
        for gold in golds:
            if gold.document not in corpus_reports:
                result.errors.append(f"{gold.document}: could not be read")
                continue
            score_report(gold, corpus_reports[gold.document], corpus_documents[gold.document], result)
        results[set_name] = result
    return results


@needs_corpus
def test_every_labeled_document_was_scored(evaluations):
    # A labeled document that cannot be read would leave its pages out of the figures below.
    assert [e for evaluation in evaluations.values() for e in evaluation.errors] == []


@needs_corpus
def test_citation_integrity_is_total(evaluations):
    checked = sum(e.quotes_checked for e in evaluations.values())
    assert checked > 1000
    for set_name, evaluation in evaluations.items():
        assert evaluation.quotes_verbatim == evaluation.quotes_checked, set_name


@needs_corpus
def test_gold_evidence_is_on_the_labeled_pages(evaluations):
    problems = [p for e in evaluations.values() for p in e.gold_evidence_problems]
    assert problems == []


@needs_corpus
@pytest.mark.parametrize(("set_name", "concern"), FLOOR_CASES)
def test_concern_stays_above_its_floor(evaluations, set_name, concern):
    score = evaluations[set_name].scores[concern]
    floor = FLOORS[set_name][concern]
    if "max_false_hits" in floor:
        assert score.fp <= floor["max_false_hits"], f"{set_name} {concern}: {score.fp} false hits; wrongly flagged: {score.wrong}"
        return
    assert (score.precision or 0) >= floor["precision"], f"{set_name} {concern} precision {score.precision}; wrongly flagged: {score.wrong}"
    assert (score.recall or 0) >= floor["recall"], f"{set_name} {concern} recall {score.recall}; missed: {score.missed}"


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



def test_by_kind_marks_kinds_where_the_engine_finds_fewer_pages_than_the_keywords(compiled_rules):
    """Issue 11: recall never below the keyword search's on any document kind. Per kind (the gold
    file's name's first part, or its `kind:`), the engine's page recall beside the keywords', and a
    `<` on a row where the keywords find a relevant page the engine does not."""
    from ketcover.analyze import report_for_document
    from ketcover.evaluate import GoldDocument, render_evaluation
    from ketcover.structure import assemble_document

    # p.2 holds the keyword ("prior approval") in a contents line; labeled relevant here on purpose,
    # so the keyword search finds a page the engine (which sets contents lines aside) does not.
    pages = ["Preauthorization is required for inpatient stays.",
             "Contents\nPrior approval ........................ 12\nAppeals ........................ 14"]
    document = assemble_document("<test>", "", pages, ["text"] * 2, [])
    empty = {c: {} for c in CONCERNS}
    positives = {**empty, "prior_authorization": {1: "Preauthorization is required", 2: "Prior approval"}}
    keywords = {c.name: c.keyword_search for c in compiled_rules.ruleset.concerns}
    result = Evaluation({c: Score() for c in CONCERNS})
    for stem, kind in (("spd_a", ""), ("other_b", "sbc")):
        gold = GoldDocument(f"{stem}.pdf", 2, True, positives, {c: set() for c in CONCERNS}, kind or "spd")
        score_report(gold, report_for_document(document, compiled_rules, f"{stem}.pdf"), document, result, keywords)
    engine, baseline = result.by_kind[("spd", "prior_authorization")]
    assert (engine.tp, engine.fn, baseline.tp, baseline.fn) == (1, 1, 2, 0)
    assert ("sbc", "prior_authorization") in result.by_kind
    table = render_evaluation(result, details=False, by_kind=True)
    assert "| spd | prior_authorization | 2 | 0.500 | 1.000 | 1.000 | 1.000 | < |" in table
    assert "Engine recall below the keyword search's on 2 (kind, concern) rows." in table
    assert "By document kind" not in render_evaluation(result, details=False)


def test_gold_kind_comes_from_the_file_name_unless_stated(tmp_path):
    from ketcover.evaluate import load_gold

    for name, extra in (("sbc_x_2025", ""), ("spd_y", "kind: evidence-of-coverage\n")):
        (tmp_path / f"{name}.yaml").write_text(f"document: {name}.pdf\npages: 1\n{extra}", encoding="utf-8")
    assert [g.kind for g in load_gold(tmp_path)] == ["sbc", "evidence-of-coverage"]

def _bank_folder(tmp_path, sentences):
    folder = tmp_path / "bank"
    folder.mkdir()
    data = {"concerns": ["prior_authorization", "appeals"], "sentences": sentences}
    (folder / "round_x.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    return folder


def test_bank_scores_engine_keywords_and_polarity_per_concern(tmp_path, compiled_rules):
    """The bank's sentences are scored as reports show them (rules and decided candidates), beside
    a keyword search of the same text; polarity is right only where the engine's answer is the label."""
    from ketcover.bank import score_bank

    source = "https://example.org/a (A)"
    folder = _bank_folder(tmp_path, [
        {"text": "Prior authorization is required for Spravato.", "source": source, "expected": ["prior_authorization"]},
        {"text": "Prior authorization is not required for office visits.", "source": source,
         "expected": ["prior_authorization"], "polarity": {"prior_authorization": "negates"}},
        {"text": "Prior authorization is not required, except for Spravato, which requires prior authorization.",
         "source": source, "expected": ["prior_authorization"], "polarity": {"prior_authorization": "affirms"}},
        {"text": "The PA will see you after the nurse.", "source": source, "expected": []},
        {"text": "You may file an appeal within 180 days of the denial.", "source": source, "expected": ["appeals"]},
    ])
    scores = score_bank(folder, compiled_rules, split=None)
    pa, appeals = scores["prior_authorization"], scores["appeals"]
    assert (pa.positives, pa.found, pa.negatives, pa.false_hits) == (3, 3, 2, 0)
    assert pa.keyword_found == 3
    # The third is labeled affirms on purpose: the engine says both, so it is counted wrong.
    assert (pa.polar_labeled, pa.polar_found, pa.polar_right) == (3, 3, 2)
    assert pa.wrong_polarity and pa.wrong_polarity[0].startswith("[affirms -> both]")
    assert (appeals.positives, appeals.found, appeals.negatives) == (1, 1, 4)


def test_eval_lists_wrong_polarity_sentences_except_on_the_test_split():
    """The test split is for reporting only: eval prints how many of its sentences are wrong, never
    which, so nobody reading the output tunes on them; other splits list them to work from."""
    from ketcover.bank import BankScore
    from ketcover.evaluate import Evaluation, render_evaluation

    sentence = "[negates -> affirms] Mental health services are not covered under this plan."
    for split, listed in (("train", True), ("validation", True), ("test", False)):
        bank = {"mental_health_coverage": BankScore(positives=1, found=1, polar_labeled=1, polar_found=1,
                                                     wrong_polarity=[sentence])}
        text = render_evaluation(Evaluation(scores={}, bank=bank, bank_split=split))
        assert (sentence in text) is listed, split
        assert ("polarity wrong on 1 test sentences" in text) is (not listed), split


def test_bank_split_is_by_source_document(tmp_path, compiled_rules):
    from ketcover.bank import score_bank, wording_split

    sources = [f"https://example.org/{n} (doc {n})" for n in range(40)]
    test_sources = [s for s in sources if wording_split(s) == "test"]
    assert test_sources and len(test_sources) < len(sources)
    folder = _bank_folder(tmp_path, [{"text": "An appeal is a request to reconsider a denied claim.", "source": s,
                                      "expected": ["appeals"]} for s in sources])
    assert score_bank(folder, compiled_rules, split="test")["appeals"].positives == len(test_sources)
    assert score_bank(folder, compiled_rules, split=None)["appeals"].positives == len(sources)


@needs_corpus
def test_eval_prints_the_bank_split_beside_the_gold(tmp_path):
    import subprocess
    import sys

    from conftest import CORPUS, WORDING

    import shutil

    # One short gold document: the whole gold set is scored by test_eval_command_prints_the_table.
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copy(min(GOLD.glob("*.yaml"), key=lambda p: yaml.safe_load(p.read_text(encoding="utf-8"))["pages"]), gold)
    result = subprocess.run([sys.executable, "-m", "ketcover", "eval", str(gold), "--corpus", str(CORPUS), "--no-details",
                             "--bank", str(WORDING), "--split", "test"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "| concern | gold P | gold R | keyword gold P | keyword gold R | test sentences (+/-) |" in result.stdout
    assert "Polarity right on the test split:" in result.stdout
    bad = subprocess.run([sys.executable, "-m", "ketcover", "eval", str(gold), "--corpus", str(CORPUS), "--split", "tset"],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode != 0 and "--split must be one of" in bad.stderr + bad.stdout and "Traceback" not in bad.stderr
