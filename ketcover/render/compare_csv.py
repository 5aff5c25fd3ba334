"""A comparison as CSV: the long form (a row per plan and concern) and the wide form (a row per plan)."""

from __future__ import annotations

import csv
import io

from ketcover.compare import Comparison, file_names
from ketcover.model import NETWORKS
from ketcover.normalize import one_line
from ketcover.render.escape import csv_safe

# "share" (member | plan | not_stated, costs only) last: a reader of the older columns finds them where they were.
CSV_FIELDS = ("plan", "file", "row", "title", "network", "status", "answer", "pages", "quote", "share")
def render_csv(comparison: Comparison) -> str:
    """One row per plan and concern (costs: one row per stated value), for spreadsheets."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)

    def pages(values) -> str:
        return " ".join(str(p) for p in values)

    for index, plan in enumerate(comparison.plans):
        for row in comparison.rows:
            cell = row.cells[index]
            base = [plan.name, file_names(plan.file), row.key, row.title]
            if plan.status == "error":
                rows = [base + ["", "error", plan.error, "", "", ""]]
            elif cell.values:
                rows = [base + [v.network, "stated", v.value, str(v.page), one_line(v.quote), v.share] for v in cell.values]
            else:
                rows = [base + ["", cell.status, cell.answer, pages(cell.pages), one_line(cell.quote), ""]]
            for values in rows:
                writer.writerow([csv_safe(v) for v in values])
    return buffer.getvalue()


def render_csv_wide(comparison: Comparison) -> str:
    """One row per plan, a column per field and one for its pages: a side-by-side sheet. Costs get
    a column per network (and plan option) with its page, deductible rule, visit limit and whose share it is."""
    cost_columns: list[tuple[str, str, str]] = []  # (item, option, network) in row order
    for row in comparison.rows:
        if row.kind == "cost":
            keys = {(v.plan_option, v.network) for cell in row.cells for v in cell.values}
            cost_columns += [(row.key, o, n) for o, n in sorted(keys, key=lambda k: (k[0], NETWORKS.index(k[1])))]
    header = ["plan", "files"]
    for row in comparison.rows:
        if row.kind == "concern":
            header += [row.key, f"{row.key}.pages"]
        else:
            header += [row.key + ".status"]
            for key, option, network in cost_columns:
                if key == row.key:
                    name = ".".join(x for x in (row.key, option.lower().replace(" ", "_"), network) if x)
                    header += [name, f"{name}.page", f"{name}.deductible_applies", f"{name}.visit_limit", f"{name}.share"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for index, plan in enumerate(comparison.plans):
        line = [plan.name, file_names(plan.file)]
        for row in comparison.rows:
            cell = row.cells[index]
            if row.kind == "concern":
                line += [cell.answer, " ".join(str(p) for p in cell.pages)]
                continue
            line.append(cell.status)
            values = {(v.plan_option, v.network): v for v in cell.values}
            for key, option, network in cost_columns:
                if key == row.key:
                    value = values.get((option, network))
                    line += ([value.value, str(value.page), value.deductible_applies, value.visit_limit, value.share]
                             if value else ["", "", "", "", ""])
        writer.writerow([csv_safe(v) for v in line])
    return buffer.getvalue()
