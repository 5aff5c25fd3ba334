"""Running every rule's own examples: the sentences it must find, must not find, and known misses."""

from __future__ import annotations

from dataclasses import dataclass

from ketcover.context import kept_polarity, list_lead_in
from ketcover.matcher import CompiledRules, find_rule_hits
from ketcover.model import Document
from ketcover.structure import assemble_document
from ketcover.ruleset import Rule


@dataclass(frozen=True)
class ExampleResult:
    rule: str
    kind: str  # match | no_match | known_miss
    text: str
    fired: bool
    polarity: str = "affirms"  # what a match example must be found as: affirms | negates | both
    found_as: frozenset[str] = frozenset()  # the polarities the rule's hits had

    @property
    def polarity_right(self) -> bool:
        expected = {"affirms", "negates"} if self.polarity == "both" else {self.polarity}
        return expected <= self.found_as

    @property
    def passed(self) -> bool:
        # A known miss is recorded, not hidden: it "passes" while the rule still misses it,
        # and is reported as fixed (so it can move to match) when the rule starts finding it.
        return self.fired and self.polarity_right if self.kind == "match" else not self.fired


def example_document(text: str, method: str = "text") -> Document:
    """A one-page document holding an example, built like any extracted PDF page (method "ocr":
    like a scanned page read by OCR, where fuzzy rules apply)."""
    return assemble_document("<example>", "", [text], [method], [])


def rule_polarities(rule: Rule, text: str, compiled: CompiledRules) -> frozenset[str]:
    """The polarities of the rule's hits in the text (empty: the rule did not fire)."""
    context = compiled.contexts[rule.concern]
    # A fuzzy rule's examples are OCR'd text: it applies to scanned pages only.
    document = example_document(text, "ocr" if rule.kind == "fuzzy" else "text")
    # Read as find_findings reads it: a list item with its lead-in ("We do not cover:"), and a mere
    # mention ("preauthorization requests") adds no polarity its passage states the other way.
    own: dict[int, set[str]] = {}
    stated: dict[int, set[str]] = {}
    for hit in find_rule_hits(document, compiled):
        if hit.rule.concern != rule.concern:
            continue
        ways = context.polarities(hit.collapsed.text, hit.start, hit.end, list_lead_in(document.text, hit.passage.start))
        if not context.is_mention(hit.collapsed.text, hit.start, hit.end):
            stated.setdefault(hit.passage.start, set()).update(ways)
        if hit.rule.id == rule.id:
            own.setdefault(hit.passage.start, set()).update(ways)
    return frozenset(polarity for passage, ways in own.items() for polarity in ways
                     if kept_polarity(polarity, stated.get(passage, set())))


def rule_fires(rule: Rule, text: str, compiled: CompiledRules) -> bool:
    return bool(rule_polarities(rule, text, compiled))


def run_examples(compiled: CompiledRules) -> list[ExampleResult]:
    results = []
    for rule in compiled.ruleset.rules:
        for index, text in enumerate(rule.examples.match):
            found_as = rule_polarities(rule, text, compiled)
            results.append(ExampleResult(rule.id, "match", text, bool(found_as), rule.examples.polarity_of(index), found_as))
        for kind, texts in (("no_match", rule.examples.no_match), ("known_miss", rule.examples.known_miss)):
            for text in texts:
                results.append(ExampleResult(rule.id, kind, text, rule_fires(rule, text, compiled)))
    return results
