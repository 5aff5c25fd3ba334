"""Loading and validating the rule set: YAML data files with a closed set of rule kinds."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ketcover.concerns import SECTIONS_FILE, SET_ASIDE_FILE, concern_names, default_rules_dir

RULE_KINDS = ("phrases", "pattern", "fuzzy", "marker")
NEGATION_KEYS = ("answer", "window", "forward", "backward", "bidirectional", "terminators", "pseudo", "exceptions", "conditional",
                 "both_ways", "penalties", "double_negation", "affirming", "mentions", "negated_in_sections", "negated_in_sections_unless")
DIRECTIONS = ("forward", "backward", "bidirectional")
# The closed set of reasons a keyword candidate may be set aside for (rules/set_aside.yaml).
SET_ASIDE_KINDS = ("contents", "heading", "law_name", "notice", "contact", "definition", "other_subject",
                   "other_benefits", "example", "background")
TOKEN_ATTRS = {"LOWER", "TEXT", "ORTH", "IS_DIGIT", "IS_ALPHA", "IS_PUNCT", "LIKE_NUM", "OP", "SHAPE", "LENGTH", "IS_SPACE", "IS_TITLE", "IS_UPPER"}
TOKEN_PREDICATES = {"IN", "NOT_IN", "REGEX", "==", ">=", "<=", ">", "<", "FUZZY"}


class RulesetError(Exception):
    """A rule file that cannot be used: names the file, the rule and the key."""

    def __init__(self, file: str, rule: str | None, key: str | None, problem: str):
        self.file, self.rule, self.key, self.problem = file, rule, key, problem
        where = file + (f", rule {rule}" if rule else "") + (f", key '{key}'" if key else "")
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True)
class Trigger:
    """A negation trigger: its words, which side of it it negates, and how far (0: the block's window)."""

    phrase: str
    direction: str  # forward: what follows the trigger; backward: what precedes it; bidirectional
    window: int = 0


@dataclass(frozen=True)
class Negation:
    """ConText-style negation (ketcover.context applies it): triggers near a match flip it to
    'negates' unless a terminator stands between them or the trigger is part of a pseudo-trigger."""

    triggers: tuple[Trigger, ...] = ()
    window: int = 8  # default scope of a trigger, in tokens
    terminators: tuple[str, ...] = ()
    pseudo: tuple[str, ...] = ()
    # Phrases after a match that name where it does not hold ("required for all services except
    # emergency care"): the passage states the concern both ways (direction "exceptions").
    exceptions: tuple[Trigger, ...] = ()
    # Phrases after a NEGATED match that tie the negation to a case ("prior authorization is not
    # required if prescribed by an oncologist"): not required in that case, required otherwise, so
    # the passage states the concern both ways. An affirmed match followed by one is a condition
    # of the requirement ("required if out of network") and stays one way (direction "conditional").
    conditional: tuple[Trigger, ...] = ()
    # Phrases that state the concern for some cases and not for others ("Not all plans require prior
    # authorization", "may or may not require", "not covered unless medically necessary for a mental health
    # condition"): a match after one, within its window, or overlapping it, is read both ways (direction "both_ways").
    both_ways: tuple[Trigger, ...] = ()
    # The penalty for care given without the requirement met ("If you get care without authorization, you
    # may have to pay the full cost"): a trigger followed by one, within its window and with no terminator
    # between, negates nothing; the passage states that the requirement holds (direction "penalties").
    penalties: tuple[Trigger, ...] = ()
    # Double negation: a negation before one of `double_negation_triggers` ("not ... without"), within the negation
    # phrase's window and with no terminator between, makes that trigger negate nothing: "Members are cautioned not
    # to obtain care from civilian sources without prior approval", "Services are not covered without prior
    # authorization" state that the approval is required (direction "double_negation").
    double_negation: tuple[Trigger, ...] = ()
    double_negation_triggers: tuple[str, ...] = ()
    double_negation_stops: tuple[str, ...] = ()  # words that end a negation's reach as a terminator would
    # Predicates that state the concern affirmatively ("is covered", "requires"): one standing free (in no trigger
    # or pseudo-trigger) between a trigger and a match ends the trigger's scope, so the trigger negates its own
    # clause's subject, not an earlier one: "Mental health care is covered, and transportation is not covered".
    affirming: tuple[str, ...] = ()
    # Words that make a match a mere mention of the concern: `before` it ("requests for prior
    # authorization"), `after` it or ending it ("preauthorization requests", "the preauthorization
    # process"). A mention states the concern neither way, so where a passage states it one way
    # elsewhere, the mention adds no finding of the other way.
    mentions_before: tuple[str, ...] = ()
    mentions_after: tuple[str, ...] = ()
    answer: str = "stated as not applying"  # a negating finding's short answer ("not required")
    # Section classes whose affirming matches state the concern negated: an item of an exclusions list
    # ("What's Not Covered" ... "• Psychoanalysis") is a service the plan does not cover, though the item
    # never says so. Not when its passage holds one of the `unless` phrases ("This exclusion does not
    # apply to ...", "... is covered when ...").
    negated_in_sections: tuple[str, ...] = ()
    negated_in_sections_unless: tuple[str, ...] = ()


POLARITIES = ("affirms", "negates", "both")


@dataclass(frozen=True)
class Examples:
    match: tuple[str, ...]
    no_match: tuple[str, ...]
    known_miss: tuple[str, ...] = ()
    # The polarity each match example must be found with (parallel to match; "affirms" unless the
    # YAML says {text: ..., polarity: negates}; "both": one clause each way).
    polarities: tuple[str, ...] = ()

    def polarity_of(self, index: int) -> str:
        return self.polarities[index] if index < len(self.polarities) else "affirms"


@dataclass(frozen=True)
class Rule:
    """One rule: a kind, what it looks for, where it applies, and its own examples."""

    id: str
    concern: str
    kind: str
    title: str
    answer: str
    phrases: tuple[str, ...] = ()
    patterns: tuple = ()
    # The answer of an affirming match inside the section the rule requires: the exception to that
    # section's rule ("• Speech therapy except as required for ... autism" in an exclusions list).
    exception_answer: str = ""
    min_score: float = 90.0
    score: float = 1.0
    require_sections: tuple[str, ...] = ()
    skip_sections: tuple[str, ...] = ()
    context_any: tuple[str, ...] = ()
    context_none: tuple[str, ...] = ()
    examples: Examples = Examples((), ())
    file: str = ""


@dataclass(frozen=True)
class Concern:
    name: str
    title: str
    description: str
    why: str
    references: tuple[str, ...]
    rules: tuple[Rule, ...]
    negation: Negation
    file: str
    keywords: tuple[str, ...] = ()  # the plain keyword search's regexes (candidates, baseline)
    keyword_search: KeywordSearch | None = None  # all of them, ready to scan a text
    # Wording that makes a passage a candidate beside the keywords, without widening the keyword
    # baseline ("needs authorization", "approved before you get them"): candidate_vocabulary:.
    candidate_vocabulary: tuple[str, ...] = ()
    candidate_search: KeywordSearch | None = None  # keywords and candidate vocabulary, in one scan
    # Each form's examples (texts of the bank's train split it makes candidates of): form -> texts.
    candidate_examples: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # `named_in_any_context: true`: the concern is a name ("ketamine: named, in any context",
    # DOMAIN.md), so every mention is a finding and no set-aside reason decides it.
    named_in_any_context: bool = False
    # `carried_lead_ins:` a list's lead-in that states the concern FOR the items under it ("The following
    # services require prior authorization:"): matched against an affirming lead-in's text, its finding is
    # carried to each item (matcher.carried_from_lead_ins). `not:` lead-ins of a process ("Requests must
    # include:") that no form may match (tests/test_rule_examples.py).
    carried_lead_ins: tuple[re.Pattern, ...] = ()
    carried_lead_in_examples: tuple[tuple[str, tuple[str, ...]], ...] = ()
    carried_lead_in_counterexamples: tuple[str, ...] = ()
    # `carried_from_context:` a sentence that states the concern's answer without naming it, by an anaphor or as a
    # bare benefit statement ("You do not need one.", "It is not covered.", "$30 copay after deductible"): matched
    # against a passage right after one that holds the concern's finding, it takes that concern, with its own
    # polarity (anaphora.carried_from_context). `not:` sentences that no form may match.
    context_statements: tuple[re.Pattern, ...] = ()
    context_statement_examples: tuple[tuple[str, tuple[str, ...]], ...] = ()
    context_statement_counterexamples: tuple[str, ...] = ()
    # The forms under `extending:` (also in context_statements) restate the context's statement for more cases ("This
    # includes counseling for couples."): their polarity is the context finding's, turned by a negation of their own.
    context_extending: tuple[re.Pattern, ...] = ()


@dataclass(frozen=True)
class SetAsideReason:
    """A named reason a keyword candidate is not a finding (a contents line, a law's name, ...).

    It applies to a candidate when every test it names holds: the passage's section class is one
    of `sections`; a match of an `around` regex covers the keyword; a `passage` regex is found in
    the passage; the passage is a heading alone (`heading_alone`); the passage is at most
    `max_chars` long.
    """

    id: str
    kind: str
    title: str
    concerns: tuple[str, ...] = ()  # empty: every concern
    sections: tuple[str, ...] = ()
    around: tuple[re.Pattern, ...] = ()
    passage: tuple[re.Pattern, ...] = ()
    unless: tuple[re.Pattern, ...] = ()  # a passage holding one of these is not set aside
    heading_alone: bool = False
    contents_line: bool = False
    max_chars: int = 0
    document_kinds: tuple[str, ...] = ()  # only in documents of these kinds (ketcover/kinds.yaml)
    # The reason decides the rules' findings too, not only keyword candidates: what the passage is
    # (a glossary's definition) holds whichever of the two found the concern's words in it.
    findings: bool = False
    contents_page: bool = False  # the passage's page is a table of contents or an index (keyword_scan.contents_pages)
    examples: Examples = Examples((), ())


@dataclass(frozen=True)
class SectionClass:
    name: str
    headings: tuple[str, ...]
    unless: tuple[str, ...] = ()  # a heading holding one of these is not of this class
    # A weak heading of a sticky class holds past later weak headings (a notice's addresses and
    # sub-headings) for this many characters, or until the next strong heading; 0: not sticky.
    sticky: int = 0
    # When given, only a heading holding one of these is sticky ("Exclusions" opens a chapter of them; a
    # table's "Not covered" row label is of the class but opens nothing).
    sticky_headings: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleSet:
    concerns: tuple[Concern, ...]
    section_classes: tuple[SectionClass, ...]
    default_skip_sections: tuple[str, ...]
    source: str
    digest: str = field(default="")
    set_aside: tuple[SetAsideReason, ...] = ()

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(rule for concern in self.concerns for rule in concern.rules)

    def concern(self, name: str) -> Concern:
        return next(c for c in self.concerns if c.name == name)


# spaCy expands OP "{n,m}" into m optional tokens and its matcher's work grows exponentially with m: on one
# 36-token sentence a wildcard bound of 13 costs 1 ms, 20 costs 0.14 s and 24 costs 2 s (measured 2026-12-07;
# a mental-health rule with {0,24} took 5 s per payer-policy sentence before it was rewritten).
MAX_REPEAT_BOUND = 13
REPEAT_BOUND = re.compile(r"\{(?:\d*,)?(\d+)\}")  # the upper bound of "{m}", "{n,m}" and "{,m}"


def _strings(value, file: str, rule: str | None, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RulesetError(file, rule, key, "must be a list of non-empty strings")
    return tuple(value)


def _check_token_pattern(pattern, file: str, rule: str) -> None:
    if not isinstance(pattern, list) or not pattern:
        raise RulesetError(file, rule, "patterns", "each pattern must be a non-empty list of token dicts")
    for token in pattern:
        if not isinstance(token, dict):
            raise RulesetError(file, rule, "patterns", f"token {token!r} must be a mapping")
        bound = REPEAT_BOUND.fullmatch(str(token.get("OP", "")))
        if bound and int(bound.group(1)) > MAX_REPEAT_BOUND:
            raise RulesetError(
                file, rule, "patterns",
                f"OP {token['OP']!r} repeats a token up to {bound.group(1)} times: spaCy's matcher slows down "
                f"exponentially with that bound (a sentence takes seconds beyond {MAX_REPEAT_BOUND}); to reach further "
                "within a sentence, use {LOWER: {NOT_IN: [\".\"]}, OP: \"*\"}",
            )
        for attr, value in token.items():
            if attr not in TOKEN_ATTRS:
                raise RulesetError(file, rule, "patterns", f"unknown token attribute {attr!r}")
            if attr in ("LOWER", "TEXT", "ORTH") and not isinstance(value, (str, dict)):
                raise RulesetError(file, rule, "patterns", f"{attr} must be a string (quote {value!r} in YAML)")
            if isinstance(value, dict):
                for predicate, operand in value.items():
                    if predicate not in TOKEN_PREDICATES:
                        raise RulesetError(file, rule, "patterns", f"unknown predicate {predicate!r}")
                    if predicate in ("IN", "NOT_IN") and not (
                        isinstance(operand, list) and all(isinstance(v, str) for v in operand)
                    ):
                        raise RulesetError(
                            file, rule, "patterns",
                            f"{attr} {predicate} must list strings; quote values like on, yes, 2 in YAML: {operand!r}",
                        )
                    if predicate == "REGEX":
                        try:
                            re.compile(operand)
                        except re.error as exc:
                            raise RulesetError(file, rule, "patterns", f"bad regex {operand!r}: {exc}") from None


def _match_examples(raw, file: str, rule: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The texts and polarities of a rule's match examples: each a text, or {text, polarity}."""
    key = "examples.match"
    if raw is None:
        return (), ()
    if not isinstance(raw, list):
        raw = [raw]
    texts, polarities = [], []
    for entry in raw:
        if isinstance(entry, dict):
            if set(entry) - {"text", "polarity"} or entry.get("polarity", "affirms") not in POLARITIES:
                raise RulesetError(file, rule, key, f"{entry!r}: a mapping has 'text' and 'polarity' ({', '.join(POLARITIES)})")
            entry, polarity = entry.get("text"), entry.get("polarity", "affirms")
        else:
            polarity = "affirms"
        if not isinstance(entry, str) or not entry.strip():
            raise RulesetError(file, rule, key, "must be a list of non-empty strings or {text, polarity} mappings")
        texts.append(entry)
        polarities.append(polarity)
    return tuple(texts), tuple(polarities)


def _parse_rule(raw, concern: str, file: str, index: int, section_names: set[str]) -> Rule:
    if not isinstance(raw, dict):
        raise RulesetError(file, f"#{index + 1}", None, "a rule must be a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not rule_id.startswith(concern + "."):
        raise RulesetError(file, f"#{index + 1}", "id", f"must be a string starting with '{concern}.'")
    allowed = {"id", "kind", "title", "answer", "exception_answer", "phrases", "patterns", "terms", "legend", "min_score", "score",
               "sections", "context", "examples"}
    unknown = set(raw) - allowed
    if unknown:
        raise RulesetError(file, rule_id, sorted(unknown)[0], f"unknown key (allowed: {', '.join(sorted(allowed))})")
    kind = raw.get("kind")
    if kind not in RULE_KINDS:
        raise RulesetError(file, rule_id, "kind", f"must be one of {', '.join(RULE_KINDS)}")
    for key in ("title", "answer"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RulesetError(file, rule_id, key, "is required (a short text)")
    exception_answer = raw.get("exception_answer", "")
    if not isinstance(exception_answer, str):
        raise RulesetError(file, rule_id, "exception_answer", "must be a short text")
    phrases: tuple[str, ...] = ()
    patterns: tuple = ()
    if kind == "phrases":
        phrases = _strings(raw.get("phrases"), file, rule_id, "phrases")
        if not phrases:
            raise RulesetError(file, rule_id, "phrases", "a phrases rule needs at least one phrase")
    elif kind == "pattern":
        patterns = raw.get("patterns")
        if not isinstance(patterns, list) or not patterns:
            raise RulesetError(file, rule_id, "patterns", "a pattern rule needs a list of token patterns")
        for pattern in patterns:
            _check_token_pattern(pattern, file, rule_id)
        patterns = tuple(tuple(p) for p in patterns)
    elif kind == "marker":
        # The phrases of a legend ("Benefits that may require prior authorization are listed
        # with an asterisk (*)"); the items marked with its symbol are the findings.
        phrases = tuple(p.lower() for p in _strings(raw.get("legend"), file, rule_id, "legend"))
        if not phrases:
            raise RulesetError(file, rule_id, "legend", "a marker rule needs the phrases of its legend")
    else:
        phrases = _strings(raw.get("terms"), file, rule_id, "terms")
        if not phrases:
            raise RulesetError(file, rule_id, "terms", "a fuzzy rule needs at least one term")
        short = [t for t in phrases if len(t) < 12]
        if short:
            # Short fuzzy queries score high against unrelated header lines (rapidfuzz 3.14).
            raise RulesetError(file, rule_id, "terms", f"fuzzy terms must be at least 12 characters: {short[0]!r}")
    min_score = raw.get("min_score", 90)
    if not isinstance(min_score, (int, float)) or not 50 <= min_score <= 100:
        raise RulesetError(file, rule_id, "min_score", "must be a number from 50 to 100")
    score = raw.get("score", 1.0)
    if not isinstance(score, (int, float)) or not 0 < score <= 1:
        raise RulesetError(file, rule_id, "score", "must be a number above 0 and at most 1")
    sections = raw.get("sections") or {}
    if not isinstance(sections, dict) or set(sections) - {"require", "skip"}:
        raise RulesetError(file, rule_id, "sections", "must be a mapping with 'require' and/or 'skip'")
    require = _strings(sections.get("require"), file, rule_id, "sections.require")
    skip = _strings(sections.get("skip"), file, rule_id, "sections.skip")
    for name in require + skip:
        if name not in section_names:
            raise RulesetError(file, rule_id, "sections", f"unknown section class {name!r} (see {SECTIONS_FILE})")
    context = raw.get("context") or {}
    if not isinstance(context, dict) or set(context) - {"any", "none"}:
        raise RulesetError(file, rule_id, "context", "must be a mapping with 'any' and/or 'none'")
    examples = raw.get("examples")
    if not isinstance(examples, dict) or set(examples) - {"match", "no_match", "known_miss"}:
        raise RulesetError(file, rule_id, "examples", "must be a mapping with 'match', 'no_match' and optional 'known_miss'")
    match_texts, polarities = _match_examples(examples.get("match"), file, rule_id)
    parsed_examples = Examples(
        match_texts,
        _strings(examples.get("no_match"), file, rule_id, "examples.no_match"),
        _strings(examples.get("known_miss"), file, rule_id, "examples.known_miss"),
    )
    parsed_examples = Examples(parsed_examples.match, parsed_examples.no_match, parsed_examples.known_miss, polarities)
    if not parsed_examples.match or not parsed_examples.no_match:
        raise RulesetError(file, rule_id, "examples", "every rule needs at least one 'match' and one 'no_match' example")
    return Rule(
        id=rule_id, concern=concern, kind=kind, title=raw["title"].strip(), answer=raw["answer"].strip(),
        exception_answer=exception_answer.strip(), phrases=phrases, patterns=patterns, min_score=float(min_score), score=float(score),
        require_sections=require, skip_sections=skip,
        context_any=tuple(w.lower() for w in _strings(context.get("any"), file, rule_id, "context.any")),
        context_none=tuple(w.lower() for w in _strings(context.get("none"), file, rule_id, "context.none")),
        examples=parsed_examples, file=file,
    )


def _window(value, file: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 40:
        raise RulesetError(file, None, key, "must be a whole number of tokens from 1 to 40")
    return value


def _parse_triggers(raw, direction: str, file: str) -> tuple[Trigger, ...]:
    """A direction's triggers: each a phrase, or {phrase, window} for a scope of its own."""
    key = f"negation.{direction}"
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RulesetError(file, None, key, "must be a list of phrases or {phrase, window} mappings")
    triggers = []
    for entry in raw:
        if isinstance(entry, dict):
            if set(entry) - {"phrase", "window"} or not isinstance(entry.get("phrase"), str) or not entry["phrase"].strip():
                raise RulesetError(file, None, key, f"{entry!r}: a trigger mapping needs 'phrase' and optional 'window'")
            window = _window(entry.get("window"), file, key + ".window") if "window" in entry else 0
            triggers.append(Trigger(entry["phrase"].lower(), direction, window))
        elif isinstance(entry, str) and entry.strip():
            triggers.append(Trigger(entry.lower(), direction))
        else:
            raise RulesetError(file, None, key, f"{entry!r}: a trigger is a phrase or a {{phrase, window}} mapping")
    return tuple(triggers)


def _mentions(raw, side: str, file: str) -> tuple[str, ...]:
    """The mention phrases of one side ("before" or "after" the match) of `negation.mentions`."""
    if raw is None:
        return ()
    if not isinstance(raw, dict) or set(raw) - {"before", "after"}:
        raise RulesetError(file, None, "negation.mentions", "must be a mapping of 'before' and 'after' phrase lists")
    return tuple(p.lower() for p in _strings(raw.get(side), file, None, f"negation.mentions.{side}"))


def _double_negation(raw, file: str) -> dict:
    """`negation.double_negation`: the negations (`before`, phrases or {phrase, window}) and the triggers they turn."""
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not {"before", "triggers"} <= set(raw) <= {"before", "triggers", "stops"}:
        raise RulesetError(file, None, "negation.double_negation", "must be a mapping of 'before', 'triggers' and optional 'stops'")
    return raw


def _parse_negation(raw, file: str) -> Negation:
    if raw is None:
        return Negation()
    if not isinstance(raw, dict) or set(raw) - set(NEGATION_KEYS):
        raise RulesetError(file, None, "negation", f"must be a mapping with keys among {', '.join(NEGATION_KEYS)}")
    double = _double_negation(raw.get("double_negation"), file)
    return Negation(
        triggers=tuple(t for direction in DIRECTIONS for t in _parse_triggers(raw.get(direction), direction, file)),
        window=_window(raw.get("window", 8), file, "negation.window"),
        terminators=tuple(p.lower() for p in _strings(raw.get("terminators"), file, None, "negation.terminators")),
        pseudo=tuple(p.lower() for p in _strings(raw.get("pseudo"), file, None, "negation.pseudo")),
        exceptions=_parse_triggers(raw.get("exceptions"), "exceptions", file),
        conditional=_parse_triggers(raw.get("conditional"), "conditional", file),
        both_ways=_parse_triggers(raw.get("both_ways"), "both_ways", file),
        penalties=_parse_triggers(raw.get("penalties"), "penalties", file),
        double_negation=_parse_triggers(double.get("before"), "double_negation", file),
        double_negation_triggers=tuple(p.lower() for p in _strings(double.get("triggers"), file, None,
                                                                   "negation.double_negation.triggers")),
        double_negation_stops=tuple(p.lower() for p in _strings(double.get("stops"), file, None, "negation.double_negation.stops")),
        affirming=tuple(p.lower() for p in _strings(raw.get("affirming"), file, None, "negation.affirming")),
        mentions_before=_mentions(raw.get("mentions"), "before", file),
        mentions_after=_mentions(raw.get("mentions"), "after", file),
        answer=(_strings(raw.get("answer"), file, None, "negation.answer") or (Negation.answer,))[0].strip(),
        negated_in_sections=tuple(_strings(raw.get("negated_in_sections"), file, None, "negation.negated_in_sections")),
        negated_in_sections_unless=tuple(p.lower() for p in _strings(raw.get("negated_in_sections_unless"), file, None,
                                                                     "negation.negated_in_sections_unless")),
    )


def _check_registry(raw, file: str) -> None:
    """The concern's registry block (read by ketcover.concerns): order, display order, heading,
    question and optional status wording."""
    if not isinstance(raw, dict) or set(raw) - {"order", "display_order", "heading", "question", "status"}:
        raise RulesetError(file, None, "registry", "must be a mapping of order, display_order, heading, question, status")
    for key in ("order", "display_order"):
        if isinstance(raw.get(key), bool) or not isinstance(raw.get(key), int):
            raise RulesetError(file, None, f"registry.{key}", "must be a whole number")
    for key in ("heading", "question"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise RulesetError(file, None, f"registry.{key}", "is required (a short text)")
    status = raw.get("status") or {}
    if not isinstance(status, dict) or set(status) - {"words", "labels"} or not all(
            isinstance(v, dict) and set(v) <= {"found", "negated", "not_found", "unknown"} for v in status.values()):
        raise RulesetError(file, None, "registry.status", "maps 'words' and/or 'labels' to {found, negated, not_found, unknown}")


def keyword_source(keyword: str) -> str:
    """A keyword as written in YAML, as a regex: a space or a "[ -]" also matches a line break."""
    return keyword.replace("[ -]", "(?:-|\\s+)").replace(" ", "\\s+")


def _lower_source(source: str) -> str:
    """A regex lower-cased outside its escapes (\\S, \\W stay what they are)."""
    return re.sub(r"\\.|[^\\]+", lambda m: m.group(0) if m.group(0).startswith("\\") else m.group(0).lower(), source)


def lower_text(text: str) -> str:
    """The text keywords are searched in: lower-cased, one character for one (offsets hold)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a character whose lower case is longer ("İ"): ASCII only
        lowered = text.translate({code: code + 32 for code in range(65, 91)})
    return lowered


REGEX_SYNTAX = set("\\.^$*+?{}[]|()")


def _literal_prefix(source: str) -> str:
    """The characters a regex's every match starts with ("pre" of "pre-?authori[sz]")."""
    prefix = ""
    for index, char in enumerate(source):
        if char in REGEX_SYNTAX:
            break
        if index + 1 < len(source) and source[index + 1] in "?*{":
            break  # an optional character ends the sure prefix
        prefix += char
    return prefix


@dataclass(frozen=True)
class KeywordSearch:
    """A concern's keywords made ready to scan: one pattern, and the literal start of each keyword.

    Python's regex engine scans a long text for a pattern that may start anywhere slowly (about
    0.1 s for 400 pages per concern); str.find on each keyword's literal start is a C scan, and the
    pattern is tried only where one of them stands.
    """

    pattern: re.Pattern  # all keywords, lower case, for lower_text's text
    anchors: tuple[str, ...]

    def spans(self, lowered: str, start: int = 0, end: int | None = None):
        """(start, end) of each keyword match in lowered[start:end] that begins a word, in order."""
        end = len(lowered) if end is None else end
        positions = set()
        for anchor in self.anchors:
            position = lowered.find(anchor, start, end)
            while position != -1:
                positions.add(position)
                position = lowered.find(anchor, position + 1, end)
        reached = start
        for position in sorted(positions):
            if position < reached:
                continue  # inside the previous match
            before = position - 1
            if before >= 0 and (lowered[before].isalnum() or lowered[before] == "_"):
                continue  # not the start of a word
            match = self.pattern.match(lowered, position, end)
            if match:
                reached = match.end()
                yield position, match.end()

    def search(self, text: str) -> bool:
        """Does `text` hold a keyword?"""
        return next(self.spans(lower_text(text)), None) is not None


def _regexes(value, file: str, rule: str | None, key: str, flags: int = re.IGNORECASE) -> tuple[re.Pattern, ...]:
    compiled = []
    for source in _strings(value, file, rule, key):
        try:
            compiled.append(re.compile(keyword_source(source), flags))
        except re.error as exc:
            raise RulesetError(file, rule, key, f"bad regex {source!r}: {exc}") from None
    return tuple(compiled)


def _parse_vocabulary(raw, file: str) -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """candidate_vocabulary: a list of forms, each a regex or {form: regex, examples: [texts]}."""
    if raw is None:
        return (), ()
    if not isinstance(raw, list):
        raise RulesetError(file, None, "candidate_vocabulary", "must be a list of forms")
    forms, examples = [], []
    for item in raw:
        if isinstance(item, dict):
            unknown = set(item) - {"form", "examples"}
            if unknown or not isinstance(item.get("form"), str):
                raise RulesetError(file, None, "candidate_vocabulary",
                                   f"{item!r}: a form is a regex or a mapping of 'form' and 'examples'")
            forms.append(item["form"])
            examples.append((item["form"], _strings(item.get("examples"), file, None, "candidate_vocabulary")))
        else:
            forms.append(item)
    return _strings(forms, file, None, "candidate_vocabulary"), tuple(examples)


def _parse_carried_lead_ins(raw, file: str, key: str = "carried_lead_ins"):
    """carried_lead_ins (or carried_from_context, `key`): {forms: [{form: regex, examples: [texts]}], not: [texts]}:
    the patterns (case-insensitive), each form's examples, and the texts no form may match."""
    if raw is None:
        return (), (), ()
    if not isinstance(raw, dict) or set(raw) - {"forms", "not"} or not isinstance(raw.get("forms"), list):
        raise RulesetError(file, None, key, "must be a mapping of 'forms' (a list) and 'not'")
    patterns, examples = [], []
    for item in raw["forms"]:
        if not isinstance(item, dict) or set(item) - {"form", "examples"} or not isinstance(item.get("form"), str):
            raise RulesetError(file, None, key, f"{item!r}: a form is a mapping of 'form' and 'examples'")
        try:
            patterns.append(re.compile(item["form"], re.IGNORECASE))
        except re.error as error:
            raise RulesetError(file, None, key, f"{item['form']!r}: {error}") from error
        examples.append((item["form"], _strings(item.get("examples"), file, None, key)))
    return tuple(patterns), tuple(examples), _strings(raw.get("not"), file, None, f"{key}.not")


def _parse_keywords(raw, file: str, key: str = "keywords",
                    before: tuple[str, ...] = ()) -> tuple[tuple[str, ...], KeywordSearch | None]:
    """The regexes under `key`, and one search for `before` (already checked) and them together."""
    keywords = _strings(raw, file, None, key)
    _regexes(list(keywords) or None, file, None, key)  # each one alone, for an error naming it
    if not keywords and not before:
        return (), None
    sources = [_lower_source(keyword_source(k)) for k in before + keywords]
    anchors = []
    for keyword, source in zip(before + keywords, sources):
        anchor = _literal_prefix(source)
        if len(anchor) < 3:
            raise RulesetError(file, None, key,
                               f"{keyword!r} must start with at least 3 plain characters (the scan looks for them)")
        anchors.append(anchor)
    # One pattern per concern, tried where a keyword's literal start stands (KeywordSearch).
    return keywords, KeywordSearch(re.compile("(?:" + "|".join(sources) + ")"), tuple(dict.fromkeys(anchors)))


def _joined_regexes(value, file: str, rule: str | None, key: str) -> tuple[re.Pattern, ...]:
    """Patterns of which any may be found, as one (one search per passage instead of several).

    Compiled once, joined: compiling each alone too (to name a bad one) doubled the rule set's load
    time, so each is compiled alone only when the joined pattern fails."""
    sources = [keyword_source(source) for source in _strings(value, file, rule, key)]
    if len(sources) < 2:
        return _regexes(value, file, rule, key)
    try:
        return (re.compile("|".join(f"(?:{source})" for source in sources), re.IGNORECASE),)
    except re.error:
        return _regexes(value, file, rule, key)  # names the bad pattern, or keeps them apart if each is fine


def _parse_set_aside(raw, section_names: set[str]) -> tuple[SetAsideReason, ...]:
    file = SET_ASIDE_FILE
    entries = raw.get("reasons") if isinstance(raw, dict) else None
    if not isinstance(entries, list) or not entries:
        raise RulesetError(file, None, "reasons", "must be a non-empty list of reasons")
    allowed = {"id", "kind", "title", "concerns", "sections", "around", "passage", "unless", "heading_alone",
               "contents_line", "contents_page", "max_chars", "document_kinds", "findings", "examples"}
    reasons, seen = [], set()
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise RulesetError(file, f"#{index + 1}", None, "a reason must be a mapping")
        reason_id = entry.get("id")
        if not isinstance(reason_id, str) or not reason_id.strip() or reason_id in seen:
            raise RulesetError(file, f"#{index + 1}", "id", "must be a string naming the reason once")
        seen.add(reason_id)
        unknown = set(entry) - allowed
        if unknown:
            raise RulesetError(file, reason_id, sorted(unknown)[0], f"unknown key (allowed: {', '.join(sorted(allowed))})")
        if entry.get("kind") not in SET_ASIDE_KINDS:
            raise RulesetError(file, reason_id, "kind", f"must be one of {', '.join(SET_ASIDE_KINDS)}")
        if not isinstance(entry.get("title"), str) or not entry["title"].strip():
            raise RulesetError(file, reason_id, "title", "is required (a short text)")
        concerns = _strings(entry.get("concerns"), file, reason_id, "concerns")
        for name in concerns:
            if name not in concern_names():
                raise RulesetError(file, reason_id, "concerns", f"unknown concern {name!r}")
        sections = _strings(entry.get("sections"), file, reason_id, "sections")
        for name in sections:
            if name not in section_names:
                raise RulesetError(file, reason_id, "sections", f"unknown section class {name!r} (see {SECTIONS_FILE})")
        max_chars = entry.get("max_chars", 0)
        if isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 0:
            raise RulesetError(file, reason_id, "max_chars", "must be a whole number of characters")
        for key in ("heading_alone", "contents_line", "contents_page", "findings"):
            if not isinstance(entry.get(key, False), bool):
                raise RulesetError(file, reason_id, key, "must be true or false")
        examples = entry.get("examples")
        if not isinstance(examples, dict) or set(examples) - {"set_aside", "kept"}:
            raise RulesetError(file, reason_id, "examples", "must be a mapping with 'set_aside' and 'kept'")
        parsed_examples = Examples(_strings(examples.get("set_aside"), file, reason_id, "examples.set_aside"),
                                   _strings(examples.get("kept"), file, reason_id, "examples.kept"))
        if not parsed_examples.match or not parsed_examples.no_match:
            raise RulesetError(file, reason_id, "examples", "every reason needs a 'set_aside' and a 'kept' example")
        reason = SetAsideReason(
            id=reason_id, kind=entry["kind"], title=entry["title"].strip(), concerns=concerns, sections=sections,
            around=_regexes(entry.get("around"), file, reason_id, "around"),
            passage=_joined_regexes(entry.get("passage"), file, reason_id, "passage"),
            unless=_joined_regexes(entry.get("unless"), file, reason_id, "unless"),
            heading_alone=entry.get("heading_alone", False), contents_line=entry.get("contents_line", False),
            max_chars=max_chars, examples=parsed_examples,
            document_kinds=_strings(entry.get("document_kinds"), file, reason_id, "document_kinds"),
            findings=entry.get("findings", False), contents_page=entry.get("contents_page", False),
        )
        if not (reason.sections or reason.around or reason.passage or reason.heading_alone or reason.contents_line
                or reason.contents_page or reason.document_kinds):
            raise RulesetError(file, reason_id, None, "needs a test: sections, around, passage, heading_alone, "
                                                      "contents_line, contents_page or document_kinds")
        reasons.append(reason)
    return tuple(reasons)


def _read_rule_file(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise RulesetError(path.name, None, None, f"cannot be read ({exc.strerror})") from None


def _load_yaml(path: Path, content: bytes):
    # Imported here: a run answered from the cache needs only the rule files' digest, not YAML.
    import yaml

    # libyaml's safe loader when PyYAML was built with it: the same documents, about 3x faster.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    from ketcover.yaml_cache import parsed

    try:
        # The command line keeps the parsed data of each file's bytes (yaml_cache.py); the checks below still run.
        return parsed(content, lambda: yaml.load(content.decode("utf-8"), Loader=loader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise RulesetError(path.name, None, None, f"not valid YAML{where}") from None


def _rule_files(directory: str | Path | None) -> tuple[Path, list[Path]]:
    """The rule folder's sections file and one file per concern, in CONCERNS order; each must exist.
    (Its set_aside.yaml is optional: without it, every keyword candidate becomes a finding.)"""
    directory = Path(directory) if directory else default_rules_dir()
    if not directory.is_dir():
        raise RulesetError(str(directory), None, None, "is not a folder of rule files")
    sections_path = directory / SECTIONS_FILE
    if not sections_path.is_file():
        raise RulesetError(SECTIONS_FILE, None, None, "is missing from the rule folder")
    concern_paths = []
    for name in concern_names():
        path = directory / f"{name}.yaml"
        if not path.is_file():
            raise RulesetError(f"{name}.yaml", None, None, "is missing: every concern needs its rule file")
        concern_paths.append(path)
    return sections_path, concern_paths


def _digest(contents: list[bytes]) -> str:
    digest = hashlib.sha256()
    for content in contents:
        digest.update(content)
    return digest.hexdigest()[:16]


def ruleset_digest(directory: str | Path | None = None) -> str:
    """The rule set's identity for the cache: a hash of the rule files' bytes, without parsing them."""
    sections_path, concern_paths = _rule_files(directory)
    set_aside_path = sections_path.parent / SET_ASIDE_FILE
    extra = [set_aside_path] if set_aside_path.is_file() else []
    return _digest([_read_rule_file(path) for path in (sections_path, *concern_paths, *extra)])


def load_ruleset(directory: str | Path | None = None) -> RuleSet:
    """Read and validate every rule file in `directory` (default: the shipped rule set)."""
    directory = Path(directory) if directory else default_rules_dir()
    sections_path, concern_paths = _rule_files(directory)
    # Each file is read once: its bytes are both hashed (the cache key) and parsed.
    set_aside_path = directory / SET_ASIDE_FILE
    extra = [set_aside_path] if set_aside_path.is_file() else []
    contents = {path: _read_rule_file(path) for path in (sections_path, *concern_paths, *extra)}
    digest = _digest(list(contents.values()))
    raw_sections = _load_yaml(sections_path, contents[sections_path]) or {}
    classes_raw = raw_sections.get("section_classes") if isinstance(raw_sections, dict) else None
    if not isinstance(classes_raw, dict) or not classes_raw:
        raise RulesetError(SECTIONS_FILE, None, "section_classes", "must map class names to heading phrases")
    section_classes = []
    for name, entry in classes_raw.items():
        if isinstance(entry, dict):
            if set(entry) - {"headings", "unless", "sticky", "sticky_headings"}:
                raise RulesetError(SECTIONS_FILE, name, "section_classes",
                                   "a class maps to a list, or to 'headings' with optional 'unless', 'sticky' "
                                   "and 'sticky_headings'")
            headings, unless, sticky = entry.get("headings"), entry.get("unless"), entry.get("sticky", 0)
            sticky_headings = entry.get("sticky_headings")
            # A medical policy's evidence review runs on for 30 pages and more (clinical_background).
            if isinstance(sticky, bool) or not isinstance(sticky, int) or not 0 <= sticky <= 250000:
                raise RulesetError(SECTIONS_FILE, name, "sticky", "must be a number of characters from 0 to 250000")
        else:
            headings, unless, sticky, sticky_headings = entry, None, 0, None
        section_classes.append(SectionClass(
            name,
            tuple(h.lower() for h in _strings(headings, SECTIONS_FILE, name, "headings")),
            tuple(u.lower() for u in _strings(unless, SECTIONS_FILE, name, "unless")),
            sticky,
            tuple(h.lower() for h in _strings(sticky_headings, SECTIONS_FILE, name, "sticky_headings")),
        ))
    section_classes = tuple(section_classes)
    section_names = {c.name for c in section_classes}
    default_skip = _strings(raw_sections.get("skip_by_default"), SECTIONS_FILE, None, "skip_by_default")
    for name in default_skip:
        if name not in section_names:
            raise RulesetError(SECTIONS_FILE, None, "skip_by_default", f"unknown section class {name!r}")

    concerns = []
    for name, path in zip(concern_names(), concern_paths):
        raw = _load_yaml(path, contents[path])
        file = path.name
        if not isinstance(raw, dict):
            raise RulesetError(file, None, None, "must be a mapping with concern, title, rules")
        if raw.get("concern") != name:
            raise RulesetError(file, None, "concern", f"must be '{name}'")
        for key in ("title", "description", "why"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise RulesetError(file, None, key, "is required (a short text)")
        _check_registry(raw.get("registry"), file)
        rules_raw = raw.get("rules")
        if not isinstance(rules_raw, list) or not rules_raw:
            raise RulesetError(file, None, "rules", "must be a non-empty list")
        rules = tuple(_parse_rule(r, name, file, i, section_names) for i, r in enumerate(rules_raw))
        keywords, keyword_search = _parse_keywords(raw.get("keywords"), file)
        vocabulary, candidate_search = (), keyword_search
        forms, examples = _parse_vocabulary(raw.get("candidate_vocabulary"), file)
        if forms:
            vocabulary, candidate_search = _parse_keywords(list(forms), file, "candidate_vocabulary", keywords)
        any_context = raw.get("named_in_any_context", False)
        if not isinstance(any_context, bool):
            raise RulesetError(file, None, "named_in_any_context", "must be true or false")
        seen = set()
        for rule in rules:
            if rule.id in seen:
                raise RulesetError(file, rule.id, "id", "is used twice")
            seen.add(rule.id)
        carried, carried_examples, carried_not = _parse_carried_lead_ins(raw.get("carried_lead_ins"), file)
        context_raw = raw.get("carried_from_context")
        extending_raw = None
        if isinstance(context_raw, dict):  # a copy: the parsed YAML may be cached (yaml_cache) and is never changed
            extending_raw, context_raw = context_raw.get("extending"), {k: v for k, v in context_raw.items() if k != "extending"}
        statements, statement_examples, statements_not = _parse_carried_lead_ins(context_raw, file, "carried_from_context")
        extending, extending_examples, _none = _parse_carried_lead_ins(
            None if extending_raw is None else {"forms": extending_raw}, file, "carried_from_context.extending")
        concerns.append(Concern(
            name=name, title=raw["title"].strip(), description=raw["description"].strip(),
            why=raw["why"].strip(), references=_strings(raw.get("references"), file, None, "references"),
            rules=rules, negation=_parse_negation(raw.get("negation"), file), file=file,
            keywords=keywords, keyword_search=keyword_search,
            candidate_vocabulary=vocabulary, candidate_search=candidate_search, candidate_examples=examples,
            named_in_any_context=any_context, carried_lead_ins=carried,
            carried_lead_in_examples=carried_examples, carried_lead_in_counterexamples=carried_not,
            context_statements=statements + extending, context_statement_examples=statement_examples + extending_examples,
            context_statement_counterexamples=statements_not, context_extending=extending,
        ))
    unknown = sorted(p.name for p in directory.glob("*.yaml")
                     if p.stem not in concern_names() and p.name not in (SECTIONS_FILE, SET_ASIDE_FILE))
    if unknown:
        raise RulesetError(unknown[0], None, None, f"is not a known concern ({', '.join(concern_names())})")
    set_aside = ()
    if extra:
        set_aside = _parse_set_aside(_load_yaml(set_aside_path, contents[set_aside_path]) or {}, section_names)
    return RuleSet(tuple(concerns), section_classes, default_skip, str(directory), digest, set_aside)
