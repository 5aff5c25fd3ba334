"""The diff model: per concern and cost, what changed from the old version of a plan document to the new one."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ketcover.compare import DISPLAY_ORDER, concern_answer
from ketcover.cost_words import cost_text
from ketcover.model import ITEMS, NETWORKS, CostValue, DocumentReport, Finding

QUOTE_CHARS = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00ad": ""})
PAGE_REFS = re.compile(r"\s*\((?:p|pp)\. [^)]*\)|\b(?:p|pp)\. \d[\d, ]*(?:and \d+ more)?")


def normalized_quote(quote: str) -> str:
    """A quote as compared across versions: case, spacing, curly quotes and dashes do not count."""
    text = unicodedata.normalize("NFKC", quote).translate(QUOTE_CHARS)
    text = re.sub(r"(\w)-\s+(\w)", r"\1-\2", text)  # "pre-\nauthorization" as re-wrapped by a new layout
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class MovedFinding:
    old_page: int
    new_page: int
    quote: str


@dataclass(frozen=True)
class ConcernDiff:
    """What changed for one concern: the answer, and which cited clauses came or went."""

    concern: str
    old_status: str
    new_status: str
    old_answer: str
    new_answer: str
    old_pages: tuple[int, ...]
    new_pages: tuple[int, ...]
    added: tuple[Finding, ...]  # in the new version only (pages of the new version)
    removed: tuple[Finding, ...]  # in the old version only (pages of the old version)
    moved: tuple[MovedFinding, ...]  # same clause, other page

    @property
    def answer_changed(self) -> bool:
        return self.old_status != self.new_status or without_pages(self.old_answer) != without_pages(self.new_answer)

    @property
    def changed(self) -> bool:
        return bool(self.answer_changed or self.added or self.removed)

    def to_json(self) -> dict:
        def finding(f: Finding) -> dict:
            return {"rule": f.rule, "page": f.page, "quote": f.quote, "polarity": f.polarity, "section": f.section}

        return {
            "changed": self.changed,
            "old": {"status": self.old_status, "answer": self.old_answer, "pages": list(self.old_pages)},
            "new": {"status": self.new_status, "answer": self.new_answer, "pages": list(self.new_pages)},
            "added": [finding(f) for f in self.added],
            "removed": [finding(f) for f in self.removed],
            "moved": [{"old_page": m.old_page, "new_page": m.new_page, "quote": m.quote} for m in self.moved],
        }


@dataclass(frozen=True)
class CostChange:
    """One cost item and network whose value differs (or that only one version states)."""

    item: str
    network: str
    old: CostValue | None
    new: CostValue | None

    def to_json(self) -> dict:
        def side(v: CostValue | None) -> dict | None:
            return None if v is None else {"value": v.value, "page": v.page, "quote": v.quote}

        return {"item": self.item, "network": self.network, "old": side(self.old), "new": side(self.new)}


@dataclass(frozen=True)
class Diff:
    old: DocumentReport
    new: DocumentReport
    concerns: tuple[ConcernDiff, ...]
    costs: tuple[CostChange, ...]

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.concerns) or bool(self.costs)


def without_pages(answer: str) -> str:
    return " ".join(PAGE_REFS.sub("", answer).split())


def _by_quote(findings) -> dict[str, Finding]:
    chosen: dict[str, Finding] = {}
    for finding in sorted(findings, key=lambda f: (f.polarity != "affirms", f.sort_key)):
        chosen.setdefault(normalized_quote(finding.quote), finding)
    return chosen


def _concern_diff(old: DocumentReport, new: DocumentReport, concern: str) -> ConcernDiff:
    old_status, old_answer, old_pages = concern_answer(old, concern)
    new_status, new_answer, new_pages = concern_answer(new, concern)
    old_quotes = _by_quote(f for f in old.findings if f.concern == concern)
    new_quotes = _by_quote(f for f in new.findings if f.concern == concern)
    added = tuple(f for key, f in new_quotes.items() if key not in old_quotes)
    removed = tuple(f for key, f in old_quotes.items() if key not in new_quotes)
    moved = tuple(MovedFinding(old_quotes[key].page, f.page, f.quote) for key, f in new_quotes.items()
                  if key in old_quotes and old_quotes[key].page != f.page)
    return ConcernDiff(concern, old_status, new_status, old_answer, new_answer, old_pages, new_pages, added, removed, moved)


def _cost_changes(old: DocumentReport, new: DocumentReport) -> tuple[CostChange, ...]:
    old_values = {(v.plan_option, v.item, v.network): v for v in old.costs}
    new_values = {(v.plan_option, v.item, v.network): v for v in new.costs}
    changes = []
    for key in sorted(set(old_values) | set(new_values), key=lambda k: (k[0], ITEMS.index(k[1]), NETWORKS.index(k[2]))):
        before, after = old_values.get(key), new_values.get(key)
        # The deductible rule is part of the price: "$30 copay" after a $3,250 deductible is not
        # the same as a "$30 copay" from the first visit.
        if before and after and normalized_quote(cost_text(before)) == normalized_quote(cost_text(after)):
            continue
        changes.append(CostChange(key[1], key[2], before, after))
    return tuple(changes)


def build_diff(old_report: DocumentReport, new_report: DocumentReport) -> Diff:
    """Per concern, what changed from the old version of a plan to the new one; costs too."""
    concerns = tuple(_concern_diff(old_report, new_report, c) for c in DISPLAY_ORDER)
    return Diff(old_report, new_report, concerns, _cost_changes(old_report, new_report))

