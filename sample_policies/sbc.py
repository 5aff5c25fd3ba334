"""Layout of the sample SBC (the federal form's grids, benefit chart, coverage examples); words: content/sbc.yaml.

The form's fixed column headings ("Common Medical Event", "What You Will Pay", ...) are part of the form and stay here.
"""
from functools import partial

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.units import inch
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from layout import OUT, doc_kwargs, load_content, numbered_canvas, render, style

SBC_FONT = "Helvetica"
SBC_BOLD = "Helvetica-Bold"
S_CELL = style("sbc_cell", fontName=SBC_FONT, fontSize=8.3, leading=10)
S_CELL_B = style("sbc_cell_b", fontName=SBC_BOLD, fontSize=8.3, leading=10)
S_HEAD = style("sbc_head", fontName=SBC_BOLD, fontSize=8.5, leading=10.2, alignment=TA_CENTER)
S_SBC_BODY = style("sbc_body", fontName=SBC_FONT, fontSize=8.8, leading=11)
S_SBC_H = style("sbc_h", fontName=SBC_BOLD, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=3)
S_SBC_BULLET = style("sbc_bullet", fontName=SBC_FONT, fontSize=8.8, leading=11, leftIndent=10, bulletIndent=0)
HEAD_BLUE = colors.HexColor("#1F3F6E")
LIGHT_BLUE = colors.HexColor("#DCE6F2")
LIGHT_GREY = colors.HexColor("#F2F2F2")
S_TITLE = style("sbc_title", fontName=SBC_BOLD, fontSize=11.5, leading=14)
S_SUB = style("sbc_sub", fontName=SBC_FONT, fontSize=9.5, leading=12)
S_EX_TITLE = style("ex_t", fontName=SBC_BOLD, fontSize=10.5, leading=13)


def cell(text, bold=False):
    return Paragraph(text, S_CELL_B if bold else S_CELL)


def sbc_page_decor(page, canv, doc):
    width, height = landscape(letter)
    canv.saveState()
    canv.setFont(SBC_FONT, 7.5)
    canv.drawString(0.5 * inch, height - 0.38 * inch, page["header"])
    canv.setStrokeColor(HEAD_BLUE)
    canv.setLineWidth(0.6)
    canv.line(0.5 * inch, height - 0.45 * inch, width - 0.5 * inch, height - 0.45 * inch)
    canv.setFont(SBC_FONT, 7)
    canv.drawString(0.5 * inch, 0.3 * inch, page["footer"])
    canv.restoreState()


def sbc_total(canv, page, total):
    width, height = landscape(letter)
    canv.saveState()
    canv.setFont(SBC_BOLD, 8)
    canv.drawRightString(width - 0.5 * inch, height - 0.38 * inch, f"Page {page} of {total}")
    canv.restoreState()


def sbc_benefit_table(events):
    data = [
        [
            cell("Common Medical Event", True),
            cell("Services You May Need", True),
            Paragraph("What You Will Pay", S_HEAD),
            "",
            cell("Limitations, Exceptions, &amp; Other Important Information", True),
        ],
        [
            "",
            "",
            Paragraph("Network Provider<br/>(You will pay the least)", S_HEAD),
            Paragraph("Out-of-Network Provider<br/>(You will pay the most)", S_HEAD),
            "",
        ],
    ]
    cmds = [
        ("SPAN", (0, 0), (0, 1)),
        ("SPAN", (1, 0), (1, 1)),
        ("SPAN", (2, 0), (3, 0)),
        ("SPAN", (4, 0), (4, 1)),
        ("BACKGROUND", (0, 0), (-1, 1), LIGHT_BLUE),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7F7F7F")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    row = 2
    for event, services in events:
        first = row
        for i, (service, net, oon, limits) in enumerate(services):
            data.append(
                [
                    cell(event, True) if i == 0 else "",
                    cell(service),
                    cell(net),
                    cell(oon),
                    cell(limits),
                ]
            )
            row += 1
        if row - 1 > first:
            cmds.append(("SPAN", (0, first), (0, row - 1)))
        cmds.append(("BACKGROUND", (0, first), (0, row - 1), LIGHT_GREY))
    widths = [92, 140, 128, 128, 232]
    table = Table(data, colWidths=widths, repeatRows=2)
    table.setStyle(TableStyle(cmds))
    return table


def bullet_grid(items, ncols=3):
    """A dashed list poured into ncols columns, top to bottom."""
    per = -(-len(items) // ncols)
    cols = [items[i * per:(i + 1) * per] for i in range(ncols)]
    row = []
    for col in cols:
        row.append([Paragraph(it, S_SBC_BULLET, bulletText="\u2013") for it in col])
    return Table([row], colWidths=[240] * ncols, style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))


def coverage_examples(value):
    """The three side-by-side coverage examples (Peg, Joe, Mia) with their cost-sharing tables."""
    cols = []
    for ex in value["examples"]:
        who = ex["who"]
        parts = [
            Paragraph(f"<b>{ex['name']}</b>", S_EX_TITLE),
            Paragraph(ex["about"], S_SBC_BODY),
            Spacer(1, 4),
        ]
        parts += [Paragraph(t, S_SBC_BULLET, bulletText="\u2013") for t in value["plan_amounts"]]
        parts += [Spacer(1, 4), Paragraph("<b>This EXAMPLE event includes services like:</b>", S_SBC_BODY)]
        parts += [Paragraph(s, S_SBC_BODY) for s in ex["services"]]
        parts.append(Spacer(1, 4))
        parts.append(Paragraph(f"<b>Total Example Cost: {ex['total']}</b>", S_SBC_BODY))
        parts.append(Spacer(1, 4))
        parts.append(Paragraph(f"<b>In this example, {who} would pay:</b>", S_SBC_BODY))
        rows = [[cell("Cost Sharing", True), ""]] + [[cell(a), cell(b)] for a, b in ex["cost_sharing"].items()]
        rows += [[cell("What isn't covered", True), ""], [cell("Limits or exclusions"), cell(ex["excluded"])]]
        rows += [[cell(f"The total {who} would pay is", True), cell(ex["pays"], True)]]
        parts.append(
            Table(rows, colWidths=[150, 60], style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey)]))
        )
        cols.append(parts)
    return Table([cols], colWidths=[240, 240, 240], style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))


def sbc_masthead(rows):
    """Title block: each row is (bold title on the left, small note on the right), ruled below."""
    return Table(
        [[Paragraph(left, S_TITLE), Paragraph(right, S_SUB)] for left, right in rows],
        colWidths=[500, 220],
        style=TableStyle(
            [
                ("LINEBELOW", (0, 1), (-1, 1), 1.2, HEAD_BLUE),
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        ),
    )


def sbc_questions(rows):
    """The "Important Questions / Answers / Why This Matters" grid of page 1."""
    qdata = [[cell("Important Questions", True), cell("Answers", True), cell("Why This Matters:", True)]]
    for row in rows:
        qdata.append([cell(row["question"], True), cell(row["answer"]), cell(row["why"])])
    return Table(
        qdata,
        colWidths=[150, 210, 360],
        style=TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT_BLUE),
                ("BACKGROUND", (0, 1), (0, -1), LIGHT_GREY),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7F7F7F")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )


def sbc_benefits(events):
    """One page of the benefit chart: each event with its services (network, out-of-network, limits)."""
    return sbc_benefit_table(
        [
            (e["event"], [(s["service"], s["network"], s["out_of_network"], s["limits"]) for s in e["services"]])
            for e in events
        ]
    )


STYLES = {"p": S_SBC_BODY, "heading": S_SBC_H, "item": S_SBC_BULLET}
TABLES = {
    "masthead": sbc_masthead,
    "questions": sbc_questions,
    "benefits": sbc_benefits,
    "grid": bullet_grid,
    "coverage_examples": coverage_examples,
}


def build():
    content = load_content("sbc")
    path = OUT / "sbc_example-health_silver-ppo.pdf"
    pagesize = landscape(letter)
    doc = BaseDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=0.5 * inch,
        rightMargin=0.5 * inch,
        topMargin=0.55 * inch,
        bottomMargin=0.5 * inch,
        **doc_kwargs(content["document"]),
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="f", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="sbc", frames=[frame], onPage=partial(sbc_page_decor, content["page"]))])
    story = render(content["blocks"], STYLES, TABLES, where="content/sbc.yaml")
    doc.build(story, canvasmaker=numbered_canvas(sbc_total))
    return path
