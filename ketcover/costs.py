"""Mental-health and esketamine cost sharing as values (copay, coinsurance, deductible, out-of-pocket limit), with pages."""

from __future__ import annotations

import re

# The cost data types live in model.py: a cached report needs them, not this module's regexes.
from ketcover.model import ITEMS, NETWORKS, CostValue, Document
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
            parsed = _cells(text, outpatient.end(), len(networks))
            if parsed:
                cells, end = parsed
                found += _row_values("outpatient_mental_health", text, page, row.start(), cells, networks, marks, chart)
            else:
                end = outpatient.end()
            inpatient = INPATIENT_LABEL.search(text, end, end + MAX_ROW_GAP)
            if inpatient is None:
                continue
            parsed = _cells(text, inpatient.end(), len(networks))
            if parsed:
                found += _row_values("inpatient_mental_health", text, page, row.start(), parsed[0], networks, marks, chart)
    return found


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
# MH_LABEL without its word boundaries: a page where it finds nothing has no line BENEFIT_LINE could
# give (its label must hold MH_LABEL), so BENEFIT_LINE, slow on every line of a long guide, is not run.
MH_ON_PAGE = re.compile(r"mental\s+health|behavioral\s+health|psychiatric", re.I)
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
        text = document.page_text(page)
        if not MH_ON_PAGE.search(text):
            continue
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
                                   deductible_applies=_line_rule(note)))
    return found


# ---- the deductible and out-of-pocket limit outside an SBC: "Annual Deductible $0", "The
# Deductible is $500 for one Member and $1,000 for a family"

_WHO = r"(?:\s+(?:for|per)\s+(?:one\s+|each\s+|a\s+)?(?:Member|person|individual|family|enrollee))"
_LIMIT_AMOUNTS = rf"{AMOUNT}{_WHO}?(?:\s*(?:/|\band\b|\bor\b)\s*{AMOUNT}{_WHO}?)?"
PLAN_LIMITS = {
    "deductible": re.compile(
        rf"(?m)^[ \t]*Annual\s+Deductible[ \t]+(?P<value>{_LIMIT_AMOUNTS})[ \t]*$"
        rf"|(?:\bUnder\s+(?P<option>[A-Z]\w+\s+Option),\s+t|\bT)he\s+(?:annual\s+|calendar\s+year\s+)?Deductible\s+is\s+"
        rf"(?P<prose>{_LIMIT_AMOUNTS})", re.I),
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
                value = match.group("value") or match.group("prose")
                option = match.groupdict().get("option") or ""
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


# ---- a brochure that prints two plan options side by side (FEHB: "Standard Option Basic Option")
#
# Under the benefit's label each option's column is flattened into "Preferred: $30 copayment per
# visit\n(no deductible)\nParticipating: ...", one option after the other; a second "Preferred:"
# starts the second option's column. Only the mental-health professional services row is read.

OPTIONS_HEADER = re.compile(r"(?m)^(?P<title>.*?)\b(?P<first>[A-Z]\w+\s+Option)\s+(?P<second>[A-Z]\w+\s+Option)[ \t]*$")
BROCHURE_MH_LABEL = re.compile(r"Services\s+provided\s+by\s+licensed\s+professional\s+mental\s+health", re.I)
OPTION_ENTRY = re.compile(
    r"(?m)^(?P<label>Preferred|Participating|Non-participating|Participating/Non-participating):[ \t]*\n?"
    r"(?P<price>[^\n]*(?:\n(?!(?:Preferred|Participating|Non-participating|Participating/Non-participating|Note|•)\b)"
    r"(?![^\n]*:[ \t]*$)[^\n]*){0,4})")
OPTION_NETWORKS = {"Preferred": "in_network", "Non-participating": "out_of_network",
                   "Participating/Non-participating": "out_of_network"}
OPTION_PRICE = re.compile(
    rf"^(?:{AMOUNT}\s+copayment(?:\s+per\s+visit)?|\d{{1,3}}%\s+of\s+the\s+Plan\s+allowance|Nothing|You\s+pay\s+all\s+charges)", re.I)


def _option_columns(document: Document) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        label = BROCHURE_MH_LABEL.search(text)
        header = OPTIONS_HEADER.search(text) if label else None  # the slower test, only where it matters
        if header is None or label is None:
            continue
        options = (header.group("first"), header.group("second"))
        option, seen = 0, set()
        pos = label.end()
        for entry in OPTION_ENTRY.finditer(text, pos):
            gap = text[pos:entry.start()]
            if pos != label.end() and gap.strip():
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
            price = OPTION_PRICE.match(price_text)
            if name not in OPTION_NETWORKS or price is None:
                continue
            rule, evidence = _line_rule(price_text), ()
            none = re.search(rf"There\s+is\s+no\s+calendar\s+year\s+deductible\s+under\s+{options[option]}\.?", text)
            if rule == "not_stated" and none and price.group(0)[0] in "$0123456789":
                rule, evidence = "false", ((page, none.group(0)),)
            found.append(CostValue("outpatient_mental_health", OPTION_NETWORKS[name], price.group(0), page,
                                   entry.group(0).rstrip(), deductible_applies=rule, plan_option=options[option],
                                   evidence=evidence))
    return found


# ---- all readers together


def extract_costs(document: Document) -> tuple[CostValue, ...]:
    """Cost values the document states for mental health care and the plan's overall limits."""
    values = _mental_health_rows(document) + _benefit_lines(document) + _stated_limits(document) + _esketamine(document)
    options = _option_columns(document)
    if options:
        # A brochure of two options: a value that does not say which option it is for is not used.
        values = [v for v in values if v.plan_option] + options
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        for item in QUESTIONS:
            values += _plan_limit(item, text, page)
    return _unambiguous(values)
