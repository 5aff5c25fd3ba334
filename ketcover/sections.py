"""Section context: which section class (exclusions, ...) governs each offset, and the per-document Outline every step reads."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from ketcover.model import Document
from ketcover.ruleset import RuleSet
from ketcover.structure import Passage, split_passages, unpack_passages


class SectionClasses:
    """The rule set's section classes: the class a heading names, and how far a sticky class reaches."""

    def __init__(self, ruleset: RuleSet):
        self.section_classes = [(c.name, c.headings, c.unless) for c in ruleset.section_classes]
        self.sticky_reach = {c.name: c.sticky for c in ruleset.section_classes if c.sticky}
        self.sticky_headings = {c.name: c.sticky_headings for c in ruleset.section_classes if c.sticky_headings}

    def classify_heading(self, title: str) -> str | None:
        """The class a heading's words give it ("Exclusions" -> exclusions), or None."""
        lowered = " ".join(title.lower().split())
        for name, phrases, unless in self.section_classes:
            if any(phrase in lowered for phrase in phrases) and not any(u in lowered for u in unless):
                return name
        return None

    def is_sticky(self, heading_class: str | None, title: str) -> bool:
        """Whether a weak heading of this class holds past the weak headings after it."""
        if heading_class not in self.sticky_reach:
            return False
        phrases = self.sticky_headings.get(heading_class)
        lowered = " ".join(title.lower().split())
        return not phrases or any(phrase in lowered for phrase in phrases)


class SectionIndex:
    """Which section class (exclusions, definitions, ...) governs each offset of a document.

    A strong heading (caps, numbered) sets the class until the next strong heading; a weak
    heading or lead-in ("Not covered:") sets it only until the next heading of any kind,
    unless its class is sticky: then it holds past weak headings (a notice runs on past its
    sub-headings and addresses) for the class's reach in characters, or until a heading of
    another named class.
    """

    def __init__(self, document: Document, classes: SectionClasses):
        self.document = document
        # Each distinct title is classified once: a long document repeats its headings (the 399-page
        # guide: 2,905 headings, 1,779 titles) and its running chapter titles.
        classified: dict[str, str | None] = {}

        def classify(title: str) -> str | None:
            if title not in classified:
                classified[title] = classes.classify_heading(title)
            return classified[title]

        # A chapter named by a running header ("The Dental Plan") governs its whole page.
        self.chapter_classes = [classify(c) if c else None for c in document.page_chapters]
        self.offsets: list[int] = []
        self.classes: list[str | None] = []
        self.titles: list[str] = []
        # (class, reach end, class after it expires) of the sticky heading in force, per heading
        self.sticky: list[tuple[str, int, str | None] | None] = []
        # The class of the section enclosing each heading's text (an exclusions chapter): a strong heading's,
        # a sticky one's, or the one a weak heading without a class inherits; not a weak heading's own class
        # ("We do not cover:"). Not the running header's chapter (chapter_at).
        self.enclosing: list[str | None] = []
        strong_class: str | None = None
        sticky: tuple[str, int, str | None] | None = None
        for heading in document.headings:
            heading_class = classify(heading.title)
            if sticky and heading.offset > sticky[1]:
                sticky = None
            if heading.level >= 2:
                strong_class, sticky = heading_class, None
                effective = enclosing = heading_class
            elif sticky and sticky[0] != heading_class and heading_class in classes.sticky_headings:
                # A chapter-opening class inside another sticky section ("Exclusions" of a dental plan's
                # pages) is that section's list: it governs its own heading and the other section runs on.
                effective, enclosing = heading_class, None
            elif classes.is_sticky(heading_class, heading.title):
                sticky = (heading_class, heading.offset + classes.sticky_reach[heading_class], strong_class)
                effective = enclosing = heading_class
            else:
                if heading_class:
                    # A heading of another named class ("Mental Health Parity", "Medical Claims")
                    # ends the notice: what follows is that subject, not the notice's sub-headings.
                    sticky = None
                enclosing = None if heading_class else (sticky[0] if sticky else strong_class)
                effective = heading_class or enclosing
            self.offsets.append(heading.offset)
            self.classes.append(effective)
            self.titles.append(heading.title)
            self.sticky.append(sticky if effective == (sticky[0] if sticky else None) else None)
            self.enclosing.append(enclosing)

    def at(self, offset: int) -> tuple[str | None, str | None]:
        index = bisect.bisect_right(self.offsets, offset) - 1
        if index < 0:
            return None, None
        sticky = self.sticky[index]
        if sticky and offset > sticky[1]:
            return sticky[2], self.titles[index]  # the notice's reach has ended
        return self.classes[index], self.titles[index]

    def enclosing_class_at(self, offset: int) -> str | None:
        """The class of the section enclosing `offset`: a strong heading's ("GENERAL EXCLUSIONS"), or a
        sticky one's that runs on past its category sub-headings ("What's Not Covered"); None under a
        weak heading's own class alone ("We do not cover:", read as its list's lead-in)."""
        index = bisect.bisect_right(self.offsets, offset) - 1
        if index < 0:
            return None
        sticky = self.sticky[index]
        if sticky and offset > sticky[1]:
            return sticky[2]  # the sticky reach has ended: the strong class before it
        return self.enclosing[index]

    def chapter_at(self, offset: int) -> str | None:
        if not self.chapter_classes:
            return None
        return self.chapter_classes[self.document.page_of(offset) - 1]


@dataclass(frozen=True)
class Outline:
    """One document as the rules read it: its heading offsets, its passages (sentences and list
    items) and its section index. Made once per document and handed to each step (matcher,
    keyword candidates, kind reading), so none splits the text again."""

    heading_offsets: frozenset[int]
    passages: tuple[Passage, ...]
    sections: SectionIndex


def outline_of(document: Document, classes: SectionClasses) -> Outline:
    heading_offsets = frozenset(h.offset for h in document.headings)
    if document.passage_bounds:  # split where the document was assembled (Document.passage_bounds)
        passages = unpack_passages(document.passage_bounds)
    else:
        passages = tuple(split_passages(document.text, heading_offsets))
    return Outline(heading_offsets, passages, SectionIndex(document, classes))
