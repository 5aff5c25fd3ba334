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


# The bank's one split rule lives in the package (ketcover eval --bank scores a split too).
from ketcover.bank import SPLITS, wording_split  # noqa: E402,F401  (used by the wording tests and tools)


# Sentence files no rule was written or tuned from yet (first-contact data): scored, not floored.
# A tuple: str.startswith takes one, so each new round of first-contact files is one more prefix.
FIRST_CONTACT_PREFIX = ("round6_", "round7_", "round8_", "round9_", "round10_", "round11_", "round12_", "round13_", "round14_", "round15_", "round16_", "round17_", "round18_", "round19_", "round20_")


def tuned_wording_sets() -> list[dict]:
    """The sentence sets the floors hold (every file but the first-contact ones)."""
    return [data for data in wording_sets() if not data["file"].startswith(FIRST_CONTACT_PREFIX)]


def first_contact_wording_sets() -> list[dict]:
    return [data for data in wording_sets() if data["file"].startswith(FIRST_CONTACT_PREFIX)]


def wording_sets() -> list[dict]:
    """The labeled sentence sets of tests/wording/ ({concerns, sentences}), in file-name order;
    each sentence gains `split` (see wording_split) and `polarity` ({concern: affirms | negates |
    both} for each expected concern; a concern the file leaves out of `polarity` affirms)."""
    import yaml

    sets = []
    for path in sorted(WORDING.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["file"] = path.name
        for sentence in data["sentences"]:
            sentence["stated_polarity"] = dict(sentence.get("polarity") or {})  # as written in the file
        sets.append(data)
    for data in sets:
        for sentence in data["sentences"]:
            sentence["split"] = wording_split(sentence.get("source", ""))
            stated = sentence.get("polarity") or {}
            sentence["polarity"] = {concern: stated.get(concern, "affirms") for concern in sentence.get("expected") or ()}
    return sets


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

    # The Healthfirst drug list (163 pages) has 139 pages in a font without a Unicode map. Each was read by
    # OCR of the whole page (over the 600 s a user's file gets by default); its words are now read by their
    # look, mostly from the learned glyph key (about 90 s). The corpus is trusted, so it keeps a larger
    # budget per file on a busy shared 2-core machine; the limits themselves are tested on hostile files
    # in tests/test_hostile.py.
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
