"""Build a case from each PDF of a folder (default ../shared/corpus): time, statuses, and quotes that are not verbatim."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path


def main(folder: str) -> int:
    from ketcover.analyze import Options
    from ketcover.case import case_from_sources, cited_items
    from ketcover.render.case import render_case
    from ketcover.case.sources import read_sources

    total_bad = 0
    for path in sorted(Path(folder).glob("*.pdf")):
        started = time.time()
        sources = read_sources([path], Options(use_ocr=False))
        case = case_from_sources(sources, None, today=date(2026, 12, 6), mask=False)
        pages = {s.name: s.pages() for s in sources}
        bad = [i for _where, i in cited_items(case) if i["quote"] not in pages[i["file"]][i["page"] - 1]]
        total_bad += len(bad)
        for fmt in ("text", "markdown", "html", "json"):
            render_case(case, fmt)
        statuses = "|".join(t["status"] for t in case["treatments"])
        print(f"{path.name[:58]:58} {sources[0].kind:20} {time.time() - started:5.1f}s bad_quotes={len(bad)} {statuses}", flush=True)
    return 1 if total_bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else str(Path(__file__).resolve().parents[1].parent / "shared" / "corpus")))
