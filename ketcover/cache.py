"""Reports cached on the user's own disk, keyed by the file's hash and the rule set's hash.

A second run on unchanged files and rules skips reading and matching. Entries are JSON
(never pickle), written atomically, so concurrent runs can share the cache; a damaged entry
is a miss. The folder is private to the user (0700): it holds quotes from health documents.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path

from ketcover import __version__
from ketcover.model import ConcernSummary, CostValue, DocumentError, DocumentReport, Finding, PageWarning, SetAside
from ketcover.output import write_atomically

CACHE_FORMAT = 1


def cache_dir() -> Path:
    """KETCOVER_CACHE_DIR if set, else the platform's user cache folder."""
    override = os.environ.get("KETCOVER_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("ketcover", appauthor=False))


def file_sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


@functools.cache
def code_digest() -> str:
    """A hash of ketcover's own source and data (kinds.yaml): a report made by other code (an upgrade,
    a local edit between two runs of a development checkout) is never served, even under the same version."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("*.yaml")]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def cache_key(sha256: str, ruleset_digest: str, engine: str, use_ocr: bool) -> str:
    material = json.dumps([CACHE_FORMAT, __version__, code_digest(), sha256, ruleset_digest, engine, use_ocr])
    return hashlib.sha256(material.encode()).hexdigest()


def _entry(key: str) -> Path:
    return cache_dir() / "reports" / f"{key}.json"


def load(key: str, display_name: str) -> DocumentReport | None:
    try:
        data = json.loads(_entry(key).read_text(encoding="utf-8"))
        return _report_from_dict(data, display_name)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def store(key: str, report: DocumentReport) -> None:
    """Keep a successful report; errors are not cached (the user may fix the file)."""
    if report.status == "error":
        return
    folder = _entry(key).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        os.chmod(folder.parent, 0o700)
        write_atomically(_entry(key), json.dumps(asdict(report)))
    except OSError:
        pass  # a cache that cannot be written only costs speed


def _report_from_dict(data: dict, display_name: str) -> DocumentReport:
    return DocumentReport(
        file=display_name,
        sha256=data["sha256"],
        pages=data["pages"],
        status=data["status"],
        error=DocumentError(**data["error"]) if data["error"] else None,
        warnings=tuple(PageWarning(**w) for w in data["warnings"]),
        summary=tuple(ConcernSummary(**{**s, "pages": tuple(s["pages"])}) for s in data["summary"]),
        findings=tuple(Finding(**{**f, "matches": tuple(f["matches"])}) for f in data["findings"]),
        plan_name=data["plan_name"],
        costs=tuple(CostValue.from_json(c) for c in data["costs"]),
        set_aside=tuple(SetAside(**s) for s in data.get("set_aside", ())),
        kind=data["kind"],
        kind_label=data["kind_label"],
        kind_reason=data["kind_reason"],
        identifiers=tuple(data.get("identifiers", ())),
    )
