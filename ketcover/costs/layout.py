"""Where a cost sits on a page: mental-health labels, the kind of care, a schedule's network, lines, headings."""

from __future__ import annotations

import functools
import re

from ketcover.costs.wording import AFTER_DEDUCTIBLE, NO_DEDUCTIBLE
from ketcover.model import Document

MH_LABEL = re.compile(r"\bmental\s+health\b|\bbehavioral\s+health\b|\bpsychiatric\b", re.I)
# MH_LABEL without its word boundaries or case, matched on lower-cased pages: a page where it finds
# nothing has no line BENEFIT_LINE could give (its label must hold MH_LABEL), so BENEFIT_LINE, slow on
# every line of a long guide, is not run; nor are the other readers that need mental-health words.
MH_ON_PAGE = re.compile(r"mental\s+health|behavioral\s+health|psychiatric")


@functools.lru_cache(maxsize=4)
def _mh_pages(text: str, page_starts: tuple[int, ...]) -> frozenset[int]:
    """The pages that name mental-health care, found once per document for every reader: several
    readers each searching every page of a 400-page guide cost a tenth of a second."""
    # A case-sensitive search of the lower-cased page is three times faster than re.I (each page
    # lower-cased on its own: lower() may change a text's length, so offsets into the whole would drift).
    ends = page_starts[1:] + (len(text),)
    return frozenset(page for page, (start, end) in enumerate(zip(page_starts, ends), 1)
                     if MH_ON_PAGE.search(text[start:end].lower()))


def mental_health_pages(document: Document):
    """(page, text) of each page that names mental-health care, in order: the pages a cost reader reads."""
    named = _mh_pages(document.text, document.page_starts)
    for page in range(1, document.page_count + 1):
        if page in named:
            yield page, document.page_text(page)


INPATIENT_WORDS = re.compile(r"\binpatient\b|\bresidential\b|\bhospital\s+stay", re.I)
OUTPATIENT_WORDS = re.compile(r"\boffice\s+visit|\boutpatient\b|\bvisit\b", re.I)
# Telehealth, partial hospitalization and group programs are priced apart from the office visit.
OTHER_CARE = re.compile(r"telehealth|partial|intensive|group|substance\s+use\s+disorder\s*$", re.I)
LABEL_SENTENCE = re.compile(r"[.:;]\s")
# The network a schedule's prices are for, from its column header or the sentence above it.
SCHEDULE_NETWORK = (
    (re.compile(r"in\s+and\s+out[-\s]of[-\s]network", re.I), "any"),
    (re.compile(r"You\s+pay\s+\(?Participating\s+Providers\)?|available\s+only\s+from\s+Participating\s+Providers", re.I), "in_network"),
)


def schedule_network(document: Document, page: int) -> str:
    for number in (page, page - 1):
        if number < 1:
            continue
        text = document.page_text(number)
        for pattern, network in SCHEDULE_NETWORK:
            if pattern.search(text):
                return network
    return "any"


def line_rule(note: str) -> str:
    if NO_DEDUCTIBLE.search(note):
        return "false"
    if AFTER_DEDUCTIBLE.search(note):
        return "true"
    return "not_stated"


# The dots that join a schedule's label to its prices: "Inpatient facility3 ........ 0% ........ 50%".
LEADER = re.compile(r"[ \t]*\.{4,}[ \t]*")


def lines_from(text: str, start: int = 0):
    """(start, end) of each line of `text` from `start` (end before the line break)."""
    pos = start
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        yield pos, end
        pos = end + 1


def named_above(document: Document, page: int, text: str, offset: int, pattern: re.Pattern) -> str | None:
    """The name of the group that matched in the nearest match of `pattern` above `offset` (on this
    page, else on the page before): what a heading or a table title above a line says it is for."""
    for number, limit in ((page, offset), (page - 1, None)):
        if number < 1:
            break
        page_text = text if number == page else document.page_text(number)
        found = list(pattern.finditer(page_text, 0, len(page_text) if limit is None else limit))
        if found:
            return next(name for name, value in found[-1].groupdict().items() if value)
    return None


HEADING_LINE = re.compile(r"(?m)^[ \t]*(?P<heading>[A-Z][^\n.:;]{3,60})[ \t]*$")


def care_kind(text: str) -> str | None:
    inpatient, outpatient = INPATIENT_WORDS.search(text), re.search(r"\boutpatient\b|\boffice\s+visit", text, re.I)
    if bool(inpatient) == bool(outpatient):
        return None
    return "inpatient_mental_health" if inpatient else "outpatient_mental_health"
