"""Score a plain keyword search (pdftotext + one regex per concern) on the pages of gold label files.

Usage: python tools/keyword_baseline_long.py GOLD_DIR --corpus ../shared/corpus [--per-document]

The baseline is what a person would do with `pdftotext` and `grep -i`: one regex per concern, a page
counts as found when its text matches. It is scored exactly like `ketcover eval`: positives and (for
non-exhaustive files) the listed negatives, so the two tables can be put side by side.
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import yaml

# One regex per concern, written the way a person greps (case-insensitive); kept deliberately plain so
# the baseline is a floor the engine must reach, not a second engine.
PATTERNS = {
    "mental_health_coverage": r"mental health|behavioral health|psychiatr|substance (use|abuse)|chemical dependency",
    "experimental_exclusion": r"experimental|investigational|unproven",
    "prior_authorization": r"prior auth|pre-?authori|pre-?certif|prior approval",
    "step_therapy": r"step therapy|step-therapy|fail[- ]first",
    "off_label": r"off-label|off label|unlabeled use",
    "ketamine": r"ketamine|esketamine|spravato|ketalar",
    "appeals": r"appeal|grievance|external review|independent (medical )?review",
    "network": r"network|participating|preferred provider",
    "billing_codes": r"\b(G2082|G2083|J0013|S0013|J3490|J3499|T1503|9636[5-8])\b",
}


def page_texts(pdf: Path) -> list[str]:
    # pdftotext separates pages with form feeds; the last chunk after the final \f is empty.
    out = subprocess.run(["pdftotext", "-q", str(pdf), "-"], capture_output=True, check=True).stdout
    # Lines are joined so that a phrase wrapped at a line end ("prior\nauthorization") still matches:
    # the baseline is meant to be generous, a floor the engine has to reach.
    return [" ".join(page.split()) for page in out.decode("utf-8", errors="replace").split("\f")[:-1]]


def score_document(gold: dict, texts: list[str]) -> dict[str, list[int]]:
    """Return concern -> [tp, fp, fn] on the labeled pages of one gold file."""
    exhaustive = bool(gold.get("exhaustive"))
    result = {}
    for concern, pattern in PATTERNS.items():
        entry = (gold.get("concerns") or {}).get(concern) or {}
        positive = {int(p["page"]) for p in entry.get("positive") or []}
        if exhaustive:
            negative = set(range(1, int(gold["pages"]) + 1)) - positive
        else:
            negative = {int(n["page"]) if isinstance(n, dict) else int(n) for n in entry.get("negative") or []}
        regex = re.compile(pattern, re.IGNORECASE)
        found = {i + 1 for i, text in enumerate(texts) if regex.search(text)}
        result[concern] = [len(found & positive), len(found & negative), len(positive - found)]
    return result


def fmt(tp: int, fp: int, fn: int) -> tuple[str, str]:
    precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
    recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
    return precision, recall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--per-document", action="store_true")
    args = parser.parse_args()
    totals = {c: [0, 0, 0] for c in PATTERNS}
    for path in sorted(args.gold_dir.glob("*.yaml")):
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        pdf = args.corpus / gold["document"]
        if not pdf.is_file():
            print(f"skipped {gold['document']}: not in {args.corpus}", file=sys.stderr)
            continue
        scores = score_document(gold, page_texts(pdf))
        if args.per_document:
            print(f"\n{gold['document']}\n| concern | precision | recall | TP | FP | FN |\n|---|---|---|---|---|---|")
        for concern, (tp, fp, fn) in scores.items():
            totals[concern] = [a + b for a, b in zip(totals[concern], (tp, fp, fn))]
            if args.per_document:
                print(f"| {concern} | {' | '.join(fmt(tp, fp, fn))} | {tp} | {fp} | {fn} |")
    print("\nAll documents\n| concern | precision | recall | TP | FP | FN |\n|---|---|---|---|---|---|")
    for concern, (tp, fp, fn) in totals.items():
        print(f"| {concern} | {' | '.join(fmt(tp, fp, fn))} | {tp} | {fp} | {fn} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
