"""The web page's view models: a report, a comparison and an upload's state as the page's JSON."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ketcover.compare import DISPLAY_ORDER, TITLES, plan_label
from ketcover.concerns import STATUS_LABELS, questions, status_label
from ketcover.cost_words import COST_TITLES, NETWORK_WORDS, cost_text
from ketcover.model import DocumentError, DocumentReport
from ketcover.normalize import one_line

if TYPE_CHECKING:
    from ketcover.jobs import Job

# What the page asks for each concern, in a patient's words (the titles stay the report's): the
# registry in rules/<concern>.yaml.
QUESTIONS = questions()
CELL_LABELS = dict(STATUS_LABELS, error="Could not be read")
COST_CELL_LABELS = {"stated": "Stated", "not_found": "Not found", "error": "Could not be read"}
# The CLI's messages name its flags (--password-file, --timeout, ...), which the page does not
# have: here each is said in the page's own terms, with a remedy that works on the page.
WEB_MESSAGES = {
    "PASSWORD_REQUIRED": "This PDF is protected by a password. Type the password below and choose Open.",
    "PASSWORD_INCORRECT": "That password does not open this PDF. Check it and try again.",
    "TOO_MANY_PAGES": "This PDF has more pages than ketcover reads at once. Split it into smaller PDFs "
                      "(for example one per chapter) and drop them together.",
    "RESOURCE_LIMIT": "Reading this PDF needed more memory than ketcover allows; it may be damaged. "
                      "Download it again or print it to a new PDF, then drop that file.",
    "TIMEOUT": "Reading this PDF took too long and was stopped. If it is very long, split it into smaller "
               "PDFs and drop them together; otherwise download it again, it may be damaged.",
}


def report_view(report: DocumentReport) -> dict:
    """The report as the page shows it: concerns in display order, each finding numbered."""
    error = None
    if report.error:
        error = {"code": report.error.code, "message": report.error.message}
    view = {
        "file": report.file,
        "title": plan_label(report),
        "plan_name": report.plan_name,
        "pages": report.pages,
        "status": report.status,
        "error": error,
        "warnings": [{"code": w.code, "page": w.page, "message": w.message} for w in report.warnings],
        "concerns": [],
        "costs": [],
    }
    if report.status == "error":
        return view
    numbered: dict[str, list] = {concern: [] for concern in DISPLAY_ORDER}
    for number, finding in enumerate(report.findings):
        numbered.setdefault(finding.concern, []).append({
            "id": number,
            "page": finding.page,
            "quote": one_line(finding.quote),
            "section": finding.section,
            "polarity": finding.polarity,
        })
    summaries = {s.concern: s for s in report.summary}
    for concern in DISPLAY_ORDER:
        summary = summaries.get(concern)
        if summary is None:
            continue
        view["concerns"].append({
            "concern": concern,
            "title": TITLES[concern],
            "question": QUESTIONS.get(concern, TITLES[concern]),
            "status": summary.status,
            "status_label": status_label(concern, summary.status),
            "answer": summary.answer,
            "pages": list(summary.pages),
            "findings": numbered[concern],
        })
    for number, cost in enumerate(report.costs):
        item = cost.to_json()
        item["id"] = number
        network = NETWORK_WORDS.get(cost.network, "")
        item["label"] = COST_TITLES.get(cost.item, cost.item) + (f", {network.lower()}" if network else "")
        item["label"] += f" ({cost.plan_option})" if cost.plan_option else ""
        item["value"] = cost_text(cost)  # says "after deductible" where the page does
        item["quote"] = one_line(item.get("quote", ""))
        view["costs"].append(item)
    return view


def _citations(report: DocumentReport, cell) -> list[dict]:
    """The cell's quotes as citations the page can open: the first quote of each page, by its number."""
    if cell.values:
        numbers = {(c.page, c.quote): n for n, c in reversed(list(enumerate(report.costs)))}
        kind = "costs"
    else:
        numbers = {(f.page, f.quote): n for n, f in reversed(list(enumerate(report.findings)))}
        kind = "findings"
    citations, pages = [], set()
    for page, quote in cell.quotes:
        number = numbers.get((page, quote))
        if number is None or page in pages:
            continue
        pages.add(page)
        citations.append({"kind": kind, "id": number, "page": page, "quote": one_line(quote)})
    return citations


def comparison_view(comparison, jobs: list[Job]) -> dict:
    """ketcover compare's table as the page shows it: each cell's pages open the quote behind it."""
    plans = []
    for plan, job in zip(comparison.plans, jobs):
        data = plan.to_json()
        data["job"] = job.id
        plans.append(data)
    rows = []
    for row in comparison.rows:
        cells = []
        labels = COST_CELL_LABELS if row.kind == "cost" else CELL_LABELS
        for report, cell in zip(comparison.reports, row.cells):
            cells.append({
                "status": cell.status,
                "status_label": labels.get(cell.status, cell.status),
                "answer": cell.answer,
                "pages": list(cell.pages),
                "citations": _citations(report, cell) if report.status != "error" else [],
            })
        rows.append({"key": row.key, "kind": row.kind, "title": row.title,
                     "question": QUESTIONS.get(row.key, row.title), "cells": cells})
    return {"plans": plans, "rows": rows}


def job_view(job: Job) -> dict:
    return {
        "id": job.id,
        "name": job.name,
        "state": job.state,
        "pages_done": job.pages_done,
        "pages_total": job.pages_total,
        "report": report_view(job.report) if job.report else None,
    }


def web_report(report: DocumentReport, name: str) -> DocumentReport:
    """The report under the upload's display name, with the page's wording for password errors."""
    report = replace(report, file=name)
    if report.error and report.error.code in WEB_MESSAGES:
        report = replace(report, error=DocumentError(report.error.code, WEB_MESSAGES[report.error.code]))
    return report

