"""Rules alone against rules plus the passage classifier as a PRECISION filter: a finding whose passage's model probability for its concern is below a threshold is set aside (`model.low_score`).

Usage: python tools/model_precision_trial.py [--model build/passage-model-bank] [--split validation]
           [--gold development second_batch second_batch_long] [--only-rules] [--text passage|quote]
           [--thresholds 0.01 0.05 ...] [--no-bank] [--speed]

Twelfth session (docs/model-trial.md): the earlier trials used the model to ADD findings (a candidate
source, a decision aid for set-aside candidates) and found little; the bank's unseen splits now call
for precision (mental health, appeals, experimental, prior authorization). This measures the other
use: every finding of a report (a rule's, or a keyword candidate's, as `ketcover eval` and
tools/wording_first_contact.py --candidates count them) is scored by the model on the passage that
holds it (or on its quote, `--text quote`), and is set aside when the probability for its concern is
below t. A sentence (read as a one-page document below its lead_in, as ketcover.bank reads it) is
found when a finding of the concern is left; a gold page likewise. `--only-rules` filters only the
rules' findings and leaves the keyword candidates' (method "keyword") alone.

Per concern and threshold: recall, false hits and precision on the bank split (validation; never
test), and page recall / false pages on each gold set named. The model is trained by
tools/train_classifier.py on the train split only (`--no-gold`), so every gold set here is unseen:
`python tools/train_classifier.py --no-gold --out build/passage-model-bank` makes the default --model.
Results: docs/model-trial.md, "Twelfth session".
"""

from __future__ import annotations

import argparse
import bisect
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from train_classifier import CORPUS, PassageClassifier, gold_documents, load_document  # noqa: E402

THRESHOLDS = (0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5)  # 0.0: rules alone (nothing is below it)
CONCERNS_SHOWN = ("mental_health_coverage", "appeals", "experimental_exclusion", "prior_authorization",
                  "step_therapy", "network", "off_label", "ketamine", "billing_codes")


def finding_scores(document, findings, classifier, text_of: str) -> list[float]:
    """The model's probability, for each finding's concern, of the passage holding it (or its quote)."""
    from ketcover.structure import split_passages

    if text_of == "quote":
        texts = [f.quote for f in findings]
    else:
        passages = split_passages(document.text, {h.offset for h in document.headings})
        starts = [p.start for p in passages]
        texts = []
        for finding in findings:
            index = bisect.bisect_right(starts, finding.start) - 1
            inside = index >= 0 and finding.start < passages[index].end
            texts.append(document.text[passages[index].start:passages[index].end] if inside else finding.quote)
    unique = sorted(set(texts))
    cats = dict(zip(unique, classifier.scores(unique)))
    return [cats[text].get(f.concern, 0.0) for text, f in zip(texts, findings)]


def kept_by(findings, scores, t: float, only_rules: bool):
    return [f for f, s in zip(findings, scores) if s >= t or (only_rules and f.method.startswith("keyword"))]


def bank_rows(split: str, compiled, classifier, text_of: str, only_rules: bool) -> tuple[dict, dict]:
    """concern -> t -> {tp, fn, fp}, each sentence of the split read as ketcover.bank reads it; and
    concern -> [(the best score of the concern's findings, labeled positive)] per sentence found."""
    from ketcover.bank import bank_sentences, read_sentence, sentence_page
    from ketcover.examples import example_document

    rows: dict = {}
    found_scores: dict = {}
    for concerns, sentence in bank_sentences(ROOT / "tests" / "wording", split):
        lead_in = sentence.get("lead_in") or ""
        findings, _set_aside = read_sentence(sentence["text"], compiled, True, lead_in)
        page, _start = sentence_page(sentence["text"], lead_in)
        scores = finding_scores(example_document(page), findings, classifier, text_of) if findings else []
        expected = set(sentence.get("expected") or ())
        for concern in concerns:
            mine = [1.0 if only_rules and f.method.startswith("keyword") else score
                    for f, score in zip(findings, scores) if f.concern == concern]
            if mine:
                found_scores.setdefault(concern, []).append((max(mine), concern in expected))
        for t in THRESHOLDS:
            found = {f.concern for f in kept_by(findings, scores, t, only_rules)}
            for concern in concerns:
                counts = rows.setdefault(concern, {}).setdefault(t, {"tp": 0, "fn": 0, "fp": 0})
                if concern in expected:
                    counts["tp" if concern in found else "fn"] += 1
                elif concern in found:
                    counts["fp"] += 1
    return rows, found_scores


def render_best_cut(found_scores: dict, rows: dict, title: str) -> str:
    """Per concern, the most false hits any one threshold could set aside while losing at most k of
    the concern's found positives: the best case, the threshold read off the split itself (so an
    upper bound on what a threshold chosen elsewhere would do)."""
    lines = [f"### {title}", "",
             "false hits set aside (of the rules' false hits) at the best threshold losing at most k true hits", "",
             "| concern | positives | false hits | k=0 | k=1 | k=2 | k=3 | k=1% of positives |",
             "|---|---|---|---|---|---|---|---|"]
    for concern in CONCERNS_SHOWN:
        if concern not in found_scores:
            continue
        pairs = found_scores[concern]
        positives = rows[concern][0.0]["tp"] + rows[concern][0.0]["fn"]
        false_hits = sum(1 for _s, positive in pairs if not positive)

        def best(k: int, pairs: list = pairs) -> str:
            # every candidate cut: set aside scores below each distinct score (and nothing)
            top = (0, 0.0)
            for cut in sorted({score for score, _p in pairs} | {1.01}):
                lost = sum(1 for score, positive in pairs if positive and score < cut)
                dropped = sum(1 for score, positive in pairs if not positive and score < cut)
                if lost <= k and dropped > top[0]:
                    top = (dropped, cut)
            return f"{top[0]} (t<{top[1]:.3g})" if top[0] else "0"

        lines.append(f"| {concern} | {positives} | {false_hits} | {best(0)} | {best(1)} | {best(2)} | {best(3)} | "
                     f"{best(positives // 100)} (k={positives // 100}) |")
    return "\n".join(lines) + "\n"


def gold_rows(gold_set: str, compiled, classifier, text_of: str, only_rules: bool) -> tuple[dict, list[str]]:
    """concern -> t -> page {tp, fn, fp} over the gold set, scored as `ketcover eval` scores it;
    and the gold pages lost at each threshold (t, document, page, concern)."""
    from ketcover import CONCERNS
    from ketcover.analyze import report_for_document
    from ketcover.evaluate import load_gold

    rows: dict = {}
    lost: list[str] = []
    for gold, document in gold_documents(gold_set, load_gold):
        report = report_for_document(document, compiled, gold.document)
        findings = list(report.findings)
        scores = finding_scores(document, findings, classifier, text_of)
        for t in THRESHOLDS:
            kept = kept_by(findings, scores, t, only_rules)
            for concern in CONCERNS:
                predicted = {f.page for f in kept if f.concern == concern}
                positive = set(gold.positives[concern])
                negative = set(range(1, gold.pages + 1)) - positive if gold.exhaustive else gold.negatives[concern]
                counts = rows.setdefault(concern, {}).setdefault(t, {"tp": 0, "fn": 0, "fp": 0})
                counts["tp"] += len(predicted & positive)
                counts["fn"] += len(positive - predicted)
                counts["fp"] += len(predicted & negative)
                base = {f.page for f in findings if f.concern == concern}
                lost += [f"t={t} {Path(gold.document).stem} p.{p} {concern}" for p in sorted((base - predicted) & positive)]
    return rows, lost


def speed(model: Path, compiled) -> str:
    """CPU seconds on the 399-page guide: the engine step on its extracted text, the model's loading,
    and the scoring of the passages that hold a finding (the only ones the filter reads)."""
    import resource

    from ketcover.analyze import report_for_document

    document = load_document(CORPUS / "spd_jpmorgan-chase_combined-benefits-program_2025.pdf")
    report_for_document(document, compiled)  # warm
    started = time.process_time()
    report = report_for_document(document, compiled)
    engine = time.process_time() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.process_time()
    classifier = PassageClassifier(model)
    load = time.process_time() - started
    started = time.process_time()
    scores = finding_scores(document, list(report.findings), classifier, "passage")
    scoring = time.process_time() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size = sum(f.stat().st_size for f in model.rglob("*") if f.is_file())
    return (f"399-page guide, CPU seconds: engine step {engine:.2f}; model load {load:.2f}; scoring the passages of "
            f"its {len(scores)} findings {scoring:.2f}; peak RSS {rss_before / 1024:.0f} -> {rss_after / 1024:.0f} MB; "
            f"model on disk {size / 1e6:.1f} MB")


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.3f}" if whole else "-"


def render_bank(rows: dict, title: str) -> str:
    lines = [f"### {title}", "",
             "per concern: recall (found / positives), false hits, precision; t=0 is rules alone", "",
             "| concern | " + " | ".join(f"t={t}" for t in THRESHOLDS) + " |",
             "|---|" + "---|" * len(THRESHOLDS)]
    for concern in CONCERNS_SHOWN:
        if concern not in rows:
            continue
        cells = []
        for t in THRESHOLDS:
            c = rows[concern][t]
            cells.append(f"{ratio(c['tp'], c['tp'] + c['fn'])} ({c['tp']}/{c['tp'] + c['fn']}), "
                         f"{c['fp']} FP, P {ratio(c['tp'], c['tp'] + c['fp'])}")
        lines.append(f"| {concern} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_gold(rows: dict, title: str) -> str:
    lines = [f"### {title}", "", "per concern: pages found / positive pages, false pages; t=0 is rules alone", "",
             "| concern | " + " | ".join(f"t={t}" for t in THRESHOLDS) + " |",
             "|---|" + "---|" * len(THRESHOLDS)]
    for concern in CONCERNS_SHOWN:
        cells = [f"{c['tp']}/{c['tp'] + c['fn']}, {c['fp']} FP" for c in (rows[concern][t] for t in THRESHOLDS)]
        lines.append(f"| {concern} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main() -> None:
    global THRESHOLDS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "build" / "passage-model-bank")
    parser.add_argument("--split", default="validation", choices=("train", "validation"),
                        help="sentence-bank split to score (the test split is never scored)")
    parser.add_argument("--gold", nargs="*", default=["development", "second_batch", "second_batch_long"])
    parser.add_argument("--text", choices=("passage", "quote"), default="passage")
    parser.add_argument("--only-rules", action="store_true", help="leave keyword candidates' findings unfiltered")
    parser.add_argument("--no-bank", action="store_true")
    parser.add_argument("--speed", action="store_true", help="only time the filter on the 399-page guide")
    parser.add_argument("--thresholds", type=float, nargs="*", help=f"in place of {THRESHOLDS[1:]}")
    args = parser.parse_args()
    if args.thresholds:
        THRESHOLDS = (0.0, *args.thresholds)
    from ketcover.analyze import compile_rules

    compiled = compile_rules()
    if args.speed:
        print(speed(args.model, compiled))
        return
    classifier = PassageClassifier(args.model)
    what = f"model {args.model.name}, scored on the finding's {args.text}" + (", rules' findings only" if args.only_rules else "")
    print(f"{what}\n")
    if not args.no_bank:
        started = time.perf_counter()
        rows, found_scores = bank_rows(args.split, compiled, classifier, args.text, args.only_rules)
        print(render_bank(rows, f"sentence bank, {args.split} split: findings below t set aside"))
        print(render_best_cut(found_scores, rows, f"sentence bank, {args.split} split: the best single threshold per concern"))
        print(f"({time.perf_counter() - started:.0f} s)\n", file=sys.stderr)
    for gold_set in args.gold:
        rows, lost = gold_rows(gold_set, compiled, classifier, args.text, args.only_rules)
        print(render_gold(rows, f"gold set {gold_set} (pages): findings below t set aside"))
        shown = [item for item in lost if float(item.split()[0][2:]) <= 0.05]
        if shown:  # the higher thresholds' losses are counted in the table
            print("gold pages lost at t <= 0.05: " + "; ".join(shown) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
