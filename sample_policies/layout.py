"""Shared layout for the sample PDFs: reading content/*.yaml, drawing its blocks, numbering pages."""
from pathlib import Path

import yaml
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    FrameBreak,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)

OUT = Path(__file__).resolve().parent
CONTENT = OUT / "content"


def load_content(name):
    """One document's or chapter's content, from content/NAME.yaml."""
    return yaml.safe_load((CONTENT / f"{name}.yaml").read_text(encoding="utf-8"))


def doc_kwargs(document):
    """PDF metadata from a content file's `document:` section (invariant=1 keeps rebuilds byte-identical)."""
    return dict(
        invariant=1,
        title=document["title"],
        author=document["author"],
        subject=document["subject"],
        creator="ketcover sample_policies/generate.py",
        producer="ReportLab",
        keywords=["sample", "fictional", document["author"]],
    )


def style(name, **kw):
    base = {} if "parent" in kw else dict(fontName="Times-Roman", fontSize=11, leading=14)
    base.update(kw)
    return ParagraphStyle(name, **base)


def length(value):
    """A length in points; a string such as "1.6 inch" is read in inches (kept as written so floats match)."""
    if isinstance(value, str) and value.endswith(" inch"):
        return float(value[: -len(" inch")]) * inch
    return value


BREAKS = {"page break": PageBreak, "frame break": FrameBreak}


def render(blocks, styles, tables=None, where="content", item="item", bullet="\u2013"):
    """Turn content blocks into flowables.

    A block is "page break" / "frame break", {space: pts}, {cond_page_break: pts}, {next_template: id},
    {STYLE: text} for a paragraph in one of `styles`, {items: [...], bullet?, style?} or
    {numbered: [...], style?} for a list, or {KIND: value} for one of the document's table kinds.
    """
    tables = tables or {}
    story = []
    for block in blocks:
        if isinstance(block, str):
            if block not in BREAKS:
                raise SystemExit(f"{where}: unknown block {block!r} (expected one of {sorted(BREAKS)})")
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
            known = sorted({*styles, *tables, "space", "cond_page_break", "next_template", "items", "numbered"})
            raise SystemExit(f"{where}: unknown block {kind!r}; this document knows {known}")
    return story


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
