"""Benefit schedules printed as tables: dot leaders, stacked label and value columns, plan-option columns."""

from __future__ import annotations

import re

from ketcover.costs.layout import (
    LABEL_SENTENCE,
    LEADER,
    MH_LABEL,
    OTHER_CARE,
    care_kind,
    line_rule,
    lines_from,
    mental_health_pages,
    named_above,
    schedule_network,
)
from ketcover.costs.wording import CostWords, note_rule, visit_limit_of
from ketcover.model import CostValue, Document
from ketcover.normalize import one_line

# ---- a schedule of benefits with dot leaders, one column per network
#
# "Mental Disorders   Preferred Providers   Out-of-Network" heads the table; each row is a label
# (wrapped over lines) and its prices, all joined by leaders: "Inpatient facility3 ........ 0%
# ........ 50%". A footnote number sticks to the word before it ("visits2"): it is not part of
# the value. A row whose cells do not each hold one price (and a deductible note) is not read.

FOOTNOTE_MARK = re.compile(r"(?<=[A-Za-z)])\d{1,2}$")
MAX_LABEL_LINES = 8


def header_networks(columns: str, words: CostWords) -> tuple[str, ...] | None:
    networks = []
    for label in words.column.finditer(columns):
        networks.append(next(n for pattern, n in words.column_networks if pattern.fullmatch(label.group(0))))
    if "in_network" not in networks or "out_of_network" not in networks or len(set(networks)) != len(networks):
        return None
    return tuple(networks)


def row_item(label: str, words: CostWords) -> str | None:
    if words.other_care.search(label):
        return None
    return next((item for item, pattern in words.rows if pattern.match(label)), None)


def leader_rows(document: Document, words: CostWords) -> list[CostValue]:
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
                networks = header_networks(header.group("columns"), words) if words.tables.fullmatch(title) else None
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
            item = row_item(label, words)
            matches = [words.cell.fullmatch(cell) for cell in cells]
            if item is None or len(cells) != len(networks) or not all(matches):
                continue
            for network, cell, match in zip(networks, cells, matches):
                found.append(CostValue(item, network, one_line(cell).rstrip("."), page, quote,
                                       deductible_applies=note_rule(match.group("note") or "", words),
                                       visit_limit=visit_limit_of(label)))
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


def plan_options(document: Document) -> dict[int, list[tuple[int, str]]]:
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


def option_at(options: dict[int, list[tuple[int, str]]], page: int, offset: int) -> str:
    for number in range(page, max(0, page - OPTION_LOOKBACK - 1), -1):
        above = [name for at, name in options.get(number, ()) if number < page or at < offset]
        if above:
            return above[-1]
    return ""


def _stacked_block(text: str, start: int, words: CostWords):
    """The labels and value cells of the block that starts at `start`, or None when they do not pair up."""
    labels, pos = [], start
    for line_start, line_end in lines_from(text, start):
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


def stacked_rows(document: Document, words: CostWords, options) -> list[CostValue]:
    found: list[CostValue] = []
    for page, text in mental_health_pages(document):
        for start, end in lines_from(text):
            if not words.tables.fullmatch(text[start:end].strip()):
                continue
            block = _stacked_block(text, end + 1, words)
            if block is None:
                continue
            labels, cells = block
            quote = text[start:cells[-1].end("cell")]
            for label, cell in zip(labels, cells):
                item = row_item(label, words)
                if item is None:
                    continue
                found.append(CostValue(item, schedule_network(document, page), one_line(cell.group("cell")).rstrip("."), page,
                                       quote, deductible_applies=note_rule(cell.group("note") or "", words),
                                       plan_option=option_at(options, page, start)))
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


def option_table_rows(document: Document, words: CostWords) -> list[CostValue]:
    found: list[CostValue] = []
    for page, text in mental_health_pages(document):
        if not words.option_name.search(text):
            continue
        options, network = (), None
        for start, end in lines_from(text):
            line = text[start:end].rstrip()
            if words.option_header.fullmatch(line):
                options = tuple(m.group(0) for m in words.option_name.finditer(line))
                network = named_above(document, page, text, start, words.option_titles)
                continue
            if not options or network is None or not MH_LABEL.search(line):
                continue
            first = words.cell.search(line)
            label = line[:first.start()] if first else ""
            if not MH_LABEL.search(label) or OTHER_CARE.search(label) or LABEL_SENTENCE.search(label):
                continue
            cells = _line_cells(line, first.start(), words)
            item = care_kind(label)
            if item is None or cells is None or len(cells) != len(options) or len(set(options)) != len(options):
                continue
            for option, cell in zip(options, cells):
                found.append(CostValue(item, network, one_line(cell.group(0)).rstrip("."), page, line.strip(),
                                       deductible_applies=note_rule(cell.group("note") or "", words), plan_option=option,
                                       visit_limit=visit_limit_of(label)))
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


def option_columns(document: Document, words: CostWords) -> list[CostValue]:
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
        rule, evidence = line_rule(price_text), ()
        if rule == "not_stated" and price.group(0)[0] in "$0123456789":
            none = _no_deductible_note(document, page, options[option], words)
            if none:
                rule, evidence = "false", (none,)
        found.append(CostValue(item, network, price.group(0), page, entry.group(0).rstrip(),
                               deductible_applies=rule, plan_option=options[option], evidence=evidence))
    return found
