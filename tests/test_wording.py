"""Real insurer wording from outside the development corpus: recall and false hits per concern.

Each sentence of tests/wording/*.yaml is read as a one-page document (cleaned as an extracted
PDF page is) and the concerns found are compared with the labels. The floors below are what the
rule set reached when the sets were added (five rounds, 2026-11-27); a rule change that loses any of it fails.
Rounds six to eight (tests/wording/round6_*.yaml to round8_*.yaml, 2026-12-06) are first-contact
data: sentences collected while the engine was being rebuilt, never used to write or tune a rule.
They are checked for labels here, kept out of the floors, and printed as their own table
(`python tests/test_wording.py`).
Run `python tests/test_wording.py` for the table and every miss and false hit.

A sentence with a `lead_in` (the source's line that introduces it) is read below that line, as
its page shows it (ketcover.bank.sentence_page); only findings that quote the sentence count.

Each sentence also carries a polarity per expected concern (`polarity:` in the YAML, absent =
affirms) and a split (train / validation / test, by a hash of its source document's URL:
conftest.wording_split); polarity is scored per split. The test split is for reporting only.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from conftest import first_contact_wording_sets, tuned_wording_sets

POLAR = {"mental_health_coverage", "experimental_exclusion", "prior_authorization", "step_therapy"}
SETS = tuned_wording_sets()
FIRST_CONTACT = first_contact_wording_sets()  # no rule was tuned on these: scored, no floors
# Round six's and round seven's polarity floors below were measured on each round alone.
ROUNDS = {"round six": "round6_", "round seven": "round7_"}  # name -> file prefix
ROUND_SETS = {name: [data for data in FIRST_CONTACT if data["file"].startswith(prefix)] for name, prefix in ROUNDS.items()}
# concern: (least recall, most false hits) over both sets
FLOORS = {
    "experimental_exclusion": (0.89, 15),
    "prior_authorization": (0.92, 9),
    "step_therapy": (0.93, 4),  # raised 2026-12-06 (st6): 136 -> 147 of 158 found, false hits 4
    "off_label": (0.87, 2),
    "appeals": (0.91, 32),
    # mh6: measured 95/108 = 0.880, 17 (was 0.86). leadin8: 18 false hits: one round-three hard negative is
    # now read below its source's lead-in (`lead_in:`, README.md here), a change of measurement, no rule change.
    "mental_health_coverage": (0.87, 18),
    "network": (0.86, 10),
    "ketamine": (0.98, 0),
    "billing_codes": (0.95, 0),
}


POLARITY_CONCERNS = ("mental_health_coverage", "experimental_exclusion", "prior_authorization", "step_therapy")
EXPECTED_POLARITIES = {"affirms": {"affirms"}, "negates": {"negates"}, "both": {"affirms", "negates"}}
# split: least share of found (sentence, concern) pairs of the four polarity concerns whose
# polarity is right; measured 2026-12-06 and truncated (see README.md here); 0.97 is the target.
# Raised 2026-12-06 (polar6): validation 100/100 measured, floor 0.99 (one sentence of headroom for merges).
POLARITY_FLOORS = {"train": 0.98, "validation": 0.99, "test": 0.98}
# The same per first-contact round (no floors on their recall): their polarity labels are tests too.
ROUND_POLARITY_FLOORS = {
    # Measured 2026-12-06 after the negation changes of the polarity branch, chosen from round six's
    # train split only (README.md here), and truncated; far below the 0.97 target on validation and test.
    # Raised 2026-12-06 (polar6) to its measured train 162/174 and validation 25/30 (rules alone).
    "round six": {"train": 0.93, "validation": 0.83, "test": 0.84},
    # Measured 2026-12-06 after the negation exceptions of the polar3 branch (chosen from the train
    # splits of rounds six and seven only; README.md here), and truncated. Raised 2026-12-06 (polar6) to
    # train 98/101, validation 38/40, test 38/40 (test unchanged by polar6; the floor was below it).
    "round seven": {"train": 0.97, "validation": 0.95, "test": 0.95},
}


def _entry() -> dict:
    return {"expected": 0, "found": 0, "misses": [], "false_hits": [], "polarity_right": 0, "polarity_wrong": []}


def score(compiled, by_split: bool = False, sets: list[dict] = SETS) -> dict:
    """Per concern (or per split, then per concern): sentences expected and found, misses, false
    hits, and for the polarity concerns how many found sentences have their labeled polarity."""
    from ketcover.bank import polarities_found

    results: dict[str, dict] = {}
    for data in sets:
        for sentence in data["sentences"]:
            # The rules alone; a sentence with a `lead_in` is read below it (bank.sentence_page).
            found = polarities_found(sentence["text"], compiled, candidates=False, lead_in=sentence.get("lead_in") or "")
            table = results.setdefault(sentence["split"], {}) if by_split else results
            for concern in data["concerns"]:
                entry = table.setdefault(concern, _entry())
                if concern in sentence["expected"]:
                    entry["expected"] += 1
                    if concern in found:
                        entry["found"] += 1
                        label = sentence["polarity"][concern]
                        if found[concern] == EXPECTED_POLARITIES[label]:
                            entry["polarity_right"] += 1
                        else:
                            entry["polarity_wrong"].append(f"{label}, found {sorted(found[concern])}: {sentence['text']!r}")
                    else:
                        entry["misses"].append(sentence["text"])
                elif concern in found:
                    entry["false_hits"].append(sentence["text"])
    return results


def polarity_accuracy(table: dict) -> tuple[int, int]:
    """(right, found) over the polarity concerns of one table of score()."""
    right = sum(table[c]["polarity_right"] for c in POLARITY_CONCERNS if c in table)
    return right, sum(table[c]["found"] for c in POLARITY_CONCERNS if c in table)


def test_sets_are_labeled_and_sourced():
    assert SETS and FIRST_CONTACT
    for data in SETS + FIRST_CONTACT:
        for sentence in data["sentences"]:
            assert sentence["text"].strip() and sentence["source"].strip(), sentence
            assert set(sentence["expected"]) <= set(data["concerns"]), sentence
            assert set(sentence["polarity"]) == set(sentence["expected"]), sentence
            assert set(sentence["polarity"].values()) <= set(EXPECTED_POLARITIES), sentence
            # The source's line that introduces the sentence (README.md here, leadin8): a line of text.
            if "lead_in" in sentence:
                lead_in = sentence["lead_in"]
                assert isinstance(lead_in, str) and lead_in.strip() and "\n" not in lead_in.strip(), sentence


def test_split_is_by_source_document_and_roughly_60_20_20():
    from conftest import SPLITS

    per_source: dict[str, set[str]] = {}
    for data in SETS:
        for sentence in data["sentences"]:
            per_source.setdefault(sentence["source"].split()[0], set()).add(sentence["split"])
    assert all(len(splits) == 1 for splits in per_source.values())
    shares = {split: sum(splits == {split} for splits in per_source.values()) / len(per_source) for split in SPLITS}
    assert 0.5 <= shares["train"] <= 0.7 and 0.12 <= shares["validation"] <= 0.28 and 0.12 <= shares["test"] <= 0.28, shares


def test_first_contact_sentences_state_the_polarity_of_each_polar_concern():
    """Round six on (every first-contact file) states `polarity` for every polar concern a sentence holds."""
    for data in FIRST_CONTACT:
        for sentence in data["sentences"]:
            assert set(sentence["stated_polarity"]) == set(sentence["expected"]) & POLAR, sentence


def _bank_sentence(text_start: str, lead_in: str) -> dict:
    """The bank's sentence that starts with `text_start` and has `lead_in` (a real one, not written for a test)."""
    found = [sentence for data in SETS + FIRST_CONTACT for sentence in data["sentences"]
             if sentence["text"].startswith(text_start) and sentence.get("lead_in") == lead_in]
    assert len(found) == 1, (text_start, lead_in, len(found))
    return found[0]


@pytest.mark.parametrize("text_start,lead_in", [
    # A bulleted item under a negated lead-in, and one the page shows as the list's item ("• " put before it).
    ("• Uncomplicated withdrawal", "does not provide benefits or pay for the following:"),
    ("Mental disorder, anxiety or depression", "Here's a list of what's commonly not covered:"),
])
def test_a_lead_in_makes_its_items_polarity_right(text_start, lead_in, compiled_rules):
    """Read alone, an excluded item of a mental-health exclusion list says "covered"; read below its
    lead-in (as the engine reads a list item on a page: context.list_lead_in), it says "not covered"."""
    from ketcover.bank import polarities_found

    sentence = _bank_sentence(text_start, lead_in)
    concern = "mental_health_coverage"
    assert sentence["polarity"][concern] == "negates"
    assert polarities_found(sentence["text"], compiled_rules).get(concern) == {"affirms"}
    assert polarities_found(sentence["text"], compiled_rules, lead_in=lead_in).get(concern) == {"negates"}


def test_a_finding_of_the_lead_in_alone_does_not_find_the_sentence(compiled_rules):
    """The page holds the lead-in and the sentence; a finding whose quote lies in the lead-in alone
    ("You may need a prior authorization for:") is left out: what a sentence is found for is what
    some finding quotes of the sentence's own part of the page. Every quote is verbatim from the page."""
    from ketcover.bank import read_sentence, sentence_page
    from ketcover.candidates import decide, decide_findings
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    lead_in = "You may need a prior authorization for:"
    sentence = _bank_sentence("Behavioral health services (e.g., ADHD", lead_in)
    page, start = sentence_page(sentence["text"], lead_in)
    assert page.startswith(lead_in + "\n") and start == len(lead_in) + 1
    document = example_document(page)
    findings = find_findings(document, compiled_rules)
    kept, _ = decide_findings(document, compiled_rules, findings)
    added, _ = decide(document, compiled_rules, findings)
    on_page = kept + added
    in_lead_in = [f for f in on_page if f.start + len(f.quote) <= start]
    assert [f.concern for f in in_lead_in] == ["prior_authorization"], on_page  # the lead-in's own finding
    counted, _aside = read_sentence(sentence["text"], compiled_rules, lead_in=lead_in)
    assert counted and all(f.start + len(f.quote) > start for f in counted)
    assert not [f for f in counted if f in in_lead_in]
    assert all(f.quote in page and page[f.start:f.start + len(f.quote)] == f.quote for f in on_page)


@pytest.mark.parametrize("text_start,lead_in", [
    ("• Go to any hospital in an emergency.", "You Do Not Need a Referral and Prior Approval To:"),
    ("• Some behavioral health and substance use disorder services", "You don't need preapproval for:"),
])
def test_a_negating_lead_in_carries_its_concern_to_items_without_its_words(text_start, lead_in, compiled_rules):
    """The item names no prior authorization; its lead-in says it is not required (matcher.carried_from_lead_ins):
    found, negating, quoting the item. Read alone, the item says nothing of prior authorization. (A test of the
    reading, on the bank's text: the first item's label is gone since the bank's re-reading of 2026-12-07, where
    a state regulator's explainer counts as a general statement, CONVENTION.md C1; what the words say is unchanged.)"""
    from ketcover.bank import polarities_found, read_sentence

    sentence = _bank_sentence(text_start, lead_in)
    concern = "prior_authorization"
    assert concern not in polarities_found(sentence["text"], compiled_rules)
    findings, _ = read_sentence(sentence["text"], compiled_rules, lead_in=lead_in)
    carried = [f for f in findings if f.concern == concern]
    assert [f.polarity for f in carried] == ["negates"] and carried[0].quote == sentence["text"]


@pytest.fixture(scope="module")
def wording_scores(compiled_rules):
    return score(compiled_rules)


@pytest.fixture(scope="module")
def wording_scores_by_split(compiled_rules):
    return score(compiled_rules, by_split=True)


def _assert_polarity_floor(table: dict, floor: float, split: str) -> None:
    right, found = polarity_accuracy(table)
    wrong = [w for c in POLARITY_CONCERNS if c in table for w in table[c]["polarity_wrong"]]
    assert found and right / found >= floor, f"{split}: {right}/{found}; wrong: {wrong}"


@pytest.mark.parametrize("split", sorted(POLARITY_FLOORS))
def test_polarity_holds_per_split(split, wording_scores_by_split):
    _assert_polarity_floor(wording_scores_by_split[split], POLARITY_FLOORS[split], split)


@pytest.fixture(scope="module")
def round_scores_by_split(compiled_rules):
    """Per first-contact round: its scores per split (each round scored once, on its own)."""
    return {name: score(compiled_rules, by_split=True, sets=sets) for name, sets in ROUND_SETS.items()}


@pytest.mark.parametrize("name,split", [(name, split) for name, floors in ROUND_POLARITY_FLOORS.items() for split in sorted(floors)])
def test_first_contact_round_polarity_holds_per_split(name, split, round_scores_by_split):
    _assert_polarity_floor(round_scores_by_split[name][split], ROUND_POLARITY_FLOORS[name][split], f"{name} {split}")


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
    scores = score(compiled)
    print(f"{'concern':24} {'sentences':>9} {'found':>6} {'recall':>7} {'false hits':>10}")
    for concern, entry in scores.items():
        print(f"{concern:24} {entry['expected']:9} {entry['found']:6} {entry['found'] / entry['expected']:7.2f} "
              f"{len(entry['false_hits']):10}")
    # Per split. Read the test split's figures, never tune on its sentences (README.md here).
    splits = score(compiled, by_split=True)
    print(f"\n{'split':11} {'concern':24} {'sentences':>9} {'recall':>7} {'false hits':>10} {'polarity':>9}")
    for split in ("train", "validation", "test"):
        for concern, entry in sorted(splits[split].items()):
            recall = f"{entry['found'] / entry['expected']:.2f}" if entry["expected"] else "-"
            polarity = f"{entry['polarity_right']}/{entry['found']}" if concern in POLARITY_CONCERNS else ""
            print(f"{split:11} {concern:24} {entry['expected']:9} {recall:>7} {len(entry['false_hits']):10} {polarity:>9}")
        right, found = polarity_accuracy(splits[split])
        print(f"{split:11} polarity right: {right}/{found} ({right / found:.1%})")
    # The first-contact rounds (conftest.FIRST_CONTACT_PREFIX): kept out of the floors above.
    first = score(compiled, sets=FIRST_CONTACT)
    print(f"\nfirst-contact rounds (six to eight)\n{'concern':24} {'sentences':>9} {'recall':>7} {'false hits':>10} {'polarity':>9}")
    for concern, entry in sorted(first.items()):
        recall = f"{entry['found'] / entry['expected']:.2f}" if entry["expected"] else "-"
        polarity = f"{entry['polarity_right']}/{entry['found']}" if concern in POLARITY_CONCERNS else ""
        print(f"{concern:24} {entry['expected']:9} {recall:>7} {len(entry['false_hits']):10} {polarity:>9}")
    right, found = polarity_accuracy(first)
    print(f"first-contact rounds polarity right: {right}/{found} ({right / max(found, 1):.1%})")
    for name, sets in ROUND_SETS.items():
        first_splits = score(compiled, by_split=True, sets=sets)
        for split in ("train", "validation", "test"):
            right, found = polarity_accuracy(first_splits[split])
            print(f"{name} {split:10} polarity right: {right}/{found} ({right / max(found, 1):.1%})")
    shown = sys.argv[1:] or ["train", "validation"]  # `python tests/test_wording.py test` to list the test split too
    for split in shown:
        for concern, entry in splits[split].items():
            for text in entry["misses"]:
                print(f"MISS {split} {concern}: {text!r}")
            for text in entry["false_hits"]:
                print(f"FALSE HIT {split} {concern}: {text!r}")
            for text in entry["polarity_wrong"]:
                print(f"WRONG POLARITY {split} {concern}: {text}")


def test_first_contact_groups_free_text_kinds_into_families():
    """`tools/wording_first_contact.py --by-kind` checks recall against the keyword search per family of
    document kinds; the bank's `kind:` is free text, so the family is the first word list it matches."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("wording_first_contact",
                                                  Path(__file__).resolve().parents[1] / "tools" / "wording_first_contact.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    assert tool.kind_family("provider manual") == "provider-facing"
    assert tool.kind_family("Medicaid PA criteria") == "criteria and payer policy"
    assert tool.kind_family("state statute") == "law, regulation, court"
    assert tool.kind_family("Medicare Advantage evidence of coverage") == "plan document"
    assert tool.kind_family("consumer blog") == "commentary and news"
    assert tool.kind_family("Medicaid plan member page") == "plan or program web page"
    assert tool.kind_family("PBM formulary") == "drug list"
    assert tool.kind_family("") == "other"
