#!/usr/bin/python3
"""Make a test PDF with reportlab (Debian python3-reportlab).

usage: mkpdf.py OUT.pdf SPEC.json

SPEC: {"lang": "en" | "zh", "header": "...", "footer": "... %d ..." (page
number), "columns": 1 | 2, "scanned": false, "blocks": [[KIND, TEXT], ...]}
KIND: "h1", "h2", "p", "li" (a numbered item: TEXT is [LABEL, TEXT], the label
set apart in the margin as word processors do), "break" (new page).  In TEXT, "\\n" forces a line
break (to test hyphenation across lines).  The header and footer are drawn
on every page at the same place, as word processors do.  "scanned": pages
carry only a raster image of text, no text layer.  "bomb": N (MiB): one
line of text in a font whose embedded file inflates to N MiB of zeros.  Chinese uses WenQuanYi
Micro Hei (fonts-wqy-microhei), embedded as a subset with a ToUnicode map.
Debian's python3 is used (not a virtualenv): reportlab is a Debian package.
"""
import json
import sys

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (BaseDocTemplate, Frame, PageBreak, PageTemplate,
                                Paragraph)

CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"


def escape(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\n", "<br/>"))


def scanned(out, spec):
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(out, pagesize=A4)
    for page in range(spec.get("pages", 2)):
        img = Image.new("L", (600, 800), 255)
        d = ImageDraw.Draw(img)
        for y in range(60, 760, 24):
            d.text((40, y), "Scanned agreement, page %d, line %d" % (page + 1, y), fill=0)
        c.drawImage(ImageReader(img), 0, 0, width=A4[0], height=A4[1])
        c.showPage()
    c.save()


def bomb(out, mib):
    import zlib

    font = zlib.compress(bytes(mib << 20), 9)
    content = b"BT /F1 12 Tf 72 720 Td (Hello from a bomb) Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /TrueType /BaseFont /Bomb /FirstChar 32 "
        b"/LastChar 126 /Widths [" + b" 500" * 95 + b"] /FontDescriptor 6 0 R >>",
        b"<< /Type /FontDescriptor /FontName /Bomb /Flags 32 /FontBBox [0 0 500 700] "
        b"/ItalicAngle 0 /Ascent 700 /Descent 0 /CapHeight 700 /StemV 80 "
        b"/FontFile2 7 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(font) + font +
        b"\nendstream",
    ]
    pdf = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, o in enumerate(objs):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        pdf += b"%010d 00000 n \n" % off
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    with open(out, "wb") as f:
        f.write(pdf)


def main():
    out, spec_path = sys.argv[1], sys.argv[2]
    with open(spec_path, encoding="utf-8") as f:
        spec = json.load(f)
    if spec.get("bomb"):
        bomb(out, spec["bomb"])
        return
    if spec.get("scanned"):
        scanned(out, spec)
        return
    zh = spec.get("lang") == "zh"
    font = "Helvetica"
    bold = "Helvetica-Bold"
    if zh:
        pdfmetrics.registerFont(TTFont("WQY", CJK_FONT, subfontIndex=0))
        font = bold = "WQY"
    wrap = "CJK" if zh else None
    styles = {
        "h1": ParagraphStyle("h1", fontName=bold, fontSize=18, leading=22,
                             spaceBefore=6, spaceAfter=10, wordWrap=wrap),
        "h2": ParagraphStyle("h2", fontName=bold, fontSize=14, leading=18,
                             spaceBefore=8, spaceAfter=6, wordWrap=wrap),
        "p": ParagraphStyle("p", fontName=font, fontSize=10.5, leading=14,
                            spaceAfter=8, wordWrap=wrap),
        "li": ParagraphStyle("li", fontName=font, fontSize=10.5, leading=14,
                             spaceAfter=4, wordWrap=wrap, leftIndent=36,
                             bulletIndent=0, bulletFontName=font, bulletFontSize=10.5),
    }
    header, footer = spec.get("header"), spec.get("footer")

    def decorate(canvas, doc):
        canvas.saveState()
        canvas.setFont(font, 9)
        if header:
            canvas.drawString(20 * mm, A4[1] - 12 * mm, header)
        if footer:
            canvas.drawCentredString(A4[0] / 2, 10 * mm,
                                     footer.replace("%d", str(doc.page)))
        canvas.restoreState()

    doc = BaseDocTemplate(out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                          topMargin=22 * mm, bottomMargin=22 * mm,
                          title=spec.get("title", ""))
    if spec.get("columns", 1) == 2:
        w = (doc.width - 8 * mm) / 2
        frames = [Frame(doc.leftMargin, doc.bottomMargin, w, doc.height, id="left"),
                  Frame(doc.leftMargin + w + 8 * mm, doc.bottomMargin, w, doc.height,
                        id="right")]
    else:
        frames = [Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height)]
    doc.addPageTemplates([PageTemplate(frames=frames, onPage=decorate)])
    story = []
    for kind, *text in spec["blocks"]:
        if kind == "break":
            story.append(PageBreak())
        elif kind == "li":
            story.append(Paragraph(escape(text[1]), styles["li"], bulletText=text[0]))
        else:
            story.append(Paragraph(escape(text[0]), styles[kind]))
    doc.build(story)


if __name__ == "__main__":
    main()
