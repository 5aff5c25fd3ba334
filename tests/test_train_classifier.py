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
