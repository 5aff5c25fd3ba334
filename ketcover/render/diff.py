"""A diff as text, Markdown or JSON: per concern what changed, with old and new pages."""

from __future__ import annotations

import json

from ketcover import __version__
from ketcover.compare import COST_TITLES, NETWORK_WORDS, cost_text, plan_label
from ketcover.concerns import STATUS_WORDS, titles
from ketcover.diff import CostChange, Diff, without_pages
from ketcover.model import CostValue, DocumentReport
from ketcover.normalize import one_line
from ketcover.render.escape import md_escape, terminal_safe
from ketcover.render.report_json import SCHEMA
from ketcover.summary import format_pages

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
        title = titles()[concern.concern]
        if not concern.changed:
            if not concern.old_pages and not concern.new_pages:
                lines += [f"{heading}{title}: unchanged (not found in either version)", ""]
                continue
            moved = f"; {len(concern.moved)} clause(s) moved to another page" if concern.moved else ""
            if concern.old_pages == concern.new_pages:
                lines.append(f"{heading}{title}: unchanged: {q(concern.new_answer)}{moved}")
            else:
                lines.append(f"{heading}{title}: unchanged: {q(without_pages(concern.new_answer))} "
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


def render_diff_json(diff: Diff) -> str:
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


def render_diff_markdown(diff: Diff) -> str:
    lines = ["# ketcover diff", "", f"- {md_escape(_version_line('Old', diff.old))}",
             f"- {md_escape(_version_line('New', diff.new))}", ""]
    return "\n".join(lines + _diff_lines(diff, markdown=True)) + "\n"


def render_diff_text(diff: Diff) -> str:
    lines = [_version_line("Old", diff.old), _version_line("New", diff.new),
             "Changes: " + ("yes" if diff.changed else "none found"), ""]
    return terminal_safe("\n".join(lines + _diff_lines(diff, markdown=False))) + "\n"
