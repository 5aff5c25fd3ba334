"""The keyword prefilter's words: which words (or regexes) a passage must hold for a rule to fire."""

from __future__ import annotations

import re

from ketcover.ruleset import Rule

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
    see CompiledRules.phrase_words.)
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
