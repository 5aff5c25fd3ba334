"""What a report needs besides the rules' matches (costs, keyword spans, kind, identifiers, plan name): no spaCy, so a worker can read it beside the matching."""

from __future__ import annotations

from dataclasses import dataclass

from ketcover.keyword_scan import KeywordScanner, KeywordSpans
from ketcover.kinds import detect_kind
from ketcover.model import CostValue, Document, DocumentKind
from ketcover.privacy import find_identifiers
from ketcover.structure import guess_plan_name


@dataclass(frozen=True)
class Groundwork:
    costs: tuple[CostValue, ...]
    keywords: KeywordSpans
    kind: DocumentKind
    identifiers: tuple[str, ...]
    plan_name: str | None


def groundwork(document: Document, scanner: KeywordScanner) -> Groundwork:
    # Imported here: the parent imports this module to hand `groundwork` to a worker, and for a long
    # document only the worker reads costs; the parent then never loads the cost readers and their
    # words (about 0.05 s of CPU while the PDF is read, measured 2026-12-07).
    from ketcover.costs import extract_costs

    return Groundwork(
        costs=extract_costs(document),
        keywords=scanner.find(document),
        kind=detect_kind(document),
        identifiers=find_identifiers([document.page_text(n) for n in range(1, document.page_count + 1)]),
        plan_name=guess_plan_name(document),
    )
