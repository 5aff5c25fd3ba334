"""First contact of the rules with a group of sentence-bank files: recall, false hits and polarity per concern, beside a keyword search's."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from ketcover.bank import POLAR, engine_polarity, keywords_found, polarities_found, wording_split  # noqa: E402  (the bank's one split rule)

# The bank's `kind:` is free text (about 1,500 spellings); --by-kind groups it into families by the first
# of these words it holds, in this order (a "provider manual" is provider-facing before it is a manual).
KIND_FAMILIES = (
    ("drug list", ("formulary", "drug list", "pdl", "preferred drug")),
    ("law, regulation, court", ("statute", "regulation", "law", "bill", "court", "opinion", "decision", "code of",
                                "rule", "act")),
    ("provider-facing", ("provider", "billing", "coding", "code", "claims")),
    ("criteria and payer policy", ("criteria", "policy", "policies", "utilization", "prior auth", "step therapy")),
    ("plan document", ("evidence of coverage", "eoc", "certificate", "spd", "summary plan", "plan document",
                       "handbook", "brochure", "booklet", "sbc", "summary of benefits", "schedule of benefits",
                       "contract", "member guide", "benefit guide", "benefits guide")),
    ("commentary and news", ("article", "blog", "news", "advocacy", "press", "forum", "report", "study", "journal")),
    ("plan or program web page", ("page", "faq", "site", "web")),
)


def kind_family(kind: str) -> str:
    """The family of a bank sentence's free-text `kind` (KIND_FAMILIES), or "other"."""
    lowered = kind.lower()
    for family, words in KIND_FAMILIES:
        if any(word in lowered for word in words):
            return family
    return "other"


def measure(paths: list[Path], split: str | None = None, candidates: bool = False,
            ignore_lead_ins: bool = False, only_lead_ins: bool = False) -> dict[str, dict]:
    """Per concern: positives, recall, false hits and polarity, over every sentence of `paths`
    (or only those of one split: train, validation or test, by source document); with
    `candidates`, keyword candidates are decided too (what a report shows), not the rules alone.
    A sentence with a `lead_in` is read below it (bank.sentence_page); `ignore_lead_ins` reads every
    sentence alone (as before the field existed); `only_lead_ins` scores only sentences with a lead_in."""
    from ketcover.analyze import compile_rules

    compiled = compile_rules()
    table: dict[str, dict] = {}
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for sentence in data["sentences"]:
            if split and wording_split(sentence.get("source", "")) != split:
                continue
            lead_in = sentence.get("lead_in") or ""
            if only_lead_ins and not lead_in:
                continue
            found = polarities_found(sentence["text"], compiled, candidates, "" if ignore_lead_ins else lead_in)
            keyword_hits = keywords_found(sentence["text"], compiled)
            for concern in data["concerns"]:
                row = table.setdefault(concern, {"positives": 0, "found": 0, "negatives": 0, "false_hits": 0,
                                                 "keyword_found": 0, "keyword_false_hits": 0,
                                                 "polar": 0, "polar_found": 0, "polar_right": 0,
                                                 "misses": [], "false": [], "wrong_polarity": [],
                                                 "by_label": {}, "by_kind": {}})
                family = row["by_kind"].setdefault(kind_family(str(sentence.get("kind", ""))), [0, 0, 0])
                if concern in sentence["expected"]:
                    # per kind family: [positives, found, keyword found]
                    family[0] += 1
                    family[1] += concern in found
                    family[2] += concern in keyword_hits
                    row["positives"] += 1
                    row["found"] += concern in found
                    row["keyword_found"] += concern in keyword_hits
                    if concern not in found:
                        row["misses"].append(sentence["text"])
                    label = sentence.get("polarity", {}).get(concern)
                    if label and concern in POLAR:
                        row["polar"] += 1
                        # per label: [labeled, found, right]
                        counts = row["by_label"].setdefault(label, [0, 0, 0])
                        counts[0] += 1
                        if concern in found:
                            row["polar_found"] += 1
                            got = engine_polarity(found[concern])
                            counts[1] += 1
                            if got == label:
                                row["polar_right"] += 1
                                counts[2] += 1
                            else:
                                row["wrong_polarity"].append(f"[{label} -> {got}] {sentence['text']}")
                else:
                    row["negatives"] += 1
                    row["keyword_false_hits"] += concern in keyword_hits
                    if concern in found:
                        row["false_hits"] += 1
                        row["false"].append(sentence["text"])
    return table


def print_by_kind(table: dict[str, dict]) -> None:
    """Per family of document kinds and concern: positives, recall and keyword recall, marking with
    '<' every row where the keyword search finds more (issue 11: never below it on any kind)."""
    print("\n| kind family | concern | positives | recall | keyword recall | |")
    print("|---|---|---|---|---|---|")
    below = 0
    for concern in sorted(table):
        for family, (positives, found, keyword_found) in sorted(table[concern]["by_kind"].items()):
            if not positives:
                continue
            lower = found < keyword_found
            below += lower
            print(f"| {family} | {concern} | {positives} | {found / positives:.2f} | {keyword_found / positives:.2f} "
                  f"| {'<' if lower else ''} |")
    print(f"\nengine recall below the keyword search's on {below} (kind family, concern) rows")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pattern", nargs="?", default="round6_*.yaml",
                        help="file pattern under tests/wording, of its .yaml files ('round*': every round)")
    parser.add_argument("--split", choices=("train", "validation", "test"),
                        help="only the sentences of one split (never tune on test)")
    parser.add_argument("--candidates", action="store_true",
                        help="decide keyword candidates too (what a report shows), not the rules alone")
    parser.add_argument("--ignore-lead-ins", action="store_true",
                        help="read every sentence alone, without its lead_in (as before the field existed)")
    parser.add_argument("--only-lead-ins", action="store_true", help="score only the sentences that have a lead_in")
    parser.add_argument("--by-kind", action="store_true",
                        help="recall beside keyword recall per family of document kinds, '<' where the engine finds fewer")
    parser.add_argument("--details", action="store_true", help="print every miss, false hit and wrong polarity")
    args = parser.parse_args()
    # Only the bank's files: "*" also matches the folder's README.md.
    paths = sorted(p for p in (ROOT / "tests" / "wording").glob(args.pattern) if p.suffix == ".yaml")
    if not paths:
        parser.error(f"no .yaml file of tests/wording matches {args.pattern!r}")
    table = measure(paths, args.split, args.candidates, args.ignore_lead_ins, args.only_lead_ins)
    read = [s for p in paths for s in yaml.safe_load(p.read_text(encoding="utf-8"))["sentences"]
            if not args.split or wording_split(s.get("source", "")) == args.split]
    with_lead_in = sum(bool(s.get("lead_in")) for s in read)
    print(f"{len(paths)} files, {len(read)} sentences" + (f" of the {args.split} split" if args.split else "")
          + f", {with_lead_in} with a lead_in ({'ignored' if args.ignore_lead_ins else 'read above the sentence'}"
          + (", only these scored" if args.only_lead_ins else "") + ")"
          + (", rules and keyword candidates" if args.candidates else ", rules alone"))
    print("| concern | positives | recall | keyword recall | negatives | false hits | keyword false hits "
          "| polarity right / found | polarity right / labeled |")
    print("|---|---|---|---|---|---|---|---|---|")
    for concern in sorted(table):
        row = table[concern]
        recall = row["found"] / row["positives"] if row["positives"] else float("nan")
        keyword_recall = row["keyword_found"] / row["positives"] if row["positives"] else float("nan")
        polar = (f"{row['polar_right']}/{row['polar_found']}" if row["polar"] else "-")
        polar_all = (f"{row['polar_right']}/{row['polar']} ({row['polar_right'] / row['polar']:.2f})"
                     if row["polar"] else "-")
        print(f"| {concern} | {row['positives']} | {recall:.2f} | {keyword_recall:.2f} | {row['negatives']} | "
              f"{row['false_hits']} | {row['keyword_false_hits']} | {polar} | {polar_all} |")
    print()
    print("| concern | polarity label | labeled | found | engine polarity right |")
    print("|---|---|---|---|---|")
    for concern in POLAR:
        for label, (labeled, found, right) in sorted(table.get(concern, {}).get("by_label", {}).items()):
            print(f"| {concern} | {label} | {labeled} | {found} | {right} |")
    right = sum(row["polar_right"] for row in table.values())
    labeled = sum(row["polar"] for row in table.values())
    found = sum(row["polar_found"] for row in table.values())
    print(f"\npolarity right: {right}/{found} found ({right / max(found, 1):.1%}), {right}/{labeled} labeled")
    if args.by_kind:
        print_by_kind(table)
    if args.details:
        for concern, row in sorted(table.items()):
            for kind in ("misses", "false", "wrong_polarity"):
                for text in row[kind]:
                    print(f"{kind.upper()} {concern}: {' '.join(text.split())}")


if __name__ == "__main__":
    main()
