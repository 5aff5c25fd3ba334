"""Rendering reports as text, Markdown, JSON and HTML; document text is always escaped."""

from __future__ import annotations

import html
import json
import re

from ketcover import __version__
from ketcover.concerns import STATUS_WORDS, concern_names, display_order, status_word, titles  # noqa: F401 (compare uses STATUS_WORDS)
from ketcover.model import DocumentReport, Finding
from ketcover.summary import ranked

SCHEMA = "ketcover.report/1"
# What a patient asks first comes first (the JSON keeps the public concern order); both, and the
# headings, come from the registry in rules/<concern>.yaml.
DISPLAY_ORDER = display_order()
TITLES = titles()
CONCERNS = concern_names()
# Terminal safety: C0/C1 controls (escape sequences) and bidirectional overrides.
UNSAFE_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
assert set(DISPLAY_ORDER) == set(CONCERNS)


def terminal_safe(text: str) -> str:
    return UNSAFE_TERMINAL.sub("", text)


def one_line(text: str) -> str:
    """A quote for display: whitespace runs (line breaks of the PDF) shown as one space."""
    return " ".join(text.split())


def to_json_data(reports: list[DocumentReport]) -> dict:
    return {
        "schema": SCHEMA,
        "ketcover_version": __version__,
        "documents": [r.to_json() for r in reports],
    }


def render_json(reports: list[DocumentReport]) -> str:
    return json.dumps(to_json_data(reports), indent=2, ensure_ascii=False) + "\n"


def _findings_by_concern(report: DocumentReport) -> dict[str, list[Finding]]:
    """Each concern's findings, the most direct answer first (the JSON keeps page order)."""
    grouped: dict[str, list[Finding]] = {c: [] for c in CONCERNS}
    for finding in report.findings:
        grouped[finding.concern].append(finding)
    return {concern: ranked(found) for concern, found in grouped.items()}


def _polarity_note(finding: Finding) -> str:
    return " (states it does NOT apply)" if finding.polarity == "negates" else ""


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
        grouped = _findings_by_concern(report)
        summaries = {s.concern: s for s in report.summary}
        for concern in DISPLAY_ORDER:
            summary = summaries[concern]
            lines.append(f"{TITLES[concern]}: {status_word(concern, summary.status)}")
            lines.append(f"  {summary.answer}")
            findings = grouped[concern]
            for finding in findings[:max_findings]:
                section = f" [{finding.section}]" if finding.section else ""
                lines.append(f"  - p. {finding.page}{section}{_polarity_note(finding)}: \"{one_line(finding.quote)}\"")
            if len(findings) > max_findings:
                lines.append(f"  ... and {len(findings) - max_findings} more (use --format json or markdown for all)")
            lines.append("")
    return terminal_safe("\n".join(lines)) + "\n"


# Escapes what could make a link, an image, an HTML tag, emphasis, code or a new table cell.
# Parentheses, "#", "+" and "!" stay readable ("(p. 3)"): escaped text never starts a line, and
# with "[" escaped they cannot form a link or an image.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~])")


def md_escape(text: str) -> str:
    """Document text made inert in Markdown, on one line."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", one_line(text))


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
        for concern in DISPLAY_ORDER:
            out.append(f"| {TITLES[concern]} | {md_escape(summaries[concern].answer)} |")
        out.append("")
        grouped = _findings_by_concern(report)
        for concern in DISPLAY_ORDER:
            if not grouped[concern]:
                continue
            out.append(f"### {TITLES[concern]}")
            out.append("")
            for finding in grouped[concern]:
                section = f" ({md_escape(finding.section)})" if finding.section else ""
                out.append(f"- **p. {finding.page}**{section}{_polarity_note(finding)}: “{md_escape(finding.quote)}”")
            out.append("")
    return "\n".join(out) + "\n"


HTML_STYLE = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem}h2{border-bottom:2px solid #2c5d8f;padding-bottom:.2rem;margin-top:2.5rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccd;padding:.4rem .6rem;vertical-align:top;text-align:left}
th{background:#eef3f8}.status-found{color:#0b5a2a;font-weight:600}.status-not_found,.status-unknown{color:#8a4b00;font-weight:600}
.status-negated{color:#444;font-weight:600}blockquote{margin:.3rem 0 .8rem;padding:.3rem .8rem;border-left:4px solid #2c5d8f;background:#f6f8fb}
.page{font-weight:600}.warn{background:#fff4e0;padding:.5rem;border:1px solid #f0c36d}.error{background:#fde8e8;padding:.5rem;border:1px solid #e08080}
"""


def render_html(reports: list[DocumentReport]) -> str:
    esc = html.escape
    body: list[str] = ["<h1>ketcover report</h1>", f"<p>ketcover {esc(__version__)}. Every quote is verbatim from the page cited.</p>"]
    for number, report in enumerate(reports, 1):
        body.append(f"<h2 id=\"doc{number}\">{esc(report.plan_name or report.file)}</h2>")
        body.append(f"<p>File: <code>{esc(report.file)}</code></p>")
        if report.status == "error":
            body.append(f"<p class=\"error\"><strong>Could not be read ({esc(report.error.code)}):</strong> {esc(report.error.message)}</p>")
            continue
        body.append(f"<p>Pages: {report.pages}; status: {esc(report.status)}</p>")
        if report.kind_label:
            body.append(f"<p>Document: <strong>{esc(report.kind_label)}</strong> ({esc(report.kind_reason or '')})</p>")
        if report.warnings:
            items = "".join(f"<li>{esc(w.code)}: {esc(w.message)}</li>" for w in report.warnings)
            body.append(f"<div class=\"warn\"><strong>Warnings</strong><ul>{items}</ul></div>")
        summaries = {s.concern: s for s in report.summary}
        rows = "".join(
            f"<tr><th><a href=\"#doc{number}-{c}\">{esc(TITLES[c])}</a></th>"
            f"<td class=\"status-{esc(summaries[c].status)}\">{esc(status_word(c, summaries[c].status))}</td>"
            f"<td>{esc(summaries[c].answer)}</td></tr>"
            for c in DISPLAY_ORDER
        )
        body.append(f"<table><thead><tr><th>Concern</th><th>Status</th><th>Answer</th></tr></thead><tbody>{rows}</tbody></table>")
        grouped = _findings_by_concern(report)
        for concern in DISPLAY_ORDER:
            if not grouped[concern]:
                continue
            body.append(f"<h3 id=\"doc{number}-{concern}\">{esc(TITLES[concern])}</h3>")
            for finding in grouped[concern]:
                section = f" — {esc(finding.section)}" if finding.section else ""
                body.append(
                    f"<p><span class=\"page\">p. {finding.page}</span>{section}{esc(_polarity_note(finding))}</p>"
                    f"<blockquote>{esc(one_line(finding.quote))}</blockquote>"
                )
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
        f"<title>ketcover report</title><style>{HTML_STYLE}</style></head><body>{''.join(body)}</body></html>\n"
    )


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json, "html": render_html}


def render(reports: list[DocumentReport], fmt: str) -> str:
    return RENDERERS[fmt](reports)

