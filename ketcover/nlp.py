"""spaCy, the only module that imports it: a blank English tokenizer plus phrase and token matchers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

import spacy
from spacy.matcher import Matcher, PhraseMatcher

from ketcover.ruleset import RuleSet, RulesetError


@dataclass(frozen=True)
class TokenMatch:
    """A rule match inside one text: character span and the tokens' character offsets."""

    rule_id: str
    start_char: int
    end_char: int
    token_starts: tuple[int, ...]  # start offsets of every token in the text
    match_token_start: int
    match_token_end: int


class RuleMatcher:
    """spaCy Matcher + PhraseMatcher compiled from the phrase and pattern rules of a rule set."""

    def __init__(self, ruleset: RuleSet):
        # No downloadable model: the tokenizer of spacy.blank("en") is all the rules need.
        self.nlp = spacy.blank("en")
        self.phrase_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.matcher = Matcher(self.nlp.vocab)
        for rule in ruleset.rules:
            if rule.kind == "phrases":
                self.phrase_matcher.add(rule.id, list(self.nlp.tokenizer.pipe(rule.phrases)))
            elif rule.kind == "pattern":
                try:
                    self.matcher.add(rule.id, [list(p) for p in rule.patterns])
                except (ValueError, spacy.errors.MatchPatternError) as exc:
                    first_line = str(exc).strip().splitlines()[0]
                    raise RulesetError(rule.file, rule.id, "patterns", f"spaCy rejects a pattern: {first_line}") from None

    def tokens(self, text: str) -> list[str]:
        return [t.lower_ for t in self.nlp.make_doc(text)]

    def match_texts(self, texts: Iterable[str]) -> Iterator[list[TokenMatch]]:
        """For each text, every phrase/pattern match (possibly overlapping)."""
        for doc in self.nlp.tokenizer.pipe(texts, batch_size=256):
            found = []
            token_starts = None
            hits = self.phrase_matcher(doc) + self.matcher(doc)
            if hits:
                token_starts = tuple(t.idx for t in doc)
            for match_id, start, end in hits:
                span = doc[start:end]
                found.append(TokenMatch(
                    self.nlp.vocab.strings[match_id], span.start_char, span.end_char,
                    token_starts, start, end,
                ))
            yield found
