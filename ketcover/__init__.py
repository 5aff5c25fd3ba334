"""ketcover: read a health-plan PDF and report, with page citations, what it says about a treatment."""

__version__ = "0.1.0"


def __getattr__(name: str):
    # CONCERNS (the public concern order) comes from the registry in rules/<concern>.yaml
    # (ketcover/concerns.py), read when first asked for: `ketcover --help` reads no rule file.
    if name == "CONCERNS":
        from ketcover.concerns import concern_names

        return concern_names()
    raise AttributeError(f"module 'ketcover' has no attribute {name!r}")
