"""Orchestration: a compiled rule set run over a Document (prefilter, spaCy, fuzzy, markers, conditions, polarity) -> Findings."""

from __future__ import annotations

import bisect
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from ketcover.anaphora import carried_from_context
from ketcover.citations import Collapsed, clause_quote_span, collapse, collapsed_offset, quote_span
from ketcover.context import LEAD_IN_REACH, Context, kept_polarity, list_lead_in
from ketcover.framing import passage_context, rule_allowed
from ketcover.fuzzy import find_fuzzy
from ketcover.model import Document, Finding, FindingStarts
from ketcover.nlp import RuleMatcher
from ketcover.prefilter import Prefilter
from ketcover.ruleset import Rule, RuleSet
from ketcover.sections import Outline, SectionClasses, outline_of
from ketcover.structure import BULLET, Passage, is_contents_line


class CompiledRules:
    """A rule set made ready to run: spaCy matchers, the keyword prefilter, fuzzy terms, section
    classes and each concern's negation context.

    One thread at a time: the prefilter learns words as it goes (the web server analyzes one
    upload at a time for this reason, among others).
    """

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.rules = {rule.id: rule for rule in ruleset.rules}
        self.rule_order = {rule.id: i for i, rule in enumerate(ruleset.rules)}
        self.contexts = {c.name: Context(c.negation) for c in ruleset.concerns}
        self.matcher = RuleMatcher(ruleset)
        self.prefilter = Prefilter(ruleset, self.matcher.exception_pieces())
        self.fuzzy_rules = [rule for rule in ruleset.rules if rule.kind == "fuzzy"]
        self.marker_rules = [rule for rule in ruleset.rules if rule.kind == "marker"]
        self.section_classes = SectionClasses(ruleset)


@dataclass(frozen=True)
class RuleHit:
    """A rule that fired in a passage and passed its section and context conditions."""

    rule: Rule
    passage: Passage
    collapsed: Collapsed
    start: int  # offsets in the collapsed passage text
    end: int
    score: float
    method: str
    section_title: str | None
    enclosing_class: str | None = None  # the section enclosing the passage (SectionIndex.enclosing_class_at)


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
        # The one-symbol test first: most passages hold no marker symbol and need no lowering.
        present = [ch for ch in MARKER_SYMBOLS if ch in raw]
        if len(present) == 1:
            lowered = " ".join(raw.lower().split())
            if any(phrase in lowered for phrase in rule.phrases):
                symbol, legend_index = present[0], index
                break
    if symbol is None:
        return []
    # A marked item ends its line in a list or grid ("Hospital Care*", "Foot Orthotics* $0"),
    # unlike a footnote mark inside a sentence ("the Medical Plan*, including ...").
    marked = re.compile(r"[A-Za-z)\]]" + re.escape(symbol) + r"[ \t]*(?=\n|$|\$|\d)")
    hits = []
    for index, (passage, raw) in enumerate(usable):
        match = marked.search(raw) if index != legend_index and symbol in raw else None
        if match is None:
            continue
        line_start = raw.rfind("\n", 0, match.start()) + 1
        text = collapsed(index)
        start = collapsed_offset(text, passage.start + line_start)
        end = collapsed_offset(text, passage.start + match.start() + 1) + 1
        hits.append((index, rule, start, end, rule.score, "marker"))
    return hits


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


def find_rule_hits(document: Document, compiled: CompiledRules, outline: Outline | None = None) -> list[RuleHit]:
    """Every rule match in the document that its section and context allow (before de-duplication).
    `outline`: the document's outline when the caller has made it (analyze does, for every step)."""
    outline = outline or outline_of(document, compiled.section_classes)
    heading_offsets, sections = outline.heading_offsets, outline.sections
    skip_default = set(compiled.ruleset.default_skip_sections)
    usable: list[tuple[Passage, str]] = []
    for passage in outline.passages:
        raw = document.text[passage.start:passage.end]
        if not is_contents_line(raw):
            usable.append((passage, raw))
    collapsed_cache: dict[int, Collapsed] = {}

    def collapsed(index: int) -> Collapsed:
        # Built only for passages a rule may fire in: most passages never need it.
        if index not in collapsed_cache:
            passage, raw = usable[index]
            collapsed_cache[index] = collapse(raw, passage.start)
        return collapsed_cache[index]

    context_cache: dict[int, str] = {}

    def context_text(index: int) -> str:
        # Asked by a regex-anchored rule's prefilter and by every hit in the passage: built once.
        if index not in context_cache:
            context_cache[index] = passage_context(document, usable[index][0], collapsed(index), heading_offsets)
        return context_cache[index]

    raw_hits: list[tuple[int, Rule, int, int, float, str]] = []
    # Fuzzy terms stand in for wording garbled by OCR: on a page with a text layer they only find
    # near-misses that mean something else ("Reauthorization Act" for "preauthorization").
    scanned: list[int] = []
    if "ocr" in document.page_methods:  # most documents have no OCR page: no page lookup for each passage
        scanned = [i for i, (passage, _raw) in enumerate(usable)
                   if document.page_methods[document.page_of(passage.start) - 1] == "ocr"]
    with ThreadPoolExecutor(max_workers=1) as background:
        # Fuzzy scoring runs in rapidfuzz's C++ without the GIL: it overlaps the prefilter and spaCy.
        fuzzy = None
        if compiled.fuzzy_rules and scanned:
            fuzzy = background.submit(_fuzzy_hits, compiled, [" ".join(usable[i][1].split()) for i in scanned])
        requests, request_index = [], []
        for index, (passage, raw) in enumerate(usable):
            def context(index=index, passage=passage) -> str:
                title = sections.at(passage.start)[1] or ""
                return context_text(index) + " " + title.lower()

            phrases, pattern_rules = compiled.prefilter.candidates(raw.lower(), raw, context)
            if phrases or pattern_rules:
                # The text collapse builds (its offset map is made only for passages with hits);
                # only the one passage in ten or more that the prefilter lets through needs it.
                requests.append((" ".join(raw.split()), phrases, pattern_rules))
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
        if rule_allowed(rule, section_class, sections.chapter_at(passage.start), skip_default, context_text(index), section_title):
            # A rule that requires its section states what that section states, even under a weak heading
            # that opens no chapter ("Not Covered (Inpatient or Outpatient)" above a table's bulleted rows).
            enclosing = sections.enclosing_class_at(passage.start) or (section_class if rule.require_sections else None)
            hits.append(RuleHit(rule, passage, collapsed(index), start, end, score, method, section_title, enclosing))
    return hits


def find_findings(document: Document, compiled: CompiledRules, outline: Outline | None = None) -> list[Finding]:
    """Cited findings: per passage, concern and polarity, the first rule (in rule-set order) that
    fired with that polarity. A passage that negates a concern and affirms it ("not required,
    except for Spravato, which requires prior authorization") gives one finding of each, each
    quoting its own clause."""
    best: dict[tuple[int, str, str], RuleHit] = {}
    matched: dict[tuple[int, str], list[str]] = {}
    stated: set[tuple[int, str, str]] = set()  # (passage, concern, polarity) some hit states, not just mentions
    lead_ins: dict[int, str] = {}
    outline = outline or outline_of(document, compiled.section_classes)
    for hit in find_rule_hits(document, compiled, outline):
        key = (hit.passage.start, hit.rule.concern)
        text = hit.collapsed.text[hit.start:hit.end]
        if text not in matched.setdefault(key, []):
            matched[key].append(text)
        # A list item is read with its lead-in: "We do not cover:" negates the items under it.
        if hit.passage.start not in lead_ins:
            lead_ins[hit.passage.start] = list_lead_in(document.text, hit.passage.start)
        lead_in = lead_ins[hit.passage.start]
        context = compiled.contexts[hit.rule.concern]
        polarity = context.polarity(hit.collapsed.text, hit.start, hit.end, lead_in, hit.enclosing_class)
        ways = [(polarity, hit)]
        exception = context.other_way(hit.collapsed.text, hit.start, hit.end, polarity)
        if exception is not None:
            # "required for all services except emergency care", "not required if prescribed by an
            # oncologist": the exception or condition states the other way, quoted on its own.
            ways.append(("negates" if polarity == "affirms" else "affirms", replace(hit, start=exception[0], end=exception[1])))
        if not context.is_mention(hit.collapsed.text, hit.start, hit.end):
            stated.update((*key, way) for way, _hit in ways)
        for way, way_hit in ways:
            current = best.get((*key, way))
            if current is None or (compiled.rule_order[way_hit.rule.id], way_hit.start) < (compiled.rule_order[current.rule.id], current.start):
                best[(*key, way)] = way_hit
    for passage_start, concern, polarity in list(best):
        # "exempt physicians from preauthorization ... 90 percent of their preauthorization requests":
        # the requests only name the concern; the passage states it the other way.
        ways = {way for way in ("affirms", "negates") if (passage_start, concern, way) in stated}
        if not kept_polarity(polarity, ways):
            del best[(passage_start, concern, polarity)]
    findings: list[Finding] = []
    for (passage_start, concern, polarity), hit in best.items():
        doc_start = hit.collapsed.to_document(hit.start)
        doc_end = hit.collapsed.to_document(max(hit.start, hit.end - 1)) + 1
        if (passage_start, concern, "negates" if polarity == "affirms" else "affirms") in best:
            # Both ways in one passage: each finding quotes its own clause, not the whole passage.
            clause = compiled.contexts[concern].clause(hit.collapsed.text, hit.start, hit.end)
            quote_start, quote_end = clause_quote_span(document, hit.collapsed, clause, (hit.start, hit.end))
        else:
            quote_start, quote_end = quote_span(document, hit.passage, doc_start, doc_end)
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
            answer=_answer(hit.rule, polarity, compiled.ruleset.concern(concern).negation.answer,
                           hit.enclosing_class in hit.rule.require_sections),
            start=quote_start,
            matches=tuple(matched[(passage_start, concern)]),
        ))
    carried_forms = {c.name: c.carried_lead_ins for c in compiled.ruleset.concerns if c.carried_lead_ins}
    findings += carried_from_lead_ins(document, findings, outline.passages, carried_forms, compiled)
    # "Many other services do not need a prior authorization. You do not need one to see your PCP.": a sentence that
    # states the answer by an anaphor or bare takes the concern of the passage right before it (anaphora.py).
    findings += carried_from_context(document, findings, outline.passages, compiled)
    findings.sort(key=lambda f: f.sort_key)
    return findings


def _answer(rule: Rule, polarity: str, negated_answer: str, in_own_section: bool = False) -> str:
    """A finding's short answer. A rule written for the section it is read in ("excluded_conditions"
    in an exclusions list, `in_own_section`) keeps its own answer when that section negates it, and
    gives its exception_answer to a match the section's "except" turns around."""
    if polarity == "affirms":
        return rule.exception_answer if in_own_section and rule.exception_answer else rule.answer
    return rule.answer if in_own_section else negated_answer


def list_item_start(text: str, passage: Passage) -> int | None:
    """Where the list item that `passage` is starts (its bullet or number), or None when the passage is
    no item's text: it starts with its bullet ("• Dialysis."), or its number stands alone before it on
    its line (a PDF's "9. Home Health Care." reads as the passage "Home Health Care." and "10. Home
    Infusion Therapy" as "10." and "Home Infusion Therapy": the bare number is no item of its own)."""
    bullet = BULLET.match(text[passage.start:passage.start + 8])
    if bullet:
        return passage.start if passage.start + bullet.end() < passage.end else None
    line_start = text.rfind("\n", 0, passage.start) + 1
    marker = text[line_start:passage.start]
    bullet = BULLET.match(marker + "x") if marker.strip() else None
    return line_start if bullet and bullet.end() == len(marker) else None


def carried_from_lead_ins(document: Document, findings: list[Finding], passages: list[Passage],
                          carried_forms: dict[str, tuple[re.Pattern, ...]] | None = None,
                          compiled: CompiledRules | None = None) -> list[Finding]:
    """A list's lead-in that states a concern reaches the items under it that do not name the concern.
    A negating lead-in always does: "You Do Not Need a Referral and Prior Approval To:" / "• Go to any
    hospital in an emergency." is prior authorization not required for that item. An affirming one
    does only when its text matches one of the concern's `carried_lead_ins:` forms (carried_forms),
    wordings that state the requirement FOR the items ("The following services require prior
    authorization:", "Precertification is required for:"): "Requests must include:" does not make
    "• Member name" a statement of the concern. Each such item (a bulleted passage whose lead-in,
    context.list_lead_in, holds the finding, and that no finding of the concern quotes yet) gets the
    lead-in's finding, with its polarity, quoting the item (verbatim, on the item's page). An item that
    carves its own exception out of the lead-in's rule ("• Be admitted to the hospital, except in an
    emergency.") states the concern both ways, as the same words in one sentence do: with the
    rules `compiled`, the exception gets a finding of the other polarity and its answer, quoting it."""
    carried_forms = carried_forms or {}
    leading = sorted(((f.start, f) for f in findings if f.polarity == "negates" or f.concern in carried_forms),
                     key=lambda pair: pair[0])
    if not leading:
        return []
    starts = [start for start, _f in leading]
    quoted = {(f.concern, f.start) for f in findings}
    covered = FindingStarts(findings)
    carried: list[Finding] = []
    text = document.text
    for passage in passages:
        # Cheap tests first: a leading finding shortly before, then a bullet, then the lead-in.
        first = bisect.bisect_left(starts, passage.start - LEAD_IN_REACH)
        if first >= len(starts) or starts[first] >= passage.start:
            continue
        item = list_item_start(text, passage)
        if item is None:
            continue
        lead_in = list_lead_in(text, item)
        if not lead_in:
            continue
        colon = text.rfind(":", max(0, passage.start - LEAD_IN_REACH), passage.start)
        lead_start = colon + 1 - len(lead_in)
        # A negating finding of the lead-in comes first: "required for all services except:" carries the exception.
        for _start, finding in sorted(leading[first:bisect.bisect_left(starts, passage.start)],
                                      key=lambda pair: pair[1].polarity != "negates"):
            if not lead_start <= finding.start <= colon:
                continue
            if finding.polarity != "negates" and not any(form.search(lead_in) for form in carried_forms[finding.concern]):
                continue  # an affirming lead-in of a process ("Requests must include:"), not of the items
            if covered.within(finding.concern, passage.start, passage.end):
                continue  # the item states the concern itself (read with its lead-in already)
            quote_start, quote_end = quote_span(document, passage, passage.start, passage.end)
            if (finding.concern, quote_start) in quoted:
                continue
            quoted.add((finding.concern, quote_start))
            carried.append(replace(finding, page=document.page_of(quote_start), quote=text[quote_start:quote_end],
                                   start=quote_start))
            exception = _item_exception(document, passage, compiled.contexts[finding.concern] if compiled else None,
                                        finding.polarity)
            if exception is not None:
                other = "negates" if finding.polarity == "affirms" else "affirms"
                answer = _answer(compiled.rules[finding.rule], other,
                                 compiled.ruleset.concern(finding.concern).negation.answer)
                carried.append(replace(finding, page=document.page_of(exception[0]), polarity=other, answer=answer,
                                       quote=text[exception[0]:exception[1]], start=exception[0]))
    return carried


def _item_exception(document: Document, passage: Passage, context: Context | None,
                    polarity: str) -> tuple[int, int] | None:
    """The document span of a carried item's own exception (Context.item_other_way), or None."""
    if context is None:
        return None
    item = document.text[passage.start:passage.end]
    span = context.item_other_way(item, polarity)
    if span is None:
        return None
    start, end = passage.start + span[0], passage.start + span[1]
    while end > start and document.text[end - 1] in " \n;,":
        end -= 1
    if document.text[end:end + 1] == ".":
        end += 1  # the item's full stop ends the exception too: the next passage is no exception to it
    if end <= start or document.page_of(end - 1) != document.page_of(start):
        return None  # a quote never runs over a page break: it must stand on the page it cites
    return start, end
