"""The glyph key: characters of a font without a Unicode map, learned from words read by OCR."""

from __future__ import annotations

import shutil

import pytest

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


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_word_crops_are_read_in_one_image_and_a_box_off_the_page_reads_nothing(monkeypatch):
    """The crops of one page go to tesseract stacked (here split over two images by a small pixel
    budget); each crop's text comes back to its word, and a box beyond the page is not read as ink."""
    import pypdfium2 as pdfium

    from ketcover import pdf
    from pdf_builders import document, text_ops

    data = document([text_ops(["Prior authorization required", "Quantity limits apply"], size=14)])
    doc = pdfium.PdfDocument(data)
    page = doc[0]
    textpage = page.get_textpage()
    text = textpage.get_text_range()
    wanted = ["authorization", "Quantity", "limits"]
    crops = []
    for word in wanted:
        start = text.index(word)
        crops.append(pdf._union([textpage.get_charbox(i) for i in range(start, start + len(word))]))
    crops.append((700.0, 900.0, 760.0, 920.0))  # beyond the 612 x 792 page
    monkeypatch.setattr(pdf, "GLYPH_STRIP_PIXELS", 60_000)  # one or two words per image
    assert pdf._ocr_crops(page, crops) == wanted + [""]
    textpage.close()
    page.close()
    doc.close()
