"""Characters of a font with no Unicode map, read by their look: a per-document glyph key learned from OCR."""

from __future__ import annotations

from collections import Counter, defaultdict

# A glyph is trusted once two words read by OCR agree on it (and no more than a third disagree):
# one reading can confuse "l" and "1" or "O" and "0"; the same mistake twice in different words is rare.
MIN_VOTES = 2
MIN_SHARE = 2 / 3


class GlyphKey:
    """What each (font, glyph code) of one document looks like, learned word by word.

    A font embedded without a ToUnicode map (a Word export of Cambria: glyph numbers for codes,
    no cmap, no glyph names) gives a text layer of meaningless codes, though every glyph is
    printed plainly. A reader reads the printed word; so does tesseract, on a crop of the word.
    Each word read that way teaches its glyphs, so later words made of known glyphs are read
    from the key alone, without OCR (a drug list repeats the same markers on every page).
    """

    def __init__(self) -> None:
        self._votes: dict[tuple[str, int], Counter] = defaultdict(Counter)

    def read(self, font: str, codes: tuple[int, ...]) -> str | None:
        """The word, when every glyph in it is known; None otherwise."""
        chars = []
        for code in codes:
            votes = self._votes.get((font, code))
            if not votes:
                return None
            char, count = votes.most_common(1)[0]
            if count < MIN_VOTES or count < MIN_SHARE * sum(votes.values()):
                return None
            chars.append(char)
        return "".join(chars)

    def learn(self, font: str, codes: tuple[int, ...], text: str) -> None:
        """Record a word read by OCR; only a reading with one character per glyph teaches."""
        if len(text) != len(codes):
            return
        for code, char in zip(codes, text):
            self._votes[(font, code)][char] += 1
