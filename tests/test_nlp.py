"""ketcover.nlp's import of spaCy: without its command-line package while it loads, and the real one afterwards."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT

CHECK = """
import sys
from ketcover.nlp import RuleMatcher
from ketcover.ruleset import load_ruleset
import spacy
assert "spacy.cli" not in sys.modules, "spaCy's CLI was imported"
assert not hasattr(spacy, "cli"), "the stand-in for spacy.cli was left on the package"
matcher = RuleMatcher(load_ruleset(None))
assert matcher.tokens("Prior authorization is not required.")[:2] == ["prior", "authorization"]
import spacy.cli
assert hasattr(spacy.cli, "train") and spacy.cli.info.__module__ == "spacy.cli.info", "the real CLI after the stand-in"
print("ok")
"""


def test_spacy_loads_without_its_cli_and_the_real_cli_stays_importable():
    result = subprocess.run([sys.executable, "-c", CHECK], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]


def test_the_vocab_computes_only_the_word_attributes_a_rule_may_test():
    """Each new word costs one Python call per attribute the vocab computes: the rule matcher's
    computes those of TOKEN_ATTRS that English computes, no fewer (a token pattern testing one
    must see what spacy.blank("en") gives) and no more (nothing else reads the others)."""
    import spacy
    from spacy import attrs

    from ketcover.nlp import RuleMatcher
    from ketcover.ruleset import TOKEN_ATTRS, load_ruleset

    matcher = RuleMatcher(load_ruleset(None))
    tested = {attrs.IDS[name] for name in TOKEN_ATTRS if name in attrs.IDS}
    english = spacy.blank("en").vocab.lex_attr_getters
    assert set(matcher.nlp.vocab.lex_attr_getters) == tested & set(english)
    assert len(matcher.nlp.vocab.lex_attr_getters) < len(english)
    text = "Pre-authorization isn't needed for 2 VISITS, e.g. in-network (see www.example.com)."
    ours, theirs = matcher.nlp.make_doc(text), spacy.blank("en").make_doc(text)
    for name in sorted(name for name in TOKEN_ATTRS if name in attrs.IDS):  # TEXT is ORTH, OP no attribute
        assert ours.to_array([name]).tolist() == theirs.to_array([name]).tolist(), name

def test_a_footnote_reference_after_a_word_is_a_token_of_its_own():
    # A web page's "[8]" glued to the last word ("decision.[8]") made one token "decision.[8", and the rule that ends
    # at "decision" (appeals.final_decision) missed the sentence (the sentence bank's train split, a state FAQ).
    from ketcover.analyze import compile_rules
    from ketcover.bank import polarities_found
    from ketcover.nlp import RuleMatcher
    from ketcover.ruleset import load_ruleset

    matcher = RuleMatcher(load_ruleset(None))
    assert matcher.tokens("the final decision.[8] Next")[:5] == ["the", "final", "decision", ".", "[8]"]
    assert matcher.tokens("two levels.[1][2]")[-3:] == ["levels", ".", "[1][2]"]
    assert matcher.tokens("array[i] [5]") == ["array[i", "]", "[", "5", "]"]  # nothing else changes
    text = "You must file your request within 180 days from the date that your insurer sent you the final decision.[8]"
    assert "appeals" in polarities_found(text, compile_rules())
