"""How costs are worded: amounts, deductible notes, visit limits, and the wording of costs.yaml compiled once."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from ketcover.kinds import compile_cue
from ketcover.normalize import one_line

COSTS_FILE = Path(__file__).with_name("costs.yaml")
# An amount of money as printed: "$30", "$ 250", "$1,500.00".
AMOUNT = r"\$\s?\d[\d,]*(?:\.\d\d)?"


# ---- does the deductible come first?
#
# SBCs say it per cell ("deductible does not apply"), with a footnote mark ("†Deductible does not
# apply.") or once above the chart ("All copayment and coinsurance costs shown in this chart are
# after your deductible has been met"); schedules and brochures say it beside the price ("After
# Deductible", "(no deductible)").
NO_DEDUCTIBLE = re.compile(
    r"deductible\s+(?:doesn['’]t|does\s+not)\s+apply|\(\s*no\s+deductible\s*\)|deductible\s+(?:is\s+)?waived", re.I)
AFTER_DEDUCTIBLE = re.compile(r"after\s+(?:the\s+)?deductible|\(\s*deductible\s+applies\s*\)|deductible\s+applies", re.I)


def find_visit_limit(text: str) -> re.Match | None:
    return cost_words().visit_limit.search(text)


def visit_limit_of(text: str) -> str:
    """The visit limit a row's own text (its label, its sentence) states, as printed, or ""."""
    limit = find_visit_limit(text)
    return one_line(limit.group(0)) if limit else ""


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


def note_rule(note: str, words: CostWords) -> str:
    """'true', 'false' or 'not_stated' from a cell's deductible note (a condition on visits: not stated)."""
    if not note or words.conditional.search(note):
        return "not_stated"
    if words.waived.search(note):
        return "false"
    return "true" if words.applies.search(note) else "not_stated"
