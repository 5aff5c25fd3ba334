"""A Summary of Benefits and Coverage: the mental-health row of its benefit table and its 'Important Questions'."""

from __future__ import annotations

import re
from dataclasses import replace

from ketcover.costs.shares import share_of
from ketcover.costs.wording import AFTER_DEDUCTIBLE, AMOUNT, NO_DEDUCTIBLE, cost_words, find_visit_limit
from ketcover.model import CostValue, Document
from ketcover.normalize import one_line

# ---- the benefit table row "If you need mental health, behavioral health, or substance abuse services"
#
# pypdfium2 flattens the table in reading order: the row label, then "Outpatient services", then one
# text run per column (wrapped over lines, or several cells on one line), then the limitations column.
# Nothing marks where a cell ends, so a cell is read with a closed grammar of SBC cost wording and
# the row is dropped whenever the text does not fit it exactly: a wrong cost is worse than none.

MH_ROW = re.compile(
    r"If\s+you\s+need\s+mental\s+health,?\s+behavioral\s+health,?\s+or\s+substance\s+(?:abuse|use)"
    r"(?:\s+disorder)?\s+services", re.I)
# "Outpatient services", or a carrier's longer sub-row label ("Mental/Behavioral health outpatient
# services", BCBS Louisiana).
_SUBROW = r"(?:Mental\s*/\s*Behavioral\s+health\s+)?"
OUTPATIENT_LABEL = re.compile(rf"\s+{_SUBROW}(?i:o)utpatient\s+services\b")
INPATIENT_LABEL = re.compile(rf"^[ \t]*{_SUBROW}(?i:i)npatient\s+services\b", re.M)
TABLE_HEADER = re.compile(r"What\s+You\s+Will\s+Pay", re.I)
# The SBC template names each price column "(You will pay the least|more|most)"; one stray word of a
# neighbouring column can land inside it ("(You Information will pay the least)").
TIER_HINT = re.compile(r"You\b(?:\s+\w+)?\s+will\s+pay\s+(?:the\s+)?(least|more|most)\b", re.I)
OUT_OF_NETWORK_HEADER = re.compile(r"out[-–\s]*of[-–\s]*network|non[-–\s]*(?:plan|network|participating|preferred)", re.I)
TIER_NETWORKS = {
    ("least", "most"): ("in_network", "out_of_network"),
    ("least", "more", "most"): ("preferred", "in_network", "out_of_network"),
}
MAX_ROW_GAP = 900  # characters between the end of the outpatient cells and "Inpatient services"


_PER = r"(?:\s*/\s*|\s+per\s+)(?:office\s+visit|individual\s+visit|group\s+visit|visit|stay|day|admission|trip|session)"
_VALUE = (
    rf"(?:{AMOUNT}(?:\s+(?:copay(?:ment)?|co-pay))?(?:\s*[†‡])?(?:{_PER})?(?:\s+up\s+to\s+\d{{1,3}}\s+days)?"
    r"|\d{1,3}(?:\.\d+)?\s?%\s+co-?insurance"
    r"|no\s+charge|not\s+covered|no\s+cost\s+sharing|covered\s+in\s+full)"
)
_DEDUCTIBLE_NOTE = r"(?:(?:the\s+)?deductible\s+(?:doesn['’]t|does\s+not)\s+apply|(?:after|before)\s+(?:the\s+)?deductible|deductible\s+applies)"
_MODIFIER = (rf"(?:,?\s*{_DEDUCTIBLE_NOTE}|\s*\(\s*{_DEDUCTIBLE_NOTE}\s*\)"
             r"|\s+(?:for\s+)?(?:all\s+)?other\s+(?:outpatient\s+)?services)")
# Only labels that name a kind of visit; a limitations cell ("Mental / Behavioral health: $17 /
# group visit") must not read as a price cell.
_LABEL = r"(?:office(?:\s+visits?)?|office\s*(?:&|and)\s*other\s+outpatient\s+services|(?:all\s+)?other\s+(?:outpatient\s+)?services)\s*:\s*"
_CLAUSE = rf"(?:{_LABEL})?{_VALUE}(?:{_MODIFIER})*"
# Clauses of one cell are joined by punctuation or "and"; ". " only on the same line, since a cell
# that ends in a full stop is often followed by the next cell on the next line.
_JOIN = r"(?:\s*[;,]\s*(?:and\s+)?|\s+and\s+|\.[ \t]+)"
CELL = re.compile(rf"\s+(?P<cell>{_CLAUSE}(?:{_JOIN}{_CLAUSE})*\.?)(?![\w$%])", re.I)
BARE_VALUE = re.compile(rf"\s*{_VALUE}(?![\w])", re.I)
FIRST_CLAUSE = re.compile(rf"{_CLAUSE}", re.I)
CONTINUATION = re.compile(r"^other\b|\bfor\s+(?:all\s+)?other\b", re.I)


def _tier_networks(page_text: str, row_start: int) -> tuple[str, ...] | None:
    """Network of each price column, from the table header above the row on the same page."""
    headers = list(TABLE_HEADER.finditer(page_text, 0, row_start))
    if not headers:
        return None
    header_text = page_text[headers[-1].start():row_start]
    tiers = tuple(m.group(1).lower() for m in TIER_HINT.finditer(header_text))
    if tiers not in TIER_NETWORKS or not OUT_OF_NETWORK_HEADER.search(header_text):
        return None
    return TIER_NETWORKS[tiers]


def _cells(text: str, pos: int, count: int) -> tuple[list[tuple[int, int]], int] | None:
    """Exactly `count` price cells from `pos` (offsets of each), or None when the text is ambiguous."""
    cells = []
    for _ in range(count):
        match = CELL.match(text, pos)
        if not match:
            return None
        cell = match.group("cell")
        if not (cell[0] == "$" or cell[0].isdigit() or cell[0].isupper()):
            return None  # a lower-case start continues the previous cell
        first = FIRST_CLAUSE.match(cell)
        if first is None or CONTINUATION.search(first.group(0)):
            return None  # "... for other outpatient services" belongs to the cell before it
        cells.append((match.start("cell"), match.end("cell")))
        pos = match.end()
    rest = text[pos:]
    if BARE_VALUE.match(rest):
        return None  # one price more than there are columns: the cells were cut wrongly
    gap = len(rest) - len(rest.lstrip())
    if rest.strip() and "\n" not in rest[:gap] and rest.lstrip()[0].islower():
        return None  # the last cell goes on past what the grammar knows
    return cells, pos


CHART_AFTER_DEDUCTIBLE = re.compile(
    r"All\s+copayment\s+and\s+coinsurance\s+costs\s+shown\s+in\s+this\s+chart\s+are\s+after\s+your\s+deductible"
    r"\s+has\s+been\s+met[^\n.]*\.?", re.I)
FOOTNOTE_NO_DEDUCTIBLE = re.compile(r"(?m)^[ \t]*([†‡])[ \t]*Deductible\s+does\s+not\s+apply\.?")


def _deductible_rule(cell: str, marks: set[str], chart_rule: bool) -> str:
    """'true', 'false' or 'not_stated' for one price cell (every clause of it must agree)."""
    if NO_DEDUCTIBLE.search(cell):
        # "Office: $40 copay/visit, deductible doesn't apply; other outpatient services: no charge":
        # the note belongs to one clause; only a cell of one clause (or all of them noted) is "false".
        clauses = [c for c in re.split(r";|\band\b|\.\s", cell) if c.strip()]
        return "false" if all(NO_DEDUCTIBLE.search(c) or not re.search(r"\$|%", c) for c in clauses) else "not_stated"
    if AFTER_DEDUCTIBLE.search(cell):
        return "true"
    if any(mark in cell for mark in marks):
        return "not_stated"  # a marked clause beside unmarked ones: mixed, said by the value itself
    if chart_rule and not re.fullmatch(r"\s*(?:no\s+charge|not\s+covered)\.?\s*", cell, re.I):
        return "true"
    return "not_stated"


def _sbc_deductible_context(document: Document) -> tuple[set[str], tuple[int, str] | None]:
    """Footnote marks meaning 'deductible does not apply', and the chart's 'after your deductible' note."""
    marks: set[str] = set()
    chart: tuple[int, str] | None = None
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        marks |= {m.group(1) for m in FOOTNOTE_NO_DEDUCTIBLE.finditer(text)}
        note = CHART_AFTER_DEDUCTIBLE.search(text)
        if note and chart is None:
            chart = (page, note.group(0))
    return marks, chart


def mental_health_rows(document: Document) -> list[CostValue]:
    found: list[CostValue] = []
    marks, chart = _sbc_deductible_context(document)
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        for row in MH_ROW.finditer(text):
            networks = _tier_networks(text, row.start())
            outpatient = OUTPATIENT_LABEL.match(text, row.end())
            if networks is None or outpatient is None:
                continue
            # "What You Will Pay" heads the price columns: whose share they are, said by the header.
            header = list(TABLE_HEADER.finditer(text, 0, row.start()))[-1]
            share = share_of(header.group(0), cost_words())
            share_quote = (page, header.group(0)) if share != "not_stated" else ()
            parsed = _cells(text, outpatient.end(), len(networks))
            outpatient_values: list[CostValue] = []
            if parsed:
                cells, end = parsed
                outpatient_values = _row_values("outpatient_mental_health", text, page, row.start(), cells, networks, marks, chart)
                outpatient_values = [replace(v, share=share, share_quote=share_quote) for v in outpatient_values]
            else:
                end = outpatient.end()
            inpatient = INPATIENT_LABEL.search(text, end, end + MAX_ROW_GAP)
            # The limitations column of the outpatient sub-row: what follows its cells, to the next sub-row.
            found += _with_visit_limit(outpatient_values, page, text[end:inpatient.start() if inpatient else end])
            if inpatient is None:
                continue
            parsed = _cells(text, inpatient.end(), len(networks))
            if parsed:
                after = parsed[1]
                next_row = NEXT_SBC_ROW.search(text, after, after + MAX_ROW_GAP)
                limitations = text[after:next_row.start() if next_row else after]
                inpatient_values = _row_values("inpatient_mental_health", text, page, row.start(), parsed[0], networks, marks, chart)
                found += _with_visit_limit([replace(v, share=share, share_quote=share_quote) for v in inpatient_values],
                                           page, limitations)
    return found


# The next row of an SBC's table after the mental-health sub-rows ("If you are pregnant").
NEXT_SBC_ROW = re.compile(r"^[ \t]*If\s+you\b", re.M)


def _with_visit_limit(values: list[CostValue], page: int, limitations: str) -> list[CostValue]:
    """The values of one sub-row with the visit limit its limitations column states, cited as evidence."""
    limit = find_visit_limit(limitations)
    if limit is None:
        return values
    return [replace(v, visit_limit=one_line(limit.group(0)), evidence=v.evidence + ((page, limit.group(0)),)) for v in values]


def _row_values(item, text, page, row_start, cells, networks, marks, chart) -> list[CostValue]:
    # The quote runs from the row label ("If you need mental health ...") to the end of the
    # sub-row's price cells, so it shows both what the price is for and the price.
    quote = text[row_start:cells[-1][1]]
    values = []
    for network, (a, b) in zip(networks, cells):
        cell = text[a:b]
        rule = _deductible_rule(cell, marks, chart is not None)
        evidence = (chart,) if rule == "true" and chart and not AFTER_DEDUCTIBLE.search(cell) else ()
        values.append(CostValue(item, network, one_line(cell), page, quote, deductible_applies=rule, evidence=evidence))
    return values


# ---- the "Important Questions" table: overall deductible and out-of-pocket limit

QUESTIONS = {
    "deductible": (
        re.compile(r"What\s+is\s+the\s+overall\s+deductible\?", re.I),
        re.compile(r"Generally,\s+you\s+must\s+pay\s+all\s+of\s+the\s+costs", re.I),
    ),
    "out_of_pocket_limit": (
        re.compile(r"What\s+is\s+the\s+out[-–\s]*of[-–\s]*pocket\s+limit\s+for\s+this\s+plan\?", re.I),
        re.compile(r"The\s+out[-–\s]*of[-–\s]*pocket\s+limit\s+is\s+the\s+most", re.I),
    ),
}
MAX_ANSWER = 500
NETWORK_MARKER = re.compile(
    r"(?P<out>(?:for\s+)?(?:out[-–\s]*of[-–\s]*network|non[-–\s]*(?:network|plan|participating))(?:\s+providers?)?\s*:?)"
    r"|(?P<in>(?:for\s+)?(?:in[-–\s]*network(?:\s+providers?)?|network\s+providers?|plan\s+providers?)\s*:?)",
    re.I,
)
AMOUNT_RE = re.compile(AMOUNT)
# Words an amount may carry ("Individual $3,000 / Family $6,000", "$500/Employee (EE) Only"); any
# other word (a salary band, a condition, "per admission") means the answer is not a plain limit.
LIMIT_WORDS = {
    "individual", "individuals", "family", "families", "person", "member", "members", "employee",
    "ee", "fam", "only", "or", "and", "per", "each", "self", "single", "plus", "calendar", "year",
    "plan", "child", "children", "embedded", "aggregate",
}
PREFIX_WORDS = {"for", "each", "calendar", "plan", "year", "per"}
OTHER_BENEFIT = re.compile(r"\b(?:dental|vision)\b", re.I)
SENTENCE = re.compile(r"(?<=[^\s.])\.(?:\s+|$)")


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", AMOUNT_RE.sub(" ", text))}


def _limit_value(segment: str) -> str | None:
    """The amounts of one network's answer, or None when it holds anything but plain amounts."""
    sentences = [s for s in SENTENCE.split(segment.strip().rstrip(";,")) if s.strip()]
    # "$7,800 Individual / $15,600 Family. $350 Child / $700 Children for Child Dental.": the dental
    # plan's own limit is not the medical one.
    medical = [s for s in sentences if not OTHER_BENEFIT.search(s)]
    if not medical or medical != sentences[: len(medical)]:
        return None
    value = one_line(". ".join(s.strip() for s in medical)).rstrip(".;, ")
    if not AMOUNT_RE.search(value) or not _words(value) <= LIMIT_WORDS:
        return None
    return value


def _names_after(answer: str, markers: list[re.Match]) -> bool:
    """True when each network name follows its amounts ("$500 ... for network providers; ...")."""
    if not AMOUNT_RE.search(answer[: markers[0].start()]):
        return False
    for marker in markers:
        after = answer[marker.end():].lstrip()
        if not marker.group(0).lower().startswith("for") or (after and after[0] not in ";,."):
            return False
    return True


def plan_limit(item: str, text: str, page: int) -> list[CostValue]:
    question_re, why_re = QUESTIONS[item]
    found: list[CostValue] = []
    for question in question_re.finditer(text):
        why = why_re.search(text, question.end(), question.end() + MAX_ANSWER)
        if why is None:
            continue
        answer_start, answer_end = question.end(), why.start()
        while answer_end > answer_start and text[answer_end - 1].isspace():
            answer_end -= 1
        answer = text[answer_start:answer_end]
        quote = text[question.start():answer_end]
        markers = list(NETWORK_MARKER.finditer(answer))
        kinds = ["out_of_network" if m.group("out") else "in_network" for m in markers]
        if len(set(kinds)) != len(kinds):
            continue  # one network named twice: conditions (salary bands, tiers) we cannot read
        segments: list[tuple[str, str]] = []
        labels: dict[str, str] = {}
        prefix = answer[: markers[0].start()] if markers else answer
        if not markers:
            segments.append(("any", prefix))
        elif _names_after(answer, markers):
            # "$3,000 individual / $6,000 family for network providers; $6,000 ... for out-of-network
            # providers.": each network is named after its amounts.
            start = 0
            for marker, kind in zip(markers, kinds):
                segments.append((kind, answer[start:marker.start()].lstrip(" \t\n;,.")))
                start = marker.end()
            if answer[start:].strip(" \t\n;,."):
                continue
        else:
            if AMOUNT_RE.search(prefix):
                # "Accountable Health Partners (AHP): $500/..." before "For in network providers:
                # ...": a named cheaper tier; its name stays in the value.
                label, colon, amounts = prefix.partition(":")
                if not colon or AMOUNT_RE.search(label) or len(label.split()) > 8:
                    continue
                segments.append(("preferred", amounts))
                labels = {"preferred": one_line(label) + ": "}
            elif not _words(prefix) <= PREFIX_WORDS:
                continue
            for index, (marker, kind) in enumerate(zip(markers, kinds)):
                end = markers[index + 1].start() if index + 1 < len(markers) else len(answer)
                segments.append((kind, answer[marker.end():end]))
        values = [(network, _limit_value(segment)) for network, segment in segments]
        if any(value is None for _, value in values):
            continue
        found += [CostValue(item, network, labels.get(network, "") + value, page, quote) for network, value in values]
    return found
