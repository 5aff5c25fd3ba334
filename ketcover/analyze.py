"""The public API: analyze(paths) -> one DocumentReport per file; what the CLI and tests call."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from ketcover.costs import extract_costs
from ketcover.errors import ReadError, message
from ketcover.isolation import Limits, extract_isolated
from ketcover.matcher import CompiledRules, find_findings
from ketcover.model import Document, DocumentError, DocumentReport
from ketcover.pdf import extract_document
from ketcover.ruleset import RuleSet, load_ruleset
from ketcover.structure import guess_plan_name
from ketcover.summary import summarize

ProgressCallback = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Options:
    """How to read files: engine, OCR, password, limits, and whether to isolate the reader."""

    engine: str = "pdfium"
    use_ocr: bool = True
    password: str | None = None
    limits: Limits = field(default_factory=Limits)
    isolate: bool = True


def compile_rules(rules: RuleSet | str | Path | None = None) -> CompiledRules:
    ruleset = rules if isinstance(rules, RuleSet) else load_ruleset(rules)
    return CompiledRules(ruleset)


def report_for_document(document: Document, compiled: CompiledRules, display_name: str | None = None) -> DocumentReport:
    """Match the rules on an extracted document and summarize."""
    findings = find_findings(document, compiled)
    costs = extract_costs(document)
    return DocumentReport(
        file=display_name or document.path,
        sha256=document.sha256,
        pages=document.page_count,
        status="ok_with_warnings" if document.warnings else "ok",
        error=None,
        warnings=document.warnings,
        summary=summarize(document, findings, costs),
        findings=tuple(findings),
        plan_name=guess_plan_name(document),
        costs=costs,
    )


def error_report(file: str, error: ReadError, sha256: str | None = None) -> DocumentReport:
    return DocumentReport(
        file=file, sha256=sha256, pages=0, status="error",
        error=DocumentError(error.code, error.text), warnings=(), summary=(), findings=(),
    )


def analyze_file(
    path: str | Path,
    compiled: CompiledRules,
    options: Options = Options(),
    progress: Callable[[int, int], None] | None = None,
) -> DocumentReport:
    """Read and analyze one file; an unreadable file becomes an error report, never an exception."""
    name = str(path)
    try:
        if options.isolate:
            document = extract_isolated(
                path, password=options.password, engine=options.engine, use_ocr=options.use_ocr,
                limits=options.limits, progress=progress,
            )
        else:
            document = extract_document(
                path, password=options.password, engine=options.engine, use_ocr=options.use_ocr,
                max_pages=options.limits.max_pages,
            )
    except ReadError as error:
        return error_report(name, error)
    except Exception as exc:  # a bug must cost one file, not the batch, and never leak document text
        return error_report(name, ReadError("INTERNAL_ERROR", reason=type(exc).__name__))
    return report_for_document(document, compiled, name)


def analyze(
    paths: Iterable[str | Path],
    rules: RuleSet | str | Path | None = None,
    options: Options = Options(),
    progress: ProgressCallback | None = None,
    jobs: int = 1,
) -> list[DocumentReport]:
    """Analyze each file (in input order); the rule set is validated before any PDF is read.

    With jobs > 1, files are read by that many worker processes at once (the readers are
    separate processes, so threads here only wait on them).
    """
    compiled = compile_rules(rules)
    paths = list(paths)

    def run(path) -> DocumentReport:
        callback = (lambda done, total, _p=str(path): progress(_p, done, total)) if progress else None
        return analyze_file(path, compiled, options, callback)

    if jobs <= 1 or len(paths) <= 1:
        return [run(path) for path in paths]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(run, paths))


__all__ = ["Options", "analyze", "analyze_file", "compile_rules", "report_for_document", "message"]
