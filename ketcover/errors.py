"""Stable error and warning codes, each with one plain sentence that tells the user what to do."""

from __future__ import annotations

from ketcover.model import PageWarning

MESSAGES = {
    "EMPTY_FILE": "The file is empty (0 bytes). Download the policy again and retry.",
    "NOT_A_PDF": "This is not a PDF ({what}). Save or export the policy as a PDF and retry.",
    "DAMAGED_PDF": "The PDF is damaged and no reader could open it. Download it again, or ask the insurer for a new copy.",
    "NO_PAGES": "The PDF opened but has no pages. Download it again, or ask the insurer for a new copy.",
    "PASSWORD_REQUIRED": "The PDF is protected by a password. Put the password in a file and pass it with --password-file.",
    "PASSWORD_INCORRECT": "The password given in --password-file does not open this PDF. Check the password and retry.",
    "UNSUPPORTED_ENCRYPTION": "The PDF uses an encryption ketcover cannot open. Print it to a new PDF and retry.",
    "TOO_MANY_PAGES": "The PDF has {pages} pages, more than the limit of {limit}. Split it, or raise --max-pages.",
    "RESOURCE_LIMIT": "Reading the PDF needed more than the memory limit of {limit_mb} MB, the usual sign of a damaged file or one built to exhaust memory: ask the sender for a new copy. Only if you trust the file and it is large, raise --max-memory-mb.",
    "TIMEOUT": "Reading the PDF took longer than {seconds} s and was stopped. Raise --timeout if the file is very long.",
    "IO_ERROR": "The file could not be read ({reason}). Check that it exists and that you may read it.",
    "INTERRUPTED": "Reading was stopped because the run was interrupted. Run ketcover again to read this file.",
    "INTERNAL_ERROR": "ketcover failed on this file ({reason}). Please report it; the other files are not affected.",
    # page warnings
    "NO_TEXT_LAYER": "Page {page} has no text (a scan or image); {ocr}",
    "GARBLED_PARTIAL": "Page {page} has characters ketcover cannot decode (a font without a Unicode map); its readable text was kept, but markers, numbers or words on it may be missing.",
    "GLYPHS_READ": "Page {page} has words in a font without a Unicode map; ketcover read them from the printed page by OCR, so check quotes with such words (markers, brand names, numbers) against the page.",
    "GARBLED_TEXT": "Page {page} has text ketcover cannot decode (broken font encoding); findings on it may be missing.",
    "HIDDEN_TEXT": "Page {page} holds text that is not visible when printed; it was ignored.",
    "FORM_TEXT": "Page {page} has text in form fields or annotations (filled-in values, stamps, comments); it was read with the page, so check findings on it against the filled-in form.",
    "OCR_USED": "Page {page} was read by OCR (optical character recognition); check its quotes against the page.",
    "ENCRYPTED_OWNER": "The PDF carries owner-password restrictions (copying or printing); it was read without changing it.",
    "PAGE_FAILED": "Page {page} could not be read and was skipped; findings on it may be missing.",
}

OCR_HINT_MISSING = "install Tesseract OCR (Debian/Ubuntu: apt-get install tesseract-ocr) to read it."
OCR_HINT_OFF = "OCR was turned off (--no-ocr)."
OCR_HINT_FAILED = "OCR found no text on it."


def message(code: str, **details) -> str:
    """The user-facing sentence for `code`, filled with `details`."""
    return MESSAGES[code].format(**details)


class ReadError(Exception):
    """A file that cannot be analyzed, with a stable code and a plain message."""

    def __init__(self, code: str, **details):
        self.code = code
        self.text = message(code, **details)
        super().__init__(self.text)

    @classmethod
    def restore(cls, code: str, text: str) -> "ReadError":
        """Rebuild an error that crossed a process boundary as (code, text)."""
        error = cls.__new__(cls)
        error.code, error.text = code, text
        Exception.__init__(error, text)
        return error


def page_warning(code: str, page: int | None, *, use_ocr: bool = True) -> PageWarning:
    """A page (or file) warning with its plain sentence; NO_TEXT_LAYER says how to get OCR."""
    from ketcover import ocr

    hint = ""
    if code == "NO_TEXT_LAYER":
        hint = OCR_HINT_OFF if not use_ocr else OCR_HINT_FAILED if ocr.ocr_available() else OCR_HINT_MISSING
    return PageWarning(code, page, message(code, page=page, ocr=hint))
