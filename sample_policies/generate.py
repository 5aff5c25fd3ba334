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


def h1(text):
    return Paragraph(text, E_H1)


def h2(text):
    return Paragraph(text, E_H2)


def h3(text):
    return Paragraph(text, E_H3)


def para(text, st=E_BODY):
    return Paragraph(text, st)


def items(texts, st=E_ITEM, bullet="\u2013"):
    return [Paragraph(t, st, bulletText=bullet) for t in texts]


def numbered(texts, st=E_ITEM):
    return [Paragraph(t, st, bulletText=f"{i}.") for i, t in enumerate(texts, 1)]


def chapter(num, title):
    return [PageBreak(), h1(f"Chapter {num}. {title}")]


def eoc_cover():
    return [
        Spacer(1, 1.6 * inch),
        Paragraph(PLAN, E_COVER),
        Spacer(1, 0.25 * inch),
        Paragraph("Gold HMO 1000", E_COVER2),
        Spacer(1, 0.5 * inch),
        Paragraph("Evidence of Coverage", E_COVER),
        Spacer(1, 0.35 * inch),
        Paragraph("Plan Year: January 1, 2026 through December 31, 2026", E_COVER2),
        Paragraph("Large Group Coverage", E_COVER2),
        Spacer(1, 2.2 * inch),
        Paragraph(
            f"Member Services: {PHONE} (TTY {TTY})<br/>Monday through Friday, 8 a.m. to 8 p.m.<br/>{WEB}",
            E_COVER2,
        ),
        Spacer(1, 0.4 * inch),
        Paragraph("This is a fictional sample document. Example Health Plan is not a real company.",
                  style("e_fict", fontName="Times-Italic", fontSize=9, leading=11, alignment=TA_CENTER)),
    ]


def eoc_welcome():
    s = [PageBreak(), h1(f"Welcome to {PLAN}")]
    s += [
        para(
            f"Thank you for choosing {PLAN}. This Evidence of Coverage (EOC) is your guide to the benefits of the "
            "Gold HMO 1000 plan offered through your employer. Together with your enrollment form, any amendments "
            "we send you, and the Group Agreement between your employer and us, it forms the contract that "
            "describes your coverage. Please keep it in a safe place and read it carefully. Many of the rules in "
            "this document only make sense together, so we suggest that you read each chapter from beginning to "
            "end when you first enroll and return to it whenever you plan to use a benefit."
        ),
        para(
            "Words that begin with a capital letter have the special meanings given in Chapter 1. For example, "
            "when this EOC says a service must be Medically Necessary, the capital letters tell you that the word "
            "is used in the exact sense defined there. When we say \"we,\" \"us,\" or \"our,\" we mean "
            f"{PLAN}. When we say \"you\" or \"your,\" we mean the Subscriber and each enrolled Dependent."
        ),
        h2("How this Evidence of Coverage is organized"),
    ]
    s += items(
        [
            "Chapter 1 gives the meaning of words used throughout this document.",
            "Chapter 2 explains who can enroll, when coverage begins and how to add family members.",
            "Chapter 3 explains how to get care under this plan.",
            "Chapter 4 describes the amounts you pay and includes the Schedule of Benefits.",
            "Chapters 5 and 6 describe the medical services and prescription drugs this plan covers.",
            "Chapter 7 explains how we decide whether a service is Medically Necessary.",
            "Chapter 8 lists what this plan excludes and the limits that apply.",
            "Chapters 9 through 13 explain how claims are paid, how this plan works with other coverage, how "
            "coverage ends, and the general legal terms of the contract.",
            "The appendices give details of pediatric dental benefits, our care management and wellness programs, "
            "our Notice of Privacy Practices, information about the administration of the plan, and a preventive "
            "care schedule.",
        ]
    )
    s += [
        h2("Contacting Member Services"),
        para(
            f"Our Member Services representatives can answer questions about your benefits, help you find a doctor, "
            f"send you a new identification card, and explain anything in this EOC that is not clear. Call "
            f"{PHONE} (TTY {TTY}), Monday through Friday, 8 a.m. to 8 p.m. You can also write to us at "
            f"{PLAN}, Member Services, P.O. Box 4100, Springfield, or send a secure message through the member "
            f"website at {WEB}. When you call or write, please have your identification card with you so that we "
            "can find your records quickly."
        ),
        para(
            "If English is not your first language, we offer interpreter services at no cost to you. If you need "
            "this document in large print, braille, or another format, call Member Services and we will send it "
            "to you free of charge."
        ),
        h2("Your identification card"),
        para(
            "Each Member receives an identification card. Show it every time you receive care or fill a "
            "prescription. The card lists your member number, your group number, the name of your Primary Care "
            "Physician and the telephone numbers you may need. Letting another person use your card is a serious "
            "matter and may lead to the end of your coverage, as described in Chapter 12."
        ),
        h2("Changes to this document"),
        para(
            "Your employer may change the benefits of this plan at renewal. We will send you written notice of any "
            "material change at least 60 days before it takes effect. If a change applies to a service you are "
            "receiving when the change takes effect, the notice will tell you how the change affects that service."
        ),
    ]
    return s


DEFINITIONS = [
    ("Allowed Amount", "The maximum amount on which payment is based for a covered service. For a Provider that "
     "has an agreement with us, the Allowed Amount is the rate set in that agreement. Your Coinsurance is a "
     "percentage of the Allowed Amount."),
    ("Benefit Year", "The 12-month period from January 1 through December 31 during which Deductibles and "
     "Out-of-Pocket Maximums accumulate."),
    ("Brand-Name Drug", "A prescription drug sold under a trademark by the company that holds or held the patent, "
     "or a drug that we classify as a brand because of its pricing."),
    ("Calendar Day", "Every day of the week, including weekends and holidays."),
    ("Coinsurance", "The percentage of the Allowed Amount that you pay for a covered service after you meet any "
     "Deductible that applies. For example, if the Allowed Amount for a service is $1,000 and your Coinsurance "
     "is 20%, you pay $200."),
    ("Copayment", "A fixed dollar amount that you pay for a covered service, usually at the time you receive it. "
     "A Copayment does not change with the cost of the service."),
    ("Cosmetic", "Services that are mainly intended to change or improve appearance rather than to restore a "
     "bodily function or correct a deformity caused by illness, injury, or a congenital condition."),
    ("Custodial Care", "Help with activities of daily living, such as bathing, dressing, eating, moving from a bed "
     "to a chair, and taking medicines, that can be given safely by a person without medical training."),
    ("Deductible", "The amount you pay for certain covered services in a Benefit Year before we begin to pay. "
     "The Schedule of Benefits in Chapter 4 shows which services are subject to the Deductible."),
    ("Dependent", "A Member who is enrolled because of his or her relationship to the Subscriber, as described in "
     "Chapter 2."),
    ("Durable Medical Equipment", "Equipment that can withstand repeated use, is used mainly to serve a medical "
     "purpose, is generally not useful to a person who is not ill or injured, and is appropriate for use in the "
     "home."),
    ("Emergency Medical Condition", "A medical condition that shows itself by acute symptoms of sufficient "
     "severity, including severe pain, that a prudent layperson with an average knowledge of health and medicine "
     "could reasonably expect the absence of immediate medical attention to result in serious jeopardy to the "
     "health of the person (or, for a pregnant woman, the health of the woman or her unborn child), serious "
     "impairment to bodily functions, or serious dysfunction of any bodily organ or part."),
    ("Emergency Services", "A medical screening examination in the emergency department of a hospital, including "
     "ancillary services routinely available to the emergency department, to evaluate an Emergency Medical "
     "Condition, and the further examination and treatment needed to stabilize the patient."),
    ("Enrollment Date", "The first day of coverage or, if there is a waiting period, the first day of the waiting "
     "period."),
    ("Evidence of Coverage", "This document, together with any riders and amendments, which describes the "
     "benefits, limits and exclusions of the plan."),
    ("Experimental or Investigational Services", "Experimental or Investigational Services means a drug, "
     "biological product, device, medical treatment, or procedure that, at the time it is provided, meets any "
     "of the following conditions: (a) it is the subject of an ongoing phase I, II or III clinical trial, or is "
     "otherwise under study to determine its maximum tolerated dose, toxicity, safety, or efficacy compared with "
     "a standard means of treatment; (b) it cannot be lawfully marketed without the approval of the U.S. Food "
     "and Drug Administration (FDA) and that approval has not been given when the service is provided; (c) it is "
     "a drug prescribed for a use that is not FDA-approved, unless the use is recognized as effective in one of "
     "the standard reference compendia or in peer-reviewed medical literature; or (d) the prevailing opinion "
     "among experts, as shown in reliable evidence, is that further studies or trials are needed to determine "
     "its safety, efficacy, or effectiveness compared with a standard means of treatment. Reliable evidence "
     "includes published reports in authoritative medical and scientific literature, the written protocol used "
     "by the treating facility, and the informed consent form used for the service. We decide whether a service "
     "is Experimental or Investigational, and our decision is based on the reliable evidence available when the "
     "service is requested."),
    ("Family Coverage", "Coverage for the Subscriber and one or more Dependents."),
    ("Formulary", "The list of prescription drugs covered under this plan, arranged in cost-sharing tiers. The "
     "Formulary is described in Chapter 6."),
    ("Generic Drug", "A prescription drug that has the same active ingredient, strength and dosage form as a "
     "Brand-Name Drug and that is sold under its chemical name."),
    ("Group", "The employer or other organization that has entered into the Group Agreement with us."),
    ("Group Agreement", "The contract between us and the Group under which this coverage is provided."),
    ("Home Health Agency", "An agency licensed by the state to provide skilled nursing and other therapeutic "
     "services in the patient's home."),
    ("Hospice", "A program of care for a terminally ill person with a life expectancy of six months or less, "
     "focused on comfort and quality of life rather than cure."),
    ("Hospital", "An institution licensed as an acute care hospital that provides diagnostic and therapeutic "
     "services under the supervision of physicians, with 24-hour nursing by registered nurses."),
    ("Inpatient", "Care received after formal admission to a Hospital or other facility for an overnight stay or "
     "longer. Observation stays are not Inpatient care."),
    ("Medically Necessary", "Services that a prudent physician would provide to a patient to prevent, diagnose, or "
     "treat an illness, injury, disease, or its symptoms in a manner that is (a) in accordance with generally "
     "accepted standards of medical practice; (b) clinically appropriate in type, frequency, extent, site, and "
     "duration; and (c) not mainly for the convenience of the patient or the treating physician, and not more "
     "costly than an equally effective alternative."),
    ("Member", "The Subscriber or a Dependent who is enrolled under this plan."),
    ("Mental Health Condition", "A condition listed in the current edition of the Diagnostic and Statistical "
     "Manual of Mental Disorders (DSM) or the mental and behavioral disorders chapter of the International "
     "Classification of Diseases, other than a Substance Use Disorder. Mental Health Services are services to "
     "diagnose or treat a Mental Health Condition."),
    ("Non-Participating Provider", "A Provider that does not have an agreement with us to provide covered services "
     "to Members. Services from Non-Participating Providers are covered only as described in Chapter 3."),
    ("Out-of-Pocket Maximum", "The most you pay in Copayments, Coinsurance and Deductibles for covered services in "
     "a Benefit Year. After you reach it, we pay 100% of the Allowed Amount for the rest of the Benefit Year."),
    ("Outpatient", "Care that does not require an Inpatient admission, including care in a physician's office, "
     "clinic, ambulatory surgery center, or the outpatient department of a Hospital."),
    ("Participating Provider", "A physician, hospital, pharmacy, or other Provider that has an agreement with us to "
     "provide covered services to Members and to accept our payment plus your cost sharing as payment in full."),
    ("Physician", "A doctor of medicine (M.D.) or doctor of osteopathy (D.O.) licensed to practice medicine."),
    ("Premium", "The monthly amount paid by the Group and the Subscriber for coverage under this plan."),
    ("Primary Care Physician (PCP)", "A Participating Provider practicing in family medicine, internal medicine, "
     "general practice, or pediatrics whom you choose to provide and coordinate your care."),
    ("Prior Authorization", "Our written decision, made before you receive a service, that the service is "
     "Medically Necessary and covered. Chapter 7 lists the services that require Prior Authorization."),
    ("Provider", "A physician, other health care professional, hospital, facility, pharmacy, or supplier licensed "
     "or certified to provide health care services."),
    ("Residential Treatment", "Twenty-four-hour treatment for a Mental Health Condition or Substance Use Disorder in "
     "a licensed residential facility that provides a structured program under the direction of a physician."),
    ("Service Area", "The geographic area, listed in the Group Agreement, in which we have arranged a network of "
     "Participating Providers."),
    ("Skilled Nursing Facility", "A facility licensed to provide skilled nursing and rehabilitation services on an "
     "inpatient basis to patients who do not need acute Hospital care."),
    ("Specialist", "A physician who focuses on a specific area of medicine or a group of patients."),
    ("Specialty Drug", "A high-cost prescription drug that needs special handling, administration or monitoring, "
     "as identified on the Formulary."),
    ("Subscriber", "The employee or other person whose employment or membership is the basis for coverage."),
    ("Substance Use Disorder", "A condition described in the DSM or the International Classification of Diseases "
     "as a substance-related or addictive disorder. Substance Use Disorder Services are services to diagnose or "
     "treat such a condition."),
    ("Urgent Care", "Care for an illness or injury that is not an Emergency Medical Condition but that needs "
     "prompt attention to prevent serious deterioration of health."),
]

MORE_DEFINITIONS = [
    ("Accidental Injury", "Bodily injury caused by an external force or event that is sudden, unexpected and "
     "unintended, and that is the direct and independent cause of the need for care."),
    ("Ambulatory Surgery Center", "A licensed facility, other than a physician's office or a Hospital, that "
     "provides surgical procedures to patients who do not need to stay overnight."),
    ("Biosimilar", "A biological product that is highly similar to, and has no clinically meaningful difference "
     "from, an existing reference biological product. We treat a Biosimilar like a Generic Drug for tier "
     "placement when it is listed that way on the Formulary."),
    ("Birth Center", "A licensed facility, other than a Hospital, that provides prenatal care, delivery and "
     "immediate postpartum care for low-risk pregnancies."),
    ("Chronic Condition", "An illness or condition that is expected to last a year or longer and that needs "
     "ongoing care or limits activities of daily living."),
    ("Cost Sharing", "The share of the cost of a covered service that you pay, such as a Deductible, Copayment "
     "or Coinsurance. Premiums and charges for services that are not covered are not Cost Sharing."),
    ("Covered Service", "A service or supply that is described as covered in Chapters 5 and 6, is Medically "
     "Necessary, is not excluded in Chapter 8, and is received while you are a Member."),
    ("Effective Date", "The date your coverage under this plan begins, as shown in our records."),
    ("Facility", "A Hospital, Ambulatory Surgery Center, Birth Center, Skilled Nursing Facility, dialysis center, "
     "or other institution licensed to provide health care services."),
    ("Habilitative Services", "Services that help a person keep, learn or improve skills and functioning for daily "
     "living that were not developed as expected, such as therapy for a child who is not walking or talking at "
     "the expected age."),
    ("Illness", "A sickness or disease, including pregnancy and its complications."),
    ("Maintenance Drug", "A drug taken regularly over a long period to treat a Chronic Condition, such as high "
     "blood pressure, high cholesterol or diabetes."),
    ("Medicare", "The federal health insurance program established by Title XVIII of the Social Security Act, as "
     "amended."),
    ("Open Enrollment Period", "The period each year, set by your employer, during which eligible persons may "
     "enroll or change their coverage."),
    ("Orthotic Device", "A rigid or semi-rigid device, such as a brace or splint, used to support, align, or "
     "correct a weak or deformed part of the body."),
    ("Prosthetic Device", "A device that replaces all or part of a missing body part or its function, such as an "
     "artificial limb or eye."),
    ("Rehabilitative Services", "Services that help a person regain skills or functioning for daily living that "
     "were lost or impaired because of illness or injury."),
    ("Room and Board", "A Hospital or facility's charge for a semi-private room, meals, and general nursing "
     "services."),
    ("Spouse", "The person to whom the Subscriber is legally married under the laws of the place where the "
     "marriage took place."),
    ("Telehealth", "The delivery of health care services using real-time audio and video, or audio only when "
     "video is not available, between a patient and a Provider at different locations."),
    ("Waiting Period", "The period, set by your employer, that must pass before an employee or Dependent is "
     "eligible to enroll. A Waiting Period may not be longer than 90 days."),
]


def eoc_definitions():
    s = chapter(1, "Definitions")
    s.append(
        para(
            "The words below have the meanings shown whenever they begin with a capital letter in this Evidence of "
            "Coverage. Other words are defined in the chapter where they are used."
        )
    )
    for term, text in sorted(DEFINITIONS + MORE_DEFINITIONS, key=lambda d: d[0].lower()):
        s.append(para(f"<b>{term}.</b> {text}"))
    return s


def eoc_eligibility():
    s = chapter(2, "Eligibility and Enrollment")
    s += [
        h2("2.1 Who is eligible"),
        para(
            "You are eligible to enroll as a Subscriber if you meet the eligibility rules that your employer has "
            "set and reported to us in the Group Agreement. These rules usually depend on the number of hours "
            "you work each week and on your job classification. Your employer, not us, decides whether you meet "
            "them. If you are not sure whether you are eligible, ask your benefits office."
        ),
        para("The following family members may enroll as Dependents:"),
    ]
    s += items(
        [
            "Your spouse under a legally valid marriage, or your domestic partner if your employer has chosen to "
            "cover domestic partners;",
            "Your children, and the children of your spouse or domestic partner, until the end of the month in "
            "which they turn 26, whether or not they are married, live with you, or attend school;",
            "Children placed with you for adoption, children for whom you are the legal guardian, and children "
            "you are required to cover under a qualified medical child support order;",
            "A child of any age who cannot support himself or herself because of a disability that began before "
            "the child turned 26, if the child depends mainly on you for support. You must give us proof of the "
            "disability within 31 days after the child would otherwise lose coverage, and we may ask for proof "
            "again, but not more than once a year after the first two years.",
        ]
    )
    s += [
        para(
            "A person may not be enrolled both as a Subscriber and as a Dependent, and a child may not be enrolled "
            "as the Dependent of more than one Subscriber under this plan."
        ),
        h2("2.2 When you can enroll"),
        h3("Initial enrollment"),
        para(
            "You may enroll yourself and your eligible Dependents during the initial enrollment period your "
            "employer offers when you first become eligible. If you enroll during that period, coverage begins on "
            "the date your employer sets, which may be after a waiting period of no more than 90 days."
        ),
        h3("Open enrollment"),
        para(
            "Each year your employer holds an open enrollment period, usually in the fall. During open enrollment "
            "you may enroll if you did not enroll before, add or remove Dependents, or change to another plan your "
            "employer offers. Changes made during open enrollment take effect on the first day of the next Benefit "
            "Year."
        ),
        h3("Special enrollment"),
        para(
            "You do not have to wait for open enrollment if you experience one of the events below. In most cases "
            "you must ask to enroll within 31 days after the event. If the event is a loss of Medicaid or CHIP "
            "coverage, or becoming eligible for help with premiums under Medicaid or CHIP, you have 60 days."
        ),
    ]
    s += items(
        [
            "You or a Dependent lose other health coverage because of the end of employment, a reduction in hours, "
            "divorce, legal separation, death of the covered person, or the end of COBRA coverage. Loss of coverage "
            "because you did not pay premiums or because of fraud is not a special enrollment event.",
            "You marry, or you gain a Dependent through birth, adoption, placement for adoption, or a court order.",
            "A Dependent moves into the area in which this plan is offered from an area where other coverage was "
            "available.",
            "You become eligible for premium help from a state Medicaid or CHIP program.",
        ]
    )
    s += [
        para(
            "When you enroll because of marriage, coverage begins on the first day of the month after we receive "
            "your enrollment form. When you enroll because of birth, adoption, or placement for adoption, coverage "
            "begins on the date of the birth, adoption or placement. For other events, coverage begins on the first "
            "day of the month after we receive your request."
        ),
        h2("2.3 Newborn and adopted children"),
        para(
            "A newborn child of the Subscriber or of an enrolled spouse or domestic partner is covered from the "
            "moment of birth for the first 31 days. To continue coverage after that period, you must enroll the "
            "child within 31 days after the birth and pay any additional premium. An adopted child is covered from "
            "the date of placement for adoption on the same terms. If you do not enroll the child in time, you may "
            "add the child at the next open enrollment."
        ),
        h2("2.4 Qualified medical child support orders"),
        para(
            "A qualified medical child support order (QMCSO) is a court or agency order that requires a parent to "
            "provide health coverage for a child. If we or your employer receive an order that we determine to be "
            "qualified, we will enroll the child even if you have not asked us to and even if it is not open "
            "enrollment. We will send information about the child's coverage to the other parent or to the "
            "agency named in the order. The child's coverage continues for as long as the order requires, as "
            "long as you remain covered."
        ),
        h2("2.5 Changes in family status"),
        para(
            "You must tell your employer within 31 days when a Dependent no longer meets the eligibility rules, for "
            "example because of divorce or because a child reaches the age limit. Coverage for that Dependent "
            "ends as described in Chapter 12. If we pay for services received after a Dependent lost eligibility "
            "because you did not tell us in time, we may ask you to repay those amounts."
        ),
        para(
            "You must also tell us about a change of name, address, or telephone number, so that we can send you "
            "notices and identification cards. The simplest way is through the member website or by calling Member "
            "Services."
        ),
        h2("2.6 Premiums"),
        para(
            "Your employer pays us the monthly Premium for all enrolled Members and may deduct your share from "
            "your pay. Coverage continues only while the Premium is paid. If your employer fails to pay the "
            "Premium, we will give your employer a grace period of 31 days. If the Premium is still not paid at "
            "the end of the grace period, the Group Agreement and your coverage may end as described in Chapter "
            "12, and we will send you a notice. We may change Premium rates at renewal, or at other times allowed "
            "by law, after giving your employer written notice."
        ),
        h2("2.7 Medicare and this plan"),
        para(
            "If you are still working and become eligible for Medicare, you may remain covered under this plan. "
            "Whether this plan pays before or after Medicare depends on the size of your employer and on the reason "
            "you are eligible for Medicare; Chapter 10 explains these rules. If you stop working, your eligibility "
            "for this plan will end, and you should contact the Social Security Administration about enrolling in "
            "Medicare Part B so that you do not face a late enrollment penalty."
        ),
        h2("2.8 Statements and misstatements"),
        para(
            "All statements you make on your enrollment form are considered representations, not warranties. We "
            "will not use a statement to end your coverage unless it is contained in a written form signed by you "
            "and unless it was a fraudulent statement or an intentional misrepresentation of a material fact. If "
            "we end coverage for this reason, we will give you at least 30 days' written notice before the end "
            "takes effect, and we will return any premium paid for the period after coverage ends."
        ),
        h2("2.9 No pre-existing condition limits"),
        para(
            "This plan does not limit or exclude coverage because of a condition that existed before your "
            "Enrollment Date. We do not ask about your health when you enroll, and we do not charge a different "
            "Premium because of your health, gender, or claims history."
        ),
        h2("2.10 Domestic partners"),
        para(
            "If your employer covers domestic partners, you may enroll your domestic partner and the children of "
            "your domestic partner. Your employer will tell you what proof of the partnership is needed, such as a "
            "state or local registration certificate or a signed affidavit that you share a household and financial "
            "responsibilities. The value of coverage for a domestic partner who is not your tax dependent may be "
            "treated as taxable income to you; your employer's benefits office can tell you more."
        ),
        h2("2.11 Leaves of absence"),
        para(
            "If you take an approved leave under the Family and Medical Leave Act (FMLA), your coverage continues "
            "during the leave on the same terms as if you were working, as long as you pay your share of the "
            "Premium. If you do not return to work at the end of the leave, you may be able to continue coverage "
            "under COBRA as described in Chapter 12. For other leaves, your employer's policies decide whether "
            "coverage continues and for how long."
        ),
        h2("2.12 Rehired employees"),
        para(
            "If you stop working and are rehired within 13 weeks, your coverage will be restored on your return "
            "without a new Waiting Period, and any amounts you paid toward the Deductible and Out-of-Pocket "
            "Maximum earlier in the same Benefit Year will be credited. If you are rehired after 13 weeks, you will "
            "be treated as a new employee."
        ),
        h2("2.13 Retirees"),
        para(
            "Retirees are not eligible for this plan unless your employer's Group Agreement specifically provides "
            "retiree coverage. If it does, your employer will tell you about the eligibility rules, the Premium, and "
            "how this plan works together with Medicare."
        ),
    ]
    return s


def eoc_network():
    s = chapter(3, "How to Get Care: Participating Providers and Network Rules")
    s += [
        para(
            "The Gold HMO 1000 plan is a health maintenance organization plan. This means that, except in the "
            "situations described in this chapter, you must receive covered services from Participating Providers "
            "in our network. There is no coverage for services you receive from Non-Participating Providers "
            "except for Emergency Services, Urgent Care outside the Service Area, and the other exceptions "
            "listed in Section 3.6. If you choose to see a Non-Participating Provider in any other situation, you "
            "will be responsible for the full cost of the care."
        ),
        h2("3.1 Your Primary Care Physician"),
        para(
            "Each Member must choose a Primary Care Physician (PCP) from our list of Participating Providers. Your "
            "PCP provides most of your routine care, keeps your medical records, and coordinates care with "
            "Specialists and Hospitals. Each family member may choose a different PCP. A child may choose a "
            "pediatrician as PCP, and a woman may choose an obstetrician or gynecologist for women's health "
            "care without a referral."
        ),
        para(
            "If you do not choose a PCP within 30 days after you enroll, we will assign one to you based on where "
            "you live. You may change your PCP at any time by calling Member Services or using the member website. "
            "A change made by the 20th day of a month takes effect on the first day of the next month."
        ),
        h2("3.2 Referrals to Specialists"),
        para(
            "You need a referral from your PCP before you see most Participating Specialists. Your PCP will send the "
            "referral to us and to the Specialist. A referral is valid for the number of visits and the period "
            "shown on it, up to 12 months. You do not need a referral for the following services from a "
            "Participating Provider:"
        ),
    ]
    s += items(
        [
            "Obstetric and gynecological care, including routine well-woman visits;",
            "Emergency Services and Urgent Care;",
            "Routine eye examinations and pediatric vision care;",
            "Chiropractic care, up to the visit limit in the Schedule of Benefits.",
        ]
    )
    s += [
        para(
            "If you have a condition that needs ongoing care from a Specialist, your PCP may give you a standing "
            "referral, and in some cases the Specialist may act as your PCP. A referral to a Non-Participating "
            "Provider is valid only if it is arranged as described in Section 3.6."
        ),
        h2("3.3 Finding a Participating Provider"),
        para(
            f"Our provider directory lists the Participating Providers in the Service Area, with their addresses, "
            f"languages spoken, and whether they are accepting new patients. The directory is available at "
            f"{WEB}/find-a-doctor, and Member Services can send you a printed copy free of charge. We update the "
            "online directory at least every 90 days. If you receive care from a Provider who was listed in the "
            "directory as a Participating Provider but who was not participating when you received the care, you "
            "pay only the cost sharing you would have paid to a Participating Provider."
        ),
        h2("3.4 Emergency Services"),
        para(
            "If you have an Emergency Medical Condition, call 911 or go to the nearest emergency department. "
            "Emergency Services are covered anywhere in the world, whether the Provider is a Participating or a "
            "Non-Participating Provider, and you pay the same cost sharing you would pay in network. You do not "
            "need a referral. If you are admitted to a Non-Participating Hospital, please notify us within 48 "
            "hours, or as soon as you reasonably can, so that we can help coordinate your care. Once your condition "
            "is stable, we may arrange your transfer to a Participating Hospital. If you choose to stay at the "
            "Non-Participating Hospital after a transfer has been arranged and you have given written consent to "
            "be billed, care after that point is not covered."
        ),
        h2("3.5 Urgent Care"),
        para(
            "Inside the Service Area, Urgent Care is covered only at Participating urgent care centers or through "
            "your PCP. Outside the Service Area, Urgent Care is covered from any Provider. Follow-up care after you "
            "return to the Service Area must be from Participating Providers."
        ),
        h2("3.6 Other care from Non-Participating Providers"),
        para(
            "We cover services from a Non-Participating Provider at the in-network cost sharing level only in "
            "these situations:"
        ),
    ]
    s += items(
        [
            "Emergency Services, and air ambulance services, as required by federal law;",
            "Services from a Non-Participating anesthesiologist, radiologist, pathologist, neonatologist, "
            "assistant surgeon or hospitalist at a Participating Hospital or ambulatory surgery center, when you "
            "did not choose that Provider;",
            "Covered services that no Participating Provider in the Service Area can provide, when your PCP has "
            "arranged the referral with us before you receive the services;",
            "Continuation of care with a Provider who leaves our network, as described in Section 3.7.",
        ]
    )
    s += [
        para(
            "In these situations the Non-Participating Provider may not bill you more than your in-network cost "
            "sharing. This protection against surprise bills does not apply if you knowingly chose a "
            "Non-Participating Provider after receiving a written notice and signing a consent form."
        ),
        h2("3.7 When a Provider leaves our network"),
        para(
            "If your PCP or a Specialist you are seeing leaves our network, we will tell you at least 30 days "
            "before the change when we can. If you are in an active course of treatment for a serious and complex "
            "condition, are pregnant, are scheduled for non-elective surgery, or are receiving Inpatient care, you "
            "may continue to see that Provider for up to 90 days, or through postpartum care, at in-network cost "
            "sharing, if the Provider agrees to accept our rates."
        ),
        h2("3.8 Care outside the Service Area"),
        para(
            "Except for Emergency Services and Urgent Care, this plan does not cover routine, follow-up, or "
            "elective care received outside the Service Area. Dependent children who attend school outside the "
            "Service Area are covered outside the Service Area only for Emergency Services and Urgent Care."
        ),
    ]
    return s


def eoc_costs():
    s = chapter(4, "Your Costs and the Schedule of Benefits")
    s += [
        para(
            "This chapter explains the amounts you pay when you receive covered services. The amounts are shown "
            "in the Schedule of Benefits in Section 4.5. Premiums are not cost sharing and are described in "
            "Chapter 2."
        ),
        h2("4.1 Deductible"),
        para(
            "The Deductible is $500 for one Member and $1,000 for a family each Benefit Year. Once any one family "
            "member meets $500, that Member's Deductible is met. Once the family has paid $1,000 in total, the "
            "Deductible is met for everyone in the family for the rest of the Benefit Year. The Deductible does "
            "not apply to office visits, preventive care, Urgent Care, or Tier 1 prescription drugs."
        ),
        h2("4.2 Copayments and Coinsurance"),
        para(
            "For many services you pay a Copayment, a fixed dollar amount. For others you pay Coinsurance, a "
            "percentage of the Allowed Amount. If the Allowed Amount for a service is less than the Copayment, you "
            "pay only the Allowed Amount. You pay one office visit Copayment for each visit, even if you receive "
            "more than one service at that visit, except that separate Copayments apply to services such as "
            "advanced imaging that are listed separately in the Schedule of Benefits."
        ),
        h2("4.3 Out-of-Pocket Maximum"),
        para(
            "The Out-of-Pocket Maximum is $4,000 for one Member and $8,000 for a family each Benefit Year. "
            "Deductibles, Copayments and Coinsurance for covered medical services and prescription drugs all count "
            "toward it. Premiums, charges for services this plan does not cover, and amounts above the Allowed "
            "Amount do not count. When the Out-of-Pocket Maximum is reached, we pay 100% of the Allowed Amount "
            "for covered services for the rest of the Benefit Year."
        ),
        h2("4.4 Keeping track of your costs"),
        para(
            "Each time we process a claim we send you an Explanation of Benefits showing what was billed, what we "
            "paid, and what you owe. The member website shows how much you have paid toward your Deductible and "
            "Out-of-Pocket Maximum. Keep your receipts in case there is a question about a payment."
        ),
        h2("4.5 Schedule of Benefits"),
        para(
            "The table below shows what you pay for common covered services. Benefits are available only from "
            "Participating Providers, except as described in Chapter 3."
        ),
    ]
    rows = [
        ("Benefit", "You pay (Participating Providers)", "Notes"),
        ("Annual Deductible", "$500 per Member / $1,000 per family", "Does not apply where noted"),
        ("Out-of-Pocket Maximum", "$4,000 per Member / $8,000 per family", "Includes prescription drugs"),
        ("Preventive care", "No charge", "Deductible does not apply"),
        ("Primary care office visit", "$20 per visit", "Deductible does not apply"),
        ("Specialist office visit", "$40 per visit", "Deductible does not apply"),
        ("Mental health and substance use disorder office visit", "$20 per visit", "Deductible does not apply"),
        ("Mental health and substance use disorder Inpatient or Residential Treatment", "$300 per admission",
         "After Deductible"),
        ("Partial hospitalization or intensive outpatient program", "$20 per day", "After Deductible"),
        ("Emergency room", "$250 per visit", "Waived if admitted"),
        ("Urgent Care", "$40 per visit", "Deductible does not apply"),
        ("Inpatient Hospital stay", "$300 per admission", "After Deductible"),
        ("Outpatient surgery", "$150 per procedure", "After Deductible"),
        ("Laboratory tests / X-rays", "No charge / $25 per visit", ""),
        ("Advanced imaging (CT, MRI, PET)", "$100 per scan", "After Deductible"),
        ("Prescription drugs, Tier 1 / Tier 2 / Tier 3", "$10 / $35 / $70 per 30-day supply", ""),
        ("Prescription drugs, Tier 4 (Specialty)", "20% up to $250 per 30-day supply", ""),
    ]
    data = [[Paragraph(c, E_CELL_B if i == 0 else E_CELL) for c in r] for i, r in enumerate(rows)]
    s.append(
        Table(
            data,
            colWidths=[205, 145, 118],
            repeatRows=1,
            style=TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E4E4")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            ),
        )
    )
    s += [
        h2("4.6 Examples of how cost sharing works"),
        para(
            "<b>Office visit.</b> You see your PCP for an ear infection. The Allowed Amount for the visit is $140. "
            "You pay the $20 PCP Copayment, and we pay the remaining $120. The Deductible does not apply."
        ),
        para(
            "<b>Outpatient surgery early in the year.</b> In February you have knee surgery at an Ambulatory Surgery "
            "Center, and you have not yet paid anything toward your Deductible. The Allowed Amount is $4,200. You "
            "first pay the $500 Deductible and then the $150 outpatient surgery Copayment, for a total of $650. We "
            "pay the remaining $3,550."
        ),
        para(
            "<b>Reaching the Out-of-Pocket Maximum.</b> In October your payments for covered services in the Benefit "
            "Year reach $4,000. For the rest of the Benefit Year you pay nothing for covered services, including "
            "prescription drugs, but you continue to pay your share of the Premium."
        ),
        para(
            "These examples use amounts chosen for illustration. What you pay depends on the services you receive "
            "and the Allowed Amounts for those services."
        ),
        h2("4.7 Cost sharing for services that are not covered"),
        para(
            "You are responsible for the full cost of services that are not Covered Services, including services "
            "excluded in Chapter 8 and services received after a visit or day limit has been reached. These amounts "
            "do not count toward the Deductible or the Out-of-Pocket Maximum."
        ),
    ]
    return s


COVERED = [
    ("Preventive Care", [
        "We cover preventive services with no cost sharing. Preventive services include the "
        "screenings, immunizations, and counseling "
        "recommended by the U.S. Preventive Services Task Force with an A or B rating, immunizations recommended "
        "by the Advisory Committee on Immunization Practices, preventive care and screenings for infants, "
        "children and adolescents supported by the Health Resources and Services Administration, and additional "
        "preventive care for women, including well-woman visits and contraceptives.",
        "If a preventive service turns into diagnostic care during the same visit, for example when a polyp is "
        "removed during a screening colonoscopy, the removal is still treated as part of the preventive service. "
        "If you receive other treatment at a preventive visit, the cost sharing for that treatment applies.",
    ]),
    ("Physician Office Services", [
        "We cover office visits with your PCP and with Specialists for the diagnosis and treatment of illness or "
        "injury, including consultations, second opinions, injections given in the office, and minor procedures. "
        "The Copayment shown in the Schedule of Benefits applies to each visit. Lab tests and X-rays performed "
        "during the visit are covered as described in Section 5.9.",
    ]),
    ("Telehealth", [
        "Covered services that can safely be provided by real-time video or telephone are covered when provided by "
        "your PCP, a Specialist, or our virtual care service. You pay the same cost sharing as for an office visit "
        "with the same type of Provider, and there is no charge for visits with our virtual care service. Email, "
        "fax and text messages alone are not telehealth visits.",
    ]),
    ("Emergency Services", [
        "We cover Emergency Services for an Emergency Medical Condition, including the medical screening "
        "examination and the treatment needed to stabilize you. You pay the emergency room Copayment shown in the "
        "Schedule of Benefits; it is waived if you are admitted. Whether a condition is an Emergency Medical "
        "Condition is decided based on your symptoms when you sought care, not on the final diagnosis.",
        "Care you receive after you are stable is post-stabilization care. Chapter 3 explains where you may "
        "receive Emergency Services and post-stabilization care.",
    ]),
    ("Urgent Care", [
        "We cover Urgent Care visits at urgent care centers and walk-in clinics. Urgent Care is appropriate for "
        "problems such as sprains, minor burns, earaches, and fevers that need prompt attention but are not "
        "emergencies. Going to an urgent care center instead of an emergency room for these problems usually "
        "costs you less.",
    ]),
    ("Ambulance", [
        "We cover ground and air ambulance transportation to the nearest Hospital that can treat an Emergency "
        "Medical Condition. Non-emergency ambulance transportation between facilities is covered when your "
        "condition requires it and other means of transportation would endanger your health. Transportation by "
        "car, taxi, bus, or other public or private vehicle, even when ordered by a physician, is not ambulance "
        "transportation.",
    ]),
    ("Hospital Inpatient Services", [
        "We cover Inpatient Hospital services, including a semi-private room and board, intensive care and other "
        "special care units, nursing services, operating and recovery rooms, medicines given during the stay, "
        "blood and blood products, laboratory and imaging services, and physician and surgeon services. A private "
        "room is covered only when it is needed to isolate you to protect your health or the health of others.",
        "Your Inpatient cost sharing applies once per admission. If you are readmitted for the same condition "
        "within 10 days after discharge, the readmission is treated as part of the first admission.",
    ]),
    ("Outpatient Surgery", [
        "We cover surgical procedures performed in an ambulatory surgery center or the outpatient department of a "
        "Hospital, including the facility charge, anesthesia, and the surgeon's fee. Procedures that are normally "
        "done in a physician's office are covered at the office visit cost sharing.",
    ]),
    ("Laboratory, X-ray and Advanced Imaging", [
        "We cover diagnostic laboratory tests, X-rays, ultrasound, and other diagnostic tests ordered by your "
        "physician. Advanced imaging, which includes CT scans, MRI, MRA, PET scans and nuclear cardiology, is "
        "subject to the separate Copayment shown in the Schedule of Benefits. Genetic testing is covered when the "
        "result will directly change the treatment of a Member.",
    ]),
    ("Maternity and Newborn Care", [
        "We cover prenatal care, delivery, and postpartum care, including care for complications of pregnancy. "
        "Routine prenatal visits are preventive care and have no cost sharing. We cover an Inpatient stay of at "
        "least 48 hours after a vaginal delivery and 96 hours after a cesarean delivery; you and your physician "
        "may decide on an earlier discharge. A newborn's routine nursery care is covered under the mother's "
        "admission for the first 48 hours.",
        "We also cover breastfeeding support and counseling, and the rental or purchase of a breast pump for each "
        "pregnancy.",
    ]),
]

COVERED_AFTER_MH = [
    ("Rehabilitation and Habilitation Therapy", [
        "We cover outpatient physical, occupational and speech therapy to restore function lost because of "
        "illness or injury (rehabilitation), and to help a person keep, learn, or improve skills and functioning "
        "for daily living (habilitation). Each type of therapy is limited to 30 visits per Benefit Year; the "
        "rehabilitation and habilitation limits are separate. Cardiac and pulmonary rehabilitation programs are "
        "covered when your physician orders them.",
    ]),
    ("Chiropractic Care", [
        "We cover chiropractic manipulation and related services for neuromuscular and skeletal conditions, up to "
        "20 visits per Benefit Year. Maintenance care, which is care to keep you at your current level of "
        "function rather than to improve it, is not covered.",
    ]),
    ("Home Health Care", [
        "We cover part-time or intermittent skilled nursing, home health aide services, and therapy provided in "
        "your home by a licensed Home Health Agency when you are confined to your home and your physician has "
        "set up a plan of care. Home health care is limited to 100 visits per Benefit Year. A visit of up to "
        "four hours counts as one visit.",
    ]),
    ("Skilled Nursing Facility Care", [
        "We cover care in a Skilled Nursing Facility for up to 60 days per Benefit Year when you need daily skilled "
        "nursing or rehabilitation that can only be provided on an inpatient basis. Custodial Care is not covered, "
        "even in a Skilled Nursing Facility.",
    ]),
    ("Hospice Care", [
        "We cover Hospice care for a Member whose physician certifies a life expectancy of six months or less. "
        "Hospice care includes nursing care, medical social services, counseling for the Member and family, "
        "short-term inpatient care, respite care of up to five days at a time, medical supplies and equipment, "
        "and bereavement counseling for the family for up to one year after the death.",
    ]),
    ("Durable Medical Equipment, Prosthetics and Orthotics", [
        "We cover the rental or purchase of Durable Medical Equipment, such as hospital beds, wheelchairs, oxygen "
        "equipment, and CPAP machines, when ordered by your physician. We decide whether to rent or buy an item "
        "based on the expected length of use. We also cover prosthetic devices that replace all or part of a "
        "body part, and orthotic devices such as braces. Repairs and replacements are covered when needed because "
        "of normal wear or a change in your condition, but not because of loss or misuse.",
    ]),
    ("Diabetes Services", [
        "We cover diabetes self-management education, insulin pumps and supplies, blood glucose monitors, test "
        "strips, lancets, and therapeutic footwear for Members with diabetes. Insulin and diabetes drugs are "
        "covered under the prescription drug benefit in Chapter 6, and your cost sharing for insulin is capped at "
        "$35 for a 30-day supply.",
    ]),
    ("Dialysis", [
        "We cover hemodialysis and peritoneal dialysis in a dialysis center, a Hospital, or your home. Home "
        "dialysis includes the equipment, supplies, and training needed for you and a helper.",
    ]),
    ("Allergy Services", [
        "We cover allergy testing, allergy serum, and allergy injections. Injections given without a physician "
        "visit are covered at no charge; otherwise the office visit Copayment applies.",
    ]),
    ("Transplant Services", [
        "We cover organ and tissue transplants, including heart, lung, liver, kidney, pancreas, intestine, cornea, "
        "and bone marrow or stem cell transplants. Coverage "
        "includes the evaluation, donor search and testing, the harvesting of the organ from a living or deceased "
        "donor, the transplant, and follow-up care. If the donor is not a Member, the donor's medical costs are "
        "covered only to the extent they are not covered by the donor's own coverage. We also cover reasonable "
        "travel and lodging for the Member and one companion when the transplant hospital is more than 100 miles "
        "from home, up to $10,000 per transplant.",
    ]),
    ("Reconstructive Surgery", [
        "We cover reconstructive surgery to correct or repair abnormal structures of the body caused by "
        "congenital defects, developmental abnormalities, trauma, infection, tumors, or disease, when the surgery "
        "will improve function or create a normal appearance to the extent possible. Following a mastectomy, we "
        "cover reconstruction of the breast on which the mastectomy was performed, surgery on the other breast to "
        "produce a symmetrical appearance, prostheses, and treatment of physical complications.",
    ]),
    ("Pediatric Vision and Dental Care", [
        "For Members under age 19, we cover one routine eye examination and one pair of eyeglasses or contact "
        "lenses each Benefit Year from a selected collection of frames, and preventive dental care including two "
        "cleanings and examinations, fluoride treatment, sealants, and X-rays each Benefit Year.",
    ]),
    ("Hearing Services", [
        "We cover hearing examinations to diagnose hearing loss. For Members under age 18, we also cover one "
        "hearing aid for each ear every 36 months, including fitting and evaluation.",
    ]),
    ("Temporomandibular Joint Disorders", [
        "We cover medical and surgical treatment of temporomandibular joint disorders, including splints and "
        "physical therapy, when the treatment is not dental in nature. Orthodontic treatment and crowns, bridges "
        "and implants are not covered under this benefit.",
    ]),
    ("Nutritional Counseling", [
        "We cover medical nutrition therapy by a registered dietitian for Members with diabetes, kidney disease, "
        "eating disorders, or other conditions for which diet is a key part of treatment, up to six visits per "
        "Benefit Year.",
    ]),
    ("Family Planning", [
        "We cover family planning services, including counseling, contraceptive devices such as IUDs and implants "
        "and their insertion and removal, contraceptive injections, and sterilization procedures for women, with "
        "no cost sharing. Vasectomy is covered at the outpatient surgery cost sharing. Contraceptive drugs are "
        "covered under Chapter 6.",
    ]),
    ("Infusion and Injection Therapy", [
        "We cover infusion and injection therapy given in a physician's office, an infusion center, the outpatient "
        "department of a Hospital, or your home, including the drug, the supplies, and the nursing services "
        "needed. When the same drug can be given safely in more than one setting, we may cover it only in the "
        "least costly appropriate setting, such as your home or a physician's office rather than a Hospital "
        "outpatient department.",
    ]),
    ("Cancer Treatment", [
        "We cover chemotherapy, radiation therapy, and immunotherapy, including oral anticancer drugs. Your Cost "
        "Sharing for an oral anticancer drug will be no higher than your Cost Sharing for the same treatment "
        "given by infusion or injection. We also cover cancer screenings as preventive care, the treatment of "
        "side effects, and fertility preservation services for a Member whose cancer treatment is likely to cause "
        "infertility.",
    ]),
    ("Sleep Studies", [
        "We cover sleep studies to diagnose sleep disorders such as sleep apnea and narcolepsy. Home sleep testing "
        "is covered when it is appropriate for your condition; a study in a sleep laboratory is covered when home "
        "testing would not give reliable results.",
    ]),
    ("Podiatry", [
        "We cover podiatry services to diagnose and treat conditions of the foot, such as fractures, infections, "
        "and ingrown nails. Routine foot care is covered only for Members with diabetes or peripheral vascular "
        "disease.",
    ]),
    ("Adult Vision Examinations", [
        "For Members age 19 and older, we cover one routine eye examination every 24 months, including refraction, "
        "at the Specialist office visit Copayment. Eye examinations to diagnose or treat an eye disease, such as "
        "glaucoma or diabetic retinopathy, are covered as Specialist visits without the 24-month limit.",
    ]),
    ("Medical Foods and Formula", [
        "We cover amino acid-based elemental formula and low-protein modified foods for Members with inherited "
        "metabolic diseases, such as phenylketonuria, and enteral formula given by tube when it is the main "
        "source of nutrition. Formula for ordinary infant feeding is not covered.",
    ]),
    ("Cochlear Implants", [
        "We cover cochlear implants for Members with severe to profound hearing loss who receive little benefit "
        "from hearing aids, including the device, the surgery, programming, and auditory training after the "
        "implant. Replacement of external parts is covered when they no longer work and cannot be repaired.",
    ]),
    ("Dental Anesthesia and Accidental Injury", [
        "We cover general anesthesia and facility charges for dental care when the Member is under age 7, has a "
        "serious medical condition, or has a disability that makes dental care unsafe in a dental office. The "
        "dentist's own charges are not covered under this benefit. We also cover the repair of sound natural "
        "teeth damaged by an Accidental Injury when treatment begins within 12 months after the injury. Injuries "
        "caused by chewing or biting are not Accidental Injuries.",
    ]),
    ("Blood and Blood Products", [
        "We cover blood, blood plasma, and blood derivatives, including their storage and administration, and the "
        "collection and storage of your own blood before a scheduled surgery.",
    ]),
    ("Second Opinions", [
        "You may obtain a second opinion from another qualified physician about a proposed surgery or a serious "
        "diagnosis. The second opinion is covered at the Specialist office visit Copayment, and any tests the "
        "second physician orders are covered at the usual Cost Sharing.",
    ]),
    ("Preventive Screenings for Adults", [
        "Screenings for high blood pressure, high cholesterol, diabetes, colorectal cancer, lung cancer for "
        "Members with a significant smoking history, hepatitis B and C, and HIV, and counseling to stop tobacco "
        "use, are covered as preventive care at the ages and intervals recommended by the bodies named in "
        "Section 5.1. Tobacco cessation drugs are covered under Chapter 6 with no Cost Sharing.",
    ]),
]


def eoc_mh_section(num):
    s = [
        h2(f"5.{num} Mental Health and Substance Use Disorder Services"),
        para(
            "We cover services to diagnose and treat Mental Health Conditions and Substance Use Disorders on the same "
            "terms as services for medical and surgical conditions. In keeping with the federal Mental Health Parity "
            "and Addiction Equity Act, the Copayments, Coinsurance, visit limits, and treatment limitations for these "
            "services are no more restrictive than those that apply to comparable medical and surgical benefits. "
            "Services must be provided by a licensed Provider acting within the scope of the Provider's license, "
            "such as a psychiatrist, psychologist, licensed clinical social worker, licensed professional counselor, "
            "licensed marriage and family therapist, or psychiatric nurse practitioner."
        ),
        h3("Outpatient services"),
        para(
            "We cover outpatient office visits, including individual, family and group therapy, diagnostic "
            "evaluations, psychological testing, medication management, and telehealth visits. You pay the mental "
            "health and substance use disorder office visit Copayment shown in the Schedule of Benefits for each "
            "visit. There is no limit on the number of outpatient visits. Other outpatient services, such as "
            "electroconvulsive therapy, transcranial magnetic stimulation, and medication-assisted treatment for "
            "opioid use disorder, are covered at the cost sharing for outpatient services."
        ),
        h3("Inpatient services"),
        para(
            "We cover acute Inpatient care in a Hospital or a licensed psychiatric facility, including medically "
            "managed withdrawal (detoxification), when you need 24-hour care to be safe or to be treated "
            "effectively. Residential Treatment is covered when a Member needs a structured 24-hour setting but "
            "does not need acute Hospital care. You pay the Inpatient mental health Copayment per admission."
        ),
        h3("Partial hospitalization and intensive outpatient programs"),
        para(
            "A partial hospitalization program provides at least 20 hours of treatment each week, usually five days "
            "a week, while you live at home. An intensive outpatient program provides at least 9 hours of "
            "treatment each week, usually in three-hour sessions. Both are covered at the per-day Copayment in the "
            "Schedule of Benefits. Admission to Inpatient care, Residential Treatment, partial hospitalization, or "
            "an intensive outpatient program requires pre-<br/>"
            "authorization, as described in Chapter 7. Outpatient office visits do not."
        ),
        h3("Cost sharing"),
        para(
            "The Deductible does not apply to mental health and substance use disorder office visits. Inpatient, "
            "Residential Treatment, partial hospitalization and intensive outpatient services are subject to the "
            "Deductible, the same as comparable medical services. All of these amounts count toward your "
            "Out-of-Pocket Maximum."
        ),
        h3("Crisis services"),
        para(
            "We cover mobile crisis response, crisis stabilization units, and the 988 Suicide and Crisis Lifeline "
            "follow-up services provided by licensed crisis programs, at the cost sharing for an office visit. If "
            "you are in crisis, call or text 988 at any time."
        ),
    ]
    return s


def eoc_covered():
    s = chapter(5, "Covered Services")
    s += [
        para(
            "This chapter describes the medical services covered by this plan. To be covered, a service must be "
            "Medically Necessary, must be listed in this chapter, must not be excluded in Chapter 8, and must be "
            "received in the way described in Chapter 3. The amount you pay for each service is shown in the "
            "Schedule of Benefits in Chapter 4."
        ),
        para(
            "A physician's order or recommendation does not by itself make a service Medically Necessary or "
            "covered. If you are not sure whether a service is covered, call Member Services before you receive it."
        ),
    ]
    n = 0
    for title, paras in COVERED:
        n += 1
        s.append(h2(f"5.{n} {title}"))
        s += [para(p) for p in paras]
    n += 1
    s += eoc_mh_section(n)
    for title, paras in COVERED_AFTER_MH:
        n += 1
        s.append(h2(f"5.{n} {title}"))
        s += [para(p) for p in paras]
    n += 1
    s += [
        h2(f"5.{n} Clinical Trials"),
        para(
            "We cover routine patient costs for a Member who takes part in an approved clinical trial. An approved "
            "clinical trial is a phase I, II, III, or IV trial conducted to prevent, detect, or treat cancer or "
            "another life-threatening disease or condition, that is federally funded, conducted under an "
            "investigational new drug application reviewed by the FDA, or exempt from that requirement. Routine "
            "patient costs are the costs of items and services that this plan would cover if you were not in a "
            "trial."
        ),
        para(
            "Routine patient costs do not include the investigational item, device, or service itself; items and "
            "services provided only for data collection and analysis and not used in your direct clinical care; or "
            "services that are clearly inconsistent with the standard of care for your diagnosis. Your physician "
            "should tell us when you enroll in the trial so that we can pay claims for your routine care promptly."
        ),
    ]
    return s


def eoc_drugs():
    s = chapter(6, "Prescription Drug Benefits")
    s += [
        para(
            "This chapter describes your coverage for outpatient prescription drugs. Drugs given to you while you "
            "are an Inpatient, or in a physician's office, are covered as part of the medical services in Chapter 5."
        ),
        h2("6.1 The Formulary"),
        para(
            "We cover drugs listed on our Formulary when they are prescribed by a licensed prescriber and dispensed "
            "by a pharmacy for a Medically Necessary use. Our Pharmacy and Therapeutics Committee, a group of "
            "physicians and pharmacists, chooses the drugs on the Formulary based on safety, effectiveness, and "
            "value, and meets at least four times a year. We may add drugs to the Formulary at any time. If we "
            "remove a drug or move it to a higher tier, we will tell affected Members at least 60 days before "
            f"the change. The current Formulary is available at {WEB}/formulary."
        ),
        h2("6.2 Drug tiers"),
        para(
            "Each drug on the Formulary is placed in one of four tiers. Tier 1 includes most Generic Drugs. Tier 2 "
            "includes Brand-Name Drugs and some Generic Drugs that offer good value. Tier 3 includes Brand-Name Drugs "
            "for which a lower-cost alternative is available on Tier 1 or Tier 2. Tier 4 includes Specialty Drugs. "
            "Your cost sharing for each tier is shown in the Schedule of Benefits. If you or your prescriber ask for "
            "a Brand-Name Drug when a Generic Drug is available, you pay the Generic Drug cost sharing plus the "
            "difference in cost between the two."
        ),
        h2("6.3 Where to fill your prescriptions"),
        para(
            "Prescriptions must be filled at a participating pharmacy in our pharmacy network, through our mail "
            "order pharmacy, or, for Specialty Drugs, through our specialty pharmacy. Prescriptions filled at a "
            "non-participating pharmacy are not covered, except for drugs dispensed for an Emergency Medical "
            "Condition or Urgent Care. You may receive up to a 30-day supply at a retail pharmacy and up to a "
            "90-day supply of maintenance drugs through mail order."
        ),
        h2("6.4 Specialty Drugs"),
        para(
            "Specialty Drugs are high-cost drugs used to treat complex or chronic conditions. They often require "
            "special storage, handling, or administration, and close monitoring by your physician. Specialty Drugs "
            "must be dispensed by our specialty pharmacy, which will deliver them to your home or your physician's "
            "office, and are limited to a 30-day supply per fill. Specialty Drugs include, for example, esketamine "
            "(Spravato) nasal spray, which must be given in a certified health care setting and requires prior "
            "authorization before the first dose. Our specialty pharmacy offers a clinical support program that "
            "helps you manage side effects and stay on your treatment plan."
        ),
        h2("6.5 Prior authorization for drugs"),
        para(
            "Some drugs require prior authorization before we will cover them. Prior authorization means your "
            "prescriber must send us information showing that the drug is Medically Necessary for you and that our "
            "clinical criteria are met. Drugs that require prior authorization are marked PA on the Formulary. We "
            "decide a standard request within 72 hours after we receive it, and an urgent request within 24 hours. "
            "If prior authorization is granted, it is usually valid for up to 12 months, and your prescriber may "
            "ask us to renew it before it ends."
        ),
        h2("6.6 Step therapy"),
        para(
            "Some drugs are subject to step therapy. Step therapy means that, before we will cover the drug, you must "
            "first try one or more other drugs that are covered for your condition and have an inadequate response "
            "to them, or be unable to take them because of side effects or a medical reason. For example, before "
            "we cover a Tier 3 drug for high blood pressure, you must first try at least one Tier 1 drug in the "
            "same class. Drugs subject to step therapy are marked ST on the Formulary."
        ),
        para(
            "Your prescriber may ask us for a step therapy exception. We will grant an exception when the required "
            "drug is expected to be ineffective or to cause a harmful reaction, when you have already tried the "
            "required drug or a drug in the same class and it was discontinued because it did not work or caused an "
            "adverse event, or when you are stable on the requested drug after receiving it under this plan or "
            "another plan. We answer exception requests within 72 hours, or 24 hours if your health is at risk."
        ),
        h2("6.7 Quantity limits"),
        para(
            "For some drugs we limit the amount you may receive at one time or within a period, based on the dose "
            "recommended by the manufacturer and on accepted medical practice. Drugs with quantity limits are "
            "marked QL on the Formulary. Your prescriber may ask for a larger quantity if it is Medically Necessary."
        ),
        h2("6.8 Off-label use"),
        para(
            "A drug prescribed for a use other than the one for which it was approved by the FDA (an off-label "
            "use) is covered when the drug is otherwise covered and the use is supported by one of the standard "
            "reference compendia or by two articles in major peer-reviewed medical journals. Off-label use of a "
            "drug that does not meet this standard is treated as an Experimental or Investigational Service."
        ),
        h2("6.9 Formulary exceptions"),
        para(
            "If a drug you need is not on the Formulary, you or your prescriber may ask us to cover it. We will "
            "cover a non-Formulary drug when your prescriber shows that the Formulary drugs for your condition "
            "would not be as effective for you or would cause you harm. If we agree, you pay the Tier 3 cost "
            "sharing, or Tier 4 for a Specialty Drug."
        ),
        h2("6.10 What the drug benefit does not include"),
    ]
    s += items(
        [
            "Drugs used mainly for Cosmetic purposes, such as hair growth or wrinkle reduction;",
            "Drugs for weight loss, except as required for preventive care;",
            "Over-the-counter drugs, except those listed on the Formulary or required as preventive care;",
            "Replacement of lost, stolen or damaged drugs, except once per Benefit Year;",
            "Vitamins and dietary supplements, except prenatal vitamins and those required as preventive care;",
            "Drugs for which you have a valid prescription but that are dispensed more than one year after the "
            "prescription was written.",
        ]
    )
    return s


def eoc_um():
    s = chapter(7, "Utilization Management and Prior Authorization")
    s += [
        para(
            "Utilization management is the process we use to decide whether a service is Medically Necessary and "
            "covered. It includes prior authorization (a decision before you receive a service), concurrent review "
            "(a decision while you are receiving ongoing care), and retrospective review (a decision after you "
            "received a service). Decisions are made by licensed clinicians using written clinical criteria. Only "
            "a physician or other appropriate clinician may turn down a request for lack of medical necessity. We "
            "do not reward our reviewers for issuing decisions that reduce care."
        ),
        h2("7.1 Services that require prior authorization"),
        para(
            "Prior authorization is required for the following services. Your Provider is responsible "
            "for requesting it, but you should confirm that it has been obtained before you receive the service."
        ),
    ]
    s += items(
        [
            "All non-emergency Inpatient admissions, including admissions to a Skilled Nursing Facility, a "
            "rehabilitation facility, or a Hospice inpatient unit;",
            "Inpatient mental health and substance use disorder admissions, Residential Treatment, partial "
            "hospitalization programs, and intensive outpatient programs;",
            "Electroconvulsive therapy and transcranial magnetic stimulation;",
            "Advanced imaging (CT, MRI, MRA, PET) and nuclear cardiology;",
            "Outpatient surgeries listed on our website, including spinal surgery, joint replacement, and sleep "
            "apnea surgery;",
            "Home health care, Durable Medical Equipment costing more than $1,000, and prosthetics;",
            "Transplant evaluations and transplants;",
            "Genetic testing;",
            "Specialty Drugs and other drugs marked PA on the Formulary;",
            "Non-emergency ambulance transportation.",
        ]
    )
    s += [
        h2("7.2 Services that do not require prior authorization"),
        para(
            "No prior authorization is required for outpatient office visits with a Participating Provider for mental "
            "health or substance use disorder services, including therapy, diagnostic evaluations, and medication "
            "management. You also do not need prior authorization for Emergency Services, for preventive care, for "
            "an Inpatient stay for childbirth of up to 48 hours after a vaginal delivery or 96 hours after a cesarean "
            "delivery, or for services that you receive in a physician's office and that are not listed in "
            "Section 7.1."
        ),
        h2("7.3 How to request prior authorization"),
        para(
            "Your Provider may request prior authorization through our provider portal, by fax, or by telephone. "
            "The request must include the diagnosis, the service requested, and the clinical information that "
            "supports the request, such as office notes, test results, and a description of treatments already "
            "tried. If the information is incomplete, we will tell your Provider what is missing within five days "
            "for a standard request or within 24 hours for an urgent request."
        ),
        h2("7.4 Decision time frames"),
        para(
            "We decide a standard prior authorization request within 15 days after we receive it. We may extend "
            "this period once by up to 15 days if the delay is beyond our control and we notify you before the "
            "first period ends. If waiting for a standard decision could seriously jeopardize your life, health, or "
            "ability to regain maximum function, or would subject you to severe pain that cannot be managed without "
            "the service, we decide the request as urgent within 72 hours. A request for a concurrent decision to "
            "extend urgent care already underway is decided within 24 hours when it is made at least 24 hours "
            "before the care is scheduled to end."
        ),
        para(
            "We will tell you and your Provider about our decision in writing. If we do not approve a service, the "
            "notice will explain the reason, the clinical criteria we used, and what you can do next."
        ),
        h2("7.5 Concurrent review and discharge planning"),
        para(
            "When you are an Inpatient or receiving an ongoing course of treatment, we check with your Providers "
            "regularly to confirm that the level of care is still appropriate, and we work with them to plan your "
            "discharge and any follow-up care. An approved course of treatment will not be reduced or ended before "
            "its end date without advance notice to you."
        ),
        h2("7.6 If prior authorization is not obtained"),
        para(
            "If your Provider does not obtain a required prior authorization, the Provider may not bill "
            "you for the service. If you arrange a service that requires prior authorization without it, and we "
            "later find that it did not meet our clinical criteria, the service is not covered and you may have to "
            "pay for it. If we decide after the fact that the service was Medically Necessary, we will pay for it "
            "at the usual cost sharing."
        ),
        h2("7.7 Clinical criteria"),
        para(
            "We use nationally recognized criteria, and criteria developed by our own physicians, to make prior "
            "authorization decisions. For mental health and substance use disorder services we use criteria "
            "developed by the relevant nonprofit professional associations. You or your Provider may ask us for a "
            "free copy of the criteria used for any decision about your care."
        ),
    ]
    return s


EXCLUSIONS = [
    "Acupuncture and acupressure.",
    "Cosmetic services, including surgery, procedures, drugs, and supplies, except reconstructive surgery as "
    "described in Chapter 5.",
    "Custodial Care, domiciliary care, and rest cures, wherever they are provided.",
    "Dental care for adults, including extractions, fillings, crowns, dentures, and orthodontics, except treatment "
    "of an accidental injury to sound natural teeth within 12 months after the injury.",
    "Experimental or investigational services, except as described under Clinical Trials.",
    "Eyeglasses and contact lenses for Members age 19 and older, and surgery to correct refractive error.",
    "Hearing aids for Members age 18 and older.",
    "Infertility treatment, including in vitro fertilization and artificial insemination, except diagnosis of the "
    "cause of infertility.",
    "Long-term care, including care in a nursing home when the care is mainly Custodial Care.",
    "Massage therapy, except when performed as part of a covered physical therapy visit.",
    "Personal comfort items, such as telephones, televisions, guest meals, and beauty or barber services during a "
    "Hospital stay.",
    "Private-duty nursing in any setting.",
    "Reversal of voluntary sterilization.",
    "Routine foot care, such as trimming of nails and removal of corns and calluses, except for Members with "
    "diabetes or vascular disease.",
    "Services for which you have no legal obligation to pay, or that are provided free of charge by a government "
    "program, except Medicaid.",
    "Services received from Non-Participating Providers, except Emergency Services, Urgent Care outside the "
    "Service Area, and the other situations listed in Section 3.6.",
    "Services covered by workers' compensation or a similar law.",
    "Services received outside the United States, except Emergency Services and Urgent Care.",
    "Services performed by a relative or by a person who lives in your home.",
    "Travel and lodging expenses, except as described for Transplant Services.",
    "Weight-loss programs, including commercial diet plans and exercise programs, even if recommended by a "
    "physician.",
    "Bariatric surgery and its complications.",
    "Sexual dysfunction treatment, including drugs and devices, unless the dysfunction results from a covered "
    "surgery or a medical condition.",
    "Services that are not Medically Necessary.",
    "Court-ordered services and services required as a condition of parole, probation, or employment, unless "
    "they are otherwise Medically Necessary covered services.",
    "Educational services, including tutoring, special education, and vocational training.",
    "Physical examinations for insurance, licensing, camp, sports, or employment, except as part of a covered "
    "preventive visit.",
    "Genetic testing performed only to learn about the health of a family member who is not a Member.",
]


def eoc_exclusions():
    s = [NextPageTemplate("twocol_first"), PageBreak()]
    s.append(h1("Chapter 8. Exclusions and Limitations"))
    s.append(FrameBreak())
    s.append(
        para(
            "This chapter lists services and supplies that are not covered by this plan, even if a Provider has "
            "prescribed, recommended, or performed them and even if they are the only treatment available for "
            "your condition. These exclusions apply to every chapter of this Evidence of Coverage. The headings "
            "of the sections in Chapter 5 do not create coverage for an item listed here.",
            E_COL,
        )
    )
    s.append(h3("8.1 Exclusions"))
    s += items(EXCLUSIONS, E_COL_ITEM, bullet="\u2013")
    s.append(h3("8.2 Limitations"))
    s.append(
        para(
            "The visit and day limits shown in Chapter 5 apply per Member per Benefit Year. When a limit is "
            "reached, further services of that kind are the Member's responsibility for the rest of the "
            "Benefit Year. Limits are not combined across Members in a family.",
            E_COL,
        )
    )
    s.append(
        para(
            "If a service could be provided safely in more than one setting, benefits are limited to the "
            "amount that would have been paid for the least costly setting that is medically appropriate for "
            "the Member.",
            E_COL,
        )
    )
    s.append(
        para(
            "Benefits for drugs and supplies are limited to the supply limits in Chapter 6, and replacement "
            "of equipment is limited as described in Section 5 for Durable Medical Equipment.",
            E_COL,
        )
    )
    s += [NextPageTemplate("onecol"), PageBreak()]
    return s


def eoc_claims():
    s = [h1("Chapter 9. Claims and Payment")]
    s += [
        h2("9.1 Who files claims"),
        para(
            "In most cases your Provider sends the claim to us and we pay the Provider directly. You pay only your "
            "cost sharing. If you paid for a covered service yourself, for example while traveling, you may send us "
            "a claim for reimbursement."
        ),
        h2("9.2 How to file a claim"),
        para(
            "To file a claim, send us a claim form, which you can print from the member website, together with an "
            "itemized bill that shows the patient's name, the date and place of service, the diagnosis, a "
            "description of each service, and the amount charged. For prescription drugs, include the pharmacy "
            "receipt. Send claims to the address on the claim form. Bills for services received outside the United "
            "States should be translated into English where possible, and should show the currency used."
        ),
        h2("9.3 Time limit for filing"),
        para(
            "Claims must be sent to us within 90 days after the date of service, or as soon as reasonably possible. "
            "We will not pay a claim that is received more than one year after the date of service, unless you were "
            "legally incapacitated during that time."
        ),
        h2("9.4 When we pay"),
        para(
            "We decide claims for services you have already received within 30 days after we receive them. If we "
            "need more information, we will tell you within that period what is needed, and you will have at least "
            "45 days to send it. We will then decide the claim within 15 days after we receive the information. "
            "Each time we process a claim, we send you an Explanation of Benefits."
        ),
        h2("9.5 Payments made in error"),
        para(
            "If we pay more than we should have, or pay for services that are not covered, we may ask the person or "
            "Provider that received the payment to return it, or we may reduce future payments by the amount paid "
            "in error. We will not ask a Provider to return a payment more than 18 months after it was made, except "
            "in cases of fraud."
        ),
        h2("9.6 Assignment"),
        para(
            "Benefits under this plan are personal to you and may not be transferred to another person, except that "
            "we may pay a Provider directly for covered services you received. Any payment we make in good faith "
            "discharges our obligation for that service."
        ),
        h2("9.7 Explanation of Benefits"),
        para(
            "The Explanation of Benefits (EOB) we send after processing a claim is not a bill. It shows the Provider's "
            "charge, the Allowed Amount, the amount we paid, the amount applied to your Deductible, your Copayment or "
            "Coinsurance, and any amount that is your responsibility because the service is not a Covered Service. "
            "Compare the EOB with the bill you receive from the Provider, and call Member Services if the amounts "
            "do not match or if the EOB lists a service you did not receive."
        ),
        h2("9.8 Services received outside the United States"),
        para(
            "For covered Emergency Services and Urgent Care received outside the United States, you may need to pay "
            "the Provider yourself and send us a claim. We convert charges into U.S. dollars using the exchange rate "
            "on the date of service, and we pay the lesser of the charge and the amount we would have paid for the "
            "same service in the Service Area, less your Cost Sharing."
        ),
        h2("9.9 Multiple surgical procedures"),
        para(
            "When more than one surgical procedure is performed during the same operation, we pay the full Allowed "
            "Amount for the primary procedure and a reduced Allowed Amount for each additional procedure, according "
            "to our payment rules. Your Coinsurance is based on the reduced amounts."
        ),
    ]
    return s


def eoc_cob():
    s = chapter(10, "Coordination of Benefits")
    s += [
        para(
            "Coordination of benefits (COB) applies when you have health coverage under more than one plan. The "
            "rules in this chapter decide which plan pays first (the primary plan) and which pays second (the "
            "secondary plan). The primary plan pays its benefits as if there were no other coverage. The secondary "
            "plan may then pay part or all of the remaining allowable expense, but the two plans together will not "
            "pay more than 100% of the total allowable expense."
        ),
        h2("10.1 Definitions used in this chapter"),
        para(
            "<b>Plan</b> means any of the following that provides benefits or services for medical care: group and "
            "individual health insurance, health maintenance organization coverage, group coverage through an "
            "employer or association, the medical benefits of long-term care policies, Medicare or another "
            "government program other than Medicaid, and the medical benefits of automobile insurance where allowed "
            "by law. Plan does not include hospital indemnity coverage, accident-only coverage, or school accident "
            "coverage."
        ),
        para(
            "<b>Allowable expense</b> means a health care expense, including deductibles, coinsurance and "
            "copayments, that is covered at least in part by any Plan covering the person. An expense that is not "
            "covered by any Plan covering the person is not an allowable expense. The difference between the cost "
            "of a private room and a semi-private room is not an allowable expense unless one of the Plans covers "
            "private rooms."
        ),
        h2("10.2 Order of benefit determination rules"),
        para(
            "A plan that has no coordination of benefits provision is always primary. Otherwise, the first of the "
            "following rules that applies decides the order:"
        ),
    ]
    s += numbered(
        [
            "<b>Non-dependent or dependent.</b> The plan that covers the person as an employee, member, subscriber "
            "or retiree is primary, and the plan that covers the person as a dependent is secondary. If the person "
            "is a Medicare beneficiary and, because of federal law, Medicare is secondary to the plan covering the "
            "person as a dependent and primary to the plan covering the person as other than a dependent, the order "
            "is reversed.",
            "<b>Dependent child whose parents are married or living together.</b> The plan of the parent whose "
            "birthday falls earlier in the calendar year is primary (the birthday rule). If both parents have the "
            "same birthday, the plan that has covered a parent longer is primary.",
            "<b>Dependent child whose parents are divorced, separated, or not living together.</b> If a court "
            "decree says that one parent is responsible for the child's health care expenses or coverage, that "
            "parent's plan is primary. If there is no decree, the order is: the plan of the custodial parent, the "
            "plan of the custodial parent's spouse, the plan of the non-custodial parent, and then the plan of the "
            "non-custodial parent's spouse.",
            "<b>Active or inactive employee.</b> The plan that covers a person as an active employee, or as the "
            "dependent of an active employee, is primary to the plan that covers the person as a laid-off or retired "
            "employee.",
            "<b>COBRA or state continuation.</b> The plan that covers a person as an employee, member, subscriber, "
            "or retiree is primary to the plan that covers the person under COBRA or state continuation coverage.",
            "<b>Longer or shorter length of coverage.</b> The plan that has covered the person longer is primary.",
            "If none of the rules above decides the order, the allowable expenses are shared equally between the "
            "plans. This plan will never pay more than it would have paid had it been primary.",
        ]
    )
    s += [
        h2("10.3 Effect on the benefits of this plan"),
        para(
            "When this plan is secondary, we figure out the amount we would have paid had we been primary, and we "
            "pay the lesser of that amount and the balance of the allowable expense left after the primary plan "
            "has paid. We credit to this plan's Deductible any amounts we would have credited in the absence of "
            "other coverage."
        ),
        h2("10.4 Medicare"),
        para(
            "If you are covered by Medicare and this plan, federal law decides which pays first. In general, this "
            "plan pays first for a Member who is eligible for Medicare because of age and who is covered because of "
            "the current employment of the Subscriber with an employer of 20 or more employees. This plan also pays "
            "first during the first 30 months of Medicare eligibility because of end-stage renal disease. In other "
            "cases Medicare usually pays first. If you are eligible for Medicare Part B and do not enroll, we may "
            "reduce our payment by the amount Medicare Part B would have paid when Medicare would have been primary."
        ),
        h2("10.5 Right to receive and release needed information"),
        para(
            "We may need certain facts to apply these rules and to decide benefits. We may get the facts we need "
            "from, or give them to, other organizations or persons for the purpose of applying these rules. We need "
            "not tell or get the consent of any person to do this, except as required by law. Each person claiming "
            "benefits under this plan must give us any facts we need to apply these rules."
        ),
        h2("10.6 Facility of payment"),
        para(
            "A payment made under another plan may include an amount that should have been paid under this plan. If "
            "it does, we may pay that amount to the organization that made the payment. That amount will then be "
            "treated as though it were a benefit paid under this plan, and we will not have to pay it again."
        ),
        h2("10.7 Right of recovery"),
        para(
            "If the amount of the payments we made is more than we should have paid under this chapter, we may "
            "recover the excess from one or more of the persons we paid or for whom we paid, or from any other "
            "person or organization that may be responsible for the benefits or services provided for the Member."
        ),
        h2("10.8 Third-party liability and subrogation"),
        para(
            "If you are injured through the act or omission of another person, and we pay benefits for the injury, "
            "we have the right to be repaid from any recovery you receive from that person or that person's insurer, "
            "up to the amount we paid. You must tell us within 30 days after you make a claim against another "
            "party, cooperate with us, and do nothing to prejudice our rights. Our right of repayment applies first "
            "to any recovery, whether or not you have been fully compensated, except where state law provides "
            "otherwise. We will reduce the amount we recover by our share of reasonable attorney fees and costs."
        ),
        para(
            "If you receive a recovery and do not repay us, we may reduce future benefits payable to you or your "
            "family members until the amount owed has been satisfied. This section also applies to recoveries under "
            "uninsured and underinsured motorist coverage, medical payments coverage, and no-fault coverage, to "
            "the extent permitted by law."
        ),
        h2("10.9 Examples"),
        para(
            "<b>Example 1.</b> Sam is covered as an employee under this plan and as a Dependent under his wife's "
            "employer plan. This plan is primary for Sam. Sam has an office visit with an Allowed Amount of $150 "
            "and pays this plan's $40 Copayment. His wife's plan, as secondary, considers the remaining $40 and may "
            "pay it under its own rules, so Sam may owe nothing."
        ),
        para(
            "<b>Example 2.</b> Lee, age 10, is covered under both parents' employer plans. Lee's mother's birthday is "
            "in March and her father's is in July, so the mother's plan is primary under the birthday rule, even "
            "if the father is older. If the mother's coverage is this plan, we pay first; the father's plan then "
            "considers the balance."
        ),
        para(
            "<b>Example 3.</b> Robin is 67, still works for an employer with 150 employees, and is enrolled in both "
            "this plan and Medicare. Because Robin is covered through current employment with an employer of 20 or "
            "more employees, this plan pays first and Medicare pays second. When Robin retires, Medicare will pay "
            "first for any retiree coverage Robin may have."
        ),
        para(
            "These examples are for illustration only. Actual payments depend on the terms of each plan and on the "
            "Allowed Amounts for the services received."
        ),
    ]
    return s


def eoc_appeals(pad, marks):
    s = chapter(11, "Complaints and Appeals")
    s += [
        para(
            "We want you to be satisfied with your coverage and your care. If you are not, please tell us. This "
            "chapter explains how to make a complaint (also called a grievance) about the quality of care or "
            "service you received, how to appeal a decision we made about your coverage, and how to ask for an "
            "independent external review. You may name an authorized representative, such as a family member, "
            "a friend, or your Provider, to act for you at any step by sending us a signed form. For an urgent "
            "appeal, your treating Provider may act for you without a form."
        ),
        h2("11.1 Complaints about quality of care or service"),
        para(
            "You may make a complaint about a Provider, about the quality of care you received, or about our "
            "service, such as long waits or a rude staff member, by calling Member Services or writing to us. We "
            "will acknowledge a written complaint within five business days and send you a written response within "
            "30 days. A complaint about a coverage decision is handled as an appeal under Section 11.3."
        ),
        para(
            "When we look into a complaint, we may ask the Provider or the staff involved for their account of "
            "what happened and may look at your medical records. If the complaint is about the quality of your "
            "care, a nurse or physician on our quality staff will look into it, and the findings may be used in "
            "our credentialing of Providers. Our response will tell you what we found and what we have done "
            "about it, although some details may be confidential under state peer-protection laws."
        ),
        para(
            "Making a complaint will not affect your coverage or the way you are treated by us or by your "
            "Providers. If you are not satisfied with our response, you may contact your state department of "
            "insurance."
        ),
        h2("11.2 Adverse benefit determinations"),
        para(
            "An adverse benefit determination is any decision by us to deny, reduce, or end a benefit, or to fail "
            "to provide or pay for a benefit in whole or in part, including a decision that a service is not "
            "Medically Necessary, is Experimental or Investigational, or is not covered, and a decision to rescind "
            "coverage. When we make an adverse benefit "
            "determination, we send you a written notice that explains the specific reason, the part of this EOC "
            "on which it is based, the clinical criteria we used, the information we need to reconsider, and your "
            "appeal rights. The notice also tells you how to reach Member Services for help."
        ),
    ]
    s.append(Marker(marks))
    s.append(Spacer(1, pad))
    # no keepWithNext here: the heading must not drag the paragraph to the next page
    s.append(Paragraph("11.3 Internal appeals", ParagraphStyle("e_h2_free", parent=E_H2, keepWithNext=0)))
    s.append(
        TrackedPara(
            "To ask us to reconsider a decision, start an internal appeal by calling Member Services, by writing to "
            "the address in Section 11.7, or through the member website. You or your authorized representative must "
            f"file the appeal {DEADLINE_SENTENCE_END} Your appeal should include your name, your member "
            "number, the claim or "
            "request number shown on the notice, and the reasons you believe our decision was wrong. You may send "
            "written comments, documents, medical records, and other information with your appeal, such as a "
            "letter of medical necessity from your physician and records of treatments you have already tried, "
            "and we will consider all of it whether or not it was available when we made our first decision. On "
            "request we will give you, free of charge, copies of all documents, records, and other information "
            "relevant to your claim, including the clinical criteria we used. The appeal will be decided by a "
            "person who was not involved in the first decision and who is not the subordinate of the person who "
            "made it, and an appeal that involves medical judgment will be decided by a physician or other "
            "clinician in the same or a similar specialty as the Provider who usually manages the condition. If "
            "we obtain any new evidence or rationale while deciding your appeal, we will send it to you in time "
            "for you to respond before we decide.",
            E_BODY,
        )
    )
    s += [
        h2("11.4 Time frames for internal appeal decisions"),
    ]
    s += items(
        [
            "Appeals about care you have not yet received (pre-service appeals): we decide within 30 days after we "
            "receive the appeal.",
            "Appeals about care you have already received (post-service appeals): we decide within 60 days after "
            "we receive the appeal.",
            "Urgent care appeals: if the standard time frame could seriously jeopardize your life, health, or "
            "ability to regain maximum function, or your physician says it would subject you to severe pain, you "
            "may ask for an expedited appeal. We decide an expedited appeal within 72 hours after we receive it, "
            "and we will tell you the decision by telephone and then in writing.",
            "Concurrent care: if you appeal a decision to reduce or end an ongoing course of treatment, the "
            "treatment will continue while the appeal is pending.",
        ]
    )
    s += [
        para(
            "Our written decision will explain the reason for the decision and the part of this EOC it is based "
            "on. If we reverse our decision, we will cover the service or pay the claim promptly. If we uphold our "
            "decision, the notice will explain your right to external review."
        ),
        h2("11.5 External review"),
        para(
            "If we uphold an adverse benefit determination that involves medical judgment, including a decision "
            "that a service is not Medically Necessary or is Experimental or Investigational, or a decision to "
            "rescind coverage, you may ask for an external review by an independent review organization (IRO) that "
            "has no connection with us. You must make the request in writing within 4 months after the date you "
            "receive our final internal appeal decision. You do not pay for the external review."
        ),
        para(
            "The IRO is assigned at random. It will accept written information from you for at least 10 business "
            "days after you are notified of the assignment, and it will decide within 45 days after it receives the "
            "request. The IRO's decision is binding on us. If the IRO reverses our decision, we will provide "
            "coverage or payment right away."
        ),
        h3("Expedited external review"),
        para(
            "You may ask for an expedited external review at the same time as an expedited internal appeal, or "
            "after an internal appeal decision, if your physician certifies that the time frame for a standard "
            "external review would seriously jeopardize your life or health or your ability to regain maximum "
            "function. You may also ask for an expedited external review if we decided that a service is "
            "Experimental or Investigational and your physician certifies that the service would be significantly "
            "less effective if not started promptly. The IRO decides an expedited external review as quickly as "
            "your condition requires and no more than 72 hours after it receives the request."
        ),
        h2("11.6 When you may skip the internal appeal"),
        para(
            "You may go directly to external review if we fail to follow the rules in this chapter, unless the "
            "failure was minor, did not cause you harm, and was for a good reason beyond our control. You may also "
            "ask for expedited external review at the same time as an expedited internal appeal, as described above."
        ),
        h2("11.7 How to contact us"),
        para(
            f"Send written appeals to {PLAN}, Appeals and Grievances Unit, P.O. Box 4150, Springfield, or fax them "
            f"to 1-800-555-0147. To file by telephone or to ask about an appeal, call Member Services at {PHONE} "
            f"(TTY {TTY}). For an expedited appeal, call and say that your appeal is urgent."
        ),
        h2("11.8 Other help"),
        para(
            "If your coverage is through a private employer, you also have the right to bring a civil action under "
            "section 502(a) of the Employee Retirement Income Security Act (ERISA) after you have used the appeal "
            "process. You may contact the Employee Benefits Security Administration at 1-866-444-3272. Your state "
            "consumer assistance program can help you file an appeal at no cost."
        ),
    ]
    return s


def eoc_termination():
    s = chapter(12, "When Coverage Ends and Continuation of Coverage")
    s += [
        h2("12.1 When coverage ends for the Subscriber"),
        para("The Subscriber's coverage ends on the earliest of these dates:"),
    ]
    s += items(
        [
            "The last day of the month in which employment ends or the Subscriber no longer meets the eligibility "
            "rules;",
            "The date the Group Agreement ends;",
            "The last day of the period for which Premium was paid, if the Premium is not paid by the end of the "
            "grace period;",
            "The date the Subscriber asks in writing to end coverage, or a later date given in the request;",
            "The date we end coverage because of fraud or intentional misrepresentation of a material fact, after "
            "at least 30 days' advance written notice.",
        ]
    )
    s += [
        h2("12.2 When coverage ends for Dependents"),
        para(
            "A Dependent's coverage ends when the Subscriber's coverage ends, or, if earlier, on the last day of the "
            "month in which the Dependent no longer meets the eligibility rules, for example because of divorce or "
            "because a child turns 26. A disabled child's coverage continues as described in Chapter 2 for as long "
            "as the child remains disabled and dependent."
        ),
        h2("12.3 Benefits after coverage ends"),
        para(
            "We do not pay for services received after your coverage ends, even if the condition began while you "
            "were covered, with one exception: if you are an Inpatient on the date coverage ends, we will continue "
            "to cover the stay until you are discharged or until you become covered under another plan, whichever "
            "comes first. This extension does not apply if coverage ended because of fraud or because you did not "
            "pay the Premium."
        ),
        h2("12.4 Continuation of coverage under COBRA"),
        para(
            "If your employer has 20 or more employees, federal law (COBRA) may allow you and your Dependents to "
            "keep this coverage for a limited time after it would otherwise end, if you pay the full Premium plus "
            "an administrative fee of up to 2%. Your employer, not us, administers COBRA continuation, and will "
            "send you an election notice."
        ),
        para("The events that allow continuation, and the maximum length of continuation, are:"),
    ]
    s += items(
        [
            "End of employment (other than for gross misconduct) or a reduction in hours: up to 18 months for the "
            "Subscriber and Dependents;",
            "A finding by the Social Security Administration that a qualified beneficiary was disabled during the "
            "first 60 days of continuation: up to 29 months;",
            "Death of the Subscriber, divorce or legal separation, the Subscriber's entitlement to Medicare, or a "
            "child's loss of Dependent status: up to 36 months for the affected Dependents.",
        ]
    )
    s += [
        para(
            "You must tell your employer within 60 days after a divorce, legal separation, or a child's loss of "
            "Dependent status. You have 60 days after the later of the date coverage ends and the date of the "
            "election notice to choose continuation, and 45 days after you choose it to pay the first Premium. "
            "Continuation ends early if Premiums are not paid on time, if the employer stops offering group health "
            "coverage, or if you become covered under another group plan or become entitled to Medicare after "
            "choosing continuation."
        ),
        h2("12.5 State continuation"),
        para(
            "If your employer has fewer than 20 employees, or after your COBRA continuation ends, state law may "
            "allow you to continue coverage for an additional period. Call Member Services for details."
        ),
        h2("12.6 Uniformed services leave"),
        para(
            "If you leave work for service in the uniformed services, you may keep coverage for yourself and your "
            "Dependents for up to 24 months under the Uniformed Services Employment and Reemployment Rights Act "
            "(USERRA). When you return to work, coverage will be restored without a waiting period."
        ),
        h2("12.7 Individual coverage"),
        para(
            "When your coverage ends, you may be able to buy individual coverage through the Health Insurance "
            "Marketplace. Losing coverage is a special enrollment event for the Marketplace, which gives you 60 days "
            "to enroll. You may also qualify for Medicaid or CHIP, or for a premium tax credit."
        ),
        h2("12.8 Certificate of coverage"),
        para(
            "When your coverage ends, you may ask us for a written statement showing the dates you were covered. "
            "You may need it to prove that you had coverage when you apply for other insurance or government "
            "programs."
        ),
    ]
    return s


GENERAL = [
    ("Entire contract", "This Evidence of Coverage, the Group Agreement, the enrollment forms, and any amendments "
     "make up the entire contract between the parties. No agent or employee of ours may change the contract or "
     "waive any of its terms. A change is valid only if it is made in writing and signed by one of our officers."),
    ("Governing law", "The contract is governed by the laws of the state in which the Group Agreement was "
     "delivered, except where federal law applies. Any provision that conflicts with the law is changed to "
     "conform to the minimum requirements of the law."),
    ("Clerical errors", "A clerical error by us or by your employer does not end coverage that should have been "
     "in force, and does not continue coverage that should have ended. When an error is found, the Premium and "
     "benefits will be adjusted fairly."),
    ("Member rights and responsibilities", "You have the right to be treated with respect and dignity, to take "
     "part in decisions about your health care, to receive information about this plan and your benefits, and to "
     "the privacy of your health information. You have the responsibility to give your Providers the information "
     "they need to care for you, to follow the treatment plans you agree to, to pay your cost sharing, and to "
     "tell us about changes in your address or family."),
    ("Privacy of your health information", "We protect the privacy of your health information as required by the "
     "Health Insurance Portability and Accountability Act (HIPAA) and state law. Our Notice of Privacy Practices "
     "explains how we may use and disclose your information and your rights to see and correct it. You may ask "
     "for a copy at any time."),
    ("Access to medical records", "By enrolling, you allow Providers to give us the information we need to "
     "administer this plan, including medical records, as permitted by law. We will keep that information "
     "confidential."),
    ("Relationship of the parties", "Providers are independent contractors. They are not our employees or agents, "
     "and we are not responsible for the care they give. Your employer is not our agent."),
    ("Physical examination", "When a claim is pending, we may, at our own expense, ask that a Member be examined by "
     "a physician we choose as often as is reasonably necessary."),
    ("Legal actions", "No legal action may be brought to recover under this contract less than 60 days after "
     "written proof of loss has been given, or more than three years after the time proof of loss is required."),
    ("Non-waiver", "If we do not enforce a provision of this contract, that does not waive our right to enforce "
     "it or any other provision in the future."),
    ("Notices", "Notices to you will be sent to the most recent address we have for the Subscriber. Notices to us "
     "should be sent to the Member Services address in this document."),
    ("Circumstances beyond our control", "If a major disaster, epidemic, war, riot, or similar event beyond our "
     "control makes it hard to provide or arrange services, we will make a good-faith effort to provide or arrange "
     "covered services within the limits of available facilities and personnel."),
    ("Fraud", "Anyone who knowingly files a false claim, or gives false or misleading information to obtain "
     "benefits, may be guilty of a crime, and we may end that person's coverage. If you suspect fraud, call our "
     "fraud line at 1-800-555-0148."),
    ("Wellness programs", "We may offer programs that reward you for healthy activities, such as completing a "
     "health assessment. Participation is voluntary. If a medical condition makes it unreasonably hard to "
     "meet a program standard, call us and we will work with you to find another way to earn the reward."),
    ("Value-added services", "We may offer discounts on goods and services that are not benefits of this plan, "
     "such as gym memberships. These are not insurance, we do not guarantee them, and we may end them at any "
     "time."),
    ("Payments for services", "We pay Providers through a variety of arrangements, including fee schedules and "
     "per-member payments. You may ask us how a Provider is paid. No arrangement gives a Provider a reason to "
     "withhold care you need."),
    ("Women's Health and Cancer Rights Act", "This plan covers all stages of breast reconstruction after a "
     "mastectomy, surgery on the other breast to produce a symmetrical appearance, prostheses, and treatment of "
     "physical complications of the mastectomy, including lymphedema, at the same cost sharing as other surgery."),
    ("Newborns' and Mothers' Health Protection Act", "This plan does not restrict the length of a hospital stay "
     "for childbirth to less than 48 hours after a vaginal delivery or 96 hours after a cesarean delivery."),
    ("Genetic information", "We do not use genetic information to decide eligibility, premiums, or benefits, and "
     "we do not ask you to undergo a genetic test."),
    ("Headings", "Chapter and section headings are for convenience only and do not change the meaning of this "
     "document."),
    ("Severability", "If any provision of this contract is found to be invalid, the rest of the contract remains "
     "in full force and effect."),
    ("Recovery of benefits paid by mistake", "If we pay benefits for a person who was not eligible, or pay more "
     "than the contract provides, the person who received the payment must return it. We may also recover the "
     "amount by reducing future benefits."),
    ("Reports and records", "We and your employer will keep the records needed to administer this plan. Your "
     "employer must give us the information we need to determine eligibility and Premiums, and we may inspect "
     "the employer's records that relate to this plan at any reasonable time."),
    ("Time periods", "Unless this document says otherwise, a period stated in days means Calendar Days. A period "
     "that ends on a Saturday, Sunday, or legal holiday is extended to the next business day."),
    ("Conformity with law", "If any part of this document does not meet the minimum requirements of federal or "
     "state law, it is automatically changed to meet them."),
]


def eoc_general():
    s = chapter(13, "General Provisions")
    s.append(para("The following provisions apply to all Members and all benefits under this plan."))
    for i, (title, text) in enumerate(GENERAL, 1):
        s.append(h2(f"13.{i} {title}"))
        s.append(para(text))
    return s


def eoc_appendix_dental():
    s = [PageBreak(), h1("Appendix A. Pediatric Dental Benefit Details")]
    s += [
        para(
            "This appendix gives more detail about the pediatric dental care described in Chapter 5. These benefits "
            "are available to Members until the end of the month in which they turn 19. Dental care must be "
            "provided by a licensed dentist, and benefits are paid according to the classes of service below."
        ),
        h2("A.1 Class I: Diagnostic and preventive services"),
        para(
            "Class I services are covered with no Cost Sharing and are not subject to the Deductible. They include "
            "two oral examinations and two cleanings each Benefit Year, bitewing X-rays once each Benefit Year, a "
            "full-mouth or panoramic X-ray once every five years, topical fluoride twice each Benefit Year, sealants "
            "on permanent molars once every three years per tooth, and space maintainers for the early loss of baby "
            "teeth."
        ),
        h2("A.2 Class II: Basic services"),
        para(
            "Class II services are covered at 20% Coinsurance after the Deductible. They include fillings made of "
            "amalgam or tooth-colored composite material, simple extractions, emergency treatment of dental pain, "
            "pulp therapy on baby teeth, and the repair of dentures."
        ),
        h2("A.3 Class III: Major services"),
        para(
            "Class III services are covered at 50% Coinsurance after the Deductible. They include crowns, root canal "
            "therapy, periodontal scaling and root planing, surgical extractions, bridges, and complete and partial "
            "dentures. Crowns, bridges and dentures may be replaced once every five years, and only when the "
            "existing item cannot be repaired."
        ),
        h2("A.4 Orthodontic services"),
        para(
            "Orthodontic treatment is covered at 50% Coinsurance only when it is Medically Necessary to correct a "
            "severe handicapping malocclusion, such as one caused by cleft lip or palate or another craniofacial "
            "anomaly. Orthodontic treatment for cosmetic reasons is not covered."
        ),
        h2("A.5 Alternate benefit"),
        para(
            "When there is more than one acceptable way to treat a dental condition, we pay for the least costly "
            "treatment that meets accepted standards of dental care. If you and your dentist choose a more costly "
            "treatment, you pay the difference in cost in addition to your Coinsurance."
        ),
        h2("A.6 Dental services not covered"),
    ]
    s += items(
        [
            "Cosmetic dental care, such as tooth whitening and veneers;",
            "Dental implants, except when Medically Necessary after a congenital absence of teeth;",
            "Replacement of lost or stolen appliances;",
            "Services started before the Member's coverage began, or completed after it ended;",
            "Dental care for Members age 19 and older, except as described in Chapter 5.",
        ]
    )
    return s


def eoc_appendix_programs():
    s = [PageBreak(), h1("Appendix B. Care Management and Wellness Programs")]
    s += [
        para(
            "We offer programs that help Members stay healthy and manage serious or long-term conditions. The "
            "programs are voluntary and free of charge, and taking part in them does not change your benefits. You "
            "may join or leave a program at any time by calling Member Services."
        ),
        h2("B.1 Case management"),
        para(
            "Case management helps Members with complex medical needs, such as cancer, organ transplant, serious "
            "injury, or a long Hospital stay. A registered nurse case manager works with you, your family, and your "
            "doctors to coordinate care, arrange home services and equipment, and plan for a safe return home after "
            "a Hospital stay. Your case manager can also help you understand your benefits and connect you with "
            "community resources."
        ),
        para(
            "In some cases a case manager may suggest an alternative to the care described in this EOC, such as "
            "care at home instead of in a facility. We may cover such an alternative when you, your physician and "
            "we all agree that it is appropriate and costs no more than the care it replaces. Covering an "
            "alternative for one Member does not require us to cover it for any other Member."
        ),
        h2("B.2 Condition management programs"),
        para(
            "Our condition management programs help Members with asthma, chronic obstructive pulmonary disease, "
            "diabetes, heart failure, coronary artery disease, and high blood pressure. A health coach will call you "
            "to talk about your condition, your medicines, and the goals you want to reach, and will send "
            "reminders about recommended tests. Members with diabetes who take part receive a blood glucose monitor "
            "and test strips at no cost."
        ),
        h2("B.3 Maternity program"),
        para(
            "Our maternity program supports expectant parents from early pregnancy through the first weeks after "
            "delivery. When you enroll in the first trimester, a nurse will check in with you regularly, help you "
            "prepare for delivery, and watch for signs of complications such as high blood pressure or gestational "
            "diabetes. After the birth, the nurse can help with breastfeeding questions and newborn care."
        ),
        h2("B.4 Tobacco cessation"),
        para(
            "Members who want to stop using tobacco can work with a trained coach by telephone or online. The "
            "program includes a personal quit plan and, when recommended by your physician, nicotine replacement "
            "therapy or other drugs to help you quit, covered with no Cost Sharing."
        ),
        h2("B.5 Healthy rewards"),
        para(
            "Members age 18 and older can earn up to $200 each Benefit Year in gift cards for completing a health "
            "assessment, a biometric screening, a preventive visit with their PCP, and recommended cancer "
            "screenings. Rewards may be taxable income. If a medical condition makes it unreasonably difficult for "
            "you to complete an activity, call Member Services and we will offer another way to earn the reward."
        ),
        h2("B.6 Nurse advice line"),
        para(
            "Registered nurses are available 24 hours a day, seven days a week, at 1-800-555-0146 to answer health "
            "questions, help you decide where to get care, and give advice about caring for yourself at home. The "
            "nurse advice line does not replace your PCP, and in an emergency you should call 911."
        ),
    ]
    return s


def eoc_appendix_privacy():
    s = [PageBreak(), h1("Appendix C. Notice of Privacy Practices")]
    s += [
        para(
            "<b>This notice describes how medical information about you may be used and disclosed and how you can "
            "get access to this information. Please read it carefully.</b>"
        ),
        para(
            f"{PLAN} is required by law to protect the privacy of your health information, to give you this notice "
            "of our legal duties and privacy practices, and to follow the terms of the notice currently in effect. "
            "Health information includes any information that identifies you and relates to your health, the care "
            "you receive, or payment for that care."
        ),
        h2("C.1 How we may use and share your information"),
        para("We may use and share your health information without your written permission for these purposes:"),
    ]
    s += items(
        [
            "<b>Payment.</b> To pay claims, determine eligibility, collect Premiums, and coordinate benefits with "
            "other plans. For example, we may share information with a Provider to confirm that you are a Member.",
            "<b>Health care operations.</b> To run our business, for example to measure the quality of care, to "
            "train staff, to detect fraud, and to offer care management programs. We do not use genetic information "
            "to set Premiums or decide eligibility.",
            "<b>Treatment.</b> To help your Providers coordinate your care, for example by telling your physician "
            "about a drug interaction found in your pharmacy records.",
            "<b>Plan sponsor.</b> To give your employer summary information for setting Premiums or changing "
            "benefits, and, if your employer has agreed to protect it, other information needed to administer the "
            "plan. Your employer may not use this information for employment decisions.",
        ]
    )
    s += [
        para(
            "We may also share your information when required by law; for public health activities; to report abuse, "
            "neglect, or domestic violence; for health oversight activities such as audits; in response to a court "
            "order or lawful subpoena; to law enforcement in limited circumstances; with coroners and funeral "
            "directors; for organ donation; for research approved under privacy rules; to avoid a serious threat to "
            "health or safety; for specialized government functions such as military and national security; and "
            "for workers' compensation."
        ),
        h2("C.2 Uses that need your written permission"),
        para(
            "We will not use or share your information for marketing, or sell your information, without your "
            "written permission. Any other use not described in this notice "
            "will be made only with your written permission, which you may withdraw at any time in writing, except "
            "to the extent we have already acted on it. Some state laws give extra protection to certain "
            "information, such as HIV test results and genetic test results, and we follow those laws."
        ),
        h2("C.3 Your rights"),
    ]
    s += items(
        [
            "<b>See and copy your information.</b> You may ask to see or get a copy of your claims and other "
            "records we keep about you. We will respond within 30 days and may charge a reasonable fee.",
            "<b>Ask us to correct your information.</b> If you believe information is wrong or incomplete, you may "
            "ask us to correct it. We will tell you in writing within 60 days if we do not agree and why.",
            "<b>Ask for confidential communications.</b> You may ask us to contact you in a specific way or at a "
            "different address, and we will agree if you tell us you would be in danger otherwise.",
            "<b>Ask us to limit what we use or share.</b> We will consider your request but are not required to "
            "agree.",
            "<b>Get a list of those with whom we shared information.</b> You may ask for a list of the times we "
            "shared your information in the six years before your request, except for payment, operations, and "
            "certain other purposes.",
            "<b>Get a copy of this notice.</b> You may ask for a paper copy at any time.",
            "<b>Choose someone to act for you.</b> A person with your medical power of attorney or your legal "
            "guardian may exercise your rights.",
        ]
    )
    s += [
        h2("C.4 Breach notification"),
        para(
            "We will tell you promptly if a breach occurs that may have compromised the privacy or security of your "
            "information."
        ),
        h2("C.5 Changes to this notice and contact information"),
        para(
            "We may change the terms of this notice, and the changes will apply to all information we have about "
            "you. The new notice will be available on our website and we will mail it to you. If you have questions "
            "about this notice, or if you believe your privacy rights have been violated, contact our Privacy "
            f"Office at 1-800-555-0143 or {PLAN}, Privacy Office, P.O. Box 4180, Springfield. You may also write to "
            "the Office for Civil Rights of the U.S. Department of Health and Human Services. We will not take "
            "action against you for contacting either office."
        ),
        para("Effective date of this notice: January 1, 2026."),
    ]
    return s


def eoc_appendix_plan_info():
    s = [PageBreak(), h1("Appendix D. Plan Administration Information")]
    rows = [
        ("Name of plan", "Springfield Manufacturing Company Employee Health Plan (fictional)"),
        ("Plan sponsor and administrator", "Springfield Manufacturing Company, 500 Industrial Way, Springfield"),
        ("Employer identification number", "00-0000000 (sample)"),
        ("Plan number", "501"),
        ("Type of plan", "Group health plan (welfare benefit plan) providing medical and prescription drug benefits"),
        ("Plan year", "January 1 through December 31"),
        ("Insurer and claims administrator", f"{PLAN}, P.O. Box 4100, Springfield"),
        ("Funding", "Benefits are provided under a group insurance contract issued by the insurer. Premiums are "
                    "paid by the employer and by employee contributions."),
        ("Agent for service of legal process", "The plan administrator, at the address above"),
    ]
    s.append(
        Table(
            [[Paragraph(f"<b>{a}</b>", E_CELL), Paragraph(b, E_CELL)] for a, b in rows],
            colWidths=[150, 290],
            style=TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]),
        )
    )
    s += [
        Spacer(1, 10),
        h2("D.1 Your rights under federal law"),
        para(
            "As a participant in an employer plan, you are entitled to certain rights and protections under the "
            "Employee Retirement Income Security Act of 1974 (ERISA). You may:"
        ),
    ]
    s += items(
        [
            "Examine, without charge, at the plan administrator's office and at other specified locations, all "
            "documents governing the plan, including insurance contracts, and a copy of the latest annual report "
            "(Form 5500 Series) filed by the plan with the U.S. Department of Labor;",
            "Obtain, upon written request to the plan administrator, copies of documents governing the operation of "
            "the plan and updated summary plan descriptions. The administrator may make a reasonable charge for the "
            "copies;",
            "Continue health care coverage for yourself, your spouse or dependents if there is a loss of coverage as "
            "a result of a qualifying event, as described in Chapter 12.",
        ]
    )
    s += [
        para(
            "In addition to creating rights for plan participants, ERISA imposes duties upon the people who are "
            "responsible for the operation of the plan. The people who operate your plan, called fiduciaries, have "
            "a duty to do so prudently and in the interest of you and other plan participants and beneficiaries. No "
            "one, including your employer, may fire you or otherwise discriminate against you to prevent you from "
            "obtaining a welfare benefit or exercising your rights under ERISA."
        ),
        para(
            "If you request materials from the plan and do not receive them within 30 days, you may file suit in a "
            "federal court. In such a case, the court may require the plan administrator to provide the materials "
            "and pay you up to $110 a day until you receive them, unless the materials were not sent because of "
            "reasons beyond the control of the administrator. If plan fiduciaries misuse the plan's money, or if "
            "you are discriminated against for asserting your rights, you may seek assistance from the U.S. "
            "Department of Labor, or you may file suit in a federal court."
        ),
        para(
            "If you have any questions about your plan, you should contact the plan administrator. If you have any "
            "questions about this statement or about your rights under ERISA, or if you need assistance in "
            "obtaining documents from the plan administrator, contact the nearest office of the Employee Benefits "
            "Security Administration, U.S. Department of Labor, listed in your telephone directory, or visit "
            "www.dol.gov/ebsa."
        ),
        h2("D.2 Plan amendment and termination"),
        para(
            "The plan sponsor expects to continue the plan but reserves the right to change or end it, in whole or in "
            "part, at any time, subject to the terms of the Group Agreement and applicable law. A change or "
            "termination does not affect your right to benefits for Covered Services received before the change "
            "takes effect."
        ),
    ]
    return s


def eoc_appendix_preventive():
    s = [PageBreak(), h1("Appendix E. Preventive Care Schedule")]
    s.append(
        para(
            "The table below summarizes common preventive services covered with no Cost Sharing when you receive "
            "them from your PCP or another Provider. It is a summary only; the full list "
            "follows the recommendations named in Section 5.1 and changes when those recommendations change. Your "
            "physician may recommend a different schedule based on your personal and family history."
        )
    )
    rows = [
        ("Service", "Who", "How often"),
        ("Well-baby and well-child visits", "Birth to age 2", "At 3-5 days, 1, 2, 4, 6, 9, 12, 15, 18 and 24 months"),
        ("Well-child visits", "Ages 3 to 18", "Once a year"),
        ("Childhood immunizations", "Birth to age 18", "As recommended by the ACIP schedule"),
        ("Newborn screening (hearing, metabolic, heart)", "Newborns", "Once"),
        ("Vision screening", "Ages 3 to 5", "At least once"),
        ("Lead screening", "Children at risk", "At 12 and 24 months"),
        ("Fluoride varnish", "Ages 6 months to 5 years", "Up to four times a year"),
        ("Adult preventive visit", "Ages 19 and older", "Once a year"),
        ("Blood pressure screening", "Ages 18 and older", "Once a year"),
        ("Cholesterol screening", "Ages 40 to 75", "Every 5 years, or more often if at risk"),
        ("Type 2 diabetes screening", "Ages 35 to 70 with overweight or obesity", "Every 3 years"),
        ("Cervical cancer screening", "Women ages 21 to 65", "Every 3 years (Pap) or every 5 years (HPV test)"),
        ("Breast cancer screening (mammogram)", "Women ages 40 to 74", "Every 1 to 2 years"),
        ("Colorectal cancer screening", "Ages 45 to 75", "Colonoscopy every 10 years, or other tests as recommended"),
        ("Lung cancer screening (low-dose CT)", "Ages 50 to 80 with a 20 pack-year smoking history", "Once a year"),
        ("Osteoporosis screening", "Women 65 and older, or younger women at risk", "As recommended"),
        ("Abdominal aortic aneurysm screening", "Men ages 65 to 75 who have ever smoked", "Once"),
        ("Hepatitis C screening", "Ages 18 to 79", "Once, or more often if at risk"),
        ("HIV screening", "Ages 15 to 65", "At least once"),
        ("Influenza vaccine", "Everyone 6 months and older", "Every flu season"),
        ("Tetanus, diphtheria, pertussis booster", "Adults", "Every 10 years"),
        ("Shingles vaccine", "Ages 50 and older", "Two-dose series"),
        ("Pneumococcal vaccine", "Ages 50 and older, or younger adults at risk", "As recommended"),
        ("Prenatal screenings (gestational diabetes, anemia, infections)", "Pregnant women", "As recommended"),
        ("Breastfeeding support and supplies", "Pregnant and postpartum women", "Each pregnancy"),
    ]
    data = [[Paragraph(c, E_CELL_B if i == 0 else E_CELL) for c in r] for i, r in enumerate(rows)]
    s.append(
        Table(
            data,
            colWidths=[170, 140, 130],
            repeatRows=1,
            style=TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E4E4E4")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            ),
        )
    )
    s.append(Spacer(1, 8))
    s.append(
        para(
            "If a screening finds a problem, follow-up tests and treatment are covered at the usual Cost Sharing for "
            "those services, except that a colonoscopy following a positive stool-based screening test is covered "
            "as preventive care."
        )
    )
    return s


def eoc_nondiscrimination():
    s = [PageBreak(), h1("Notice of Nondiscrimination and Language Assistance")]
    s += [
        para(
            f"{PLAN} complies with applicable federal civil rights laws and does not discriminate on the basis of "
            "race, color, national origin, age, disability, or sex, including sex characteristics, pregnancy or "
            "related conditions, sexual orientation, and gender identity. We do not exclude people or treat them "
            "differently because of these characteristics."
        ),
        para(
            "We provide free aids and services to people with disabilities so they can communicate with us, such "
            "as qualified sign language interpreters and written information in large print, audio, and accessible "
            "electronic formats. We provide free language services to people whose primary language is not "
            "English, such as qualified interpreters and information written in other languages."
        ),
        para(
            f"If you need these services, call Member Services at {PHONE} (TTY {TTY}). If you believe we have "
            "failed to provide these services or have discriminated in another way, you may contact our Civil "
            f"Rights Coordinator at 1-800-555-0149 or by mail at {PLAN}, Civil Rights Coordinator, P.O. Box 4190, "
            "Springfield."
        ),
        h2("Language assistance"),
        para(
            f"ATTENTION: If you speak Spanish, free language assistance services are available to you. Call {PHONE}."
        ),
        para(
            f"ATENCI\u00d3N: si habla espa\u00f1ol, tiene a su disposici\u00f3n servicios gratuitos de asistencia "
            f"ling\u00fc\u00edstica. Llame al {PHONE}."
        ),
        para(
            f"ATTENTION : si vous parlez fran\u00e7ais, des services d'aide linguistique vous sont propos\u00e9s "
            f"gratuitement. Appelez le {PHONE}."
        ),
    ]
    return s


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
    story = eoc_cover()
    story += eoc_welcome()
    story += eoc_definitions()
    story += eoc_eligibility()
    story += eoc_network()
    story += eoc_costs()
    story += eoc_covered()
    story += eoc_drugs()
    story += eoc_um()
    story += eoc_exclusions()
    story += eoc_claims()
    story += eoc_cob()
    marks = []
    story += eoc_appeals(pad, marks)
    story += eoc_termination()
    story += eoc_general()
    story += eoc_appendix_dental()
    story += eoc_appendix_programs()
    story += eoc_appendix_privacy()
    story += eoc_appendix_plan_info()
    story += eoc_appendix_preventive()
    story += eoc_nondiscrimination()
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
