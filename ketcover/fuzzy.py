"""rapidfuzz, the only module that imports it: long rule terms found approximately (OCR noise, typos)."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process


@dataclass(frozen=True)
class FuzzyHit:
    text_index: int
    term: str
    score: float
    start: int
    end: int


def find_fuzzy(terms: list[str], texts: list[str], min_score: float, workers: int = -1) -> list[FuzzyHit]:
    """Where each term occurs approximately (partial_ratio >= min_score) in the texts (lower-cased).

    workers: threads rapidfuzz scores with (-1: every core).
    """
    if not terms or not texts:
        return []
    lowered_terms = [t.lower() for t in terms]
    lowered = [t.lower() for t in texts]
    scores = process.cdist(
        lowered_terms, lowered, scorer=fuzz.partial_ratio, score_cutoff=min_score, workers=workers
    )
    hits = []
    for term_index, text_index in zip(*scores.nonzero()):
        term = lowered_terms[term_index]
        if len(lowered[text_index]) < len(term):
            # partial_ratio aligns the shorter string inside the longer: a short text such as
            # "Authorizations." would otherwise score high against "prior authorization".
            continue
        alignment = fuzz.partial_ratio_alignment(term, lowered[text_index], score_cutoff=min_score)
        if alignment is None:
            continue
        hits.append(FuzzyHit(int(text_index), terms[term_index], float(alignment.score),
                             alignment.dest_start, alignment.dest_end))
    return hits
