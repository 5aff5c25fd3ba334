"""Shared test fixtures: the project's paths, the real corpus (when present) and a compiled rule set."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_policies"
GOLD = ROOT / "tests" / "gold"
# The development corpus lives beside the project (never inside it): ../shared/corpus.
CORPUS = ROOT.parent / "shared" / "corpus"
CORPUS_REASON = f"real plan documents not present at {CORPUS} (a clone outside the ketcover workspace)"

needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=CORPUS_REASON)
WORDING = ROOT / "tests" / "wording"


def wording_sets() -> list[dict]:
    """The labeled sentence sets of tests/wording/ ({concerns, sentences}), in file-name order."""
    import yaml

    return [yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(WORDING.glob("*.yaml"))]


@pytest.fixture(scope="session")
def compiled_rules():
    from ketcover.analyze import compile_rules

    return compile_rules()


@pytest.fixture(scope="session")
def corpus_reading():
    """Every corpus PDF extracted once per session: ({file name: Document}, {file name: ReadError}).
    One file that cannot be read never stops the others; tests say which one failed and why."""
    if not CORPUS.is_dir():
        pytest.skip(CORPUS_REASON)
    from ketcover.errors import ReadError
    from ketcover.isolation import extract_isolated
    from ketcover.limits import Limits

    # The Healthfirst drug list (163 pages) has 139 pages in a font without a Unicode map, each read by
    # OCR: on a busy shared 2-core machine that takes longer than the 600 s a user's file gets by default
    # (what `--timeout` is for). The corpus is trusted, so it gets a larger budget per file; the limits
    # themselves are tested on hostile files in tests/test_hostile.py.
    limits = Limits(timeout=2400.0)
    documents, errors = {}, {}
    for path in sorted(CORPUS.glob("*.pdf")):
        try:
            documents[path.name] = extract_isolated(path, limits=limits)
        except ReadError as error:
            errors[path.name] = error
    return documents, errors


@pytest.fixture(scope="session")
def corpus_documents(corpus_reading):
    """The corpus PDFs that could be read: {file name: Document}."""
    return corpus_reading[0]


@pytest.fixture(scope="session")
def corpus_read_errors(corpus_reading):
    """The corpus PDFs that could not be read: {file name: ReadError} (empty when all read)."""
    return corpus_reading[1]


@pytest.fixture(scope="session")
def corpus_reports(corpus_documents, compiled_rules):
    from ketcover.analyze import report_for_document

    return {name: report_for_document(doc, compiled_rules, name) for name, doc in corpus_documents.items()}


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes several seconds; still runs by default (deselect with -m 'not slow')")


@pytest.fixture(autouse=True, scope="session")
def private_cache_dir(tmp_path_factory):
    """Tests never read or write the user's real report cache."""
    import os

    folder = tmp_path_factory.mktemp("ketcover-cache")
    os.environ["KETCOVER_CACHE_DIR"] = str(folder)
    return folder
