"""Reports as one offline HTML page: a jump menu per document and concern, the answers, then every quote."""

from __future__ import annotations

from ketcover.concerns import display_order, status_word, titles
from ketcover.model import DocumentReport
from ketcover.normalize import one_line
from ketcover.render.findings import findings_by_concern, polarity_note
from ketcover.render.pages import render_page


def _document(number: int, report: DocumentReport) -> dict:
    """What the template shows of one report (all text escaped by the template)."""
    heading = titles()
    view = {"anchor": f"doc{number}", "title": report.plan_name or report.file, "file": report.file,
            "status": report.status, "pages": report.pages, "kind_label": report.kind_label,
            "kind_reason": report.kind_reason or "", "error": report.error, "warnings": report.warnings,
            "concerns": []}
    if report.status == "error":
        return view
    summaries = {s.concern: s for s in report.summary}
    grouped = findings_by_concern(report)
    for concern in display_order():
        summary = summaries[concern]
        view["concerns"].append({
            "key": concern, "anchor": f"doc{number}-{concern}", "title": heading[concern], "status": summary.status,
            "status_word": status_word(concern, summary.status), "answer": summary.answer,
            "findings": [{"page": f.page, "section": f.section, "note": polarity_note(f), "quote": one_line(f.quote)}
                         for f in grouped[concern]]})
    return view


def render_html(reports: list[DocumentReport]) -> str:
    return render_page("report.html.j2", documents=[_document(n, r) for n, r in enumerate(reports, 1)])
