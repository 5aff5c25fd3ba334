"""Polarity as a tested rule semantic: the probe table, the rules' own polarity examples, and the
sentence bank's polarity labels per split.

Run `python tests/test_polarity.py` for the probe table's accuracy and every wrong answer.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PROBES = yaml.safe_load((ROOT / "tests" / "data" / "polarity_probes.yaml").read_text(encoding="utf-8"))["probes"]
LEAST_PROBE_ACCURACY = 0.97
EXPECTED = {"affirms": {"affirms"}, "negates": {"negates"}, "both": {"affirms", "negates"}}


def polarities(text: str, compiled) -> dict[str, set[str]]:
    """Per concern, the polarities of the rules' findings in a one-page document holding `text`."""
    from ketcover.bank import polarities_found

    return polarities_found(text, compiled, candidates=False)


def score_probes(compiled) -> tuple[int, list[str]]:
    """(right answers, descriptions of the wrong ones) over every (probe, concern) pair."""
    right, wrong = 0, []
    for probe in PROBES:
        found = polarities(probe["text"], compiled)
        for concern, expected in probe["expect"].items():
            got = found.get(concern, set())
            if got == EXPECTED[expected]:
                right += 1
            else:
                wrong.append(f"{concern}: expected {expected}, got {sorted(got) or 'nothing'}: {probe['text']!r}")
    return right, wrong


def test_probe_table_is_large_and_labeled():
    assert len(PROBES) >= 60
    for probe in PROBES:
        assert probe["expect"] and set(probe["expect"].values()) <= set(EXPECTED), probe


def test_probe_polarity_is_right_on_97_percent(compiled_rules):
    right, wrong = score_probes(compiled_rules)
    total = right + len(wrong)
    assert right / total >= LEAST_PROBE_ACCURACY, f"{right}/{total} right; wrong:\n" + "\n".join(wrong)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from ketcover.analyze import compile_rules

    right, wrong = score_probes(compile_rules())
    print(f"probe polarity: {right}/{right + len(wrong)} right ({right / (right + len(wrong)):.1%})")
    for line in wrong:
        print("WRONG", line)


def test_summary_tells_the_exception_with_the_negation(compiled_rules):
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings
    from ketcover.summary import summarize

    text = "Prior authorization is not required, except for Spravato, which requires prior authorization."
    document = example_document(text)
    findings = [f for f in find_findings(document, compiled_rules) if f.concern == "prior_authorization"]
    # One finding each way, each quoting its own clause verbatim.
    assert sorted((f.polarity, f.quote) for f in findings) == [
        ("affirms", "except for Spravato, which requires prior authorization."),
        ("negates", "Prior authorization is not required,"),
    ]
    summary = next(s for s in summarize(document, findings) if s.concern == "prior_authorization")
    assert summary.status == "found"
    assert summary.answer == "not required, except for Spravato, which requires prior authorization (p. 1)"
    negated = example_document("Mental health services are not covered under this plan.")
    summary = next(s for s in summarize(negated, find_findings(negated, compiled_rules))
                   if s.concern == "mental_health_coverage")
    assert (summary.status, summary.answer) == ("negated", "not covered or excluded (p. 1)")


def test_summary_tells_no_exception_when_the_negation_ends_its_sentence(compiled_rules):
    """The sentence after a negating one is no exception to it, however close it starts (the sample
    EOC's clinical-trial section printed its definition as an exception to "We cover routine costs")."""
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings
    from ketcover.summary import summarize

    text = ("Prior authorization is not required for office visits. "
            "Spravato requires prior authorization before the first dose.")
    document = example_document(text)
    findings = [f for f in find_findings(document, compiled_rules) if f.concern == "prior_authorization"]
    assert sorted(f.polarity for f in findings) == ["affirms", "negates"]
    summary = next(s for s in summarize(document, findings) if s.concern == "prior_authorization")
    assert "Spravato" not in summary.answer
    assert summary.answer.endswith("not required (p. 1)")


def test_examples_both_ways_give_a_finding_each_way(compiled_rules):
    """find_findings keeps a negating and an affirming finding of one passage (not the first only)."""
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    both = [(rule.concern, text) for rule in compiled_rules.ruleset.rules
            for i, text in enumerate(rule.examples.match) if rule.examples.polarity_of(i) == "both"]
    assert len(both) >= 4
    for concern, text in both:
        found = {f.polarity for f in find_findings(example_document(text), compiled_rules) if f.concern == concern}
        assert found == {"affirms", "negates"}, text


# A list's lead-in carries its negation to the items under it (ketcover.context.list_lead_in).
LISTS = [
    # (page text, concern, polarity of the item's finding)
    ("The following services are not covered:\n• Marriage counseling and other mental health services for couples\n",
     "mental_health_coverage", {"negates"}),
    ("We do not cover:\n• Educational testing\n• Inpatient psychiatric care at a residential facility\n",
     "mental_health_coverage", {"negates"}),
    ("We cover the following services:\n• Outpatient psychotherapy\n• Inpatient psychiatric care\n",
     "mental_health_coverage", {"affirms"}),
    # An item's own "except" ends the lead-in's reach: hypnotherapy is excluded, the care after "except" is not.
    ("We do not cover:\n• Hypnotherapy, except when part of inpatient psychiatric care\n",
     "mental_health_coverage", {"negates", "affirms"}),
    # A colon with text of its own after it, or a first line that is no item, leads no list in.
    ("Note: we do not cover hearing aids.\n• Inpatient psychiatric care\n", "mental_health_coverage", {"affirms"}),
    ("We do not cover:\nhearing aids. Other services are listed below.\n• Inpatient psychiatric care\n",
     "mental_health_coverage", {"affirms"}),
    # A table row before a short lead-in: "Waived" does not reach past "Notes".
    ("Covered in full. $0, Deductible Waived\nNotes:\n• Some drugs need prior authorization.\n",
     "prior_authorization", {"affirms"}),
    # The list ended: a sentence that is no item stands between the lead-in and the bullet.
    ("We do not cover:\n• Hearing aids.\nThe plan pays for the services below.\n• Inpatient psychiatric care\n",
     "mental_health_coverage", {"affirms"}),
    ("The following drugs do not require prior authorization:\n• Generic antidepressants\n• Esketamine in a certified center after prior authorization\n",
     "prior_authorization", {"negates"}),
    # A trigger that ends with the lead-in's colon ("Exclusions:") reaches every word of a long item, not
    # only its first eight.
    ("Exclusions:\n• Charges for treatment of mental disorders, mental illness or substance abuse.\n• Custodial care.\n",
     "mental_health_coverage", {"negates"}),
    # In one passage: items after the colon, separated by ";".
    ("The following are not covered: acupuncture; hypnosis; mental health care for couples.",
     "mental_health_coverage", {"negates"}),
]


@pytest.mark.parametrize("text,concern,expected", LISTS)
def test_a_lead_in_negates_the_items_of_its_list_only(text, concern, expected, compiled_rules):
    assert polarities(text, compiled_rules).get(concern) == expected, text


# A lead-in that states the requirement FOR its items (the concern's `carried_lead_ins:` forms) carries
# its affirming finding to each item that names no prior authorization (matcher.carried_from_lead_ins),
# quoting the item; a lead-in of the process ("requests must include:") does not, nor does an affirming
# lead-in whose list is an exception ("required for all services except:" carries the negation).
CARRIED_LEAD_INS = [
    # (page text, the quotes of the items' prior_authorization findings, their polarity)
    ("The following services require prior authorization:\n• Behavioral health services\n• Home health care\n",
     ["• Behavioral health services", "• Home health care"], "affirms"),
    ("You may need a prior authorization for:\n• Behavioral health services (e.g., ADHD evaluations, depression/anxiety care),\n",
     ["• Behavioral health services (e.g., ADHD evaluations, depression/anxiety care),"], "affirms"),
    ("Precertification is required for:\n• Inpatient admissions\n• Residential treatment\n",
     ["• Inpatient admissions", "• Residential treatment"], "affirms"),
    # A numbered list whose PDF text splits "10." from its item: the item is quoted, the bare number is not.
    ("The following services will require Pre-Certification (or reimbursement from the Plan may be reduced):\n"
     "1. Chemotherapy.\n2. Dialysis.\n10. Home Infusion Therapy.\n",
     ["Chemotherapy.", "Dialysis.", "Home Infusion Therapy."], "affirms"),
    ("Prior authorization requests must include:\n• Member name\n• Date of birth\n", [], None),
    ("To request prior authorization, send:\n• The member's ID number\n• Clinical notes\n", [], None),
    ("Documentation required for prior authorization:\n• Clinical notes\n• Treatment plan\n", [], None),
    ("Prior authorization is required for all services except:\n• Emergency care\n• Office visits\n",
     ["• Emergency care", "• Office visits"], "negates"),
    # criteria12: a PA criteria block's lead-in states the approval its criteria are for (DOMAIN.md: criteria lists);
    # a step therapy program's criteria and a medical policy's coverage criteria state no approval to carry.
    ("PRIOR AUTHORIZATION CRITERIA:\n• Patient must have a therapeutic failure to no less than a 30-day trial on at least "
     "two medications that are preferred.\n",
     ["• Patient must have a therapeutic failure to no less than a 30-day trial on at least two medications that are preferred."],
     "affirms"),
    ("The requested medication may be approved if the following is true:\n• There has been one episode of angioedema "
     "during use of a preferred medication\n",
     ["• There has been one episode of angioedema during use of a preferred medication"], "affirms"),
    ("LENGTH OF AUTHORIZATIONS: Approval based upon diagnosis:\n• Myeloid Engraftment for bone marrow transplant 30 days\n",
     ["• Myeloid Engraftment for bone marrow transplant 30 days"], "affirms"),
    ("STEP THERAPY APPROVAL CRITERIA:\n• Patient has tried two preferred agents\n", [], None),
    ("Coverage criteria:\n• Diagnosis of major depressive disorder\n", [], None),
]


@pytest.mark.parametrize("text,quotes,polarity", CARRIED_LEAD_INS)
def test_a_lead_in_that_states_the_requirement_carries_it_to_its_items(text, quotes, polarity, compiled_rules):
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    lead_in_end = text.index(":\n") + 1
    items = [f for f in find_findings(example_document(text), compiled_rules)
             if f.concern == "prior_authorization" and f.start > lead_in_end]
    assert [f.quote for f in items] == quotes, text
    assert all(f.polarity == polarity and f.page == 1 and text[f.start:f.start + len(f.quote)] == f.quote for f in items)


# context15: a sentence that states the concern's answer by an anaphor or bare (the concern's `carried_from_context:`
# forms) takes the concern of the passage right before it, with the polarity of its own words
# (anaphora.carried_from_context), quoting itself; not past a blank line, and not a sentence with a subject of its own.
CONTEXT_STATEMENTS = [
    # (page text, concern, the (polarity, quote) of the concern's findings after the first passage)
    ("Many other services do not need a prior authorization.\nYou do not need one to see your PCP or in-plan specialists.",
     "prior_authorization", [("negates", "You do not need one to see your PCP or in-plan specialists.")]),
    ("Prior authorization is required for inpatient stays. It is not required for emergency care.",
     "prior_authorization", [("negates", "It is not required for emergency care.")]),
    ("Outpatient mental health\n$30 copay after deductible", "mental_health_coverage", []),  # one passage: a row
    ("Unlike some private plans that cap mental health visits at 20 or 30 per year, TRICARE covers as many sessions as "
     "are medically necessary. This applies to individual, family, and group therapy.",
     "mental_health_coverage", [("affirms", "This applies to individual, family, and group therapy.")]),
    ("Mental health services are covered.\nIt is not covered in a residential setting.",
     "mental_health_coverage", [("negates", "It is not covered in a residential setting.")]),
    ("Behavioral health services are covered at 80%.\nThese services are covered when provided by a network provider.",
     "mental_health_coverage", [("affirms", "These services are covered when provided by a network provider.")]),
    # An extension restates the statement before it: its polarity, turned by a negation of its own.
    ("Not Covered:\nMental health services for relational problems are not covered. This includes counseling for couples.",
     "mental_health_coverage", [("negates", "This includes counseling for couples.")]),
    ("Prior authorization is required for inpatient stays. This does not apply to emergency admissions.",
     "prior_authorization", [("negates", "This does not apply to emergency admissions.")]),
    ("Prior authorization is required for inpatient stays. This requirement also applies to residential treatment.",
     "prior_authorization", [("affirms", "This requirement also applies to residential treatment.")]),
    # Not the immediate context: a blank line between.
    ("Mental health services are covered.\n\nIt is not covered.", "mental_health_coverage", []),
    # A subject of its own: the sentence is about something else.
    ("Mental health services are covered. Dental care is not covered.", "mental_health_coverage", []),
    ("Many other services do not need a prior authorization.\nMembers must show their ID card.", "prior_authorization", []),
]


@pytest.mark.parametrize("text,concern,expected", CONTEXT_STATEMENTS)
def test_a_sentence_without_the_concern_takes_it_from_the_passage_before(text, concern, expected, compiled_rules):
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    findings = [f for f in find_findings(example_document(text), compiled_rules) if f.concern == concern]
    first = min(f.start for f in findings)
    after = [(f.polarity, f.quote) for f in findings if f.start > first]
    assert after == expected, text
    assert all(text[f.start:f.start + len(f.quote)] == f.quote and f.page == 1 for f in findings)


# An item that carves its own exception out of its lead-in's rule states the concern both ways, as the same
# words in one sentence do ("Prior authorization is required for hospital admissions, except in an emergency."):
# the lead-in's polarity quoting the item, the other one quoting the item's exception (Context.item_other_way).
CARRIED_EXCEPTIONS = [
    ("You Usually Need a Referral and Prior Approval To:\n• Be admitted to the hospital, except in an emergency.\n",
     [("affirms", "• Be admitted to the hospital, except in an emergency."), ("negates", "except in an emergency.")]),
    ("The following services require prior authorization:\n• Inpatient admissions, with the exception of "
     "emergency admissions\n• Home health care\n",
     [("affirms", "• Inpatient admissions, with the exception of emergency admissions"),
      ("negates", "with the exception of emergency admissions"), ("affirms", "• Home health care")]),
    ("Prior authorization is required for all services except:\n• Emergency care\n", [("negates", "• Emergency care")]),
    ("You Usually Need a Referral and Prior Approval To:\n• Be admitted to the hospital.\n",
     [("affirms", "• Be admitted to the hospital.")]),
]


@pytest.mark.parametrize("text,expected", CARRIED_EXCEPTIONS)
def test_a_carried_item_with_its_own_exception_states_both_ways(text, expected, compiled_rules):
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    lead_in_end = text.index(":\n") + 1
    items = [f for f in find_findings(example_document(text), compiled_rules)
             if f.concern == "prior_authorization" and f.start > lead_in_end]
    assert [(f.polarity, f.quote) for f in items] == expected, text
    assert all(text[f.start:f.start + len(f.quote)] == f.quote and f.page == 1 for f in items)


# The same for an item only the concern's keywords find (a keyword candidate decided as a finding).
KEYWORD_LISTS = [
    ("The plan does not cover:\n• Psychoactive substance abuse, without dependence.\n• Custodial care.\n",
     "mental_health_coverage", {"negates"}),
    ("The plan covers:\n• Psychoactive substance abuse, without dependence.\n• Custodial care.\n",
     "mental_health_coverage", {"affirms"}),
]


@pytest.mark.parametrize("text,concern,expected", KEYWORD_LISTS)
def test_a_lead_in_negates_a_keyword_found_item(text, concern, expected, compiled_rules):
    from ketcover.bank import polarities_found

    assert polarities(text, compiled_rules).get(concern) is None  # no rule finds it: the keyword does
    assert polarities_found(text, compiled_rules).get(concern) == expected, text


def test_list_lead_in_is_the_sentence_that_ends_with_the_colon():
    from ketcover.context import list_lead_in

    text = "Surgery such as:\n• Operative procedures\n• Colonoscopy, with or without biopsy\nNote:\n• Bariatric surgery\n"
    assert list_lead_in(text, text.index("• Bariatric")) == "Note:"
    assert list_lead_in("We do not cover: acupuncture", 17) == ""  # not a list item


# An exception after a match names where it does not hold (negation `exceptions:`): one match, both ways.
EXCEPTIONS = [
    # (text, concern, polarities, quote of the exception's finding or None)
    ("Out-of-network providers must request prior authorization for all services except emergency care.",
     "prior_authorization", {"affirms", "negates"}, "except emergency care."),
    # A negated requirement with an exception: not required, and required for the exception.
    ("Precertification is not needed for outpatient visits, except for psychological testing.",
     "prior_authorization", {"affirms", "negates"}, "except for psychological testing."),
    # "except as ..." names no case; "unless" states a condition of the requirement.
    ("Prior authorization is required except as described in this section.", "prior_authorization", {"affirms"}, None),
    ("Brand-name drugs will require a prior authorization unless a generic drug has been tried first.",
     "prior_authorization", {"affirms"}, None),
    # A terminator between the match and the exception ends the match's scope.
    ("Prior authorization is required for inpatient stays. Office visits are covered, except acupuncture.",
     "prior_authorization", {"affirms"}, None),
    # Out of scope: the exception stands too far after the match.
    ("Prior authorization is required for the drugs on the list that this plan covers for members of all ages and "
     "in all settings except the hospital.", "prior_authorization", {"affirms"}, None),
    ("The plan covers behavioral health services, but excludes residential wilderness programs.",
     "mental_health_coverage", {"affirms", "negates"}, "but excludes residential wilderness programs."),
    # polar7: "excludes" after a coverage statement without "but" (two payers' TMS policies, train); a
    # terminator before it leaves the statement one way.
    ("Coverage is limited to 36 sessions under direct supervision by a psychiatrist trained in TMS, generally "
     "excludes patients under 18.", "mental_health_coverage", {"affirms", "negates"}, "excludes patients under 18."),
    ("Outpatient mental health services are covered in full; the dental plan excludes orthodontics.",
     "mental_health_coverage", {"affirms"}, None),
]


def _phrases_no_both_example_opens(compiled_rules, concern, phrases, clause_of) -> set[str]:
    """Those of `phrases` that open no clause `clause_of(context, hit)` finds in a "both" match example
    of the concern's rules (a phrase is tested only by an example it splits both ways)."""
    from ketcover.context import tokenize
    from ketcover.examples import example_document
    from ketcover.matcher import find_rule_hits

    def words(text: str) -> str:
        return " ".join(t for t, _s, _e in tokenize(text))

    context = compiled_rules.contexts[concern.name]
    untested = set(phrases)
    for rule in concern.rules:
        for index, text in enumerate(rule.examples.match):
            if rule.examples.polarity_of(index) != "both":
                continue
            for hit in find_rule_hits(example_document(text), compiled_rules):
                span = clause_of(context, hit) if hit.rule.id == rule.id else None
                if span:
                    opening = words(hit.collapsed.text[span[0]:span[1]])
                    untested -= {p for p in untested if opening.startswith(words(p))}
    return untested


def _exception_clause(context, hit):
    return context.exception_clause(hit.collapsed.text, hit.start, hit.end)


def _condition_clause(context, hit):
    if _exception_clause(context, hit):
        return None  # an exception splits this hit, not a condition
    polarity = context.polarity(hit.collapsed.text, hit.start, hit.end)
    return context.other_way(hit.collapsed.text, hit.start, hit.end, polarity)


def test_every_exception_phrase_has_an_example_it_states_both_ways(compiled_rules):
    """Each `exceptions:` phrase of a negation block makes at least one of its concern's "both" rule examples both."""
    for concern in compiled_rules.ruleset.concerns:
        phrases = [e.phrase for e in concern.negation.exceptions]
        untested = _phrases_no_both_example_opens(compiled_rules, concern, phrases, _exception_clause)
        assert not untested, f"{concern.file}: no 'both' example is stated both ways by the exception(s) {sorted(untested)}"


# A condition after a NEGATED match ties the negation to a case (negation `conditional:`): not required
# in that case, required otherwise; after an affirmed match it is part of the requirement.
CONDITIONS = [
    # (text, concern, polarities, quote of the condition's finding or None)
    ("Prior authorization is not required if the member is 65 or older.",
     "prior_authorization", {"affirms", "negates"}, "if the member is 65 or older."),
    ("Standard Option members are not required to obtain prior approval for surgery by non-participating "
     "providers, unless the surgery is listed in this section.",
     "prior_authorization", {"affirms", "negates"}, "unless the surgery is listed in this section."),
    ("Prior authorization is required if the drug is given at home.", "prior_authorization", {"affirms"}, None),
    ("Prior authorization is not required for office visits.", "prior_authorization", {"negates"}, None),
]


# An exception clause (`exceptions:`) and a condition after a negated match (`conditional:`) both split
# a passage into a finding each way, the clause quoted as its own finding.
@pytest.mark.parametrize("text,concern,expected,quote", EXCEPTIONS + CONDITIONS)
def test_a_clause_after_a_match_states_it_both_ways(text, concern, expected, quote, compiled_rules):
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    found = [f for f in find_findings(example_document(text), compiled_rules) if f.concern == concern]
    assert {f.polarity for f in found} == expected, text
    for finding in found:
        assert finding.quote in text  # verbatim
    if quote:
        assert quote in [f.quote for f in found], [f.quote for f in found]


def test_every_conditional_phrase_has_an_example_it_states_both_ways(compiled_rules):
    """Each `conditional:` phrase of a negation block makes at least one of its concern's "both" rule examples both."""
    for concern in compiled_rules.ruleset.concerns:
        phrases = [c.phrase for c in concern.negation.conditional]
        untested = _phrases_no_both_example_opens(compiled_rules, concern, phrases, _condition_clause)
        assert not untested, f"{concern.file}: no 'both' example is stated both ways by the condition(s) {sorted(untested)}"


def test_polar_rule_examples_are_found_with_exactly_their_polarity(compiled_rules):
    """test_rule_examples checks that a match example is found with its polarity; here an affirming
    example found both ways fails too, so a pseudo-trigger ("except as", "failure to obtain") that
    keeps a match affirming is tested by the examples that hold it."""
    from ketcover.examples import run_examples

    polar = {"mental_health_coverage", "experimental_exclusion", "prior_authorization", "step_therapy"}
    results = [r for r in run_examples(compiled_rules) if r.kind == "match" and r.rule.split(".")[0] in polar]
    assert len(results) >= 150
    wrong = [f"{r.rule}: {r.text!r} found {sorted(r.found_as)}, not {r.polarity}" for r in results
             if r.found_as != frozenset(EXPECTED[r.polarity])]
    assert not wrong, "\n".join(wrong)


# A terminator ends a trigger's scope: the statement across it keeps its own polarity (emptying a
# concern's `terminators:` makes these negate).
TERMINATED = [
    ("Ketamine is not considered proven, but experimental treatments are excluded.", "experimental_exclusion"),
    # "although" ends the scope of "not required" backwards: the requirement before it is stated.
    ("Esketamine requires step therapy, although not required for members who had a trial in the last year.",
     "step_therapy"),
    # polar7: "therefore not covered" reaches a long subject (24 words), but not across ";".
    ("Outpatient mental health services are covered for members of all ages; ketamine infusions are considered "
     "investigational and therefore not covered.", "mental_health_coverage"),
]


@pytest.mark.parametrize("text,concern", TERMINATED)
def test_a_terminator_keeps_the_statement_across_it_affirmed(text, concern, compiled_rules):
    assert "affirms" in polarities(text, compiled_rules).get(concern, set()), text


# polar9 (chosen from the bank's train split, two sources each; see tests/wording/README.md).
POLAR9 = [
    # A statute's "must / shall not apply" after a subject with words of its own (step_therapy backward triggers).
    ("The step therapy protocol established pursuant to this section must not apply to a drug prescribed to treat "
     "a psychiatric condition.", "step_therapy", {"negates"}),
    ("A step therapy protocol adopted under this act shall not apply to cancer drugs.", "step_therapy", {"negates"}),
    # "does not apply" keeps its short reach: the coordinated clause is not read as the statute form.
    ("Step therapy is required for brand-name drugs established under this section and does not apply to generics.",
     "step_therapy", {"affirms"}),
    # PA criteria naming the alternative to try by other nouns than "medication(s)" (prior_authorization pseudo).
    ("Has there been a 30-day trial with an agent not requiring prior approval?", "prior_authorization", {"affirms"}),
    ("The requested medication may be approved after a 30-day trial of two medications in separate pharmacologic "
     "classes not requiring prior authorization.", "prior_authorization", {"affirms"}),
    # A formulary's own drugs "not requiring prior authorization" stay a statement of the concern.
    ("Generic drugs not requiring prior authorization are marked with a check.", "prior_authorization", {"negates"}),
]


@pytest.mark.parametrize("text,concern,expected", POLAR9)
def test_polar9_forms(text, concern, expected, compiled_rules):
    assert polarities(text, compiled_rules).get(concern) == expected, text


def test_an_exception_inside_an_exclusions_list_answers_with_its_rules_exception_answer(compiled_rules):
    """"• Speech therapy except as required for ... autism" in a list of what is not covered is
    covered as an exception; its answer must not read "some ... excluded" (the rule's negated answer)."""
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    text = ("What Is Not Covered\n• Speech therapy except as required for treatment of a speech dysfunction "
            "that results from autism spectrum disorders.\n• Marriage counseling")
    found = {(f.polarity, f.answer) for f in find_findings(example_document(text), compiled_rules)
             if f.rule == "mental_health_coverage.excluded_conditions"}
    assert found == {("affirms", "covered as an exception to an exclusion"),
                     ("negates", "some mental health conditions or services excluded")}


def test_every_both_ways_phrase_has_a_probe_it_states_both_ways(compiled_rules):
    """Each `both_ways:` phrase of a negation block ("Not all plans require prior authorization") is held by a
    probe of its concern labeled both, and the probe is found both ways."""
    from ketcover.context import tokenize

    def words(text: str) -> str:
        return " " + " ".join(t for t, _s, _e in tokenize(text)) + " "

    for concern in compiled_rules.ruleset.concerns:
        for trigger in concern.negation.both_ways:
            probes = [p["text"] for p in PROBES if p["expect"].get(concern.name) == "both"
                      and words(trigger.phrase) in words(p["text"])]
            assert probes, f"{concern.file}: no 'both' probe holds the both_ways phrase {trigger.phrase!r}"
            for text in probes:
                assert polarities(text, compiled_rules).get(concern.name) == EXPECTED["both"], text


# A table's "Not Covered" row label is a weak heading: it opens no chapter, but a rule that requires an
# exclusions section states what that section states under it (FEHB brochure p. 97).
NOT_COVERED_ROWS = ("Benefit Description You Pay\nNot Covered (Inpatient or Outpatient) Standard Option Basic Option\n"
                    "• Educational or other counseling or training services All charges All charges\n"
                    "• Testing for and treatment of learning disabilities and\nintellectual disability\n"
                    "• Inpatient services performed or billed by residential\ntreatment centers, except as described in Sections 5(a)\n")


def test_a_rule_that_requires_exclusions_negates_under_a_weak_not_covered_heading(compiled_rules):
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    found = [(f.polarity, f.quote.split()[2]) for f in find_findings(example_document(NOT_COVERED_ROWS), compiled_rules)
             if f.rule == "mental_health_coverage.excluded_conditions"]
    assert found == [("negates", "for")]  # "• Testing for and treatment of learning disabilities"


def test_the_next_list_item_is_no_exception_to_the_item_before(compiled_rules):
    """The summary tells an exception with its negation only when it is a clause of the same item."""
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings
    from ketcover.summary import summarize

    document = example_document(NOT_COVERED_ROWS)
    findings = find_findings(document, compiled_rules)
    assert {f.polarity for f in findings if f.concern == "mental_health_coverage"} == {"affirms", "negates"}
    answer = next(s.answer for s in summarize(document, findings) if s.concern == "mental_health_coverage")
    assert "Inpatient services" not in answer


# polar15 (chosen from the bank's train split; see tests/wording/README.md, polar15): each form fails without its entry.
POLAR15 = [
    # Exclusion lead-ins with a modal or "apply" negate the items under them (mental health forward triggers).
    ("In addition to contractual exclusions, additional exclusions may include:\n• Wilderness therapy programs for "
     "substance use disorder\n", "mental_health_coverage", {"negates"}),
    ("The following exclusions apply to all of the Health Plan benefits:\n• Inpatient psychiatric care provided by a "
     "government program\n", "mental_health_coverage", {"negates"}),
    ("The policy adds an exclusion for inpatient mental health care at residential facilities.", "mental_health_coverage",
     {"negates"}),
    # "no longer apply" reaches past the subject's own words, as "not apply" does.
    ("As of May 1, however, this automated step therapy program will no longer apply.", "step_therapy", {"negates"}),
    ("Prior authorization requirements for these drugs will no longer apply after June 30.", "prior_authorization",
     {"negates"}),
    # "No referral or prior authorization": the plan documents' self-referral wording; "no" alone keeps its reach of 2.
    ("No referral or prior authorization is required for outpatient mental health visits.", "prior_authorization",
     {"negates"}),
    ("No deductible, prior authorization required.", "prior_authorization", {"affirms"}),
    # "not including" after a match, or in an item under a negating lead-in: the exception is read the other way.
    ("The following specialties do not require a referral from your doctor or prior approval on the EPO benefit tier:\n"
     "• Outpatient Mental Health/Substance Abuse (not including Intensive Outpatient Program - IOP)\n",
     "prior_authorization", {"negates", "affirms"}),
    ("Prior approval is required for all behavioral health services, not including outpatient office visits.",
     "prior_authorization", {"affirms", "negates"}),
    # The requirement named as the rule an exception is made to: both ways; asking for an exception is not.
    ("The only exception to the pre-authorization requirement is emergency services and the Mobile Crisis Team.",
     "prior_authorization", {"affirms", "negates"}),
    ("Your physician may request an exception to the prior authorization requirement.", "prior_authorization",
     {"affirms"}),
    # Who handles the requirement changes, not whether it holds.
    ("Prior authorization will no longer be managed by OncoHealth, but should be submitted directly to Point32Health "
     "via PromptPA.", "prior_authorization", {"affirms"}),
]


@pytest.mark.parametrize("text,concern,expected", POLAR15)
def test_polar15_forms(text, concern, expected, compiled_rules):
    assert polarities(text, compiled_rules).get(concern) == expected, text
