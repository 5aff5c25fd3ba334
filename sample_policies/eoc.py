"""Layout of the sample EOC (cover, one- and two-column pages, charts, the page-crossing appeal deadline);
its words are in content/eoc.yaml and content/eoc/."""
import io
from functools import partial

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import Frame, PageTemplate, Paragraph, Spacer, Table, TableStyle

from layout import (
    CONTENT,
    OUT,
    Marker,
    TrackedPara,
    TrackingDoc,
    doc_kwargs,
    load_content,
    numbered_canvas,
    render,
    style,
)

E_BODY = style("e_body", fontName="Times-Roman", fontSize=12, leading=16, spaceAfter=8)
E_ITEM = style("e_item", parent=E_BODY, leftIndent=16, bulletIndent=4, spaceAfter=3)
E_H1 = style("e_h1", fontName="Times-Bold", fontSize=17, leading=21, spaceAfter=10)
E_H2 = style("e_h2", fontName="Times-Bold", fontSize=13, leading=16, spaceBefore=8, spaceAfter=4, keepWithNext=1)
E_H3 = style("e_h3", fontName="Times-Bold", fontSize=11, leading=14, spaceBefore=4, spaceAfter=2, keepWithNext=1)
E_CELL = style("e_cell", fontName="Times-Roman", fontSize=9.5, leading=11.5)
E_CELL_B = style("e_cell_b", fontName="Times-Bold", fontSize=9.5, leading=11.5)
E_COL = style("e_col", parent=E_BODY, fontSize=10, leading=12.5, spaceAfter=5)
E_COL_ITEM = style("e_col_item", parent=E_COL, leftIndent=12, bulletIndent=2, spaceAfter=4)
E_COVER = style("e_cover", fontName="Times-Bold", fontSize=26, leading=32, alignment=TA_CENTER)
E_COVER2 = style("e_cover2", fontName="Times-Roman", fontSize=14, leading=19, alignment=TA_CENTER)
E_FICT = style("e_fict", fontName="Times-Italic", fontSize=9, leading=11, alignment=TA_CENTER)

EOC_MARGIN = 1.15 * inch
EOC_BOTTOM = 0.95 * inch
# the internal-appeal deadline sentence is placed so that it runs across a page break
DEADLINE_SENTENCE_END = "within 180 days after the date you receive the notice of adverse benefit determination."


def eoc_decor(page, canv, doc):
    width, height = letter
    if doc.page == 1:
        return
    canv.saveState()
    canv.setFont("Times-Italic", 9)
    canv.drawString(EOC_MARGIN, height - 0.6 * inch, page["header_left"])
    canv.drawRightString(width - EOC_MARGIN, height - 0.6 * inch, page["header_right"])
    canv.setLineWidth(0.4)
    canv.line(EOC_MARGIN, height - 0.66 * inch, width - EOC_MARGIN, height - 0.66 * inch)
    canv.setFont("Times-Roman", 8)
    canv.drawString(EOC_MARGIN, 0.55 * inch, page["footer"])
    canv.restoreState()


def eoc_total(canv, page, total):
    if page == 1:
        return
    width, _ = letter
    canv.saveState()
    canv.setFont("Times-Roman", 9)
    canv.drawRightString(width - EOC_MARGIN, 0.55 * inch, f"Page {page} of {total}")
    canv.restoreState()


def eoc_grid(rows, widths):
    """A ruled chart whose first row is a grey header row."""
    data = [[Paragraph(c, E_CELL_B if i == 0 else E_CELL) for c in r] for i, r in enumerate(rows)]
    return Table(
        data,
        colWidths=widths,
        repeatRows=1,
        style=TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E4E4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        ),
    )


def eoc_definitions(terms):
    """Chapter 1: one paragraph per term, bold term first, in alphabetical order whatever the file's order."""
    ordered = sorted(terms.items(), key=lambda d: d[0].lower())
    return [Paragraph(f"<b>{term}.</b> {text}", E_BODY) for term, text in ordered]


def eoc_plan_facts(fields):
    """Appendix D's plan facts grid: bold label, value."""
    return Table(
        [[Paragraph(f"<b>{a}</b>", E_CELL), Paragraph(b, E_CELL)] for a, b in fields.items()],
        colWidths=[150, 290],
        style=TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]),
    )


def eoc_deadline(value, pad, marks):
    """Section 11.3: a marker where the heading would land, `pad` points of space, then the heading and the
    tracked paragraph whose deadline sentence build() places across a page break."""
    if DEADLINE_SENTENCE_END not in value["text"]:
        raise SystemExit(f"content/eoc: the section 11.3 paragraph must contain {DEADLINE_SENTENCE_END!r}")
    return [
        Marker(marks),
        Spacer(1, pad),
        # no keepWithNext here: the heading must not drag the paragraph to the next page
        Paragraph(value["heading"], ParagraphStyle("e_h2_free", parent=E_H2, keepWithNext=0)),
        TrackedPara(value["text"], E_BODY),
    ]


def eoc_story(pad, marks):
    """Every file of content/eoc/ in name order (cover, welcome, chapters, appendices, notices)."""
    styles = {"h1": E_H1, "h2": E_H2, "h3": E_H3, "p": E_BODY, "item": E_ITEM, "col": E_COL, "col_item": E_COL_ITEM,
              "cover": E_COVER, "cover2": E_COVER2, "fictional": E_FICT}
    tables = {
        "definitions": eoc_definitions,
        "benefit_schedule": lambda rows: eoc_grid(rows, [205, 145, 118]),
        "preventive_schedule": lambda rows: eoc_grid(rows, [170, 140, 130]),
        "plan_facts": eoc_plan_facts,
        "deadline": lambda value: eoc_deadline(value, pad, marks),
    }
    story = []
    for path in sorted((CONTENT / "eoc").glob("*.yaml")):
        story += render(load_content(f"eoc/{path.stem}"), styles, tables, where=f"content/eoc/{path.name}")
    return story


def build_eoc_once(pad):
    content = load_content("eoc")
    decor = partial(eoc_decor, content["page"])
    buf = io.BytesIO()
    width, height = letter
    doc = TrackingDoc(
        buf,
        pagesize=letter,
        leftMargin=EOC_MARGIN,
        rightMargin=EOC_MARGIN,
        topMargin=0.95 * inch,
        bottomMargin=EOC_BOTTOM,
        **doc_kwargs(content["document"]),
    )
    pad0 = dict(leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    one = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="one", **pad0)
    gutter = 0.3 * inch
    colw = (doc.width - gutter) / 2
    head_h = 0.55 * inch
    head = Frame(doc.leftMargin, doc.bottomMargin + doc.height - head_h, doc.width, head_h, id="head", **pad0)
    left_first = Frame(doc.leftMargin, doc.bottomMargin, colw, doc.height - head_h, id="l1", **pad0)
    right_first = Frame(doc.leftMargin + colw + gutter, doc.bottomMargin, colw, doc.height - head_h, id="r1", **pad0)
    left = Frame(doc.leftMargin, doc.bottomMargin, colw, doc.height, id="l", **pad0)
    right = Frame(doc.leftMargin + colw + gutter, doc.bottomMargin, colw, doc.height, id="r", **pad0)
    doc.addPageTemplates(
        [
            PageTemplate(id="onecol", frames=[one], onPage=decor),
            PageTemplate(id="twocol_first", frames=[head, left_first, right_first], onPage=decor,
                         autoNextPageTemplate="twocol"),
            PageTemplate(id="twocol", frames=[left, right], onPage=decor),
        ]
    )
    marks = []
    story = eoc_story(pad, marks)
    doc.build(story, canvasmaker=numbered_canvas(eoc_total))
    return buf.getvalue(), doc.tracked, marks


def build():
    """Build the EOC, padding before Section 11.3 so that its filing-deadline sentence runs across a
    page break (a hard case for page-level extraction)."""
    path = OUT / "eoc_example-health_gold-hmo.pdf"
    _, _, marks = build_eoc_once(0)
    heading = E_H2.spaceBefore + E_H2.leading + E_H2.spaceAfter
    room = marks[0][1] - EOC_BOTTOM - heading
    lead = E_BODY.leading
    for k in range(2, 8):
        pad = room - k * lead - lead / 2
        if pad < 0:
            break
        data, tracked, _ = build_eoc_once(pad)
        if good_split(tracked):
            path.write_bytes(data)
            return path
    raise SystemExit("could not place the page-crossing sentence in the EOC")


def good_split(tracked):
    """True when the tracked paragraph was split across consecutive pages inside the deadline sentence."""
    if len(tracked) != 2:
        return False
    (page1, text1), (page2, text2) = tracked
    return page2 == page1 + 1 and "must file" in text1 and DEADLINE_SENTENCE_END not in text1


