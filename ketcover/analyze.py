"""The public API: analyze(paths) -> one DocumentReport per file; what the CLI and tests call."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from ketcover.errors import ReadError, message
from ketcover.limits import Limits
from ketcover.model import Document, DocumentError, DocumentReport
from ketcover.ruleset import RuleSet, load_ruleset, ruleset_digest

if TYPE_CHECKING:
    from ketcover.matcher import CompiledRules

ProgressCallback = Callable[[str, int, int], None]
GROUNDWORK_APART_MIN_PAGES = 100  # below this, starting a worker costs more than reading the groundwork here
GROUNDWORK_APART_TIMEOUT = 120.0


@dataclass(frozen=True)
class Options:
    """How to read files: engine, OCR, password, limits, and whether to isolate the reader."""

    engine: str = "pdfium"
    use_ocr: bool = True
    password: str | None = None
    limits: Limits = field(default_factory=Limits)
    isolate: bool = True


def compile_rules(rules: RuleSet | str | Path | None = None) -> CompiledRules:
    """spaCy matchers for a rule set (imported here: spaCy is the slowest import)."""
    from ketcover.matcher import CompiledRules

    ruleset = rules if isinstance(rules, RuleSet) else load_ruleset(rules)
    return CompiledRules(ruleset)


def prepare_analysis() -> None:
    """Import the analysis steps and load their data files (kinds, readings, privacy):
    analyze() does it while the PDFs are still being read, so the first report does not wait.

    Not the cost readers: a long document's costs are read in the groundwork worker, so this process
    loads them (ketcover.groundwork imports them when first called) only for a short document,
    whose report waits for nothing else then."""
    from ketcover.concerns import registry
    from ketcover import groundwork, keyword_scan  # noqa: F401 (imported for their set-up)
    from ketcover.kinds import load_kinds
    from ketcover.privacy import find_identifiers
    from ketcover.reading import load_readings
    from ketcover import candidates, sections, structure, summary  # noqa: F401 (imported for their set-up)

    registry()
    load_kinds()
    load_readings()
    find_identifiers([""])


def report_for_document(document: Document, compiled: CompiledRules, display_name: str | None = None) -> DocumentReport:
    """Match the rules on an extracted document and summarize."""
    # Imported here, as everything only a cache miss needs: a cached run stays a quick start-up.
    from ketcover.candidates import decide, decide_findings
    from ketcover.keyword_scan import KeywordScanner
    from ketcover.matcher import find_findings
    from ketcover.reading import load_readings, read_by_kind
    from ketcover.sections import outline_of
    from ketcover.summary import summarize

    scanner = KeywordScanner.of(compiled.ruleset)
    apart = _start_groundwork(document, scanner)
    outline = outline_of(document, compiled.section_classes)  # passages and sections, for every step below
    findings = find_findings(document, compiled, outline)
    ground = _groundwork_result(apart, document, scanner)
    kind = ground.kind
    # Every passage holding a concern's keywords that no rule cited becomes a finding or is set
    # aside for a named reason: recall at least a keyword search's, nothing dropped silently.
    # A reason that decides findings too sets aside a rule's finding the way it would the keyword
    # there; the passage stays decided (`findings`, not `kept`, tells decide what is covered).
    scan = ground.keywords.in_passages(outline.passages)  # read by both decisions
    kept, set_aside_findings = decide_findings(document, compiled, findings, kind.kind, outline, scan)
    added, set_aside = decide(document, compiled, findings, kind.kind, outline, scan)
    findings = sorted(kept + added, key=lambda f: f.sort_key)
    set_aside = sorted(set_aside_findings + set_aside, key=lambda s: (s.page, s.start, s.concern))
    if kind.kind in load_readings():
        # A criteria document states rules without their keywords; its kind says how to read it.
        findings = read_by_kind(document, kind.kind, findings, outline.passages)
    return DocumentReport(
        file=display_name or document.path,
        sha256=document.sha256,
        pages=document.page_count,
        status="ok_with_warnings" if document.warnings else "ok",
        error=None,
        warnings=document.warnings,
        summary=summarize(document, findings, ground.costs),
        findings=tuple(findings),
        plan_name=ground.plan_name,
        costs=ground.costs,
        set_aside=tuple(set_aside),
        kind=kind.kind,
        kind_label=kind.label,
        kind_reason=kind.reason,
        identifiers=ground.identifiers,
    )


def _start_groundwork(document: Document, scanner):
    """A long document's groundwork (costs, keyword spans, kind, identifiers, plan name), read in a
    worker while this process matches the rules (it needs no rule match and is about a third of the
    analysis): a Future of it; None: read it here, afterwards.

    A thread starts the worker and waits for it: starting it hands it the whole document through
    a pipe, which waits until the worker has read it, and this process has rules to match meanwhile.
    """
    if document.page_count < GROUNDWORK_APART_MIN_PAGES:
        return None
    from concurrent.futures import Future
    import threading

    from ketcover.groundwork import groundwork
    from ketcover.isolation import start_isolated

    result: Future = Future()

    def read_apart() -> None:
        try:
            result.set_result(start_isolated(groundwork, document, scanner, timeout=GROUNDWORK_APART_TIMEOUT).result())
        except BaseException as error:  # _groundwork_result decides: a worker's failure is read here
            result.set_exception(error)

    threading.Thread(target=read_apart, daemon=True).start()
    return result


def _groundwork_result(apart, document: Document, scanner):
    """The worker's groundwork, or, without a worker or when it failed, the same read here."""
    from ketcover.groundwork import groundwork

    if apart is not None:
        try:
            return apart.result()
        except (ReadError, OSError):
            pass  # the worker failed or could not start (memory, time, a signal): the same work here, nothing is lost
    return groundwork(document, scanner)


def error_report(file: str, error: ReadError, sha256: str | None = None) -> DocumentReport:
    return DocumentReport(
        file=file, sha256=sha256, pages=0, status="error",
        error=DocumentError(error.code, error.text), warnings=(), summary=(), findings=(),
    )


def _read(path: str | Path, options: Options, progress: Callable[[int, int], None] | None) -> Document | ReadError:
    """Extract one file (in the isolated worker unless told otherwise), or the reason it failed."""
    # Imported here: this process never loads the PDF libraries unless told not to isolate.
    from ketcover.isolation import extract_isolated

    try:
        if options.isolate:
            return extract_isolated(
                path, password=options.password, engine=options.engine, use_ocr=options.use_ocr,
                limits=options.limits, progress=progress,
            )
        from ketcover.pdf import extract_document

        return extract_document(
            path, password=options.password, engine=options.engine, use_ocr=options.use_ocr,
            max_pages=options.limits.max_pages,
        )
    except ReadError as error:
        return error
    except Exception as exc:  # a bug must cost one file, not the batch, and never leak document text
        return ReadError("INTERNAL_ERROR", reason=type(exc).__name__)


def analyze_file(
    path: str | Path,
    compiled: CompiledRules,
    options: Options = Options(),
    progress: Callable[[int, int], None] | None = None,
) -> DocumentReport:
    """Read and analyze one file; an unreadable file becomes an error report, never an exception."""
    return _report_for(path, _read(path, options, progress), compiled)


def _report_for(path: str | Path, document: Document | ReadError, compiled: CompiledRules) -> DocumentReport:
    """The report on what _read returned: findings for a Document, an error report for a ReadError."""
    if isinstance(document, ReadError):
        return error_report(str(path), document)
    return report_for_document(document, compiled, str(path))


def analyze(
    paths: Iterable[str | Path],
    rules: RuleSet | str | Path | None = None,
    options: Options = Options(),
    progress: ProgressCallback | None = None,
    jobs: int = 1,
    use_cache: bool = False,
) -> list[DocumentReport]:
    """Analyze each file; reports come back in input order.

    The rule set is validated (RulesetError) before any PDF is read. Files are then read by
    worker processes (`jobs` at a time) while this process loads spaCy and compiles the rules,
    so the two costs overlap. With use_cache, a file whose hash and rule set were seen before
    is answered from the user's cache; when every file is, the rule files are hashed but not
    parsed (a cached entry exists only for rule files that were valid when it was made).
    """
    from ketcover import cache

    paths = list(paths)
    keys: dict[int, str] = {}
    reports: dict[int, DocumentReport] = {}
    if use_cache:
        digest = rules.digest if isinstance(rules, RuleSet) else ruleset_digest(rules)
        for index, path in enumerate(paths):
            sha256 = cache.file_sha256(Path(path))
            if sha256:
                keys[index] = cache.cache_key(sha256, digest, options.engine, options.use_ocr)
                cached = cache.load(keys[index], str(path))
                if cached is not None:
                    reports[index] = cached
    pending = [i for i in range(len(paths)) if i not in reports]

    def read(index: int):
        path = paths[index]
        callback = (lambda done, total, _p=str(path): progress(_p, done, total)) if progress else None
        return _read(path, options, callback)

    if pending:
        from concurrent.futures import ThreadPoolExecutor

        if options.isolate:
            from ketcover.isolation import start_fork_server

            start_fork_server()  # it boots while the rules are parsed; no PDF is read before they are valid
        from ketcover.regex_cache import recording

        with recording():  # the command line keeps the start-up's compiled regexes (regex_cache.py)
            ruleset = rules if isinstance(rules, RuleSet) else load_ruleset(rules)  # before any reading
        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            futures = {index: pool.submit(read, index) for index in pending}
            with recording():
                compiled = compile_rules(ruleset)  # overlaps with the reading above
                prepare_analysis()  # so does the one-time set-up of the steps after it
            for index in pending:
                reports[index] = _report_for(paths[index], futures[index].result(), compiled)
                if index in keys:
                    cache.store(keys[index], reports[index])  # error reports are never stored
    return [reports[i] for i in range(len(paths))]


__all__ = ["Options", "analyze", "analyze_file", "compile_rules", "report_for_document", "message"]
