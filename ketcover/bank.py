"""The sentence bank (tests/wording): its split rule and per-concern scores of the engine and the keyword search."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ketcover.normalize import normalize_page_text
from ketcover.ruleset import lower_text
from ketcover.structure import BULLET

SPLITS = ("train", "validation", "test")
# DOMAIN.md gives these four concerns a polarity; a sentence labels it affirms / negates / both
# (a concern it leaves out of `polarity` affirms).
POLAR = ("mental_health_coverage", "experimental_exclusion", "prior_authorization", "step_therapy")


def wording_split(source: str) -> str:
    """train, validation or test (60/20/20) for a sentence, from a stable hash of its source
    document's URL (the source without its parenthesized title): every sentence of one document
    falls in the same split, and a new sentence never moves an old one. The test split is for
    reporting only: never change a rule because of a sentence in it."""
    url = source.strip().split()[0] if source.strip() else ""
    bucket = int(hashlib.sha256(url.encode("utf-8")).hexdigest()[:8], 16) % 100
    return "train" if bucket < 60 else "validation" if bucket < 80 else "test"


@dataclass
class BankScore:
    """One concern over the bank's sentences labeled for it (a file labels only its `concerns:`)."""

    positives: int = 0
    found: int = 0  # positives the engine's report finds the concern in
    negatives: int = 0
    false_hits: int = 0
    keyword_found: int = 0  # the same for a plain keyword search of the concern's `keywords:`
    keyword_false_hits: int = 0
    polar_labeled: int = 0
    polar_found: int = 0
    polar_right: int = 0
    wrong_polarity: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def recall(self) -> float | None:
        return self._ratio(self.found, self.positives)

    @property
    def precision(self) -> float | None:
        return self._ratio(self.found, self.found + self.false_hits)

    @property
    def keyword_recall(self) -> float | None:
        return self._ratio(self.keyword_found, self.positives)

    @property
    def keyword_precision(self) -> float | None:
        return self._ratio(self.keyword_found, self.keyword_found + self.keyword_false_hits)


def engine_polarity(polarities: set[str]) -> str:
    """One answer per concern from the polarities of its findings in a sentence."""
    return "both" if len(polarities) > 1 else next(iter(polarities))


def sentence_page(text: str, lead_in: str = "") -> tuple[str, int]:
    """The one page a bank sentence is read as (cleaned as an extracted page is), and where the
    sentence's part of it starts. A sentence with a `lead_in` (the source's line that introduces it:
    a list's lead-in or the heading it sits under) is read below that line, as a page shows it; when
    the sentence starts with a bullet, or the lead-in ends with ":", it is that list's item (a "• "
    is put before an item without a bullet), so the engine reads it with its lead-in
    (context.list_lead_in) as it reads a list item on a page."""
    sentence = normalize_page_text(text)
    lead = normalize_page_text(lead_in) if lead_in else ""
    if not lead:
        return sentence, 0
    if lead.endswith(":") and not BULLET.match(sentence[:8]):
        sentence = "• " + sentence
    return f"{lead}\n{sentence}", len(lead) + 1


def _in_sentence(start: int, quote: str, sentence_start: int) -> bool:
    """A quote at `start` of the page overlaps the sentence's part of it (which runs to the page's end)."""
    return start + len(quote) > sentence_start


def read_sentence(text: str, compiled, candidates: bool = True, lead_in: str = "") -> tuple[list, list]:
    """(findings, set aside) when `text` is read as a one-page document (sentence_page: below its
    `lead_in` when it has one): the rules' findings, and with `candidates` the keyword candidates
    decided too (what a report shows), with every rule finding or candidate a reason set aside.
    Only what quotes the sentence counts: a finding (or a candidate set aside) whose quote lies in
    the lead-in alone is left out, so a lead-in that names a concern ("Services that require prior
    authorization:") never makes its item found; one whose quote overlaps the sentence's part of the
    page is kept."""
    from ketcover.candidates import decide, decide_findings
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    page, sentence_start = sentence_page(text, lead_in)
    document = example_document(page)
    findings = find_findings(document, compiled)
    if candidates:
        kept, set_aside_findings = decide_findings(document, compiled, findings)
        added, set_aside = decide(document, compiled, findings)
        findings, set_aside = kept + added, set_aside_findings + set_aside
    else:
        set_aside = []
    if sentence_start:
        findings = [f for f in findings if _in_sentence(f.start, f.quote, sentence_start)]
        set_aside = [s for s in set_aside if _in_sentence(s.start, s.quote, sentence_start)]
    return findings, set_aside


def polarities_found(text: str, compiled, candidates: bool = True, lead_in: str = "") -> dict[str, set[str]]:
    """Concern -> the polarities of its findings in `text` read as a one-page document (read_sentence)."""
    found: dict[str, set[str]] = {}
    for finding in read_sentence(text, compiled, candidates, lead_in)[0]:
        found.setdefault(finding.concern, set()).add(finding.polarity)
    return found


def bank_sentences(folder: str | Path, split: str | None = None):
    """(file's concerns, sentence) for every sentence of the bank's YAML files, or of one split."""
    for path in sorted(Path(folder).glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "sentences" not in data:
            continue
        for sentence in data["sentences"]:
            if split is None or wording_split(sentence.get("source", "")) == split:
                yield data["concerns"], sentence


def keywords_found(text: str, compiled) -> set[str]:
    """The concerns a plain keyword search (each concern's `keywords:`) finds in a sentence (its
    lead-in not searched: a line that names the concern is not the item found): the baseline."""
    lowered = lower_text(normalize_page_text(text))
    return {concern.name for concern in compiled.ruleset.concerns if concern.keyword_search is not None
            and next(concern.keyword_search.spans(lowered, 0, len(lowered)), None) is not None}


def score_bank(folder: str | Path, compiled, split: str | None = "test") -> dict[str, BankScore]:
    """Per concern: what a report shows for each sentence read as a one-page document (rule
    findings and decided keyword candidates), beside a keyword search of the same text."""
    scores: dict[str, BankScore] = {}
    for concerns, sentence in bank_sentences(folder, split):
        found = polarities_found(sentence["text"], compiled, lead_in=sentence.get("lead_in") or "")
        expected = set(sentence.get("expected") or ())
        stated = sentence.get("polarity") or {}
        hits = keywords_found(sentence["text"], compiled)
        for concern in concerns:
            score = scores.setdefault(concern, BankScore())
            keyword_hit = concern in hits
            if concern not in expected:
                score.negatives += 1
                score.false_hits += concern in found
                score.keyword_false_hits += keyword_hit
                continue
            score.positives += 1
            score.found += concern in found
            score.keyword_found += keyword_hit
            if concern in POLAR:
                label = stated.get(concern, "affirms")
                score.polar_labeled += 1
                if concern in found:
                    score.polar_found += 1
                    got = engine_polarity(found[concern])
                    if got == label:
                        score.polar_right += 1
                    else:
                        score.wrong_polarity.append(f"[{label} -> {got}] {' '.join(sentence['text'].split())}")
    return scores
