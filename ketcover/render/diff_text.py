"""A diff as plain text for the terminal: per concern whether it changed, the clauses added, removed or moved."""

from __future__ import annotations

from ketcover.concerns import titles
from ketcover.diff import Diff
from ketcover.normalize import one_line
from ketcover.render.diff_wording import answer_line, cost_side, cost_title, unchanged_phrase, version_line
from ketcover.render.escape import terminal_safe


def render_diff_text(diff: Diff) -> str:
    lines = [version_line("Old", diff.old), version_line("New", diff.new),
             "Changes: " + ("yes" if diff.changed else "none found"), ""]
    for concern in diff.concerns:
        title = titles()[concern.concern]
        if not concern.changed:
            lines += [f"== {title}: {unchanged_phrase(concern, one_line)}", ""]
            continue
        lines.append(f"== {title}: CHANGED")
        if concern.answer_changed:
            for side in ("old", "new"):
                status, answer = answer_line(concern, side)
                lines.append(f"  {side}: {status}: {one_line(answer)}")
        lines += [f"  + added (new p. {f.page}): “{one_line(f.quote)}”" for f in concern.added]
        lines += [f"  - removed (old p. {f.page}): “{one_line(f.quote)}”" for f in concern.removed]
        lines += [f"  moved (old p. {m.old_page}, new p. {m.new_page}): “{one_line(m.quote)}”" for m in concern.moved]
        lines.append("")
    lines.append("== Costs: " + ("CHANGED" if diff.costs else "unchanged"))
    for change in diff.costs:
        lines.append(f"  {one_line(cost_title(change))}: {one_line(cost_side(change.old, 'old'))} → "
                     f"{one_line(cost_side(change.new, 'new'))}")
    return terminal_safe("\n".join(lines)) + "\n"
