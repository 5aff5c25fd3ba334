"""A comparison as a Markdown table, with the plans' files below it."""

from __future__ import annotations

from ketcover import __version__
from ketcover.compare import NO_COST_NOTE, Comparison, file_names, plan_state
from ketcover.render.escape import md_escape, terminal_safe


def render_markdown(comparison: Comparison) -> str:
    plans = comparison.plans
    out = ["# ketcover plan comparison", "",
           f"ketcover {__version__}; every answer cites its page(s); every quote behind it is verbatim.", ""]
    out.append("| Concern | " + " | ".join(md_escape(p.name) for p in plans) + " |")
    out.append("|---" * (len(plans) + 1) + "|")
    out.append("| Document | " + " | ".join(md_escape(plan_state(p)) for p in plans) + " |")
    for row in comparison.rows:
        out.append(f"| {md_escape(row.title)} | " + " | ".join(md_escape(c.answer) for c in row.cells) + " |")
    out += ["", "## Files", ""]
    for plan in plans:
        out.append(f"- **{md_escape(plan.name)}**: `{file_names(plan.file).replace('`', '')}` ({md_escape(plan_state(plan))})")
    out += ["", NO_COST_NOTE, ""]
    return terminal_safe("\n".join(out))
