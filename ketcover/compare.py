"""Plans side by side (one column per plan, one row per concern) and what changed between two versions."""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import re
import shutil
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ketcover import __version__
from ketcover.model import ITEMS, NETWORKS, CostValue, DocumentReport, Finding
from ketcover.report import DISPLAY_ORDER, SCHEMA, STATUS_WORDS, TITLES, md_escape, one_line, terminal_safe
from ketcover.summary import format_pages

COST_TITLES = {
    "outpatient_mental_health": "Outpatient mental health cost",
    "inpatient_mental_health": "Inpatient mental health cost",
    "deductible": "Overall deductible",
    "out_of_pocket_limit": "Out-of-pocket limit",
}
NETWORK_WORDS = {"preferred": "Preferred tier", "in_network": "In network", "any": "", "out_of_network": "Out of network"}
# The cost rows follow the mental-health row: what care costs is the next thing a patient asks.
ROW_ORDER = (DISPLAY_ORDER[0],) + tuple(f"cost.{item}" for item in ITEMS) + DISPLAY_ORDER[1:]
NOT_READ = "not read: the file could not be read"
NO_COST = "not found in a cost table ketcover can read"
NO_COST_NOTE = "A cost that is not shown was not found in a form ketcover can read; it is not \"not covered\"."
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

    @property
    def quote(self) -> str:
        return self.quotes[0][1] if self.quotes else ""

    def to_json(self) -> dict:
        data = {"status": self.status, "answer": self.answer, "pages": list(self.pages), "quote": self.quote}
        if self.values:
            data["values"] = [v.to_json() for v in self.values]
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


def cost_answer(values: list[CostValue]) -> str:
    """'In network: $40 copay/visit. Out of network: 30% coinsurance. (p. 3)'"""
    same_page = len({v.page for v in values}) == 1
    parts = []
    for value in values:
        label = NETWORK_WORDS[value.network]
        text = value.value.rstrip(". ")
        text = f"{label}: {text}" if label else text
        parts.append(text + ("." if same_page else f" (p. {value.page})."))
    return " ".join(parts) + (f" (p. {values[0].page})" if same_page else "")


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


def build_comparison(reports: list[DocumentReport]) -> Comparison:
    """The matrix: one column per report (in input order), one row per concern and cost item."""
    reports = list(reports)
    rows = []
    for key in ROW_ORDER:
        if key.startswith("cost."):
            item = key[len("cost."):]
            rows.append(Row(key, COST_TITLES[item], "cost", tuple(_cost_cell(r, item) for r in reports)))
        else:
            rows.append(Row(key, TITLES[key], "concern", tuple(_concern_cell(r, key) for r in reports)))
    return Comparison(tuple(reports), _plans(reports), tuple(rows))


def _plan_state(plan: Plan) -> str:
    if plan.status == "error":
        return f"ERROR: could not be read. {plan.error}"
    return f"{plan.pages} pages" + ("; read with warnings" if plan.status == "ok_with_warnings" else "")


# ---------------------------------------------------------------- text

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
        lines += textwrap.wrap(f"{plan.file}: {_plan_state(plan)}", width, initial_indent="      ",
                               subsequent_indent="      ", break_on_hyphens=False)
    lines.append("")
    for first in range(0, len(plans), per_table):
        group = list(range(first, min(first + per_table, len(plans))))
        col_width = max(MIN_COLUMN, min(48, (width - title_width - 4) // len(group) - 3))
        if len(plans) > per_table:
            lines.append(f"Plans {group[0] + 1}-{group[-1] + 1} of {len(plans)}")
        header = ["Plan"] + [f"[{i + 1}] {plans[i].name}" for i in group]
        body = [["Document"] + [_plan_state(plans[i]) for i in group]]
        for row in comparison.rows:
            body.append([row.title] + [row.cells[i].answer for i in group])
        lines.extend(_text_block(title_width, col_width, header, body))
        lines.append("")
    lines += textwrap.wrap(NO_COST_NOTE, width)
    return terminal_safe("\n".join(lines)) + "\n"


# ---------------------------------------------------------------- markdown


def render_markdown(comparison: Comparison) -> str:
    plans = comparison.plans
    out = ["# ketcover plan comparison", "",
           f"ketcover {__version__}; every answer cites its page(s); every quote behind it is verbatim.", ""]
    out.append("| Concern | " + " | ".join(md_escape(p.name) for p in plans) + " |")
    out.append("|---" * (len(plans) + 1) + "|")
    out.append("| Document | " + " | ".join(md_escape(_plan_state(p)) for p in plans) + " |")
    for row in comparison.rows:
        out.append(f"| {md_escape(row.title)} | " + " | ".join(md_escape(c.answer) for c in row.cells) + " |")
    out += ["", "## Files", ""]
    for plan in plans:
        out.append(f"- **{md_escape(plan.name)}**: `{plan.file.replace('`', '')}` ({md_escape(_plan_state(plan))})")
    out += ["", NO_COST_NOTE, ""]
    return terminal_safe("\n".join(out))


# ---------------------------------------------------------------- HTML

HTML_STYLE = (
    "body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1b1b1b;line-height:1.4}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccd;padding:.4rem .6rem;vertical-align:top;text-align:left;max-width:22rem}"
    "thead th{background:#eef3f8}thead tr:first-child th{cursor:pointer}thead th[aria-sort=ascending]::after{content:' \\25B2'}"
    "thead th[aria-sort=descending]::after{content:' \\25BC'}tbody th{background:#f6f8fb}"
    "a{color:#174a7c}.found,.stated{color:#0b5a2a}.not_found,.unknown{color:#8a4b00}.error{background:#fde8e8}"
    "blockquote{margin:.3rem 0 .8rem;padding:.3rem .8rem;border-left:4px solid #2c5d8f;background:#f6f8fb}"
    ".page{font-weight:600}:target{outline:3px solid #f0c36d}"
)
# Sorts the rows by the clicked column (a plan, or the concern title to restore the order); no
# inline event handlers, so the strict Content-Security-Policy below can pin this exact script.
HTML_SCRIPT = (
    "(function(){var t=document.getElementById('matrix');if(!t)return;"
    "var hs=t.tHead.rows[0].cells;"
    "function go(c){var h=hs[c],asc=h.getAttribute('aria-sort')!=='ascending',b=t.tBodies[0];"
    "for(var i=0;i<hs.length;i++)hs[i].removeAttribute('aria-sort');"
    "h.setAttribute('aria-sort',asc?'ascending':'descending');"
    "var r=Array.prototype.slice.call(b.rows);"
    "r.sort(function(x,y){var p=x.cells[c].getAttribute('data-sort'),q=y.cells[c].getAttribute('data-sort');"
    "return (p<q?-1:p>q?1:0)*(asc?1:-1);});"
    "r.forEach(function(e){b.appendChild(e);});}"
    "Array.prototype.forEach.call(hs,function(h,c){h.tabIndex=0;"
    "h.addEventListener('click',function(){go(c);});"
    "h.addEventListener('keydown',function(e){if(e.key==='Enter'||e.key===' '){e.preventDefault();go(c);}});});"
    "})();"
)


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


CSP = (
    f"default-src 'none'; style-src {_csp_hash(HTML_STYLE)}; script-src {_csp_hash(HTML_SCRIPT)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'"
)
STATUS_RANK = {"found": 0, "stated": 0, "negated": 1, "unknown": 2, "not_found": 3, "error": 4}
NUMBER = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)|(\d{1,3}(?:\.\d+)?)\s?%")


def _sort_key(cell: Cell) -> str:
    """Status first; cost cells then by their first dollar amount, then by their first percentage."""
    number = NUMBER.search(cell.answer) if cell.status == "stated" else None
    if number and number.group(1):
        amount = f"0{float(number.group(1).replace(',', '')):012.2f}"
    elif number:
        amount = f"1{float(number.group(2)):012.2f}"
    else:
        amount = "2"
    return f"{STATUS_RANK.get(cell.status, 5)}|{amount}|{cell.answer.lower()}"


def _anchor(plan_index: int, key: str) -> str:
    return f"p{plan_index + 1}-{key.replace('.', '-')}"


def render_html(comparison: Comparison) -> str:
    esc = html.escape
    plans = comparison.plans
    body = ["<h1>ketcover plan comparison</h1>",
            f"<p>ketcover {esc(__version__)}. Every answer cites its page(s); each cell links to the verbatim "
            "quote behind it. Click a column heading to sort the rows.</p>"]
    head = "".join(f"<th scope=\"col\">{esc(p.name)}</th>" for p in plans)
    # The "Document" row sits in the head so that sorting never moves it.
    state = ("<tr><th scope=\"row\">Document</th>"
            + "".join(f"<td class=\"{'error' if p.status == 'error' else 'read'}\">"
                      f"{esc(_plan_state(p))}<br><small>{esc(p.file)}</small></td>" for p in plans)
            + "</tr>")
    rows = []
    for number, row in enumerate(comparison.rows, 1):
        cells = []
        for index, cell in enumerate(row.cells):
            text = esc(cell.answer)
            if cell.quotes:
                text = f"<a href=\"#{_anchor(index, row.key)}\">{text}</a>"
            cells.append(f"<td class=\"{esc(cell.status)}\" data-sort=\"{esc(_sort_key(cell))}\">{text}</td>")
        rows.append(f"<tr><th scope=\"row\" data-sort=\"{number:04d}\">{esc(row.title)}</th>{''.join(cells)}</tr>")
    body.append(f"<table id=\"matrix\"><thead><tr><th scope=\"col\">Concern</th>{head}</tr>{state}</thead>"
                f"<tbody>{''.join(rows)}</tbody></table>")
    body.append("<p>A cost that is not shown was not found in a form ketcover can read; it is not “not covered”.</p>")
    body.append("<h2>Quotes behind each cell</h2>")
    for index, plan in enumerate(plans):
        body.append(f"<h3>{esc(plan.name)}</h3><p><code>{esc(plan.file)}</code>: {esc(_plan_state(plan))}</p>")
        for row in comparison.rows:
            cell = row.cells[index]
            if not cell.quotes:
                continue
            body.append(f"<h4 id=\"{_anchor(index, row.key)}\">{esc(row.title)}: {esc(cell.answer)}</h4>")
            for page, quote in cell.quotes:
                body.append(f"<p class=\"page\">p. {page}</p><blockquote>{esc(one_line(quote))}</blockquote>")
    # Control characters (never in cleaned page text, but possible in a file name) are dropped.
    return terminal_safe(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">"
        "<meta name=\"referrer\" content=\"no-referrer\">"
        f"<title>ketcover plan comparison</title><style>{HTML_STYLE}</style></head>"
        f"<body>{''.join(body)}<script>{HTML_SCRIPT}</script></body></html>\n"
    )


# ---------------------------------------------------------------- CSV and JSON

CSV_FIELDS = ("plan", "file", "row", "title", "network", "status", "answer", "pages", "quote")
# A spreadsheet runs a cell that starts with one of these as a formula; a leading apostrophe makes
# it text (and is not displayed), so a hostile PDF cannot plant a formula through a quote.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def render_csv(comparison: Comparison) -> str:
    """One row per plan and concern (costs: one row per stated value), for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)

    def pages(values) -> str:
        return " ".join(str(p) for p in values)

    for index, plan in enumerate(comparison.plans):
        for row in comparison.rows:
            cell = row.cells[index]
            base = [plan.name, plan.file, row.key, row.title]
            if plan.status == "error":
                rows = [base + ["", "error", plan.error, "", ""]]
            elif cell.values:
                rows = [base + [v.network, "stated", v.value, str(v.page), one_line(v.quote)] for v in cell.values]
            else:
                rows = [base + ["", cell.status, cell.answer, pages(cell.pages), one_line(cell.quote)]]
            for values in rows:
                writer.writerow([_csv_safe(v) for v in values])
    return buffer.getvalue()


def to_json_data(comparison: Comparison) -> dict:
    return {
        "schema": SCHEMA,
        "ketcover_version": __version__,
        "documents": [r.to_json() for r in comparison.reports],
        "comparison": comparison.to_json(),
    }


def render_json(comparison: Comparison) -> str:
    return json.dumps(to_json_data(comparison), indent=2, ensure_ascii=False) + "\n"


COMPARISON_RENDERERS = {"text": render_text, "markdown": render_markdown, "html": render_html, "csv": render_csv,
                        "json": render_json}


def render_comparison(comparison: Comparison, fmt: str) -> str:
    if fmt not in COMPARISON_RENDERERS:
        raise ValueError(f"unknown comparison format: {fmt}")
    return COMPARISON_RENDERERS[fmt](comparison)


# ---------------------------------------------------------------- diff

QUOTE_CHARS = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00ad": ""})
PAGE_REFS = re.compile(r"\s*\((?:p|pp)\. [^)]*\)|\b(?:p|pp)\. \d[\d, ]*(?:and \d+ more)?")


def normalized_quote(quote: str) -> str:
    """A quote as compared across versions: case, spacing, curly quotes and dashes do not count."""
    text = unicodedata.normalize("NFKC", quote).translate(QUOTE_CHARS)
    text = re.sub(r"(\w)-\s+(\w)", r"\1-\2", text)  # "pre-\nauthorization" as re-wrapped by a new layout
    return " ".join(text.split()).lower()


@dataclass(frozen=True)
class MovedFinding:
    old_page: int
    new_page: int
    quote: str


@dataclass(frozen=True)
class ConcernDiff:
    """What changed for one concern: the answer, and which cited clauses came or went."""

    concern: str
    old_status: str
    new_status: str
    old_answer: str
    new_answer: str
    old_pages: tuple[int, ...]
    new_pages: tuple[int, ...]
    added: tuple[Finding, ...]  # in the new version only (pages of the new version)
    removed: tuple[Finding, ...]  # in the old version only (pages of the old version)
    moved: tuple[MovedFinding, ...]  # same clause, other page

    @property
    def answer_changed(self) -> bool:
        return self.old_status != self.new_status or _without_pages(self.old_answer) != _without_pages(self.new_answer)

    @property
    def changed(self) -> bool:
        return bool(self.answer_changed or self.added or self.removed)

    def to_json(self) -> dict:
        def finding(f: Finding) -> dict:
            return {"rule": f.rule, "page": f.page, "quote": f.quote, "polarity": f.polarity, "section": f.section}

        return {
            "changed": self.changed,
            "old": {"status": self.old_status, "answer": self.old_answer, "pages": list(self.old_pages)},
            "new": {"status": self.new_status, "answer": self.new_answer, "pages": list(self.new_pages)},
            "added": [finding(f) for f in self.added],
            "removed": [finding(f) for f in self.removed],
            "moved": [{"old_page": m.old_page, "new_page": m.new_page, "quote": m.quote} for m in self.moved],
        }


@dataclass(frozen=True)
class CostChange:
    """One cost item and network whose value differs (or that only one version states)."""

    item: str
    network: str
    old: CostValue | None
    new: CostValue | None

    def to_json(self) -> dict:
        def side(v: CostValue | None) -> dict | None:
            return None if v is None else {"value": v.value, "page": v.page, "quote": v.quote}

        return {"item": self.item, "network": self.network, "old": side(self.old), "new": side(self.new)}


@dataclass(frozen=True)
class Diff:
    old: DocumentReport
    new: DocumentReport
    concerns: tuple[ConcernDiff, ...]
    costs: tuple[CostChange, ...]

    @property
    def changed(self) -> bool:
        return any(c.changed for c in self.concerns) or bool(self.costs)


def _without_pages(answer: str) -> str:
    return " ".join(PAGE_REFS.sub("", answer).split())


def _by_quote(findings) -> dict[str, Finding]:
    chosen: dict[str, Finding] = {}
    for finding in sorted(findings, key=lambda f: (f.polarity != "affirms", f.sort_key)):
        chosen.setdefault(normalized_quote(finding.quote), finding)
    return chosen


def _concern_diff(old: DocumentReport, new: DocumentReport, concern: str) -> ConcernDiff:
    old_status, old_answer, old_pages = concern_answer(old, concern)
    new_status, new_answer, new_pages = concern_answer(new, concern)
    old_quotes = _by_quote(f for f in old.findings if f.concern == concern)
    new_quotes = _by_quote(f for f in new.findings if f.concern == concern)
    added = tuple(f for key, f in new_quotes.items() if key not in old_quotes)
    removed = tuple(f for key, f in old_quotes.items() if key not in new_quotes)
    moved = tuple(MovedFinding(old_quotes[key].page, f.page, f.quote) for key, f in new_quotes.items()
                  if key in old_quotes and old_quotes[key].page != f.page)
    return ConcernDiff(concern, old_status, new_status, old_answer, new_answer, old_pages, new_pages, added, removed, moved)


def _cost_changes(old: DocumentReport, new: DocumentReport) -> tuple[CostChange, ...]:
    old_values = {(v.item, v.network): v for v in old.costs}
    new_values = {(v.item, v.network): v for v in new.costs}
    changes = []
    for item in ITEMS:
        for network in NETWORKS:
            before, after = old_values.get((item, network)), new_values.get((item, network))
            if before is None and after is None:
                continue
            if before and after and normalized_quote(before.value) == normalized_quote(after.value):
                continue
            changes.append(CostChange(item, network, before, after))
    return tuple(changes)


def build_diff(old_report: DocumentReport, new_report: DocumentReport) -> Diff:
    """Per concern, what changed from the old version of a plan to the new one; costs too."""
    concerns = tuple(_concern_diff(old_report, new_report, c) for c in DISPLAY_ORDER)
    return Diff(old_report, new_report, concerns, _cost_changes(old_report, new_report))


def _cost_side(value: CostValue | None, version: str) -> str:
    return "not stated" if value is None else f"{value.value} ({version} p. {value.page})"


def _cost_title(change: CostChange) -> str:
    network = NETWORK_WORDS[change.network]
    return COST_TITLES[change.item] + (f", {network.lower()}" if network else "")


def _pages_phrase(pages: tuple[int, ...]) -> str:
    return format_pages(list(pages)) if pages else "no pages"


def _diff_lines(diff: Diff, *, markdown: bool) -> list[str]:
    def q(text: str) -> str:
        return md_escape(text) if markdown else one_line(text)

    heading = "## " if markdown else "== "
    bullet = "- " if markdown else "  "
    lines = []
    for concern in diff.concerns:
        title = TITLES[concern.concern]
        if not concern.changed:
            if not concern.old_pages and not concern.new_pages:
                lines += [f"{heading}{title}: unchanged (not found in either version)", ""]
                continue
            moved = f"; {len(concern.moved)} clause(s) moved to another page" if concern.moved else ""
            if concern.old_pages == concern.new_pages:
                lines.append(f"{heading}{title}: unchanged: {q(concern.new_answer)}{moved}")
            else:
                lines.append(f"{heading}{title}: unchanged: {q(_without_pages(concern.new_answer))} "
                             f"(old {_pages_phrase(concern.old_pages)}; new {_pages_phrase(concern.new_pages)}){moved}")
            if markdown:
                lines += [f"{bullet}moved (old p. {m.old_page}, new p. {m.new_page}): “{q(m.quote)}”" for m in concern.moved]
            lines.append("")
            continue
        lines.append(f"{heading}{title}: CHANGED")
        if markdown:
            lines.append("")
        if concern.answer_changed:
            lines.append(f"{bullet}old: {STATUS_WORDS.get(concern.old_status, concern.old_status)}: {q(concern.old_answer)}")
            lines.append(f"{bullet}new: {STATUS_WORDS.get(concern.new_status, concern.new_status)}: {q(concern.new_answer)}")
        added, removed = ("**added**", "**removed**") if markdown else ("+ added", "- removed")
        for finding in concern.added:
            lines.append(f"{bullet}{added} (new p. {finding.page}): “{q(finding.quote)}”")
        for finding in concern.removed:
            lines.append(f"{bullet}{removed} (old p. {finding.page}): “{q(finding.quote)}”")
        for moved in concern.moved:
            lines.append(f"{bullet}moved (old p. {moved.old_page}, new p. {moved.new_page}): “{q(moved.quote)}”")
        lines.append("")
    lines.append(f"{heading}Costs: " + ("CHANGED" if diff.costs else "unchanged"))
    if markdown:
        lines.append("")
    for change in diff.costs:
        lines.append(f"{bullet}{q(_cost_title(change))}: {q(_cost_side(change.old, 'old'))} → "
                     f"{q(_cost_side(change.new, 'new'))}")
    return lines


def _version_line(label: str, report: DocumentReport) -> str:
    state = f"ERROR: {report.error.message}" if report.status == "error" else f"{report.pages} pages"
    return f"{label}: {report.file} ({plan_label(report)}; {state})"


def render_diff(diff: Diff, fmt: str) -> str:
    if fmt == "json":
        data = {
            "schema": SCHEMA,
            "ketcover_version": __version__,
            "documents": [diff.old.to_json(), diff.new.to_json()],
            "diff": {
                "changed": diff.changed,
                "concerns": {c.concern: c.to_json() for c in diff.concerns},
                "costs": [c.to_json() for c in diff.costs],
            },
        }
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "markdown":
        lines = ["# ketcover diff", "", f"- {md_escape(_version_line('Old', diff.old))}",
                 f"- {md_escape(_version_line('New', diff.new))}", ""]
        return "\n".join(lines + _diff_lines(diff, markdown=True)) + "\n"
    if fmt == "text":
        lines = [_version_line("Old", diff.old), _version_line("New", diff.new),
                 "Changes: " + ("yes" if diff.changed else "none found"), ""]
        return terminal_safe("\n".join(lines + _diff_lines(diff, markdown=False))) + "\n"
    raise ValueError(f"unknown diff format: {fmt}")
