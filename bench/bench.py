"""Benchmark: ketcover against pdftotext on the same files in one run; wall time, ratio, peak memory.

Usage: python bench/bench.py [--repeat 3] [--pages 2000] [--skip-synthetic]
Prints medians per document, the ketcover/pdftotext ratio, peak memory of the whole process
tree (ketcover's reader runs in child processes), time per page for synthetic policies of
two sizes (linearity), CLI start-up times and the compare cache speed-up.
Synthetic PDFs are generated into bench/out/ (not committed) with reportlab.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
CORPUS = ROOT.parent / "shared" / "corpus"
LONG_GUIDE = CORPUS / "spd_jpmorgan-chase_combined-benefits-program_2025.pdf"


def _children(pid: int) -> list[int]:
    """Child pids from /proc/PID/task/*/children (cheap: no scan of every process)."""
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                kids.extend(int(k) for k in handle.read().split())
    except OSError:
        pass
    return kids


def _tree_rss_kb(pid: int) -> int:
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            continue
        todo.extend(_children(current))
    return total


def measure(command: list[str], env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and peak resident MB of the command's whole process tree."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, _tree_rss_kb(process.pid))
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    elapsed = time.perf_counter() - start
    stop.set()
    sampler.join()
    if process.returncode not in (0,):
        raise SystemExit(f"{command[:4]} failed ({process.returncode}): {err.decode()[-500:]}")
    return elapsed, peak / 1024


# This sandbox sets PYTHONDONTWRITEBYTECODE, which makes every run recompile ketcover's modules; a
# user's install (pip compiles bytecode; an editable one writes it on first run) does not pay that.
KETCOVER_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def ketcover_command(pdf: Path, output: Path) -> list[str]:
    return [sys.executable, "-m", "ketcover", "analyze", "--no-cache", "--format", "json", "--output", str(output), str(pdf)]


def synthetic_policy(pages: int) -> Path:
    """A plain-text policy of `pages` pages with the clauses ketcover looks for, every 10 pages."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"synthetic-policy-{pages}p.pdf"
    if path.exists():
        return path
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    clauses = [
        "Prior authorization is required for inpatient mental health admissions and partial hospitalization.",
        "We do not cover experimental or investigational services, except in an approved clinical trial.",
        "You may file an internal appeal within 180 days after you receive a notice of adverse benefit determination.",
        "Step therapy applies: you must first try two formulary antidepressants of adequate dose and duration.",
        "Out-of-network services are covered at 50% coinsurance after the deductible.",
    ]
    filler = ("This section describes the general provisions of the plan, including eligibility, enrollment, "
              "coordination of benefits and the rights of members under this Evidence of Coverage. ")
    pdf = canvas.Canvas(str(path), pagesize=letter, invariant=1)
    for page in range(1, pages + 1):
        text = pdf.beginText(54, 740)
        text.setFont("Helvetica", 10)
        text.textLine(f"Example Health Plan Evidence of Coverage - Section {page // 10 + 1}")
        for line in range(44):
            words = (filler * 2).split()
            start = (line * 7) % 20
            text.textLine(" ".join(words[start:start + 16]))
            if page % 10 == 0 and line in (10, 20, 30, 35, 40):
                text.textLine(clauses[(line // 10) % len(clauses)])
        text.textLine(f"Page {page} of {pages}")
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return path


def bench_document(pdf: Path, repeat: int) -> dict:
    with tempfile.TemporaryDirectory() as temp:
        out = Path(temp) / "report.json"
        reference, ours, ours_peak, ref_peak = [], [], [], []
        for _ in range(repeat):
            seconds, peak = measure(["pdftotext", str(pdf), str(Path(temp) / "ref.txt")])
            reference.append(seconds)
            ref_peak.append(peak)
            seconds, peak = measure(ketcover_command(pdf, out), KETCOVER_ENV)
            ours.append(seconds)
            ours_peak.append(peak)
    pages = int(subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout.split("Pages:")[1].split()[0])
    return {
        "name": pdf.name, "pages": pages,
        "pdftotext_s": statistics.median(reference), "ketcover_s": statistics.median(ours),
        "ratio": statistics.median(ours) / statistics.median(reference),
        "peak_mb": max(ours_peak), "pdftotext_peak_mb": max(ref_peak),
    }


def bench_cli(repeat: int) -> None:
    for args in (["--help"], ["rules", "list"]):
        times = [measure([sys.executable, "-m", "ketcover", *args], KETCOVER_ENV)[0] for _ in range(repeat)]
        print(f"ketcover {' '.join(args):<11} median {statistics.median(times):.3f} s")


def bench_compare_cache(repeat: int) -> None:
    """`repeat` rounds, each on an empty cache: a first run (every file read) then a second (all cached)."""
    sbcs = sorted(CORPUS.glob("sbc_*.pdf"))
    if not sbcs:
        print("compare cache: skipped (no SBCs in ../shared/corpus)")
        return
    firsts, seconds = [], []
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as cache:
            env = dict(KETCOVER_ENV, KETCOVER_CACHE_DIR=cache)
            command = [sys.executable, "-m", "ketcover", "compare", "--jobs", "2", "--format", "json", *map(str, sbcs)]
            firsts.append(measure(command, env)[0])
            seconds.append(measure(command, env)[0])
    first, second = statistics.median(firsts), statistics.median(seconds)
    print(f"compare over {len(sbcs)} SBCs (median of {repeat}): first run {first:.2f} s, second (cached) {second:.3f} s, "
          f"{first / second:.1f}x faster")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pages", type=int, default=2000, help="size of the large synthetic policy")
    parser.add_argument("--skip-synthetic", action="store_true")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")
    measure([sys.executable, "-m", "ketcover", "rules", "list"], KETCOVER_ENV)  # writes bytecode once
    startup = statistics.median(measure([sys.executable, "-c", "pass"])[0] for _ in range(5))
    print(f"python start-up alone (the floor of every command): {startup:.3f} s")
    documents = [LONG_GUIDE] if LONG_GUIDE.exists() else []
    if not args.skip_synthetic:
        documents += [synthetic_policy(args.pages // 10 * 2), synthetic_policy(args.pages)]
    rows = [bench_document(pdf, args.repeat) for pdf in documents]
    print(f"{'document':<58} {'pages':>5} {'pdftotext':>9} {'ketcover':>9} {'ratio':>6} {'peak MB':>8} {'ms/page':>8}")
    for row in rows:
        print(f"{row['name'][:58]:<58} {row['pages']:>5} {row['pdftotext_s']:>8.2f}s {row['ketcover_s']:>8.2f}s "
              f"{row['ratio']:>5.1f}x {row['peak_mb']:>8.0f} {1000 * row['ketcover_s'] / row['pages']:>8.2f}")
    bench_cli(args.repeat)
    bench_compare_cache(args.repeat)


if __name__ == "__main__":
    main()
