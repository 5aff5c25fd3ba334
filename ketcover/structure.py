"""Document structure from text alone: heading lines and the passages (clause units) to match."""

from __future__ import annotations

import re
from array import array
from dataclasses import dataclass

from ketcover.errors import page_warning
from ketcover.model import Document, Heading, PageResult, PageWarning
from ketcover.normalize import running_lines, split_margins

NUMBERED = re.compile(
    r"^(?:(?:section|article|chapter|part)\s+[0-9ivxlc]+[a-z]?(?:\([a-z0-9]+\))?\b|[0-9]+(?:\.[0-9]+)*\.?\s+[A-Z]|[IVX]+\.\s+[A-Z])",
    re.IGNORECASE,
)
# Bullets: common glyphs, private-use symbol-font glyphs (Wingdings bullets land in U+E000-U+F8FF),
# dashes, and "a." / "(1)" list markers.
BULLET = re.compile(r"^\s*(?:[•▪◦●■□◼➢✓❖➤\u2022\u2023\u25cf\u25aa\u2013\ue000-\uf8ff-]|\(?[a-z0-9]{1,3}[.)])\s*(?=\S)")
# Address and phone lines are title-cased but never headings ("P.O. Box 939001", "San Diego CA 92193").
ADDRESS_OR_PHONE = re.compile(r"\bp\.?\s?o\.?\s+box\b|\b[A-Z]{2},?\s+\d{5}(?:-\d{4})?\b|\d{3}[-.)\s]\s?\d{3}[-.]\d{4}|^attn\b|\bsuite\s+\d|\broom\s+\w*\d", re.I)
DOT_LEADER = re.compile(r"\.{4,}|…")  # a table-of-contents or index line, not a heading
# A table-of-contents or index line: dot leaders or a trailing page reference ("...133-134").
TOC_LINE = re.compile(r"(?:\.\s?){4,}\s*\d|…\s*\d|\.{3}\d|\.{8,}")
TWO_STOPS = re.compile(r"\.\s?\.")  # two full stops at most one space apart: every TOC_LINE holds them or "…"
# A letter's salutation and closing address a person; they never open a section ("Dear Jordan A. Sample:").
# A date as documents print it: 02/12/2025, 1/1/25, 8/2024, May 1, 2025, February 2026, 7:04 PM.
DATE = re.compile(
    r"\b(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{1,2}/\d{4}|\d{1,2}:\d{2}\s*[AP]M"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+(?:\d{1,2},?\s+)?\d{4})\b", re.I)
# A line that is a date with at most this many words of label ("Last Approval: 02/12/2025", "Effective
# Date: May 1, 2025", "Coverage Period: 01/01/2025 - 12/31/2025", "Published: 05/16/2024") is a date
# stamp, not a heading: what follows it is not "about" the date. A title that names a date among more
# words ("Model Notice of Adverse Benefit Determination - Revised as of July 3, 2014") stays a title.
DATE_STAMP_WORDS = 4
SALUTATION = re.compile(r"^(?:dear|to whom it may concern|sincerely|regards|respectfully)\b", re.I)
SMALL_WORDS = {
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "the", "to",
    "with", "your", "you", "our", "we", "is", "are", "not", "do", "does", "if", "&", "–", "-",
}
# A sentence's end: its stop, closing quotes or brackets, the blanks after them, and a capital or digit
# next. The stop is part of the match (not a look-behind): a pattern that opens with a character set
# lets the regex engine skip to the next stop, where a look-behind is tried at every character.
SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9•])")
# An SBC benefit row starts with its "Common Medical Event" label ("If you need mental health, ...");
# in prose a capitalized "If you" at a line start only follows a sentence end anyway.
SBC_ROW_START = re.compile(r"If (?:you|your)\b")
# The "Common Medical Event" labels of the federal SBC template (45 CFR 147.200), lower case.
SBC_TEMPLATE_LABELS = (
    "if you visit a health care provider's office or clinic",
    "if you have a test",
    "if you need drugs to treat your illness or condition",
    "if you have outpatient surgery",
    "if you need immediate medical attention",
    "if you have a hospital stay",
    "if you need mental health, behavioral health, or substance abuse services",
    "if you need mental health, behavioral health or substance abuse services",
    "if you need mental health, behavioral health, or substance use disorder services",
    "if you are pregnant",
    "if you need help recovering or have other special health needs",
    "if your child needs dental or eye care",
)
SBC_LABEL_MAX_LINES = 6
# Column headers of the SBC benefit table repeat on every table page and name no section.
SBC_COLUMN_HEADERS = re.compile(
    r"^(?:common medical event|services you may need|what you will pay|network provider|"
    r"out-of-network provider|non-network provider|plan provider|non-plan provider|"
    r"participating provider|non-participating provider|in-network|out-of-network|"
    r"\(you will pay the (?:least|most|more)\)|limitations, exceptions,? & other important information|"
    r"important questions answers why this matters|(?:you will pay the (?:least|most)))\b", re.I)
# A line made only of the SBC table's column-header words ("Network Provider", "(You will pay the
# least) Out-of-Network", "In-Network Provider (You Information will pay the least)" where two header
# cells interleave) says nothing by itself: it is quoted only with the cells it heads.
SBC_HEADER_WORDS = re.compile(
    r"\b(?:common|medical|event|services|you|may|need|what|will|pay|the|least|most|more|in-network|"
    r"out-of-network|non-network|network|participating|non-participating|preferred|plan|non-plan|provider|"
    r"providers|limitations|exceptions|other|important|information|tier)\b|[()&,:/\s]", re.I)
SBC_HEADER_KEY = re.compile(r"\bprovider\b|\bpay the (?:least|most|more)\b|important information|network\)?$", re.I)
# The "Services You May Need" cells of the federal SBC template: each starts its own row, so a
# passage never runs from one row's limitation into the next row's service and cost.
SBC_SERVICE_START = re.compile(
    r"(?:Primary care visit|Specialist visit|Preventive care|Diagnostic test|Imaging|Generic drugs|"
    r"Preferred brand drugs|Non-preferred brand drugs|Specialty drugs|Facility fee|Physician/surgeon fees?|"
    r"Emergency room care|Emergency medical transportation|Urgent care|Outpatient services|Inpatient services|"
    r"Office visits|Childbirth/delivery (?:professional|facility)|Home health care|"
    r"Rehabilitation services|Habilitation services|Skilled nursing care|Durable medical equipment|"
    r"Hospice services|Children[’']s (?:eye exam|glasses|dental check-up))\b")
MAX_PASSAGE = 700
LEAD_IN_MAX_WORDS = 8
# A full stop that ends an abbreviation does not end the sentence: initials of any letters ("P.O. Box",
# "e.g. a", "U.S. FDA", "L.A. Care", "M.D.") and the short abbreviations listed.
ABBREVIATION = re.compile(r"(?:\b(?:[a-z](?:\.[a-z])+|vs|no|dr|st|inc|co|jr|sr|etc|approx|min|max|ph\.d)\.)$", re.I)


@dataclass(frozen=True)
class Passage:
    """A clause-sized span of the document text: the unit rules match in and quotes come from."""

    start: int
    end: int


def is_contents_line(text: str) -> bool:
    """Whether TOC_LINE finds a contents line in `text`. Every form of it holds an ellipsis or two full
    stops at most one space apart, which most sentences do not: they are ruled out without the regex."""
    return ("…" in text or TWO_STOPS.search(text) is not None) and TOC_LINE.search(text) is not None


HEADING_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")  # compiled once: re.findall looks a pattern up on each of thousands of lines


def _looks_like_heading(line: str) -> int:
    """0 when `line` is body text; 2 for a strong heading (caps, numbered); 1 for a weak one."""
    text = line.strip()
    if not 3 <= len(text) <= 90 or BULLET.match(text):
        return 0
    if text[-1] in ".,;" or text.count(",") > 2 or "$" in text or "%" in text:
        return 0
    if text.count("(") != text.count(")"):
        return 0  # a table header cut by a line break ("Benefit You pay (Participating")
    words = HEADING_WORD.findall(text)
    if not words or len(words) > 12:
        return 0
    # The shape of a heading first: most short lines are body text that fails it, and the tests
    # that turn a heading-shaped line down (addresses, dates, column headers) are the costly regexes
    # (0.1 s over a 399-page guide's lines when run on every line). Each test alone can only say 0,
    # so their order does not change the answer.
    level = _heading_shape(text, words)
    if not level:
        return 0
    if ADDRESS_OR_PHONE.search(text) or SBC_COLUMN_HEADERS.match(text) or DOT_LEADER.search(text):
        return 0
    if SALUTATION.match(text):
        return 0
    if DATE.search(text) and len(re.findall(r"[A-Za-z]{2,}", DATE.sub(" ", text))) <= DATE_STAMP_WORDS:
        return 0
    tokens = text.split()
    # A token of letters only holds no digit: the common case costs one C call (map, not a generator).
    codes = sum(1 for token in tokens
                if not token.isalpha() and any(map(str.isdigit, token)) and any(map(str.isalpha, token)))
    if 2 * codes > len(tokens):
        return 0  # a row of codes ("F32.0 F32.1 F32.2", "G2082 G2083") is table content, not a title
    return level


def _heading_shape(text: str, words: list[str]) -> int:
    """The level a line's shape alone gives it (numbered or capitals 2, a lead-in or title case 1,
    title case ending in a colon 2), before _looks_like_heading's tests that turn it down."""
    if NUMBERED.match(text) and text[-1] != ":":
        return 2
    letters = list(filter(str.isalpha, text))
    if len(letters) >= 4 and all(map(str.isupper, letters)):
        return 2
    if text.endswith(":") and len(words) <= LEAD_IN_MAX_WORDS and text[0].isupper():
        return 1  # a lead-in such as "Not covered:" or "We do not cover:" opens a short section
    significant = [w for w in words if w.lower() not in SMALL_WORDS]
    if significant and all(w[0].isupper() for w in significant) and words[0][0].isupper():
        return 2 if text.endswith(":") else 1
    return 0


def _sbc_row_label(lines: list[str], index: int) -> str | None:
    """The whole "Common Medical Event" label of an SBC row that starts on lines[index].

    The label wraps over several lines of a narrow cell ("If you need mental / health,
    behavioral / health, or ..."), and may share its line with the row's first cells, so
    it is matched against the labels of the federal SBC template.
    """
    joined = " ".join(line.strip() for line in lines[index:index + SBC_LABEL_MAX_LINES])
    words = " ".join(joined.replace("’", "'").split()).lower()
    for label in SBC_TEMPLATE_LABELS:
        if words.startswith(label):
            return " ".join(joined.split())[:len(label)]
    return None


def find_headings(text: str) -> tuple[Heading, ...]:
    """Heading lines of the whole document, with their offsets and strength (1 weak, 2 strong).

    SBC row labels ("If you need mental health, behavioral health, or substance abuse
    services") count as weak headings: they name the benefit the row's cells belong to.
    """
    headings = []
    offset = 0
    lines = text.split("\n")
    for index, line in enumerate(lines):
        stripped = line.strip()
        level = _looks_like_heading(line)
        label = _sbc_row_label(lines, index) if SBC_ROW_START.match(stripped) else None
        if label:
            headings.append(Heading(offset + line.index(stripped[0]), label, 1))
        elif level:
            headings.append(Heading(offset + line.index(stripped[0]), stripped.rstrip(":"), level))
        offset += len(line) + 1
    return tuple(headings)


def _split_long(text: str, start: int, end: int) -> list[Passage]:
    """Cut a span longer than MAX_PASSAGE at line breaks (tables without full stops)."""
    pieces = []
    while end - start > MAX_PASSAGE:
        cut = text.rfind("\n", start + MAX_PASSAGE // 3, start + MAX_PASSAGE)
        if cut == -1:
            cut = text.rfind(" ", start + MAX_PASSAGE // 3, start + MAX_PASSAGE)
        if cut == -1:
            cut = start + MAX_PASSAGE
        pieces.append(Passage(start, cut))
        start = cut + 1
    pieces.append(Passage(start, end))
    return pieces


def is_table_header(line: str) -> bool:
    """True for a line of SBC column headers alone ("(You will pay the least) Out-of-Network Provider")."""
    lower = line.lower()
    if not ("provider" in lower or "pay the" in lower or "information" in lower or "network" in lower):
        return False  # a plain substring test first: the regexes cost 0.2 s over a 399-page guide's lines
    return bool(SBC_HEADER_KEY.search(line)) and not SBC_HEADER_WORDS.sub("", line)


def split_passages(text: str, heading_offsets: set[int] | frozenset[int]) -> list[Passage]:
    """The passages of `text` (see _passage_bounds)."""
    bounds = _passage_bounds(text, heading_offsets)
    return list(map(Passage, bounds[0::2], bounds[1::2]))


def _passage_bounds(text: str, heading_offsets: set[int] | frozenset[int]) -> list[int]:
    """Each passage's start and end offsets, one after the other (for pack_passages; split_passages
    makes Passages of them). Split text into sentences and list items; headings and blank lines end a
    passage, and an SBC table's service cell starts one. A line of the table's column headers is never a passage by
    itself: it runs on into the row below it (row label and first service cell), so its quote shows
    the header with the cells it heads."""
    boundaries = {0, len(text)}
    headers: set[int] = set()  # start offsets of column-header lines
    carry, carried = "", 0  # "header": the next line joins the header; "label": up to the first service cell
    offset = 0
    for line in text.split("\n"):
        stripped = line.lstrip()
        line_start = offset + len(line) - len(stripped)
        # Inside a header block, a cell cut by a line break ("(You will pay the" / "most)") is header too.
        if stripped and (is_table_header(stripped) or (carry == "header" and not SBC_HEADER_WORDS.sub("", stripped))):
            if not carry:
                boundaries.add(line_start)
            headers.add(line_start)
            carry, carried = "header", 0
        elif carry and stripped:
            carried += 1
            if carry == "header" and SBC_ROW_START.match(stripped) and not SBC_SERVICE_START.search(stripped):
                carry = "label"  # the row's label wraps over lines before its first service cell
            elif carry == "header" or SBC_SERVICE_START.match(stripped) or carried > SBC_LABEL_MAX_LINES:
                carry = ""
        elif not stripped:
            if not carry:
                boundaries.add(offset)
        elif SALUTATION.match(stripped):
            boundaries.update((line_start, offset + len(line)))  # "Dear ...:" never opens the letter's first sentence
        elif (BULLET.match(line) or line_start in heading_offsets or SBC_ROW_START.match(stripped)
              or SBC_SERVICE_START.match(stripped)):
            boundaries.add(line_start)
            # A heading is its own passage; an SBC row label runs on into its row's cells.
            if line_start in heading_offsets and not SBC_ROW_START.match(stripped):
                boundaries.add(offset + len(line))
            if SBC_ROW_START.match(stripped) and not SBC_SERVICE_START.search(stripped):
                carry, carried = "label", 0  # a label wrapped on lines of its own joins its first service cell
        offset += len(line) + 1
    for match in SENTENCE_END.finditer(text):
        stop_end = match.start() + 1  # just after the stop
        if not ABBREVIATION.search(text, max(0, stop_end - 8), stop_end):
            boundaries.add(match.end())
    bounds: list[int] = []
    ordered = sorted(boundaries)
    for start, end in zip(ordered, ordered[1:]):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end - start >= 3 and not (start in headers and is_table_header(" ".join(text[start:end].split()))):
            if end - start > MAX_PASSAGE:
                for piece in _split_long(text, start, end):
                    bounds += (piece.start, piece.end)
            else:
                bounds += (start, end)
    return bounds


def pack_passages(bounds: list[int]) -> bytes:
    """Passages' start and end offsets (see _passage_bounds) as bytes, 8 bytes each: a long document's
    passages cross from the assembly worker to the analysis as one string of bytes, not thousands of objects."""
    return array("q", bounds).tobytes()


def unpack_passages(packed: bytes) -> tuple[Passage, ...]:
    bounds = array("q")
    bounds.frombytes(packed)
    return tuple(map(Passage, bounds[0::2], bounds[1::2]))


SBC_PLAN_LINE = re.compile(r"^(.*?)\s*Coverage for:", re.I)
TITLE_NOISE = re.compile(
    r"summary of benefits and coverage|coverage period|page \d+ of \d+|^\d+ of \d+$|proprietary|confidential|"
    r"copyright|\(c\)|©|omb control|number:|date:|plan build|^effective\b|www\.|https?:|@|\|", re.I)
PAGE_OF = re.compile(r"\s*\bpage \d+ of \d+\b\s*", re.I)


# "Label: value" lines of a letter or form. A person label introduces someone the document is about
# or addressed to, whose name is never the plan's; a plan label's value names the plan or product.
PERSON_LABEL = re.compile(
    r"^(?:dear|member(?: name)?|patient(?: name)?|subscriber|enrollee|insured|name|attn|prescriber|"
    r"provider|physician|requested by)\s*:?\s+([^:(,\n]+)", re.I)
PLAN_LABEL = re.compile(
    r"^(?:(?:health |benefit )?plan(?: name)?|product|member id|group(?: name)?)\s*(?:#|no\.?|number)?\s*:\s*(.+)$", re.I)
# Words of a plan or product name ("Gold HMO 1000", "Choice Plus PPO"); a person's name has none.
PLAN_WORD = re.compile(r"\b(?:plans?|ppo|hmo|epo|pos|hdhp|hra|hsa|fsa|insurance|medicare|medicaid|health|benefits?|option|gold|silver|bronze|platinum|drug list|formulary)\b", re.I)
# "Sponsored by Aetna Medicare Plan (PPO)", a policy's "Applies to Commercial HMO ... plans": the plan is what follows.
BY_LINE = re.compile(r"^(?:(?:sponsored|offered|insured|underwritten|administered|provided) by|applies to)\s+", re.I)
# A line of such words alone ("PLAN MEMBER", "Health Plan Information") is a label, not a name.
GENERIC_WORD = re.compile(r"\b(?:plans?|members?|benefits?|health|care|providers?|information|important|summary|your|our|the|and|of|for|to)\b", re.I)
# A payer's or product's name that carries no plan word ("UnitedHealthcare Pharmacy", "Healthfirst
# Leaf Plan"): a capitalized word made with "Health". Case matters: "healthcare providers" is no payer.
PAYER_WORD = re.compile(r"\b(?:[A-Z]\w*Health\w*|Health[a-z]+)\b")
ID_LIKE = re.compile(r"^[A-Z0-9-]*\d{4,}[A-Z0-9-]*$", re.I)  # a member, group or policy number


def _clean_title(text: str) -> str:
    return " ".join(text.split()).strip(" -:–|")


def _people(lines: list[str]) -> set[str]:
    """Names the first page gives a person ("Member: Jordan A. Sample", "Dear Jordan A. Sample:")."""
    names = set()
    for line in lines:
        match = PERSON_LABEL.match(line)
        if match and not PLAN_LABEL.match(line):
            name = _clean_title(match.group(1))
            if len(name) >= 4:
                names.add(name.lower())
    return names


def _labeled_plan(lines: list[str]) -> str | None:
    """The plan named after a plan label ("Member ID: EHP004417729, Gold HMO 1000" -> "Gold HMO 1000")."""
    for line in lines:
        match = PLAN_LABEL.match(line)
        if match:
            parts = [_clean_title(p) for p in re.split(r"[,|;]", match.group(1))]
            named = [p for p in parts if p and not ID_LIKE.match(p) and PLAN_WORD.search(p)]
            if named:
                return ", ".join(named)
    return None


def guess_plan_name(document) -> str | None:
    """The plan's name from its first page: the SBC's "<plan> Coverage for:" line, else the plan a
    label names ("Plan: ...", "Member ID: ..., Gold HMO 1000"), else the first title-like line
    (short, capitalized, not a date, page number or notice) that names a plan or payer and no person
    the page addresses; None when no line does (the report then goes by its file name)."""
    if not document.page_count:
        return None
    every = [line.strip() for line in document.page_text(1).split("\n") if line.strip()]
    lines = every[:30]
    # An SBC's header may come last in the page's text (a tagged PDF's reading order): every line.
    for index, line in enumerate(every):
        match = SBC_PLAN_LINE.match(line)
        if match:
            name = _clean_title(match.group(1))
            # "Coverage for:" on a line of its own: the name is on a line above it, or just below it.
            near = [*reversed(every[max(0, index - 3):index]), *every[index + 1:index + 3]] if len(name) < 4 else []
            for other in near:
                if not (TITLE_NOISE.search(other) or SBC_PLAN_LINE.match(other) or other.endswith((".", "?", ":"))):
                    name = _clean_title(other)
                    break
            if len(name) >= 4:
                return name
    labeled = _labeled_plan(lines)
    if labeled:
        return labeled
    people = _people(lines)
    for line in lines[:15]:
        candidate = _clean_title(BY_LINE.sub("", PAGE_OF.sub(" ", line)))
        words = re.findall(r"[A-Za-z][A-Za-z'’&.-]*", candidate)
        if PERSON_LABEL.match(candidate) or any(name in candidate.lower() for name in people):
            continue
        # A title line is the plan's name only when it names a plan or payer: a policy's or a
        # notice's first line ("Appendix C", "Get in Touch", "Allowed Amount") is no plan.
        if (len(words) >= 2 and len(candidate) <= 80 and not TITLE_NOISE.search(candidate)
                and candidate[0].isupper() and not candidate.endswith((".", ","))
                and sum(w[0].isupper() for w in words) * 2 >= len(words)
                and (PLAN_WORD.search(candidate) or PAYER_WORD.search(candidate))
                and re.search(r"[A-Za-z]{2}", GENERIC_WORD.sub("", candidate))):
            return candidate
    return None


def document_from_pages(
    path: str, sha256: str, page_count: int, pages: dict[int, PageResult], file_warnings, *, use_ocr: bool
) -> Document:
    """The Document of one read: the file's warnings, then each page's text, method and warnings;
    a page no reader returned (index missing from `pages`) is empty and says PAGE_FAILED."""
    texts, methods = [], []
    warnings = [page_warning(code, None) for code in file_warnings if code != "READER_FALLBACK"]
    for index in range(page_count):
        page = pages.get(index)
        if page is None:
            texts.append("")
            methods.append("none")
            warnings.append(page_warning("PAGE_FAILED", index + 1))
            continue
        texts.append(page.text)
        methods.append(page.method)
        warnings += [page_warning(code, index + 1, use_ocr=use_ocr) for code in page.warnings]
    return assemble_document(path, sha256, texts, methods, warnings)


def assemble_document(
    path: str, sha256: str, page_texts: list[str], methods: list[str], warnings: list[PageWarning]
) -> Document:
    """Join cleaned pages into one text with exact page offsets, and find its headings.

    Runs after reading (in a worker for a long document): page texts come from the reader
    processes, already cleaned one by one.
    """
    split = split_margins(page_texts)
    page_texts = [kept for kept, _margin in split]
    chapters = running_lines(page_texts)
    starts = []
    offset = 0
    for text in page_texts:
        starts.append(offset)
        offset += len(text) + 1  # one "\n" between pages lets a sentence run on to the next
    full_text = "\n".join(page_texts)
    chapter_lines = {line for line in chapters if line}
    headings = tuple(h for h in find_headings(full_text) if h.title not in chapter_lines)
    # Offsets, not Passage objects: they are packed at once (11,499 objects built and dropped for the
    # 399-page guide), and the analysis makes its own Passages from the packed bytes.
    bounds = _passage_bounds(full_text, frozenset(h.offset for h in headings))
    return Document(
        path=path,
        sha256=sha256,
        text=full_text,
        page_starts=tuple(starts),
        page_methods=tuple(methods),
        warnings=tuple(warnings),
        headings=headings,
        page_chapters=tuple(chapters),
        page_margins=tuple(margin for _kept, margin in split),
        passage_bounds=pack_passages(bounds),
    )


MARGIN_RULE = "--- margin ---"


def render_pages(document: Document) -> str:
    """The text the rules read, page by page, each page ended by a form feed (as pdftotext does);
    the lines set aside as running headers/footers follow a "--- margin ---" line on their page."""
    pages = []
    for number in range(1, document.page_count + 1):
        text = document.page_text(number).rstrip("\n")
        margin = document.page_margins[number - 1] if document.page_margins else ()
        if margin:
            text += ("\n" if text else "") + MARGIN_RULE + "\n" + "\n".join(margin)
        pages.append(text + "\n\f")
    return "".join(pages)
