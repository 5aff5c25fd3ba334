"""A comparison as boxed plain-text tables that fit the terminal's width (stable output for pipes and files)."""

from __future__ import annotations

import re
import shutil
import textwrap

from ketcover import __version__
from ketcover.compare import NO_COST_NOTE, Comparison, file_names, plan_state
from ketcover.render.escape import terminal_safe

MIN_COLUMN = 24
MAX_TITLE = 22


def _wrap(text: str, width: int) -> list[str]:
    # A no-break space (textwrap splits on ASCII whitespace only) keeps "p. 3" on one line.
    text = re.sub(r"\b(pp?\.) (?=\d)", "\\1\u00a0", text)
    lines = textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
    return [line.replace("\u00a0", " ") for line in lines]


def _text_block(title_width: int, col_width: int, header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [title_width] + [col_width] * (len(header) - 1)
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    lines = [rule]
    for index, row in enumerate([header] + rows):
        wrapped = [_wrap(cell, w) for cell, w in zip(row, widths)]
        for n in range(max(len(w) for w in wrapped)):
            parts = [(w[n] if n < len(w) else "").ljust(width) for w, width in zip(wrapped, widths)]
            lines.append("| " + " | ".join(parts) + " |")
        lines.append(rule.replace("-", "=") if index == 0 else rule)
    return lines


def render_text(comparison: Comparison, width: int | None = None) -> str:
    """Boxed tables that fit `width` columns; plans that do not fit go on to the next table."""
    width = width or shutil.get_terminal_size((100, 24)).columns
    width = max(width, MAX_TITLE + MIN_COLUMN + 7)
    title_width = MAX_TITLE
    per_table = max(1, (width - title_width - 4) // (MIN_COLUMN + 3))
    plans = list(comparison.plans)
    lines = [f"ketcover {__version__}: {len(plans)} plan(s) compared; every answer cites its page(s).", ""]
    for number, plan in enumerate(plans, 1):
        lines += textwrap.wrap(f"[{number}] {plan.name}", width, initial_indent="  ", subsequent_indent="      ")
        lines += textwrap.wrap(f"{file_names(plan.file)}: {plan_state(plan)}", width, initial_indent="      ",
                               subsequent_indent="      ", break_on_hyphens=False)
    lines.append("")
    for first in range(0, len(plans), per_table):
        group = list(range(first, min(first + per_table, len(plans))))
        col_width = max(MIN_COLUMN, min(48, (width - title_width - 4) // len(group) - 3))
        if len(plans) > per_table:
            lines.append(f"Plans {group[0] + 1}-{group[-1] + 1} of {len(plans)}")
        header = ["Plan"] + [f"[{i + 1}] {plans[i].name}" for i in group]
        body = [["Document"] + [plan_state(plans[i]) for i in group]]
        for row in comparison.rows:
            body.append([row.title] + [row.cells[i].answer for i in group])
        lines.extend(_text_block(title_width, col_width, header, body))
        lines.append("")
    lines += textwrap.wrap(NO_COST_NOTE, width)
    return terminal_safe("\n".join(lines)) + "\n"
