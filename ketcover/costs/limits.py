"""The plan's deductible and out-of-pocket limit, as sentences, table rows, dot-leader lines or brochure maximums."""

from __future__ import annotations

import itertools
import re

from ketcover.costs.layout import LEADER, lines_from, named_above, schedule_network
from ketcover.costs.schedules import MAX_STACK, header_networks, option_at
from ketcover.costs.wording import AMOUNT, CostWords
from ketcover.model import CostValue, Document
from ketcover.normalize import one_line

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


def stated_limits(document: Document) -> list[CostValue]:
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
                found.append(CostValue(item, schedule_network(document, page), one_line(value), page,
                                       match.group(0).strip(), plan_option=option))
    return found


# ---- the deductible and out-of-pocket limit as a table row: "Annual Deductible" alone on its line,
# then "Individual: $250\nFamily: $500" in each network column of the table (the columns' text
# one after the other), or "Individual\nFamily Unit\n$750\n$1,500" (the labels read before the
# values). Each network's amounts must name the same kinds of coverage, in the same order.

AMOUNT_LINE = re.compile(rf"[ \t]*{AMOUNT}[ \t]*")
MAX_LIMIT_LINES = 20  # lines from a row label to its last amount


def _stacked_limit(text: str, start: int, words: CostWords) -> tuple[str, int] | None:
    lines = list(itertools.islice(lines_from(text, start), 2 * MAX_STACK + 1))
    whos = list(itertools.takewhile(lambda span: words.who.fullmatch(text[span[0]:span[1]]), lines))
    amounts = list(itertools.takewhile(lambda span: AMOUNT_LINE.fullmatch(text[span[0]:span[1]]), lines[len(whos):]))
    if len(whos) < 2 or len(amounts) != len(whos):
        return None  # (a second column of amounts would follow the first: one too many)
    value = " / ".join(f"{one_line(text[w[0]:w[1]])} {one_line(text[a[0]:a[1]])}" for w, a in zip(whos, amounts))
    return value, amounts[-1][1]


def _column_limits(text: str, start: int, words: CostWords, networks) -> tuple[list[str], int] | None:
    spans = []
    for count, (line_start, line_end) in enumerate(lines_from(text, start)):
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


def limit_rows(document: Document, words: CostWords, options) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        lower = text.lower()
        if ("deductible" not in lower and "out-of-pocket" not in lower) or not words.limit_heading.search(text):
            continue  # no row label alone on its line: nothing to read (cheap tests first)
        networks = None
        for start, end in lines_from(text):
            line = text[start:end]
            header = words.schedule_header.match(line)
            if header:
                networks = header_networks(header.group("columns"), words)
                continue
            item = next((item for item, pattern in words.limit_labels if pattern.fullmatch(line)), None)
            if item is None:
                continue
            option = option_at(options, page, start)
            stacked = _stacked_limit(text, end + 1, words)
            if stacked:
                value, value_end = stacked
                found.append(CostValue(item, schedule_network(document, page), value, page, text[start:value_end],
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


def _leader_limit_lines(document: Document, page: int, text: str, words: CostWords):
    """(item, network, who, amount, label, start, end) of each dot-leader limit line of the page."""
    item_before, family_mode, previous_end = None, False, 0
    for line in LEADER_AMOUNT.finditer(text):
        start = _leader_label_start(text, text.rfind("\n", 0, line.start()) + 1)
        label = one_line(text[start:line.start()])
        networks = {next(n for p, n in words.column_networks if p.fullmatch(m.group(0))) for m in words.column.finditer(label)}
        item = next((item for item, pattern in LIMIT_ITEM_WORDS if pattern.search(label)), None)
        item = item or named_above(document, page, text, start, words.limit_heading)
        if item != item_before:
            family_mode = False
        if words.family_lead.search(text, previous_end, start):
            family_mode = True
        item_before, previous_end = item, line.end()
        if item is None or len(networks) != 1:
            continue
        who = "family" if family_mode or words.family.search(label) else "person"
        yield item, networks.pop(), who, line.group("amount"), label, start, line.end()


def leader_limits(document: Document, words: CostWords) -> list[CostValue]:
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


def brochure_out_of_pocket(document: Document, words: CostWords) -> list[CostValue]:
    found: list[CostValue] = []
    for page in range(1, document.page_count + 1):
        text = document.page_text(page)
        if "enrollment" not in text:
            continue  # every sentence read names the enrollment: a cheap test first
        for option, network, value, start, end in _oop_values(text, words):
            found.append(CostValue("out_of_pocket_limit", network, value, page, text[start:end], plan_option=option))
    return found
