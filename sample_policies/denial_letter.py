"""Layout of the sample denial letter (letterhead, member block, appeal form); words: content/denial-letter.yaml."""
from functools import partial

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.units import inch
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Table, TableStyle

from layout import OUT, doc_kwargs, load_content, numbered_canvas, render, style

L_BODY = style("l_body", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=7)
L_ITEM = style("l_item", parent=L_BODY, leftIndent=18, bulletIndent=6, spaceAfter=3)
L_H = style("l_h", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=6, spaceAfter=4)
L_TITLE = style("l_title", fontName="Helvetica-Bold", fontSize=13, leading=16, spaceAfter=6)


def letter_decor(page, canv, doc):
    width, height = letter
    canv.saveState()
    canv.setFont("Helvetica-Bold", 12)
    canv.setFillColor(colors.HexColor("#14375E"))
    canv.drawString(inch, height - 0.65 * inch, page["letterhead"])
    canv.setFillColor(colors.black)
    canv.setFont("Helvetica", 8)
    canv.drawString(inch, height - 0.8 * inch, page["department"])
    canv.line(inch, height - 0.87 * inch, width - inch, height - 0.87 * inch)
    canv.setFont("Helvetica", 7.5)
    canv.drawString(inch, 0.55 * inch, page["footer"])
    canv.restoreState()


def letter_total(canv, page, total):
    width, _ = letter
    canv.saveState()
    canv.setFont("Helvetica", 8)
    canv.drawRightString(width - inch, 0.55 * inch, f"Page {page} of {total}")
    canv.restoreState()


def letter_details(fields):
    """The member/request block under the address: bold label, value."""
    return Table(
        [[Paragraph(f"<b>{label}:</b>", L_BODY), Paragraph(value, L_BODY)] for label, value in fields.items()],
        colWidths=[110, 358],
        style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]),
    )


def letter_form(fields):
    """The appeal form's ruled grid: bold question, answer (often blank)."""
    return Table(
        [[Paragraph(f"<b>{label}</b>", L_BODY), Paragraph(value, L_BODY)] for label, value in fields.items()],
        colWidths=[170, 298],
        rowHeights=None,
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        ),
    )


def answer_box(height):
    """An empty framed box to write in."""
    return Table(
        [[""]], colWidths=[468], rowHeights=[height], style=TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.grey)])
    )


STYLES = {"p": L_BODY, "heading": L_H, "title": L_TITLE, "item": L_ITEM}
TABLES = {"details": letter_details, "form": letter_form, "answer_box": answer_box}


def build():
    content = load_content("denial-letter")
    path = OUT / "denial-letter_example-health_spravato.pdf"
    doc = BaseDocTemplate(
        str(path),
        pagesize=letter,
        leftMargin=inch,
        rightMargin=inch,
        topMargin=1.1 * inch,
        bottomMargin=0.85 * inch,
        **doc_kwargs(content["document"]),
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="f", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="l", frames=[frame], onPage=partial(letter_decor, content["page"]))])
    story = render(content["blocks"], STYLES, TABLES, where="content/denial-letter.yaml")
    doc.build(story, canvasmaker=numbered_canvas(letter_total))
    return path
