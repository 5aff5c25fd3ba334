"""Print a PDF's text page by page (pypdfium2), for reading and labeling by hand."""
import sys

import pypdfium2 as pdfium


def main() -> None:
    path = sys.argv[1]
    wanted = {int(p) for p in sys.argv[2:]}
    pdf = pdfium.PdfDocument(path)
    for index in range(len(pdf)):
        if wanted and index + 1 not in wanted:
            continue
        text = pdf[index].get_textpage().get_text_range().replace("\ufffe", "")
        print(f"=================== page {index + 1} ===================")
        print(text)


if __name__ == "__main__":
    main()
