"""The keyword prefilter: which rules could fire in a passage, from the words (or regexes) each needs."""

from __future__ import annotations

import re

from ketcover.ruleset import Rule, RuleSet

ANCHOR_WORD = re.compile(r"[a-z0-9]+")
LETTERS_OR_DIGITS = re.compile(r"[a-z]+|[0-9]+")
# Words too common in plan documents to tell a candidate passage apart; an anchor is taken
# from a phrase's other words when it has one.
COMMON_WORDS = {
    "the", "and", "for", "you", "your", "are", "not", "plan", "plans", "care", "health", "services",
    "service", "coverage", "covered", "cover", "benefit", "benefits", "provider", "providers",
    "required", "requires", "require", "approved", "medical", "review", "use", "other", "than",
}


def best_word(words: list[str]) -> str:
    uncommon = [w for w in words if w not in COMMON_WORDS]
    return max(uncommon or words, key=len)


def _required_tokens(pattern: list[dict]):
    """(attribute, options) for each word test of a pattern's required tokens: options is the
    list of strings the token may be, or a regex (a str) it must match."""
    for token in pattern:
        if token.get("OP") in ("?", "*", "!") or str(token.get("OP", "")).startswith("{0"):
            continue  # optional or negated: says nothing about what a matching passage holds
        for attr in ("LOWER", "TEXT", "ORTH"):
            value = token.get(attr)
            if isinstance(value, str):
                yield attr, [value]
            elif isinstance(value, dict) and isinstance(value.get("IN"), list):
                yield attr, [str(v) for v in value["IN"]]
            elif isinstance(value, dict) and "REGEX" in value:
                yield attr, value["REGEX"]


def required_words(pattern: list[dict]) -> list[list[frozenset[str]]]:
    """For each required token of a pattern that names its words: the word sets of its options.

    A passage can match the pattern only if, for every such token, all the words of one option
    are in the passage. Tokens that are optional, negated, regexes or punctuation say nothing.
    """
    required = []
    for _attr, options in _required_tokens(pattern):
        if isinstance(options, str):
            continue
        alternatives = [frozenset(ANCHOR_WORD.findall(option.lower())) for option in options]
        if all(alternatives):  # an option without words ("=", "/") can match anywhere
            required.append(alternatives)
    return required


def anchor_words(rule: Rule) -> tuple[set[str], list[re.Pattern]]:
    """Words (lower case) one of which a passage must hold for a pattern rule to fire, or regexes.

    Per token pattern: the options of its most telling required token; a pattern with only
    regex tokens is anchored by those regexes. (A phrase is anchored by its most telling word:
    see Prefilter.phrase_words.)
    """
    words: set[str] = set()
    regexes: list[re.Pattern] = []
    for pattern in rule.patterns:
        best: set[str] | None = None
        best_regex = None
        for attr, options in _required_tokens(pattern):
            if isinstance(options, str):
                flags = re.IGNORECASE if attr == "LOWER" else 0
                best_regex = best_regex or re.compile(options.strip("^$"), flags)
                continue
            token_words = {best_word(ANCHOR_WORD.findall(o.lower()) or [o.lower()]) for o in options}
            if not all(ANCHOR_WORD.fullmatch(w) for w in token_words):
                continue  # punctuation tokens ("/", "(") cannot anchor
            score = (not (token_words & COMMON_WORDS), min(map(len, token_words)))
            if best is None or score > (not (best & COMMON_WORDS), min(map(len, best))):
                best = token_words
        if best:
            words |= best
        elif best_regex is not None:
            regexes.append(best_regex)
        else:
            regexes.append(re.compile(""))  # nothing to anchor on: every passage is a candidate
    return words, regexes


class Prefilter:
    """Which rules could fire in a passage, from a lower-case keyword scan: spaCy then tokenizes
    and matches only candidate passages, with only the pattern rules they need.

    One thread at a time: passage_words learns words as it goes.
    """

    def __init__(self, ruleset: RuleSet, exception_pieces: dict[str, list[str]]):
        """`exception_pieces`: the tokenizer's exceptions, text -> its tokens (RuleMatcher.exception_pieces)."""
        self.rules = {rule.id: rule for rule in ruleset.rules}
        self.rule_order = {rule.id: i for i, rule in enumerate(ruleset.rules)}
        # anchor word -> the rules it may trigger ("" stands for the phrase matcher)
        self.anchors: dict[str, set[str]] = {}
        self.regex_anchors: list[tuple[str, re.Pattern]] = []
        # anchor word -> the word sets of the phrases it anchors: a phrase can match only where
        # all its words are (a passage with "prior" alone is not sent to spaCy for "prior approval").
        self.phrase_words: dict[str, list[frozenset[str]]] = {}
        # pattern rule -> per pattern, per required token (see required_words): its one-word
        # options as one set, and its several-word options
        self.token_tests: dict[str, list[list[tuple[frozenset[str] | None, list[frozenset[str]]]]]] = {}
        for rule in ruleset.rules:
            if rule.kind == "phrases":
                for phrase in rule.phrases:
                    words = ANCHOR_WORD.findall(phrase.lower())
                    if words:
                        anchor = best_word(words)
                        self.phrase_words.setdefault(anchor, []).append(frozenset(words))
                        self.anchors.setdefault(anchor, set()).add("")
            elif rule.kind == "pattern":
                self.token_tests[rule.id] = [
                    [(frozenset(next(iter(o)) for o in token if len(o) == 1) or None, [o for o in token if len(o) > 1])
                     for token in required_words(list(pattern))]
                    for pattern in rule.patterns]
                words, regexes = anchor_words(rule)
                for word in words:
                    self.anchors.setdefault(word, set()).add(rule.id)
                self.regex_anchors.extend((rule.id, regex) for regex in regexes)
        self.anchor_words = frozenset(self.anchors)
        # Words spaCy's tokenizer cuts out of a run of letters: "cannot" holds the token "not",
        # "don't" the tokens "do" and "n't". The prefilter adds them, or it would hide a match.
        self.split_words: dict[str, set[str]] = {}
        for text, tokens in exception_pieces.items():
            runs = ANCHOR_WORD.findall(text)
            for word in {word for token in tokens for word in ANCHOR_WORD.findall(token)} - set(runs):
                for run in runs:
                    if word in run:  # the run it was cut from: "do" and "n" from "don" of "don't"
                        self.split_words.setdefault(run, set()).add(word)
        self.split_keys: set[str] = set(self.split_words)
        self.plain_words: set[str] = set()  # words seen that are whole tokens (see passage_words)

    def candidates(self, lowered: str, original: str, context) -> tuple[bool, tuple[str, ...]]:
        """(may a phrase rule fire?, pattern rules that may fire) for one passage.

        A rule anchored only by a regex (billing codes: any five-digit number) must also have
        one of its context words around, or a phone number would send every passage to spaCy.
        """
        targets: set[str] = set()
        words = self.passage_words(lowered)
        phrases = False
        for word in self.anchor_words.intersection(words):
            for target in self.anchors[word]:
                if target:
                    targets.add(target)
                elif not phrases:
                    phrases = any(phrase <= words for phrase in self.phrase_words[word])
        for rule_id, regex in self.regex_anchors:
            if rule_id not in targets and regex.search(original):
                rule = self.rules[rule_id]
                if not rule.context_any or any(w in context() for w in rule.context_any):
                    targets.add(rule_id)
        # Of the pattern rules a word or regex called for, spaCy runs those a pattern may match.
        possible = [rule_id for rule_id in targets if self._may_match(rule_id, words)]
        return phrases, tuple(sorted(possible, key=self.rule_order.__getitem__))

    def _may_match(self, rule_id: str, words: set[str]) -> bool:
        """Whether one of the rule's patterns has every required token among the passage's words.
        A token whose options are single words is one set test (the common case, in C); explicit
        loops, not generators: this runs for every candidate rule of every passage."""
        for pattern in self.token_tests[rule_id]:
            for single, multi in pattern:
                if single is not None and not single.isdisjoint(words):
                    continue
                for option in multi:
                    if option <= words:
                        break
                else:
                    break  # this token can match nothing here: the pattern cannot
            else:
                return True
        return False

    def passage_words(self, lowered: str) -> set[str]:
        """Every word a spaCy token of the passage may be: its runs of letters and digits, the
        pieces of a run that mixes both ("10mg": the tokenizer splits a unit from its number) and
        the words a tokenizer exception cuts out ("cannot": can, not)."""
        words = set(ANCHOR_WORD.findall(lowered))
        # Each distinct word is looked at once per rule set; after that these are set operations
        # (on sets, not dict views, which would copy every key each time).
        for word in words.difference(self.plain_words, self.split_keys):
            pieces = LETTERS_OR_DIGITS.findall(word)
            if len(pieces) > 1:
                self.split_words[word] = set(pieces)
                self.split_keys.add(word)
            else:
                self.plain_words.add(word)
        for word in words & self.split_keys:
            words = words | self.split_words[word]
        return words
