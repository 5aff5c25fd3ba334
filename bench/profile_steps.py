"""Where one document's analysis spends its time: reading, compiling the rules, then the engine's own functions by CPU.

Usage: python bench/profile_steps.py PDF [--top 25] [--repeat 3]

bench/bench.py gives the figure issue 11 holds (wall time against pdftotext); this says which step to
look at when that figure moves. The analysis is run `--repeat` times in this process (the first run
also warms the prefilter's learned words, as a long-running server would) and profiled on the last.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--top", type=int, default=25, help="how many functions to list")
    parser.add_argument("--repeat", type=int, default=3, help="analysis runs; the last is profiled")
    args = parser.parse_args()

    from ketcover.analyze import Options, compile_rules, prepare_analysis, report_for_document
    from ketcover.isolation import extract_isolated

    options = Options()
    started = time.perf_counter()
    document = extract_isolated(args.pdf, password=options.password, engine=options.engine,
                                use_ocr=options.use_ocr, limits=options.limits)
    read = time.perf_counter() - started
    started = time.perf_counter()
    compiled = compile_rules()
    prepare_analysis()
    compile_time = time.perf_counter() - started
    cpu = []
    for _ in range(max(1, args.repeat - 1)):
        started = time.process_time()
        report_for_document(document, compiled, args.pdf.name)
        cpu.append(time.process_time() - started)
    profiler = cProfile.Profile()
    started = time.process_time()
    profiler.enable()
    report = report_for_document(document, compiled, args.pdf.name)
    profiler.disable()
    cpu.append(time.process_time() - started)

    print(f"{args.pdf.name}: {document.page_count} pages, {len(report.findings)} findings")
    print(f"read (isolated, wall) {read:.2f} s; spaCy and rules compiled (wall) {compile_time:.2f} s")
    print("analysis, CPU per run: " + ", ".join(f"{c:.2f} s" for c in cpu) + " (the last profiled)")
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(r"ketcover", args.top)
    print(out.getvalue().split("\n", 6)[-1] if "function calls" in out.getvalue() else out.getvalue())


if __name__ == "__main__":
    main()
