"""The glyph key: characters of a font without a Unicode map, learned from words read by OCR."""

from __future__ import annotations

from ketcover.glyphs import GlyphKey

FONT = "IIQCYM+Cambria"
PA = (0x13, 0x4)  # the glyph numbers Cambria gives "P" and "A"


def test_a_word_is_read_once_two_readings_agree_on_each_glyph():
    key = GlyphKey()
    assert key.read(FONT, PA) is None
    key.learn(FONT, PA, "PA")
    assert key.read(FONT, PA) is None  # one reading may have confused "l" and "1"
    key.learn(FONT, (0x4, 0x13), "AP")
    assert key.read(FONT, PA) == "PA"
    assert key.read(FONT, (0x13, 0x13, 0x4)) == "PPA"  # any word of known glyphs


def test_a_reading_without_one_character_per_glyph_teaches_nothing():
    key = GlyphKey()
    for _ in range(3):
        key.learn(FONT, PA, "PA.")  # tesseract saw a neighbour's full stop
    assert key.read(FONT, PA) is None


def test_glyphs_belong_to_their_font_and_disagreement_keeps_them_unknown():
    key = GlyphKey()
    key.learn(FONT, PA, "PA")
    key.learn(FONT, PA, "PA")
    assert key.read("IIQCYM+Cambria-Bold", PA) is None
    key.learn(FONT, PA, "RA")
    key.learn(FONT, PA, "RA")
    assert key.read(FONT, (0x13,)) is None  # "P" twice, "R" twice: no reading is trusted
    assert key.read(FONT, (0x4,)) == "A"
