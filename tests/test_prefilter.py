"""The word prefilter only saves work: spaCy finds the same matches with it as without it."""

from __future__ import annotations

import pytest

from ketcover.analyze import Options, _read
from ketcover.structure import split_passages

from conftest import CORPUS, SAMPLES, wording_sets


def _texts(paths) -> list[str]:
    texts = []
    for path in paths:
        document = _read(path, Options(), None)
        offsets = {h.offset for h in document.headings}
        texts += [" ".join(document.text[p.start:p.end].split()) for p in split_passages(document.text, offsets)]
    return texts


def _all_matches(compiled, texts, prefiltered: bool) -> list[set]:
    every_pattern = tuple(compiled.matcher.pattern_matchers)
    requests = []
    for text in texts:
        if prefiltered:
            # The context only matters for regex-anchored rules; give them all the words they ask for.
            phrases, patterns = compiled.prefilter.candidates(text.lower(), text, lambda: " ".join(
                word for rule in compiled.rules.values() for word in rule.context_any))
        else:
            phrases, patterns = True, every_pattern
        requests.append((text, phrases, patterns))
    return [{(m.rule_id, m.start_char, m.end_char) for m in found}
            for found in compiled.matcher.match_texts(requests)]


def _documents():
    paths = sorted(SAMPLES.glob("*.pdf"))
    # Two real documents of different kinds, when the corpus is beside the project.
    paths += [p for p in sorted(CORPUS.glob("*.pdf")) if p.name.startswith(("sbc_cms", "medical-policy"))]
    return paths


@pytest.mark.parametrize("path", _documents(), ids=lambda p: p.name)
def test_prefilter_drops_no_match(path, compiled_rules):
    texts = _texts([path])
    with_filter = _all_matches(compiled_rules, texts, prefiltered=True)
    without = _all_matches(compiled_rules, texts, prefiltered=False)
    lost = [(texts[i][:80], sorted(without[i] - with_filter[i])) for i in range(len(texts)) if without[i] - with_filter[i]]
    assert not lost, f"the prefilter dropped matches: {lost[:3]}"
    assert sum(map(len, without)) > 0


def test_prefilter_drops_no_match_in_real_sentences_and_examples(compiled_rules):
    """891 sentences from plan documents outside the corpus, and every rule example: contractions
    ("don't", "cannot"), units ("10mg"), codes, curly quotes."""
    from ketcover.normalize import normalize_page_text

    texts = [sentence["text"] for data in wording_sets() for sentence in data["sentences"]]
    for rule in compiled_rules.rules.values():
        texts += list(rule.examples.match) + list(rule.examples.no_match) + list(rule.examples.known_miss)
    texts = [" ".join(normalize_page_text(t).split()) for t in texts]
    texts += ["If you don't get approval, we cannot cover it.", "Take 10mg daily; it isn't required first."]
    with_filter = _all_matches(compiled_rules, texts, prefiltered=True)
    without = _all_matches(compiled_rules, texts, prefiltered=False)
    lost = [(texts[i][:80], sorted(without[i] - with_filter[i])) for i in range(len(texts)) if without[i] - with_filter[i]]
    assert not lost, f"the prefilter dropped matches: {lost[:5]}"


def test_prefilter_keeps_every_rule_example(compiled_rules):
    """Each rule's own match examples pass the prefilter for that rule."""
    for rule in compiled_rules.rules.values():
        if rule.kind not in ("phrases", "pattern"):
            continue
        for text in rule.examples.match:
            flat = " ".join(text.split())
            phrases, patterns = compiled_rules.prefilter.candidates(flat.lower(), flat, lambda r=rule: " ".join(r.context_any))
            assert (phrases if rule.kind == "phrases" else rule.id in patterns), f"{rule.id}: {text!r}"


def test_required_words_skip_optional_negated_and_wordless_tokens():
    from ketcover.prefilter import required_words

    pattern = [
        {"LOWER": {"IN": ["prior", "pre"]}},
        {"LOWER": "written", "OP": "?"},
        {"LOWER": "not", "OP": "!"},
        {"TEXT": "-"},
        {"LOWER": {"IN": ["approval", "="]}},
        {"LOWER": {"REGEX": "^auth"}},
        {"LOWER": "required", "OP": "+"},
    ]
    assert required_words(pattern) == [[frozenset({"prior"}), frozenset({"pre"})], [frozenset({"required"})]]


def test_a_document_without_ocr_pages_skips_the_page_lookup_of_each_passage(compiled_rules, monkeypatch):
    """Fuzzy terms run only on OCR pages: a document with none finds that out once, not by looking up
    the page of each passage."""
    from pathlib import Path

    from ketcover import matcher
    from ketcover.model import Document
    from ketcover.pdf import extract_document
    from ketcover.sections import outline_of

    document = extract_document(Path(__file__).resolve().parents[1] / "sample_policies" / "eoc_example-health_gold-hmo.pdf")
    assert "ocr" not in document.page_methods
    outline = outline_of(document, compiled_rules.section_classes)
    calls = []
    page_of = Document.page_of
    monkeypatch.setattr(Document, "page_of", lambda self, offset: calls.append(offset) or page_of(self, offset))
    assert matcher.find_rule_hits(document, compiled_rules, outline)
    assert len(calls) < len(outline.passages)
