"""Accuracy against hand-labeled gold pages: per-concern precision, recall and citation integrity."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ketcover import CONCERNS
from ketcover.model import Document, DocumentReport
from ketcover.normalize import normalize_page_text


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    missed: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None
        return 2 * p * r / (p + r)


@dataclass(frozen=True)
class GoldDocument:
    document: str
    pages: int
    exhaustive: bool
    positives: dict[str, dict[int, str]]  # concern -> page -> evidence quote
    negatives: dict[str, set[int]]


@dataclass
class Evaluation:
    scores: dict[str, Score]
    documents: int = 0
    pages: int = 0
    quotes_checked: int = 0
    quotes_verbatim: int = 0
    gold_evidence_problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def citation_integrity(self) -> float:
        return self.quotes_verbatim / self.quotes_checked if self.quotes_checked else 1.0


def load_gold(directory: str | Path) -> list[GoldDocument]:
    golds = []
    for path in sorted(Path(directory).glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        positives, negatives = {}, {}
        for concern in CONCERNS:
            entry = (raw.get("concerns") or {}).get(concern) or {}
            positives[concern] = {int(p["page"]): str(p.get("quote", "")) for p in entry.get("positive") or []}
            negatives[concern] = {int(n["page"]) if isinstance(n, dict) else int(n) for n in entry.get("negative") or []}
        golds.append(GoldDocument(raw["document"], int(raw["pages"]), bool(raw.get("exhaustive")), positives, negatives))
    return golds


def _collapse(text: str) -> str:
    # Gold quotes were copied from a raw dump; compare them after the parser's own clean-up.
    return " ".join(normalize_page_text(text).split())


def score_report(gold: GoldDocument, report: DocumentReport, document: Document, evaluation: Evaluation) -> None:
    """Add one document's page-level results to `evaluation`."""
    page_texts = [document.page_text(p) for p in range(1, document.page_count + 1)]
    evaluation.documents += 1
    evaluation.pages += gold.pages
    for finding in report.findings:
        evaluation.quotes_checked += 1
        if finding.quote and finding.quote in page_texts[finding.page - 1]:
            evaluation.quotes_verbatim += 1
    for concern in CONCERNS:
        for page, quote in gold.positives[concern].items():
            if quote and _collapse(quote) not in _collapse(page_texts[page - 1]):
                evaluation.gold_evidence_problems.append(f"{gold.document} p. {page} {concern}: {quote!r}")
    for concern in CONCERNS:
        score = evaluation.scores[concern]
        predicted = {f.page for f in report.findings if f.concern == concern}
        positive = set(gold.positives[concern])
        negative = set(range(1, gold.pages + 1)) - positive if gold.exhaustive else gold.negatives[concern]
        score.tp += len(predicted & positive)
        score.fn += len(positive - predicted)
        wrong = predicted & negative
        score.fp += len(wrong)
        stem = Path(gold.document).stem
        score.missed += [f"{stem} p.{p}" for p in sorted(positive - predicted)]
        score.wrong += [f"{stem} p.{p}" for p in sorted(wrong)]


def evaluate(gold_dir: str | Path, corpus_dir: str | Path, compiled, options) -> Evaluation:
    """Analyze every labeled document found in `corpus_dir` and score it against its gold file."""
    from ketcover.analyze import report_for_document
    from ketcover.errors import ReadError
    from ketcover.isolation import extract_isolated

    evaluation = Evaluation({c: Score() for c in CONCERNS})
    for gold in load_gold(gold_dir):
        path = Path(corpus_dir) / gold.document
        try:
            document = extract_isolated(path, password=options.password, engine=options.engine,
                                        use_ocr=options.use_ocr, limits=options.limits)
        except ReadError as error:
            evaluation.errors.append(f"{gold.document}: {error.code}")
            continue
        score_report(gold, report_for_document(document, compiled, gold.document), document, evaluation)
    return evaluation


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def render_evaluation(evaluation: Evaluation, *, details: bool = True) -> str:
    lines = [
        f"Documents: {evaluation.documents}, pages: {evaluation.pages}",
        "",
        "| concern | precision | recall | F1 | TP | FP | FN |",
        "|---|---|---|---|---|---|---|",
    ]
    for concern, score in evaluation.scores.items():
        lines.append(f"| {concern} | {_fmt(score.precision)} | {_fmt(score.recall)} | {_fmt(score.f1)} | {score.tp} | {score.fp} | {score.fn} |")
    lines.append("")
    lines.append(f"Citation integrity: {evaluation.quotes_verbatim}/{evaluation.quotes_checked} quotes verbatim on their cited page ({evaluation.citation_integrity:.1%})")
    if evaluation.errors:
        lines.append("Documents that could not be read: " + "; ".join(evaluation.errors))
    if evaluation.gold_evidence_problems:
        lines.append(f"Gold evidence quotes not found on their page ({len(evaluation.gold_evidence_problems)}):")
        lines += [f"  {p}" for p in evaluation.gold_evidence_problems]
    if details:
        for concern, score in evaluation.scores.items():
            if score.missed:
                lines.append(f"{concern} missed: {', '.join(score.missed)}")
            if score.wrong:
                lines.append(f"{concern} wrongly flagged: {', '.join(score.wrong)}")
    return "\n".join(lines) + "\n"
