"""What each set-aside reason takes on the sentence bank: per reason and concern, the labeled positives it sets aside (recall it costs) and the negatives (false hits it saves).

Usage: python tools/set_aside_audit.py [--split train|validation] [--details REASON_ID]
A reason that sets aside positives is one to narrow; never run it on the test split (it would choose changes).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ketcover.bank import bank_sentences, read_sentence  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "validation"), default="train",
                        help="the bank's split (the test split is never audited: it would choose changes)")
    parser.add_argument("--details", metavar="REASON_ID", help="print the positives this reason sets aside")
    args = parser.parse_args()
    audit(args.split, args.details)


if __name__ == "__main__":
    main()
