"""Running every rule's own examples: the sentences it must find, must not find, and known misses."""

from __future__ import annotations

from dataclasses import dataclass

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

    @property
    def passed(self) -> bool:
        # A known miss is recorded, not hidden: it "passes" while the rule still misses it,
        # and is reported as fixed (so it can move to match) when the rule starts finding it.
        return self.fired if self.kind == "match" else not self.fired


def example_document(text: str) -> Document:
    """A one-page document holding an example, built like any extracted PDF page."""
    return assemble_document("<example>", "", [text], ["text"], [])


def rule_fires(rule: Rule, text: str, compiled: CompiledRules) -> bool:
    return any(hit.rule.id == rule.id for hit in find_rule_hits(example_document(text), compiled))


def run_examples(compiled: CompiledRules) -> list[ExampleResult]:
    results = []
    for rule in compiled.ruleset.rules:
        for kind, texts in (("match", rule.examples.match), ("no_match", rule.examples.no_match),
                            ("known_miss", rule.examples.known_miss)):
            for text in texts:
                results.append(ExampleResult(rule.id, kind, text, rule_fires(rule, text, compiled)))
    return results
