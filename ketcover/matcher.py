"""Applying a rule set to a Document: passages, section context, matches, negation -> Findings."""

from __future__ import annotations

import bisect
import re
from array import array
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property

from ketcover.context import Context, list_lead_in
from ketcover.fuzzy import find_fuzzy
from ketcover.model import Document, Finding
from ketcover.nlp import RuleMatcher
from ketcover.ruleset import Rule, RuleSet
from ketcover.structure import BULLET, Passage, split_passages

MAX_QUOTE = 360
# A table-of-contents or index line: dot leaders or a trailing page reference ("...133-134").
TOC_LINE = re.compile(r"(?:\.\s?){4,}\s*\d|…\s*\d|\.{3}\d|\.{8,}")
HEADING_CONTEXT = 400  # a heading is judged with the start of the text under it
LEAD_IN_REACH = 1500  # how far back a list item looks for the lead-in that ends with ":"
TABLE_CELL_MAX = 100  # a passage shorter than this, without a full stop, is read as a table cell
TABLE_CELL_REACH = 200
SENTENCE_PUNCTUATION = re.compile(r"[.;!?]")
WORD = re.compile(r"\S+")
EDGE_PUNCTUATION = "\"'“”‘’()[]{}.,;:!?*•"


ANCHOR_WORD = re.compile(r"[a-z0-9]+")
LETTERS_OR_DIGITS = re.compile(r"[a-z]+|[0-9]+")
# Words too common in plan documents to tell a candidate passage apart; an anchor is taken
# from a phrase's other words when it has one.
COMMON_WORDS = {
    "the", "and", "for", "you", "your", "are", "not", "plan", "plans", "care", "health", "services",
    "service", "coverage", "covered", "cover", "benefit", "benefits", "provider", "providers",
    "required", "requires", "require", "approved", "medical", "review", "use", "other", "than",
}


def _best_word(words: list[str]) -> str:
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


def _required_words(pattern: list[dict]) -> list[list[frozenset[str]]]:
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


def _anchor_words(rule: Rule) -> tuple[set[str], list[re.Pattern]]:
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
            token_words = {_best_word(ANCHOR_WORD.findall(o.lower()) or [o.lower()]) for o in options}
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


class CompiledRules:
    """A rule set made ready to run: spaCy matchers, fuzzy terms and a cheap keyword prefilter.

    The prefilter decides per passage which rules could fire (a lower-case keyword scan), so
    spaCy tokenizes and matches only candidate passages, with only the pattern rules they need.
    One thread at a time: passage_words learns words as it goes (the web server analyzes one
    upload at a time for this reason, among others).
    """

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.rules = {rule.id: rule for rule in ruleset.rules}
        self.rule_order = {rule.id: i for i, rule in enumerate(ruleset.rules)}
        self.contexts = {c.name: Context(c.negation) for c in ruleset.concerns}
        self.matcher = RuleMatcher(ruleset)
        # anchor word -> the rules it may trigger ("" stands for the phrase matcher)
        self.anchors: dict[str, set[str]] = {}
        self.regex_anchors: list[tuple[str, re.Pattern]] = []
        # anchor word -> the word sets of the phrases it anchors: a phrase can match only where
        # all its words are (a passage with "prior" alone is not sent to spaCy for "prior approval").
        self.phrase_words: dict[str, list[frozenset[str]]] = {}
        # pattern rule -> per pattern, its required tokens' word options (see _required_words)
        self.pattern_words: dict[str, list[list[list[frozenset[str]]]]] = {}
        for rule in ruleset.rules:
            if rule.kind == "phrases":
                for phrase in rule.phrases:
                    words = ANCHOR_WORD.findall(phrase.lower())
                    if words:
                        anchor = _best_word(words)
                        self.phrase_words.setdefault(anchor, []).append(frozenset(words))
                        self.anchors.setdefault(anchor, set()).add("")
            elif rule.kind == "pattern":
                self.pattern_words[rule.id] = [_required_words(list(p)) for p in rule.patterns]
                words, regexes = _anchor_words(rule)
                for word in words:
                    self.anchors.setdefault(word, set()).add(rule.id)
                self.regex_anchors.extend((rule.id, regex) for regex in regexes)
        self.anchor_words = frozenset(self.anchors)
        # Words spaCy's tokenizer cuts out of a run of letters: "cannot" holds the token "not",
        # "don't" the tokens "do" and "n't". The prefilter adds them, or it would hide a match.
        self.split_words: dict[str, set[str]] = {}
        for text, tokens in self.matcher.exception_pieces().items():
            runs = ANCHOR_WORD.findall(text)
            for word in {word for token in tokens for word in ANCHOR_WORD.findall(token)} - set(runs):
                for run in runs:
                    if word in run:  # the run it was cut from: "do" and "n" from "don" of "don't"
                        self.split_words.setdefault(run, set()).add(word)
        self.split_keys: set[str] = set(self.split_words)
        self.plain_words: set[str] = set()  # words seen that are whole tokens (see passage_words)
        self.fuzzy_rules = [rule for rule in ruleset.rules if rule.kind == "fuzzy"]
        self.marker_rules = [rule for rule in ruleset.rules if rule.kind == "marker"]
        self.section_classes = [(c.name, c.headings, c.unless) for c in ruleset.section_classes]
        self.sticky_reach = {c.name: c.sticky for c in ruleset.section_classes if c.sticky}
        self.last_sections: tuple[str, _SectionIndex] | None = None  # (document text, its index)

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
        possible = [rule_id for rule_id in targets if any(
            all(any(option <= words for option in token) for token in pattern)
            for pattern in self.pattern_words[rule_id])]
        return phrases, tuple(sorted(possible, key=self.rule_order.__getitem__))

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

    def classify_heading(self, title: str) -> str | None:
        lowered = " ".join(title.lower().split())
        for name, phrases, unless in self.section_classes:
            if any(phrase in lowered for phrase in phrases) and not any(u in lowered for u in unless):
                return name
        return None


@dataclass
class _Collapsed:
    """A passage with whitespace runs collapsed to one space, mapped back to document offsets."""

    text: str
    starts: array  # collapsed offset of each word
    origins: array  # document offset of each word (compact arrays: long documents have millions)

    def to_document(self, offset: int) -> int:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.origins[index] + (offset - self.starts[index])

    @cached_property
    def lowered(self) -> str:
        return self.text.lower()


def _collapse(text: str, base: int) -> _Collapsed:
    words, starts, origins, position = [], array("q"), array("q"), 0
    for match in WORD.finditer(text):
        words.append(match.group(0))
        starts.append(position)
        origins.append(base + match.start())
        position += len(match.group(0)) + 1
    return _Collapsed(" ".join(words), starts, origins)


class _SectionIndex:
    """Which section class (exclusions, definitions, ...) governs each offset of a document.

    A strong heading (caps, numbered) sets the class until the next strong heading; a weak
    heading or lead-in ("Not covered:") sets it only until the next heading of any kind,
    unless its class is sticky: then it holds past weak headings (a notice runs on past its
    sub-headings and addresses) for the class's reach in characters.
    """

    def __init__(self, document: Document, compiled: CompiledRules):
        self.document = document
        # A chapter named by a running header ("The Dental Plan") governs its whole page.
        self.chapter_classes = [compiled.classify_heading(c) if c else None for c in document.page_chapters]
        self.offsets: list[int] = []
        self.classes: list[str | None] = []
        self.titles: list[str] = []
        # (class, reach end, class after it expires) of the sticky heading in force, per heading
        self.sticky: list[tuple[str, int, str | None] | None] = []
        strong_class: str | None = None
        sticky: tuple[str, int, str | None] | None = None
        for heading in document.headings:
            heading_class = compiled.classify_heading(heading.title)
            if sticky and heading.offset > sticky[1]:
                sticky = None
            if heading.level >= 2:
                strong_class, sticky = heading_class, None
                effective = heading_class
            elif heading_class in compiled.sticky_reach:
                sticky = (heading_class, heading.offset + compiled.sticky_reach[heading_class], strong_class)
                effective = heading_class
            else:
                effective = heading_class or (sticky[0] if sticky else strong_class)
            self.offsets.append(heading.offset)
            self.classes.append(effective)
            self.titles.append(heading.title)
            self.sticky.append(sticky if effective == (sticky[0] if sticky else None) else None)

    def at(self, offset: int) -> tuple[str | None, str | None]:
        index = bisect.bisect_right(self.offsets, offset) - 1
        if index < 0:
            return None, None
        sticky = self.sticky[index]
        if sticky and offset > sticky[1]:
            return sticky[2], self.titles[index]  # the notice's reach has ended
        return self.classes[index], self.titles[index]

    def chapter_at(self, offset: int) -> str | None:
        if not self.chapter_classes:
            return None
        return self.chapter_classes[self.document.page_of(offset) - 1]


def _quote_span(document: Document, passage: Passage, match_start: int, match_end: int) -> tuple[int, int]:
    """A verbatim span around the match, inside the passage and inside the match's page."""
    page_start, page_end = document.page_span(document.page_of(match_start))
    start, end = max(passage.start, page_start), min(passage.end, page_end)
    if end - start > MAX_QUOTE:
        start = max(start, match_start - MAX_QUOTE // 3)
        end = min(end, start + MAX_QUOTE)
        if match_end > end:
            end = min(max(match_end, end), page_end)
        # Cut at word boundaries so a quote never starts or ends inside a word.
        if start > passage.start and not document.text[start - 1].isspace():
            space = document.text.find(" ", start, match_start)
            start = space + 1 if space != -1 else start
        if end < passage.end and not document.text[end].isspace():
            space = document.text.rfind(" ", match_end, end)
            end = space if space != -1 else end
    while start < end and document.text[start].isspace():
        start += 1
    while end > start and document.text[end - 1].isspace():
        end -= 1
    return start, end


@dataclass(frozen=True)
class RuleHit:
    """A rule that fired in a passage and passed its section and context conditions."""

    rule: Rule
    passage: Passage
    collapsed: _Collapsed
    start: int  # offsets in the collapsed passage text
    end: int
    score: float
    method: str
    section_title: str | None


def _allowed(rule: Rule, section_class: str | None, chapter_class: str | None, skip_default: set[str],
             context_text: str, section_title: str | None) -> bool:
    if section_class in skip_default and section_class not in rule.require_sections:
        return False
    if chapter_class in skip_default:
        return False
    if rule.require_sections and section_class not in rule.require_sections:
        return False
    if section_class and section_class in rule.skip_sections:
        return False
    if rule.context_any and not any(w in context_text or w in (section_title or "").lower() for w in rule.context_any):
        return False
    if rule.context_none and any(w in context_text for w in rule.context_none):
        return False
    return True


def _context_text(document: Document, passage: Passage, collapsed: _Collapsed, heading_offsets: set[int]) -> str:
    """The words a rule's context is judged on: the passage, plus what frames it.

    A heading is judged with the start of the text under it; a list item ("Mental health
    care; and") with the lead-in sentence that introduced the list ("We cover the following:");
    a short table cell with the cells around it.
    """
    extra = ""
    if passage.start in heading_offsets:
        extra = document.text[passage.end:passage.end + HEADING_CONTEXT]
    elif BULLET.match(document.text[passage.start:passage.start + 8]):
        before = document.text[max(0, passage.start - LEAD_IN_REACH):passage.start]
        colon = before.rfind(":")
        if colon != -1:
            lead_in = before[max(0, colon - HEADING_CONTEXT):colon + 1]
            # Only the sentence that ends with the colon, not the table row before it.
            cut = max(lead_in.rfind(". "), lead_in.rfind(".\n"), lead_in.rfind("\n\n"))
            extra = lead_in[cut + 1:] if cut != -1 else lead_in
    elif passage.end - passage.start < TABLE_CELL_MAX and not SENTENCE_PUNCTUATION.search(collapsed.text):
        # A short fragment without a sentence is a table cell: its neighbours are its row.
        extra = document.text[max(0, passage.start - TABLE_CELL_REACH):passage.start]
        extra += " " + document.text[passage.end:passage.end + TABLE_CELL_REACH // 2]
    if not extra:
        return collapsed.lowered
    return collapsed.lowered + " " + " ".join(extra.lower().split())


# Symbols a plan's legend may use to mark services ("Mental Health Services*").
MARKER_SYMBOLS = "*†‡§¶◊^"


def _marker_hits(rule: Rule, usable: list[tuple[Passage, str]], collapsed) -> list[tuple]:
    """Items marked with the symbol that a legend ties to the rule ("listed with an asterisk (*)").

    The legend is a passage holding one of the rule's legend phrases and one marker symbol;
    each other passage with a word directly followed by that symbol is a finding, quoted
    from the marked word's line.
    """
    symbol = None
    legend_index = None
    for index, (_passage, raw) in enumerate(usable):
        lowered = " ".join(raw.lower().split())
        if any(phrase in lowered for phrase in rule.phrases):
            present = [ch for ch in MARKER_SYMBOLS if ch in raw]
            if len(present) == 1:
                symbol, legend_index = present[0], index
                break
    if symbol is None:
        return []
    # A marked item ends its line in a list or grid ("Hospital Care*", "Foot Orthotics* $0"),
    # unlike a footnote mark inside a sentence ("the Medical Plan*, including ...").
    marked = re.compile(r"[A-Za-z)\]]" + re.escape(symbol) + r"[ \t]*(?=\n|$|\$|\d)")
    hits = []
    for index, (passage, raw) in enumerate(usable):
        match = marked.search(raw) if index != legend_index else None
        if match is None:
            continue
        line_start = raw.rfind("\n", 0, match.start()) + 1
        text = collapsed(index)
        start = _collapsed_offset(text, passage.start + line_start)
        end = _collapsed_offset(text, passage.start + match.start() + 1) + 1
        hits.append((index, rule, start, end, rule.score, "marker"))
    return hits


def _collapsed_offset(collapsed: _Collapsed, document_offset: int) -> int:
    """The offset in a collapsed passage of a document offset that starts or lies in a word."""
    index = bisect.bisect_right(collapsed.origins, document_offset) - 1
    return collapsed.starts[max(index, 0)] + max(0, document_offset - collapsed.origins[max(index, 0)])


def _fuzzy_hits(compiled: CompiledRules, texts: list[str]) -> list[tuple[int, Rule, int, int, float, str]]:
    """Every fuzzy rule's approximate matches: one pass for all terms at the lowest threshold,
    then each rule keeps the hits that reach its own. Runs beside the main thread's matching,
    so on one core (workers=1): the other core is the main thread's."""
    rules_by_term: dict[str, list[Rule]] = {}
    for rule in compiled.fuzzy_rules:
        for term in rule.phrases:
            rules_by_term.setdefault(term, []).append(rule)
    lowest = min(rule.min_score for rule in compiled.fuzzy_rules)
    return [(hit.text_index, rule, hit.start, hit.end, rule.score * hit.score / 100, "fuzzy")
            for hit in find_fuzzy(list(rules_by_term), texts, lowest, workers=1)
            for rule in rules_by_term[hit.term] if hit.score >= rule.min_score]


def find_rule_hits(document: Document, compiled: CompiledRules) -> list[RuleHit]:
    """Every rule match in the document that its section and context allow (before de-duplication)."""
    heading_offsets = {h.offset for h in document.headings}
    sections = _SectionIndex(document, compiled)
    compiled.last_sections = (document.text, sections)  # the keyword candidates reuse it (candidates.py)
    skip_default = set(compiled.ruleset.default_skip_sections)
    usable: list[tuple[Passage, str]] = []
    for passage in split_passages(document.text, heading_offsets):
        raw = document.text[passage.start:passage.end]
        if ("." not in raw and "…" not in raw) or not TOC_LINE.search(raw):
            usable.append((passage, raw))
    collapsed_cache: dict[int, _Collapsed] = {}

    def collapsed(index: int) -> _Collapsed:
        # Built only for passages a rule may fire in: most passages never need it.
        if index not in collapsed_cache:
            passage, raw = usable[index]
            collapsed_cache[index] = _collapse(raw, passage.start)
        return collapsed_cache[index]

    context_cache: dict[int, str] = {}

    def context_text(index: int) -> str:
        # Asked by a regex-anchored rule's prefilter and by every hit in the passage: built once.
        if index not in context_cache:
            context_cache[index] = _context_text(document, usable[index][0], collapsed(index), heading_offsets)
        return context_cache[index]

    raw_hits: list[tuple[int, Rule, int, int, float, str]] = []
    texts = [" ".join(raw.split()) for _p, raw in usable]  # the same text _collapse builds
    # Fuzzy terms stand in for wording garbled by OCR: on a page with a text layer they only find
    # near-misses that mean something else ("Reauthorization Act" for "preauthorization").
    scanned = [i for i, (passage, _raw) in enumerate(usable)
               if document.page_methods and document.page_methods[document.page_of(passage.start) - 1] == "ocr"]
    with ThreadPoolExecutor(max_workers=1) as background:
        # Fuzzy scoring runs in rapidfuzz's C++ without the GIL: it overlaps the prefilter and spaCy.
        fuzzy = None
        if compiled.fuzzy_rules and scanned:
            fuzzy = background.submit(_fuzzy_hits, compiled, [texts[i] for i in scanned])
        requests, request_index = [], []
        for index, (passage, raw) in enumerate(usable):
            def context(index=index, passage=passage) -> str:
                title = sections.at(passage.start)[1] or ""
                return context_text(index) + " " + title.lower()

            phrases, pattern_rules = compiled.candidates(raw.lower(), raw, context)
            if phrases or pattern_rules:
                # Its offset map (_collapse) is made only for passages with hits.
                requests.append((texts[index], phrases, pattern_rules))
                request_index.append(index)
        for index, matches in zip(request_index, compiled.matcher.match_texts(requests)):
            for match in matches:
                rule = compiled.rules[match.rule_id]
                method = "phrase" if rule.kind == "phrases" else "pattern"
                raw_hits.append((index, rule, match.start_char, match.end_char, rule.score, method))
        if fuzzy is not None:
            # Fuzzy terms stand in for exact wording garbled by OCR or typos: a passage where an
            # exact rule of the same concern already matched (and was kept or rejected by its
            # context) is not searched again approximately.
            exact = {(index, rule.concern) for index, rule, *_rest in raw_hits}
            for position, *rest in fuzzy.result():
                index = scanned[position]  # fuzzy numbered the scanned passages only
                if (index, rest[0].concern) not in exact:
                    raw_hits.append((index, *rest))

    for rule in compiled.marker_rules:
        raw_hits.extend(_marker_hits(rule, usable, collapsed))

    hits = []
    for index, rule, start, end, score, method in raw_hits:
        passage = usable[index][0]
        section_class, section_title = sections.at(passage.start)
        if _allowed(rule, section_class, sections.chapter_at(passage.start), skip_default, context_text(index), section_title):
            hits.append(RuleHit(rule, passage, collapsed(index), start, end, score, method, section_title))
    return hits


def find_findings(document: Document, compiled: CompiledRules) -> list[Finding]:
    """Cited findings: per passage, concern and polarity, the first rule (in rule-set order) that
    fired with that polarity. A passage that negates a concern and affirms it ("not required,
    except for Spravato, which requires prior authorization") gives one finding of each, each
    quoting its own clause."""
    best: dict[tuple[int, str, str], RuleHit] = {}
    matched: dict[tuple[int, str], list[str]] = {}
    lead_ins: dict[int, str] = {}
    for hit in find_rule_hits(document, compiled):
        key = (hit.passage.start, hit.rule.concern)
        text = hit.collapsed.text[hit.start:hit.end]
        if text not in matched.setdefault(key, []):
            matched[key].append(text)
        # A list item is read with its lead-in: "We do not cover:" negates the items under it.
        if hit.passage.start not in lead_ins:
            lead_ins[hit.passage.start] = list_lead_in(document.text, hit.passage.start)
        lead_in = lead_ins[hit.passage.start]
        polarity = compiled.contexts[hit.rule.concern].polarity(hit.collapsed.text, hit.start, hit.end, lead_in)
        current = best.get((*key, polarity))
        if current is None or (compiled.rule_order[hit.rule.id], hit.start) < (compiled.rule_order[current.rule.id], current.start):
            best[(*key, polarity)] = hit
    findings: list[Finding] = []
    for (passage_start, concern, polarity), hit in best.items():
        doc_start = hit.collapsed.to_document(hit.start)
        doc_end = hit.collapsed.to_document(max(hit.start, hit.end - 1)) + 1
        passage = hit.passage
        if (passage_start, concern, "negates" if polarity == "affirms" else "affirms") in best:
            # Both ways in one passage: each finding quotes its own clause, not the whole passage.
            clause_start, clause_end = compiled.contexts[concern].clause(hit.collapsed.text, hit.start, hit.end)
            passage = Passage(hit.collapsed.to_document(clause_start),
                              hit.collapsed.to_document(max(clause_start, clause_end - 1)) + 1)
        quote_start, quote_end = _quote_span(document, passage, doc_start, doc_end)
        page = document.page_of(doc_start)
        method = hit.method
        if document.page_methods and document.page_methods[page - 1] == "ocr":
            method += "+ocr"
        findings.append(Finding(
            concern=concern,
            rule=hit.rule.id,
            page=page,
            quote=document.text[quote_start:quote_end],
            section=hit.section_title,
            polarity=polarity,
            score=round(hit.score, 3),
            method=method,
            answer=hit.rule.answer if polarity == "affirms" else compiled.ruleset.concern(concern).negation.answer,
            start=quote_start,
            matches=tuple(matched[(passage_start, concern)]),
        ))
    findings.sort(key=lambda f: f.sort_key)
    return findings
