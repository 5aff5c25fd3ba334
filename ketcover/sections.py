"""Section context: which section class (exclusions, definitions, ...) governs each offset of a document."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from ketcover.model import Document

if TYPE_CHECKING:
    from ketcover.matcher import CompiledRules


class SectionIndex:
    """Which section class (exclusions, definitions, ...) governs each offset of a document.

    A strong heading (caps, numbered) sets the class until the next strong heading; a weak
    heading or lead-in ("Not covered:") sets it only until the next heading of any kind,
    unless its class is sticky: then it holds past weak headings (a notice runs on past its
    sub-headings and addresses) for the class's reach in characters.
    """

    def __init__(self, document: Document, compiled: CompiledRules):
        self.document = document
        # A chapter named by a running header ("The Dental Plan") governs its whole page.
        self.chapter_classes = [compiled.classify_heading(c) if c else None for c in document.page_chapters]
        self.offsets: list[int] = []
        self.classes: list[str | None] = []
        self.titles: list[str] = []
        # (class, reach end, class after it expires) of the sticky heading in force, per heading
        self.sticky: list[tuple[str, int, str | None] | None] = []
        strong_class: str | None = None
        sticky: tuple[str, int, str | None] | None = None
        for heading in document.headings:
            heading_class = compiled.classify_heading(heading.title)
            if sticky and heading.offset > sticky[1]:
                sticky = None
            if heading.level >= 2:
                strong_class, sticky = heading_class, None
                effective = heading_class
            elif heading_class in compiled.sticky_reach:
                sticky = (heading_class, heading.offset + compiled.sticky_reach[heading_class], strong_class)
                effective = heading_class
            else:
                effective = heading_class or (sticky[0] if sticky else strong_class)
            self.offsets.append(heading.offset)
            self.classes.append(effective)
            self.titles.append(heading.title)
            self.sticky.append(sticky if effective == (sticky[0] if sticky else None) else None)

    def at(self, offset: int) -> tuple[str | None, str | None]:
        index = bisect.bisect_right(self.offsets, offset) - 1
        if index < 0:
            return None, None
        sticky = self.sticky[index]
        if sticky and offset > sticky[1]:
            return sticky[2], self.titles[index]  # the notice's reach has ended
        return self.classes[index], self.titles[index]

    def chapter_at(self, offset: int) -> str | None:
        if not self.chapter_classes:
            return None
        return self.chapter_classes[self.document.page_of(offset) - 1]
