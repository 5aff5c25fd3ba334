"""Plans side by side (one column per plan, one row per concern) and what changed between two versions."""

from __future__ import annotations

import base64
import csv
import hashlib
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
    "esketamine_drug": "Esketamine (Spravato) drug cost",
}
DEDUCTIBLE_WORDS = {"true": "after deductible", "false": "deductible does not apply"}
SAYS_DEDUCTIBLE = re.compile(r"deductible", re.I)
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


def cost_text(value: CostValue) -> str:
    """The value as printed, with the deductible rule said in words when the page states it:
    '$30 copay/visit, after deductible' (a high-deductible plan's copay is not a $30 visit)."""
    text = value.value.rstrip(". ")
    rule = DEDUCTIBLE_WORDS.get(value.deductible_applies)
    if rule and not SAYS_DEDUCTIBLE.search(text):
        text = f"{text}, {rule}"
    return text


def cost_answer(values: list[CostValue], files: tuple[str, ...] = ()) -> str:
    """'In network: $40 copay/visit. Out of network: 30% coinsurance, after deductible. (p. 3)';
    with `files` (one per value, for a plan of several documents) each value names its file."""
    same_page = not files and len({v.page for v in values}) == 1
    parts = []
    for index, value in enumerate(values):
        label = ", ".join(w for w in (value.plan_option, NETWORK_WORDS[value.network]) if w)
        text = cost_text(value)
        text = f"{label}: {text}" if label else text
        where = f"{files[index]} p. {value.page}" if files else f"p. {value.page}"
        parts.append(text + ("." if same_page else f" ({where})."))
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


def _file_names(files: str) -> str:
    """What an exported table shows of a plan's files: their names, never the folders they sit in."""
    return ", ".join(Path(f.strip()).name for f in files.split(", "))


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
        lines += textwrap.wrap(f"{_file_names(plan.file)}: {_plan_state(plan)}", width, initial_indent="      ",
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
        out.append(f"- **{md_escape(plan.name)}**: `{_file_names(plan.file).replace('`', '')}` ({md_escape(_plan_state(plan))})")
    out += ["", NO_COST_NOTE, ""]
    return terminal_safe("\n".join(out))


# ---------------------------------------------------------------- HTML

TEMPLATES = Path(__file__).parent / "templates"
STATUS_RANK = {"found": 0, "stated": 0, "negated": 1, "unknown": 2, "not_found": 3, "error": 4}
CELL_WORDS = {"found": "stated in the document", "stated": "stated", "negated": "stated as not applying",
              "not_found": "not found", "unknown": "not analyzed", "error": "could not be read"}
NUMBER = re.compile(r"\$\s?(\d[\d,]*(?:\.\d+)?)|(\d{1,3}(?:\.\d+)?)\s?%")


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode("utf-8")).digest()).decode("ascii") + "'"


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
    card layout on a phone, a print layout, plans sortable by a cost; CSP pins the style and script."""
    import jinja2

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                                     trim_blocks=True, lstrip_blocks=True)
    style = (TEMPLATES / "compare.css").read_text(encoding="utf-8")
    script = (TEMPLATES / "compare.js").read_text(encoding="utf-8")
    csp = (f"default-src 'none'; style-src {_csp_hash(style)}; script-src {_csp_hash(script)}; "
           "img-src 'none'; base-uri 'none'; form-action 'none'")
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
        plans.append({"name": plan.name, "files": _file_names(plan.file), "state": _plan_state(plan), "quotes": quotes})
    page = environment.get_template("compare.html").render(
        csp=csp, style=style, script=script, version=__version__, plans=plans, rows=rows,
        no_cost_note="A cost that is not shown was not found in a form ketcover can read; it is not “not covered”.")
    # Control characters (never in cleaned page text, but possible in a file name) are dropped.
    return terminal_safe(page)


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
            base = [plan.name, _file_names(plan.file), row.key, row.title]
            if plan.status == "error":
                rows = [base + ["", "error", plan.error, "", ""]]
            elif cell.values:
                rows = [base + [v.network, "stated", v.value, str(v.page), one_line(v.quote)] for v in cell.values]
            else:
                rows = [base + ["", cell.status, cell.answer, pages(cell.pages), one_line(cell.quote)]]
            for values in rows:
                writer.writerow([_csv_safe(v) for v in values])
    return buffer.getvalue()


def render_csv_wide(comparison: Comparison) -> str:
    """One row per plan, a column per field and one for its pages: a side-by-side sheet. Costs get
    a column per network (and plan option) with its page and deductible rule."""
    cost_columns: list[tuple[str, str, str]] = []  # (item, option, network) in row order
    for row in comparison.rows:
        if row.kind == "cost":
            keys = {(v.plan_option, v.network) for cell in row.cells for v in cell.values}
            cost_columns += [(row.key, o, n) for o, n in sorted(keys, key=lambda k: (k[0], NETWORKS.index(k[1])))]
    header = ["plan", "files"]
    for row in comparison.rows:
        if row.kind == "concern":
            header += [row.key, f"{row.key}.pages"]
        else:
            header += [row.key + ".status"]
            for key, option, network in cost_columns:
                if key == row.key:
                    name = ".".join(x for x in (row.key, option.lower().replace(" ", "_"), network) if x)
                    header += [name, f"{name}.page", f"{name}.deductible_applies"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for index, plan in enumerate(comparison.plans):
        line = [plan.name, _file_names(plan.file)]
        for row in comparison.rows:
            cell = row.cells[index]
            if row.kind == "concern":
                line += [cell.answer, " ".join(str(p) for p in cell.pages)]
                continue
            line.append(cell.status)
            values = {(v.plan_option, v.network): v for v in cell.values}
            for key, option, network in cost_columns:
                if key == row.key:
                    value = values.get((option, network))
                    line += [value.value, str(value.page), value.deductible_applies] if value else ["", "", ""]
        writer.writerow([_csv_safe(v) for v in line])
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
                        "csv-wide": render_csv_wide, "json": render_json}


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
    old_values = {(v.plan_option, v.item, v.network): v for v in old.costs}
    new_values = {(v.plan_option, v.item, v.network): v for v in new.costs}
    changes = []
    for key in sorted(set(old_values) | set(new_values), key=lambda k: (k[0], ITEMS.index(k[1]), NETWORKS.index(k[2]))):
        before, after = old_values.get(key), new_values.get(key)
        # The deductible rule is part of the price: "$30 copay" after a $3,250 deductible is not
        # the same as a "$30 copay" from the first visit.
        if before and after and normalized_quote(cost_text(before)) == normalized_quote(cost_text(after)):
            continue
        changes.append(CostChange(key[1], key[2], before, after))
    return tuple(changes)


def build_diff(old_report: DocumentReport, new_report: DocumentReport) -> Diff:
    """Per concern, what changed from the old version of a plan to the new one; costs too."""
    concerns = tuple(_concern_diff(old_report, new_report, c) for c in DISPLAY_ORDER)
    return Diff(old_report, new_report, concerns, _cost_changes(old_report, new_report))


def _cost_side(value: CostValue | None, version: str) -> str:
    return "not stated" if value is None else f"{cost_text(value)} ({version} p. {value.page})"


def _cost_title(change: CostChange) -> str:
    network = NETWORK_WORDS[change.network]
    option = (change.new or change.old).plan_option
    return COST_TITLES[change.item] + (f", {network.lower()}" if network else "") + (f" ({option})" if option else "")


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
