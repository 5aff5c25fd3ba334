"""A diff as Markdown: per concern a section saying whether it changed, with the clauses added, removed or moved."""

from __future__ import annotations

from ketcover.concerns import titles
from ketcover.diff import Diff
from ketcover.render.diff_wording import answer_line, cost_side, cost_title, unchanged_phrase, version_line
from ketcover.render.escape import md_escape


def render_diff_markdown(diff: Diff) -> str:
    q = md_escape
    lines = ["# ketcover diff", "", f"- {q(version_line('Old', diff.old))}", f"- {q(version_line('New', diff.new))}", ""]
    for concern in diff.concerns:
        title = titles()[concern.concern]
        if not concern.changed:
            lines.append(f"## {title}: {unchanged_phrase(concern, q)}")
            # Markdown has room for the moved clauses themselves; the terminal gives their count.
            lines += [f"- moved (old p. {m.old_page}, new p. {m.new_page}): “{q(m.quote)}”" for m in concern.moved]
            lines.append("")
            continue
        lines += [f"## {title}: CHANGED", ""]
        if concern.answer_changed:
            for side in ("old", "new"):
                status, answer = answer_line(concern, side)
                lines.append(f"- {side}: {status}: {q(answer)}")
        lines += [f"- **added** (new p. {f.page}): “{q(f.quote)}”" for f in concern.added]
        lines += [f"- **removed** (old p. {f.page}): “{q(f.quote)}”" for f in concern.removed]
        lines += [f"- moved (old p. {m.old_page}, new p. {m.new_page}): “{q(m.quote)}”" for m in concern.moved]
        lines.append("")
    lines += ["## Costs: " + ("CHANGED" if diff.costs else "unchanged"), ""]
    for change in diff.costs:
        lines.append(f"- {q(cost_title(change))}: {q(cost_side(change.old, 'old'))} → {q(cost_side(change.new, 'new'))}")
    return "\n".join(lines) + "\n"
