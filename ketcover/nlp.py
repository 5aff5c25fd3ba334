"""spaCy, the only module that imports it: a blank English tokenizer plus phrase and token matchers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

import gc
import importlib
import sys
import types


def _import_spacy_without_its_cli():
    """spaCy, imported with a stand-in for its command-line package while it loads.

    spaCy's __init__ imports `spacy.cli` (weasel, httpx, every training command: about 350 modules,
    a sixth of its import time) only to re-export `spacy.info`, which ketcover never calls; the import
    is on the critical path of every analysis. The stand-ins are removed once spaCy has loaded, so a
    later `import spacy.cli` (a training script) gets the real package; a spaCy that needs more of its
    CLI while loading is imported the ordinary way instead.
    """
    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    cli.__path__ = []  # a package, so "from .cli.info import info" finds the stand-in below

    def info_from_the_real_cli(*args, **kwargs):
        return importlib.import_module("spacy.cli.info").info(*args, **kwargs)

    info.info = info_from_the_real_cli
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, info
    try:
        return importlib.import_module("spacy")
    except (ImportError, AttributeError):
        for name in [name for name in sys.modules if name == "spacy" or name.startswith("spacy.")]:
            del sys.modules[name]
        return importlib.import_module("spacy")
    finally:
        for name, stand_in in (("spacy.cli", cli), ("spacy.cli.info", info)):
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
        loaded = sys.modules.get("spacy")
        if loaded is not None and getattr(loaded, "cli", None) is cli:
            del loaded.cli


def _import_spacy_outside_the_collector():
    """spaCy, imported without the garbage collector running, its objects then frozen.

    Importing spaCy makes about 100,000 objects that live as long as the process (modules, classes,
    functions). Each full collection walks them all: two during the import itself and more during an
    analysis, about 0.04 s each on this machine and several times that on a loaded one. Frozen, the
    collector leaves them out; a few hundred KB of cycles left by the import are never freed.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _import_spacy_without_its_cli()
    finally:
        if enabled:
            gc.enable()
        gc.freeze()


spacy = _import_spacy_outside_the_collector()
from spacy.matcher import Matcher, PhraseMatcher  # noqa: E402 (after the import above)

from ketcover.ruleset import TOKEN_ATTRS, RuleSet, RulesetError


def _rule_vocab():
    """spaCy's English vocabulary, computing for each new word only the attributes a rule may test.

    The English vocab computes 23 attributes of every word it sees first (stop word, URL and e-mail
    shapes, prefix, suffix, norm ...), each a Python call: about 3,500 words on a long guide, 1,347
    of them the tokenizer's special cases made in spacy.blank. The rules' token patterns may test
    only TOKEN_ATTRS (ruleset.py refuses others) and the phrase matcher reads LOWER, so the other
    attributes are never read; the words, tokens and matches are the same."""
    from spacy import attrs
    from spacy.lang.en import English
    from spacy.vocab import create_vocab

    vocab = create_vocab("en", English.Defaults)
    tested = {attrs.IDS[name] for name in TOKEN_ATTRS if name in attrs.IDS}
    vocab.lex_attr_getters = {attr: getter for attr, getter in vocab.lex_attr_getters.items() if attr in tested}
    return vocab


FOOTNOTE_REFERENCE = r"(?:\[\d{1,3}\])+"  # "[8]", "[1][2]": a footnote reference after a word


@dataclass(frozen=True)
class TokenMatch:
    """A rule match inside one text: which rule, and the character span it covers."""

    rule_id: str
    start_char: int
    end_char: int


class RuleMatcher:
    """spaCy matchers compiled from a rule set: one PhraseMatcher for every phrase rule, and one
    Matcher per pattern rule, so a text runs only the pattern rules its keywords call for."""

    def __init__(self, ruleset: RuleSet):
        # No downloadable model: the tokenizer of spacy.blank("en") is all the rules need.
        self.nlp = spacy.blank("en", vocab=_rule_vocab())
        # A web page's footnote reference glued to a sentence's last word ("sent you the final decision.[8]", copied
        # state FAQs and encyclopedias) was one token "decision.[8", so no rule ending at that word matched. The
        # bracketed number is cut off as a suffix of its own; the word and its full stop come apart as usual.
        self.nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(
            list(self.nlp.Defaults.suffixes) + [FOOTNOTE_REFERENCE]).search
        self.phrase_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.pattern_matchers: dict[str, Matcher] = {}
        for rule in ruleset.rules:
            if rule.kind == "phrases":
                self.phrase_matcher.add(rule.id, list(self.nlp.tokenizer.pipe(rule.phrases)))
            elif rule.kind == "pattern":
                matcher = Matcher(self.nlp.vocab)
                try:
                    matcher.add(rule.id, [list(p) for p in rule.patterns])
                except (ValueError, spacy.errors.MatchPatternError) as exc:
                    first_line = str(exc).strip().splitlines()[0]
                    raise RulesetError(rule.file, rule.id, "patterns", f"spaCy rejects a pattern: {first_line}") from None
                self.pattern_matchers[rule.id] = matcher

    def tokens(self, text: str) -> list[str]:
        return [t.lower_ for t in self.nlp.make_doc(text)]

    def exception_pieces(self) -> dict[str, list[str]]:
        """The tokenizer's special cases that cut a word apart, lower-cased, with their tokens:
        "cannot" -> ["can", "not"], "don't" -> ["do", "n't"]."""
        pieces = {}
        for text in self.nlp.tokenizer.rules:
            tokens = self.tokens(text)
            if len(tokens) > 1:
                pieces[text.lower()] = tokens
        return pieces

    def match_texts(self, requests: Iterable[tuple[str, bool, tuple[str, ...]]]) -> Iterator[list[TokenMatch]]:
        """For each (text, run phrase rules?, pattern rule ids to run): every match found."""
        requests = list(requests)
        docs = self.nlp.tokenizer.pipe((text for text, _p, _r in requests), batch_size=256)
        for doc, (_text, phrases, pattern_rules) in zip(docs, requests):
            hits = list(self.phrase_matcher(doc)) if phrases else []
            for rule_id in pattern_rules:
                hits.extend(self.pattern_matchers[rule_id](doc))
            found = []
            for match_id, start, end in hits:
                span = doc[start:end]
                found.append(TokenMatch(self.nlp.vocab.strings[match_id], span.start_char, span.end_char))
            yield found
