#!/usr/bin/python3
"""Reads a Word document back with python-docx (not Tickmark's code) for the DOCX tests, and makes
the inputs those tests need.

  dump FILE            JSON: paragraphs (style name, text), the contents' entries, tables (rows of cell texts, whether the
                       first row repeats), core properties, header and footer texts and field codes,
                       the body's field codes, bookmarks, inline pictures, the Normal style's font,
                       every style's id and name.
  template OUT FONT    a Word template as python-docx's own Document() saves it, with the Normal font
                       set to FONT and the Heading 3 style removed.
  png OUT W H          a W x H grey PNG.
"""
import json
import re
import struct
import sys
import zlib

import docx
from docx.oxml.ns import qn


def instr(element):
    return [t.text for t in element.iter(qn("w:instrText"))]


def dump(path):
    d = docx.Document(path)
    body = d.element.body
    out = {
        "paragraphs": [{"style": p.style.name, "text": p.text} for p in d.paragraphs],
        "tables": [],
        "core": {"title": d.core_properties.title, "author": d.core_properties.author,
                 "subject": d.core_properties.subject},
        "fields": instr(body),
        # the contents' entries are hyperlinks, whose runs python-docx's paragraph.text leaves out
        "contents": [{"style": p.style.name, "text": "".join(t.text for t in p._p.iter(qn("w:t")))}
                     for p in d.paragraphs if re.fullmatch(r"toc \d", p.style.name.lower())],
        "bookmarks": [b.get(qn("w:name")) for b in body.iter(qn("w:bookmarkStart"))],
        "pictures": [],
        "normal_font": d.styles["Normal"].font.name,
        "styles": {s.style_id: s.name for s in d.styles},
    }
    for t in d.tables:
        first = t.rows[0]._tr
        trPr = first.find(qn("w:trPr"))
        out["tables"].append({
            "rows": [[c.text for c in r.cells] for r in t.rows],
            "header_repeats": trPr is not None and trPr.find(qn("w:tblHeader")) is not None,
            "repeating_rows": sum(1 for r in t.rows if r._tr.find(qn("w:trPr")) is not None
                                  and r._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None),
        })
    for inline in body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}inline"):
        ext = inline.find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
        doc_pr = inline.find("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr")
        blip = next(inline.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"))
        part = d.part.related_parts[blip.get(qn("r:embed"))]
        out["pictures"].append({"name": doc_pr.get("name"), "cx": int(ext.get("cx")), "cy": int(ext.get("cy")),
                                "content_type": part.content_type, "bytes": len(part.blob)})
    s = d.sections[0]
    out["header"] = [p.text for p in s.header.paragraphs]
    out["first_page_header"] = [p.text for p in s.first_page_header.paragraphs]
    out["footer"] = [p.text for p in s.footer.paragraphs]
    out["footer_fields"] = instr(s.footer._element)
    print(json.dumps(out, indent=1))


def template(out, font):
    d = docx.Document()
    d.styles["Normal"].font.name = font
    h3 = d.styles["Heading 3"].element
    h3.getparent().remove(h3)
    d.save(out)


def png(out, w, h):
    raw = b"".join(b"\x00" + b"\x80" * w for _ in range(h))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    with open(out, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0)) +
                chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "dump":
        dump(sys.argv[2])
    elif cmd == "template":
        template(sys.argv[2], sys.argv[3])
    elif cmd == "png":
        png(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit("unknown command " + cmd)
