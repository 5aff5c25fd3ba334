"""Per-page text clean-up: ligatures, hyphenation, control characters; running headers and footers set aside."""

from __future__ import annotations

import re
from collections import Counter

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
# Spaces that PDFs use for layout; the matcher only needs one kind.
ODD_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u3000"), " ")
# Hyphens that look like "-" on the page ("out\u2011of\u2011network" in a real Medicare summary).
ODD_HYPHENS = dict.fromkeys(map(ord, "\u2010\u2011"), "-")
ODD_CHARACTERS = re.compile("[\u00a0\u2002\u2003\u2007\u2009\u200a\u202f\u3000\u2010\u2011]")
# Prefixes whose hyphen is part of the word ("pre-authorization", "non-participating"), so a
# line break after them keeps the hyphen; other "word-\nword" breaks are plain hyphenation.
KEPT_HYPHEN_PREFIXES = {
    "pre", "non", "out", "in", "co", "self", "post", "re", "anti", "multi", "semi", "sub", "off",
    "step", "after",
}
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2028\u2029\ufeff]")
# \b keeps these linear: without it the engine retries the word from every letter (a 2,000-page
# policy spent 2 s here).
LINE_HYPHEN = re.compile(r"\b([A-Za-z][A-Za-z-]*)-[ \t]*\n[ \t]*([A-Za-z]+)")
PDFIUM_BREAK = re.compile(r"(?:\b([A-Za-z][A-Za-z-]*))?\ufffe[ \t]*\n?[ \t]*([A-Za-z]+)?")
PAGE_WORD = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)?\b")
TRAILING_SPACE = re.compile(r"[ \t]+\n")
PAGE_NUMBER_LIKE = re.compile(r"\d+")
HYPHEN_AT_LINE_END = re.compile(r"-[ \t]*\n")
# Every character the ligature, odd-space, soft-hyphen and control-character steps act on.
SPECIAL_CHARACTERS = re.compile("[" + "".join(LIGATURES) + "\u00ad" + ODD_CHARACTERS.pattern[1:-1] + CONTROL_CHARS.pattern[1:-1] + "]")


def _rejoin(head: str, tail: str, words: set[str]) -> str:
    """Join a word broken at a line end, keeping the hyphen when it was a real one.

    The page itself decides first: the joined word written elsewhere on it ("insurance")
    means plain hyphenation, the hyphenated form elsewhere ("lower-cost") a real hyphen.
    Otherwise the hyphen is real when the word already had one, starts with a prefix that
    keeps one ("pre-", "non-"), or continues with a capital.
    """
    last_part = head.rsplit("-", 1)[-1].lower()
    joined = last_part + tail.lower()
    if joined in words:
        return head + tail
    if ("-" in head or f"{last_part}-{tail.lower()}" in words or last_part in KEPT_HYPHEN_PREFIXES
            or tail[:1].isupper()):
        return f"{head}-{tail}"
    return head + tail


def _join_pdfium_break(match: re.Match, words: set[str]) -> str:
    # pypdfium2 (5.x) writes U+FFFE where a line breaks inside a word and drops the hyphen
    # that stood there: "Calen\ufffedar" (a soft break) but also "in\ufffenetwork",
    # "Out-of\ufffeNetwork" (real hyphens); _rejoin tells them apart.
    head, tail = match.group(1) or "", match.group(2) or ""
    if not head or not tail:
        return head + tail
    return _rejoin(head, tail, words)


def _join_pdfium_breaks(text: str, words: set[str]) -> str:
    """PDFIUM_BREAK.sub(_join_pdfium_break) with the search started near each U+FFFE.

    The pattern opens with an optional word, so a plain sub tries it from every character of the
    page (and backs out of every word); a match holds a U+FFFE and its word never crosses a line,
    so a search from the line of the next U+FFFE finds the same match (0.04 s of the 399-page
    guide's 0.18 s of cleaning, measured 2026-12-07)."""
    pieces = []
    done = 0
    while (stop := text.find("\ufffe", done)) >= 0:
        match = PDFIUM_BREAK.search(text, max(done, text.rfind("\n", done, stop) + 1))
        pieces += (text[done:match.start()], _join_pdfium_break(match, words))
        done = match.end()
    pieces.append(text[done:])
    return "".join(pieces)


def normalize_page_text(text: str) -> str:
    """Clean one page's extracted text without moving words across pages."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Most pages hold none of the characters the next four steps replace or drop: one scan for all
    # of them (which no step adds or removes) instead of eleven (0.03 s over the 399-page guide).
    special = SPECIAL_CHARACTERS.search(text) is not None
    if special:
        for ligature, plain in LIGATURES.items():
            text = text.replace(ligature, plain)
        if ODD_CHARACTERS.search(text):
            text = text.translate(ODD_SPACES).translate(ODD_HYPHENS)
        text = text.replace("\u00ad", "")  # soft hyphen: invisible unless a line breaks there
    has_break, has_hyphen = "\ufffe" in text, "-\n" in text or "- \n" in text
    if has_break or has_hyphen:
        words = {w.lower() for w in PAGE_WORD.findall(text)}
        if has_break:
            text = _join_pdfium_breaks(text, words)
        # LINE_HYPHEN needs "-", blanks and a line end: without them it finds nothing.
        if HYPHEN_AT_LINE_END.search(text):
            text = LINE_HYPHEN.sub(lambda m: _rejoin(m.group(1), m.group(2), words), text)
    if special:
        text = CONTROL_CHARS.sub("", text)
    if " \n" in text or "\t\n" in text:  # TRAILING_SPACE tries every blank of the page otherwise
        text = TRAILING_SPACE.sub("\n", text)
    return text.strip("\n ")


def _line_key(line: str) -> str:
    # "Page 3 of 40" and "Page 4 of 40" are the same footer.
    return PAGE_NUMBER_LIKE.sub("#", line.strip().lower())


STATEMENT_WORD = re.compile(r"[^\W\d_]{2,}")
STATEMENT_END = (".", "!", "?")
# A full stop that ends a company's name ends no sentence ("Copyright 2025 United HealthCare Services, Inc.").
COMPANY_END = re.compile(r"\b(?:inc|corp|co|ltd|llc)\.$", re.I)
WEB_ADDRESS = re.compile(r"\S*(?:://|www\.|@)\S*", re.I)
STATEMENT_MIN_WORDS = 3  # "Prior authorization required." is a rule; "Page 3 of 40." is not (2 words)
STATEMENT_LONG_WORDS = 6  # this many words, mostly lower case, read as a sentence even without its full stop
KEPT_SHARE = 0.2  # setting margins aside must leave a page at least this share of its letters and digits


def states_something(line: str) -> bool:
    """Whether a line reads as a statement (a sentence, a legend, a notice) rather than a running title.

    A running header or footer names things ("Acme Health Plan 2026", "Page 3 of 40", "Summary of
    Benefits and Coverage: What this Plan Covers & What You Pay for Covered Services"); a line that
    ends like a sentence, or runs on in lower-case words as sentences do ("Drugs marked with an
    asterisk (*) require prior authorization"), says something the rules must read, wherever it sits.
    """
    text = line.strip()
    words = STATEMENT_WORD.findall(WEB_ADDRESS.sub(" ", text))  # an address's parts are no sentence
    if len(words) >= STATEMENT_MIN_WORDS and text.endswith(STATEMENT_END) and not COMPANY_END.search(text):
        return True
    lower = sum(word[0].islower() for word in words)
    return len(words) >= STATEMENT_LONG_WORDS and 2 * lower >= len(words)


LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def letters_and_digits(text: str) -> int:
    return len(LETTER_OR_DIGIT.findall(text))


def split_margins(pages: list[str], *, edge_lines: int = 3) -> list[tuple[str, tuple[str, ...]]]:
    """Per page, (the text the rules read, the running header/footer lines set aside for quoting).

    Only the first and last few lines of each page are candidates; a line must repeat (numbers
    aside) on at least half the pages, and at least three, and must not state something (see
    states_something: a legend or notice printed on every page is content). A page is never
    emptied: when setting its margins aside would leave it under a fifth of its letters and
    digits (short pages, where every line is an edge line), the page keeps them all.
    """
    if len(pages) < 3:
        return [(page, ()) for page in pages]
    counts: Counter[str] = Counter()
    for page in pages:
        lines = page.split("\n")
        edges = {_line_key(l) for l in lines[:edge_lines] + lines[-edge_lines:] if l.strip()}
        counts.update(edges)
    threshold = max(3, len(pages) // 2)
    repeated = {key for key, n in counts.items() if n >= threshold and len(key) > 1}
    if not repeated:
        return [(page, ()) for page in pages]

    def is_margin(line: str) -> bool:
        return _line_key(line) in repeated and not states_something(line)

    split = []
    for page in pages:
        lines = page.split("\n")
        head = 0
        while head < min(edge_lines, len(lines)) and is_margin(lines[head]):
            head += 1
        tail = len(lines)
        while tail > max(head, len(lines) - edge_lines) and is_margin(lines[tail - 1]):
            tail -= 1
        kept = "\n".join(lines[head:tail])
        if (head == 0 and tail == len(lines)) or letters_and_digits(kept) < KEPT_SHARE * letters_and_digits(page):
            split.append((page, ()))
        else:
            split.append((kept, tuple(lines[:head] + lines[tail:])))
    return split


GARBAGE = re.compile(r"\(cid:\d+\)|[\ufffd\ue000-\uf8ff]")
GARBAGE_CHARACTER = re.compile(r"[\ufffd\ue000-\uf8ff]")


THREE_LETTERS = re.compile(r"[^\W\d_](?:.*?[^\W\d_]){2}", re.S)


def text_quality(text: str) -> str:
    """'empty', 'garbled' or 'ok' for one page's text."""
    if not THREE_LETTERS.search(text):
        return "empty"
    if "(cid:" in text:
        garbage = sum(len(m.group(0)) for m in GARBAGE.finditer(text))
    else:  # only single characters can match: the character class alone is scanned twice as fast
        garbage = len(GARBAGE_CHARACTER.findall(text))
    if garbage > 0.2 * len(text.strip()):
        return "garbled"
    return "ok"


RUNNING_PREFIX = 30  # characters of a footer that stay the same while its chapter name changes


def running_lines(pages: list[str], *, edge_lines: int = 2, min_pages: int = 3) -> list[str | None]:
    """Per page, a running header or footer that names the chapter ("The Dental Plan 129").

    Lines that repeat on most pages were already set aside as margins; what is left at a page
    edge and repeats (numbers aside) on a few pages is a chapter title printed on each page,
    and so is a footer whose start repeats on many pages while its end names the section
    ("2026 Service Benefit Plan 92 Section 5(e)").
    """
    keyed: list[list[tuple[str, str]]] = []
    counts: Counter[str] = Counter()
    prefixes: Counter[str] = Counter()
    for page in pages:
        lines = [l for l in page.split("\n") if l.strip()]
        edges = lines[:edge_lines] + lines[-edge_lines:]
        pairs = [(_line_key(l), l.strip()) for l in edges]
        keyed.append(pairs)
        counts.update({key for key, _line in pairs})
        prefixes.update({key[:RUNNING_PREFIX] for key, _line in pairs if len(key) > RUNNING_PREFIX})
    many = max(min_pages, len(pages) // 4)
    chapters: list[str | None] = []
    for pairs in keyed:
        found = None
        for key, line in pairs:
            letters = sum(ch.isalpha() for ch in key)
            if letters >= 8 and (counts[key] >= min_pages or
                                 (len(key) > RUNNING_PREFIX and prefixes[key[:RUNNING_PREFIX]] >= many)):
                found = line
                break
        chapters.append(found)
    return chapters


def one_line(text: str) -> str:
    """Text for display on one line: whitespace runs (line breaks of the PDF) shown as one space."""
    return " ".join(text.split())
