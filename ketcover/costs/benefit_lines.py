"""Benefit schedules and summaries that print one line per benefit: a mental-health label, then its price."""

from __future__ import annotations

import re

from ketcover.costs.layout import (
    INPATIENT_WORDS,
    LABEL_SENTENCE,
    MH_LABEL,
    OTHER_CARE,
    OUTPATIENT_WORDS,
    line_rule,
    mental_health_pages,
    schedule_network,
)
from ketcover.costs.wording import AMOUNT, visit_limit_of
from ketcover.model import CostValue, Document
from ketcover.normalize import one_line

# ---- benefit schedules and summaries of benefits (EOC, COC, SPD, Medicare): one line per benefit
#
# "Mental health and substance use disorder office\nvisit\n$20 per visit Deductible does not apply"
# (a schedule of benefits) or "Outpatient Mental Health Care $0 (individual sessions)" (a Medicare
# summary of benefits): a label naming mental health and the kind of care, then the price and an
# optional deductible note, nothing else. A line that says more than that is not read.

_LINE_PRICE = (
    rf"(?:{AMOUNT}(?:\s+(?:copay(?:ment)?|co-pay))?(?:\s+per\s+(?:visit|admission|stay|day|session))?"
    r"(?:\s+\((?:individual|group)\s+sessions?\))?"
    r"|\d{1,3}\s?%\s+(?:co-?insurance|of\s+the\s+(?:Plan\s+)?allowance)|No\s+charge|Nothing)"
)
_LINE_NOTE = r"(?:\s+(?:Deductible\s+does\s+not\s+apply|After\s+(?:the\s+)?Deductible|\((?:no\s+deductible|deductible\s+applies)\)))?"
BENEFIT_LINE = re.compile(
    r"(?m)^(?P<label>[^\n$%]{0,80}?)[ \t]*(?P<price>" + _LINE_PRICE + r")(?P<note>" + _LINE_NOTE + r")[ \t]*$",
    re.I,
)


def _label_start(text: str, line: re.Match) -> int:
    """Where the benefit's label starts: on the price's line, or wrapped over up to two lines above."""
    start = line.start()
    for _ in range(2):
        if MH_LABEL.search(text[start:line.start("price")]) or start == 0:
            break
        previous = text.rfind("\n", 0, start - 1) + 1
        above = text[previous:start - 1]
        if not above.strip() or re.search(r"[$%]|[.:;]\s*$", above):
            break
        start = previous
    return start


def benefit_lines(document: Document) -> list[CostValue]:
    found: list[CostValue] = []
    for page, text in mental_health_pages(document):
        for line in BENEFIT_LINE.finditer(text):
            start = _label_start(text, line)
            label = one_line(text[start:line.start("price")])
            if not MH_LABEL.search(label) or LABEL_SENTENCE.search(label) or OTHER_CARE.search(label):
                continue
            if INPATIENT_WORDS.search(label):
                item = "inpatient_mental_health"
            elif OUTPATIENT_WORDS.search(label):
                item = "outpatient_mental_health"
            else:
                continue
            price, note = line.group("price"), line.group("note")
            # "Outpatient Mental Health Care $0 (individual sessions)\n$0 (group sessions)": the
            # office visit is the individual session; the group price stays in the quote only.
            quote = text[start:line.end()].strip()
            found.append(CostValue(item, schedule_network(document, page), one_line(price), page, quote,
                                   deductible_applies=line_rule(note), visit_limit=visit_limit_of(quote)))
    return found
