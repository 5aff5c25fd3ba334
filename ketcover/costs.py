"""Mental-health and esketamine cost sharing as values (copay, coinsurance, deductible, out-of-pocket limit), with pages."""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass, replace
from pathlib import Path

# The cost data types live in model.py: a cached report needs them, not this module's regexes.
from ketcover.kinds import compile_cue
from ketcover.model import CostValue, Document
from ketcover.normalize import one_line

COSTS_FILE = Path(__file__).with_name("costs.yaml")

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

AMOUNT = r"\$\s?\d[\d,]*(?:\.\d\d)?"
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


# ---- does the deductible come first?
#
# SBCs say it per cell ("deductible does not apply"), with a footnote mark ("†Deductible does not
# apply.") or once above the chart ("All copayment and coinsurance costs shown in this chart are
# after your deductible has been met"); schedules and brochures say it beside the price ("After
# Deductible", "(no deductible)").
NO_DEDUCTIBLE = re.compile(
    r"deductible\s+(?:doesn['’]t|does\s+not)\s+apply|\(\s*no\s+deductible\s*\)|deductible\s+(?:is\s+)?waived", re.I)
AFTER_DEDUCTIBLE = re.compile(r"after\s+(?:the\s+)?deductible|\(\s*deductible\s+applies\s*\)|deductible\s+applies", re.I)
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


def _mental_health_rows(document: Document) -> list[CostValue]:
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
            share = _share_of(header.group(0), cost_words())
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


def _visit_limit(text: str) -> re.Match | None:
    return cost_words().visit_limit.search(text)


def _visit_limit_of(text: str) -> str:
    """The visit limit a row's own text (its label, its sentence) states, as printed, or ""."""
    limit = _visit_limit(text)
    return one_line(limit.group(0)) if limit else ""


def _with_visit_limit(values: list[CostValue], page: int, limitations: str) -> list[CostValue]:
    """The values of one sub-row with the visit limit its limitations column states, cited as evidence."""
    limit = _visit_limit(limitations)
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


def _plan_limit(item: str, text: str, page: int) -> list[CostValue]:
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


def _amounts(value: str) -> tuple[str, ...] | str:
    """What two statements of one cost must share to agree: its amounts, else its wording."""
    amounts = tuple(re.findall(r"\$\s?\d[\d,]*(?:\.\d\d)?|\d{1,3}(?:\.\d+)?\s?%", value))
    return tuple(a.replace(" ", "") for a in amounts) or " ".join(value.lower().split())


def _unambiguous(values: list[CostValue]) -> tuple[CostValue, ...]:
    """One value per item and network; an item stated twice with different values is dropped."""
    chosen: dict[tuple[str, str, str], CostValue] = {}
    conflicting: set[tuple[str, str, str]] = set()
    for value in sorted(values, key=lambda v: v.page):
        key = (value.plan_option, value.item, value.network)
        if key in chosen and _amounts(chosen[key].value) != _amounts(value.value):
            conflicting.add(key)
        chosen.setdefault(key, value)
    kept_items = {key[:2] for key in chosen} - {key[:2] for key in conflicting}
    return tuple(sorted((v for k, v in chosen.items() if k[:2] in kept_items), key=lambda v: v.sort_key))


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


def mentions_mental_health(document: Document, page: int) -> bool:
    return page in _mh_pages(document.text, document.page_starts)


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


def _schedule_network(document: Document, page: int) -> str:
    for number in (page, page - 1):
        if number < 1:
            continue
        text = document.page_text(number)
        for pattern, network in SCHEDULE_NETWORK:
            if pattern.search(text):
                return network
    return "any"


def _line_rule(note: str) -> str:
    if NO_DEDUCTIBLE.search(note):
        return "false"
    if AFTER_DEDUCTIBLE.search(note):
        return "true"
    return "not_stated"


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


def _benefit_lines(document: Document) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        if not mentions_mental_health(document, page):
            continue
        text = document.page_text(page)
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
            found.append(CostValue(item, _schedule_network(document, page), one_line(price), page, quote,
                                   deductible_applies=_line_rule(note), visit_limit=_visit_limit_of(quote)))
    return found


# ---- the deductible and out-of-pocket limit outside an SBC: "Annual Deductible $0", "The
# Deductible is $500 for one Member and $1,000 for a family"

_WHO = r"(?:\s+(?:for|per)\s+(?:one\s+|each\s+|a\s+)?(?:Member|person|individual|family|enrollee))"
_LIMIT_AMOUNTS = rf"{AMOUNT}{_WHO}?(?:\s*(?:/|\band\b|\bor\b)\s*{AMOUNT}{_WHO}?)?"
PLAN_LIMITS = {
    "deductible": re.compile(
        rf"(?m)^[ \t]*Annual\s+Deductible[ \t]+(?P<value>{_LIMIT_AMOUNTS})[ \t]*$"
        rf"|(?:\bUnder\s+(?P<option>[A-Z]\w+\s+Option),\s+t|\bT)he\s+(?:annual\s+|calendar\s+year\s+)?Deductible\s+is\s+"
        rf"(?P<prose>{_LIMIT_AMOUNTS})"
        # "Under Basic Option, there is no calendar year deductible." (a full stop: "... no deductible
        # for preventive care" is about one service, not the plan)
        rf"|\bUnder\s+(?P<none_option>[A-Z]\w+\s+Option),\s+(?P<none>there\s+is\s+no\s+(?:annual\s+|calendar\s+year\s+)?deductible)(?=\.)",
        re.I),
    "out_of_pocket_limit": re.compile(
        rf"(?m)^[ \t]*(?:Annual\s+)?(?:Maximum\s+Out-of-Pocket|Out-of-Pocket\s+Maximum)[ \t]+(?P<value>{_LIMIT_AMOUNTS})[ \t]*$"
        rf"|\bThe\s+(?:annual\s+)?Out-of-Pocket\s+(?:Maximum|Limit)\s+is\s+(?P<prose>{_LIMIT_AMOUNTS})", re.I),
}


# A word each pattern of PLAN_LIMITS holds: a page without it is not searched (the patterns are slow).
PLAN_LIMIT_WORDS = {"deductible": re.compile("Deductible", re.I), "out_of_pocket_limit": re.compile("Out-of-Pocket", re.I)}


def _stated_limits(document: Document) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        for item, pattern in PLAN_LIMITS.items():
            if not PLAN_LIMIT_WORDS[item].search(text):
                continue
            for match in pattern.finditer(text):
                groups = match.groupdict()
                value = groups.get("value") or groups.get("prose") or groups.get("none")
                option = groups.get("option") or groups.get("none_option") or ""
                found.append(CostValue(item, _schedule_network(document, page), one_line(value), page,
                                       match.group(0).strip(), plan_option=option))
    return found


# ---- esketamine (Spravato): its tier, then that tier's price
#
# "Specialty Drugs include, for example, esketamine (Spravato) nasal spray" (p. 28) and
# "Prescription drugs, Tier 4 (Specialty) 20% up to $250 per 30-day supply" (p. 18): two pages, both
# cited. A drug list that names the drug without a tier gives no value.

DRUG = r"(?:esketamine(?:\s*\(\s*Spravato\s*\))?|spravato(?:\s*\(\s*esketamine\s*\))?)"
DRUG_TIER = re.compile(
    rf"\b(?P<tier>Specialty|Tier\s+\d)\s+Drugs?\s+include[^.]{{0,80}}?\b{DRUG}(?!\w)"
    rf"|\b{DRUG}\b[^.\n]{{0,60}}?\b(?:is\s+(?:a|on)\s+)(?P<tier2>Specialty|Tier\s+\d)\b", re.I)
DRUG_NAMED = re.compile(r"esketamine|spravato", re.I)  # what DRUG_TIER needs on a page: a cheap test first
_DRUG_PRICE = (rf"(?:\d{{1,3}}\s?%(?:\s+co-?insurance)?(?:\s+up\s+to\s+{AMOUNT})?|{AMOUNT}(?:\s+copay(?:ment)?)?)"
               r"(?:\s+per\s+\d{1,3}[-\s]day\s+supply)?")


def _tier_price_line(tier: str) -> re.Pattern:
    # "Prescription drugs, Tier 4 (Specialty) 20% up to $250 per 30-day supply": the tier named by
    # number with its name in brackets, or by name alone.
    name = re.escape(tier).replace(r"\ ", r"\s+")
    return re.compile(
        rf"(?m)^[^\n$%]*?\b(?:Tier\s+\d\s*\(\s*{name}\s*\)|{name}(?:\s+drugs?)?)[ \t]*(?:\))?[ \t]+(?P<price>{_DRUG_PRICE})[ \t]*$", re.I)


def _esketamine(document: Document) -> list[CostValue]:
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        tier_match = DRUG_TIER.search(text) if DRUG_NAMED.search(text) else None
        if tier_match is None:
            continue
        tier = one_line(tier_match.group("tier") or tier_match.group("tier2"))
        line = _tier_price_line(tier)
        for price_page in range(1, document.page_count + 1):
            price_text = document.page_text(price_page)
            price = line.search(price_text)
            if price:
                # The quote is the price line; the page that puts the drug on the tier is evidence.
                return [CostValue("esketamine_drug", "in_network", f"{tier} tier: {one_line(price.group('price'))}",
                                  price_page, price.group(0).strip(), evidence=((page, tier_match.group(0)),))]
    return []


# ---- the cost wording of costs.yaml, compiled once


@dataclass(frozen=True)
class CostWords:
    """costs.yaml compiled: the schedule, brochure and sentence wording the readers below use."""

    column: re.Pattern  # one network column label
    column_networks: tuple[tuple[re.Pattern, str], ...]
    schedule_header: re.Pattern  # a title, then two or three network columns, to the end of the line
    tables: re.Pattern
    rows: tuple[tuple[str, re.Pattern], ...]
    other_care: re.Pattern
    cell: re.Pattern  # a whole schedule cell: a price and an optional deductible note
    conditional: re.Pattern
    waived: re.Pattern
    applies: re.Pattern
    section: re.Pattern
    brochure_rows: tuple[tuple[str, re.Pattern], ...]
    entries: dict  # entry label -> network, or None for a tier without a column of ours
    entry: re.Pattern
    brochure_price: re.Pattern
    no_deductible: str
    prose_price: re.Pattern
    prose_examples: tuple[str, ...]
    prose_not_examples: tuple[str, ...]
    stacked_cell: re.Pattern  # one schedule cell on lines of its own (wrapped), from a line's start
    limit_labels: tuple[tuple[str, re.Pattern], ...]  # a deductible or out-of-pocket row label: a whole line
    who: re.Pattern  # "Individual", "Family Unit": a whole line
    who_amount: re.Pattern  # "Individual: $250": a whole line
    limit_examples: tuple[str, ...]
    limit_not_examples: tuple[str, ...]
    oop_option: re.Pattern  # "Standard Option maximums:"
    oop_lead: re.Pattern  # "Preferred Provider maximum –"
    oop_leads: dict  # lead label (lower case) -> network
    oop_sentence: re.Pattern  # "For a Self Only enrollment, your out-of-pocket maximum ... is $6,000 ..."
    oop_examples: tuple[str, ...]
    oop_not_examples: tuple[str, ...]
    limit_heading: re.Pattern  # a deductible or out-of-pocket heading alone on its line; group = item
    family: re.Pattern
    family_lead: re.Pattern
    per_person: re.Pattern
    leader_examples: tuple[str, ...]
    leader_not_examples: tuple[str, ...]
    option_name: re.Pattern  # "Plan Option 1"
    option_header: re.Pattern  # a line of two option names or more
    option_titles: re.Pattern  # a table title naming the network, at a line's start; group = network
    option_examples: tuple[str, ...]
    option_not_examples: tuple[str, ...]
    visit_limit: re.Pattern  # "limited to 20 visits per year"
    visit_limit_examples: tuple[str, ...]
    visit_limit_not_examples: tuple[str, ...]
    share: re.Pattern  # a cue saying whose share a price is; group "member" or "plan"
    share_examples: dict  # side -> wording that must give it
    share_not_examples: tuple[str, ...]
    share_definition: re.Pattern  # a document's definition of its percentages; group "member" or "plan"
    share_definition_examples: dict
    share_definition_not_examples: tuple[str, ...]


def _any(patterns) -> str:
    return "|".join(f"(?:{compile_cue(p).pattern})" for p in patterns)


@functools.cache
def cost_words(path: Path = COSTS_FILE) -> CostWords:
    """Read costs.yaml; a mistake in it stops here with the file's name, before any PDF is read."""
    from ketcover.ruleset import _load_yaml

    raw = _load_yaml(path, path.read_bytes())
    columns = [(network, pattern) for network, patterns in raw["network_columns"].items() for pattern in patterns]
    column = _any(p for _, p in columns)
    notes = raw["deductible_notes"]
    note = _any([*notes["conditional"], *notes["waived"], *notes["applies"]])
    brochure, limits = raw["brochure"], raw["limits"]
    oop, leader, tables = brochure["out_of_pocket"], raw["leader_limits"], raw["option_tables"]
    entry_labels = "|".join(re.escape(label) for label in sorted(brochure["entries"], key=len, reverse=True))
    return CostWords(
        column=re.compile(column, re.I),
        column_networks=tuple((re.compile(compile_cue(p).pattern, re.I), n) for n, p in columns),
        schedule_header=re.compile(rf"^(?P<title>\S.*?)[ \t]+(?P<columns>(?:{column})(?:[ \t]+(?:{column})){{1,2}})[ \t]*$", re.I),
        tables=re.compile(rf"(?:{_any(raw['mental_health_tables'])})\s*:?", re.I),
        rows=tuple((item, re.compile(rf"(?:{_any(patterns)})\b", re.I)) for item, patterns in raw["row_labels"].items()),
        other_care=re.compile(_any(raw["other_care"]), re.I),
        cell=re.compile(rf"(?P<price>{_any(raw['cell_prices'])})(?:\s*,?\s*(?P<note>{note}))?\.?", re.I),
        conditional=re.compile(_any(notes["conditional"]), re.I),
        waived=re.compile(_any(notes["waived"]), re.I),
        applies=re.compile(_any(notes["applies"]), re.I),
        section=re.compile(brochure["section"]),
        brochure_rows=tuple((item, compile_cue(label)) for item, label in brochure["rows"].items()),
        entries=dict(brochure["entries"]),
        entry=re.compile(
            rf"(?m)^(?P<label>{entry_labels}):[ \t]*\n?"
            rf"(?P<price>[^\n]*(?:\n(?!(?:{entry_labels}):|Note\b|•)(?![^\n]*:[ \t]*$)[^\n]*){{0,4}})"),
        brochure_price=re.compile(rf"^(?:{_any(brochure['prices'])})", re.I),
        no_deductible=brochure["no_deductible"],
        prose_price=re.compile(_any(raw["prose"]["price"]), re.I),
        prose_examples=tuple(raw["prose"].get("examples", ())),
        prose_not_examples=tuple(raw["prose"].get("not_examples", ())),
        stacked_cell=re.compile(
            rf"[ \t]*(?P<cell>(?P<price>{_any(raw['cell_prices'])})(?:\s*,?\s*(?P<note>{note}))?\.?)[ \t]*(?=\n|\Z)", re.I),
        limit_labels=tuple((item, re.compile(rf"[ \t]*(?:{_any(patterns)})[ \t]*:?[ \t]*", re.I))
                           for item, patterns in limits["labels"].items()),
        who=re.compile(rf"[ \t]*(?P<who>{_any(limits['who'])})[ \t]*", re.I),
        who_amount=re.compile(rf"[ \t]*(?P<who>{_any(limits['who'])})[ \t]*:[ \t]*{AMOUNT}[ \t]*", re.I),
        limit_examples=tuple(limits.get("examples", ())),
        limit_not_examples=tuple(limits.get("not_examples", ())),
        oop_option=compile_cue(oop["option"]),
        oop_lead=re.compile(rf"(?<![\w-])(?P<lead>{_any(re.escape(lead).replace(chr(92) + ' ', ' ') for lead in oop['leads'])})"
                            r"[ \t]*[–—:-][ \t]*", re.I),
        oop_leads={lead.lower(): network for lead, network in oop["leads"].items()},
        oop_sentence=re.compile(rf"\s*{compile_cue(oop['sentence']).pattern}", re.I),
        oop_examples=tuple(oop.get("examples", ())),
        oop_not_examples=tuple(oop.get("not_examples", ())),
        limit_heading=re.compile(
            "(?m)^[ \\t]*(?:" + "|".join(f"(?P<{item}>{_any(patterns)})" for item, patterns in limits["labels"].items())
            + ")[ \\t]*:?[ \\t]*$", re.I),
        family=re.compile(leader["family"], re.I),
        family_lead=re.compile(leader["family_lead"], re.I | re.M),
        per_person=compile_cue(leader["per_person"]),
        leader_examples=tuple(leader.get("examples", ())),
        leader_not_examples=tuple(leader.get("not_examples", ())),
        option_name=compile_cue(tables["option"]),
        option_header=re.compile(rf"[ \t]*(?:{compile_cue(tables['option']).pattern})(?:[ \t]+(?:{compile_cue(tables['option']).pattern}))+[ \t]*", re.I),
        option_titles=re.compile(
            "(?m)^[ \\t]*(?:" + "|".join(f"(?P<{network}>{compile_cue(title).pattern})" for network, title in tables["titles"].items()) + ")",
            re.I),
        option_examples=tuple(tables.get("examples", ())),
        option_not_examples=tuple(tables.get("not_examples", ())),
        visit_limit=re.compile(rf"(?<![\w$])(?:{_any(raw['visit_limits']['patterns'])})(?!\w)", re.I),
        visit_limit_examples=tuple(raw["visit_limits"].get("examples", ())),
        visit_limit_not_examples=tuple(raw["visit_limits"].get("not_examples", ())),
        share=re.compile(rf"(?<!\w)(?:(?P<member>{_any(raw['shares']['member'])})|(?P<plan>{_any(raw['shares']['plan'])}))(?!\w)",
                         re.I),
        share_examples={side: tuple(texts) for side, texts in raw["shares"].get("examples", {}).items()},
        share_not_examples=tuple(raw["shares"].get("not_examples", ())),
        share_definition=re.compile(
            rf"(?<!\w)(?:(?P<member>{_any(raw['shares']['definitions']['member'])})|(?P<plan>{_any(raw['shares']['definitions']['plan'])}))(?!\w)",
            re.I),
        share_definition_examples={side: tuple(texts) for side, texts in raw["shares"].get("definition_examples", {}).items()},
        share_definition_not_examples=tuple(raw["shares"].get("definition_not_examples", ())),
    )


def _note_rule(note: str, words: CostWords) -> str:
    """'true', 'false' or 'not_stated' from a cell's deductible note (a condition on visits: not stated)."""
    if not note or words.conditional.search(note):
        return "not_stated"
    if words.waived.search(note):
        return "false"
    return "true" if words.applies.search(note) else "not_stated"


# ---- a schedule of benefits with dot leaders, one column per network
#
# "Mental Disorders   Preferred Providers   Out-of-Network" heads the table; each row is a label
# (wrapped over lines) and its prices, all joined by leaders: "Inpatient facility3 ........ 0%
# ........ 50%". A footnote number sticks to the word before it ("visits2"): it is not part of
# the value. A row whose cells do not each hold one price (and a deductible note) is not read.

LEADER = re.compile(r"[ \t]*\.{4,}[ \t]*")
FOOTNOTE_MARK = re.compile(r"(?<=[A-Za-z)])\d{1,2}$")
MAX_LABEL_LINES = 8


def _header_networks(columns: str, words: CostWords) -> tuple[str, ...] | None:
    networks = []
    for label in words.column.finditer(columns):
        networks.append(next(n for pattern, n in words.column_networks if pattern.fullmatch(label.group(0))))
    if "in_network" not in networks or "out_of_network" not in networks or len(set(networks)) != len(networks):
        return None
    return tuple(networks)


def _row_item(label: str, words: CostWords) -> str | None:
    if words.other_care.search(label):
        return None
    return next((item for item, pattern in words.rows if pattern.match(label)), None)


def _leader_rows(document: Document, words: CostWords) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        if "...." not in text:
            continue
        networks: tuple[str, ...] | None = None
        row_start, label_lines, pos = None, 0, 0
        for line in text.splitlines(keepends=True):
            start, pos = pos, pos + len(line)
            body = line.rstrip("\r\n")
            header = words.schedule_header.match(body)
            if header:
                title = header.group("title").strip()
                networks = _header_networks(header.group("columns"), words) if words.tables.fullmatch(title) else None
                row_start, label_lines = None, 0
                continue
            if networks is None or not body.strip():
                continue
            if row_start is None:
                row_start, label_lines = start, 0
            label_lines += 1
            if not LEADER.search(body):
                if label_lines >= MAX_LABEL_LINES:
                    row_start = None  # prose, not a row label
                continue
            parts = LEADER.split(body.strip())
            label = FOOTNOTE_MARK.sub("", one_line(text[row_start:start] + parts[0]))
            quote = text[row_start:start + len(body)].strip()
            row_start = None
            cells = [FOOTNOTE_MARK.sub("", part.strip()) for part in parts[1:]]
            item = _row_item(label, words)
            matches = [words.cell.fullmatch(cell) for cell in cells]
            if item is None or len(cells) != len(networks) or not all(matches):
                continue
            for network, cell, match in zip(networks, cells, matches):
                found.append(CostValue(item, network, one_line(cell).rstrip("."), page, quote,
                                       deductible_applies=_note_rule(match.group("note") or "", words),
                                       visit_limit=_visit_limit_of(label)))
    return found


# ---- a schedule whose text layer lists a block's labels before its values
#
# "Mental Health/Substance Abuse\nResidential Treatment\nInpatient Treatment\nPartial Day Program\n
# Outpatient Physician\n100% of the Allowable\nCharge, after Deductible\n..." (an SPD's schedule:
# the label column of a block is read, then its value column, each value on lines of its own). A
# value belongs to the label of its rank, so the block is read only when it has exactly as many
# values as labels: a value printed once across two rows leaves one short, and nothing is read.

STACK_LABEL = re.compile(r"[ \t]*[A-Z][^\n$%]{1,40}")
MAX_STACK = 8
PRICE_START = re.compile(r"[ \t]*[$\d]")
# A plan option's name alone on a line ("Gold PPO Plan"), repeated above each table of its schedule.
OPTION_LINE = re.compile(r"(?m)^[ \t]*(?P<name>(?:(?!(?:Plan|Option)\b)[A-Z][\w-]*[ \t]+){1,3}(?:Plan|Option))[ \t]*$")
OPTION_LOOKBACK = 2  # pages back to the option's name (a schedule's table runs over pages)


def _lines(text: str, start: int = 0):
    """(start, end) of each line of `text` from `start` (end before the line break)."""
    pos = start
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        yield pos, end
        pos = end + 1


def _plan_options(document: Document) -> dict[int, list[tuple[int, str]]]:
    """Per page, (offset, name) of each line naming a plan option, when the document prints the
    schedules of two options or more, each under its name repeated on its pages; else nothing."""
    on_pages: dict[str, set[int]] = {}
    lines: dict[int, list[tuple[int, str]]] = {}
    for page in range(1, document.page_count + 1):
        for match in OPTION_LINE.finditer(document.page_text(page)):
            on_pages.setdefault(match.group("name"), set()).add(page)
            lines.setdefault(page, []).append((match.start(), match.group("name")))
    names = {name for name, pages in on_pages.items() if len(pages) >= 2}
    if len(names) < 2:
        return {}
    return {page: [(offset, name) for offset, name in found if name in names] for page, found in lines.items()}


def _option_at(options: dict[int, list[tuple[int, str]]], page: int, offset: int) -> str:
    for number in range(page, max(0, page - OPTION_LOOKBACK - 1), -1):
        above = [name for at, name in options.get(number, ()) if number < page or at < offset]
        if above:
            return above[-1]
    return ""


def _stacked_block(text: str, start: int, words: CostWords):
    """The labels and value cells of the block that starts at `start`, or None when they do not pair up."""
    labels, pos = [], start
    for line_start, line_end in _lines(text, start):
        line = text[line_start:line_end]
        if words.stacked_cell.match(text, line_start) or not STACK_LABEL.fullmatch(line) or len(labels) == MAX_STACK:
            break
        labels.append(one_line(line))
        pos = line_end + 1
    cells = []
    for _ in labels:
        cell = words.stacked_cell.match(text, pos)
        if cell is None:
            return None
        cells.append(cell)
        pos = cell.end() + 1
    if len(labels) < 2 or PRICE_START.match(text, pos):
        return None  # one value more than labels: the rows are not known
    return labels, cells


def _stacked_rows(document: Document, words: CostWords, options) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        if not mentions_mental_health(document, page):
            continue
        text = document.page_text(page)
        for start, end in _lines(text):
            if not words.tables.fullmatch(text[start:end].strip()):
                continue
            block = _stacked_block(text, end + 1, words)
            if block is None:
                continue
            labels, cells = block
            quote = text[start:cells[-1].end("cell")]
            for label, cell in zip(labels, cells):
                item = _row_item(label, words)
                if item is None:
                    continue
                found.append(CostValue(item, _schedule_network(document, page), one_line(cell.group("cell")).rstrip("."), page,
                                       quote, deductible_applies=_note_rule(cell.group("note") or "", words),
                                       plan_option=_option_at(options, page, start)))
    return found


# ---- the deductible and out-of-pocket limit as a table row: "Annual Deductible" alone on its line,
# then "Individual: $250\nFamily: $500" in each network column of the table (the columns' text
# one after the other), or "Individual\nFamily Unit\n$750\n$1,500" (the labels read before the
# values). Each network's amounts must name the same kinds of coverage, in the same order.

AMOUNT_LINE = re.compile(rf"[ \t]*{AMOUNT}[ \t]*")
MAX_LIMIT_LINES = 20  # lines from a row label to its last amount


def _stacked_limit(text: str, start: int, words: CostWords) -> tuple[str, int] | None:
    lines = list(itertools.islice(_lines(text, start), 2 * MAX_STACK + 1))
    whos = list(itertools.takewhile(lambda span: words.who.fullmatch(text[span[0]:span[1]]), lines))
    amounts = list(itertools.takewhile(lambda span: AMOUNT_LINE.fullmatch(text[span[0]:span[1]]), lines[len(whos):]))
    if len(whos) < 2 or len(amounts) != len(whos):
        return None  # (a second column of amounts would follow the first: one too many)
    value = " / ".join(f"{one_line(text[w[0]:w[1]])} {one_line(text[a[0]:a[1]])}" for w, a in zip(whos, amounts))
    return value, amounts[-1][1]


def _column_limits(text: str, start: int, words: CostWords, networks) -> tuple[list[str], int] | None:
    spans = []
    for count, (line_start, line_end) in enumerate(_lines(text, start)):
        line = text[line_start:line_end]
        if words.who_amount.fullmatch(line):
            spans.append((line_start, line_end))
        # The row's description may name a percentage ("before plan pays 100% of"); once its
        # amounts have started, a price that is not one of them is the next row.
        elif (spans and re.search(r"[$%]", line)) or "$" in line or count == MAX_LIMIT_LINES or any(p.fullmatch(line) for _, p in words.limit_labels):
            break
    if not networks or not spans or len(spans) % len(networks):
        return None
    size = len(spans) // len(networks)
    chunks = [spans[i:i + size] for i in range(0, len(spans), size)]
    whos = [tuple(words.who_amount.fullmatch(text[s:e]).group("who").lower() for s, e in chunk) for chunk in chunks]
    if len(set(whos)) != 1 or len(set(whos[0])) != size:
        return None  # each column must name the same kinds of coverage, each once
    return [" ".join(one_line(text[s:e]) for s, e in chunk) for chunk in chunks], spans[-1][1]


def _limit_rows(document: Document, words: CostWords, options) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        lower = text.lower()
        if ("deductible" not in lower and "out-of-pocket" not in lower) or not words.limit_heading.search(text):
            continue  # no row label alone on its line: nothing to read (cheap tests first)
        networks = None
        for start, end in _lines(text):
            line = text[start:end]
            header = words.schedule_header.match(line)
            if header:
                networks = _header_networks(header.group("columns"), words)
                continue
            item = next((item for item, pattern in words.limit_labels if pattern.fullmatch(line)), None)
            if item is None:
                continue
            option = _option_at(options, page, start)
            stacked = _stacked_limit(text, end + 1, words)
            if stacked:
                value, value_end = stacked
                found.append(CostValue(item, _schedule_network(document, page), value, page, text[start:value_end],
                                       plan_option=option))
                continue
            columns = _column_limits(text, end + 1, words, networks)
            if columns:
                values, value_end = columns
                found += [CostValue(item, network, value, page, text[start:value_end], plan_option=option)
                          for network, value in zip(networks, values)]
    return found


# ---- the deductible and out-of-pocket limit as dot-leader lines, one per network and per person
# or family (wording in costs.yaml: leader_limits): "Calendar Year Deductible, for Preferred
# Provider services per Covered Person.....$8,150"; "Family Calendar Year Deductible (... for
# Preferred Provider services ...).....$16,300"; under "Out-of-Pocket Maximum:", "For services or
# supplies provided by a Preferred Provider .....$8150", then "For Families: ..." and the family
# amounts. One value per item and network: "$8,150 per Covered Person / $16,300 family".

# Found from its leader, not from each line's start: a lazy label run over every line of a page cost
# a sixth of a second on a 400-page guide with dotted contents pages.
LEADER_AMOUNT = re.compile(rf"(?<!\.)\.{{4,}}[ \t]*(?P<amount>{AMOUNT})[ \t]*(?=\n|\Z)")
LIMIT_ITEM_WORDS = (("deductible", re.compile(r"\bdeductible", re.I)), ("out_of_pocket_limit", re.compile(r"out-of-pocket", re.I)))


def _leader_label_start(text: str, line_start: int) -> int:
    """The label's first line: this one, or the line above when the label wraps ("... of a family,")."""
    above_end = line_start - 1
    if above_end <= 0:
        return line_start
    above_start = text.rfind("\n", 0, above_end) + 1
    above = text[above_start:above_end].rstrip()
    if above and not LEADER.search(above) and not re.search(r"[.:;]$|[$%]", above):
        return above_start
    return line_start


def _named_above(document: Document, page: int, text: str, offset: int, pattern: re.Pattern) -> str | None:
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


def _leader_limit_lines(document: Document, page: int, text: str, words: CostWords):
    """(item, network, who, amount, label, start, end) of each dot-leader limit line of the page."""
    item_before, family_mode, previous_end = None, False, 0
    for line in LEADER_AMOUNT.finditer(text):
        start = _leader_label_start(text, text.rfind("\n", 0, line.start()) + 1)
        label = one_line(text[start:line.start()])
        networks = {next(n for p, n in words.column_networks if p.fullmatch(m.group(0))) for m in words.column.finditer(label)}
        item = next((item for item, pattern in LIMIT_ITEM_WORDS if pattern.search(label)), None)
        item = item or _named_above(document, page, text, start, words.limit_heading)
        if item != item_before:
            family_mode = False
        if words.family_lead.search(text, previous_end, start):
            family_mode = True
        item_before, previous_end = item, line.end()
        if item is None or len(networks) != 1:
            continue
        who = "family" if family_mode or words.family.search(label) else "person"
        yield item, networks.pop(), who, line.group("amount"), label, start, line.end()


def _leader_limits(document: Document, words: CostWords) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        if "...." not in text:
            continue
        lines: dict[tuple[str, str], dict[str, list]] = {}
        for item, network, who, amount, label, start, end in _leader_limit_lines(document, page, text, words):
            lines.setdefault((item, network), {}).setdefault(who, []).append((amount, label, start, end))
        for (item, network), by_who in lines.items():
            if len(by_who.get("person", ())) != 1 or len(by_who.get("family", ())) > 1:
                continue  # no amount per person, or two: not one value
            amount, label, start, end = by_who["person"][0]
            per = words.per_person.search(label)
            value = f"{amount} {one_line(per.group(0))}" if per else amount
            if "family" in by_who:
                family, _, family_start, family_end = by_who["family"][0]
                value += f" / {family} family"
                start, end = min(start, family_start), max(end, family_end)
            found.append(CostValue(item, network, value, page, text[start:end]))
    return found


# ---- a table whose columns are plan options, the network named in its title above (wording in
# costs.yaml: option_tables): "Out-of-Network Medical Costs, ...\nPlan Option 1 Plan Option 2\n...
# Mental Health Office Visits 50% after deductible 50% after deductible".


def _line_cells(line: str, start: int, words: CostWords) -> list[re.Match] | None:
    """The cells from `start` to the end of the line, each a price and a note, or None if anything else is there."""
    cells, pos = [], start
    while pos < len(line):
        cell = words.cell.match(line, pos)
        if cell is None:
            return None
        cells.append(cell)
        pos = len(line) - len(line[cell.end():].lstrip()) if cell.end() < len(line) else cell.end()
        if pos == cell.end() and pos < len(line):
            return None  # two cells with nothing between them
    return cells


def _option_table_rows(document: Document, words: CostWords) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        if not mentions_mental_health(document, page):
            continue
        text = document.page_text(page)
        if not words.option_name.search(text):
            continue
        options, network = (), None
        for start, end in _lines(text):
            line = text[start:end].rstrip()
            if words.option_header.fullmatch(line):
                options = tuple(m.group(0) for m in words.option_name.finditer(line))
                network = _named_above(document, page, text, start, words.option_titles)
                continue
            if not options or network is None or not MH_LABEL.search(line):
                continue
            first = words.cell.search(line)
            label = line[:first.start()] if first else ""
            if not MH_LABEL.search(label) or OTHER_CARE.search(label) or LABEL_SENTENCE.search(label):
                continue
            cells = _line_cells(line, first.start(), words)
            item = _care_kind(label)
            if item is None or cells is None or len(cells) != len(options) or len(set(options)) != len(options):
                continue
            for option, cell in zip(options, cells):
                found.append(CostValue(item, network, one_line(cell.group(0)).rstrip("."), page, line.strip(),
                                       deductible_applies=_note_rule(cell.group("note") or "", words), plan_option=option,
                                       visit_limit=_visit_limit_of(label)))
    return found


# ---- a brochure that prints two plan options side by side (FEHB: "Standard Option Basic Option")
#
# Under the benefit's label each option's column is flattened into "Preferred: $30 copayment per
# visit\n(no deductible)\nParticipating: ...", one option after the other; a second "Preferred:"
# starts the second option's column. The rows read (professional care, facility care) and the
# entry labels are in costs.yaml.

OPTIONS_HEADER = re.compile(r"(?m)^(?P<title>.*?)\b(?P<first>[A-Z]\w+\s+Option)\s+(?P<second>[A-Z]\w+\s+Option)[ \t]*$")
SECTION_LOOKBACK = 4  # pages back to the note "There is no calendar year deductible under Basic Option"


def _no_deductible_note(document: Document, page: int, option: str, words: CostWords) -> tuple[int, str] | None:
    pattern = re.compile(words.no_deductible.format(option=re.escape(option)).replace(r"\ ", r"\s+").replace(" ", r"\s+"))
    for number in range(page, max(0, page - SECTION_LOOKBACK), -1):
        text = document.page_text(number)
        if not words.section.search(text):
            break
        note = pattern.search(text)
        if note:
            return number, note.group(0)
    return None


def _option_columns(document: Document, words: CostWords) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        for item, row_label in words.brochure_rows:
            label = row_label.search(text)
            if label is None or (item != "outpatient_mental_health" and not words.section.search(text)):
                continue  # a facility row is mental-health care only inside the mental-health section
            header = OPTIONS_HEADER.search(text, 0, label.start())
            if header is None:
                continue
            found += _option_entries(document, page, text, item, label.end(), (header.group("first"), header.group("second")), words)
    return found


def _option_entries(document, page, text, item, label_end, options, words) -> list[CostValue]:
    found: list[CostValue] = []
    option, seen, pos = 0, set(), label_end
    for entry in words.entry.finditer(text, pos):
        gap = text[pos:entry.start()]
        if pos != label_end and gap.strip():
            break  # the row ended: a new label sits between two entries
        name = entry.group("label")
        if name in seen:
            option += 1
            seen = set()
            if option >= len(options):
                break
        seen.add(name)
        pos = entry.end() + 1 if text[entry.end():entry.end() + 1] == "\n" else entry.end()
        price_text = one_line(entry.group("price"))
        price = words.brochure_price.match(price_text)
        network = words.entries.get(name)
        if network is None or price is None:
            continue
        rule, evidence = _line_rule(price_text), ()
        if rule == "not_stated" and price.group(0)[0] in "$0123456789":
            none = _no_deductible_note(document, page, options[option], words)
            if none:
                rule, evidence = "false", (none,)
        found.append(CostValue(item, network, price.group(0), page, entry.group(0).rstrip(),
                               deductible_applies=rule, plan_option=options[option], evidence=evidence))
    return found


# ---- the brochure's out-of-pocket maximum: per option and network, a sentence per kind of
# enrollment ("Standard Option maximums:\nPreferred Provider maximum – For a Self Only enrollment,
# your out-of-pocket maximum ... is $6,000 ... For a Self Plus One or Self and Family enrollment,
# ... is $12,000 ..."); the value joins them. Wording in costs.yaml (brochure: out_of_pocket).

MAX_ENROLLMENTS = 4


def _enrollment(who: str) -> str:
    # "Self Plus One or a Self and Family": the article is not part of the enrollment's name.
    return re.sub(r"\b(?:a|an)\s+", "", one_line(who))


def _oop_values(text: str, words: CostWords) -> list[tuple[str, str, str, int, int]]:
    """(option, network, value, start, end) of each out-of-pocket lead of `text` under an option's heading."""
    found = []
    for lead in words.oop_lead.finditer(text):
        headings = list(words.oop_option.finditer(text, 0, lead.start()))
        if not headings:
            continue  # the option is not said
        sentences, pos = [], lead.end()
        while len(sentences) < MAX_ENROLLMENTS:
            sentence = words.oop_sentence.match(text, pos)
            if sentence is None:
                break
            sentences.append(sentence)
            pos = sentence.end()
        whos = [_enrollment(s.group("who")) for s in sentences]
        if not sentences or len(set(w.lower() for w in whos)) != len(whos):
            continue
        value = " / ".join(f"{s.group('amount')} {who}" for s, who in zip(sentences, whos))
        network = words.oop_leads[one_line(lead.group("lead")).lower()]
        found.append((headings[-1].group("option"), network, value, lead.start(), sentences[-1].end()))
    return found


def _brochure_out_of_pocket(document: Document, words: CostWords) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        if "enrollment" not in text:
            continue  # every sentence read names the enrollment: a cheap test first
        for option, network, value, start, end in _oop_values(text, words):
            found.append(CostValue("out_of_pocket_limit", network, value, page, text[start:end], plan_option=option))
    return found


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
HEADING_LINE = re.compile(r"(?m)^[ \t]*(?P<heading>[A-Z][^\n.:;]{3,60})[ \t]*$")


def _care_kind(text: str) -> str | None:
    inpatient, outpatient = INPATIENT_WORDS.search(text), re.search(r"\boutpatient\b|\boffice\s+visit", text, re.I)
    if bool(inpatient) == bool(outpatient):
        return None
    return "inpatient_mental_health" if inpatient else "outpatient_mental_health"


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
        item = _care_kind(rest)
        if item is None:
            line_start = text.rfind("\n", 0, rest_start) + 1
            headings = [h for h in HEADING_LINE.finditer(text, 0, line_start) if MH_LABEL.search(h.group("heading"))]
            item = _care_kind(headings[-1].group("heading")) if headings else None
        if item is None:
            continue
        start = sentence_start + len(body) - len(body.lstrip())
        rule = "false" if words.waived.search(body) else "true" if re.search(r"deductible\s+applies", body, re.I) else "not_stated"
        found.append((item, one_line(price.group(0)), rule, start, sentence_end))
    return found


def _prose(document: Document, words: CostWords) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        if not mentions_mental_health(document, page):
            continue
        text = document.page_text(page)
        for item, price, rule, start, end in _prose_values(text, words):
            found.append(CostValue(item, "any", price, page, text[start:end], deductible_applies=rule,
                                   visit_limit=_visit_limit_of(text[start:end])))
    return found


# ---- whose share a price is (wording in costs.yaml: shares)
#
# "100% of the Allowable Charge, after Deductible" under a schedule's "Benefits" column is what the
# plan pays; "20% coinsurance" under "What You Will Pay" is what the member pays. The cue is read
# in the value's own quote first, then the nearest one above the quote on its page (the column
# header, the lead-in): a page further back may be another table's.

SHARE_ITEMS = ("outpatient_mental_health", "inpatient_mental_health", "esketamine_drug")
PERCENT = re.compile(r"\d\s?%")


def _share_of(text: str, words: CostWords) -> str:
    """'member', 'plan' or 'not_stated': the side of the last share cue in `text`."""
    cues = list(words.share.finditer(text))
    return ("member" if cues[-1].group("member") else "plan") if cues else "not_stated"


def _line_of(text: str, match: re.Match) -> str:
    """The whole line(s) a match sits on, verbatim: the header or sentence that holds the cue."""
    start = text.rfind("\n", 0, match.start()) + 1
    end = text.find("\n", match.end())
    return text[start:len(text) if end < 0 else end].strip()


def _share(value: CostValue, page_text: str, words: CostWords) -> tuple[str, tuple]:
    """(share, share_quote) of one value from the wording on its page: its quote's cue, else the
    nearest one above it; ('not_stated', ()) when the page says nothing."""
    at = page_text.find(value.quote)
    if value.item not in SHARE_ITEMS or at < 0:
        return "not_stated", ()
    own = list(words.share.finditer(value.quote))
    source, cues = (value.quote, own) if own else (page_text, list(words.share.finditer(page_text, 0, at)))
    if not cues:
        return "not_stated", ()
    side = "member" if cues[-1].group("member") else "plan"
    # A copay, "No charge", "Not covered": a share only the member can have; a plan-side header
    # says nothing about it.
    if side == "plan" and not PERCENT.search(value.value):
        return "not_stated", ()
    return side, (value.page, _line_of(source, cues[-1]))


def _share_definitions(document: Document, words: CostWords) -> tuple[str, list[tuple[int, str]]]:
    """The side every definition of the document's percentages gives, and each (page, quote); else ('not_stated', [])."""
    found = [(page, match) for page in range(1, document.page_count + 1)
             if "percentage" in document.page_text(page).lower()
             for match in words.share_definition.finditer(document.page_text(page))]
    sides = {"member" if match.group("member") else "plan" for _, match in found}
    if len(sides) != 1:
        return "not_stated", []
    return sides.pop(), [(page, match.group(0)) for page, match in found]


def _with_shares(document: Document, values: list[CostValue], words: CostWords) -> list[CostValue]:
    definitions = None
    shared = []
    for value in values:
        if value.share == "not_stated" and value.item in SHARE_ITEMS:
            share, quote = _share(value, document.page_text(value.page), words)
            if share == "not_stated" and PERCENT.search(value.value):
                # Nothing on the page: the document's own definition of its percentages, if it gives
                # one; the nearest at or before the value's page is cited (the schedule's lead-in).
                definitions = definitions or _share_definitions(document, words)
                share, found = definitions
                if found:
                    quote = ([q for q in found if q[0] <= value.page] or found[:1])[-1]
            value = replace(value, share=share, share_quote=quote)
        shared.append(value)
    return shared


# ---- all readers together


def extract_costs(document: Document) -> tuple[CostValue, ...]:
    """Cost values the document states for mental health care and the plan's overall limits."""
    words = cost_words()
    plan_options = _plan_options(document)
    values = (_mental_health_rows(document) + _benefit_lines(document) + _stated_limits(document) + _esketamine(document)
              + _leader_rows(document, words) + _prose(document, words) + _stacked_rows(document, words, plan_options)
              + _limit_rows(document, words, plan_options) + _brochure_out_of_pocket(document, words)
              + _leader_limits(document, words) + _option_table_rows(document, words))
    options = _option_columns(document, words)
    if options:
        # A brochure of two options: a value that does not say which option it is for is not used.
        values = [v for v in values if v.plan_option] + options
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        for item in QUESTIONS:
            values += _plan_limit(item, text, page)
    return _unambiguous(_with_shares(document, values, words))
