"""Pages from the Jinja2 templates (Jinja2 is imported only here): HTML autoescaped, with the one stylesheet and policy."""

from __future__ import annotations

import functools

from ketcover import __version__
from ketcover.normalize import one_line
from ketcover.render.policy import CONTENT_SECURITY_POLICY, SCRIPT, STYLESHEET, TEMPLATES


@functools.cache
def _environment(autoescape: bool, filters: tuple = ()):
    """One environment per escaping mode and filter set (`filters`: (name, function) pairs), kept for the process."""
    import jinja2

    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=autoescape,
                                     trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    environment.filters["flat"] = lambda text: one_line(str(text or ""))
    environment.filters.update(dict(filters))
    return environment


def render_page(name: str, *, filters: tuple = (), **context) -> str:
    """An HTML page: every value escaped unless a template marks it safe (only the pinned style and script)."""
    return _environment(True, filters).get_template(name).render(
        csp=CONTENT_SECURITY_POLICY, style=STYLESHEET, script=SCRIPT, version=__version__, **context)


def render_plain(name: str, *, filters: tuple = (), **context) -> str:
    """A text or Markdown page from a template (no HTML escaping: the caller escapes for its format)."""
    return _environment(False, filters).get_template(name).render(version=__version__, **context)
