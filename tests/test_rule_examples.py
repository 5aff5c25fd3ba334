"""Every rule's own examples, run as one parametrized table, plus meta-tests that keep it complete."""

from __future__ import annotations

import pytest

from ketcover import CONCERNS
from ketcover.context import list_lead_in
from ketcover.examples import example_document, rule_fires, rule_polarities
from ketcover.matcher import find_rule_hits
from ketcover.ruleset import load_ruleset

RULESET = load_ruleset()
CASES = [
    pytest.param(rule.id, kind, text, rule.examples.polarity_of(i) if kind == "match" else None,
                 id=f"{rule.id}-{kind}-{i}")
    for rule in RULESET.rules
    for kind, texts in (("match", rule.examples.match), ("no_match", rule.examples.no_match),
                        ("known_miss", rule.examples.known_miss))
    for i, text in enumerate(texts)
]


@pytest.mark.parametrize("rule_id,kind,text,polarity", CASES)
def test_rule_example(rule_id, kind, text, polarity, compiled_rules):
    rule = compiled_rules.rules[rule_id]
    if kind == "match":
        found_as = rule_polarities(rule, text, compiled_rules)
        assert found_as, f"{rule_id} missed its own example: {text!r}"
        expected = {"affirms", "negates"} if polarity == "both" else {polarity}
        assert expected <= found_as, f"{rule_id} found {text!r} as {sorted(found_as)}, not {polarity}"
        return
    fired = rule_fires(rule, text, compiled_rules)
    if kind == "no_match":
        assert not fired, f"{rule_id} fired on its counter-example: {text!r}"
    else:
        # A known miss is recorded, not hidden; when the rule starts finding it, move it to match.
        assert not fired, f"{rule_id} now finds its known miss {text!r}: move it to 'match'"


def test_every_rule_has_examples_both_ways():
    for rule in RULESET.rules:
        assert rule.examples.match, f"{rule.id} has no 'match' example"
        assert rule.examples.no_match, f"{rule.id} has no 'no_match' example"


def _negating_triggers(concern, compiled) -> set[str]:
    """The triggers that negate at least one of the concern's own negating examples."""
    context = compiled.contexts[concern.name]
    found: set[str] = set()
    for rule in concern.rules:
        for index, text in enumerate(rule.examples.match):
            if rule.examples.polarity_of(index) == "affirms":
                continue
            document = example_document(text)
            for hit in find_rule_hits(document, compiled):
                if hit.rule.id == rule.id:
                    lead_in = list_lead_in(document.text, hit.passage.start)
                    found.update(context.triggers_for(hit.collapsed.text, hit.start, hit.end, lead_in))
    return found


@pytest.mark.parametrize("concern", [c.name for c in RULESET.concerns if c.negation.triggers])
def test_every_negation_trigger_has_a_negating_example(concern, compiled_rules):
    concern = RULESET.concern(concern)
    untested = {t.phrase for t in concern.negation.triggers} - _negating_triggers(concern, compiled_rules)
    assert not untested, f"{concern.file}: no match example with polarity negates is negated by {sorted(untested)}"


@pytest.mark.parametrize("concern", [c.name for c in RULESET.concerns if c.negation.penalties])
def test_every_penalty_has_an_affirming_example(concern):
    # A `penalties` phrase masks a trigger before it ("without prior authorization, ... the full cost"): each
    # phrase is shown in an affirming match example, which test_rule_example reads as affirming.
    concern = RULESET.concern(concern)
    texts = [" ".join(text.lower().split()) for rule in concern.rules for index, text in enumerate(rule.examples.match)
             if rule.examples.polarity_of(index) == "affirms"]
    untested = {p.phrase for p in concern.negation.penalties if not any(p.phrase in text for text in texts)}
    assert not untested, f"{concern.file}: no affirming match example holds the penalties {sorted(untested)}"


def test_concerns_with_a_polarity_have_a_negation_block():
    # ../shared/DOMAIN.md defines polarity for these four; each must be able to say "negates".
    for name in ("mental_health_coverage", "experimental_exclusion", "prior_authorization", "step_therapy"):
        negation = RULESET.concern(name).negation
        assert negation.triggers and negation.terminators and negation.pseudo, name


def test_every_concern_has_a_rule_file_with_explanations():
    assert [c.name for c in RULESET.concerns] == list(CONCERNS)
    for concern in RULESET.concerns:
        assert concern.title and concern.description and concern.why, concern.name
        assert concern.rules, concern.name


def test_rule_ids_are_dotted_concern_first_and_unique():
    ids = [rule.id for rule in RULESET.rules]
    assert len(ids) == len(set(ids))
    for rule in RULESET.rules:
        assert rule.id.startswith(rule.concern + "."), rule.id


def test_negated_prior_authorization_is_a_negating_finding(compiled_rules):
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    affirm = find_findings(example_document("Prior authorization is required for inpatient stays."), compiled_rules)
    negate = find_findings(example_document("No prior authorization is required for outpatient office visits."), compiled_rules)
    assert [f.polarity for f in affirm if f.concern == "prior_authorization"] == ["affirms"]
    assert [f.polarity for f in negate if f.concern == "prior_authorization"] == ["negates"]
    after = find_findings(example_document("Preauthorization is not required for an office visit."), compiled_rules)
    assert [f.polarity for f in after if f.concern == "prior_authorization"] == ["negates"]
    # "If you don't get preauthorization, benefits are reduced" states a requirement, not its absence.
    penalty = find_findings(example_document("If you don't get preauthorization, benefits could be reduced by 50%."), compiled_rules)
    assert [f.polarity for f in penalty if f.concern == "prior_authorization"] == ["affirms"]
    unapproved = find_findings(example_document("If you don't get approval, we may not cover the drug."), compiled_rules)
    assert [f.polarity for f in unapproved if f.concern == "prior_authorization"] == ["affirms"]
    # Unseen payer wording: the negation six words after the term, and "not necessary to" before it.
    for text in ("Preauthorization for outpatient mental health services is not required in most cases.",
                 "It is not necessary to precertify hospital admissions outside the United States."):
        found = find_findings(example_document(text), compiled_rules)
        assert [f.polarity for f in found if f.concern == "prior_authorization"] == ["negates"], text


def test_exclusion_list_item_is_an_exclusion_without_saying_not_covered(compiled_rules):
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    text = "GENERAL EXCLUSIONS\nThe plan does not pay for the following:\n• Cosmetic surgery\n• Investigational devices"
    findings = [f for f in find_findings(example_document(text), compiled_rules) if f.concern == "experimental_exclusion"]
    assert findings and findings[0].rule == "experimental_exclusion.listed"
    covered = "COVERED SERVICES\nWe cover the following:\n• Investigational devices used in an approved clinical trial"
    assert not [f for f in find_findings(example_document(covered), compiled_rules)
                if f.rule == "experimental_exclusion.listed"]


def test_an_exclusions_chapter_runs_on_past_its_category_headings(compiled_rules):
    # Princeton SPD (corpus) p.40-44: "What's Not Covered", then category sub-headings, the mental-health
    # one with an autism item two pages on. A table's "Not covered" row label opens no such chapter.
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    def excluded(text):
        return [f for f in find_findings(example_document(text), compiled_rules)
                if f.rule == "mental_health_coverage.excluded_conditions"]

    item = "• Any treatments or other specialized services designed for Autism Spectrum Disorder that are not backed by credible research."
    chapter = f"What’s Not Covered\nThe Plan does not pay Benefits for the following.\n\nFoot Care\n• Treatment for flat feet.\n\nMental Health\n{item}"
    assert excluded(chapter)
    row_label = f"Not covered\nYou pay nothing for preventive care.\n\nMental Health\n{item}"
    assert not excluded(row_label)
    # An item of the chapter is a service the plan does not cover, though the item never says so
    # (negation.negated_in_sections); where the passage says the exclusion does not apply, it is covered.
    assert {f.polarity for f in excluded(chapter)} == {"negates"}
    kept = chapter + "\nThis exclusion does not apply to the Medically Necessary treatment of pervasive developmental disorder or autism."
    assert {f.polarity for f in excluded(kept)} == {"affirms", "negates"}


def test_fuzzy_rules_read_scanned_pages_only(compiled_rules):
    from ketcover.matcher import find_findings

    garbled = "Prior authorizatlon is required for infusion therapy."
    assert not [h for h in find_rule_hits(example_document(garbled), compiled_rules) if h.method == "fuzzy"]
    assert [h for h in find_rule_hits(example_document(garbled, "ocr"), compiled_rules) if h.method == "fuzzy"]
    law = "This notice is required by the Children's Health Insurance Program Reauthorization Act of 2009."
    assert not [f for f in find_findings(example_document(law), compiled_rules) if f.concern == "prior_authorization"]


@pytest.mark.parametrize("concern", [c.name for c in RULESET.concerns if c.carried_lead_ins])
def test_carried_lead_in_forms_match_their_examples_and_no_process_lead_in(concern):
    """`carried_lead_ins:` (matcher.carried_from_lead_ins): each form matches its examples, lead-ins that state
    the requirement for the items; none matches a `not:` lead-in ("Requests must include:"), whose items
    are what a request holds."""
    rules = RULESET.concern(concern)
    _assert_forms_match_examples_and_no_counterexample(
        rules.carried_lead_ins, rules.carried_lead_in_examples, rules.carried_lead_in_counterexamples)


@pytest.mark.parametrize("concern", [c.name for c in RULESET.concerns if c.context_statements])
def test_carried_from_context_forms_match_their_examples_and_no_sentence_of_its_own(concern):
    """`carried_from_context:` (anaphora.carried_from_context): each form matches its examples, sentences that state
    the concern's answer by an anaphor or bare; none matches a `not:` sentence, which has a subject of its own or
    states nothing of the concern."""
    rules = RULESET.concern(concern)
    _assert_forms_match_examples_and_no_counterexample(
        rules.context_statements, rules.context_statement_examples, rules.context_statement_counterexamples)


def _assert_forms_match_examples_and_no_counterexample(patterns, form_examples, counterexamples):
    """Each form (a compiled pattern, beside its source and examples) matches every one of its examples, and no
    form matches a counterexample; both lists must be given."""
    assert form_examples and counterexamples
    assert len(patterns) == len(form_examples)
    for pattern, (form, examples) in zip(patterns, form_examples):
        assert examples, form
        for example in examples:
            assert pattern.search(example), (form, example)
    for text in counterexamples:
        assert not any(pattern.search(text) for pattern in patterns), text


@pytest.mark.parametrize("concern", [c.name for c in RULESET.concerns if c.negation.affirming])
def test_every_affirming_predicate_has_an_affirming_example(concern):
    # polar12: an `affirming` predicate between a trigger and a match ends the trigger's scope ("... are covered in
    # full, and the cost of transportation is not covered"): each is shown in an affirming match example that also
    # holds a negation, which test_rule_example reads as affirming.
    concern = RULESET.concern(concern)
    texts = [" " + " ".join(text.lower().replace(",", " ,").split()) + " " for rule in concern.rules
             for index, text in enumerate(rule.examples.match) if rule.examples.polarity_of(index) == "affirms"]
    untested = {p for p in concern.negation.affirming
                if not any(f" {p} " in text and (" not " in text or "n't " in text) for text in texts)}
    assert not untested, f"{concern.file}: no affirming match example with a negation holds the affirming {sorted(untested)}"
