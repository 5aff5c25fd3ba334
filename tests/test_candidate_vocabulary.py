"""A concern's candidate vocabulary: each form makes its train examples candidates decided into findings, and leaves the keyword baseline as it was."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from ketcover.candidates import decide, find_candidates
from ketcover.examples import example_document
from ketcover.normalize import normalize_page_text
from ketcover.ruleset import RulesetError, default_rules_dir, keyword_source, load_ruleset

RULESET = load_ruleset()
FORMS = [(concern.name, form, examples) for concern in RULESET.concerns for form, examples in concern.candidate_examples]
CASES = [pytest.param(concern, form, text, id=f"{concern}-{i}-{j}")
         for i, (concern, form, examples) in enumerate(FORMS) for j, text in enumerate(examples)]


def test_every_vocabulary_form_has_two_examples():
    assert FORMS, "no concern has a candidate vocabulary"
    for concern in RULESET.concerns:
        documented = dict(concern.candidate_examples)
        for form in concern.candidate_vocabulary:
            assert len(documented.get(form, ())) >= 2, f"{concern.file}: {form!r} needs two examples (two train sources)"


@pytest.mark.parametrize("concern,form,text", CASES)
def test_vocabulary_example_is_a_candidate_decided_into_a_finding(concern, form, text, compiled_rules):
    assert re.search(keyword_source(form), text, re.IGNORECASE), f"{form!r} is not in its example {text!r}"
    document = example_document(normalize_page_text(text))
    assert concern in {c.concern for c in find_candidates(document, compiled_rules)}, text
    added, set_aside = decide(document, compiled_rules, [])
    assert concern in {f.concern for f in added}, f"{text!r} set aside: {[s.reason for s in set_aside if s.concern == concern]}"


def test_vocabulary_leaves_the_keyword_baseline_as_it_was():
    concern = RULESET.concern("prior_authorization")
    text = "Services listed below need authorization before you get them."
    assert concern.candidate_search.search(text)
    assert not concern.keyword_search.search(text)  # the baseline reads `keywords:` alone
    # Every keyword is still a candidate: the vocabulary adds to the keywords, never replaces them.
    assert concern.candidate_search.search("Prior authorization is required.")


def test_a_bad_vocabulary_form_names_file_and_key(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    path = rules / "step_therapy.yaml"
    data = yaml.safe_load(path.read_text())
    data["candidate_vocabulary"].append({"form": "(?:a|b) tried", "examples": ["a tried"]})
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(RulesetError) as info:
        load_ruleset(rules)
    assert (info.value.file, info.value.key) == ("step_therapy.yaml", "candidate_vocabulary")
