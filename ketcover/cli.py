"""The command line (Typer, imported only here): parses options, renders, picks the exit code."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from ketcover.model import ExitCode
from ketcover.render import CASE_FORMATS, COMPARISON_FORMATS, DIFF_FORMATS, REPORT_FORMATS

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Read health-plan PDFs and report, page by page, what they say about ketamine/esketamine "
    "coverage: mental health benefits, experimental exclusions, prior authorization, step therapy, appeals.",
)
rules_app = typer.Typer(no_args_is_help=True, help="Explain and test the rule set.")
app.add_typer(rules_app, name="rules")


def _formats(name: str, formats) -> type[Enum]:
    """A --format choice built from a renderer table, so a new format is added in one place."""
    return Enum(name, {fmt: fmt for fmt in formats}, type=str)


Format = _formats("Format", REPORT_FORMATS)
CompareFormat = _formats("CompareFormat", COMPARISON_FORMATS)
DiffFormat = _formats("DiffFormat", DIFF_FORMATS)
CaseFormat = _formats("CaseFormat", CASE_FORMATS)


class Engine(str, Enum):
    pdfium = "pdfium"
    pdfplumber = "pdfplumber"


RULES_OPTION = typer.Option(None, "--rules", help="Folder of rule files to use instead of the built-in rule set.")
OUTPUT_OPTION = typer.Option(None, "--output", "-o", help="Write to this file (default: standard output).")
PASSWORD_OPTION = typer.Option(
    None, "--password-file", help="File holding the password of protected PDFs (never put a password on the command line).")
OCR_OPTION = typer.Option(True, "--ocr/--no-ocr", help="Read image-only pages with Tesseract OCR when it is installed.")
SHOW_IDS_OPTION = typer.Option(False, "--show-ids", help="Print member IDs and claim numbers unmasked.")
CACHE_OPTION = typer.Option(True, "--cache/--no-cache", help="Reuse reports of unchanged files from the user's cache folder.")


def _fail(code: ExitCode, text: str) -> None:
    typer.echo(f"ketcover: {text}", err=True)
    raise typer.Exit(int(code))


def _load_rules(rules: Optional[Path]):
    from ketcover.ruleset import RulesetError, load_ruleset

    try:
        return load_ruleset(rules)
    except RulesetError as error:
        _fail(ExitCode.INVALID_RULESET, f"invalid rule set: {error}")


def _read_password(password_file: Optional[Path]) -> Optional[str]:
    if password_file is None:
        return None
    try:
        return password_file.read_text(encoding="utf-8").rstrip("\r\n")
    except OSError as exc:
        _fail(ExitCode.USAGE, f"cannot read --password-file {password_file}: {exc.strerror}")


def expand_inputs(paths: List[Path]) -> List[Path]:
    """Files as given; a folder stands for the PDFs directly inside it, in name order."""
    expanded: List[Path] = []
    for path in paths:
        if path.is_dir():
            expanded.extend(sorted(p for p in path.iterdir() if p.suffix.lower() == ".pdf" and p.is_file()))
        else:
            expanded.append(path)
    return expanded


def _report_error(report) -> None:
    from ketcover.render.escape import terminal_safe

    # A file name may hold escape or bidi characters: never send them raw to the terminal.
    typer.echo(terminal_safe(f"ketcover: {report.file}: {report.error.message}"), err=True)


def _analyze_inputs(inputs: List[Path], rules: Optional[Path], options, *, jobs: int, use_cache: bool):
    """Analyze the inputs with a progress bar; each unreadable file gets its line on stderr.

    The rule folder goes to analyze() unparsed: it validates the rules before reading any PDF,
    and a run answered wholly from the cache only hashes them.
    """
    from ketcover.analyze import analyze as run_analysis
    from ketcover.render.terminal import Progress
    from ketcover.ruleset import RulesetError

    if not inputs:
        _fail(ExitCode.USAGE, "no PDF files found in the folders given.")
    progress = Progress()
    try:
        reports = run_analysis(inputs, rules, options, progress=progress, jobs=jobs, use_cache=use_cache)
    except RulesetError as error:
        _fail(ExitCode.INVALID_RULESET, f"invalid rule set: {error}")
    finally:
        progress.close()
    for report in reports:
        if report.status == "error":
            _report_error(report)
    return reports


def _exit_if_unreadable(reports) -> None:
    if any(r.status == "error" for r in reports):
        raise typer.Exit(int(ExitCode.UNREADABLE_INPUT))


def _emit(text: str, output: Optional[Path]) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from ketcover.output import write_atomically

    try:
        write_atomically(output, text)
    except OSError as exc:
        _fail(ExitCode.USAGE, f"cannot write {output}: {exc.strerror}")
    typer.echo(f"ketcover: report written to {output}", err=True)


def _shown(reports: list, show_ids: bool) -> list:
    """The reports as written out: member IDs and claim numbers masked unless asked for."""
    if show_ids:
        return reports
    from ketcover.privacy import mask_report

    return [mask_report(report) for report in reports]


@app.command()
def analyze(
    files: List[Path] = typer.Argument(..., help="Policy PDFs (or folders of PDFs) to analyze."),
    format: Format = typer.Option(Format.text, "--format", "-f", help="Report format."),
    output: Optional[Path] = OUTPUT_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    password_file: Optional[Path] = PASSWORD_OPTION,
    ocr: bool = OCR_OPTION,
    engine: Engine = typer.Option(Engine.pdfium, "--engine", help="pdfium: fast text pass; pdfplumber: slow reference path."),
    timeout: float = typer.Option(600.0, "--timeout", help="Seconds one file may take to read."),
    max_memory_mb: int = typer.Option(2048, "--max-memory-mb", help="Memory the PDF reader may use, in MB."),
    max_pages: int = typer.Option(5000, "--max-pages", help="Refuse PDFs with more pages than this."),
    cache: bool = CACHE_OPTION,
    jobs: int = typer.Option(1, "--jobs", "-j", help="Files read in parallel."),
    show_ids: bool = SHOW_IDS_OPTION,
) -> None:
    """Analyze policy PDFs and print a cited report for each."""
    from ketcover.analyze import Options
    from ketcover.limits import Limits
    from ketcover.render import render_report

    options = Options(
        engine=engine.value, use_ocr=ocr, password=_read_password(password_file),
        # One page may take a fifth of the file's time, at least a minute: raising --timeout
        # also helps a single slow page (a large scan under OCR).
        limits=Limits(timeout=timeout, page_timeout=min(timeout, max(60.0, timeout / 5)),
                      max_memory_mb=max_memory_mb, max_pages=max_pages),
    )
    reports = _analyze_inputs(expand_inputs(files), rules, options, jobs=jobs, use_cache=cache)
    _emit(render_report(_shown(reports, show_ids), format.value), output)
    _exit_if_unreadable(reports)


@app.command("text")
def text_command(
    file: Path = typer.Argument(..., help="The PDF to read."),
    output: Optional[Path] = OUTPUT_OPTION,
    password_file: Optional[Path] = PASSWORD_OPTION,
    ocr: bool = OCR_OPTION,
    engine: Engine = typer.Option(Engine.pdfium, "--engine", help="pdfium: fast text pass; pdfplumber: slow reference path."),
) -> None:
    """Print the text the rules read, page by page (each page ends with a form feed, as pdftotext's
    do); lines set aside as running headers/footers follow a '--- margin ---' line on their page."""
    from ketcover.errors import ReadError
    from ketcover.isolation import extract_isolated
    from ketcover.render.escape import terminal_safe
    from ketcover.structure import render_pages

    try:
        document = extract_isolated(file, password=_read_password(password_file), engine=engine.value, use_ocr=ocr)
    except ReadError as error:
        _fail(ExitCode.UNREADABLE_INPUT, terminal_safe(f"{file}: {error.text}"))
    for warning in document.warnings:
        typer.echo(f"ketcover: {terminal_safe(warning.message)}", err=True)
    _emit(render_pages(document), output)


@rules_app.command("list")
def rules_list(rules: Optional[Path] = RULES_OPTION) -> None:
    """Explain every concern and rule: what it finds and why it matters."""
    ruleset = _load_rules(rules)
    lines = [f"Rule set: {ruleset.source} ({len(ruleset.rules)} rules)", ""]
    for concern in ruleset.concerns:
        lines.append(f"{concern.name}: {concern.title}")
        lines.append(f"  What it finds: {concern.description}")
        lines.append(f"  Why it matters: {concern.why}")
        for rule in concern.rules:
            where = f" (only under: {', '.join(rule.require_sections)})" if rule.require_sections else ""
            lines.append(f"  - {rule.id} [{rule.kind}]{where}: {rule.title}")
        lines.append("")
    typer.echo("\n".join(lines))


@rules_app.command("test")
def rules_test(rules: Optional[Path] = RULES_OPTION, verbose: bool = typer.Option(False, "--verbose", "-v")) -> None:
    """Run every rule's own examples; report misses and false hits separately."""
    from ketcover.analyze import compile_rules
    from ketcover.examples import run_examples

    ruleset = _load_rules(rules)
    results = run_examples(compile_rules(ruleset))
    misses = [r for r in results if r.kind == "match" and not r.fired]
    wrong_polarity = [r for r in results if r.kind == "match" and r.fired and not r.polarity_right]
    false_hits = [r for r in results if r.kind == "no_match" and r.fired]
    fixed = [r for r in results if r.kind == "known_miss" and r.fired]
    known = [r for r in results if r.kind == "known_miss" and not r.fired]
    for title, group in (("MISSED (must match)", misses), ("FALSE HIT (must not match)", false_hits),
                         ("WRONG POLARITY (found, but not as its example says)", wrong_polarity),
                         ("KNOWN MISS NOW FOUND (move it to match)", fixed)):
        for result in group:
            typer.echo(f"{title}: {result.rule}: {result.text!r}")
    if verbose:
        for result in known:
            typer.echo(f"known miss: {result.rule}: {result.text!r}")
    typer.echo(f"{len(results)} examples: {len(misses)} missed, {len(false_hits)} false hits, "
               f"{len(wrong_polarity)} wrong polarity, {len(known)} known misses, {len(fixed)} known misses now found")
    if misses or false_hits or wrong_polarity:
        raise typer.Exit(1)


def _default_jobs() -> int:
    import os

    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


@app.command()
def compare(
    files: List[Path] = typer.Argument(..., help="Plan PDFs, or folders of PDFs, to compare side by side."),
    format: CompareFormat = typer.Option(CompareFormat.text, "--format", "-f", help="Table format."),
    output: Optional[Path] = OUTPUT_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    jobs: int = typer.Option(0, "--jobs", "-j", help="Files read in parallel (default: the machine's cores)."),
    password_file: Optional[Path] = PASSWORD_OPTION,
    ocr: bool = OCR_OPTION,
    cache: bool = CACHE_OPTION,
    show_ids: bool = SHOW_IDS_OPTION,
) -> None:
    """Compare several plans: one column per plan, one row per concern, every cell cited."""
    from ketcover.analyze import Options
    from ketcover.compare import build_comparison
    from ketcover.render import render_comparison

    options = Options(use_ocr=ocr, password=_read_password(password_file))
    # A folder is one plan (its SBC, EOC, drug list together); a file given alone is a plan of its own.
    groups, inputs = [], []
    for path in files:
        members = expand_inputs([path])
        groups.append((path.name if path.is_dir() else None, list(range(len(inputs), len(inputs) + len(members)))))
        inputs += members
    reports = _shown(_analyze_inputs(inputs, rules, options, jobs=jobs or _default_jobs(), use_cache=cache), show_ids)
    by_plan = None
    if any(name for name, _ in groups):
        from ketcover.compare import plan_label

        by_plan = [(name or plan_label(reports[indexes[0]]), indexes) for name, indexes in groups if indexes]
    comparison = build_comparison(reports, by_plan)
    if format.value == "text" and output is None and sys.stdout.isatty():
        # On a terminal: rich's tables (window width, wide characters); piped or written to a file,
        # the plain tables below, whose layout scripts and tests can rely on.
        from ketcover.render.terminal import print_comparison

        print_comparison(comparison)
    else:
        _emit(render_comparison(comparison, format.value), output)
    _exit_if_unreadable(reports)


@app.command()
def diff(
    old: Path = typer.Argument(..., help="The older version of the plan document."),
    new: Path = typer.Argument(..., help="The newer version of the plan document."),
    format: DiffFormat = typer.Option(DiffFormat.text, "--format", "-f", help="Output format."),
    output: Optional[Path] = OUTPUT_OPTION,
    rules: Optional[Path] = RULES_OPTION,
    show_ids: bool = SHOW_IDS_OPTION,
) -> None:
    """Show what changed for each concern between two versions of a plan."""
    from ketcover.analyze import Options
    from ketcover.diff import build_diff
    from ketcover.render import render_diff

    reports = _analyze_inputs([old, new], rules, Options(), jobs=2, use_cache=False)
    _exit_if_unreadable(reports)
    old_report, new_report = _shown(reports, show_ids)
    _emit(render_diff(build_diff(old_report, new_report), format.value), output)


@app.command()
def case(
    files: List[Path] = typer.Argument(..., help="One person's documents: plan booklet, drug policy, denial letter (or folders)."),
    profile: Optional[Path] = typer.Option(None, "--profile", help="YAML file with your age, diagnoses, antidepressant trials ..."),
    format: CaseFormat = typer.Option(CaseFormat.text, "--format", "-f",
                                      help="Output format; letter-markdown / letter-html print the draft appeal letter alone."),
    output: Optional[Path] = OUTPUT_OPTION,
    show_ids: bool = SHOW_IDS_OPTION,
    ocr: bool = OCR_OPTION,
) -> None:
    """One answer per treatment from all of your documents: denial, deadlines, checklist and a draft appeal letter."""
    from ketcover.analyze import Options
    from ketcover.case import case_from_sources
    from ketcover.case.profile import ProfileError, load_profile
    from ketcover.render.case import render_case
    from ketcover.case.sources import read_sources

    inputs = expand_inputs(files)
    if not inputs:
        _fail(ExitCode.USAGE, "no PDF files found in the folders given.")
    try:
        person = load_profile(profile) if profile else None
    except ProfileError as error:
        _fail(ExitCode.USAGE, str(error))
    sources = read_sources(inputs, Options(use_ocr=ocr))
    for source in sources:
        if source.report.status == "error":
            _report_error(source.report)
    _emit(render_case(case_from_sources(sources, person, mask=not show_ids), format.value), output)
    _exit_if_unreadable([s.report for s in sources])


@app.command()
def serve(
    port: int = typer.Option(0, "--port", help="Port on 127.0.0.1 (default: a free one)."),
    browser: bool = typer.Option(True, "--browser/--no-browser", help="Open the page in the default browser."),
    rules: Optional[Path] = RULES_OPTION,
) -> None:
    """Start the local web page: drop in policy PDFs and read the cited report in the browser."""
    from ketcover.server import serve as run_server

    ruleset = _load_rules(rules)
    run_server(port=port, open_browser=browser, ruleset=ruleset)


@app.command("eval")
def eval_command(
    gold_dir: Path = typer.Argument(..., help="Folder of gold label files (tests/gold)."),
    corpus: Path = typer.Option(..., "--corpus", help="Folder holding the labeled PDFs."),
    rules: Optional[Path] = RULES_OPTION,
    details: bool = typer.Option(True, "--details/--no-details", help="List missed and wrongly flagged pages."),
    set_aside: bool = typer.Option(False, "--set-aside", help="List every keyword candidate set aside, with its page and reason."),
    bank: Optional[Path] = typer.Option(None, "--bank", help="Folder of the labeled sentence bank (tests/wording): "
                                        "also score its sentences, beside the gold pages."),
    split: str = typer.Option("test", "--split", help="The bank's split to score: train, validation, test or all."),
    by_kind: bool = typer.Option(False, "--by-kind", help="Also a table per document kind: recall beside the "
                                 "keyword search's, marking kinds where the engine finds fewer pages."),
) -> None:
    """Score the analyzer against hand-labeled pages: precision, recall, citation integrity, beside a
    plain keyword search's on the same pages; with --bank, the sentence bank's split beside them."""
    from ketcover.analyze import Options, compile_rules
    from ketcover.bank import SPLITS, score_bank
    from ketcover.evaluate import evaluate, render_evaluation

    if not gold_dir.is_dir() or not corpus.is_dir():
        _fail(ExitCode.USAGE, "GOLD_DIR and --corpus must be folders.")
    if bank is not None and not bank.is_dir():
        _fail(ExitCode.USAGE, "--bank must be the folder of the sentence bank (tests/wording).")
    if split not in (*SPLITS, "all"):
        _fail(ExitCode.USAGE, "--split must be one of train, validation, test or all.")
    ruleset = _load_rules(rules)
    compiled = compile_rules(ruleset)
    evaluation = evaluate(gold_dir, corpus, compiled, Options())
    if bank is not None:
        evaluation.bank = score_bank(bank, compiled, None if split == "all" else split)
        evaluation.bank_split = split
    typer.echo(render_evaluation(evaluation, details=details, set_aside=set_aside, by_kind=by_kind), nl=False)


def main() -> None:
    from ketcover.shutdown import install_signal_cleanup

    install_signal_cleanup()  # readers start on other threads, where no handler can be set
    # Regular expressions compiled by earlier runs are served from the file kept beside ketcover's bytecode (regex_cache.py):
    # about a fifth of the CPU before the rules are ready.
    from ketcover import regex_cache, yaml_cache

    regex_cache.install()
    yaml_cache.enable()  # and the rule files' parsed YAML
    try:
        app()
    finally:
        regex_cache.save()
        # Once spaCy is loaded, the interpreter's final garbage collections walk its hundreds of
        # thousands of objects: about 0.3 s of exit time on a 2-core machine. Frozen objects are
        # skipped; everything is still released by the process ending.
        import gc

        gc.freeze()
