"""Reading a person's documents for a case: each file's text and its analyze report, named by file name only."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ketcover.model import Document, DocumentReport


@dataclass(frozen=True)
class Source:
    """One input file: its display name (never a path), its text (None when unreadable), report and kind."""

    name: str
    document: Document | None
    report: DocumentReport
    kind: str

    def pages(self) -> list[str]:
        if self.document is None:
            return []
        return [self.document.page_text(p) for p in range(1, self.document.page_count + 1)]


def document_kind(document: Document | None) -> str:
    """The document's kind as every report gives it (ketcover/kinds.py: one registry), or unreadable."""
    if document is None or not document.page_count:
        return "unreadable"
    from ketcover.kinds import detect_kind

    return detect_kind(document).kind


def read_sources(paths, options=None, rules=None) -> list[Source]:
    """Read every file (isolated reader), analyze it, and keep its text; one bad file never stops the rest."""
    from ketcover.analyze import Options, compile_rules, error_report, report_for_document
    from ketcover.errors import ReadError
    from ketcover.isolation import extract_isolated

    options = options or Options()
    compiled = None
    sources = []
    for path in paths:
        name = Path(path).name
        try:
            document = extract_isolated(path, password=options.password, engine=options.engine,
                                        use_ocr=options.use_ocr, limits=options.limits)
        except ReadError as error:
            sources.append(Source(name, None, error_report(name, error), "unreadable"))
            continue
        compiled = compiled or compile_rules(rules)
        report = report_for_document(document, compiled, name)
        sources.append(Source(name, document, report, document_kind(document)))
    return sources
