"""A comparison as one offline HTML page: sticky header and first column, cards on a phone, plans sortable by a cost."""

from __future__ import annotations

import re

from ketcover.compare import Cell, Comparison, file_names, plan_state
from ketcover.normalize import one_line
from ketcover.render.escape import terminal_safe
from ketcover.render.pages import render_page

CELL_WORDS = {"found": "stated in the document", "stated": "stated", "negated": "stated as not applying",
              "not_found": "not found", "unknown": "not analyzed", "error": "could not be read"}
NUMBER = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)|(\d{1,3}(?:\.\d+)?)\s?%")


def _amount(cell: Cell) -> str:
    """The first dollar amount of a cost cell, for sorting plans by it (a percentage sorts after)."""
    number = NUMBER.search(cell.answer) if cell.status == "stated" else None
    if number and number.group(1):
        return f"{float(number.group(1).replace(',', '')):.2f}"
    return f"{100000 + float(number.group(2)):.2f}" if number else ""


def _anchor(plan_index: int, key: str) -> str:
    return f"p{plan_index + 1}-{key.replace('.', '-')}"


def render_html(comparison: Comparison) -> str:
    """One offline file from the Jinja2 template (autoescaped): sticky header and first column, a
    card layout on a phone, a print layout, plans sortable by a cost; the policy pins the style and script."""
    rows = []
    for row in comparison.rows:
        cells = [{"status": c.status, "answer": c.answer, "status_words": CELL_WORDS.get(c.status, c.status),
                  "amount": _amount(c) if row.kind == "cost" else "",
                  "anchor": _anchor(i, row.key) if c.quotes else ""} for i, c in enumerate(row.cells)]
        rows.append({"key": row.key, "anchor": row.key.replace(".", "-"), "title": row.title, "kind": row.kind,
                     "cells": cells})
    plans = []
    for index, plan in enumerate(comparison.plans):
        quotes = []
        for row in comparison.rows:
            cell = row.cells[index]
            if not cell.quotes:
                continue
            files = cell.files or ("",) * len(cell.quotes)
            quotes.append({"anchor": _anchor(index, row.key), "title": row.title, "answer": cell.answer,
                           "cites": [{"file": f, "page": page, "text": one_line(quote)}
                                     for f, (page, quote) in zip(files, cell.quotes)]})
        plans.append({"name": plan.name, "files": file_names(plan.file), "state": plan_state(plan), "quotes": quotes})
    page = render_page(
        "compare.html.j2", plans=plans, rows=rows,
        no_cost_note="A cost that is not shown was not found in a form ketcover can read; it is not “not covered”.")
    # Control characters (never in cleaned page text, but possible in a file name) are dropped.
    return terminal_safe(page)

