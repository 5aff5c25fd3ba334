"""Write ketcover's fictional sample policy PDFs (Example Health Plan) into this folder, deterministically."""
import io
from pathlib import Path

import yaml

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

OUT = Path(__file__).resolve().parent
CONTENT = OUT / "content"
PLAN = "Example Health Plan"
WEB = "www.examplehealthplan.example"
PHONE = "1-800-555-0142"
TTY = "711"


# --------------------------------------------------------------------------- common helpers


def numbered_canvas(draw_total):
    """Canvas class that defers each page until the total page count is known.

    draw_total(canvas, page_number, page_count) paints whatever needs the total
    ("Page N of M").
    """

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved_pages = []

        def showPage(self):
            self._saved_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._saved_pages)
            for state in self._saved_pages:
                self.__dict__.update(state)
                draw_total(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


class TrackedPara(Paragraph):
    """A paragraph whose drawn pieces (after page splits) are recorded by the document."""


class Marker(Flowable):
    """Zero-size flowable that records (page, absolute y) where it lands."""

    def __init__(self, sink):
        super().__init__()
        self.sink = sink

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        self.sink.append((self.canv.getPageNumber(), self.canv.absolutePosition(0, 0)[1]))


class TrackingDoc(BaseDocTemplate):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tracked = []

    def afterFlowable(self, flowable):
        if isinstance(flowable, TrackedPara):
            lines = flowable.blPara.lines
            if flowable.blPara.kind == 0:
                text = " ".join(" ".join(words) for _, words in lines)
            else:
                text = " ".join("".join(w.text for w in line.words) for line in lines)
            self.tracked.append((self.page, text))


def doc_kwargs(title, subject):
    return dict(
        invariant=1,
        title=title,
        author=PLAN,
        subject=subject,
        creator="ketcover sample_policies/generate.py",
        producer="ReportLab",
        keywords=["sample", "fictional", PLAN],
    )


def style(name, **kw):
    base = {} if "parent" in kw else dict(fontName="Times-Roman", fontSize=11, leading=14)
    base.update(kw)
    return ParagraphStyle(name, **base)


def load_content(name):
    """The blocks of one document or chapter, from content/NAME.yaml."""
    return yaml.safe_load((CONTENT / f"{name}.yaml").read_text(encoding="utf-8"))


def length(value):
    """A length in points; a string such as "1.6 inch" is read in inches (kept as written so floats match)."""
    if isinstance(value, str) and value.endswith(" inch"):
        return float(value[: -len(" inch")]) * inch
    return value


BREAKS = {"page break": PageBreak, "frame break": FrameBreak}


def render(blocks, styles, tables=None, item="item", bullet="\u2013"):
    """Turn content blocks into flowables.

    A block is "page break" / "frame break", {space: pts}, {cond_page_break: pts}, {next_template: id},
    {STYLE: text} for a paragraph in one of `styles`, {items: [...], bullet?, style?} or
    {numbered: [...], style?} for a list, or {TABLE: value} for one of the document's table layouts.
    """
    tables = tables or {}
    story = []
    for block in blocks:
        if isinstance(block, str):
            story.append(BREAKS[block]())
            continue
        if "items" in block:
            st = styles[block.get("style", item)]
            story += [Paragraph(t, st, bulletText=block.get("bullet", bullet)) for t in block["items"]]
            continue
        if "numbered" in block:
            st = styles[block.get("style", item)]
            story += [Paragraph(t, st, bulletText=f"{i}.") for i, t in enumerate(block["numbered"], 1)]
            continue
        ((kind, value),) = block.items()
        if kind == "space":
            story.append(Spacer(1, length(value)))
        elif kind == "cond_page_break":
            story.append(CondPageBreak(length(value)))
        elif kind == "next_template":
            story.append(NextPageTemplate(value))
        elif kind in styles:
            story.append(Paragraph(value, styles[kind]))
        elif kind in tables:
            drawn = tables[kind](value)
            story += drawn if isinstance(drawn, list) else [drawn]
        else:
            raise SystemExit(f"unknown content block {kind!r}: {block!r}")
    return story


# --------------------------------------------------------------------------- 1. SBC

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


def sbc_page_decor(canv, doc):
    width, height = landscape(letter)
    canv.saveState()
    canv.setFont(SBC_FONT, 7.5)
    canv.drawString(
        0.5 * inch,
        height - 0.38 * inch,
        "* For more information about limitations and exceptions, see the plan or policy document at "
        f"{WEB}/sbc/silver-ppo-3000.",
    )
    canv.setStrokeColor(HEAD_BLUE)
    canv.setLineWidth(0.6)
    canv.line(0.5 * inch, height - 0.45 * inch, width - 0.5 * inch, height - 0.45 * inch)
    canv.setFont(SBC_FONT, 7)
    canv.drawString(0.5 * inch, 0.3 * inch, "SBC form EHP-SBC-SPPO-2026 (sample document; fictional plan)")
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


def build_sbc():
    path = OUT / "sbc_example-health_silver-ppo.pdf"
    pagesize = landscape(letter)
    doc = BaseDocTemplate(
        str(path),
        pagesize=pagesize,
        leftMargin=0.5 * inch,
        rightMargin=0.5 * inch,
        topMargin=0.55 * inch,
        bottomMargin=0.5 * inch,
        **doc_kwargs(
            "Summary of Benefits and Coverage - Example Health Plan Silver PPO 3000",
            "Summary of Benefits and Coverage, coverage period 01/01/2026 - 12/31/2026 (fictional sample)",
        ),
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="f", leftPadding=0,
                  rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="sbc", frames=[frame], onPage=sbc_page_decor)])

    styles = {"p": S_SBC_BODY, "heading": S_SBC_H, "item": S_SBC_BULLET}
    story = render(load_content("sbc"), styles, SBC_TABLES)
    doc.build(story, canvasmaker=numbered_canvas(sbc_total))
    return path


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


SBC_TABLES = {
    "masthead": sbc_masthead,
    "questions": sbc_questions,
    "benefits": sbc_benefits,
    "grid": bullet_grid,
    "coverage_examples": coverage_examples,
}


# --------------------------------------------------------------------------- 2. EOC

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


def eoc_decor(canv, doc):
    width, height = letter
    if doc.page == 1:
        return
    canv.saveState()
    canv.setFont("Times-Italic", 9)
    canv.drawString(EOC_MARGIN, height - 0.6 * inch, f"{PLAN} Gold HMO 1000 - Evidence of Coverage")
    canv.drawRightString(width - EOC_MARGIN, height - 0.6 * inch, "Plan Year 2026")
    canv.setLineWidth(0.4)
    canv.line(EOC_MARGIN, height - 0.66 * inch, width - EOC_MARGIN, height - 0.66 * inch)
    canv.setFont("Times-Roman", 8)
    canv.drawString(EOC_MARGIN, 0.55 * inch, "Form EHP-EOC-GHMO-2026")
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
    return [Paragraph(f"<b>{term}.</b> {text}", E_BODY) for term, text in sorted(terms.items(), key=lambda d: d[0].lower())]


def eoc_plan_facts(fields):
    """Appendix D's plan facts grid: bold label, value."""
    return Table(
        [[Paragraph(f"<b>{a}</b>", E_CELL), Paragraph(b, E_CELL)] for a, b in fields.items()],
        colWidths=[150, 290],
        style=TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]),
    )


def eoc_deadline(value, pad, marks):
    """Section 11.3: a marker where the heading would land, `pad` points of space, then the heading and the
    tracked paragraph whose deadline sentence build_eoc places across a page break."""
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
        story += render(load_content(f"eoc/{path.stem}"), styles, tables)
    return story


def build_eoc_once(pad):
    buf = io.BytesIO()
    width, height = letter
    doc = TrackingDoc(
        buf,
        pagesize=letter,
        leftMargin=EOC_MARGIN,
        rightMargin=EOC_MARGIN,
        topMargin=0.95 * inch,
        bottomMargin=EOC_BOTTOM,
        **doc_kwargs(
            "Evidence of Coverage - Example Health Plan Gold HMO 1000, Plan Year 2026",
            "Evidence of Coverage (fictional sample)",
        ),
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
            PageTemplate(id="onecol", frames=[one], onPage=eoc_decor),
            PageTemplate(id="twocol_first", frames=[head, left_first, right_first], onPage=eoc_decor,
                         autoNextPageTemplate="twocol"),
            PageTemplate(id="twocol", frames=[left, right], onPage=eoc_decor),
        ]
    )
    marks = []
    story = eoc_story(pad, marks)
    doc.build(story, canvasmaker=numbered_canvas(eoc_total))
    return buf.getvalue(), doc.tracked, marks


def build_eoc():
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


# --------------------------------------------------------------------------- 3. medical policy

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

POLICY_NO = "EHP-MP-BH-0427"


def policy_decor(canv, doc):
    width, height = letter
    canv.saveState()
    canv.setFont("Helvetica-Bold", 8.5)
    canv.drawString(0.9 * inch, height - 0.55 * inch, f"{PLAN} Medical Policy")
    canv.setFont("Helvetica", 8.5)
    canv.drawRightString(width - 0.9 * inch, height - 0.55 * inch,
                         f"Policy Number: {POLICY_NO}    Effective Date: March 1, 2026")
    canv.setStrokeColor(colors.HexColor("#14375E"))
    canv.line(0.9 * inch, height - 0.62 * inch, width - 0.9 * inch, height - 0.62 * inch)
    canv.setFont("Helvetica", 7.5)
    canv.drawString(0.9 * inch, 0.5 * inch,
                    f"Proprietary information of {PLAN}. Fictional sample document. (c) 2026 {PLAN}.")
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


POLICY_TABLES = {"codes": code_table, "facts": policy_facts, "definitions": policy_definitions, "history": policy_history}


def build_policy():
    path = OUT / "medical-policy_example-health_esketamine-ketamine.pdf"
    doc = BaseDocTemplate(
        str(path),
        pagesize=letter,
        leftMargin=0.9 * inch,
        rightMargin=0.9 * inch,
        topMargin=0.85 * inch,
        bottomMargin=0.8 * inch,
        **doc_kwargs(
            "Medical Policy EHP-MP-BH-0427: Esketamine Nasal Spray and Ketamine Infusion",
            "Payer medical policy (fictional sample)",
        ),
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="f", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="p", frames=[frame], onPage=policy_decor)])
    styles = {"title": M_H1, "heading": M_H2, "subheading": M_H3, "p": M_BODY, "item": M_ITEM, "reference": M_REF,
              "small": M_SMALL}
    s = render(load_content("medical-policy"), styles, POLICY_TABLES)
    doc.build(s, canvasmaker=numbered_canvas(policy_total))
    return path


# --------------------------------------------------------------------------- 4. denial letter

L_BODY = style("l_body", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=7)
L_ITEM = style("l_item", parent=L_BODY, leftIndent=18, bulletIndent=6, spaceAfter=3)
L_H = style("l_h", fontName="Helvetica-Bold", fontSize=11, leading=14, spaceBefore=6, spaceAfter=4)
L_TITLE = style("l_title", fontName="Helvetica-Bold", fontSize=13, leading=16, spaceAfter=6)


def letter_decor(canv, doc):
    width, height = letter
    canv.saveState()
    canv.setFont("Helvetica-Bold", 12)
    canv.setFillColor(colors.HexColor("#14375E"))
    canv.drawString(inch, height - 0.65 * inch, PLAN)
    canv.setFillColor(colors.black)
    canv.setFont("Helvetica", 8)
    canv.drawString(
        inch,
        height - 0.8 * inch,
        f"Pharmacy and Medical Services Department  |  P.O. Box 4120, Springfield  |  {PHONE} (TTY {TTY})",
    )
    canv.line(inch, height - 0.87 * inch, width - inch, height - 0.87 * inch)
    canv.setFont("Helvetica", 7.5)
    canv.drawString(inch, 0.55 * inch, "Reference: UM-2026-0216-44817  |  Member ID: EHP004417729  |  Fictional sample")
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
    return Table([[""]], colWidths=[468], rowHeights=[height], style=TableStyle([("BOX", (0, 0), (-1, -1), 0.5, colors.grey)]))


LETTER_TABLES = {"details": letter_details, "form": letter_form, "answer_box": answer_box}


def build_letter():
    path = OUT / "denial-letter_example-health_spravato.pdf"
    doc = BaseDocTemplate(
        str(path),
        pagesize=letter,
        leftMargin=inch,
        rightMargin=inch,
        topMargin=1.1 * inch,
        bottomMargin=0.85 * inch,
        **doc_kwargs(
            "Notice of Adverse Benefit Determination - Spravato (esketamine)",
            "Prior authorization denial letter (fictional sample)",
        ),
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="f", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="l", frames=[frame], onPage=letter_decor)])
    styles = {"p": L_BODY, "heading": L_H, "title": L_TITLE, "item": L_ITEM}
    s = render(load_content("denial-letter"), styles, LETTER_TABLES)
    doc.build(s, canvasmaker=numbered_canvas(letter_total))
    return path


def main():
    for build in (build_sbc, build_eoc, build_policy, build_letter):
        path = build()
        print(f"wrote {path.name} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
