"""The phrases every diff format shares: a cost change's title and sides, a page list, a version's line, an unchanged concern."""

from __future__ import annotations

from typing import Callable

from ketcover.compare import plan_label
from ketcover.cost_words import COST_TITLES, NETWORK_WORDS, cost_text
from ketcover.concerns import STATUS_WORDS
from ketcover.diff import ConcernDiff, CostChange, without_pages
from ketcover.model import CostValue, DocumentReport
from ketcover.summary import format_pages


def cost_side(value: CostValue | None, version: str) -> str:
    return "not stated" if value is None else f"{cost_text(value)} ({version} p. {value.page})"


def cost_title(change: CostChange) -> str:
    network = NETWORK_WORDS[change.network]
    option = (change.new or change.old).plan_option
    return COST_TITLES[change.item] + (f", {network.lower()}" if network else "") + (f" ({option})" if option else "")


def pages_phrase(pages: tuple[int, ...]) -> str:
    return format_pages(list(pages)) if pages else "no pages"


def version_line(label: str, report: DocumentReport) -> str:
    state = f"ERROR: {report.error.message}" if report.status == "error" else f"{report.pages} pages"
    return f"{label}: {report.file} ({plan_label(report)}; {state})"


def answer_line(concern: ConcernDiff, side: str) -> tuple[str, str]:
    """(status word, answer) of one side ("old" or "new") of a changed answer."""
    status, answer = (concern.old_status, concern.old_answer) if side == "old" else (concern.new_status, concern.new_answer)
    return STATUS_WORDS.get(status, status), answer


def unchanged_phrase(concern: ConcernDiff, clean: Callable[[str], str]) -> str:
    """What an unchanged concern's heading says after its title: not found in either version, or
    its answer (with the pages of both versions when they moved) and how many clauses moved.
    `clean` makes an answer safe for the format (one line for a terminal, escaped for Markdown)."""
    if not concern.old_pages and not concern.new_pages:
        return "unchanged (not found in either version)"
    moved = f"; {len(concern.moved)} clause(s) moved to another page" if concern.moved else ""
    if concern.old_pages == concern.new_pages:
        return f"unchanged: {clean(concern.new_answer)}{moved}"
    return (f"unchanged: {clean(without_pages(concern.new_answer))} "
            f"(old {pages_phrase(concern.old_pages)}; new {pages_phrase(concern.new_pages)}){moved}")
