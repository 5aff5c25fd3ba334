"""Unit tests of ketcover/context.py's tokens and scopes (the rules' own examples test the phrases)."""

from __future__ import annotations

import pytest

from ketcover.context import Context, tokenize
from ketcover.ruleset import Negation, Trigger


def words(text: str) -> list[str]:
    return [token for token, _s, _e in tokenize(text)]


def test_a_hyphen_inside_a_word_is_no_token():
    assert words("no prior-authorization is required") == ["no", "prior", "authorization", "is", "required"]
    assert words("non-participating providers") == ["non", "participating", "providers"]


def test_a_hyphen_between_spaces_or_doubled_stays_a_token():
    assert words("Prior authorization -- Prohibition") == ["prior", "authorization", "-", "-", "prohibition"]
    assert words("copay - $30; -5") == ["copay", "-", "$", "30", ";", "-", "5"]


def test_quotation_marks_are_no_tokens():
    # A quoted term is as far from a trigger as the same words unquoted; an apostrophe in a word stays.
    assert words('considered "off-label" and are not covered') == words("considered off-label and are not covered")
    assert words("considered \u201cexperimental\u201d or \u2018investigational\u2019") == [
        "considered", "experimental", "or", "investigational"]
    assert words("the plan's benefits") == ["the", "plan's", "benefits"]


def test_offsets_still_point_into_the_text():
    text = "No Pre-Authorization needed"
    assert [text[s:e].lower() for _t, s, e in tokenize(text)] == ["no", "pre", "authorization", "needed"]


# A scope counts words, not spellings: a hyphenated word is no farther than its spaced form.
SCOPES = [
    ("No prior-authorization is required.", "negates"),
    ("No prior authorization is required.", "negates"),
    # A terminator still ends the scope.
    ("No copay for in-network office visits; prior-authorization is required.", "affirms"),
]


@pytest.mark.parametrize("text,expected", SCOPES)
def test_a_short_scope_reaches_past_a_hyphenated_word(text, expected):
    context = Context(Negation(triggers=(Trigger("no", "forward", 2),), terminators=(".",)))
    start = text.lower().index("authorization is required")
    assert context.polarity(text, start, start + len("authorization is required")) == expected


def test_an_exception_window_counts_a_hyphenated_word_once():
    exception = Trigger("with the exception of", "exceptions", 12)
    context = Context(Negation(triggers=(Trigger("not required", "backward"),), terminators=(".",),
                               exceptions=(exception,)))
    text = ("Prior authorization is required for all services provided by non-participating physicians and "
            "providers, with the exception of emergency services.")
    assert context.exception_clause(text, 0, len("Prior authorization is required")) is not None
    # Eleven more words between the match and the exception: out of its window.
    text = text.replace("non-participating", "non participating doctors, nurses, therapists, counselors and other")
    assert context.exception_clause(text, 0, len("Prior authorization is required")) is None


def test_an_exception_that_is_no_terminator_opens_its_own_clause():
    # polar7: the finding of the exception quotes the exception, not the whole sentence ("excludes" is no
    # terminator, unlike "but" or "except"); the match before it keeps the sentence's opening.
    context = Context(Negation(triggers=(Trigger("not covered", "backward"),), terminators=(".",),
                               exceptions=(Trigger("excludes", "exceptions", 12),)))
    text = "Coverage requires supervision by a psychiatrist, and excludes patients under 18. Other text."
    match = (text.index("psychiatrist"), text.index("psychiatrist") + len("psychiatrist"))
    start, end = context.exception_clause(text, *match)
    assert text[start:end] == "excludes patients under 18"
    assert text[slice(*context.clause(text, start, end))] == "excludes patients under 18."
    assert text[slice(*context.clause(text, *match))] == ("Coverage requires supervision by a psychiatrist, "
                                                          "and excludes patients under 18.")


def test_a_condition_after_a_negated_match_states_the_other_way_too():
    context = Context(Negation(triggers=(Trigger("not required", "backward"),), terminators=("if", "."),
                               conditional=(Trigger("if", "conditional", 8),)))
    match = (0, len("Prior authorization"))
    negated = "Prior authorization is not required if prescribed by an oncologist."
    assert context.polarities(negated, *match) == {"affirms", "negates"}
    start, end = context.other_way(negated, *match, "negates")
    assert negated[start:end] == "if prescribed by an oncologist"
    # After an affirmed match the condition is part of the requirement: one way only.
    affirmed = "Prior authorization is required if you see an out-of-network provider."
    assert context.polarities(affirmed, *match) == {"affirms"}
    # Beyond its window the condition belongs to something else.
    far = "Prior authorization is not required for visits to a network therapist in your area if any."
    assert context.polarities(far, *match) == {"negates"}


def test_a_number_with_a_decimal_point_or_thousands_separators_is_one_token():
    assert words("removing 14,000 prior authorizations for its 2.6 million members.") == [
        "removing", "14,000", "prior", "authorizations", "for", "its", "2.6", "million", "members", "."]
    # A full stop after a word, before a number, still ends the sentence ("package.2" keeps its ".").
    assert words("package.2 Nevertheless") == ["package", ".", "2", "nevertheless"]
    # "e.g." and "i.e." are one word each: their full stops end no sentence.
    assert words("routine care (e.g., lab tests)") == ["routine", "care", "(", "e.g.", ",", "lab", "tests", ")"]


def test_a_decimal_point_ends_no_scope():
    context = Context(Negation(triggers=(Trigger("removing", "forward", 8),), terminators=(".",)))
    text = "It is removing for its 2.6 million members prior authorization."
    start = text.index("prior authorization")
    assert context.polarity(text, start, start + len("prior authorization")) == "negates"
    text = "It is removing for its 2. Six million members need prior authorization."
    start = text.index("prior authorization")
    assert context.polarity(text, start, start + len("prior authorization")) == "affirms"


# A mention phrase names the concern without stating it: before the match, or ending or following it.
MENTIONS = [
    ("whose requests for prior authorization are approved", "prior authorization", True),
    ("90 percent of their preauthorization requests", "preauthorization", True),
    ("a drug utilization review process", "utilization review", True),
    ("requests for precertification and prior authorization", "prior authorization", True),
    ("requests for emergency care. Prior authorization is required.", "Prior authorization", False),
    ("You must request prior authorization first.", "prior authorization", False),  # "request" before it: a statement
    ("Prior authorization is required.", "Prior authorization", False),
]


@pytest.mark.parametrize("text,match,expected", MENTIONS)
def test_a_mention_is_a_phrase_before_or_after_the_match(text, match, expected):
    context = Context(Negation(triggers=(Trigger("not", "forward", 2),), terminators=(".",), mentions_before=("requests for",),
                               mentions_after=("requests", "request", "process")))
    start = text.index(match)
    assert context.is_mention(text, start, start + len(match)) is expected


# polar10: a `both_ways` phrase reads a match after it (within its window, no terminator between) both ways;
# a pseudo-trigger that holds more than the phrase masks it, one the phrase holds does not.
BOTH_WAYS = [
    ("Not all plans require prior authorization.", "prior authorization", {"affirms", "negates"}),
    ("Not all prior authorization requests are approved.", "prior authorization", {"affirms"}),
    ("Not all plans are alike. Prior authorization is required.", "Prior authorization", {"affirms"}),
    ("Prior authorization is required, but not all plans say so.", "Prior authorization", {"affirms"}),
    ("Testing is not covered unless needed for a mental health condition.", "mental health condition",
     {"affirms", "negates"}),
]


@pytest.mark.parametrize("text,match,expected", BOTH_WAYS)
def test_a_both_ways_phrase_reads_the_match_after_it_both_ways(text, match, expected):
    context = Context(Negation(triggers=(Trigger("not required", "backward"),), terminators=(".", "but", "unless"),
                               pseudo=("not all prior", "not covered unless"),
                               both_ways=(Trigger("not all", "both_ways", 4), Trigger("not covered unless", "both_ways", 10))))
    start = text.index(match)
    assert context.polarities(text, start, start + len(match)) == expected


# polar11: a `penalties` phrase after a trigger (within its window, no terminator between) masks the trigger: the
# penalty for care given without the approval states that the approval is required.
PENALTIES = [
    ("If you get care without prior authorization, you may have to pay the full cost.", "affirms"),
    ("If you get care without prior authorization. You may have to pay the full cost.", "negates"),  # "." ends it
    ("You can get care without prior authorization, but out of network you pay the full cost.", "negates"),  # "but"
    ("You can get care without prior authorization.", "negates"),
    ("Members who get care without prior authorization from a provider in the state of residence will have to "
     "pay the full cost.", "negates"),  # beyond the phrase's window
]


@pytest.mark.parametrize("text,expected", PENALTIES)
def test_a_penalty_after_a_trigger_masks_it(text, expected):
    context = Context(Negation(triggers=(Trigger("without", "forward", 4),), terminators=(".", "but", "if"),
                               penalties=(Trigger("full cost", "penalties", 12),)))
    start = text.index("prior authorization")
    assert context.polarity(text, start, start + len("prior authorization")) == expected


# parec14: double negation. A `double_negation` opener ("not") before one of its triggers ("without"), within the opener's
# window and with no terminator or stop between, masks that trigger: "not ... without approval" states the approval is
# required. A "not" held by a trigger of more than one word ("not need") opens nothing.
DOUBLE_NEGATION = [
    ("Members are cautioned not to obtain nonemergency care from civilian sources without prior authorization.", "affirms"),
    ("Services are not covered without prior authorization.", "affirms"),
    ("You can get care without prior authorization.", "negates"),
    ("You do not need a referral and may see a therapist without prior authorization.", "negates"),  # "not need"
    ("Members who do not live in the area can get care without prior authorization.", "negates"),  # stop "can"
    ("Do not worry. You can get care without prior authorization.", "negates"),  # "." ends it
]


@pytest.mark.parametrize("text,expected", DOUBLE_NEGATION)
def test_a_negation_before_a_double_negation_trigger_masks_it(text, expected):
    context = Context(Negation(triggers=(Trigger("without", "forward", 4), Trigger("not need", "forward", 8)),
                               terminators=(".", "but", "if"),
                               double_negation=(Trigger("not", "double_negation", 10),),
                               double_negation_triggers=("without",), double_negation_stops=("can", "may", "and")))
    start = text.index("prior authorization")
    assert context.polarity(text, start, start + len("prior authorization")) == expected


# polar12: an affirming predicate (`affirming:`) standing free between a trigger and a match ends the trigger's scope:
# the trigger negates its own clause, not an earlier subject ("X is covered, and Y is not covered"). A predicate in a
# trigger ("not required"), or the first one after a forward trigger that holds none ("no longer", "none of"), is
# the trigger's own; one inside the match ("authorization is required") stops a backward trigger after the match.
AFFIRMING = [
    ("Inpatient mental health services are covered in full, and the cost of transportation is not covered.",
     "mental health services", "affirms"),
    ("Inpatient psychiatric treatment at a residential treatment center for adolescents with eating disorders is not "
     "covered.", "psychiatric treatment", "negates"),
    ("Mental health services are not covered.", "Mental health services", "negates"),
    ("Even on plans that don't require referrals, some insurers may require prior authorization.",
     "prior authorization", "affirms"),
    ("Plans that don't require referrals or prior authorization are rare.", "prior authorization", "negates"),
    ("Outpatient therapy will no longer require prior authorization.", "prior authorization", "negates"),
    ("None of these services require prior authorization.", "prior authorization", "negates"),
    ("Prior authorization is required for inpatient stays, and referrals are not required.",
     "authorization is required", "affirms"),
    ("No prior authorization is required.", "authorization is required", "negates"),
    ("Prior authorization is not required.", "Prior authorization", "negates"),
]


@pytest.mark.parametrize("text,match,expected", AFFIRMING)
def test_an_affirming_predicate_between_ends_a_scope(text, match, expected):
    context = Context(Negation(
        triggers=(Trigger("not covered", "backward", 16), Trigger("not required", "backward", 16),
                  Trigger("not require", "forward", 8), Trigger("no longer", "forward", 3),
                  Trigger("none of", "forward", 4), Trigger("no", "forward", 2)),
        terminators=(".", ";", "but"),
        affirming=("is covered", "are covered", "require", "requires", "required")))
    start = text.index(match)
    assert context.polarity(text, start, start + len(match)) == expected
