"""Reports as plain text for the terminal: per concern the answer and its first quotes."""

from __future__ import annotations

from ketcover.concerns import display_order, status_word, titles
from ketcover.model import DocumentReport
from ketcover.render.escape import one_line, terminal_safe
from ketcover.render.findings import findings_by_concern, polarity_note


def render_text(reports: list[DocumentReport], *, max_findings: int = 8) -> str:
    lines: list[str] = []
    for report in reports:
        lines.append("=" * 78)
        lines.append(f"{report.file}")
        if report.plan_name:
            lines.append(f"Plan: {report.plan_name}")
        if report.kind_label:
            lines.append(f"Document: {report.kind_label} ({report.kind_reason})")
        if report.status == "error":
            lines.append(f"ERROR [{report.error.code}]: {report.error.message}")
            lines.append("")
            continue
        lines.append(f"{report.pages} pages, status: {report.status}")
        for warning in report.warnings:
            lines.append(f"  warning [{warning.code}]: {warning.message}")
        lines.append("")
        grouped = findings_by_concern(report)
        summaries = {s.concern: s for s in report.summary}
        for concern in display_order():
            summary = summaries[concern]
            lines.append(f"{titles()[concern]}: {status_word(concern, summary.status)}")
            lines.append(f"  {summary.answer}")
            findings = grouped[concern]
            for finding in findings[:max_findings]:
                section = f" [{finding.section}]" if finding.section else ""
                lines.append(f"  - p. {finding.page}{section}{polarity_note(finding)}: \"{one_line(finding.quote)}\"")
            if len(findings) > max_findings:
                lines.append(f"  ... and {len(findings) - max_findings} more (use --format json or markdown for all)")
            lines.append("")
    return terminal_safe("\n".join(lines)) + "\n"
