"""Keyword baseline: one plain regex per concern over `pdftotext` page text, scored on the gold pages.

What a person would do without ketcover: dump the PDF with poppler's pdftotext and grep each page
for one pattern per concern. Scored exactly like `ketcover eval` (page level, tests/gold semantics:
exhaustive files count every unlisted page as a negative), so the two can be compared side by side.

    python tools/keyword_baseline.py GOLD_DIR --corpus ../shared/corpus [--by-kind]
"""

from __future__ import annotations

import argparse
import re
import subprocess
from pathlib import Path

from ketcover import CONCERNS
from ketcover.evaluate import Score, load_gold

# One pattern per concern, written the way a person greps (case-insensitive), not tuned on the gold.
PATTERNS = {
    "mental_health_coverage": r"mental health|behaviou?ral health|psychiatr|substance (use|abuse)",
    "experimental_exclusion": r"experimental|investigational|unproven",
    "prior_authorization": r"prior auth|pre-?authori[sz]|pre-?certif|prior approval",
    "step_therapy": r"step[- ]therapy|fail[- ]first|tried and failed",
    "off_label": r"off[- ]label|unlabeled use|not fda[- ]approved",
    "ketamine": r"ketamine|spravato|ketalar",
    "appeals": r"appeal|grievance|external review|independent review",
    "network": r"in-network|out-of-network|in network|out of network|participating provider|non-participating|network provider|preferred provider",
    "billing_codes": r"\b(G208[23]|J0013|S0013|J349[09]|T1503|9636[5-8])\b",
}
COMPILED = {concern: re.compile(pattern, re.I) for concern, pattern in PATTERNS.items()}

# Document kinds grouped into the families of issue 11's first-contact table (file-name prefix -> family).
FAMILIES = {
    "sbc": "plan documents", "smm": "plan documents", "spd": "plan documents", "policy": "plan documents",
    "plan-brochure": "plan documents", "member-handbook": "plan documents", "member-guide": "plan documents",
    "summary-of-benefits": "plan documents",
    "medical-policy": "payer policies and criteria", "pa-criteria": "payer policies and criteria",
    "billing-article": "payer policies and criteria", "coding-guide": "payer policies and criteria",
    "formulary": "payer policies and criteria",
}


def family(document: str) -> str:
    prefix = document.split("_", 1)[0]
    return FAMILIES.get(prefix, "other kinds")


def pdftotext_pages(path: Path) -> list[str]:
    """Page texts as poppler prints them (pages end with a form feed); whitespace collapsed so phrases that wrap still match."""
    out = subprocess.run(["pdftotext", "-q", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [" ".join(page.split()) for page in pages]


def score_document(gold, pages: list[str], scores: dict[str, Score]) -> None:
    stem = Path(gold.document).stem
    for concern in CONCERNS:
        score = scores[concern]
        predicted = {number for number, text in enumerate(pages, start=1) if COMPILED[concern].search(text)}
        positive = set(gold.positives[concern])
        negative = set(range(1, gold.pages + 1)) - positive if gold.exhaustive else gold.negatives[concern]
        score.tp += len(predicted & positive)
        score.fn += len(positive - predicted)
        score.fp += len(predicted & negative)
        score.missed += [f"{stem} p.{p}" for p in sorted(positive - predicted)]
        score.wrong += [f"{stem} p.{p}" for p in sorted(predicted & negative)]


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def table(title: str, scores: dict[str, Score]) -> str:
    lines = [f"### {title}", "", "| concern | precision | recall | TP | FP | FN |", "|---|---|---|---|---|---|"]
    for concern, s in scores.items():
        lines.append(f"| {concern} | {_fmt(s.precision)} | {_fmt(s.recall)} | {s.tp} | {s.fp} | {s.fn} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold_dir", type=Path)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--by-kind", action="store_true", help="also print one table per document family")
    args = parser.parse_args()

    overall = {c: Score() for c in CONCERNS}
    by_family: dict[str, dict[str, Score]] = {}
    for gold in load_gold(args.gold_dir):
        pages = pdftotext_pages(args.corpus / gold.document)
        if len(pages) != gold.pages:
            print(f"note: {gold.document}: pdftotext gives {len(pages)} pages, gold says {gold.pages}")
            pages = (pages + [""] * gold.pages)[: gold.pages]
        score_document(gold, pages, overall)
        score_document(gold, pages, by_family.setdefault(family(gold.document), {c: Score() for c in CONCERNS}))
    print(table("keyword baseline, all documents", overall))
    if args.by_kind:
        for name in sorted(by_family):
            print(table(f"keyword baseline, {name}", by_family[name]))


if __name__ == "__main__":
    main()
