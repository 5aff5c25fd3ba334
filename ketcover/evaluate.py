"""Accuracy against hand-labeled gold pages: per-concern precision, recall and citation integrity,
beside a plain keyword search's (the concern's `keywords:`) on the same pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ketcover import CONCERNS
from ketcover.model import Document, DocumentReport
from ketcover.normalize import normalize_page_text
from ketcover.ruleset import KeywordSearch, lower_text


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
    # The document's kind: the gold file's `kind:`, else its name's first part (the corpus names
    # files kind_publisher_..., e.g. "sbc", "spd", "medical-policy").
    kind: str = ""


@dataclass
class Evaluation:
    scores: dict[str, Score]
    # The keyword baseline: a page is flagged when its text matches the concern's keywords.
    baseline: dict[str, Score] = field(default_factory=dict)
    # Candidates set aside (document, page, concern, reason id, quote), for `eval --set-aside`.
    set_aside: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    documents: int = 0
    pages: int = 0
    quotes_checked: int = 0
    quotes_verbatim: int = 0
    gold_evidence_problems: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # The sentence bank's scores (ketcover.bank.score_bank) on one split, when asked for.
    bank: dict = field(default_factory=dict)
    bank_split: str | None = None
    # Per (document kind, concern): the engine's page score and the keyword search's, so recall can
    # be checked against the baseline on every kind, not only on the whole set.
    by_kind: dict[tuple[str, str], tuple[Score, Score]] = field(default_factory=dict)

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
        kind = str(raw.get("kind") or Path(raw["document"]).stem.split("_")[0])
        golds.append(GoldDocument(raw["document"], int(raw["pages"]), bool(raw.get("exhaustive")), positives, negatives,
                                  kind))
    return golds


def _collapse(text: str) -> str:
    # Gold quotes were copied from a raw dump; compare them after the parser's own clean-up.
    return " ".join(normalize_page_text(text).split())


def _add(score: Score, predicted: set[int], positive: set[int], negative: set[int], stem: str) -> None:
    score.tp += len(predicted & positive)
    score.fn += len(positive - predicted)
    wrong = predicted & negative
    score.fp += len(wrong)
    score.missed += [f"{stem} p.{p}" for p in sorted(positive - predicted)]
    score.wrong += [f"{stem} p.{p}" for p in sorted(wrong)]


def keyword_pages(document: Document, search: KeywordSearch, lowered: str | None = None) -> set[int]:
    """The pages a plain keyword search would flag: those whose text holds a keyword."""
    lowered = lower_text(document.text) if lowered is None else lowered
    pages = set()
    for page in range(1, document.page_count + 1):
        start, end = document.page_span(page)
        if next(search.spans(lowered, start, end), None) is not None:
            pages.add(page)
    return pages


def score_report(gold: GoldDocument, report: DocumentReport, document: Document, evaluation: Evaluation,
                 keywords: dict[str, KeywordSearch] | None = None) -> None:
    """Add one document's page-level results to `evaluation`; with `keywords` (concern -> the
    concern's keyword search), also the keyword baseline's on the same pages."""
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
    stem = Path(gold.document).stem
    lowered = lower_text(document.text) if keywords else ""
    for concern in CONCERNS:
        predicted = {f.page for f in report.findings if f.concern == concern}
        positive = set(gold.positives[concern])
        negative = set(range(1, gold.pages + 1)) - positive if gold.exhaustive else gold.negatives[concern]
        _add(evaluation.scores[concern], predicted, positive, negative, stem)
        if keywords and keywords.get(concern) is not None:
            flagged = keyword_pages(document, keywords[concern], lowered)
            _add(evaluation.baseline.setdefault(concern, Score()), flagged, positive, negative, stem)
            engine, baseline = evaluation.by_kind.setdefault((gold.kind, concern), (Score(), Score()))
            _add(engine, predicted, positive, negative, stem)
            _add(baseline, flagged, positive, negative, stem)
    # A rule's finding set aside names its rule beside the reason ("contents.line <- appeals.named").
    evaluation.set_aside += [(stem, s.page, s.concern, s.reason + (f" <- {s.rule}" if s.rule else ""), s.quote)
                             for s in report.set_aside]


def evaluate(gold_dir: str | Path, corpus_dir: str | Path, compiled, options) -> Evaluation:
    """Analyze every labeled document found in `corpus_dir` and score it against its gold file."""
    from ketcover.analyze import report_for_document
    from ketcover.errors import ReadError
    from ketcover.isolation import extract_isolated

    evaluation = Evaluation({c: Score() for c in CONCERNS})
    keywords = {c.name: c.keyword_search for c in compiled.ruleset.concerns}
    for gold in load_gold(gold_dir):
        path = Path(corpus_dir) / gold.document
        try:
            document = extract_isolated(path, password=options.password, engine=options.engine,
                                        use_ocr=options.use_ocr, limits=options.limits)
        except ReadError as error:
            evaluation.errors.append(f"{gold.document}: {error.code}")
            continue
        score_report(gold, report_for_document(document, compiled, gold.document), document, evaluation, keywords)
    return evaluation


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.3f}"


def _columns(score: Score) -> str:
    return f"{_fmt(score.precision)} | {_fmt(score.recall)} | {_fmt(score.f1)} | {score.tp} | {score.fp} | {score.fn}"


def _bank_table(evaluation: Evaluation) -> list[str]:
    """Per concern, side by side: the gold pages (engine, keyword search) and the bank's split
    (engine, keyword search): how the rules fare on text they were tuned on and on text they were not."""
    split = evaluation.bank_split or "all"
    lines = ["", f"Gold pages beside the sentence bank's {split} split (P = precision, R = recall):", "",
             f"| concern | gold P | gold R | keyword gold P | keyword gold R | {split} sentences (+/-) | "
             f"{split} P | {split} R | keyword {split} P | keyword {split} R | polarity right / found |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for concern, score in evaluation.scores.items():
        baseline = evaluation.baseline.get(concern)
        bank = evaluation.bank.get(concern)
        gold = f"{_fmt(score.precision)} | {_fmt(score.recall)} | "
        gold += f"{_fmt(baseline.precision)} | {_fmt(baseline.recall)}" if baseline else "  -   |   -  "
        if bank is None:
            lines.append(f"| {concern} | {gold} | - | - | - | - | - | - |")
            continue
        polar = f"{bank.polar_right}/{bank.polar_found}" if bank.polar_labeled else "-"
        lines.append(f"| {concern} | {gold} | {bank.positives}/{bank.negatives} | {_fmt(bank.precision)} | "
                     f"{_fmt(bank.recall)} | {_fmt(bank.keyword_precision)} | {_fmt(bank.keyword_recall)} | {polar} |")
    right = sum(b.polar_right for b in evaluation.bank.values())
    found = sum(b.polar_found for b in evaluation.bank.values())
    labeled = sum(b.polar_labeled for b in evaluation.bank.values())
    if found:
        lines += ["", f"Polarity right on the {split} split: {right}/{found} sentences where the concern was found "
                  f"({right / found:.1%}); {right}/{labeled} of all labeled."]
    return lines


def _kind_table(evaluation: Evaluation) -> list[str]:
    """Per document kind and concern with labeled pages: the engine's recall beside the keyword
    search's, marking every row where the engine finds fewer relevant pages than the keywords."""
    lines = ["", "By document kind (pages; `<` marks engine recall below the keyword search's):", "",
             "| kind | concern | relevant pages | recall | keyword recall | precision | keyword precision | |",
             "|---|---|---|---|---|---|---|---|"]
    below = 0
    for (kind, concern), (engine, baseline) in sorted(evaluation.by_kind.items()):
        if not engine.tp + engine.fn:
            continue
        lower = (engine.recall or 0) < (baseline.recall or 0)
        below += lower
        lines.append(f"| {kind} | {concern} | {engine.tp + engine.fn} | {_fmt(engine.recall)} | "
                     f"{_fmt(baseline.recall)} | {_fmt(engine.precision)} | {_fmt(baseline.precision)} | "
                     f"{'<' if lower else ''} |")
    lines += ["", f"Engine recall below the keyword search's on {below} (kind, concern) rows."]
    return lines


def render_evaluation(evaluation: Evaluation, *, details: bool = True, set_aside: bool = False,
                      by_kind: bool = False) -> str:
    """The per-concern table (the engine's columns first, then the keyword baseline's on the same
    pages), citation integrity, and on request the missed, wrongly flagged and set-aside pages."""
    header = "| concern | precision | recall | F1 | TP | FP | FN |"
    rule = "|---|---|---|---|---|---|---|"
    if evaluation.baseline:
        header += " keyword precision | keyword recall | keyword F1 | keyword TP | keyword FP | keyword FN |"
        rule += "---|---|---|---|---|---|"
    lines = [f"Documents: {evaluation.documents}, pages: {evaluation.pages}", "", header, rule]
    for concern, score in evaluation.scores.items():
        row = f"| {concern} | {_columns(score)} |"
        if evaluation.baseline:
            baseline = evaluation.baseline.get(concern)
            row += f" {_columns(baseline)} |" if baseline else " - | - | - | - | - | - |"
        lines.append(row)
    if evaluation.baseline:
        lines.append("")
        lines.append("keyword = a plain keyword search: a page is flagged when its text matches the concern's "
                     "`keywords:` (rules/<concern>.yaml).")
    if by_kind and evaluation.by_kind:
        lines += _kind_table(evaluation)
    if evaluation.bank:
        lines += _bank_table(evaluation)
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
            baseline = evaluation.baseline.get(concern)
            if baseline:
                # Pages the keyword search found and the engine did not: where recall is lost.
                lost = sorted(set(score.missed) - set(baseline.missed))
                if lost:
                    lines.append(f"{concern} missed but found by keywords: {', '.join(lost)}")
        for concern, bank in evaluation.bank.items():
            if evaluation.bank_split == "test":
                # The test split is for reporting only: its sentences are never shown, so nobody tunes on them.
                if bank.wrong_polarity:
                    lines.append(f"{concern} polarity wrong on {len(bank.wrong_polarity)} test sentences "
                                 "(not listed: the test split is never read to choose a change)")
                continue
            for text in bank.wrong_polarity:
                lines.append(f"{concern} polarity wrong on the bank: {text}")
    if set_aside:
        lines.append(f"Candidates set aside ({len(evaluation.set_aside)}):")
        for stem, page, concern, reason, quote in evaluation.set_aside:
            lines.append(f"  {stem} p.{page} {concern} [{reason}]: {' '.join(quote.split())[:120]!r}")
    return "\n".join(lines) + "\n"
