"""Real insurer wording from outside the development corpus: recall and false hits per concern.

Each sentence of tests/wording/*.yaml is read as a one-page document (cleaned as an extracted
PDF page is) and the concerns found are compared with the labels. The floors below are what the
rule set reached when the sets were added (five rounds, 2026-11-27); a rule change that loses any of it fails.
Round six (tests/wording/round6_*.yaml, 2026-12-06) is first-contact data: sentences the rules were never
tuned on, with polarity labels. Its files are checked for labels here but kept out of the floors, and
scored separately (`python tools/wording_first_contact.py`).
Run `python tests/test_wording.py` for the table and every miss and false hit.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import yaml

from conftest import WORDING

# Files whose sentences the rules have not been tuned on yet: scored and printed, no floors.
FIRST_CONTACT_PREFIX = "round6_"
POLAR = {"mental_health_coverage", "experimental_exclusion", "prior_authorization", "step_therapy"}
POLARITIES = {"affirms", "negates", "both"}


def _load(first_contact: bool) -> list[dict]:
    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(WORDING.glob("*.yaml"))
            if path.name.startswith(FIRST_CONTACT_PREFIX) == first_contact]


SETS = _load(first_contact=False)
FIRST_CONTACT = _load(first_contact=True)
# concern: (least recall, most false hits) over both sets
FLOORS = {
    "experimental_exclusion": (0.89, 15),
    "prior_authorization": (0.92, 9),
    "step_therapy": (0.85, 4),
    "off_label": (0.87, 2),
    "appeals": (0.91, 32),
    "mental_health_coverage": (0.86, 17),
    "network": (0.86, 10),
    "ketamine": (0.98, 0),
    "billing_codes": (0.95, 0),
}


def score(compiled, sets=SETS) -> dict[str, dict]:
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings
    from ketcover.normalize import normalize_page_text

    results: dict[str, dict] = {}
    for data in sets:
        for sentence in data["sentences"]:
            found = {f.concern for f in find_findings(example_document(normalize_page_text(sentence["text"])), compiled)}
            for concern in data["concerns"]:
                entry = results.setdefault(concern, {"expected": 0, "found": 0, "misses": [], "false_hits": []})
                if concern in sentence["expected"]:
                    entry["expected"] += 1
                    if concern in found:
                        entry["found"] += 1
                    else:
                        entry["misses"].append(sentence["text"])
                elif concern in found:
                    entry["false_hits"].append(sentence["text"])
    return results


def test_sets_are_labeled_and_sourced():
    assert SETS and FIRST_CONTACT
    for data in SETS + FIRST_CONTACT:
        for sentence in data["sentences"]:
            assert sentence["text"].strip() and sentence["source"].strip(), sentence
            assert set(sentence["expected"]) <= set(data["concerns"]), sentence


def test_polarity_labels_name_expected_polar_concerns():
    """`polarity` (round six on) says, per polar concern the sentence holds, affirms / negates / both."""
    for data in SETS + FIRST_CONTACT:
        for sentence in data["sentences"]:
            polarity = sentence.get("polarity", {})
            assert set(polarity) <= set(sentence["expected"]) & POLAR, sentence
            assert set(polarity.values()) <= POLARITIES, sentence
    for data in FIRST_CONTACT:
        for sentence in data["sentences"]:
            assert set(sentence.get("polarity", {})) == set(sentence["expected"]) & POLAR, sentence


@pytest.fixture(scope="module")
def wording_scores(compiled_rules):
    return score(compiled_rules)


@pytest.mark.parametrize("concern", sorted(FLOORS))
def test_recall_and_false_hits_hold(concern, wording_scores):
    entry = wording_scores[concern]
    least_recall, most_false_hits = FLOORS[concern]
    recall = entry["found"] / entry["expected"]
    assert recall >= least_recall, f"{concern}: recall {recall:.2f} < {least_recall}; misses: {entry['misses']}"
    assert len(entry["false_hits"]) <= most_false_hits, f"{concern}: false hits {entry['false_hits']}"


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from ketcover.analyze import compile_rules

    compiled = compile_rules()
    for title, sets in (("rounds 1-5 (floors)", SETS), ("round 6, first contact (no floors)", FIRST_CONTACT)):
        scores = score(compiled, sets)
        print(title)
        print(f"{'concern':24} {'sentences':>9} {'found':>6} {'recall':>7} {'false hits':>10}")
        for concern, entry in scores.items():
            print(f"{concern:24} {entry['expected']:9} {entry['found']:6} {entry['found'] / entry['expected']:7.2f} "
                  f"{len(entry['false_hits']):10}")
        for concern, entry in scores.items():
            for text in entry["misses"]:
                print(f"MISS {concern}: {text!r}")
            for text in entry["false_hits"]:
                print(f"FALSE HIT {concern}: {text!r}")
