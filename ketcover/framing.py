"""A rule's context conditions: the words framing a passage (heading text, list lead-in, table row) and whether a hit is allowed."""

from __future__ import annotations

import re

from ketcover.citations import Collapsed
from ketcover.model import Document
from ketcover.ruleset import Rule
from ketcover.structure import BULLET, Passage

HEADING_CONTEXT = 400  # a heading is judged with the start of the text under it
LEAD_IN_REACH = 1500  # how far back a list item looks for the lead-in that ends with ":"
TABLE_CELL_MAX = 100  # a passage shorter than this, without a full stop, is read as a table cell
TABLE_CELL_REACH = 200
SENTENCE_PUNCTUATION = re.compile(r"[.;!?]")


def rule_allowed(rule: Rule, section_class: str | None, chapter_class: str | None, skip_default: set[str],
             context_text: str, section_title: str | None) -> bool:
    if section_class in skip_default and section_class not in rule.require_sections:
        return False
    if chapter_class in skip_default:
        return False
    if rule.require_sections and section_class not in rule.require_sections:
        return False
    if section_class and section_class in rule.skip_sections:
        return False
    if rule.context_any and not any(w in context_text or w in (section_title or "").lower() for w in rule.context_any):
        return False
    if rule.context_none and any(w in context_text for w in rule.context_none):
        return False
    return True


def passage_context(document: Document, passage: Passage, collapsed: Collapsed, heading_offsets: set[int]) -> str:
    """The words a rule's context is judged on: the passage, plus what frames it.

    A heading is judged with the start of the text under it; a list item ("Mental health
    care; and") with the lead-in sentence that introduced the list ("We cover the following:");
    a short table cell with the cells around it.
    """
    extra = ""
    if passage.start in heading_offsets:
        extra = document.text[passage.end:passage.end + HEADING_CONTEXT]
    elif BULLET.match(document.text[passage.start:passage.start + 8]):
        before = document.text[max(0, passage.start - LEAD_IN_REACH):passage.start]
        colon = before.rfind(":")
        if colon != -1:
            lead_in = before[max(0, colon - HEADING_CONTEXT):colon + 1]
            # Only the sentence that ends with the colon, not the table row before it.
            cut = max(lead_in.rfind(". "), lead_in.rfind(".\n"), lead_in.rfind("\n\n"))
            extra = lead_in[cut + 1:] if cut != -1 else lead_in
    elif passage.end - passage.start < TABLE_CELL_MAX and not SENTENCE_PUNCTUATION.search(collapsed.text):
        # A short fragment without a sentence is a table cell: its neighbours are its row.
        extra = document.text[max(0, passage.start - TABLE_CELL_REACH):passage.start]
        extra += " " + document.text[passage.end:passage.end + TABLE_CELL_REACH // 2]
    if not extra:
        return collapsed.lowered
    return collapsed.lowered + " " + " ".join(extra.lower().split())
