"""Reading a patient's profile (YAML): age, diagnoses, antidepressant trials and the rest; clear errors, no guessing."""

from __future__ import annotations

from pathlib import Path

import yaml

KNOWN = {
    "name", "member_id", "date_of_birth", "age", "plan_type", "plan_name", "diagnoses", "antidepressant_trials",
    "psychotherapy", "current_oral_antidepressant", "rems_certified_site", "treatment_site", "rating_scales",
    "prescriber_name", "prescriber_specialty", "contraindications", "address", "phone", "treatment",
}
TRIAL_KEYS = {"drug", "dose", "weeks", "outcome", "current_episode", "start", "stop", "class", "notes"}


class ProfileError(ValueError):
    """A profile that cannot be used, with the sentence that tells the user what to fix."""


def load_profile(path: str | Path) -> dict:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"cannot read the profile {path.name} ({exc.strerror}).") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" near line {where.line + 1}" if where else ""
        raise ProfileError(f"the profile {path.name} is not valid YAML{line}; check its indentation and colons.") from None
    return validate_profile(data if data is not None else {}, path.name)


def validate_profile(data, name: str = "profile") -> dict:
    if not isinstance(data, dict):
        raise ProfileError(f"the profile {name} must be a list of 'key: value' lines (see the README's example).")
    unknown = sorted(set(data) - KNOWN)
    if unknown:
        raise ProfileError(f"the profile {name} has unknown keys: {', '.join(unknown)}. Known keys: {', '.join(sorted(KNOWN))}.")
    if "age" in data and data["age"] is not None and not isinstance(data["age"], int):
        raise ProfileError(f"in the profile {name}, age must be a whole number of years.")
    trials = data.get("antidepressant_trials") or []
    if not isinstance(trials, list) or not all(isinstance(t, dict) and t.get("drug") for t in trials):
        raise ProfileError(f"in the profile {name}, antidepressant_trials must be a list of entries, each with at least 'drug:'.")
    for trial in trials:
        extra = set(trial) - TRIAL_KEYS
        if extra:
            raise ProfileError(f"in the profile {name}, a trial of {trial['drug']} has unknown keys: {', '.join(sorted(extra))}.")
    return data
