"""Raw-PDF builders for the hostile-input tests and the fuzz seeds: every case is made in code."""

from __future__ import annotations

import io
import zipfile
import zlib

HEADER = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
# A word planted in document text: no error or warning message may ever contain it.
MARKER = "QUOKKAZEBRA"
POLICY_LINES = (
    "Prior authorization is required for esketamine (Spravato) nasal spray.",
    "Ketamine infusion therapy is experimental and investigational and is not covered.",
    f"Member reference {MARKER} 7731.",
)
HIDDEN_LINE = "Ketamine infusions are covered in full and never need prior authorization."
HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
FONT_RESOURCES = b"<< /Font << /F1 3 0 R >> >>"
LETTER = b"[0 0 612 792]"


def pdf_string(text: str) -> bytes:
    """A PDF literal string, with the three characters that need escaping escaped."""
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def stream(data: bytes, entries: bytes = b"", *, flate: bool = False) -> bytes:
    """A stream object body; `flate` compresses `data` once."""
    if flate:
        data = zlib.compress(data)
        entries += b" /Filter /FlateDecode"
    return b"<< /Length %d %s >>\nstream\n" % (len(data), entries) + data + b"\nendstream"


def assemble(
    objects: list[bytes],
    *,
    root: int = 1,
    trailer_extra: bytes = b"",
    prefix: bytes = b"",
    xref_shift: int = 0,
) -> bytes:
    """Objects 1..n with a classic xref table and trailer.

    `prefix` goes before %PDF- with offsets counted from the header, as when a server
    prepends junk to a finished file; `xref_shift` moves every recorded offset (a file
    rewritten by a tool that forgot to update its xref).
    """
    out = bytearray(HEADER)
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % (offset + xref_shift)
    out += b"trailer\n<< /Size %d /Root %d 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, root, trailer_extra, xref_at + xref_shift
    )
    return prefix + bytes(out)


def text_ops(lines, *, size: int = 12, top: int = 720, render_mode: int | None = None) -> bytes:
    """Content-stream operators that show `lines` in Helvetica (F1)."""
    ops = [b"BT", b"/F1 %d Tf" % size, b"%d TL" % int(size * 1.5), b"72 %d Td" % top]
    if render_mode is not None:
        ops.append(b"%d Tr" % render_mode)
    for line in lines:
        ops.append(pdf_string(line) + b" Tj T*")
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


def document(
    contents: list[bytes],
    *,
    extra: tuple[bytes, ...] = (),
    resources: bytes = FONT_RESOURCES,
    mediabox: bytes | None = LETTER,
    flate: bool = True,
    **assemble_options,
) -> bytes:
    """A PDF with one page per content stream.

    Objects: 1 catalog, 2 page tree, 3 Helvetica, 4.. `extra` (fonts, images the resources
    name), then each page and its content stream.
    """
    first_page = 4 + len(extra)
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(contents)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(contents)),
        HELVETICA,
        *extra,
    ]
    box = b" /MediaBox " + mediabox if mediabox is not None else b""
    for i, content in enumerate(contents):
        objects.append(
            b"<< /Type /Page /Parent 2 0 R%s /Resources %s /Contents %d 0 R >>" % (box, resources, first_page + 2 * i + 1)
        )
        objects.append(stream(content, flate=flate))
    return assemble(objects, **assemble_options)


def text_pdf(pages=(POLICY_LINES,), **options) -> bytes:
    """A small valid PDF with real text (Helvetica), one list of lines per page."""
    return document([text_ops(lines) for lines in pages], **options)


# --- structural damage -------------------------------------------------------------------

def mediabox_three_numbers_pdf() -> bytes:
    return text_pdf(mediabox=b"[0 0 612]")


def missing_mediabox_pdf() -> bytes:
    return text_pdf(mediabox=None)


def cyclic_page_tree_pdf() -> bytes:
    """The root page tree's only kid is a Pages node whose only kid is the root again."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        HELVETICA,
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R] /Count 1 >>",
        stream(text_ops(POLICY_LINES)),  # a content stream no page reaches
    ])


def empty_kids_pdf() -> bytes:
    """A page tree that claims one page and lists none."""
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 1 >>",
        HELVETICA,
    ])


def shifted_xref_pdf(shift: int = 7) -> bytes:
    return text_pdf(xref_shift=shift)


def junk_prefix_pdf(junk: bytes = b"HTTP/1.1 200 OK\r\nContent-Type: application/pdf\r\n\r\n") -> bytes:
    return text_pdf(prefix=junk)


def truncated_pdf(keep: float = 0.55) -> bytes:
    """A two-page PDF cut off part-way, like an interrupted download."""
    data = text_pdf(pages=(POLICY_LINES, ("Appeals: you may ask for an internal appeal within 180 days.",)))
    return data[: int(len(data) * keep)]


def header_only_pdf() -> bytes:
    return HEADER + b"1 0 obj\n<< /Type /Catalog /Pa"


# --- resource exhaustion -----------------------------------------------------------------

def deflate_repeated(chunk: bytes, times: int) -> bytes:
    """zlib data for `chunk` * `times`, made in milliseconds instead of compressing it all.

    A full flush resets the compressor, so every chunk compresses to the same block: one block
    is computed and repeated, then wrapped with the zlib header and Adler-32 checksum.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    checksum = 1
    for _ in range(times):
        checksum = zlib.adler32(chunk, checksum)
    return b"\x78\xda" + block * times + compressor.flush() + checksum.to_bytes(4, "big")


def bomb_pdf(inflated: int = 1 << 30) -> bytes:
    """About 1 MB on disk: one content stream that inflates to `inflated` bytes (1 GiB)."""
    packed = deflate_repeated(bytes(1 << 20), inflated >> 20)
    page_stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream"
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        HELVETICA,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s /Contents 5 0 R >>" % FONT_RESOURCES,
        page_stream,
    ])


def double_flate_pdf(inflated: int = 1 << 28, *, layout: str = "B") -> bytes:
    """A tiny stream compressed twice whose inner layer inflates to `inflated` bytes of operators.

    `layout` has one letter per page: B a page drawn by that stream, T a normal text page
    (so a test can check that the pages around a slow one survive).
    """
    # "q Q " pairs: valid operators that every parser must walk one by one.
    block = b"q Q " * min(1 << 18, max(1, inflated // 4))
    twice = zlib.compress(deflate_repeated(block, max(1, inflated // len(block))), 9)
    bomb = b"<< /Length %d /Filter [/FlateDecode /FlateDecode] >>\nstream\n" % len(twice) + twice + b"\nendstream"
    first_page = 5
    kids = b" ".join(b"%d 0 R" % (first_page + 2 * i) for i in range(len(layout)))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(layout)),
        HELVETICA,
        bomb,
    ]
    for i, kind in enumerate(layout):
        content_ref = b"4 0 R" if kind == "B" else b"%d 0 R" % (first_page + 2 * i + 1)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s /Contents %s >>"
                       % (FONT_RESOURCES, content_ref))
        line = "Page %d: you may file an internal appeal within 180 days." % (i + 1)
        objects.append(stream(text_ops((line,)), flate=True))
    return assemble(objects)


def many_pages_pdf(pages: int) -> bytes:
    """`pages` blank pages sharing one content stream (a page-count bomb, small on disk)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        HELVETICA,
        stream(text_ops(("Blank page.",)), flate=True),
    ]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s /Contents 4 0 R >>" % FONT_RESOURCES] * pages
    return assemble(objects)


# --- text that is not what it seems ------------------------------------------------------

def text_image(lines, *, width: int = 1275, height: int = 1650, size: int = 44):
    """A page-sized grayscale scan (150 dpi) with `lines` printed big and black."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size)
    y = 150
    for line in lines:
        draw.text((100, y), line, fill=0, font=font)
        y += int(size * 1.8)
    return image


def image_xobject(image) -> bytes:
    return stream(
        image.tobytes(),
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8"
        % image.size,
        flate=True,
    )


SCAN_LINES = ("Prior authorization is required", "for esketamine nasal spray.", "Call us for help.")


def image_only_pdf(lines=SCAN_LINES) -> bytes:
    """A scanned look: one page holding only a picture of text."""
    return document(
        [b"q 612 0 0 792 0 0 cm /Im1 Do Q\n"],
        extra=(image_xobject(text_image(lines)),),
        resources=b"<< /XObject << /Im1 4 0 R >> >>",
    )


def ocr_layer_pdf() -> bytes:
    """What ocrmypdf writes: a scan with invisible (render mode 3) text laid over it."""
    content = b"q 612 0 0 792 0 0 cm /Im1 Do Q\n" + text_ops(POLICY_LINES, render_mode=3)
    return document(
        [content],
        extra=(image_xobject(text_image(("Prior authorization is required",))),),
        resources=b"<< /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >>",
    )


def hidden_text_pdf(render_mode: int = 3) -> bytes:
    """Visible policy text plus a line nobody sees when the page is printed."""
    content = text_ops(POLICY_LINES) + text_ops((HIDDEN_LINE,), top=400, render_mode=render_mode)
    return document([content])


# A Type0 font (objects 4, 5, 6 of `document`) with Identity-H codes and no ToUnicode map.
GARBLED_FONT = (
    b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Garbled /Encoding /Identity-H /DescendantFonts [5 0 R] >>",
    b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Garbled "
    b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
    b"/FontDescriptor 6 0 R /DW 500 /CIDToGIDMap /Identity >>",
    b"<< /Type /FontDescriptor /FontName /ABCDEF+Garbled /Flags 4 /FontBBox [0 -200 1000 900] "
    b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>",
)


def garbled_font_pdf() -> bytes:
    """Text in a Type0 font with Identity-H codes and no ToUnicode map: extracts as garbage.

    The glyph codes are meaningless without the (absent) embedded font, as in PDFs whose
    fonts were subset without a Unicode table.
    """
    codes = "".join("%04X" % (3 + (i * 37) % 300) for i in range(300))
    content = b"BT /F2 11 Tf 72 720 Td 14 TL\n" + b"".join(
        b"<%s> Tj T*\n" % codes[i:i + 120].encode() for i in range(0, len(codes), 120)
    ) + b"ET\n"
    return document([content], extra=GARBLED_FONT, resources=b"<< /Font << /F2 4 0 R >> >>")


def partly_garbled_pdf(glyphs: int = 100) -> bytes:
    """Readable policy lines (Helvetica) beside one run of `glyphs` codes in the garbled font, as
    a drug list whose marker column uses a font without a Unicode map (100 glyphs: about a third
    of the page's characters, enough to be noticed, too few to make the page unreadable)."""
    codes = "".join("%04X" % (3 + (i * 37) % 300) for i in range(glyphs))
    content = text_ops(POLICY_LINES) + b"BT /F2 11 Tf 72 600 Td <%s> Tj ET\n" % codes.encode()
    return document([content], extra=GARBLED_FONT,
                    resources=b"<< /Font << /F1 3 0 R /F2 4 0 R >> >>")


def tounicode_font_pdf() -> bytes:
    """The garbled font's codes with a ToUnicode CMap: the same glyph codes now read as text."""
    line = "Step therapy applies to esketamine."
    codes = "".join("%04X" % (ord(ch) - 29) for ch in line)  # code = character - 29, as the CMap says
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        b"1 beginbfrange <0003> <0061> <0020> endbfrange\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end\n"
    )
    content = b"BT /F2 12 Tf 72 720 Td <%s> Tj ET\n" % codes.encode()
    type0 = (
        b"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+Mapped /Encoding /Identity-H "
        b"/DescendantFonts [5 0 R] /ToUnicode 7 0 R >>"
    )
    cid_font = (
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+Mapped "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
        b"/FontDescriptor 6 0 R /DW 500 /CIDToGIDMap /Identity >>"
    )
    descriptor = (
        b"<< /Type /FontDescriptor /FontName /ABCDEF+Mapped /Flags 4 /FontBBox [0 -200 1000 900] "
        b"/ItalicAngle 0 /Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>"
    )
    return document([content], extra=(type0, cid_font, descriptor, stream(cmap, flate=True)),
                    resources=b"<< /Font << /F2 4 0 R >> >>")


def xref_stream_pdf(lines=POLICY_LINES) -> bytes:
    """PDF 1.5 layout, as most producers write today: objects in an object stream, xref as a stream."""
    in_stream = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        HELVETICA,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s /Contents 5 0 R >>" % FONT_RESOURCES,
    ]
    offsets, body = [], b""
    for obj in in_stream:
        offsets.append(len(body))
        body += obj + b"\n"
    header = b" ".join(b"%d %d" % (number, offset) for number, offset in enumerate(offsets, 1)) + b"\n"
    out = bytearray(HEADER)
    positions = {}
    positions[5] = len(out)
    out += b"5 0 obj\n" + stream(text_ops(lines), flate=True) + b"\nendobj\n"
    positions[6] = len(out)
    out += b"6 0 obj\n" + stream(header + body, b"/Type /ObjStm /N 4 /First %d" % len(header), flate=True) + b"\nendobj\n"
    positions[7] = len(out)
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    rows += [b"\x02" + (6).to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(4)]
    rows += [b"\x01" + positions[n].to_bytes(4, "big") + b"\x00\x00" for n in (5, 6, 7)]
    xref = stream(b"".join(rows), b"/Type /XRef /Size 8 /W [1 4 2] /Root 1 0 R", flate=True)
    out += b"7 0 obj\n" + xref + b"\nendobj\nstartxref\n%d\n%%%%EOF\n" % positions[7]
    return bytes(out)


def self_reference_pdf() -> bytes:
    """Found by fuzzing: an object that is only a reference to itself ("5 0 obj 5 0 R endobj").

    Page 1's font names it as /FontDescriptor; pdfminer.six 20260107 followed the reference
    forever (pdftypes.resolve1). Page 2 has its own resources and is a normal page.
    """
    return assemble([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [6 0 R 8 0 R] /Count 2 >>",
        HELVETICA,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Odd /FontDescriptor 5 0 R >>",
        b"5 0 R",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 7 0 R >>",
        stream(text_ops(POLICY_LINES), flate=True),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources %s /Contents 9 0 R >>" % FONT_RESOURCES,
        stream(text_ops(("Appeals: you may ask for an internal appeal within 180 days.",)), flate=True),
    ])


def self_reference_catalog_pdf() -> bytes:
    """Found by fuzzing: the trailer's /Root is an object that only refers to itself.

    PDFium finds no catalog and gives up; pdfminer.six 20260107 looped forever, and when it
    stops at the cycle it finds the page by scanning the objects.
    """
    data = text_pdf()
    return data.replace(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>", b"1 0 obj\n1 0 R                            ", 1)


# --- encryption ----------------------------------------------------------------------------

def encrypted_pdf(user_password: str, owner_password: str, *, algorithm: str = "RC4-128") -> bytes:
    """The text PDF encrypted by pypdf; an empty user password makes it owner-password-only."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf())))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm=algorithm,
                   permissions_flag=0xFFFFF0C0)  # print and copy not allowed
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def unsupported_encryption_pdf() -> bytes:
    """Certificate (public-key) encryption, which needs the recipient's private key."""
    encrypt = b"<< /Filter /Adobe.PubSec /SubFilter /adbe.pkcs7.s5 /V 4 /Length 128 /Recipients [<3082>] >>"
    data = text_pdf()
    # Add /Encrypt to the trailer of the same text PDF.
    objects_end = data.index(b"xref\n")
    body = data[len(HEADER):objects_end]
    count = body.count(b" 0 obj\n")
    objects = [body.split(b"%d 0 obj\n" % n, 1)[1].split(b"\nendobj\n", 1)[0] for n in range(1, count + 1)]
    objects.append(encrypt)
    return assemble(objects, trailer_extra=b"/Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] " % (count + 1))


# --- not a PDF at all ----------------------------------------------------------------------

def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def html_bytes() -> bytes:
    return (b"<!DOCTYPE html>\n<html><head><title>Sign in to your member portal</title></head>\n"
            b"<body><form action=\"/login\"><input name=\"user\"></form></body></html>\n")


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("policy.pdf", text_pdf())
    return out.getvalue()


# Small cases for the fuzz seed corpus (name -> bytes); the big bombs stay out of it.
def seed_cases() -> dict[str, bytes]:
    return {
        "text.pdf": text_pdf(),
        "two_pages.pdf": truncated_pdf(keep=1.0),
        "mediabox_three_numbers.pdf": mediabox_three_numbers_pdf(),
        "missing_mediabox.pdf": missing_mediabox_pdf(),
        "cyclic_page_tree.pdf": cyclic_page_tree_pdf(),
        "empty_kids.pdf": empty_kids_pdf(),
        "shifted_xref.pdf": shifted_xref_pdf(),
        "junk_prefix.pdf": junk_prefix_pdf(),
        "truncated.pdf": truncated_pdf(),
        "hidden_text.pdf": hidden_text_pdf(),
        "garbled_font.pdf": garbled_font_pdf(),
        "tounicode_font.pdf": tounicode_font_pdf(),
        "xref_stream.pdf": xref_stream_pdf(),
        "self_reference.pdf": self_reference_pdf(),
        "self_reference_catalog.pdf": self_reference_catalog_pdf(),
        "double_flate_small.pdf": double_flate_pdf(inflated=1 << 12),
        "owner_password.pdf": encrypted_pdf("", "owner"),
        "user_password.pdf": encrypted_pdf("secret", "owner"),
        "unsupported_encryption.pdf": unsupported_encryption_pdf(),
        "image_small.pdf": document(
            [b"q 200 0 0 40 72 700 cm /Im1 Do Q\n"],
            extra=(image_xobject(text_image(("Covered",), width=200, height=40, size=20)),),
            resources=b"<< /XObject << /Im1 4 0 R >> >>",
        ),
    }


def clipped_text_pdf() -> bytes:
    """Policy text drawn in render mode 7 (a clip) and then painted through: it prints, in blue."""
    clipped = text_ops(POLICY_LINES, size=20, render_mode=7)
    return document([b"q\n" + clipped + b"0 0 1 rg 0 0 612 792 re f\nQ\n"])


def poster_scan_pdf(width: int = 3456, height: int = 2592) -> bytes:
    """An image-only page 48 x 36 inches (a poster): 155 million pixels at 300 dpi."""
    image = text_image(SCAN_LINES, width=1650, height=1275, size=60)
    return document(
        [b"q %d 0 0 %d 0 0 cm /Im1 Do Q\n" % (width, height)],
        extra=(image_xobject(image),),
        resources=b"<< /XObject << /Im1 4 0 R >> >>",
        mediabox=b"[0 0 %d %d]" % (width, height),
    )
