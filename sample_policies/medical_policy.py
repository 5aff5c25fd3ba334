"""Layout of the sample medical policy (header, code tables, history); words: content/medical-policy.yaml."""
from functools import partial

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle

from layout import OUT, doc_kwargs, load_content, numbered_canvas, render, style

M_BODY = style("m_body", fontName="Helvetica", fontSize=10, leading=13.2, spaceAfter=6)
M_ITEM = style("m_item", parent=M_BODY, leftIndent=20, bulletIndent=6, spaceAfter=3)
M_H1 = style("m_h1", fontName="Helvetica-Bold", fontSize=15, leading=19, spaceAfter=6)
M_H2 = style("m_h2", fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=8, spaceAfter=4,
             textColor=colors.HexColor("#14375E"), keepWithNext=1)
M_H3 = style("m_h3", fontName="Helvetica-Bold", fontSize=10, leading=13, spaceBefore=4, spaceAfter=2,
             keepWithNext=1)
M_CELL = style("m_cell", fontName="Helvetica", fontSize=9, leading=11)
M_CELL_B = style("m_cell_b", fontName="Helvetica-Bold", fontSize=9, leading=11)
M_SMALL = style("m_small", parent=M_BODY, fontSize=8, leading=10)
M_REF = style("m_ref", parent=M_BODY, fontSize=9, leading=11.5, leftIndent=18, bulletIndent=0, spaceAfter=4)


def policy_decor(page, canv, doc):
    width, height = letter
    canv.saveState()
    canv.setFont("Helvetica-Bold", 8.5)
    canv.drawString(0.9 * inch, height - 0.55 * inch, page["header_left"])
    canv.setFont("Helvetica", 8.5)
    canv.drawRightString(width - 0.9 * inch, height - 0.55 * inch, page["header_right"])
    canv.setStrokeColor(colors.HexColor("#14375E"))
    canv.line(0.9 * inch, height - 0.62 * inch, width - 0.9 * inch, height - 0.62 * inch)
    canv.setFont("Helvetica", 7.5)
    canv.drawString(0.9 * inch, 0.5 * inch, page["footer"])
    canv.restoreState()


def policy_total(canv, page, total):
    width, _ = letter
    canv.saveState()
    canv.setFont("Helvetica", 8.5)
    canv.drawRightString(width - 0.9 * inch, 0.5 * inch, f"Page {page} of {total}")
    canv.restoreState()


def code_table(value, widths=(80, 388)):
    """Billing codes: a header row ("Code", title) then one row per code."""
    data = [[Paragraph("Code", M_CELL_B), Paragraph(value["title"], M_CELL_B)]]
    data += [[Paragraph(c, M_CELL), Paragraph(d, M_CELL)] for c, d in value["rows"].items()]
    return Table(
        data,
        colWidths=list(widths),
        repeatRows=1,
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#8A8A8A")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F2")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        ),
    )


def policy_facts(fields):
    """The boxed policy number / dates block under the title."""
    return Table(
        [[Paragraph(f"<b>{a}</b>", M_CELL), Paragraph(b, M_CELL)] for a, b in fields.items()],
        colWidths=[110, 358],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, colors.HexColor("#14375E")),
                ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEF2F7")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        ),
    )


def policy_definitions(terms):
    """Definitions as body paragraphs that open with the bold term."""
    return [Paragraph(f"<b>{term}:</b> {text}", M_BODY) for term, text in terms.items()]


def policy_history(changes):
    """Policy history grid: date, summary of changes."""
    return Table(
        [[Paragraph("<b>Date</b>", M_CELL), Paragraph("<b>Summary of changes</b>", M_CELL)]]
        + [[Paragraph(a, M_CELL), Paragraph(b, M_CELL)] for a, b in changes.items()],
        colWidths=[80, 388],
        style=TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]),
    )


STYLES = {"title": M_H1, "heading": M_H2, "subheading": M_H3, "p": M_BODY, "item": M_ITEM, "reference": M_REF,
          "small": M_SMALL}
TABLES = {"codes": code_table, "facts": policy_facts, "definitions": policy_definitions, "history": policy_history}


def build():
    content = load_content("medical-policy")
    path = OUT / "medical-policy_example-health_esketamine-ketamine.pdf"
    doc = BaseDocTemplate(
        str(path),
        pagesize=letter,
        leftMargin=0.9 * inch,
        rightMargin=0.9 * inch,
        topMargin=0.85 * inch,
        bottomMargin=0.8 * inch,
        **doc_kwargs(content["document"]),
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="f", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="p", frames=[frame], onPage=partial(policy_decor, content["page"]))])
    story = render(content["blocks"], STYLES, TABLES, where="content/medical-policy.yaml")
    doc.build(story, canvasmaker=numbered_canvas(policy_total))
    return path
