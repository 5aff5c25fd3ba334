"""Costs said in a sentence: 'you pay 20% of the Medicare-approved amount' under a mental-health heading."""

from __future__ import annotations

import re

from ketcover.costs.layout import HEADING_LINE, MH_LABEL, OTHER_CARE, care_kind, mental_health_pages
from ketcover.costs.wording import CostWords, visit_limit_of
from ketcover.model import CostValue, Document
from ketcover.normalize import one_line

# ---- a sentence: "Generally, you pay 20% of the Medicare-approved amount, and the Part B
# deductible applies for mental health care services." under the heading "Mental health care
# (outpatient)". The sentence must name mental-health care; the kind of care comes from the
# sentence, else from the nearest heading above it that names mental health.

YOU_PAY = re.compile(r"\byou\s+pay\s+", re.I)
SENTENCE_END = re.compile(r"[.!?]")


def _you_pay_sentences(text: str):
    """(start, rest start, end) of each sentence holding "you pay ...": from the last full stop (or
    ! ?) before it to the next one, inclusive. Found from "you pay" outwards: a regex that ran from
    every position to the next full stop cost a third of a second on a 400-page guide."""
    done = 0
    for hit in YOU_PAY.finditer(text):
        if hit.start() < done:
            continue  # a second "you pay" in a sentence already taken
        stop = SENTENCE_END.search(text, hit.end())
        if stop is None:
            return
        start = max(done, max(text.rfind(mark, 0, hit.start()) for mark in ".!?") + 1)
        yield start, hit.end(), stop.end()
        done = stop.end()


def _prose_values(text: str, words: CostWords) -> list[tuple[str, str, str, int, int]]:
    """(item, price, rule, start, end) of each sentence of `text` that prices mental-health care."""
    found = []
    for sentence_start, rest_start, sentence_end in _you_pay_sentences(text):
        # What follows "you pay" must name the care: text before it may run back over a heading line.
        body, rest = text[sentence_start:sentence_end], text[rest_start:sentence_end - 1]
        if not MH_LABEL.search(rest) or OTHER_CARE.search(rest):
            continue
        price = words.prose_price.match(rest.strip())
        if price is None:
            continue
        item = care_kind(rest)
        if item is None:
            line_start = text.rfind("\n", 0, rest_start) + 1
            headings = [h for h in HEADING_LINE.finditer(text, 0, line_start) if MH_LABEL.search(h.group("heading"))]
            item = care_kind(headings[-1].group("heading")) if headings else None
        if item is None:
            continue
        start = sentence_start + len(body) - len(body.lstrip())
        rule = "false" if words.waived.search(body) else "true" if re.search(r"deductible\s+applies", body, re.I) else "not_stated"
        found.append((item, one_line(price.group(0)), rule, start, sentence_end))
    return found


def prose_costs(document: Document, words: CostWords) -> list[CostValue]:
    found: list[CostValue] = []
    for page, text in mental_health_pages(document):
        for item, price, rule, start, end in _prose_values(text, words):
            found.append(CostValue(item, "any", price, page, text[start:end], deductible_applies=rule,
                                   visit_limit=visit_limit_of(text[start:end])))
    return found
