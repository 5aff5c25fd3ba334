"""Whose share a price is, the member's or the plan's, from the cue nearest above it."""

from __future__ import annotations

import re
from dataclasses import replace

from ketcover.costs.wording import CostWords
from ketcover.model import CostValue, Document

# ---- whose share a price is (wording in costs.yaml: shares)
#
# "100% of the Allowable Charge, after Deductible" under a schedule's "Benefits" column is what the
# plan pays; "20% coinsurance" under "What You Will Pay" is what the member pays. The cue is read
# in the value's own quote first, then the nearest one above the quote on its page (the column
# header, the lead-in): a page further back may be another table's.

SHARE_ITEMS = ("outpatient_mental_health", "inpatient_mental_health", "esketamine_drug")
PERCENT = re.compile(r"\d\s?%")


def share_of(text: str, words: CostWords) -> str:
    """'member', 'plan' or 'not_stated': the side of the last share cue in `text`."""
    cues = list(words.share.finditer(text))
    return ("member" if cues[-1].group("member") else "plan") if cues else "not_stated"


def _line_of(text: str, match: re.Match) -> str:
    """The whole line(s) a match sits on, verbatim: the header or sentence that holds the cue."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    return text[start:len(text) if end < 0 else end].strip()


def _share(value: CostValue, page_text: str, words: CostWords) -> tuple[str, tuple]:
    """(share, share_quote) of one value from the wording on its page: its quote's cue, else the
    nearest one above it; ('not_stated', ()) when the page says nothing."""
    at = page_text.find(value.quote)
    if value.item not in SHARE_ITEMS or at < 0:
        return "not_stated", ()
    own = list(words.share.finditer(value.quote))
    source, cues = (value.quote, own) if own else (page_text, list(words.share.finditer(page_text, 0, at)))
    if not cues:
        return "not_stated", ()
    side = "member" if cues[-1].group("member") else "plan"
    # A copay, "No charge", "Not covered": a share only the member can have; a plan-side header
    # says nothing about it.
    if side == "plan" and not PERCENT.search(value.value):
        return "not_stated", ()
    return side, (value.page, _line_of(source, cues[-1]))


def _share_definitions(document: Document, words: CostWords) -> tuple[str, list[tuple[int, str]]]:
    """The side every definition of the document's percentages gives, and each (page, quote); else ('not_stated', [])."""
    found = [(page, match) for page in range(1, document.page_count + 1)
             if "percentage" in document.page_text(page).lower()
             for match in words.share_definition.finditer(document.page_text(page))]
    sides = {"member" if match.group("member") else "plan" for _, match in found}
    if len(sides) != 1:
        return "not_stated", []
    return sides.pop(), [(page, match.group(0)) for page, match in found]


def with_shares(document: Document, values: list[CostValue], words: CostWords) -> list[CostValue]:
    definitions = None
    shared = []
    for value in values:
        if value.share == "not_stated" and value.item in SHARE_ITEMS:
            share, quote = _share(value, document.page_text(value.page), words)
            if share == "not_stated" and PERCENT.search(value.value):
                # Nothing on the page: the document's own definition of its percentages, if it gives
                # one; the nearest at or before the value's page is cited (the schedule's lead-in).
                definitions = definitions or _share_definitions(document, words)
                share, found = definitions
                if found:
                    quote = ([q for q in found if q[0] <= value.page] or found[:1])[-1]
            value = replace(value, share=share, share_quote=quote)
        shared.append(value)
    return shared
