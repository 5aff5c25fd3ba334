"""The keyword scan of a document: each passage's keyword spans per concern and its contents pages (no spaCy, so a worker can run it)."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ketcover.model import Document
from ketcover.ruleset import KeywordSearch, RuleSet, lower_text
from ketcover.structure import TOC_LINE, Passage

# A page of a table of contents or an index: at least this many contents lines (dot leaders to a page
# number), and at least this share of its non-blank lines. The list's own chapter headings ("CLAIMS
# AND APPEALS  3", no leader) stand among them. Measured on the gold corpus: contents and index pages
# hold 9 to 170 such lines at 0.56 to 1.00 of their lines; no page with a labeled statement holds
# more than 0.36 (a policy's first page, whose contents list shares the page with its rules).
CONTENTS_PAGE_LINES = 8
CONTENTS_PAGE_SHARE = 0.5
# Costs run to dot leaders too, in a schedule of benefits ("Renal dialysis .... 0% .... 50%").
COST_LEADER = re.compile(r"(?<!\.)\.{3,}+\s*(?:\d+%|\$\d|not covered|no charge|deductible waived)", re.IGNORECASE)


@dataclass(frozen=True)
class KeywordScan:
    """What deciding the rules' findings and the keyword candidates both read, found once per
    document: each passage's keyword spans per concern, and the pages that are a table of contents."""

    hits: dict[tuple[int, str], list[tuple[int, int]]]
    contents_pages: frozenset[int]


@dataclass(frozen=True)
class KeywordSpans:
    """Where each concern's keywords stand in a document (offsets), and its contents pages: the costly
    part of the scan, found without the passages (a worker finds it while the rules are matched)."""

    spans: tuple[tuple[str, tuple[tuple[int, int], ...]], ...]  # (concern, its keyword spans)
    contents_pages: frozenset[int]

    def in_passages(self, passages: tuple[Passage, ...]) -> KeywordScan:
        """The spans by (passage index, concern)."""
        starts = [p.start for p in passages]
        found: dict[tuple[int, str], list[tuple[int, int]]] = {}
        for concern, spans in self.spans:
            for start, end in spans:
                index = bisect.bisect_right(starts, start) - 1
                if index < 0 or start >= passages[index].end:
                    continue  # between passages: blank lines only
                # A match running past its passage's end (words split by a blank line) is cut there.
                found.setdefault((index, concern), []).append((start, min(end, passages[index].end)))
        return KeywordScan(found, self.contents_pages)


@dataclass(frozen=True)
class KeywordScanner:
    """The part of a rule set the scan reads: each concern's candidate vocabulary (its keywords and
    candidate_keywords), and whether a set-aside reason asks for contents pages. Small, so it travels
    to a worker cheaply."""

    searches: tuple[tuple[str, KeywordSearch], ...]
    contents_asked: bool

    @classmethod
    def of(cls, ruleset: RuleSet) -> KeywordScanner:
        return cls(tuple((c.name, c.candidate_search) for c in ruleset.concerns if c.candidate_search is not None),
                   any(r.contents_page for r in ruleset.set_aside))

    def find(self, document: Document) -> KeywordSpans:
        lowered = lower_text(document.text)
        # One scan of the whole text per concern: it costs little (KeywordSearch). contents_pages
        # reads every page's lines: only when a reason asks for it.
        return KeywordSpans(tuple((concern, tuple(search.spans(lowered))) for concern, search in self.searches),
                            contents_pages(document) if self.contents_asked else frozenset())

    def scan(self, document: Document, passages: tuple[Passage, ...]) -> KeywordScan:
        return self.find(document).in_passages(passages)


def contents_pages(document: Document) -> frozenset[int]:
    """The pages that are a table of contents or an index (CONTENTS_PAGE_LINES, CONTENTS_PAGE_SHARE)."""
    pages = set()
    for page in range(1, document.page_count + 1):
        lines = [line for line in document.page_text(page).splitlines() if line.strip()]
        # Every form of TOC_LINE holds three dots or an ellipsis: most lines are ruled out without a regex.
        leaders = sum(1 for line in lines if (line.count(".") >= 3 or "…" in line)
                      and TOC_LINE.search(line) and not COST_LEADER.search(line))
        if leaders >= CONTENTS_PAGE_LINES and leaders >= CONTENTS_PAGE_SHARE * len(lines):
            pages.add(page)
    return frozenset(pages)
