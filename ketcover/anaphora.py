"""A sentence that states a concern's answer without naming it takes the concern of the passage right before it."""

from __future__ import annotations

import bisect
from dataclasses import replace

from ketcover.citations import clause_quote_span, collapse, quote_span
from ketcover.model import Document, Finding, FindingStarts
from ketcover.structure import Passage


def carried_from_context(document: Document, findings: list[Finding], passages: list[Passage],
                         compiled) -> list[Finding]:
    """Why: documents name a concern once and then state its answer with a pronoun or bare: "Many other services do
    not need a prior authorization. / You do not need one to see your PCP.", "Psychotropic drugs ... / TRICARE covers
    them when ...", a row label "Outpatient mental health" over "$30 copay after deductible". Neither sentence
    alone is found: the first names the concern, the second holds the statement. A passage that holds no finding of a
    concern, matches one of the concern's `carried_from_context:` forms (an anaphor with the concern's predicate, or
    a bare benefit statement) and follows AT ONCE a passage that holds a finding of the concern (only blanks between,
    no blank line: the immediate context, a heading or row label, a list's lead-in or the sentence before) gets
    that finding, quoting the passage itself (verbatim, on its page), with the polarity its own words give (the
    concern's negation block read on the form's match: "You do not need one" negates, "TRICARE covers them" affirms;
    an `extending:` form, "This includes ...", restates the context's polarity, turned by a negation of its own).
    Only find_findings' own (rules' and lead-ins') findings are context: no chain runs from one carried sentence to
    the next."""
    forms = {c.name: c.context_statements for c in compiled.ruleset.concerns if c.context_statements}
    extending = {c.name: c.context_extending for c in compiled.ruleset.concerns}
    if not forms or not findings:
        return []
    starts = [p.start for p in passages]
    text = document.text
    covered = FindingStarts(findings)
    # The passage each finding of such a concern lies in: the passage after it is the one it may reach.
    followers: dict[int, list[Finding]] = {}
    for finding in findings:
        if finding.concern in forms:
            index = bisect.bisect_right(starts, finding.start) - 1
            if 0 <= index < len(passages) - 1 and finding.start < passages[index].end:
                followers.setdefault(index + 1, []).append(finding)
    carried: list[Finding] = []
    for index, leading in sorted(followers.items()):
        passage, before = passages[index], passages[index - 1]
        gap = text[before.end:passage.start]
        if gap.strip() or gap.count("\n") > 1 or document.page_of(before.end - 1) != document.page_of(passage.start):
            continue  # not the immediate context: a blank line, a page break or text the outline left out between
        collapsed = None
        for concern in dict.fromkeys(f.concern for f in leading):
            if covered.within(concern, passage.start, passage.end):
                continue  # the passage states the concern itself
            if collapsed is None:
                collapsed = collapse(text[passage.start:passage.end], passage.start)
            form, match = next(((form, m) for form, m in ((f, f.search(collapsed.text)) for f in forms[concern]) if m),
                               (None, None))
            if match is None:
                continue
            finding = next(f for f in leading if f.concern == concern)
            context, span = compiled.contexts[concern], (match.start(), match.end())
            polarity = context.polarity(collapsed.text, *span)
            if form in extending[concern]:
                # "Mental health services for relational problems are not covered. This includes counseling for
                # couples.": an extension restates the statement before it, whose polarity its own negation turns.
                polarity = finding.polarity if polarity == "affirms" else ("affirms" if finding.polarity == "negates"
                                                                           else "negates")
            ways = [(polarity, span)]
            other = context.other_way(collapsed.text, *span, polarity)
            if other is not None:  # "It is covered, except in a residential setting.": each way quotes its clause
                ways.append(("negates" if polarity == "affirms" else "affirms", other))
            for way, way_span in ways:
                if len(ways) > 1:
                    quote_start, quote_end = clause_quote_span(document, collapsed,
                                                               context.clause(collapsed.text, *way_span), way_span)
                else:
                    quote_start, quote_end = quote_span(document, passage, passage.start, passage.end)
                answer = (compiled.rules[finding.rule].answer if way == "affirms"
                          else compiled.ruleset.concern(concern).negation.answer)
                carried.append(replace(finding, page=document.page_of(quote_start), quote=text[quote_start:quote_end],
                                       start=quote_start, polarity=way, answer=answer,
                                       matches=(" ".join(match.group(0).split()),)))
    return carried
