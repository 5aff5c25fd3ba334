"""Snapshot the JSON reports of the bundled samples and the corpus, and check a change leaves them identical.

Usage:
  python tools/findings_snapshot.py save  SNAPSHOT_DIR [--documents DOC_DIR] [--jobs 2]
  python tools/findings_snapshot.py check SNAPSHOT_DIR [--documents DOC_DIR] [--jobs 2]

Each report is what `ketcover analyze FILE --format json --no-cache` writes, one file per PDF
(name.json) in SNAPSHOT_DIR. `check` prints each report that differs (with the first differing
lines) and exits 1 if any does. With --documents, the extracted Documents are kept there (pickled)
on the first read and reused afterwards: a change to the matching, candidates or kinds is checked
in seconds; a change to the reader needs a check without it. The corpus is never copied: only
reports and extracted text land in the folders given, which belong outside the repository.
"""

from __future__ import annotations

import argparse
import difflib
import os
import pickle
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
# OCR of every page takes minutes: left out so a check stays quick (its findings come from OCR text).
SKIPPED = {"formulary_healthfirst_ny-comprehensive-drug-list_2025.pdf"}


def inputs() -> list[Path]:
    samples = sorted((ROOT / "sample_policies").glob("*.pdf"))
    corpus = sorted(p for p in CORPUS.glob("*.pdf") if p.name not in SKIPPED) if CORPUS.is_dir() else []
    return samples + corpus


def _document(path: Path, documents: Path | None):
    """The extracted Document (read in the isolated worker, as the CLI does), or a ReadError."""
    from ketcover.analyze import Options, _read

    cached = documents / (path.name + ".pickle") if documents else None
    if cached is not None and cached.exists():
        return pickle.loads(cached.read_bytes())
    document = _read(path, Options(), None)
    if cached is not None:
        cached.write_bytes(pickle.dumps(document))
    return document


def reports(paths: list[Path], documents: Path | None, jobs: int) -> dict[str, str]:
    """name -> the JSON report of that file, as `ketcover analyze --format json` renders it."""
    from ketcover.analyze import _report_for, compile_rules
    from ketcover.render import render_report

    if documents:
        documents.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(_document, path, documents) for path in paths]
        compiled = compile_rules()
        # Named as from the repository's root (as `ketcover analyze sample_policies/x.pdf` run there
        # names it): snapshots of two worktrees compare equal.
        return {path.name: render_report([_report_for(os.path.relpath(path, ROOT), future.result(), compiled)], "json")
                for path, future in zip(paths, futures)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["save", "check"])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("--documents", type=Path, help="folder keeping the extracted Documents between runs")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    started = time.perf_counter()
    current = reports(inputs(), args.documents, args.jobs)
    if args.action == "save":
        args.snapshot.mkdir(parents=True, exist_ok=True)
        for name, text in current.items():
            (args.snapshot / (name + ".json")).write_text(text, encoding="utf-8")
        print(f"saved {len(current)} reports in {args.snapshot} ({time.perf_counter() - started:.1f} s)")
        return 0
    differing = 0
    for name, text in current.items():
        saved_path = args.snapshot / (name + ".json")
        if not saved_path.exists():
            print(f"NEW   {name}: no saved report")
            differing += 1
            continue
        saved = saved_path.read_text(encoding="utf-8")
        if saved != text:
            differing += 1
            diff = list(difflib.unified_diff(saved.splitlines(), text.splitlines(), "saved", "now", lineterm="", n=1))
            print(f"DIFF  {name}: {sum(1 for d in diff if d[:1] in '+-') - 2} lines")
            print("\n".join(diff[:40]))
    print(f"{len(current) - differing} of {len(current)} reports identical ({time.perf_counter() - started:.1f} s)")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
