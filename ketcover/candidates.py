"""Candidates, then decisions: every passage holding a concern's keywords becomes a finding or is set aside for a named reason."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ketcover.citations import clause_quote_span, collapse, collapsed_offset, quote_span
from ketcover.context import list_lead_in
from ketcover.keyword_scan import KeywordScan, KeywordScanner
from ketcover.matcher import CompiledRules
from ketcover.model import Document, Finding, FindingStarts, SetAside
from ketcover.ruleset import SetAsideReason
from ketcover.sections import Outline, outline_of
from ketcover.structure import Passage, is_contents_line

# Below every rule's score (rules default to 1.0, fuzzy matches scale theirs): a passage found by
# the concern's words alone, with no rule that knows its wording, is the weakest kind of finding.
KEYWORD_SCORE = 0.5
KEYWORD_ANSWER = "mentioned"  # what a keyword finding says, until a rule knows the wording
HEADING_ALONE_MAX = 120  # a heading passage longer than this runs on into text (an SBC row label)


@dataclass(frozen=True)
class Candidate:
    """One passage holding a concern's keywords: where, its text, and every keyword span in it."""

    concern: str
    passage: Passage
    raw: str  # the passage's text as it stands in the document
    spans: tuple[tuple[int, int], ...]  # keyword matches, offsets in `raw`
    section_class: str | None = None
    chapter_class: str | None = None
    section_title: str | None = None
    is_heading: bool = False
    document_kind: str | None = None
    on_contents_page: bool = False


def scan_keywords(document: Document, compiled: CompiledRules, outline: Outline) -> KeywordScan:
    return KeywordScanner.of(compiled.ruleset).scan(document, outline.passages)


def find_candidates(document: Document, compiled: CompiledRules, covered: FindingStarts | None = None,
                    document_kind: str | None = None, outline: Outline | None = None,
                    scan: KeywordScan | None = None) -> list[Candidate]:
    """Every (passage, concern) whose text holds the concern's keywords, in document order; with
    `covered` (where the findings start), only those no finding cites.
    `outline`: the document's outline when the caller has made it (analyze does, for every step)."""
    outline = outline or outline_of(document, compiled.section_classes)
    passages = outline.passages
    scan = scan or scan_keywords(document, compiled, outline)
    on_contents = scan.contents_pages
    candidates = []
    for (index, concern), spans in sorted(scan.hits.items()):
        passage = passages[index]
        if covered is not None and covered.within(concern, passage.start, passage.end):
            continue  # a finding of this concern quotes this passage
        candidates.append(_candidate(document, outline, passage, concern, spans, document_kind, on_contents))
    return candidates


def _candidate(document: Document, outline: Outline, passage: Passage, concern: str,
               spans: list[tuple[int, int]], document_kind: str | None, on_contents: frozenset[int]) -> Candidate:
    """The candidate of `concern` in `passage`; `spans` are document offsets; `on_contents`: contents pages."""
    section_class, section_title = outline.sections.at(passage.start)
    return Candidate(
        concern=concern, passage=passage, raw=document.text[passage.start:passage.end],
        spans=tuple((s - passage.start, e - passage.start) for s, e in spans),
        section_class=section_class, chapter_class=outline.sections.chapter_at(passage.start),
        section_title=section_title, is_heading=passage.start in outline.heading_offsets,
        document_kind=document_kind, on_contents_page=document.page_of(passage.start) in on_contents,
    )


def _reasons_by_concern(compiled: CompiledRules, document_kind: str | None,
                        findings_only: bool = False) -> dict[str, tuple[SetAsideReason, ...]]:
    """Per concern, in file order, the reasons whose concern and document-kind tests pass (tested once
    here, not for each of a long document's thousands of candidates); none for a concern that is a
    name (`named_in_any_context: true`), whose every mention is a finding."""
    return {
        concern.name: () if concern.named_in_any_context else tuple(
            r for r in compiled.ruleset.set_aside
            if (r.findings or not findings_only) and (not r.concerns or concern.name in r.concerns)
            and (not r.document_kinds or document_kind in r.document_kinds))
        for concern in compiled.ruleset.concerns}


def reason_applies(reason: SetAsideReason, candidate: Candidate) -> bool:
    """Every test the reason names holds for the candidate (see SetAsideReason); cheap tests first."""
    if reason.concerns and candidate.concern not in reason.concerns:
        return False
    if reason.document_kinds and candidate.document_kind not in reason.document_kinds:
        return False
    if reason.sections and candidate.section_class not in reason.sections and candidate.chapter_class not in reason.sections:
        return False
    if reason.heading_alone and not (candidate.is_heading and len(candidate.raw) <= HEADING_ALONE_MAX):
        return False
    if reason.max_chars and len(candidate.raw) > reason.max_chars:
        return False
    if reason.contents_line and not is_contents_line(candidate.raw):
        return False
    if reason.contents_page and not candidate.on_contents_page:
        return False
    if reason.passage and not any(p.search(candidate.raw) for p in reason.passage):
        return False
    if reason.around:
        # The keywords stand only inside what the pattern names ("Mental Health Parity and
        # Addiction Equity Act"): a keyword outside it keeps the passage a candidate.
        covers = [(m.start(), m.end()) for p in reason.around for m in p.finditer(candidate.raw)]
        if not all(any(s <= start and end <= e for s, e in covers) for start, end in candidate.spans):
            return False
    if reason.unless and any(p.search(candidate.raw) for p in reason.unless):
        return False
    return True


def _match_spans(raw: str, offset: int, matches: tuple[str, ...]) -> list[tuple[int, int]]:
    """Document offsets of each text a rule matched, found in its passage `raw` (which starts at
    `offset`); the matcher collapses whitespace, so any run of blanks stands for a space."""
    spans = []
    for text in matches:
        words = text.split()
        if words:
            pattern = re.compile(r"\s+".join(map(re.escape, words)), re.IGNORECASE)
            spans += [(offset + m.start(), offset + m.end()) for m in pattern.finditer(raw)]
    return spans


def decide_findings(document: Document, compiled: CompiledRules, findings: list[Finding],
                    document_kind: str | None = None, outline: Outline | None = None,
                    scan: KeywordScan | None = None) -> tuple[list[Finding], list[SetAside]]:
    """The rules' findings to keep, and those a reason that decides findings too (`findings: true` in
    rules/set_aside.yaml) sets aside: a glossary's definition of "Appeal" is read like the keyword
    "appeal" there, whichever of the two found it. A finding is tested as the candidate of its
    passage, its keyword spans being the concern's keywords and the texts the rule matched there."""
    if not any(r.findings for r in compiled.ruleset.set_aside) or not findings:
        return list(findings), []
    reasons_of = _reasons_by_concern(compiled, document_kind, findings_only=True)
    outline = outline or outline_of(document, compiled.section_classes)
    passages = outline.passages
    starts = [p.start for p in passages]
    scan = scan or scan_keywords(document, compiled, outline)
    hits, on_contents = scan.hits, scan.contents_pages
    kept: list[Finding] = []
    set_aside: list[SetAside] = []
    for finding in findings:
        index = bisect.bisect_right(starts, finding.start) - 1
        reasons = reasons_of[finding.concern]
        if not reasons or index < 0 or finding.start >= passages[index].end:
            kept.append(finding)  # no reason can apply, or not in a passage (a kind reading's row)
            continue
        passage = passages[index]
        raw = document.text[passage.start:passage.end]
        spans = hits.get((index, finding.concern), []) + _match_spans(raw, passage.start, finding.matches)
        if not spans:
            spans = [(finding.start, min(passage.end, finding.start + len(finding.quote)))]
        candidate = _candidate(document, outline, passage, finding.concern, sorted(set(spans)), document_kind, on_contents)
        reason = next((r for r in reasons if reason_applies(r, candidate)), None)
        if reason is None:
            kept.append(finding)
        else:
            set_aside.append(SetAside(finding.concern, finding.page, finding.quote, reason.id, reason.kind,
                                      finding.start, rule=finding.rule))
    return kept, set_aside


def decide(document: Document, compiled: CompiledRules, findings: list[Finding],
           document_kind: str | None = None, outline: Outline | None = None,
           scan: KeywordScan | None = None) -> tuple[list[Finding], list[SetAside]]:
    """The keyword findings to add to `findings`, and the candidates set aside with their reasons.

    A candidate already covered by a finding of its concern in the same passage needs nothing.
    Otherwise the first reason of rules/set_aside.yaml that applies sets it aside; a candidate no
    reason applies to becomes a finding (method "keyword"), quoted from the clause holding it.
    """
    covered = FindingStarts(findings)
    added: list[Finding] = []
    set_aside: list[SetAside] = []
    outline = outline or outline_of(document, compiled.section_classes)
    reasons_of = _reasons_by_concern(compiled, document_kind)
    for candidate in find_candidates(document, compiled, covered, document_kind, outline, scan):
        passage = candidate.passage
        reason = next((r for r in reasons_of[candidate.concern] if reason_applies(r, candidate)), None)
        doc_start, doc_end = (passage.start + offset for offset in candidate.spans[0])
        quote_start, quote_end = quote_span(document, passage, doc_start, doc_end)
        quote = document.text[quote_start:quote_end]
        page = document.page_of(doc_start)
        if reason is not None:
            set_aside.append(SetAside(candidate.concern, page, quote, reason.id, reason.kind, quote_start))
            continue
        collapsed = collapse(candidate.raw, passage.start)
        start, end = collapsed_offset(collapsed, doc_start), collapsed_offset(collapsed, doc_end - 1) + 1
        method = "keyword"
        if document.page_methods and document.page_methods[page - 1] == "ocr":
            method += "+ocr"
        context = compiled.contexts[candidate.concern]
        # A list item is read with its lead-in, as find_findings reads a rule's hit ("We do not cover:").
        polarity = context.polarity(collapsed.text, start, end, list_lead_in(document.text, passage.start),
                                    outline.sections.enclosing_class_at(passage.start))
        ways = [(polarity, (start, end))]
        other = context.other_way(collapsed.text, start, end, polarity)
        if other is not None:
            # "are not covered unless ... medically necessary for a mental health condition": the exception
            # states the concern the other way, as a rule's match does in find_findings.
            ways.append(("negates" if polarity == "affirms" else "affirms", other))
        for way, match in ways:
            if len(ways) > 1:  # each way quotes its own clause
                quote_start, quote_end = clause_quote_span(document, collapsed, context.clause(collapsed.text, *match), match)
            added.append(Finding(
                concern=candidate.concern, rule=f"{candidate.concern}.keyword", page=page,
                quote=document.text[quote_start:quote_end], section=candidate.section_title, polarity=way,
                score=KEYWORD_SCORE, method=method,
                # A negated mention says what a rule's negated match says ("not required"), not "mentioned".
                answer=KEYWORD_ANSWER if way == "affirms" else compiled.ruleset.concern(candidate.concern).negation.answer,
                start=quote_start,
                matches=tuple(dict.fromkeys(" ".join(candidate.raw[s:e].split()) for s, e in candidate.spans)),
            ))
    return added, set_aside
