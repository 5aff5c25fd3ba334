"""tools/train_classifier.py learns from the sentence bank's train split only, with the labels its files give, and trains a real, reproducible model."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import train_classifier  # noqa: E402

from conftest import wording_sets  # noqa: E402


def test_training_sentences_are_the_train_split_with_their_files_labels():
    from ketcover.normalize import normalize_page_text

    expected = {}
    held_out = set()
    for data in wording_sets():
        for sentence in data["sentences"]:
            text = normalize_page_text(sentence["text"])
            if sentence["split"] == "train":
                expected.setdefault(text, []).append({c: float(c in sentence["expected"]) for c in data["concerns"]})
            else:
                held_out.add(text)
    examples = train_classifier.bank_examples("train")
    assert examples and len(examples) == sum(len(v) for v in expected.values())
    for text, cats in examples:
        assert cats in expected[text]  # 1 or 0 for the file's concerns, nothing for the others (missing)
    # A sentence repeated in a held-out document would leak it into training; none is.
    assert not held_out & {text for text, _cats in examples}


def test_a_small_model_trains_and_scores_every_concern(tmp_path):
    from ketcover import CONCERNS

    examples = train_classifier.bank_examples("train")
    positives = [e for e in examples if e[1].get("step_therapy") == 1.0][:30]
    negatives = [e for e in examples if e[1].get("step_therapy") == 0.0][:30]
    texts = ["You must try and fail two preferred drugs before this drug is covered.",
             "The office is closed on public holidays."]
    runs = []
    for run in ("first", "second"):  # the same data and seed give the same model
        nlp = train_classifier.train(positives + negatives, "bow", epochs=8)
        nlp.to_disk(tmp_path / run)
        runs.append(list(train_classifier.PassageClassifier(tmp_path / run).scores(texts)))
    scores = runs[0]
    assert set(scores[0]) == set(CONCERNS)
    assert scores[0]["step_therapy"] > scores[1]["step_therapy"]
    assert runs[0] == runs[1]


def test_the_cheap_placement_is_the_keyword_passages_no_finding_quotes(compiled_rules):
    """tools/model_trial.py's cheap placement: a passage that holds a concern's keywords and that
    no finding quotes is scored; a passage a finding quotes, or one with no keyword, is not."""
    import model_trial
    from ketcover.analyze import report_for_document
    from ketcover.examples import example_document
    from ketcover.structure import split_passages

    document = example_document(
        "Prior authorization is required for Spravato.\n\n"
        "We may use your protected health information for health care operations such as utilization review.\n\n"
        "The office is closed on public holidays.")
    report = report_for_document(document, compiled_rules)
    passages = split_passages(document.text, {h.offset for h in document.headings})
    quiet = model_trial.quiet_keyword_passages(document, report, compiled_rules, passages)
    assert [document.text[passages[i].start:passages[i].end] for i in quiet] == [
        "We may use your protected health information for health care operations such as utilization review."]


def test_extracted_documents_are_cached_per_version_of_the_reader(tmp_path, monkeypatch):
    """A document pickled by another version of the package's code is never reused (the trial of
    2026-12-06 found a /tmp cache eight hours and a dozen reader changes old)."""
    first = train_classifier._cached_path(Path("x.pdf"))
    assert first.parent.name == train_classifier._reader_version() and first.name == "x.pickle"
    package = tmp_path / "ketcover"
    package.mkdir()
    (package / "pdf.py").write_text("A = 1\n")
    monkeypatch.setattr(train_classifier, "ROOT", tmp_path)
    train_classifier._reader_version.cache_clear()
    before = train_classifier._reader_version()
    (package / "pdf.py").write_text("A = 2\n")
    train_classifier._reader_version.cache_clear()
    try:
        assert train_classifier._reader_version() != before
    finally:
        train_classifier._reader_version.cache_clear()


def test_rule_hits_label_only_the_concerns_found_right_or_wrong(monkeypatch):
    """--rule-hits (the twelfth session's verifier): a train sentence counts only for the concerns the
    engine finds in it, 1 where its file expects the concern and 0 where it does not; a held-out
    sentence, and a concern not found, are never labeled."""
    import conftest

    sets = [{"concerns": ["prior_authorization", "appeals"], "sentences": [
        {"text": "Prior authorization is required for Spravato.", "expected": ["prior_authorization"], "split": "train"},
        {"text": "Prior authorization requests are processed by our vendor.", "expected": [], "split": "train"},
        {"text": "Prior authorization is required for TMS.", "expected": ["prior_authorization"], "split": "validation"},
        {"text": "The office is closed on public holidays.", "expected": [], "split": "train"},
    ]}]
    monkeypatch.setattr(conftest, "wording_sets", lambda: sets)
    examples = dict(train_classifier.rule_hit_examples("train"))
    assert examples["Prior authorization is required for Spravato."] == {"prior_authorization": 1.0}
    assert "Prior authorization is required for TMS." not in examples  # validation: never read
    assert "The office is closed on public holidays." not in examples  # nothing found: nothing learned
    assert set(examples) <= {s["text"] for s in sets[0]["sentences"] if s["split"] == "train"}
    for cats in examples.values():
        assert set(cats) == {"prior_authorization"}  # appeals is not found, so never labeled
    # --with-keywords: a sentence holding the concern's keywords is labeled whether or not a rule found it
    with_keywords = dict(train_classifier.rule_hit_examples("train", keywords=True))
    assert with_keywords["Prior authorization requests are processed by our vendor."] == {"prior_authorization": 0.0}
    assert "The office is closed on public holidays." not in with_keywords


def test_the_precision_filter_sets_aside_findings_below_the_threshold(compiled_rules):
    """tools/model_precision_trial.py: each finding is scored on the passage holding it, for its own
    concern; below t it is set aside, at or above t it stays; --only-rules leaves keyword findings."""
    import model_precision_trial as trial
    from ketcover.analyze import report_for_document
    from ketcover.examples import example_document

    class Fixed:
        def scores(self, texts):
            for text in texts:
                yield {"prior_authorization": 0.3 if "Spravato" in text else 0.9}

    document = example_document("Prior authorization is required for Spravato.\n\n"
                                "Prior authorization is required for inpatient stays.")
    findings = [f for f in report_for_document(document, compiled_rules).findings if f.concern == "prior_authorization"]
    assert len(findings) == 2
    scores = trial.finding_scores(document, findings, Fixed(), "passage")
    assert sorted(scores) == [0.3, 0.9]
    assert [f.quote for f in trial.kept_by(findings, scores, 0.5, False)] == [
        f.quote for f, s in zip(findings, scores) if s == 0.9]
    assert trial.kept_by(findings, scores, 0.3, False) == findings
    keyword = [f.__class__(**{**f.__dict__, "method": "keyword"}) for f in findings]
    assert trial.kept_by(keyword, scores, 0.5, True) == keyword


def test_the_best_cut_counts_false_hits_set_aside_for_at_most_k_true_hits_lost():
    """model_precision_trial's upper bound: the single threshold that sets aside the most false hits
    while losing at most k of the found true hits."""
    import model_precision_trial as trial

    pairs = [(0.9, True), (0.05, False), (0.1, False), (0.2, True), (0.3, False)]
    rows = {"appeals": {0.0: {"tp": 2, "fn": 1, "fp": 3}}}
    table = trial.render_best_cut({"appeals": pairs}, rows, "t").splitlines()[-1]
    # k=0: below 0.2 (two false hits); k=1: below 0.9 (all three, the 0.2 true hit lost)
    assert table.startswith("| appeals | 3 | 3 | 2 (t<0.2) | 3 (t<0.9) |")
