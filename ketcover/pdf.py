"""PDF reading: the only module that imports pypdfium2 and pdfplumber; turns a file into a Document."""

from __future__ import annotations

import ctypes
import functools
import io
import logging
import re
from pathlib import Path
from typing import Callable, Iterator

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from ketcover import ocr
from ketcover.errors import ReadError
from ketcover.glyphs import GlyphKey
from ketcover.inputs import read_input
from ketcover.model import Document, OpenResult, PageResult
from ketcover.normalize import letters_and_digits, normalize_page_text, text_quality
from ketcover.structure import document_from_pages

# pdfminer logs document fragments at WARNING; they must never reach a user's log.
logging.getLogger("pdfminer").setLevel(logging.ERROR)
# pypdfium2 5.15 logs a build hint ("compiled without XFA support") for XFA forms; the AcroForm
# part of such a form is read all the same.
logging.getLogger("pypdfium2").setLevel(logging.ERROR)


@functools.cache
def _pdfplumber():
    """pdfplumber, imported on first use: the fast path never needs it, and importing it would
    add about 80 ms to the start of every reader process."""
    import pdfplumber

    _stop_pdfminer_reference_cycles()
    return pdfplumber


def _stop_pdfminer_reference_cycles() -> None:
    """pdfminer.six 20260107 follows "1 0 obj 1 0 R endobj" forever (pdftypes.resolve1); found by
    fuzzing. A reference cycle resolves to nothing instead, as a missing object does."""
    import sys

    from pdfminer import pdftypes

    original, reference = pdftypes.resolve1, pdftypes.PDFObjRef

    def resolve1(x: object, default: object = None):
        seen: set[int] = set()
        while isinstance(x, reference):
            if x.objid in seen:
                return default
            seen.add(x.objid)
            x = x.resolve(default=default)
        return x

    # Modules that imported the function by name hold their own reference to it.
    for name, module in list(sys.modules.items()):
        if name.startswith(("pdfminer", "pdfplumber")) and getattr(module, "resolve1", None) is original:
            module.resolve1 = resolve1

DEFAULT_MAX_PAGES = 5000
OBJECT_HEADER = re.compile(rb"\d+\s+\d+\s+obj\b")
OCR_DPI = 300
# A Letter or A4 page at 300 dpi (8.4 and 8.7 million pixels): larger pages are read at a lower
# resolution, so one page's OCR stays far inside the tree's 300 MB (tesseract 5.3 peaks at
# about 10 bytes per pixel).
OCR_MAX_PIXELS = 9_000_000
def _open_pdfium(data: bytes, password: str | None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            raise ReadError("PASSWORD_INCORRECT" if password else "PASSWORD_REQUIRED") from None
        if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
            raise ReadError("UNSUPPORTED_ENCRYPTION") from None
        raise ReadError("DAMAGED_PDF") from None


def render_page_png(data: bytes, page_number: int, *, dpi: int = 110, password: str | None = None) -> bytes:
    """One page as a PNG image (for OCR and for showing a cited page)."""
    pdf = _open_with_forms(data, password)  # so filled-in form fields are drawn
    try:
        page = pdf[page_number - 1]
        image = page.render(scale=dpi / 72).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()
    finally:
        pdf.close()


def ocr_scale(width_pt: float, height_pt: float) -> float:
    """Render scale for OCR: 300 dpi, less for a page so large that its image would pass
    OCR_MAX_PIXELS (a 48 x 36 inch poster at 300 dpi is 155 million pixels, and tesseract needs
    several times the image: 581 MB for the whole tree, measured)."""
    area = max(width_pt * height_pt, 1.0)
    return min(OCR_DPI / 72, (OCR_MAX_PIXELS / area) ** 0.5)


def _ocr_page(pdf, index: int) -> str:
    page = pdf[index]
    try:
        width, height = page.get_size()
        image = page.render(scale=ocr_scale(width, height), grayscale=True).to_pil()
    finally:
        page.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ocr.ocr_png(buffer.getvalue())


INVISIBLE_MODE = pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE  # 3: never painted
# 7: adds the glyphs to the clip path and paints nothing itself; what is painted next shows
# through the glyphs (large, coloured lettering), so such text is visible once something is.
CLIP_MODE = pdfium_c.FPDF_TEXTRENDERMODE_CLIP
GARBLED_SHARE = 0.2  # as normalize.text_quality: more than a fifth of the characters unreadable
MAX_UNDECODABLE_SHARE = 0.5  # more undecodable characters than this: the page is read by OCR, if at all
GARBLED_SAMPLE = 64  # characters checked per page: a broken font garbles whole runs, so a sample tells


def _address(handle) -> int | None:
    return ctypes.cast(handle, ctypes.c_void_p).value


def _overlaps(a, b) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def _invisible_text_objects(page) -> tuple[set[int], list]:
    """Addresses of the text objects drawn invisibly, and the page's image objects.

    One pass over the objects (about 15% of the text pass on the corpus); the per-character
    work happens only on the rare pages that have invisible text. Clip-mode text counts as
    hidden only when nothing drawn after it (in the same content) covers it.
    """
    hidden: set[int] = set()
    images: list = []
    get_type, render_mode = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDFTextObj_GetTextRenderMode
    text_kind, image_kind, form_kind = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_FORM
    pending = [(page.raw, pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject)]
    while pending:
        holder, count, get = pending.pop()
        clipping: dict[int, tuple] = {}  # clip-mode text of this content not yet painted through
        for i in range(count(holder)):
            obj = get(holder, i)
            kind = get_type(obj)
            if kind == text_kind:
                mode = render_mode(obj)
                if mode == INVISIBLE_MODE:
                    hidden.add(_address(obj))
                elif mode == CLIP_MODE:
                    clipping[_address(obj)] = _object_box(obj)
                continue
            if clipping:
                box = _object_box(obj)
                clipping = {address: text for address, text in clipping.items() if not _overlaps(text, box)}
            if kind == image_kind:
                images.append(obj)
            elif kind == form_kind:
                pending.append((obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject))
        hidden.update(clipping)
    return hidden, images


def _object_box(obj) -> tuple[float, float, float, float]:
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
    return left.value, bottom.value, right.value, top.value


def _hidden_chars(page, textpage) -> list[int]:
    """Indices of the characters nobody sees on the printed page.

    Invisible text over an image is an OCR layer (what ocrmypdf writes) and is kept; invisible
    text elsewhere says things the printed page does not.
    """
    hidden, images = _invisible_text_objects(page)
    if not hidden:
        return []
    boxes = [_object_box(image) for image in images]
    found = []
    for index in range(textpage.count_chars()):
        if _address(pdfium_c.FPDFText_GetTextObject(textpage.raw, index)) in hidden:
            left, bottom, right, top = textpage.get_charbox(index)
            x, y = (left + right) / 2, (bottom + top) / 2
            if not any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in boxes):
                found.append(index)
    return found


def _visible_text(page, textpage) -> tuple[str, bool]:
    """The page's text without hidden text, and whether any words were dropped."""
    text = textpage.get_text_range()
    hidden = set(_hidden_chars(page, textpage))
    if not hidden:
        return text, False
    count = textpage.count_chars()
    if len(text) != count:  # characters beyond U+FFFF take two places in the text: rebuild it
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    dropped = any(text[index].isalnum() for index in hidden)
    return "".join(char for index, char in enumerate(text) if index not in hidden), dropped


def _hidden_boxes(pdf, index: int) -> list[tuple[float, float, float, float]]:
    """Boxes (PDF page space) of one page's hidden characters, to filter pdfplumber's chars."""
    try:
        page = pdf[index]
    except pdfium.PdfiumError:
        return []
    textpage = page.get_textpage()
    try:
        return [textpage.get_charbox(i) for i in _hidden_chars(page, textpage)]
    finally:
        textpage.close()
        page.close()


def _not_in_boxes(boxes):
    def keep(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["y0"] + obj["y1"]) / 2
        return not any(left - 1 <= x <= right + 1 and bottom - 1 <= y <= top + 1 for left, bottom, right, top in boxes)
    return keep


def _looks_garbled(textpage) -> bool:
    """Whether many characters have no Unicode meaning (a font without a ToUnicode map).

    PDFium then returns the raw glyph codes, which look like letters ("(Mr¼áĆī$In") and pass
    normalize.text_quality; pdfminer would show them as "(cid:12)".
    """
    count = textpage.count_chars()
    sample = range(0, count, max(1, count // GARBLED_SAMPLE))
    raw, unmapped_at = textpage.raw, pdfium_c.FPDFText_HasUnicodeMapError
    # A character PDFium generated (a space, a line end) has no map error either: a page whose sample
    # has no error, nearly every page, is known without asking which characters were generated.
    unmapped = sum(unmapped_at(raw, index) == 1 for index in sample)
    if not unmapped:
        return False
    checked = sum(not pdfium_c.FPDFText_IsGenerated(raw, index) for index in sample)
    return checked > 0 and unmapped > GARBLED_SHARE * checked


def _decodable_text(page, textpage, key: GlyphKey | None = None) -> tuple[str, str] | None:
    """(text, garbled) of a page some of whose fonts cannot map their characters to Unicode, or
    None when over half of its characters stay unreadable: such a page is read by OCR as a whole.

    With tesseract (a GlyphKey), the undecodable words are read by their look (`_read_glyphs`):
    garbled is "glyphs" when every such word was read, "partial" when some were left out. Without
    it they are left out ("partial"). A drug list whose table font is broken names its drugs in
    readable words and repeats its markers on every page: reading the few words its fonts lose,
    mostly from the learned key, costs far less than OCR of every page (minutes for 160 pages)."""
    count = textpage.count_chars()
    text = textpage.get_text_range()
    if len(text) != count:  # characters beyond U+FFFF take two places in the text: rebuild it
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, i)) for i in range(count))
    skip = set(_hidden_chars(page, textpage))
    drawn = 0
    unmapped = []
    for index in range(count):
        if pdfium_c.FPDFText_IsGenerated(textpage.raw, index):
            continue
        drawn += 1
        if pdfium_c.FPDFText_HasUnicodeMapError(textpage.raw, index) == 1:
            unmapped.append(index)
    if not drawn:
        return None
    read: dict[int, str] = {}
    unread = len(unmapped)
    if key is not None and ocr.ocr_available():
        read, unread = _read_glyphs(page, textpage, [i for i in unmapped if i not in skip], key)
    if unread > MAX_UNDECODABLE_SHARE * drawn:
        return None
    skip.update(unmapped)
    kept = "".join(read.get(index, "") if index in skip else char for index, char in enumerate(text)
                   if index not in skip or index in read)
    return kept, "partial" if unread else "glyphs"


GLYPH_PAD = 1.5  # points around a word's glyph boxes in its OCR crop: keeps the ink, not the neighbours
GLYPH_GAP = 24  # pixels of white between two cropped words, so tesseract sees separate lines
GLYPH_STRIP_PIXELS = OCR_MAX_PIXELS  # one image of stacked crops stays within a page's OCR memory
INKLESS = 0.25  # points: a space glyph's box is a line (0 to 0.1 pt tall); a full stop at 6 pt is 0.8 pt tall


def _glyph_font(textpage, index: int, names: dict[int, str]) -> str:
    font = pdfium_c.FPDFTextObj_GetFont(pdfium_c.FPDFText_GetTextObject(textpage.raw, index))
    address = _address(font) or 0
    if address not in names:
        size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
        names[address] = buffer.value.decode("latin-1")
    return names[address]


def _read_glyphs(page, textpage, unmapped: list[int], key: GlyphKey) -> tuple[dict[int, str], int]:
    """Text for the characters no font maps to Unicode: a glyph without ink is a space, and the
    inked glyphs, grouped into words (neighbours on one line), are read from the document's
    glyph key or, for words with an unknown glyph, by OCR of their crops from the rendered page
    (all of a page's crops in one image), which teaches the key. The word's text goes to its
    first character, "" to the others; a word nobody can read is left out, and its characters
    are counted (the second value)."""
    read: dict[int, str] = {}
    words: list[list[int]] = []
    boxes: dict[int, tuple[float, float, float, float]] = {}
    for index in unmapped:
        left, bottom, right, top = box = textpage.get_charbox(index)
        if right - left < INKLESS or top - bottom < INKLESS:
            read[index] = " "
            continue
        boxes[index] = box
        last = words[-1][-1] if words else None
        if (last is not None and last == index - 1 and last in boxes
                and abs((boxes[last][1] + boxes[last][3]) - (bottom + top)) < (top - bottom)):
            words[-1].append(index)
        else:
            words.append([index])
    names: dict[int, str] = {}
    pending = []
    for word in words:
        font = _glyph_font(textpage, word[0], names)
        codes = tuple(pdfium_c.FPDFText_GetUnicode(textpage.raw, i) for i in word)
        known = key.read(font, codes)
        read.update(dict.fromkeys(word[1:], ""))
        if known is None:
            read[word[0]] = ""
            pending.append((word, font, codes))
        else:
            read[word[0]] = known
    if pending and page.get_rotation() == 0:
        crops = [_union([boxes[i] for i in word]) for word, _font, _codes in pending]
        for (word, font, codes), text in zip(pending, _ocr_crops(page, crops)):
            key.learn(font, codes, text)
            read[word[0]] = text
    return read, sum(len(word) for word, _font, _codes in pending if not read[word[0]])


def _union(boxes: list[tuple[float, float, float, float]]) -> tuple[float, float, float, float]:
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


def _ocr_crops(page, crops: list[tuple[float, float, float, float]]) -> list[str]:
    """The text tesseract reads in each box (PDF page space) of one page, "" where it reads
    nothing: the boxes are cut from one rendering and stacked, one per line, in one image (or
    several, each under GLYPH_STRIP_PIXELS, so a page of a few hundred words stays within the
    reader's memory limit as a whole page's OCR does)."""
    left, bottom, right, top = page.get_cropbox()
    scale = ocr_scale(right - left, top - bottom)
    image = page.render(scale=scale, grayscale=True).to_pil()
    pieces = []
    for x0, y0, x1, y1 in crops:
        # Clamped to the rendering: PIL fills a crop beyond the image with black, which OCR reads as ink.
        box = (max(0, int((x0 - GLYPH_PAD - left) * scale)), max(0, int((top - y1 - GLYPH_PAD) * scale)),
               min(image.width, int((x1 + GLYPH_PAD - left) * scale) + 1),
               min(image.height, int((top - y0 + GLYPH_PAD) * scale) + 1))
        pieces.append(image.crop(box) if box[0] < box[2] and box[1] < box[3] else None)
    texts: list[str] = [""] * len(crops)
    batch: list[int] = []
    area = 0
    for number, piece in enumerate(pieces + [None]):
        size = (piece.width + 2 * GLYPH_GAP) * (piece.height + GLYPH_GAP) if piece is not None else 0
        if batch and (number == len(pieces) or area + size > GLYPH_STRIP_PIXELS):
            for index, text in zip(batch, _ocr_strip([pieces[i] for i in batch])):
                texts[index] = text
            batch, area = [], 0
        if piece is not None:
            batch.append(number)
            area += size
    return texts


def _ocr_strip(pieces: list) -> list[str]:
    """The text tesseract reads in each piece of an image, the pieces stacked one per line."""
    width = max(piece.width for piece in pieces) + 2 * GLYPH_GAP
    strip = Image.new("L", (width, sum(piece.height + GLYPH_GAP for piece in pieces) + GLYPH_GAP), 255)
    spans = []
    y = GLYPH_GAP
    for piece in pieces:
        strip.paste(piece, (GLYPH_GAP, y))
        spans.append((y, y + piece.height))
        y += piece.height + GLYPH_GAP
    buffer = io.BytesIO()
    strip.save(buffer, format="PNG")
    texts: list[list[str]] = [[] for _ in pieces]
    for word, middle in ocr.ocr_words(buffer.getvalue()):
        for number, (y0, y1) in enumerate(spans):
            if y0 - GLYPH_GAP / 2 <= middle <= y1 + GLYPH_GAP / 2:
                texts[number].append(word)
                break
    # A piece holds one word (its glyphs have no space between them): pieces tesseract split are joined.
    return ["".join(words) for words in texts]


def _read_textpage(page, key: GlyphKey | None = None) -> tuple[str, bool, str]:
    """(text, hidden text dropped, garbled: "" | "glyphs" | "partial" | "whole") of one loaded page."""
    textpage = page.get_textpage()
    try:
        raw, hidden = _visible_text(page, textpage)
        if not _looks_garbled(textpage):
            return raw, hidden, ""
        decodable = _decodable_text(page, textpage, key)
        if decodable is None:
            return raw, hidden, "whole"
        return decodable[0], hidden, decodable[1]
    finally:
        textpage.close()


# Annotations whose appearance can hold words: form fields, free text boxes, stamps. Links (on
# most pages of a long guide), highlights and sticky-note icons draw none, so their pages are
# not flattened and read twice.
TEXT_ANNOTATIONS = {pdfium_c.FPDF_ANNOT_WIDGET, pdfium_c.FPDF_ANNOT_XFAWIDGET, pdfium_c.FPDF_ANNOT_FREETEXT,
                    pdfium_c.FPDF_ANNOT_STAMP, pdfium_c.FPDF_ANNOT_REDACT}


def _has_text_annotations(page) -> bool:
    for index in range(pdfium_c.FPDFPage_GetAnnotCount(page.raw)):
        annotation = pdfium_c.FPDFPage_GetAnnot(page.raw, index)
        if not annotation:
            continue
        try:
            if pdfium_c.FPDFAnnot_GetSubtype(annotation) in TEXT_ANNOTATIONS:
                return True
        finally:
            pdfium_c.FPDFPage_CloseAnnot(annotation)
    return False


def _pdfium_page(pdf, index: int, key: GlyphKey | None = None) -> tuple[str | None, bool, str, bool]:
    """(text, hidden text dropped, garbled, text from form fields or annotations) of one page;
    text None when PDFium cannot load it.

    The text pass reads page content only: filled-in form fields, stamps and comments live in
    annotations. A page that has any is flattened (its annotations drawn into its content, in
    memory only) and read again; the flattened text wins when it holds more.
    """
    try:
        page = pdf[index]
        try:
            raw, hidden, garbled = _read_textpage(page, key)
            flattened = (_has_text_annotations(page)
                         and pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY) == pdfium_c.FLATTEN_SUCCESS)
        finally:
            page.close()
        if not flattened:
            return raw, hidden, garbled, False
        page = pdf[index]  # the flattened content is seen only by a page loaded afterwards (PDFium 5.15)
        try:
            form_raw, form_hidden, form_garbled = _read_textpage(page, key)
        finally:
            page.close()
    except pdfium.PdfiumError:
        return None, False, "", False
    if letters_and_digits(form_raw) > letters_and_digits(raw):
        return form_raw, form_hidden, form_garbled, True
    return raw, hidden, garbled, False


def _open_with_forms(data: bytes, password: str | None) -> pdfium.PdfDocument:
    """The document with its form environment set up, so PDFium draws the appearance of form
    fields that have none yet (/NeedAppearances); must happen before any page is loaded."""
    pdf = _open_pdfium(data, password)
    try:
        if pdf.get_formtype() != pdfium_c.FORMTYPE_NONE:
            pdf.init_forms()
    except pdfium.PdfiumError:
        pass  # the fields keep the appearances they have
    return pdf


def open_pdf(data: bytes, *, password: str | None, engine: str, max_pages: int) -> OpenResult:
    """Check that the PDF opens and is within limits, before any page is read."""
    warnings: list[str] = []
    try:
        pdf = _open_pdfium(data, password)
    except ReadError as error:
        if error.code == "PASSWORD_REQUIRED":
            # PDFium 5.15 asks for a password for some files with an empty user password (AES-256
            # R5/R6 written by pypdf, a Bluebeam R4 file) that poppler and pdfminer open without one.
            try:
                count = _pdfplumber_page_count(data, "")
            except ReadError:
                raise error from None
            if count == 0:
                raise error from None
            if count > max_pages:
                raise ReadError("TOO_MANY_PAGES", pages=count, limit=max_pages) from None
            return OpenResult(count, ("READER_FALLBACK", "ENCRYPTED_OWNER"))
        if error.code != "DAMAGED_PDF":
            raise
        if not OBJECT_HEADER.search(data):
            # Nothing shaped like an object: pdfminer would lex every byte of it (46 s for 20 MB
            # of junk after a header, on a loaded machine) to find no page.
            raise
        # PDFium rejected it; pdfminer sometimes reads what PDFium cannot.
        count = _pdfplumber_page_count(data, password)
        if count == 0:
            raise ReadError("NO_PAGES") from None
        if count > max_pages:
            raise ReadError("TOO_MANY_PAGES", pages=count, limit=max_pages) from None
        return OpenResult(count, ("READER_FALLBACK",))
    try:
        count = len(pdf)
        if pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) >= 0 and not password:
            warnings.append("ENCRYPTED_OWNER")
        found = count <= max_pages and _pdfium_finds_a_page(pdf, count)
    finally:
        pdf.close()
    if count > max_pages:
        raise ReadError("TOO_MANY_PAGES", pages=count, limit=max_pages)
    if not found:
        # PDFium counts /Count but finds no page (empty /Kids, a cyclic page tree); ask pdfminer.
        try:
            count = _pdfplumber_page_count(data, password)
        except ReadError:
            count = 0
        if count == 0:
            raise ReadError("NO_PAGES")
        warnings.append("READER_FALLBACK")
    if count > max_pages:
        raise ReadError("TOO_MANY_PAGES", pages=count, limit=max_pages)
    return OpenResult(count, tuple(warnings))


def _pdfium_finds_a_page(pdf, count: int, probe: int = 8) -> bool:
    size = pdfium_c.FS_SIZEF()
    # Page dictionaries only, no content parsed; the first few pages tell, whatever /Count claims.
    return any(pdfium_c.FPDF_GetPageSizeByIndexF(pdf.raw, i, size) for i in range(min(count, probe)))


def _pdfplumber_page_count(data: bytes, password: str | None) -> int:
    try:
        with _pdfplumber().open(io.BytesIO(data), password=password or "") as pdf:
            return len(pdf.pages)
    except MemoryError:
        raise
    except Exception:  # pdfminer raises many types, with messages that may quote the document
        raise ReadError("DAMAGED_PDF") from None


def _clean(
    index: int, raw: str | None, method: str, ocr_page: Callable[[], str] | None, use_ocr: bool,
    *, garbled: str = "", hidden: bool = False, form: bool = False,
) -> PageResult:
    if raw is None:
        return PageResult(index, "", "none", ("PAGE_FAILED",))
    notes = (("HIDDEN_TEXT",) if hidden else ()) + (("FORM_TEXT",) if form else ())
    text = normalize_page_text(raw)
    if garbled in ("partial", "glyphs") and text_quality(text) == "ok":
        # The readable words are kept (and quoted); the page says which of its words were read by
        # their look, or that some characters are missing.
        return PageResult(index, text, method, notes + (("GLYPHS_READ",) if garbled == "glyphs" else ("GARBLED_PARTIAL",)))
    quality = "garbled" if garbled else text_quality(text)
    if quality != "ok" and ocr_page is not None and use_ocr and ocr.ocr_available():
        recognized = normalize_page_text(ocr_page())
        if text_quality(recognized) == "ok":
            return PageResult(index, recognized, "ocr", notes + ("OCR_USED",))
    if quality == "empty":
        return PageResult(index, "", "none", notes + ("NO_TEXT_LAYER",))
    if quality == "garbled":
        return PageResult(index, "", "none", notes + ("GARBLED_TEXT",))
    return PageResult(index, text, method, notes)


def read_pages(
    data: bytes, *, password: str | None, engine: str, use_ocr: bool, start: int = 0, fallback: bool = False
) -> Iterator[PageResult]:
    """Yield each page from `start` on, cleaned; OCR image-only pages when tesseract is there.

    engine "pdfium" is the fast text pass (pypdfium2); "pdfplumber" reads every page with
    pdfplumber, the parser of record, and is what the fast path is checked against.
    """
    if engine == "pdfplumber" or fallback:
        try:
            plumber = _pdfplumber().open(io.BytesIO(data), password=password or "")
            # Listing pages builds each Page: a MediaBox of 3 numbers raises IndexError here,
            # a missing one TypeError (pdfplumber 0.11.10).
            plumber_pages = plumber.pages
        except MemoryError:
            raise
        except Exception:
            if fallback:  # PDFium already failed on this file
                raise ReadError("DAMAGED_PDF") from None
            plumber = None  # PDFium reads it below
        if plumber is not None:
            # PDFium finds hidden text (pdfminer 20260107 does not report text render modes).
            rescue = None if fallback else _open_pdfium(data, password)
            try:
                for index in range(start, len(plumber_pages)):
                    page = plumber_pages[index]
                    hidden = garbled = False
                    try:
                        boxes = _hidden_boxes(rescue, index) if rescue is not None else []
                        if boxes:
                            hidden = True
                            page = page.filter(_not_in_boxes(boxes))
                        # use_text_flow keeps two-column pages apart (the default layout mixes them).
                        raw = page.extract_text(use_text_flow=True) or ""
                    except MemoryError:
                        raise
                    except Exception:  # one broken page must not lose the others
                        raw = None
                    finally:
                        plumber_pages[index].close()  # without close(), pdfplumber 0.11 keeps every page's objects
                    if raw is None and rescue is not None:  # pdfminer failed on this page; PDFium may not
                        raw, hidden, garbled, _form = _pdfium_page(rescue, index)
                    yield _clean(index, raw, "text", None, use_ocr, garbled=garbled, hidden=hidden)
            finally:
                plumber.close()
                if rescue is not None:
                    rescue.close()
            return
    pdf = _open_with_forms(data, password)
    key = GlyphKey() if use_ocr else None  # glyphs read by their look on one page help read the next
    try:
        for index in range(start, len(pdf)):
            raw, hidden, garbled, form = _pdfium_page(pdf, index, key)
            yield _clean(index, raw, "text", lambda index=index: _ocr_page(pdf, index), use_ocr, garbled=garbled, hidden=hidden,
                         form=form)
    finally:
        pdf.close()


def extract_document(
    path: str | Path,
    *,
    password: str | None = None,
    engine: str = "pdfium",
    use_ocr: bool = True,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> Document:
    """Read a PDF into a Document in this process (the CLI uses the isolated worker instead)."""
    path = Path(path)
    data, sha256 = read_input(path)
    opened = open_pdf(data, password=password, engine=engine, max_pages=max_pages)
    fallback = "READER_FALLBACK" in opened.warnings
    pages = list(read_pages(data, password=password, engine=engine, use_ocr=use_ocr, fallback=fallback))
    if all("PAGE_FAILED" in p.warnings for p in pages):
        raise ReadError("DAMAGED_PDF")  # no page could be read: not an empty report
    return document_from_pages(str(path), sha256, len(pages), {p.index: p for p in pages}, opened.warnings,
                               use_ocr=use_ocr)


QUOTE_MIN_SEGMENT = 12  # letters/digits: a shorter partial match of a quote may be chance


def _quote_spans(stream: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the quote's words stand in the page's letter stream, longest runs first-come.

    The whole quote is found when it is on the page as one run; otherwise (a quote that runs on
    to the next page, a column or a running header in between) each long enough run is kept.
    """
    total = sum(map(len, words))
    spans: list[tuple[int, int]] = []
    cursor = start = 0
    while start < len(words):
        found, end = None, start
        while end < len(words):
            needle = "".join(words[start:end + 1])
            at = stream.find(needle, cursor)
            if at < 0:
                at = stream.find(needle)
            if at < 0:
                break
            found, end = (at, at + len(needle)), end + 1
        if found is None:
            start += 1
            continue
        if found[1] - found[0] >= min(QUOTE_MIN_SEGMENT, total):
            spans.append(found)
            cursor = found[1]
        start = end
    return spans


def quote_boxes(data: bytes, page_number: int, quote: str, password: str | None = None) -> tuple:
    """Rectangles covering `quote` on one page: (left, top, right, bottom) as fractions of the rendered page.

    The quote comes from cleaned text (hyphenation joined, whitespace runs as one space), so it
    is matched on its letters and digits in order against the page's characters (PDFium's
    loose char boxes), never by offsets. A page with no text layer (scanned) gives no boxes.
    """
    import ctypes
    import re
    import unicodedata

    def letters(text: str) -> str:
        return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())

    words = [w for w in (letters(word) for word in re.split(r"[\W_]+", quote)) if w]
    pdf = _open_with_forms(data, password)
    try:
        page = pdf[page_number - 1]
        if _has_text_annotations(page) and pdfium_c.FPDFPage_Flatten(
                page.raw, pdfium_c.FLAT_NORMALDISPLAY) == pdfium_c.FLATTEN_SUCCESS:
            page.close()  # read as the text pass read it: form fields drawn into the page
            page = pdf[page_number - 1]
        width, height = page.get_size()  # as displayed (PDFium applies /Rotate)
        sideways = page.get_rotation() in (90, 270)  # the image is the page turned: lines run down it
        textpage = page.get_textpage()
        stream: list[str] = []
        owners: list[int] = []
        hidden = set(_hidden_chars(page, textpage))  # never highlight text the reader cannot see
        for index in range(textpage.count_chars()):
            if index in hidden:
                continue
            for ch in letters(chr(pdfium_c.FPDFText_GetUnicode(textpage.raw, index) or 32)):
                stream.append(ch)
                owners.append(index)
        scale = 20  # FPDF_PageToDevice rounds to whole device pixels; 1/20 pt is precise enough
        size_x, size_y = max(1, round(width * scale)), max(1, round(height * scale))
        device_x, device_y = ctypes.c_int(), ctypes.c_int()

        def to_image(x: float, y: float) -> tuple[float, float]:
            # Page space to the rendered image, honouring /Rotate and a CropBox not at the origin.
            pdfium_c.FPDF_PageToDevice(page.raw, 0, 0, size_x, size_y, 0, x, y, device_x, device_y)
            return device_x.value / size_x, device_y.value / size_y

        lines: list[list[float]] = []
        for begin, end in _quote_spans("".join(stream), words):
            new_span = True
            for index in dict.fromkeys(owners[begin:end]):
                left, bottom, right, top = textpage.get_charbox(index, loose=True)
                (x0, y0), (x1, y1) = to_image(left, top), to_image(right, bottom)
                box = [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]
                last = lines[-1] if lines else None
                axis = 0 if sideways else 1  # one line: the next character's middle is within it across the line
                middle = (box[axis] + box[axis + 2]) / 2
                if not new_span and last and last[axis] <= middle <= last[axis + 2]:
                    last[:] = [min(last[0], box[0]), min(last[1], box[1]), max(last[2], box[2]), max(last[3], box[3])]
                else:
                    lines.append(box)
                new_span = False
        textpage.close()
        page.close()
        return tuple(tuple(round(v, 5) for v in line) for line in lines)
    finally:
        pdf.close()
