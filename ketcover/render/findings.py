"""A report's findings per concern, the most direct answer first, as every report renderer lists them."""

from __future__ import annotations

from ketcover.concerns import concern_names
from ketcover.model import DocumentReport, Finding
from ketcover.summary import ranked


def findings_by_concern(report: DocumentReport) -> dict[str, list[Finding]]:
    """Each concern's findings, the most direct answer first (the JSON keeps page order)."""
    grouped: dict[str, list[Finding]] = {c: [] for c in concern_names()}
    for finding in report.findings:
        grouped[finding.concern].append(finding)
    return {concern: ranked(found) for concern, found in grouped.items()}


def polarity_note(finding: Finding) -> str:
    return " (states it does NOT apply)" if finding.polarity == "negates" else ""
