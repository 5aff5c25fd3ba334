"""Reports as Markdown: a table of answers per document, then every quote per concern."""

from __future__ import annotations

from ketcover import __version__
from ketcover.concerns import display_order, titles
from ketcover.model import DocumentReport
from ketcover.render.escape import md_escape, one_line
from ketcover.render.findings import findings_by_concern, polarity_note


def render_markdown(reports: list[DocumentReport]) -> str:
    out: list[str] = ["# ketcover report", "", f"ketcover {__version__}; every quote is verbatim from the page cited.", ""]
    for report in reports:
        out.append(f"## {md_escape(report.plan_name or report.file)}")
        out.append("")
        out.append(f"File: `{one_line(report.file).replace('`', '')}`  ")  # a newline would end the code span
        if report.status == "error":
            out.append(f"**Could not be read ({report.error.code}):** {md_escape(report.error.message)}")
            out.append("")
            continue
        out.append(f"Pages: {report.pages}; status: {report.status}")
        out.append("")
        if report.kind_label:
            out.append(f"Document: **{md_escape(report.kind_label)}** ({md_escape(report.kind_reason or '')})")
            out.append("")
        if report.warnings:
            out.append("**Warnings**")
            out.append("")
            for warning in report.warnings:
                out.append(f"- {warning.code}: {md_escape(warning.message)}")
            out.append("")
        out.append("| Concern | Answer |")
        out.append("|---|---|")
        summaries = {s.concern: s for s in report.summary}
        for concern in display_order():
            out.append(f"| {titles()[concern]} | {md_escape(summaries[concern].answer)} |")
        out.append("")
        grouped = findings_by_concern(report)
        for concern in display_order():
            if not grouped[concern]:
                continue
            out.append(f"### {titles()[concern]}")
            out.append("")
            for finding in grouped[concern]:
                section = f" ({md_escape(finding.section)})" if finding.section else ""
                out.append(f"- **p. {finding.page}**{section}{polarity_note(finding)}: “{md_escape(finding.quote)}”")
            out.append("")
    return "\n".join(out) + "\n"
