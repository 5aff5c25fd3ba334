"""What each set-aside reason takes on the sentence bank: per reason and concern, the labeled positives it sets aside (recall it costs) and the negatives (false hits it saves).

Usage: python tools/set_aside_audit.py [--split train|validation] [--details REASON_ID]
       python tools/set_aside_audit.py --split train --keyword-misses [--by-kind] [--details-misses]
       python tools/set_aside_audit.py --split train --every-candidate [--details REASON_ID|all]
A reason that sets aside positives is one to narrow; never run it on the test split (it would choose changes).

--keyword-misses (issue 11: recall never below the keyword search's): every labeled positive the keyword
search (each concern's `keywords:`) finds and the engine's report misses, with why: the set-aside reason
that set its only candidate aside (each reason beside the negatives it rightly sets aside, its own
precision), "no candidate" when the candidate vocabulary does not reach it, or "other" (a candidate
covered by a finding that was itself set aside or quotes only the lead-in). Per concern, and with
--by-kind per family of document kinds (tools/wording_first_contact.kind_family). It also counts the positives a
keyword search reaches (`keywords:`, or tools/keyword_baseline.py's one grep per concern) and the candidates do not.

--every-candidate: each reason's own precision, every candidate tested as if no rule cited it (on train a rule fitted
to a sentence rescues the positive a reason throws away; a new document has no such rule).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from ketcover.bank import bank_sentences, keywords_found, read_sentence  # noqa: E402
from ketcover.normalize import normalize_page_text  # noqa: E402
from ketcover.ruleset import lower_text  # noqa: E402
from keyword_baseline import COMPILED as PAGE_PATTERNS  # noqa: E402  (the gold pages' grep, one regex per concern)
from wording_first_contact import kind_family  # noqa: E402  (the bank's one grouping of kinds)


def audit(split: str, details: str | None) -> None:
    from ketcover.analyze import compile_rules

    compiled = compile_rules()
    cost: Counter = Counter()  # (reason, concern) -> positives set aside with no other finding of the concern left
    saved: Counter = Counter()  # (reason, concern) -> negatives set aside with no other finding left
    for concerns, sentence in bank_sentences(ROOT / "tests" / "wording", split):
        findings, set_aside = read_sentence(sentence["text"], compiled, lead_in=sentence.get("lead_in") or "")
        found = {f.concern for f in findings}
        expected = set(sentence.get("expected") or ())
        for item in set_aside:
            # Only what decides the sentence's answer: a concern still found elsewhere in it lost nothing.
            if item.concern not in concerns or item.concern in found:
                continue
            key = (item.reason, item.concern)
            if item.concern in expected:
                cost[key] += 1
                if details == item.reason:
                    print(f"POSITIVE SET ASIDE {item.concern}: {' '.join(sentence['text'].split())}")
            else:
                saved[key] += 1
    print(f"{split} split: per reason and concern, sentences whose only candidate it set aside")
    print("| reason | concern | labeled positives set aside | negatives set aside |")
    print("|---|---|---|---|")
    for key in sorted(set(cost) | set(saved), key=lambda k: (-cost[k], -saved[k], k)):
        print(f"| {key[0]} | {key[1]} | {cost[key]} | {saved[key]} |")


def keyword_misses(split: str, by_kind: bool, details: bool) -> None:
    """The positives the keyword search finds and the report misses, by cause (see the module's doc)."""
    from ketcover.analyze import compile_rules

    compiled = compile_rules()
    vocabulary = {c.name: c.candidate_search for c in compiled.ruleset.concerns}
    misses: Counter = Counter()  # (concern, cause) -> keyword-found positives missed
    misses_by_kind: Counter = Counter()  # (family, concern, cause)
    saved: Counter = Counter()  # (concern, reason) -> negatives whose only candidates it set aside
    keyword_positives: Counter = Counter()  # concern -> positives the keyword search finds
    # Positives a keyword search reaches and the candidates do not (issue 11: candidates at least as broad):
    # by the bank's keyword search (`keywords:`, inside the candidate search by construction) or by
    # tools/keyword_baseline.py's one grep per concern.
    narrower: Counter = Counter()
    lines: list[str] = []
    for concerns, sentence in bank_sentences(ROOT / "tests" / "wording", split):
        text = sentence["text"]
        findings, set_aside = read_sentence(text, compiled, lead_in=sentence.get("lead_in") or "")
        found = {f.concern for f in findings}
        expected = set(sentence.get("expected") or ())
        hits = keywords_found(text, compiled)
        family = kind_family(str(sentence.get("kind", "")))
        reasons: dict[str, list[str]] = {}
        for item in set_aside:
            reasons.setdefault(item.concern, []).append(item.reason)
        lowered = lower_text(normalize_page_text(text))  # as keywords_found reads it
        for concern in concerns:
            search = vocabulary.get(concern)
            reached = search is not None and next(search.spans(lowered, 0, len(lowered)), None) is not None
            if concern in expected and not reached and (concern in hits or PAGE_PATTERNS[concern].search(lowered)):
                narrower[concern] += 1
                lines.append(f"KEYWORD REACHES, CANDIDATES DO NOT {concern}: {' '.join(text.split())}")
            if concern in expected and concern in hits:
                keyword_positives[concern] += 1
            if concern in found:
                continue
            if concern not in expected:
                for reason in dict.fromkeys(reasons.get(concern, ())):
                    saved[(concern, reason)] += 1
                continue
            if concern not in hits:
                continue
            if concern in reasons:
                cause = reasons[concern][0]
            else:
                cause = "(other: candidate covered or quoted in the lead-in)" if reached else "(no candidate)"
            misses[(concern, cause)] += 1
            misses_by_kind[(family, concern, cause)] += 1
            lines.append(f"KEYWORD-FOUND MISS {concern} [{cause}] ({family}): {' '.join(text.split())}")
    print(f"{split} split: labeled positives the keyword search finds and the report misses, per concern and cause")
    print("| concern | cause (set-aside reason) | keyword-found positives missed | negatives the reason sets aside |")
    print("|---|---|---|---|")
    for key in sorted(misses, key=lambda k: (k[0], -misses[k], k[1])):
        print(f"| {key[0]} | {key[1]} | {misses[key]} | {saved.get((key[0], key[1]), '-')} |")
    total = sum(misses.values())
    print(f"\n{total} keyword-found positives missed, of {sum(keyword_positives.values())} the keyword search finds")
    print("positives a keyword search (`keywords:` or tools/keyword_baseline.py) reaches and the candidates do not: "
          + (", ".join(f"{c} {n}" for c, n in sorted(narrower.items())) or "none"))
    if by_kind:
        print("\n| kind family | concern | cause | missed |")
        print("|---|---|---|---|")
        for key in sorted(misses_by_kind, key=lambda k: (k[0], k[1], -misses_by_kind[k], k[2])):
            print(f"| {key[0]} | {key[1]} | {key[2]} | {misses_by_kind[key]} |")
    if details:
        print()
        print("\n".join(lines))


def reason_precision(split: str, details: str | None) -> None:
    """Each reason's own precision: every candidate of every sentence (a passage holding the concern's
    keywords or candidate vocabulary), whether or not a rule also finds the concern there, tested against
    the reasons as if no rule cited it; the first reason that applies is counted, on the sentence's label.
    A rule fitted to train rescues a positive a reason throws away; unseen text has no such rule, so a
    reason that sets aside positives here is one that costs recall on new documents."""
    from ketcover.analyze import compile_rules
    from ketcover.bank import _in_sentence, sentence_page
    from ketcover.candidates import _reasons_by_concern, find_candidates, reason_applies
    from ketcover.examples import example_document

    compiled = compile_rules()
    reasons_of = _reasons_by_concern(compiled, None)
    positives: Counter = Counter()  # (reason, concern) -> labeled positives it sets aside (all candidates)
    negatives: Counter = Counter()
    by_kind: Counter = Counter()  # (family, reason, concern) -> positives
    # Whether first or not: sentences where the reason applies to a candidate of the concern (a reason hidden
    # behind an earlier one takes the sentence once the earlier one is narrowed).
    any_positives: Counter = Counter()
    any_negatives: Counter = Counter()
    for concerns, sentence in bank_sentences(ROOT / "tests" / "wording", split):
        page, sentence_start = sentence_page(sentence["text"], sentence.get("lead_in") or "")
        document = example_document(page)
        expected = set(sentence.get("expected") or ())
        decided: dict[str, list[str | None]] = {}
        applying: set[tuple[str, str]] = set()
        for candidate in find_candidates(document, compiled):
            if candidate.concern not in concerns or not _in_sentence(candidate.passage.start, candidate.raw, sentence_start):
                continue
            applies = [r for r in reasons_of[candidate.concern] if reason_applies(r, candidate)]
            applying |= {(r.id, candidate.concern) for r in applies}
            decided.setdefault(candidate.concern, []).append(applies[0].id if applies else None)
        for key in applying:
            (any_positives if key[1] in expected else any_negatives)[key] += 1
        for concern, ids in decided.items():
            if None in ids:
                continue  # one candidate of the sentence is kept: no reason decides it
            key = (ids[0], concern)
            if concern in expected:
                positives[key] += 1
                by_kind[(kind_family(str(sentence.get("kind", ""))), ids[0], concern)] += 1
                if details in ("all", ids[0]):
                    print(f"POSITIVE SET ASIDE [{ids[0]}] {concern}: {' '.join(sentence['text'].split())}")
            else:
                negatives[key] += 1
    print(f"{split} split: each reason over every candidate, as if no rule cited it "
          "(sentences all of whose candidates of the concern it or an earlier reason set aside)")
    print("| reason | concern | labeled positives set aside | negatives set aside | precision "
          "| applies, first or not: positives / negatives |")
    print("|---|---|---|---|---|---|")
    keys = set(positives) | set(negatives) | set(any_positives)
    for key in sorted(keys, key=lambda k: (-positives[k], -any_positives[k], -negatives[k], k)):
        set_aside = positives[key] + negatives[key]
        precision = f"{negatives[key] / set_aside:.2f}" if set_aside else "-"
        print(f"| {key[0]} | {key[1]} | {positives[key]} | {negatives[key]} | {precision} "
              f"| {any_positives[key]} / {any_negatives[key]} |")
    print(f"\n{sum(positives.values())} positives and {sum(negatives.values())} negatives set aside")
    print("\n| kind family | reason | concern | positives set aside |")
    print("|---|---|---|---|")
    for key in sorted(by_kind, key=lambda k: (k[0], -by_kind[k], k)):
        print(f"| {key[0]} | {key[1]} | {key[2]} | {by_kind[key]} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "validation"), default="train",
                        help="the bank's split (the test split is never audited: it would choose changes)")
    parser.add_argument("--details", metavar="REASON_ID", help="print the positives this reason sets aside")
    parser.add_argument("--keyword-misses", action="store_true",
                        help="the positives the keyword search finds and the report misses, by reason")
    parser.add_argument("--by-kind", action="store_true", help="with --keyword-misses: per family of document kinds")
    parser.add_argument("--details-misses", action="store_true", help="with --keyword-misses: print each sentence")
    parser.add_argument("--every-candidate", action="store_true",
                        help="each reason's precision over every candidate, as if no rule cited it "
                             "(--details REASON_ID or all: print the positives)")
    args = parser.parse_args()
    if args.every_candidate:
        reason_precision(args.split, args.details)
    elif args.keyword_misses:
        keyword_misses(args.split, args.by_kind, args.details_misses)
    else:
        audit(args.split, args.details)


if __name__ == "__main__":
    main()
