"""Polarity of a match from the words around it: ConText-style triggers with direction and scope,
terminators that end a scope, and pseudo-triggers that only look like negation."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from ketcover.ruleset import Negation
from ketcover.structure import BULLET

# A list's lead-in ends with ":"; a backward trigger leads a list in only when the colon follows it
# at once ("The following are not covered:", "Not covered:"); "$0, Deductible Waived / Notes:" leads in nothing.
BACKWARD_LEAD_IN = 1
# Item separators of a list: a negated lead-in reaches every item, past these (not past "but", "except").
LIST_SEPARATORS = {";", "."}
LEAD_IN_REACH = 1500  # how far back a list item looks for its lead-in
LEAD_IN_LENGTH = 400  # the lead-in sentence, at most
MENTION_REACH = 4  # a mention's `before` phrase reaches the coordinated nouns of its object, no farther


def list_lead_in(text: str, start: int) -> str:
    """The sentence ending with ":" that introduces the list item at text[start] ("We do not cover:"),
    or "" when the passage is no list item or the list has ended before it: the colon has text of
    its own after it ("Note: If you ..."), or a line that is no item and no wrapped item's
    continuation stands between (a line after one ending with "." that has no bullet)."""
    if not BULLET.match(text[start:start + 8]):
        return ""
    before = text[max(0, start - LEAD_IN_REACH):start]
    colon = before.rfind(":")
    if colon == -1:
        return ""
    lines = before[colon + 1:].split("\n")
    if lines[0].strip():
        return ""
    previous = "."  # the list starts with an item on the line after the colon
    for line in lines[1:]:
        if line.strip():
            if not BULLET.match(line) and previous.endswith("."):
                return ""
            previous = line.rstrip()
    lead = before[max(0, colon - LEAD_IN_LENGTH):colon + 1]
    # Only the sentence that ends with the colon: not the sentence or the list item line before it.
    item_ends = [lead.find("\n", m.end()) for m in re.finditer(r"(?:^|\n)", lead)
                 if BULLET.match(lead[m.end():m.end() + 8])]
    cut = max([lead.rfind(". "), lead.rfind(".\n"), lead.rfind("\n\n"), *item_ends])
    return lead[cut + 1:] if cut != -1 else lead


# Words and single punctuation marks (so "$", "%", ";" and "." can be terminators). A contracted
# "not" is its own token, read as "not" ("doesn't" -> does, not; "cannot" -> can, not), so one
# trigger "not require" covers "does not require", "doesn't require" and "don't require". A hyphen
# inside a word is no token: "no prior-authorization is required" and "non-participating
# providers" are as many tokens as their spaced forms, so a scope counts words, not spellings. A number
# with a decimal point or thousands separators is one token: the "." of "2.6 million" ends no scope, and
# "removing 14,000 prior authorization requirements" is as far from its trigger as "removing 14 prior ...";
# so are "e.g." and "i.e." ("cover routine care (e.g., doctor visits) for ... clinical trials").
# Quotation marks are no tokens: a quoted term ("considered \"off-label\" and are not covered") is as
# far from its trigger as the same words unquoted.
TOKEN = re.compile(r"e\.g\.|i\.e\.|[0-9]+(?:[.,][0-9]+)+|[a-z0-9]+?(?=n't\b)|n't|can(?=not\b)|[a-z0-9]+(?:'[a-z]+)?|(?<![a-z0-9])-|-(?![a-z0-9])"
                   r"|[^\sa-z0-9\"“”'‘-]")


def tokenize(text: str) -> list[tuple[str, int, int]]:
    """(token, start, end) of a text, lower-cased, offsets into `text`; "n't" is given as "not"."""
    lowered = text.lower().replace("’", "'")  # same length: offsets stay valid
    return [("not" if m.group(0) == "n't" else m.group(0), m.start(), m.end()) for m in TOKEN.finditer(lowered)]


def _phrase(text: str) -> tuple[str, ...]:
    return tuple(token for token, _s, _e in tokenize(text))


@dataclass(frozen=True)
class _Trigger:
    words: tuple[str, ...]
    direction: str  # forward: negates what follows it; backward: what precedes it; bidirectional
    window: int  # how many tokens beyond the trigger its scope reaches
    phrase: str  # as the rule file writes it ("non-investigational")


def _stopped(stops: list[int], start: int, end: int) -> bool:
    """Whether a terminator starts among the tokens [start, end): a scope from start ends before end."""
    return any(start <= s < end for s in stops)


def _occurrences(words: list[str], phrase: tuple[str, ...]) -> list[int]:
    """Where the phrase starts in words, in order. list.index finds each first word in C: every
    trigger, terminator and pseudo-trigger is looked for in every matched passage."""
    n = len(phrase)
    if n == 0:
        return list(range(len(words) + 1))
    found, i, limit = [], -1, len(words) - n + 1
    while True:
        try:
            i = words.index(phrase[0], i + 1, limit)
        except ValueError:
            return found
        if n == 1 or tuple(words[i:i + n]) == phrase:
            found.append(i)


def kept_polarity(polarity: str, stated: set[str]) -> bool:
    """Whether a passage keeps a polarity its hits give for a concern, `stated` being the polarities
    its hits that are no mere mention give: a mention ("preauthorization requests") adds no polarity
    where the passage states the concern the other way, and stands alone where nothing states it."""
    return polarity in stated or not stated


def _match_tokens(text: str, start: int, end: int):
    """The passage's tokens, their words and the indices of the tokens of the match text[start:end]
    (none when the match holds no token)."""
    tokens, words = _passage_tokens(text)
    return tokens, words, [i for i, (_t, s, e) in enumerate(tokens) if s < end and e > start]


@functools.lru_cache(maxsize=256)
def _passage_tokens(text: str) -> tuple[tuple[tuple[str, int, int], ...], tuple[str, ...]]:
    """tokenize(text) and its words, as tuples (never changed by their readers). Cached: each hit of a
    passage reads its polarity, exception, mention and clause from the same tokens (650 tokenizations
    of 126 texts on the 399-page guide)."""
    tokens = tuple(tokenize(text))
    return tokens, tuple(token for token, _s, _e in tokens)


# Words before a match that make it the exception to its section's rule ("except when part of inpatient
# psychiatric care" in an exclusions list): the match states what the section does not exclude.
SECTION_EXCEPTION_WORDS = ("except", "unless", "other than", "but")


class Context:
    """One concern's negation block, compiled: polarity(text, start, end) of a match in a passage.

    A trigger negates a match when it lies in the trigger's scope: for a forward trigger the
    match starts at most `window` tokens after the trigger, for a backward one it ends at most
    `window` tokens before it, and no terminator stands between them. A trigger inside the
    match itself (a rule's own wording, "PA is not required") or overlapping it ("do not" +
    "require PA") negates too. A trigger that is part of a pseudo-trigger ("no charge",
    "failure to obtain") negates nothing.
    """

    def __init__(self, negation: Negation):
        self.triggers = [
            _Trigger(_phrase(t.phrase), t.direction, t.window or negation.window, t.phrase) for t in negation.triggers
        ]
        self.terminators = [_phrase(t) for t in negation.terminators]
        self.pseudo = [_phrase(p) for p in negation.pseudo]
        self.exceptions = [_Trigger(_phrase(t.phrase), "backward", t.window or negation.window, t.phrase)
                           for t in negation.exceptions]
        self.conditions = [_Trigger(_phrase(t.phrase), "backward", t.window or negation.window, t.phrase)
                           for t in negation.conditional]
        self.both_ways = [_Trigger(_phrase(t.phrase), "forward", t.window or negation.window, t.phrase)
                          for t in negation.both_ways]
        self.penalties = [_Trigger(_phrase(t.phrase), "backward", t.window or negation.window, t.phrase)
                          for t in negation.penalties]
        self.double_negation = [_Trigger(_phrase(t.phrase), "forward", t.window or negation.window, t.phrase)
                                for t in negation.double_negation]
        self.double_negation_triggers = {_phrase(p) for p in negation.double_negation_triggers}
        self.double_negation_stops = [_phrase(p) for p in negation.double_negation_stops]
        self.affirming = [_phrase(p) for p in negation.affirming]
        # Forward triggers (their places in self.triggers) that hold no affirming predicate of their own ("no
        # longer", "none of"): each negates the first one after it (Context._affirmed).
        self.predicate_free = [k for k, t in enumerate(self.triggers) if t.direction != "backward"
                               and not any(_occurrences(list(t.words), p) for p in self.affirming)]
        self.mentions_before = [_phrase(p) for p in negation.mentions_before]
        self.mentions_after = [_phrase(p) for p in negation.mentions_after]
        self.negated_sections = frozenset(negation.negated_in_sections)
        self.negated_sections_unless = negation.negated_in_sections_unless

    def __bool__(self) -> bool:
        return bool(self.triggers)

    def polarity(self, text: str, start: int, end: int, lead_in: str = "", enclosing_class: str | None = None) -> str:
        """'negates' or 'affirms' for the match text[start:end]; `lead_in` is the sentence that
        introduces the list the passage is an item of (list_lead_in), read as if it preceded it;
        `enclosing_class` the class of the section enclosing the passage (SectionIndex.enclosing_class_at)."""
        polarity = "negates" if self.trigger_for(text, start, end, lead_in) else "affirms"
        return self._in_section(polarity, enclosing_class, text, start)

    def _in_section(self, polarity: str, enclosing_class: str | None, text: str, start: int) -> str:
        """An affirming match in a chapter the concern reads as negated (an exclusions chapter) negates,
        unless the passage `text` says where the chapter's rule does not hold ("This exclusion does not
        apply to ...") or the match is that exception itself ("• Hypnotherapy, except when part of
        inpatient psychiatric care"). A weak heading that is a list's lead-in ("We do not cover:") opens
        no chapter: list_lead_in reads it, and knows where its list ends."""
        if polarity != "affirms" or enclosing_class not in self.negated_sections:
            return polarity
        lowered = " ".join(text.lower().split())
        if any(p in lowered for p in self.negated_sections_unless):
            return polarity
        before = " " + " ".join(text[:start].lower().split()) + " "
        return polarity if any(f" {w} " in before for w in SECTION_EXCEPTION_WORDS) else "negates"

    def polarities(self, text: str, start: int, end: int, lead_in: str = "") -> set[str]:
        """The polarity of the match, and the other one too when an exception follows it in its
        clause ("required for all services except emergency care"): one match, both ways."""
        polarity = self.polarity(text, start, end, lead_in)
        if self.other_way(text, start, end, polarity) is None:
            return {polarity}
        return {"affirms", "negates"}

    def other_way(self, text: str, start: int, end: int, polarity: str) -> tuple[int, int] | None:
        """The span of the clause after the match text[start:end] that states the concern the other
        way, or None: an exception after any match ("required except emergency care"), the match
        itself in the scope of a `both_ways` phrase ("Not all plans require prior authorization"), or a
        condition after a negated one ("not required if prescribed by an oncologist": required
        otherwise)."""
        exception = self.exception_clause(text, start, end)
        if exception is None and self.both_ways_for(text, start, end):
            return start, end  # "Not all plans require prior authorization": the match itself, both ways
        if exception is None and polarity == "negates":
            return self._clause_after(text, start, end, self.conditions)
        return exception

    def item_other_way(self, text: str, polarity: str) -> tuple[int, int] | None:
        """For a list item that states no concern itself and takes its polarity from its lead-in
        ("You Usually Need a Referral and Prior Approval To:" / "• Be admitted to the hospital, except
        in an emergency."): the span of the item's own exception (or, under a negating lead-in, its
        condition) that states the concern the other way, or None. The item's words before the phrase
        stand for the match, as the words a rule matches do in a sentence that names the concern."""
        phrases = [*self.exceptions, *(self.conditions if polarity == "negates" else ())]
        if not phrases:
            return None
        tokens, words = _passage_tokens(text)
        first = min((i for phrase in phrases for i in _occurrences(words, phrase.words) if i > 0), default=None)
        if first is None:
            return None
        return self.other_way(text, tokens[0][1], tokens[first - 1][2], polarity)

    def both_ways_for(self, text: str, start: int, end: int) -> str | None:
        """The first `both_ways` phrase whose forward scope reaches the match text[start:end] (or that
        overlaps it), or None: "Not all plans require prior authorizations", "may or may not require a
        prior authorization" state the concern for some cases and not for others. A terminator between
        ends the scope; a pseudo-trigger that holds more than the phrase masks it ("not all prior
        authorization requests are approved"), one the phrase holds does not ("not covered unless"
        is a pseudo-trigger of mental health's "not covered", and a phrase of its own here)."""
        if not self.both_ways:
            return None
        tokens, words, inside = _match_tokens(text, start, end)
        if not inside:
            return None
        first, last = inside[0], inside[-1] + 1
        pseudo = [(i, i + len(phrase)) for phrase in self.pseudo for i in _occurrences(words, phrase)]
        stops = self._stops(words)
        for trigger in self.both_ways:
            for i in _occurrences(words, trigger.words):
                j = i + len(trigger.words)
                masked = {k for p, q in pseudo if p < j and q > i and not (i <= p and q <= j) for k in range(p, q)}
                if self._negates(trigger, i, first, last, masked, stops):
                    return trigger.phrase
        return None

    def exception_clause(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """The span of the exception that follows the match text[start:end] within its scope, up to
        the next terminator ("except emergency/urgent care"), or None. Nothing but the exception
        phrase itself may stand between (no ";", ".", "but"), and no pseudo-trigger may hold it
        ("except as otherwise stated" names no case)."""
        return self._clause_after(text, start, end, self.exceptions)

    def _clause_after(self, text: str, start: int, end: int, phrases: list[_Trigger]) -> tuple[int, int] | None:
        """The span from the first of `phrases` that follows the match within its window, with no
        terminator or pseudo-trigger in the way, up to the next terminator; or None."""
        if not phrases:
            return None
        tokens, words, inside = _match_tokens(text, start, end)
        if not inside:
            return None
        last = inside[-1] + 1
        masked: set[int] = set()
        for phrase in self.pseudo:
            for i in _occurrences(words, phrase):
                masked.update(range(i, i + len(phrase)))
        stops = self._stops(words)
        for exception in phrases:
            for i in _occurrences(words, exception.words):
                j = i + len(exception.words)
                if i < last or i - last >= exception.window or masked.intersection(range(i, j)) or j >= len(words):
                    continue
                if _stopped(stops, last, i):
                    continue
                closing = [s for s in stops if s >= j]
                if closing and closing[0] == j:
                    continue  # the exception names nothing ("except;")
                clause_end = tokens[closing[0] - 1][2] if closing else tokens[-1][2]
                return tokens[i][1], clause_end
        return None

    def _stops(self, words: list[str]) -> list[int]:
        """Where each terminator of the block starts among the tokens `words`, in order: the ends of
        every scope (trigger, exception, both-ways phrase, mention, clause)."""
        return sorted(i for phrase in self.terminators for i in _occurrences(words, phrase))

    def is_mention(self, text: str, start: int, end: int) -> bool:
        """Whether the match text[start:end] merely names the concern: a `before` phrase ends at most
        MENTION_REACH words before it with no terminator between ("requests for prior authorization",
        "assistance with mental health and substance use disorder"), or an `after` phrase ends it or
        follows it at once ("preauthorization requests", "the preauthorization process")."""
        if not (self.mentions_before or self.mentions_after):
            return False
        tokens, words, inside = _match_tokens(text, start, end)
        if not inside:
            return False
        first, last = inside[0], inside[-1] + 1
        stops = self._stops(words)
        before = [i + len(phrase) for phrase in self.mentions_before for i in _occurrences(words, phrase)]
        return (any(0 <= first - j < MENTION_REACH and not _stopped(stops, j, first) for j in before)
                or any(first < i <= last for phrase in self.mentions_after for i in _occurrences(words, phrase)))

    def trigger_for(self, text: str, start: int, end: int, lead_in: str = "") -> str | None:
        """The first trigger phrase (in the block's order) that negates the match text[start:end], or None."""
        return next(iter(self.triggers_for(text, start, end, lead_in)), None)

    def triggers_for(self, text: str, start: int, end: int, lead_in: str = "") -> list[str]:
        """Every trigger phrase that negates the match text[start:end], in the block's order: those
        whose scope reaches the match, and those that negate a list's lead-in ("We do not cover:")
        that the match is an item of (in the passage, or `lead_in` before it)."""
        if not self.triggers:
            return []
        if lead_in:
            shift = len(lead_in) + 1
            text, start, end = f"{lead_in}\n{text}", start + shift, end + shift
        tokens, words, inside = _match_tokens(text, start, end)
        if not inside:
            return []
        first, last = inside[0], inside[-1] + 1  # the match's tokens: [first, last)
        # Each trigger's and pseudo-trigger's occurrences, found once: the penalty check, the affirming
        # predicates and the scopes below all read them.
        at = [_occurrences(words, trigger.words) for trigger in self.triggers]
        pseudo_at = [(phrase, _occurrences(words, phrase)) for phrase in self.pseudo]
        masked: set[int] = {k for phrase, found_at in pseudo_at for i in found_at for k in range(i, i + len(phrase))}
        stops = self._stops(words)
        masked.update(self._penalized(words, stops, at))
        masked.update(self._doubly_negated(words, stops, at))
        scope_stops = sorted(stops + self._affirmed(words, first, last, at, pseudo_at))
        colons = [i for i, word in enumerate(words[:first]) if word == ":"]
        found = []
        for trigger, trigger_at in zip(self.triggers, at):
            for i in trigger_at:
                if (self._negates(trigger, i, first, last, masked, scope_stops)
                        or self._leads_in(trigger, i, first, masked, stops, colons, words)):
                    found.append(trigger.phrase)
                    break
        return found

    def _affirmed(self, words: list[str], first: int, last: int, at: list[list[int]],
                  pseudo_at: list[tuple[tuple[str, ...], list[int]]]) -> list[int]:
        """Where an affirming predicate stands free, outside the match [first, last) and in no trigger or
        pseudo-trigger: it ends a trigger's scope, as a terminator would. "Inpatient mental health services are
        covered in full, and the cost of transportation is not covered": "not covered" negates the transportation,
        its own clause's subject, not the services before "are covered"; "Even on plans that don't require
        referrals, some insurers may require prior authorization": "don't require" reaches no farther than
        "may require". No terminator can say this: the comma or "and" between the clauses ends no scope.
        A forward trigger that holds no predicate of its own ("no longer", "none of", "rarely") negates the first
        one after it within its window ("will no longer require", "None of these services require"): no stop."""
        found = sorted((i, i + len(phrase)) for phrase in self.affirming for i in _occurrences(words, phrase))
        if not found:
            return []
        held = {k for phrase, found_at in (*zip((t.words for t in self.triggers), at), *pseudo_at)
                for i in found_at for k in range(i, i + len(phrase))}
        free = [(i, j) for i, j in found if not held.intersection(range(i, j))]
        owned = set()
        for index in self.predicate_free:
            trigger = self.triggers[index]
            for i in at[index]:
                j = i + len(trigger.words)
                own = next((p for p, _q in free if j <= p < j + trigger.window), None)
                if own is not None:
                    owned.add(own)
        free = [(i, j) for i, j in free if i not in owned]
        # One inside the match ("authorization is required") is the match's own predicate: a backward trigger
        # after it negates another clause ("... is required for inpatient stays, and referrals are not
        # required"), so it stops there, at the match's end; a forward trigger before it still negates it
        # ("no prior authorization is required").
        return [i if j <= first or i >= last else last for i, j in free]

    def _penalized(self, words: list[str], stops: list[int], at: list[list[int]]) -> set[int]:
        """The tokens of every trigger that a penalty phrase follows within the phrase's window, with no
        terminator between: "If you get care without authorization, you may have to pay the full cost" states
        the requirement (the penalty for skipping it), though "without authorization" alone would say it is
        not required. A pseudo-trigger cannot say this: the words between the trigger and the penalty vary."""
        if not self.penalties:
            return set()
        penalties = [(i, p.window) for p in self.penalties for i in _occurrences(words, p.words)]
        if not penalties:
            return set()
        found: set[int] = set()
        for trigger, trigger_at in zip(self.triggers, at):
            for i in trigger_at:
                j = i + len(trigger.words)
                if any(0 <= p - j < window and not _stopped(stops, j, p) for p, window in penalties):
                    found.update(range(i, j))
        return found

    def _doubly_negated(self, words: list[str], stops: list[int], at: list[list[int]]) -> set[int]:
        """The tokens of every `double_negation` trigger ("without") that a negation ("not", "never") stands before,
        within the negation's window and with no terminator between: "Members are cautioned not to obtain care from
        civilian sources without prior approval" and "Services are not covered without prior authorization" state
        that the approval is required. A negation that is part of a trigger of more than one word ("do not need a
        referral and may see a therapist without prior authorization": "not need") is that trigger's, no opener."""
        if not self.double_negation:
            return set()
        held = {k for trigger, trigger_at in zip(self.triggers, at) if len(trigger.words) > 1
                for i in trigger_at for k in range(i, i + len(trigger.words))}
        openers = [(i + len(n.words), n.window) for n in self.double_negation for i in _occurrences(words, n.words)
                   if not held.intersection(range(i, i + len(n.words)))]
        if not openers:
            return set()
        stops = sorted(stops + [i for phrase in self.double_negation_stops for i in _occurrences(words, phrase)])
        found: set[int] = set()
        for trigger, trigger_at in zip(self.triggers, at):
            if trigger.words not in self.double_negation_triggers:
                continue
            for i in trigger_at:
                if any(0 <= i - e < window and not _stopped(stops, e, i) for e, window in openers):
                    found.update(range(i, i + len(trigger.words)))
        return found

    @staticmethod
    def _leads_in(trigger: _Trigger, i: int, first: int, masked: set[int], stops: list[int],
                  colons: list[int], words: list[str]) -> bool:
        """The trigger negates a list's lead-in, the last colon before the match, and the match is
        one of its items: the trigger's scope reaches that colon, and nothing but item separators
        (";", ".") ends the list between the colon and the match."""
        if not colons or masked.intersection(range(i, i + len(trigger.words))):
            return False
        colon, j = colons[-1], i + len(trigger.words)
        if trigger.words[-1] == ":":
            j -= 1  # the trigger holds the lead-in's colon ("Exclusions:"): the list starts after it
        if j > colon:
            return False
        reach = trigger.window if trigger.direction in ("forward", "bidirectional") else BACKWARD_LEAD_IN
        if colon - j >= reach or _stopped(stops, j, colon):
            return False
        return not any(colon < s < first and words[s] not in LIST_SEPARATORS for s in stops)

    @staticmethod
    def _negates(trigger: _Trigger, i: int, first: int, last: int, masked: set[int], stops: list[int]) -> bool:
        j = i + len(trigger.words)  # the trigger's tokens: [i, j); the match's: [first, last)
        if masked.intersection(range(i, j)):
            return False
        if i < last and j > first:  # inside or overlapping the match
            return True
        if trigger.direction in ("forward", "bidirectional") and j <= first:
            if first - j < trigger.window and not _stopped(stops, j, first):
                return True
        if trigger.direction in ("backward", "bidirectional") and i >= last:
            if i - last < trigger.window and not _stopped(stops, last, i):
                return True
        return False

    def clause(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The span of text around the match text[start:end] between the terminators on either
        side ("except for Spravato, which requires prior authorization."): the clause a finding
        quotes when its passage both affirms and negates. A terminator word opens the clause that
        follows it; a closing ";" or "." stays with the clause it ends."""
        tokens, words, inside = _match_tokens(text, start, end)
        if not inside:
            return start, end
        first, last = inside[0], inside[-1] + 1
        stops = self._stops(words)
        # A match that starts with a terminator (an exception_clause: "except emergency care") opens its own clause;
        # so does one that starts with an exception or condition phrase that is no terminator ("excludes those
        # under 18", "with the exception of emergency services"): the exception is quoted on its own.
        opening = [i for i in stops if i <= first]
        clause_start = 0
        if any(tuple(words[first:first + len(phrase.words)]) == phrase.words
               for phrase in (*self.exceptions, *self.conditions)):
            clause_start = tokens[first][1]
        elif opening:
            i = opening[-1]
            # A closing mark belongs to the clause before it; a word opens the next one.
            clause_start = tokens[i + 1][1] if words[i] in (";", ".") and i + 1 < len(tokens) else tokens[i][1]
        closing = [i for i in stops if i >= last]
        clause_end = len(text)
        if closing:
            i = closing[0]
            clause_end = tokens[i][2] if words[i] in (";", ".") else tokens[i][1]
        return clause_start, max(clause_end, end)
