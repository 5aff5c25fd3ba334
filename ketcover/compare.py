"""The comparison model: plans side by side, one column per plan, one row per concern and cost item."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ketcover.concerns import display_order, titles
from ketcover.cost_words import COST_TITLES, cost_answer
from ketcover.model import ITEMS, CostValue, DocumentReport, Finding
from ketcover.normalize import one_line
from ketcover.summary import format_pages

DISPLAY_ORDER = display_order()
TITLES = titles()

# The cost rows follow the mental-health row: what care costs is the next thing a patient asks.
ROW_ORDER = (DISPLAY_ORDER[0],) + tuple(f"cost.{item}" for item in ITEMS) + DISPLAY_ORDER[1:]
NOT_READ = "not read: the file could not be read"
NO_COST = "not found in a cost table ketcover can read"
NO_COST_NOTE = "A cost that is not shown was not found in a form ketcover can read; it is not \"not covered\"."
STATUS_RANK = {"found": 0, "stated": 0, "negated": 1, "unknown": 2, "not_found": 3, "error": 4}
# The plan-name line of an SBC runs on into the header fields printed beside it.
NAME_TAIL = re.compile(r"\s*(?:Coverage\s+for:|Coverage\s+Period:|\|\s*Plan\s+Type:).*$", re.I)


@dataclass(frozen=True)
class Plan:
    """One column: the plan's display name, its file, and whether it could be read."""

    name: str
    file: str
    status: str
    pages: int
    error_code: str | None = None
    error: str | None = None

    def to_json(self) -> dict:
        return {"name": self.name, "file": self.file, "status": self.status, "pages": self.pages,
                "error": None if self.error is None else {"code": self.error_code, "message": self.error}}


@dataclass(frozen=True)
class Cell:
    """One plan's answer for one row, with the pages and verbatim quotes behind it."""

    status: str  # found | negated | not_found | unknown | error (concerns); stated | not_found | error (costs)
    answer: str
    pages: tuple[int, ...]
    quotes: tuple[tuple[int, str], ...] = ()  # (page, quote), the first is the one to show
    values: tuple[CostValue, ...] = ()
    # For a plan of several documents: the file name of each quote (parallel to `quotes`).
    files: tuple[str, ...] = ()

    @property
    def quote(self) -> str:
        return self.quotes[0][1] if self.quotes else ""

    def to_json(self) -> dict:
        data = {"status": self.status, "answer": self.answer, "pages": list(self.pages), "quote": self.quote}
        if self.values:
            data["values"] = [v.to_json() for v in self.values]
        if self.files:
            data["files"] = list(self.files)
        return data


@dataclass(frozen=True)
class Row:
    key: str  # a concern name, or "cost.<item>"
    title: str
    kind: str  # concern | cost
    cells: tuple[Cell, ...]

    def to_json(self) -> dict:
        return {"key": self.key, "title": self.title, "kind": self.kind, "cells": [c.to_json() for c in self.cells]}


@dataclass(frozen=True)
class Comparison:
    reports: tuple[DocumentReport, ...]
    plans: tuple[Plan, ...]
    rows: tuple[Row, ...]

    def to_json(self) -> dict:
        return {"plans": [p.to_json() for p in self.plans], "rows": [r.to_json() for r in self.rows]}


# ---------------------------------------------------------------- building


def plan_label(report: DocumentReport) -> str:
    """The plan name found in the document, trimmed of header fields; else the file name."""
    name = NAME_TAIL.sub("", one_line(report.plan_name or "")).strip(" -–—:|")
    return name or Path(report.file).name


def _plans(reports: list[DocumentReport]) -> tuple[Plan, ...]:
    names = [plan_label(r) for r in reports]
    plans = []
    for report, name in zip(reports, names):
        if names.count(name) > 1 and name != Path(report.file).name:
            name = f"{name} ({Path(report.file).name})"  # two files, same plan name: say which is which
        if report.status == "error":
            plans.append(Plan(name, report.file, "error", 0, report.error.code, report.error.message))
        else:
            plans.append(Plan(name, report.file, report.status, report.pages))
    return tuple(plans)


def _primary_first(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.polarity != "affirms", f.sort_key))


def _clauses_answer(findings: list[Finding]) -> str:
    """'covered (p. 3); stated as not applying (p. 9)': what the clauses say, without prices."""
    groups: dict[str, list[int]] = {}
    for finding in sorted(findings, key=lambda f: (f.polarity != "affirms", f.sort_key)):
        label = finding.answer if finding.polarity == "affirms" else "stated as not applying"
        groups.setdefault(label, []).append(finding.page)
    return "; ".join(f"{label} ({format_pages(pages)})" for label, pages in groups.items())


def concern_answer(report: DocumentReport, concern: str) -> tuple[str, str, tuple[int, ...]]:
    """(status, short answer, pages) of one concern, as a comparison shows it."""
    summary = next((s for s in report.summary if s.concern == concern), None)
    if summary is None:
        return "unknown", "not analyzed", ()
    if summary.status == "not_found":
        return summary.status, "not found", summary.pages
    findings = [f for f in report.findings if f.concern == concern]
    if concern == "mental_health_coverage" and findings:
        # The cost rows below carry the prices, per network and item; this row says only what the
        # clauses say, so a price is never shown twice in two wordings.
        return summary.status, _clauses_answer(findings), summary.pages
    return summary.status, summary.answer, summary.pages


def _concern_cell(report: DocumentReport, concern: str) -> Cell:
    if report.status == "error":
        return Cell("error", NOT_READ, ())
    status, answer, pages = concern_answer(report, concern)
    findings = _primary_first([f for f in report.findings if f.concern == concern])
    return Cell(status, answer, pages, tuple((f.page, f.quote) for f in findings))


def _cost_cell(report: DocumentReport, item: str) -> Cell:
    if report.status == "error":
        return Cell("error", NOT_READ, ())
    values = sorted((v for v in report.costs if v.item == item), key=lambda v: v.sort_key)
    if not values:
        return Cell("not_found", NO_COST, ())
    quotes: list[tuple[int, str]] = []
    for value in values:
        if (value.page, value.quote) not in quotes:
            quotes.append((value.page, value.quote))
    return Cell("stated", cost_answer(values), tuple(sorted({v.page for v in values})), tuple(quotes), tuple(values))


def _file_name(path: str) -> str:
    return Path(path).name


def _group_plan(name: str, reports: list[DocumentReport]) -> Plan:
    files = ", ".join(_file_name(r.file) for r in reports)
    readable = [r for r in reports if r.status != "error"]
    if not readable:
        first = reports[0]
        return Plan(name, files, "error", 0, first.error.code, first.error.message)
    status = "ok" if all(r.status == "ok" for r in reports) else "ok_with_warnings"
    return Plan(name, files, status, sum(r.pages for r in readable))


def _group_concern_cell(reports: list[DocumentReport], concern: str) -> Cell:
    """One plan's answer drawn from each of its documents that has one, each naming its file."""
    cells = [(_file_name(r.file), _concern_cell(r, concern)) for r in reports]
    said = [(name, cell) for name, cell in cells if cell.status in ("found", "negated")]
    if not said:
        status = min((c.status for _, c in cells), key=lambda s: STATUS_RANK.get(s, 5))
        return Cell(status, "not found" if status == "not_found" else cells[0][1].answer, ())
    status = min((c.status for _, c in said), key=lambda s: STATUS_RANK.get(s, 5))
    answer = "; ".join(f"{name}: {cell.answer}" for name, cell in said)
    quotes = tuple(q for _, cell in said for q in cell.quotes)
    files = tuple(name for name, cell in said for _ in cell.quotes)
    pages = tuple(sorted({p for _, cell in said for p in cell.pages}))
    return Cell(status, answer, pages, quotes, files=files)


def _group_cost_cell(reports: list[DocumentReport], item: str) -> Cell:
    """Each (option, network) value from the first document of the plan that states it."""
    chosen: dict[tuple[str, str], tuple[str, CostValue]] = {}
    for report in reports:
        for value in sorted((v for v in report.costs if v.item == item), key=lambda v: v.sort_key):
            chosen.setdefault((value.plan_option, value.network), (_file_name(report.file), value))
    if not chosen:
        return Cell("error" if all(r.status == "error" for r in reports) else "not_found",
                    NOT_READ if all(r.status == "error" for r in reports) else NO_COST, ())
    pairs = sorted(chosen.values(), key=lambda fv: fv[1].sort_key)
    files = tuple(f for f, _ in pairs)
    values = tuple(v for _, v in pairs)
    return Cell("stated", cost_answer(list(values), files), tuple(sorted({v.page for v in values})),
                tuple((v.page, v.quote) for v in values), values, files)


def build_comparison(reports: list[DocumentReport], groups: list[tuple[str, list[int]]] | None = None) -> Comparison:
    """The matrix: one column per report (in input order), one row per concern and cost item.

    With `groups` ((plan name, indexes of its reports) each), one column per plan: the documents
    of one plan (an SBC, its EOC, its drug list) answer together, each cell citing file and page."""
    reports = list(reports)
    if groups is None:
        return Comparison(tuple(reports), _plans(reports), _rows(reports, _cost_cell, _concern_cell))
    members = [[reports[i] for i in indexes] for _, indexes in groups]
    plans = tuple(_group_plan(name, group) for (name, _), group in zip(groups, members))
    return Comparison(tuple(reports), plans, _rows(members, _group_cost_cell, _group_concern_cell))


def _rows(columns: list, cost_cell, concern_cell) -> tuple[Row, ...]:
    """One row per concern and cost item, one cell per column (a report, or a plan's reports)."""
    rows = []
    for key in ROW_ORDER:
        if key.startswith("cost."):
            item = key[len("cost."):]
            rows.append(Row(key, COST_TITLES[item], "cost", tuple(cost_cell(c, item) for c in columns)))
        else:
            rows.append(Row(key, TITLES[key], "concern", tuple(concern_cell(c, key) for c in columns)))
    return tuple(rows)




def file_names(files: str) -> str:
    """What an exported table shows of a plan's files: their names, never the folders they sit in."""
    return ", ".join(Path(f.strip()).name for f in files.split(", "))


def plan_state(plan: Plan) -> str:
    if plan.status == "error":
        return f"ERROR: could not be read. {plan.error}"
    return f"{plan.pages} pages" + ("; read with warnings" if plan.status == "ok_with_warnings" else "")
