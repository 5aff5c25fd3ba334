"""Citation spans: a passage's collapsed text mapped back to document offsets, and the verbatim quote around a match."""

from __future__ import annotations

import bisect
import re
from array import array
from dataclasses import dataclass
from functools import cached_property

from ketcover.model import Document
from ketcover.structure import Passage

MAX_QUOTE = 360
WORD = re.compile(r"\S+")


@dataclass
class Collapsed:
    """A passage with whitespace runs collapsed to one space, mapped back to document offsets."""

    text: str
    starts: array  # collapsed offset of each word
    origins: array  # document offset of each word (compact arrays: long documents have millions)

    def to_document(self, offset: int) -> int:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.origins[index] + (offset - self.starts[index])

    @cached_property
    def lowered(self) -> str:
        return self.text.lower()


def collapse(text: str, base: int) -> Collapsed:
    words, starts, origins, position = [], array("q"), array("q"), 0
    for match in WORD.finditer(text):
        words.append(match.group(0))
        starts.append(position)
        origins.append(base + match.start())
        position += len(match.group(0)) + 1
    return Collapsed(" ".join(words), starts, origins)


def clause_quote_span(document: Document, collapsed: Collapsed, clause: tuple[int, int],
                      match: tuple[int, int]) -> tuple[int, int]:
    """The verbatim quote of one clause of a passage that states its concern both ways: `clause`
    and `match` are spans of the collapsed passage, the quote is in document offsets."""
    passage = Passage(collapsed.to_document(clause[0]), collapsed.to_document(max(clause[0], clause[1] - 1)) + 1)
    return quote_span(document, passage, collapsed.to_document(match[0]), collapsed.to_document(max(match[0], match[1] - 1)) + 1)


def collapsed_offset(collapsed: Collapsed, document_offset: int) -> int:
    """The offset in a collapsed passage of a document offset that starts or lies in a word."""
    index = bisect.bisect_right(collapsed.origins, document_offset) - 1
    return collapsed.starts[max(index, 0)] + max(0, document_offset - collapsed.origins[max(index, 0)])


def quote_span(document: Document, passage: Passage, match_start: int, match_end: int) -> tuple[int, int]:
    """A verbatim span around the match, inside the passage and inside the match's page."""
    page_start, page_end = document.page_span(document.page_of(match_start))
    start, end = max(passage.start, page_start), min(passage.end, page_end)
    if end - start > MAX_QUOTE:
        start = max(start, match_start - MAX_QUOTE // 3)
        end = min(end, start + MAX_QUOTE)
        if match_end > end:
            end = min(max(match_end, end), page_end)
        # Cut at word boundaries so a quote never starts or ends inside a word.
        if start > passage.start and not document.text[start - 1].isspace():
            space = document.text.find(" ", start, match_start)
            start = space + 1 if space != -1 else start
        if end < passage.end and not document.text[end].isspace():
            space = document.text.rfind(" ", match_end, end)
            end = space if space != -1 else end
    while start < end and document.text[start].isspace():
        start += 1
    while end > start and document.text[end - 1].isspace():
        end -= 1
    return start, end
