"""Cutting one page's text into cited pieces: sentences, list items, dates; every piece is a verbatim slice."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# A sentence ends at . ! ? or ; followed by a capital, a digit or a list marker; a line that starts
# with a list marker always starts a new piece (pdfium keeps one PDF line per text line).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(A-Z0-9–•-])")
MARKER = re.compile(r"^[ \t]*(?P<marker>\(\d{1,2}\)|\d{1,2}\.(?!\d)|\([a-z]\)|[a-z]\.(?=\s)|[–•▪◦-](?=\s))[ \t]*", re.M)
# Words ending in a period that do not end a sentence ("P.O. Box", "e.g. PHQ-9").
ABBREVIATIONS = {"p.o.", "u.s.", "e.g.", "i.e.", "dr.", "no.", "st.", "inc.", "a.m.", "p.m.", "vs.", "etc.", "co.", "mr.", "ms.", "mrs."}
CONNECTOR = re.compile(r"^\s*-?\s*(AND|OR|and|or)\s*-?\s*$")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
DATE = re.compile(
    r"\b(?P<month>January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+(?P<day>\d{1,2}),\s+(?P<year>20\d\d)\b"
    r"|\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>20\d\d)\b")


@dataclass(frozen=True)
class Piece:
    """A verbatim slice of one page: where it starts and ends in the page text."""

    page: int
    start: int
    end: int
    text: str

    @property
    def flat(self) -> str:
        return " ".join(self.text.split())


def _trimmed(page: int, text: str, start: int, end: int) -> Piece | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Piece(page, start, end, text[start:end]) if end > start else None


def sentences(page: int, text: str) -> list[Piece]:
    """The page's sentences; a list item or a heading-like line is cut off from what precedes it."""
    cuts = {0, len(text)}
    for match in MARKER.finditer(text):
        cuts.add(match.start())
    for match in _SENTENCE_END.finditer(text):
        word = text[max(0, match.start() - 6): match.start()].split()[-1:] or [""]
        if word[0].lower() not in ABBREVIATIONS:
            cuts.add(match.end())
    # A short line without end punctuation, followed by a line that starts a sentence or an item,
    # is a heading: cut around it (a wrapped sentence continues in lower case).
    lines = text.split("\n")
    offset = 0
    for index, line in enumerate(lines):
        stripped = line.strip()
        following = next((l.strip() for l in lines[index + 1:] if l.strip()), "")
        if stripped and len(stripped.split()) <= 8 and not re.search(r"[.,;:]$", stripped) and stripped[:1].isupper() \
                and not re.search(r"\b(and|or|the|of|a|an|to|for|with|in)$", stripped) \
                and (not following or following[:1].isupper() or MARKER.match(following)):
            cuts.add(offset)
            cuts.add(offset + len(line))
        offset += len(line) + 1
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    pieces = []
    for start, end in zip(points, points[1:]):
        piece = _trimmed(page, text, start, end)
        if piece:
            pieces.append(piece)
    return pieces


def parse_date(text: str) -> date | None:
    match = DATE.search(text)
    if not match:
        return None
    try:
        if match.group("month"):
            return date(int(match.group("year")), MONTHS.index(match.group("month").lower()) + 1, int(match.group("day")))
        return date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    except ValueError:
        return None


def document_date(pages: list[str], labels: list[str]) -> tuple[date, int, str] | None:
    """The document's own date: after a label ("Effective Date", "Date of this notice") or the first
    date standing alone on a line of page 1; with its page and the verbatim line."""
    for number, text in enumerate(pages, start=1):
        for label in labels:
            for match in re.finditer(rf"{label}[^\n]{{0,40}}", text, re.I):
                line_end = text.find("\n", match.start())
                line = text[match.start(): line_end if line_end >= 0 else len(text)]
                found = parse_date(line)
                if found:
                    return found, number, line.strip()
    if pages:
        for line in pages[0].split("\n")[:15]:
            if DATE.fullmatch(line.strip()):
                return parse_date(line), 1, line.strip()
    return None


def cite(file: str, piece: Piece) -> dict:
    """The citation every statement of a case carries: file name, page, verbatim quote."""
    return {"file": file, "page": piece.page, "quote": piece.text}


_REFERENCES = re.compile(r"^[ \t]*(\d+\.[ \t]*)?(References|Bibliography|Works cited)[ \t]*:?[ \t]*$", re.I | re.M)
_AFTER_REFERENCES = re.compile(r"^[ \t]*(\d+\.[ \t]*)?(Change Control|Policy History|Appendix|Applicable Codes|Coding)\b", re.I | re.M)


def reference_ranges(pages: list[str]) -> list[tuple[int, int, int]]:
    """(page, start, end) spans of reference lists: article titles there state no coverage position."""
    ranges = []
    inside = False
    for number, text in enumerate(pages, start=1):
        position = 0
        while position <= len(text):
            if not inside:
                match = _REFERENCES.search(text, position)
                if not match:
                    break
                inside, start, position = True, match.start(), match.end()
            else:
                start = position
            stop = _AFTER_REFERENCES.search(text, position)
            end = stop.start() if stop else len(text)
            ranges.append((number, start, end))
            if not stop:
                break
            inside, position = False, stop.end()
    return ranges


def in_ranges(piece: Piece, ranges) -> bool:
    return any(page == piece.page and start <= piece.start < end for page, start, end in ranges)
