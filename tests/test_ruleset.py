"""The rule set is validated before any PDF is read; each error names the file, the rule and the key."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
import yaml

from ketcover.ruleset import RulesetError, default_rules_dir, load_ruleset

from conftest import ROOT


@pytest.fixture
def rules_copy(tmp_path):
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


def _edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_shipped_rule_set_loads_with_a_stable_digest():
    first, second = load_ruleset(), load_ruleset()
    assert first.digest == second.digest and len(first.rules) >= 9


@pytest.mark.parametrize(
    "file,change,rule,key",
    [
        ("appeals.yaml", lambda d: d["rules"][0].__setitem__("kind", "regexp"), "appeals.named", "kind"),
        ("appeals.yaml", lambda d: d["rules"][0]["examples"].pop("no_match"), "appeals.named", "examples"),
        ("network.yaml", lambda d: d["rules"][0].__setitem__("id", "networks.tiers"), "#1", "id"),
        ("ketamine.yaml", lambda d: d["rules"][0]["patterns"][0][0].__setitem__("LOWER", {"IN": ["ketamine", 3]}), "ketamine.named", "patterns"),
        ("ketamine.yaml", lambda d: d["rules"][0]["patterns"][0][0].__setitem__("SHOUT", "x"), "ketamine.named", "patterns"),
        ("off_label.yaml", lambda d: d["rules"][0].__setitem__("sections", {"require": ["nowhere"]}), "off_label.named", "sections"),
        ("prior_authorization.yaml", lambda d: d["rules"][-1].__setitem__("terms", ["prior"]), "prior_authorization.ocr_variant", "terms"),
        ("step_therapy.yaml", lambda d: d["rules"][0].__setitem__("colour", "red"), "step_therapy.named", "colour"),
        ("appeals.yaml", lambda d: d.__setitem__("why", ""), None, "why"),
    ],
)
def test_broken_rule_names_file_rule_and_key(rules_copy, file, change, rule, key):
    _edit(rules_copy / file, change)
    with pytest.raises(RulesetError) as info:
        load_ruleset(rules_copy)
    assert info.value.file == file
    assert info.value.rule == rule
    assert info.value.key == key


def test_invalid_yaml_and_missing_file(rules_copy):
    (rules_copy / "network.yaml").write_text("concern: network\nrules: [unclosed\n")
    with pytest.raises(RulesetError, match=r"network.yaml: not valid YAML at line"):
        load_ruleset(rules_copy)
    (rules_copy / "network.yaml").unlink()
    with pytest.raises(RulesetError, match="network.yaml: is missing"):
        load_ruleset(rules_copy)


def test_spacy_rejected_pattern_is_a_ruleset_error(rules_copy):
    from ketcover.analyze import compile_rules

    _edit(rules_copy / "ketamine.yaml", lambda d: d["rules"][0]["patterns"][0][0].__setitem__("OP", "sometimes"))
    with pytest.raises(RulesetError) as info:
        compile_rules(load_ruleset(rules_copy))
    assert info.value.rule == "ketamine.named" and info.value.key == "patterns"


@pytest.mark.parametrize("op", ["{0,24}", "{24}"])
def test_a_wildcard_bound_spacy_cannot_match_in_time_is_a_ruleset_error(rules_copy, op):
    """{0,24} took spaCy seconds per sentence (exponential in the bound): refused with the way round it."""
    def widen(data):
        data["rules"][0]["patterns"][0].insert(1, {"OP": op})

    _edit(rules_copy / "ketamine.yaml", widen)
    with pytest.raises(RulesetError, match=r"up to 24 times.*NOT_IN") as info:
        load_ruleset(rules_copy)
    assert info.value.rule == "ketamine.named" and info.value.key == "patterns"


def test_cli_exits_4_on_invalid_rules_before_reading_any_pdf(rules_copy, tmp_path):
    _edit(rules_copy / "appeals.yaml", lambda d: d["rules"][0].__setitem__("kind", "regexp"))
    missing_pdf = tmp_path / "never-read.pdf"  # does not exist: the rules must fail first
    result = subprocess.run(
        [sys.executable, "-m", "ketcover", "analyze", str(missing_pdf), "--rules", str(rules_copy)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 4
    assert "appeals.yaml, rule appeals.named, key 'kind'" in result.stderr
    assert "Traceback" not in result.stderr


def test_adding_a_synonym_is_a_yaml_edit(rules_copy, tmp_path):
    """A new phrase in YAML (plus its example) is found with no code change."""
    from ketcover.analyze import compile_rules
    from ketcover.examples import example_document
    from ketcover.matcher import find_findings

    text = "Treatment plans must be green-lit by the plan before you start."
    before = compile_rules(load_ruleset(rules_copy))
    assert not [f for f in find_findings(example_document(text), before) if f.concern == "prior_authorization"]

    def add(data):
        data["rules"][0]["phrases"].append("green-lit by the plan")
        data["rules"][0]["examples"]["match"].append(text)

    _edit(rules_copy / "prior_authorization.yaml", add)
    after = compile_rules(load_ruleset(rules_copy))
    assert [f.rule for f in find_findings(example_document(text), after)] == ["prior_authorization.required"]


def test_concern_registry_comes_from_the_rule_files():
    from ketcover import CONCERNS
    from ketcover.concerns import display_order, questions, status_word, titles

    assert CONCERNS[:4] == ("mental_health_coverage", "experimental_exclusion", "prior_authorization", "step_therapy")
    assert display_order()[4] == "appeals" and set(display_order()) == set(CONCERNS)
    assert titles()["ketamine"] == "Ketamine / esketamine (Spravato)"
    assert questions()["step_therapy"] == "Must other treatments be tried first (step therapy)?"
    assert status_word("prior_authorization", "negated") == "NOT REQUIRED"
    assert status_word("mental_health_coverage", "negated") == "NOT COVERED/EXCLUDED"
    assert status_word("network", "found") == "FOUND"


def test_a_bad_registry_is_named(rules_copy):
    _edit(rules_copy / "step_therapy.yaml", lambda d: d["registry"].__setitem__("order", "fourth"))
    with pytest.raises(RulesetError) as error:
        load_ruleset(rules_copy)
    assert error.value.file == "step_therapy.yaml" and error.value.key == "registry.order"


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.__setitem__("keywords", ["prior auth(", "precert"]),
        lambda d: d.__setitem__("keywords", ["prior auth", ""]),
        lambda d: d.__setitem__("keywords", {"prior": "auth"}),
    ],
)
def test_broken_keywords_name_file_and_key(rules_copy, change):
    _edit(rules_copy / "prior_authorization.yaml", change)
    with pytest.raises(RulesetError) as info:
        load_ruleset(rules_copy)
    assert (info.value.file, info.value.rule, info.value.key) == ("prior_authorization.yaml", None, "keywords")


def test_every_shipped_concern_has_keywords_that_find_its_words():
    ruleset = load_ruleset()
    for concern in ruleset.concerns:
        assert concern.keywords and concern.keyword_search is not None, concern.name
    search = ruleset.concern("prior_authorization").keyword_search
    # A space in a keyword also matches a line break of the page text.
    assert search.search("must be approved\nin advance") and search.search("Pre-Certification")
    assert not search.search("your authorized representative") and not search.search("nonprecertified")



def test_shipped_mental_health_candidate_vocabulary_stays_out_of_the_baseline():
    concern = load_ruleset().concern("mental_health_coverage")
    text = "Medicaid payment is available to IMD facilities that serve this population."
    assert concern.candidate_search.search(text) and not concern.keyword_search.search(text)
