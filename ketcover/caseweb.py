"""The "My case" view of `ketcover serve`: the page's profile form to a profile, uploaded documents to a case view."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from ketcover.case.profile import ProfileError, validate_profile
from ketcover.render.case import STATUS_WORDS

# What the page may ask for ("api/case.<suffix>"): the renderer's format, its type and the saved name.
CASE_DOWNLOADS = {
    "json": ("json", "application/json; charset=utf-8", "ketcover-case.json"),
    "md": ("markdown", "text/markdown; charset=utf-8", "ketcover-case.md"),
    "html": ("html", "text/html; charset=utf-8", "ketcover-case.html"),
    "letter.md": ("letter-markdown", "text/markdown; charset=utf-8", "ketcover-appeal-letter.md"),
    "letter.html": ("letter-html", "text/html; charset=utf-8", "ketcover-appeal-letter.html"),
}
MAX_CASE_BODY = 64 * 1024  # the job ids and the profile form: a few kilobytes at most
MAX_CASE_DOCUMENTS = 12
# The profile fields the page's form has; the CLI's YAML profile knows a few more (address, phone...).
PAGE_KEYS = {
    "name", "age", "diagnoses", "antidepressant_trials", "psychotherapy", "current_oral_antidepressant",
    "rems_certified_site", "rating_scales", "prescriber_specialty", "prescriber_name",
}
TEXT_LIMIT = 500  # characters of one form field


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _number(value, what: str):
    if value is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ProfileError(f"{what} must be a number.")
    return value


def _text(value, what: str) -> str:
    if not isinstance(value, str):
        raise ProfileError(f"{what} must be text.")
    if len(value) > TEXT_LIMIT:
        raise ProfileError(f"{what} is longer than {TEXT_LIMIT} characters; shorten it.")
    return value.strip()


def profile_from_page(data) -> dict | None:
    """The form's values as a case profile (None when the form is empty); ProfileError says which field is wrong.

    Empty fields are left out, so what the person did not fill in stays `unknown` in the checklist.
    """
    if data is None:
        return None
    if not isinstance(data, dict):
        raise ProfileError("The profile form could not be read. Reload the page and fill it in again.")
    unknown = sorted(set(data) - PAGE_KEYS)
    if unknown:
        raise ProfileError(f"The profile form has fields this server does not know ({', '.join(unknown)}). Reload the page.")
    profile: dict = {}
    for key, value in data.items():
        if _empty(value):
            continue
        if key == "age":
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 130:
                raise ProfileError("Age must be a whole number of years.")
            profile[key] = value
        elif key == "rems_certified_site":
            if not isinstance(value, bool):
                raise ProfileError("The certified-site answer must be yes, no or not known.")
            profile[key] = value
        elif key == "diagnoses":
            if not isinstance(value, list):
                raise ProfileError("Diagnoses must be a list, one per line.")
            diagnoses = [_text(d, "A diagnosis") for d in value]
            if any(diagnoses):
                profile[key] = [d for d in diagnoses if d]
        elif key == "antidepressant_trials":
            profile[key] = [_trial(t, n) for n, t in enumerate(_rows(value, "Antidepressant trials"), 1)]
        elif key == "rating_scales":
            profile[key] = [_scale(s, n) for n, s in enumerate(_rows(value, "Rating-scale scores"), 1)]
        else:
            text = _text(value, key.replace("_", " ").capitalize())
            if text:
                profile[key] = text
    profile = {k: v for k, v in profile.items() if not _empty(v)}
    return validate_profile(profile, "form") if profile else None


def _rows(value, what: str) -> list[dict]:
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise ProfileError(f"{what} must be a list of rows.")
    return [row for row in value if any(not _empty(v) for v in row.values())]


def _trial(row: dict, number: int) -> dict:
    what = f"Antidepressant trial {number}"
    extra = set(row) - {"drug", "dose", "weeks", "outcome", "current_episode"}
    if extra:
        raise ProfileError(f"{what} has fields this server does not know ({', '.join(sorted(extra))}). Reload the page.")
    if _empty(row.get("drug")):
        raise ProfileError(f"{what}: give the drug's name, or clear the row.")
    trial = {"drug": _text(row["drug"], f"{what}: the drug")}
    for key in ("dose", "outcome"):
        if not _empty(row.get(key)):
            trial[key] = _text(row[key], f"{what}: the {key}")
    if not _empty(row.get("weeks")):
        weeks = _number(row["weeks"], f"{what}: weeks")
        if not 0 <= weeks <= 520:
            raise ProfileError(f"{what}: weeks must be between 0 and 520.")
        trial["weeks"] = weeks
    if row.get("current_episode") is not None:
        if not isinstance(row["current_episode"], bool):
            raise ProfileError(f"{what}: 'in this episode' must be yes, no or not known.")
        trial["current_episode"] = row["current_episode"]
    return trial


def _scale(row: dict, number: int) -> dict:
    what = f"Rating-scale score {number}"
    extra = set(row) - {"scale", "score", "date"}
    if extra:
        raise ProfileError(f"{what} has fields this server does not know ({', '.join(sorted(extra))}). Reload the page.")
    if _empty(row.get("scale")) or _empty(row.get("score")):
        raise ProfileError(f"{what}: give both the scale's name and the score, or clear the row.")
    scale = {"scale": _text(row["scale"], f"{what}: the scale"), "score": _number(row["score"], f"{what}: the score")}
    if not _empty(row.get("date")):
        scale["date"] = _text(row["date"], f"{what}: the date")
    return scale


@dataclass(frozen=True)
class CaseDocument:
    """One uploaded document as the case reads it: the job's id, its unique display name, its report and bytes."""

    job_id: str
    name: str
    report: object
    data: bytes | None
    password: str | None


def unique_names(names: list[str]) -> list[str]:
    """Display names made unique ("policy.pdf", "policy (2).pdf"): the case cites documents by name."""
    seen: dict[str, int] = {}
    result = []
    for name in names:
        count = seen.get(name, 0) + 1
        seen[name] = count
        if count > 1:
            stem, dot, suffix = name.rpartition(".")
            name = f"{stem} ({count}).{suffix}" if dot and stem else f"{name} ({count})"
        result.append(name)
    return result


def read_case_sources(documents: list[CaseDocument], folder: Path, options, cache: dict):
    """The case's sources from the uploads kept in memory: the text is read again (isolated) from the bytes.

    `cache` maps a job id to its Document, so a second case with a changed profile reads nothing.
    The bytes are written under a name picked here in the server's private folder and removed at once.
    """
    from dataclasses import replace

    from ketcover.case.sources import Source, document_kind
    from ketcover.errors import ReadError
    from ketcover.isolation import extract_isolated

    sources = []
    for document in documents:
        report = replace(document.report, file=document.name)
        if document.data is None or report.status == "error":
            sources.append(Source(document.name, None, report, "unreadable"))
            continue
        text = cache.get(document.job_id)
        if text is None:
            path = folder / f"case-{secrets.token_hex(8)}.pdf"
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                with os.fdopen(descriptor, "wb") as handle:
                    handle.write(document.data)
                text = extract_isolated(path, password=document.password, engine=options.engine,
                                        use_ocr=options.use_ocr, limits=options.limits)
            except ReadError:
                text = None
            finally:
                path.unlink(missing_ok=True)
            if text is not None:
                cache[document.job_id] = text
        sources.append(Source(document.name, text, report, document_kind(text) if text else "unreadable"))
    return sources


def case_view(case: dict, documents: list[CaseDocument]) -> dict:
    """The case as the page shows it: the case JSON without the documents' full reports, with words and job ids."""
    view = {key: value for key, value in case.items() if key != "documents"}
    view["documents"] = [
        {"file": d["file"], "kind": d["kind"], "pages": d["pages"], "status": d["status"],
         "error": (d.get("error") or {}).get("message") if d.get("error") else None}
        for d in case["documents"]
    ]
    view["jobs"] = {document.name: document.job_id for document in documents}  # a citation's page view
    view["words"] = STATUS_WORDS
    return view


__all__ = ["CASE_DOWNLOADS", "MAX_CASE_BODY", "CaseDocument", "ProfileError", "case_view", "profile_from_page",
           "read_case_sources", "unique_names"]
