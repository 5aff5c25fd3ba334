"""Finding the lists a document introduces ("when ALL of the following criteria are met:") and their items."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ketcover.case.text import CONNECTOR, MARKER, Piece, sentences

LEADS = {
    "criteria": [r"\b(all|any|each|one or more|both) of the following\b(?![^.\n]{0,40}\b(must include|documentation)\b)",
                 r"\bwhen the following criteria are met\b", r"\bthe following criteria (must|are to) be met\b"],
    "documentation": [r"\bmust include the following\b", r"\binclude the following\b", r"^\s*What to include\b",
                      r"\bdocumentation (must|should) include\b", r"\bsubmit the following\b"],
}
# A line that closes a list even without a marker: the authorization period after a criteria block.
TERMINATORS = re.compile(r"^\s*(Authori[sz]ation will be|Approve for|Initial authori[sz]ation|Reauthori[sz]ation|"
                         r"Approval (will be|is) (for|limited)|Note:)", re.I)
MAX_ITEMS = 20


@dataclass
class Item:
    """One list item: the part on its first page (verbatim) and its whole text (joined across pages)."""

    marker: str
    piece: Piece
    text: str


@dataclass
class FoundList:
    kind: str  # criteria | documentation
    lead: Piece
    items: list[Item] = field(default_factory=list)


def _style(marker: str) -> str:
    if marker.startswith("("):
        return "(1)" if marker[1].isdigit() else "(a)"
    if marker[0].isdigit():
        return "1."
    if marker[0].isalpha():
        return "a."
    return "-"


def _lines(pages: list[str], page: int, offset: int):
    """(page, start, end, line) for every line after `offset` on `page` and on the pages after it."""
    for number in range(page, len(pages) + 1):
        text = pages[number - 1]
        position = offset if number == page else 0
        if number == page:  # the rest of the lead's own line is part of the lead
            newline = text.find("\n", position)
            position = len(text) if newline < 0 else newline + 1
        while position < len(text):
            newline = text.find("\n", position)
            end = len(text) if newline < 0 else newline
            yield number, position, end, text[position:end]
            position = end + 1


def _item_follows(lines, style: str | None) -> bool:
    """Whether one of the next few lines opens an item of the list's style (the item only paused)."""
    for _page, _start, _end, line in lines:
        marker = MARKER.match(line)
        if marker and _style(marker.group("marker")) == style:
            return True
        if line.rstrip().endswith("."):
            return False
    return False


def read_list(pages: list[str], lead: Piece, kind: str) -> FoundList:
    """The items right after a lead-in; the list ends at a terminal line with no marker of the list's style."""
    found = FoundList(kind, lead)
    style = None
    current: dict | None = None
    closed = False
    skipped_heading = False
    used = 0

    def flush():
        if current:
            text = pages[current["page"] - 1]
            start, end = current["start"], current["end"]
            piece = Piece(current["page"], start, end, text[start:end].strip())
            found.items.append(Item(current["marker"], piece, " ".join(" ".join(current["parts"]).split())))

    lines = list(itertools.islice(_lines(pages, lead.page, lead.end), 160))
    for index, (page, start, end, line) in enumerate(lines):
        used += 1
        if used > 120 or len(found.items) >= MAX_ITEMS:
            break
        stripped = line.strip()
        if not stripped or stripped.isdigit():  # blank or a page number
            continue
        if CONNECTOR.match(stripped):
            closed = True
            continue
        marker = MARKER.match(line)
        if marker and (style is None or _style(marker.group("marker")) == style):
            if style is None:
                style = _style(marker.group("marker"))
            flush()
            current = {"page": page, "start": start + (len(line) - len(line.lstrip())), "end": end,
                       "marker": marker.group("marker"), "parts": [line[marker.end():]]}
            closed = False
            continue
        if current is None:
            if not skipped_heading and len(stripped) < 60 and not stripped.endswith("."):
                skipped_heading = True  # a sub-heading ("Initial Criteria for Approval") before the first item
                continue
            break  # the lead is not followed by a list
        if TERMINATORS.match(stripped):
            break
        previous = current["parts"][-1].rstrip()
        if not marker and (closed or previous.endswith(".")) and not _item_follows(lines[index + 1: index + 4], style):
            break  # a new paragraph after the last item
        current["parts"].append(stripped)  # a sub-item or a wrapped line
        if page == current["page"]:
            current["end"] = end
    flush()
    return found


def find_lists(pages: list[str]) -> list[FoundList]:
    """Every lead-in sentence followed by a list, in reading order."""
    lists = []
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []  # (first item start, last item end) per list
    for number, text in enumerate(pages, start=1):
        for piece in sentences(number, text):
            if any(first <= (number, piece.start) <= last for first, last in spans):
                continue  # a sub-list inside an item already read
            line_end = text.find("\n", piece.end)
            # A lead-in ends its line (often with ":").
            if text[piece.end: line_end if line_end >= 0 else len(text)].strip():
                continue
            for kind, patterns in LEADS.items():
                if any(re.search(p, " ".join(piece.text.split()), re.I) or re.search(p, piece.text, re.I | re.M) for p in patterns):
                    found = read_list(pages, piece, kind)
                    if found.items:
                        lists.append(found)
                        first, last = found.items[0].piece, found.items[-1].piece
                        spans.append(((first.page, first.start), (last.page, last.end)))
                    break
    return lists
