"""Train the passage classifier (spaCy textcat_multilabel on spacy.blank("en"), CPU) on the sentence bank's train split and the development gold pages.

Usage: python tools/train_classifier.py [--out build/passage-model] [--no-gold] [--arch bow|ensemble] [--rule-hits [--with-keywords]]

Reproducible: one fixed seed, one thread, examples in a fixed order. Labels:
- the sentence bank (tests/wording/*.yaml), TRAIN split only (tests/conftest.py: wording_split,
  by a hash of the source document): a file labels only the concerns listed at its top, so a
  sentence is 1 for each listed concern it expects, 0 for each other listed concern, and carries
  no label (spaCy's "missing") for the concerns the file does not list;
- the development gold set's pages (tests/gold/, `set: development`; never the second_batch sets,
  held for measurement): a passage is 1 for a concern when it holds the page's evidence quote,
  0 on a page read as negative for the concern, and missing otherwise (a positive page's other
  passages may or may not be about the concern).
"""

from __future__ import annotations

import argparse
import functools
import pickle
import random
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

SEED = 20261206
EPOCHS = 12
CORPUS = ROOT.parent / "shared" / "corpus"
GOLD = ROOT / "tests" / "gold"
DOC_CACHE_ROOT = Path("/tmp/ketcover-model-docs")  # extracted documents, so a re-run skips the PDF reader
# Outside the package: the trial (docs/model-trial.md) kept no model in the engine, so none ships.
DEFAULT_OUT = ROOT / "build" / "passage-model"
MIN_PASSAGE_CHARS = 12  # shorter passages (page numbers, stray cells) teach nothing


def bank_examples(split: str) -> list[tuple[str, dict[str, float]]]:
    """(text, {concern: 1.0 | 0.0} over the concerns its file lists) for every bank sentence of `split`."""
    from conftest import wording_sets
    from ketcover.normalize import normalize_page_text

    examples = []
    for data in wording_sets():
        for sentence in data["sentences"]:
            if sentence["split"] != split:
                continue
            cats = {c: float(c in sentence["expected"]) for c in data["concerns"]}
            examples.append((normalize_page_text(sentence["text"]), cats))
    return examples


def rule_hit_examples(split: str, keywords: bool = False) -> list[tuple[str, dict[str, float]]]:
    """(text, {concern: 1.0 | 0.0}) for every bank sentence of `split` where the engine finds a concern
    its file lists (rules and keyword candidates, read as ketcover.bank reads it): 1 for a true hit,
    0 for a false hit, no label for the concerns not found. A model trained on these alone learns what
    tells the rules' right findings from their wrong ones (the precision filter of the twelfth session).
    With `keywords`, a concern whose keywords the sentence holds (the plain keyword search) is labeled
    too: more of the hard negatives a filter must tell apart, beside the rules' own hits."""
    from conftest import wording_sets
    from ketcover.analyze import compile_rules
    from ketcover.bank import keywords_found, polarities_found
    from ketcover.normalize import normalize_page_text

    compiled = compile_rules()
    examples = []
    for data in wording_sets():
        for sentence in data["sentences"]:
            if sentence["split"] != split:
                continue
            found = set(polarities_found(sentence["text"], compiled, True, sentence.get("lead_in") or ""))
            if keywords:
                found |= keywords_found(sentence["text"], compiled)
            cats = {c: float(c in sentence["expected"]) for c in data["concerns"] if c in found}
            if cats:
                examples.append((normalize_page_text(sentence["text"]), cats))
    return examples


def gold_files(gold_set: str) -> list[Path]:
    return [p for p in sorted(GOLD.glob("*.yaml"))
            if yaml.safe_load(p.read_text(encoding="utf-8")).get("set") == gold_set]


@functools.cache
def _reader_version() -> str:
    """A hash of the package's code: a document extracted by another version of the reader (or
    pickled from other classes) is read again, never reused."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((ROOT / "ketcover").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def _cached_path(pdf: Path) -> Path:
    return DOC_CACHE_ROOT / _reader_version() / (pdf.stem + ".pickle")


def is_cached(pdf: Path) -> bool:
    cached = _cached_path(pdf)
    return cached.exists() and cached.stat().st_mtime >= pdf.stat().st_mtime


def load_document(pdf: Path):
    """The extracted Document of a corpus PDF, read once by ketcover's own reader and kept in /tmp."""
    from ketcover.isolation import extract_isolated
    from ketcover.limits import Limits

    cached = _cached_path(pdf)
    cached.parent.mkdir(parents=True, exist_ok=True)
    if is_cached(pdf):
        with cached.open("rb") as handle:
            return pickle.load(handle)
    # A generous time limit: eight helpers share two cores, and a slow read is not the question here.
    document = extract_isolated(pdf, limits=Limits(timeout=3600.0, page_timeout=600.0))
    with cached.open("wb") as handle:
        pickle.dump(document, handle)
    return document


def document_passages(document) -> list[tuple[int, str]]:
    """(page, text) of every passage the engine would quote from, in document order."""
    from ketcover.structure import split_passages

    passages = split_passages(document.text, {h.offset for h in document.headings})
    return [(document.page_of(p.start), document.text[p.start:p.end]) for p in passages
            if len(document.text[p.start:p.end].strip()) >= MIN_PASSAGE_CHARS]


def _collapse(text: str) -> str:
    return " ".join(text.split()).lower()


def gold_examples(gold_set: str = "development") -> list[tuple[str, dict[str, float]]]:
    """Passages of the gold set's pages labeled as the module docstring says."""
    from ketcover import CONCERNS
    from ketcover.evaluate import load_gold

    examples = []
    for gold, document in gold_documents(gold_set, load_gold):
        for page, text in document_passages(document):
            flat = _collapse(text)
            cats = {}
            for concern in CONCERNS:
                positives = gold.positives[concern]
                negatives = (set(range(1, gold.pages + 1)) - set(positives)) if gold.exhaustive else gold.negatives[concern]
                if page in positives:
                    quote = _collapse(positives[page])
                    if quote and (quote in flat or (len(flat) >= 40 and flat in quote)):
                        cats[concern] = 1.0
                elif page in negatives:
                    cats[concern] = 0.0
            if cats:
                examples.append((text, cats))
    return examples


def gold_documents(gold_set: str, load_gold):
    """(gold labels, read document) for each gold file of the set whose PDF is in the corpus."""
    for gold in load_gold_files(gold_files(gold_set), load_gold):
        pdf = CORPUS / gold.document
        if not pdf.exists():
            print(f"skipped (not in the corpus): {gold.document}", file=sys.stderr)
            continue
        yield gold, load_document(pdf)


def load_gold_files(paths: list[Path], load_gold) -> list:
    """load_gold reads a folder; read just these files through it, via a temporary folder."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for path in paths:
            shutil.copy(path, folder)
        return load_gold(folder)


ARCHITECTURES = {
    # Bag of words, unigrams and bigrams: a hashed linear model, next to free at run time.
    "bow": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
            "no_output_layer": False, "length": 262144},
    # Bag of words beside a small CNN over hashed word features (no pretrained vectors).
    "ensemble": {
        "@architectures": "spacy.TextCatEnsemble.v2",
        "linear_model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False, "ngram_size": 2,
                         "no_output_layer": False, "length": 262144},
        "tok2vec": {"@architectures": "spacy.Tok2Vec.v2",
                    "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 64, "rows": [5000, 2500, 2500],
                              "attrs": ["NORM", "PREFIX", "SUFFIX"], "include_static_vectors": False},
                    "encode": {"@architectures": "spacy.MaxoutWindowEncoder.v2", "width": 64, "window_size": 1,
                               "maxout_pieces": 3, "depth": 2}},
    },
}


def train(examples: list[tuple[str, dict[str, float]]], arch: str, epochs: int = EPOCHS):
    import spacy
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch

    from ketcover import CONCERNS

    fix_random_seed(SEED)
    nlp = spacy.blank("en")
    textcat = nlp.add_pipe("textcat_multilabel", config={"model": ARCHITECTURES[arch], "threshold": 0.5})
    for concern in CONCERNS:
        textcat.add_label(concern)
    data = [Example.from_dict(nlp.make_doc(text), {"cats": cats}) for text, cats in examples]
    optimizer = nlp.initialize(lambda: data[:500])
    rng = random.Random(SEED)
    for epoch in range(epochs):
        order = list(data)
        rng.shuffle(order)
        losses: dict[str, float] = {}
        for batch in minibatch(order, size=32):
            nlp.update(batch, drop=0.2, sgd=optimizer, losses=losses)
        print(f"epoch {epoch + 1}: loss {losses.get('textcat_multilabel', 0.0):.3f}", file=sys.stderr)
    return nlp


class PassageClassifier:
    """A saved model: each concern's probability for each passage (nothing downloaded)."""

    def __init__(self, path: Path):
        import spacy

        self.nlp = spacy.load(path)

    def scores(self, texts):
        for doc in self.nlp.pipe(texts, batch_size=256):
            yield dict(doc.cats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--arch", choices=sorted(ARCHITECTURES), default="bow")
    parser.add_argument("--no-gold", action="store_true", help="train on the sentence bank only")
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--rule-hits", action="store_true",
                        help="train only on the train sentences where the engine finds a concern, labeled "
                             "right or wrong for the concerns found (rule_hit_examples)")
    parser.add_argument("--with-keywords", action="store_true",
                        help="with --rule-hits: label the concerns whose keywords a sentence holds too")
    args = parser.parse_args()
    started = time.perf_counter()
    if args.rule_hits:
        examples = rule_hit_examples("train", args.with_keywords)
        hits = [v for _t, cats in examples for v in cats.values()]
        print(f"sentence bank, train split: {len(examples)} sentences with a finding "
              f"({int(sum(hits))} right, {len(hits) - int(sum(hits))} wrong concern findings)", file=sys.stderr)
    else:
        examples = bank_examples("train")
        print(f"sentence bank, train split: {len(examples)} sentences", file=sys.stderr)
    if not args.no_gold:
        passages = gold_examples("development")
        positive = sum(1 for _t, cats in passages if any(cats.values()))
        print(f"development gold passages: {len(passages)} ({positive} positive for a concern)", file=sys.stderr)
        examples += passages
    nlp = train(examples, args.arch, args.epochs)
    args.out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(args.out)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"saved {args.out} ({size / 1e6:.1f} MB) in {time.perf_counter() - started:.0f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
