"""PDF reading: the only module that imports pypdfium2 and pdfplumber; turns a file into a Document."""

from __future__ import annotations

import hashlib
import io
import logging
from pathlib import Path
from dataclasses import dataclass
from typing import Callable, Iterator

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from ketcover import ocr
from ketcover.errors import OCR_HINT_FAILED, OCR_HINT_MISSING, ReadError, message
from ketcover.model import Document, PageWarning
from ketcover.normalize import normalize_page_text, running_lines, strip_repeated_margins, text_quality
from ketcover.structure import find_headings

# pdfminer logs document fragments at WARNING; they must never reach a user's log.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

DEFAULT_MAX_PAGES = 5000
OCR_DPI = 300
SIGNATURES = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
)

def describe_non_pdf(head: bytes) -> str | None:
    """What the file is when it is not a PDF, or None when it looks like one."""
    if b"%PDF-" in head[:1024]:
        return None
    for signature, what in SIGNATURES:
        if head.startswith(signature):
            return what
    lowered = head[:512].lstrip().lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered:
        return "an HTML web page, perhaps a download or login page saved by mistake"
    try:
        head[:512].decode("utf-8")
        return "a plain text file"
    except UnicodeDecodeError:
        return "an unknown binary file"


def read_input(path: Path) -> tuple[bytes, str]:
    """The file's bytes and SHA-256, or a ReadError for missing, empty and non-PDF files."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ReadError("IO_ERROR", reason="it is a folder, not a file") from None
    except FileNotFoundError:
        raise ReadError("IO_ERROR", reason="no such file") from None
    except PermissionError:
        raise ReadError("IO_ERROR", reason="permission denied") from None
    except OSError as exc:
        raise ReadError("IO_ERROR", reason=exc.strerror or "operating system error") from None
    if not data:
        raise ReadError("EMPTY_FILE")
    what = describe_non_pdf(data[:2048])
    if what:
        raise ReadError("NOT_A_PDF", what=what)
    return data, hashlib.sha256(data).hexdigest()


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
    pdf = _open_pdfium(data, password)
    try:
        page = pdf[page_number - 1]
        image = page.render(scale=dpi / 72).to_pil()
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()
    finally:
        pdf.close()


def _ocr_page(pdf, index: int) -> str:
    page = pdf[index]
    try:
        image = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil()
    finally:
        page.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ocr.ocr_png(buffer.getvalue())


@dataclass(frozen=True)
class PageResult:
    """One page as read inside the worker: cleaned text, how it was read, and any warning code."""

    index: int
    text: str
    method: str  # text | ocr | none
    warning: str | None = None


@dataclass(frozen=True)
class OpenResult:
    page_count: int
    warnings: tuple[str, ...]


def open_pdf(data: bytes, *, password: str | None, engine: str, max_pages: int) -> OpenResult:
    """Check that the PDF opens and is within limits, before any page is read."""
    warnings: list[str] = []
    try:
        pdf = _open_pdfium(data, password)
    except ReadError as error:
        if error.code != "DAMAGED_PDF":
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
    finally:
        pdf.close()
    if count == 0:
        raise ReadError("NO_PAGES")
    if count > max_pages:
        raise ReadError("TOO_MANY_PAGES", pages=count, limit=max_pages)
    return OpenResult(count, tuple(warnings))


def _pdfplumber_page_count(data: bytes, password: str | None) -> int:
    try:
        with pdfplumber.open(io.BytesIO(data), password=password or "") as pdf:
            return len(pdf.pages)
    except Exception:  # pdfminer raises many types, with messages that may quote the document
        raise ReadError("DAMAGED_PDF") from None


def _clean(index: int, raw: str | None, method: str, ocr_page: Callable[[], str] | None, use_ocr: bool) -> PageResult:
    if raw is None:
        return PageResult(index, "", "none", "PAGE_FAILED")
    text = normalize_page_text(raw)
    quality = text_quality(text)
    if quality != "ok" and ocr_page is not None and use_ocr and ocr.ocr_available():
        recognized = normalize_page_text(ocr_page())
        if text_quality(recognized) == "ok":
            return PageResult(index, recognized, "ocr", "OCR_USED")
    if quality == "empty":
        return PageResult(index, "", "none", "NO_TEXT_LAYER")
    if quality == "garbled":
        return PageResult(index, "", "none", "GARBLED_TEXT")
    return PageResult(index, text, method)


def read_pages(
    data: bytes, *, password: str | None, engine: str, use_ocr: bool, start: int = 0, fallback: bool = False
) -> Iterator[PageResult]:
    """Yield each page from `start` on, cleaned; OCR image-only pages when tesseract is there.

    engine "pdfium" is the fast text pass (pypdfium2); "pdfplumber" reads every page with
    pdfplumber, the parser of record, and is what the fast path is checked against.
    """
    if engine == "pdfplumber" or fallback:
        with pdfplumber.open(io.BytesIO(data), password=password or "") as plumber:
            for index in range(start, len(plumber.pages)):
                page = plumber.pages[index]
                try:
                    # use_text_flow keeps two-column pages apart (the default layout mixes them).
                    raw = page.extract_text(use_text_flow=True) or ""
                except Exception:  # one broken page must not lose the others
                    raw = None
                finally:
                    page.close()  # without close(), pdfplumber 0.11 keeps every page's objects
                yield _clean(index, raw, "text", None, use_ocr)
        return
    pdf = _open_pdfium(data, password)
    try:
        for index in range(start, len(pdf)):
            try:
                page = pdf[index]
                textpage = page.get_textpage()
                raw = textpage.get_text_range()
                textpage.close()
                page.close()
            except pdfium.PdfiumError:
                raw = None
            yield _clean(index, raw, "text", lambda: _ocr_page(pdf, index), use_ocr)
    finally:
        pdf.close()


def page_warning(code: str, page: int | None) -> PageWarning:
    hint = ""
    if code == "NO_TEXT_LAYER":
        hint = OCR_HINT_FAILED if ocr.ocr_available() else OCR_HINT_MISSING
    return PageWarning(code, page, message(code, page=page, ocr=hint))


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
    warnings = [page_warning(code, None) for code in opened.warnings if code != "READER_FALLBACK"]
    warnings += [page_warning(p.warning, p.index + 1) for p in pages if p.warning]
    return assemble_document(str(path), sha256, [p.text for p in pages], [p.method for p in pages], warnings)


def assemble_document(
    path: str, sha256: str, page_texts: list[str], methods: list[str], warnings: list[PageWarning]
) -> Document:
    """Join cleaned pages into one text with exact page offsets, and find its headings."""
    page_texts = strip_repeated_margins(page_texts)
    chapters = running_lines(page_texts)
    starts = []
    offset = 0
    for text in page_texts:
        starts.append(offset)
        offset += len(text) + 1  # one "\n" between pages lets a sentence run on to the next
    full_text = "\n".join(page_texts)
    chapter_lines = {line for line in chapters if line}
    headings = tuple(h for h in find_headings(full_text) if h.title not in chapter_lines)
    return Document(
        path=path,
        sha256=sha256,
        text=full_text,
        page_starts=tuple(starts),
        page_methods=tuple(methods),
        warnings=tuple(warnings),
        headings=headings,
        page_chapters=tuple(chapters),
    )
