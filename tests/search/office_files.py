"""Small .docx, .odt and .xlsx files written here (zip packages of XML), as a clerk's office
suite would save them, with Vietnamese text."""

from xml.sax.saxutils import escape

import io
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _zip(parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def docx(paragraphs, header=None):
    body = "".join(
        f'<w:p><w:r><w:t xml:space="preserve">{escape(p[:10])}</w:t></w:r>'
        f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(p[10:])}</w:t></w:r></w:p>'
        for p in paragraphs)
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                               'package/2006/content-types"/>',
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}">'
                             f"<w:body>{body}</w:body></w:document>",
    }
    if header:
        parts["word/header1.xml"] = (f'<w:hdr xmlns:w="{W}"><w:p><w:r><w:t>{escape(header)}</w:t></w:r>'
                                     f"</w:p></w:hdr>")
    return _zip(parts)


def odt(paragraphs):
    text = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    body = "".join(f"<text:p>{escape(p.split(' ', 1)[0])}<text:s/><text:span>{escape(p.split(' ', 1)[1])}"
                   f"</text:span></text:p>" for p in paragraphs)
    return _zip({
        "mimetype": "application/vnd.oasis.opendocument.text",
        "content.xml": f'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                       f'xmlns:office="{office}" xmlns:text="{text}"><office:body><office:text>'
                       f"<text:h>Tiêu đề</text:h>{body}</office:text></office:body>"
                       f"</office:document-content>",
    })


def xlsx(rows):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bomb(size=300 * 1024 * 1024):
    """A .docx whose document part inflates to ``size`` bytes (a zip bomb, a few hundred kB)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        with package.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b" " * (1024 * 1024)
            for _ in range(size // len(chunk)):
                part.write(chunk)
    return out.getvalue()


def with_entities():
    """A .docx whose document declares entities (billion laughs)."""
    laughs = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]>'
              f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    return _zip({"word/document.xml": laughs})
