#!/usr/bin/python3
"""Writes a corpus of malformed and hostile population files, and a manifest of what each must do.

  make_malformed.py OUTDIR [--quick]

Every file is a population with the columns Key, When (and Amount where amounts are the point),
built here byte by byte with zipfile and zlib (package parts written by hand, as a hostile or broken
exporter would write them), so nothing in it comes from Tickmark. OUTDIR/manifest.tsv has one line
per file:

  name <TAB> expectation <TAB> peak RSS bound in MiB <TAB> extra import options

expectation is "refused:FRAGMENT[|FRAGMENT...]" (exit 2, stderr holds one of the fragments, the
engagement file's bytes unchanged) or "rows:N[;json_field=V...]" (exit 0, the profile's row count
and other fields). --quick leaves out the few files that take seconds to write or read (the 1 GB
zip bomb, 1,048,575 repeated rows, 13M shared strings).
"""
import base64
import os
import random
import struct
import sys
import zipfile
import zlib

OUT = sys.argv[1]
QUICK = "--quick" in sys.argv
os.makedirs(OUT, exist_ok=True)
MANIFEST = []
RNG = random.Random(20261122)


def entry(name, expect, rss=256, extra=""):
    MANIFEST.append((name, expect, str(rss), extra))


def path(name):
    return os.path.join(OUT, name)


# ---------------------------------------------------------------------------------------- XLSX
CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" ' \
     'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def workbook_xml(sheets):
    body = "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(sheets))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {NS}><sheets>{body}</sheets></workbook>'


def workbook_rels(n, shared=False, styles=False):
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{i + 1}.xml"/>' for i in range(n))
    if shared:
        rels += ('<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 'sharedStrings" Target="sharedStrings.xml"/>')
    if styles:
        rels += ('<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 'styles" Target="styles.xml"/>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' + rels + '</Relationships>')


def istr(ref, text):
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def sheet_xml(rows, head="", dimension=""):
    """rows: list of lists of cell XML strings, or raw row XML strings."""
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{head}<worksheet {NS}>{dimension}<sheetData>']
    for i, r in enumerate(rows):
        out.append(r if isinstance(r, str) else f'<row r="{i + 1}">' + "".join(r) + "</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out)


def simple_rows(values, cols="AB"):
    rows = []
    for i, vals in enumerate(values):
        rows.append([istr(f"{cols[j]}{i + 1}", v) for j, v in enumerate(vals)])
    return rows


GOOD = [["Key", "When"], ["K1", "2025-01-05"], ["K2", "2025-02-06"], ["K3", "2025-03-07"]]


def xlsx(name, sheet=None, parts=None, sheets=("Data",), shared=None, styles=None, workbook=None, rels=None,
         compress=zipfile.ZIP_DEFLATED):
    """Writes an XLSX part by part; parts overrides or adds parts (None as a value leaves one out)."""
    p = {
        "[Content_Types].xml": CT,
        "_rels/.rels": ROOT_RELS,
        "xl/workbook.xml": workbook if workbook is not None else workbook_xml(sheets),
        "xl/_rels/workbook.xml.rels": rels if rels is not None else workbook_rels(len(sheets), shared is not None,
                                                                                   styles is not None),
        "xl/worksheets/sheet1.xml": sheet if sheet is not None else sheet_xml(simple_rows(GOOD)),
    }
    if shared is not None:
        p["xl/sharedStrings.xml"] = shared
    if styles is not None:
        p["xl/styles.xml"] = styles
    p.update(parts or {})
    with zipfile.ZipFile(path(name), "w", compress) as z:
        for k, v in p.items():
            if v is not None:
                z.writestr(k, v)
    return path(name)


# ----------------------------------------------------------------------------------------- ODS
ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
MANIFEST_XML = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def ocell(text, rep=1, vtype="string", extra=""):
    r = f' table:number-columns-repeated="{rep}"' if rep != 1 else ""
    t = text.replace("&", "&amp;").replace("<", "&lt;")
    return f'<table:table-cell office:value-type="{vtype}"{r}{extra}><text:p>{t}</text:p></table:table-cell>'


def orow(cells, rep=1):
    r = f' table:number-rows-repeated="{rep}"' if rep != 1 else ""
    return f"<table:table-row{r}>" + "".join(cells) + "</table:table-row>"


def content_xml(tables, head="", styles=""):
    body = "".join(f'<table:table table:name="{n}">' + "".join(rows) + "</table:table>" for n, rows in tables)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{head}<office:document-content {ODS_NS} office:version="1.2">'
            f"<office:automatic-styles>{styles}</office:automatic-styles>"
            f"<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")


def ods_good_rows(n=3):
    rows = [orow([ocell("Key"), ocell("When")])]
    for i in range(n):
        rows.append(orow([ocell(f"K{i + 1}"), ocell(f"2025-0{i % 9 + 1}-05", vtype="date",
                                                     extra=f' office:date-value="2025-0{i % 9 + 1}-05"')]))
    return rows


def ods(name, content=None, parts=None, raw_content=None):
    with zipfile.ZipFile(path(name), "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        c = raw_content if raw_content is not None else (content if content is not None else
                                                         content_xml([("Data", ods_good_rows())]))
        if c is not None:
            z.writestr("content.xml", c, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", MANIFEST_XML, compress_type=zipfile.ZIP_DEFLATED)
        for k, v in (parts or {}).items():
            z.writestr(k, v, compress_type=zipfile.ZIP_DEFLATED)
    return path(name)


def write_bytes(name, data):
    with open(path(name), "wb") as f:
        f.write(data)
    return path(name)


def bomb_part(z, part, prefix, filler, total, suffix=b""):
    """Streams `total` bytes of `filler` between prefix and suffix into a deflated part."""
    with z.open(zipinfo(part), "w", force_zip64=True) as w:
        w.write(prefix)
        chunk = filler * ((1 << 20) // len(filler))
        left = total
        while left > 0:
            w.write(chunk[:left])
            left -= len(chunk)
        w.write(suffix)


def zipinfo(name):
    i = zipfile.ZipInfo(name)
    i.compress_type = zipfile.ZIP_DEFLATED
    return i


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
          '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
          '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
          '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
          '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
          '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
          '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>\n')
XXE = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'

DAMAGED = "zip container is damaged or cut short"
BROKEN = "damaged|malformed XML|cut short"


def col_letters(n):  # 0 -> A
    s = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def main():
    # --- a well-formed control of each kind, so a refusal below is the fault's and not the builder's
    xlsx("xlsx_control.xlsx")
    entry("xlsx_control.xlsx", "rows:3", 128)
    ods("ods_control.ods")
    entry("ods_control.ods", "rows:3", 128)
    write_bytes("csv_control.csv", b"Key,When\nK1,2025-01-05\nK2,2025-02-06\nK3,2025-03-07\n")
    entry("csv_control.csv", "rows:3", 128)

    # --- truncated and corrupt zips: every cut of the package before its central directory ends
    good_x = open(path("xlsx_control.xlsx"), "rb").read()
    good_o = open(path("ods_control.ods"), "rb").read()
    for frac in (0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.97, 0.995):
        n = f"xlsx_cut_{int(frac * 1000):03d}.xlsx"
        write_bytes(n, good_x[:max(8, int(len(good_x) * frac))])
        entry(n, "refused:" + DAMAGED, 64)
        n = f"ods_cut_{int(frac * 1000):03d}.ods"
        write_bytes(n, good_o[:max(120, int(len(good_o) * frac))])
        entry(n, "refused:" + DAMAGED, 64)
    write_bytes("xlsx_magic_only.xlsx", b"PK\x03\x04not really a zip")
    entry("xlsx_magic_only.xlsx", "refused:" + DAMAGED, 64)
    # Bytes flipped inside the deflated sheet: an inflate error, a CRC mismatch or broken XML.
    with zipfile.ZipFile(path("xlsx_control.xlsx")) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k, off in enumerate((0, 3, info.compress_size // 2, info.compress_size - 2)):
        b = bytearray(good_x)
        b[start + off] ^= 0xFF
        n = f"xlsx_flip_{k}.xlsx"
        write_bytes(n, bytes(b))
        entry(n, "refused:" + BROKEN, 64)
    with zipfile.ZipFile(path("ods_control.ods")) as z:
        info = z.getinfo("content.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k, off in enumerate((0, 5, info.compress_size // 2, info.compress_size - 3)):
        b = bytearray(good_o)
        b[start + off] ^= 0x55
        n = f"ods_flip_{k}.ods"
        write_bytes(n, bytes(b))
        entry(n, "refused:" + BROKEN, 64)
    # The central directory says the sheet inflates to 100 bytes; it inflates to more. The declaration
    # is not trusted either way: the inflated bytes are counted against the cap, and libzip checks
    # them against the CRC, so the sheet reads whole.
    b = bytearray(good_x)
    with zipfile.ZipFile(path("xlsx_control.xlsx")) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    pos = bytes(b).find(b"xl/worksheets/sheet1.xml", bytes(b).find(b"PK\x01\x02"))
    hdr = pos - 46  # the central directory entry's fixed part precedes its name
    struct.pack_into("<I", b, hdr + 24, 100)
    write_bytes("xlsx_lying_size.xlsx", bytes(b))
    entry("xlsx_lying_size.xlsx", "rows:3", 64)

    # --- zip bombs: a part that inflates to 1 GB (spaces: well-formed XML; zeros: not)
    if not QUICK:
        with zipfile.ZipFile(path("xlsx_bomb_spaces.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
            for k, v in (("[Content_Types].xml", CT), ("_rels/.rels", ROOT_RELS),
                         ("xl/workbook.xml", workbook_xml(["Data"])), ("xl/_rels/workbook.xml.rels", workbook_rels(1))):
                z.writestr(k, v)
            bomb_part(z, "xl/worksheets/sheet1.xml",
                      f'<?xml version="1.0"?><worksheet {NS}><sheetData>'.encode(), b" ", 1 << 30,
                      b"</sheetData></worksheet>")
        entry("xlsx_bomb_spaces.xlsx", "refused:zip bomb", 96)
    with zipfile.ZipFile(path("xlsx_bomb_zeros.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in (("[Content_Types].xml", CT), ("_rels/.rels", ROOT_RELS),
                     ("xl/workbook.xml", workbook_xml(["Data"])), ("xl/_rels/workbook.xml.rels", workbook_rels(1))):
            z.writestr(k, v)
        bomb_part(z, "xl/worksheets/sheet1.xml", b"", b"\0", 256 << 20)
    entry("xlsx_bomb_zeros.xlsx", "refused:malformed XML", 64)
    with zipfile.ZipFile(path("xlsx_bomb_shared.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in (("[Content_Types].xml", CT), ("_rels/.rels", ROOT_RELS),
                     ("xl/workbook.xml", workbook_xml(["Data"])),
                     ("xl/_rels/workbook.xml.rels", workbook_rels(1, shared=True)),
                     ("xl/worksheets/sheet1.xml", sheet_xml(simple_rows(GOOD)))):
            z.writestr(k, v)
        bomb_part(z, "xl/sharedStrings.xml", f'<sst {NS}><si><t>'.encode(), b"a", 300 << 20, b"</t></si></sst>")
    entry("xlsx_bomb_shared.xlsx", "refused:zip bomb|1 MiB", 96)
    with zipfile.ZipFile(path("xlsx_bomb_workbook.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in (("[Content_Types].xml", CT), ("_rels/.rels", ROOT_RELS),
                     ("xl/_rels/workbook.xml.rels", workbook_rels(1)),
                     ("xl/worksheets/sheet1.xml", sheet_xml(simple_rows(GOOD)))):
            z.writestr(k, v)
        bomb_part(z, "xl/workbook.xml", f'<workbook {NS}><sheets>'.encode(), b"\n", 300 << 20, b"</sheets></workbook>")
    entry("xlsx_bomb_workbook.xlsx", "refused:zip bomb", 96)
    with zipfile.ZipFile(path("ods_bomb.ods"), "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        bomb_part(z, "content.xml", f'<office:document-content {ODS_NS}><office:body>'.encode(), b"  ", 300 << 20,
                  b"</office:body></office:document-content>")
    entry("ods_bomb.ods", "refused:zip bomb", 96)

    # --- entity expansion and external entities, in every part a reader opens
    sheet = sheet_xml(simple_rows(GOOD))
    for part, label in (("xl/worksheets/sheet1.xml", "sheet"), ("xl/workbook.xml", "workbook"),
                        ("_rels/.rels", "rootrels"), ("xl/_rels/workbook.xml.rels", "rels")):
        base = {"xl/worksheets/sheet1.xml": sheet, "xl/workbook.xml": workbook_xml(["Data"]),
                "_rels/.rels": ROOT_RELS, "xl/_rels/workbook.xml.rels": workbook_rels(1)}[part]
        decl_end = base.index("?>") + 2 if base.startswith("<?xml") else 0
        for kind, head in (("laughs", LAUGHS), ("xxe", XXE)):
            n = f"xlsx_{kind}_{label}.xlsx"
            xlsx(n, parts={part: base[:decl_end] + "\n" + head + base[decl_end:]})
            entry(n, "refused:declares a DOCTYPE", 64)
    shared_ok = f'<sst {NS}><si><t>x</t></si></sst>'
    xlsx("xlsx_laughs_shared.xlsx", shared=LAUGHS + shared_ok)
    entry("xlsx_laughs_shared.xlsx", "refused:declares a DOCTYPE", 64)
    xlsx("xlsx_laughs_styles.xlsx", styles=LAUGHS + f'<styleSheet {NS}/>')
    entry("xlsx_laughs_styles.xlsx", "refused:declares a DOCTYPE", 64)
    c = content_xml([("Data", ods_good_rows())])
    ods("ods_laughs.ods", content=c.replace("?>\n", "?>\n" + LAUGHS, 1))
    entry("ods_laughs.ods", "refused:declares a DOCTYPE", 64)
    ods("ods_xxe.ods", content=c.replace("?>\n", "?>\n" + XXE, 1))
    entry("ods_xxe.ods", "refused:declares a DOCTYPE", 64)
    ods("ods_entity_use.ods", content=c.replace("K1", "&lol9;"))
    entry("ods_entity_use.ods", "refused:malformed XML", 64)

    # --- lying <dimension>: only the cells count
    for n, ref in (("xlsx_dim_huge.xlsx", "A1:XFD1048576"), ("xlsx_dim_small.xlsx", "A1"),
                   ("xlsx_dim_garbage.xlsx", "ZZZZZZZZ99999999999:-1")):
        xlsx(n, sheet=sheet_xml(simple_rows(GOOD), dimension=f'<dimension ref="{ref}"/>'))
        entry(n, "rows:3", 128)

    # --- columns: 20,000 of them, by reference and by position; exactly 16,384 is fine
    wide = [istr(f"{col_letters(i)}1", f"H{i}") for i in range(20000)]
    xlsx("xlsx_20000_columns.xlsx", sheet=sheet_xml([wide] + simple_rows(GOOD)[1:]))
    entry("xlsx_20000_columns.xlsx", "refused:not a cell of a sheet (columns A to XFD", 128)
    norefs = "".join(f'<c t="inlineStr"><is><t>H{i}</t></is></c>' for i in range(20000))
    xlsx("xlsx_20000_unreferenced.xlsx", sheet=sheet_xml(['<row r="1">' + norefs + "</row>"]))
    entry("xlsx_20000_unreferenced.xlsx", "refused:beyond column XFD", 128)
    full = [istr("A1", "Key"), istr("B1", "When")] + [istr(f"{col_letters(i)}1", f"C{i}") for i in range(2, 16384)]
    xlsx("xlsx_16384_columns.xlsx", sheet=sheet_xml([full] + simple_rows(GOOD)[1:]))
    entry("xlsx_16384_columns.xlsx", "rows:3", 192)
    for n, ref in (("xlsx_ZZZZZZ2.xlsx", "ZZZZZZ2"), ("xlsx_XFE2.xlsx", "XFE2"), ("xlsx_overflow_ref.xlsx", "A" * 40 + "2"),
                   ("xlsx_digits_first.xlsx", "2A"), ("xlsx_ref_junk.xlsx", "B2x")):
        rows = simple_rows(GOOD)
        rows[1] = rows[1] + [istr(ref, "far away")]
        xlsx(n, sheet=sheet_xml(rows))
        entry(n, "refused:not a cell of a sheet", 64)
    rows = simple_rows(GOOD)
    rows[1] = rows[1] + [istr("XFD2", "last column")]
    xlsx("xlsx_XFD2.xlsx", sheet=sheet_xml(rows))
    entry("xlsx_XFD2.xlsx", "refused:column XFD: a value outside the header's columns", 64)
    w = ["".join(f'<table:table-cell office:value-type="string"><text:p>H{i}</text:p></table:table-cell>'
                 for i in range(20000))]
    ods("ods_20000_columns.ods", content=content_xml([("Data", ["<table:table-row>" + w[0] + "</table:table-row>"])]))
    entry("ods_20000_columns.ods", "refused:beyond column XFD", 128)

    # --- row numbers that are not plain decimal integers within the sheet
    for n, r in (("1e23", "1e23"), ("neg", "-1"), ("zero", "0"), ("beyond", "1048577"), ("decimal", "2.0"),
                 ("space", " 2"), ("hex", "0x2"), ("huge", "99999999999999999999")):
        rows = [f'<row r="1">' + "".join(simple_rows(GOOD)[0]) + "</row>",
                f'<row r="{r}">' + istr("A2", "K1") + istr("B2", "2025-01-05") + "</row>"]
        xlsx(f"xlsx_row_{n}.xlsx", sheet=sheet_xml(rows))
        entry(f"xlsx_row_{n}.xlsx", "refused:which is not a row number (1 to 1,048,576", 64)
    rows = ['<row r="3">' + "".join(simple_rows(GOOD)[0]) + "</row>", '<row r="2">' + istr("A2", "K1") + "</row>"]
    xlsx("xlsx_rows_backwards.xlsx", sheet=sheet_xml(rows))
    entry("xlsx_rows_backwards.xlsx", "refused:rows are stored out of order", 64)
    rows = ['<row r="1">' + "".join(simple_rows(GOOD)[0]) + "</row>",
            '<row r="1048576">' + istr("A1048576", "K9") + istr("B1048576", "2025-05-05") + "</row>"]
    xlsx("xlsx_last_row.xlsx", sheet=sheet_xml(rows))
    entry("xlsx_last_row.xlsx", "rows:1", 64)

    # --- cell sizes: 10 MB in every place a value can come from; exactly 1 MiB is fine
    big = "x" * (10 << 20)
    rows = simple_rows(GOOD)
    rows[1][0] = istr("A2", big)
    xlsx("xlsx_10mb_inline.xlsx", sheet=sheet_xml(rows))
    entry("xlsx_10mb_inline.xlsx", "refused:more than 1 MiB", 96)
    xlsx("xlsx_10mb_shared.xlsx", shared=f'<sst {NS}><si><t>{big}</t></si></sst>',
         sheet=sheet_xml([simple_rows(GOOD)[0], ['<c r="A2" t="s"><v>0</v></c>', istr("B2", "2025-01-05")]]))
    entry("xlsx_10mb_shared.xlsx", "refused:more than 1 MiB", 96)
    xlsx("xlsx_10mb_number.xlsx", sheet=sheet_xml([simple_rows(GOOD)[0], [f'<c r="A2"><v>{"9" * (10 << 20)}</v></c>']]))
    entry("xlsx_10mb_number.xlsx", "refused:more than 1 MiB", 96)
    xlsx("xlsx_10mb_formula.xlsx", sheet=sheet_xml([simple_rows(GOOD)[0], [f'<c r="A2"><f>{"1+" * (5 << 20)}1</f></c>']]))
    entry("xlsx_10mb_formula.xlsx", "refused:more than 1 MiB", 96)
    mib = "y" * (1 << 20)
    xlsx("xlsx_1mib_note.xlsx", sheet=sheet_xml(simple_rows([["Key", "When", "Note"], ["K1", "2025-01-05", mib]], "ABC")))
    entry("xlsx_1mib_note.xlsx", "rows:1", 128)
    # One 1 MiB shared string used 20 times in a row: 20 MiB of row from a small file.
    cells = "".join(f'<c r="{col_letters(i)}2" t="s"><v>0</v></c>' for i in range(20))
    hdr = "".join(istr(f"{col_letters(i)}1", f"H{i}") for i in range(20))
    xlsx("xlsx_row_20mib.xlsx", shared=f'<sst {NS}><si><t>{mib}</t></si></sst>',
         sheet=sheet_xml([f'<row r="1">{hdr}</row>', f'<row r="2">{cells}</row>']))
    entry("xlsx_row_20mib.xlsx", "refused:more than 16 MiB of text", 128)
    ods("ods_10mb_cell.ods", content=content_xml([("Data", [orow([ocell("Key"), ocell("When")]),
                                                            orow([ocell(big), ocell("2025-01-05")])])]))
    entry("ods_10mb_cell.ods", "refused:more than 1 MiB", 96)
    sp = '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000"/>b</text:p></table:table-cell>'
    ods("ods_spaces_2m.ods", content=content_xml([("Data", [orow([ocell("Key"), ocell("When")]),
                                                            "<table:table-row>" + sp + "</table:table-row>"])]))
    entry("ods_spaces_2m.ods", "refused:more than 1 MiB", 96)
    ods("ods_row_20mib.ods", content=content_xml([("Data", [orow([ocell(f"H{i}") for i in range(20)]),
                                                            orow([ocell(mib, rep=20)])])]))
    entry("ods_row_20mib.ods", "refused:more than 16 MiB of text", 128)
    write_bytes("csv_10mb_cell.csv", b"Key,When\nK1," + b"z" * (10 << 20) + b"\n")
    entry("csv_10mb_cell.csv", "refused:line 2, field 2: a value of more than 1 MiB", 96)
    write_bytes("csv_10mb_quoted.csv", b'Key,When\n"K1' + b"q\n" * (5 << 20) + b'",2025-01-05\n')
    entry("csv_10mb_quoted.csv", "refused:line 2, field 1: a value of more than 1 MiB", 96)
    write_bytes("csv_unclosed_quote.csv", b'Key,When\nK1,"2025-01-05\n' + b"K2,2025-01-06\n" * 200000)
    entry("csv_unclosed_quote.csv", "refused:a quote opened at line 2 may never be closed", 96)
    write_bytes("csv_1mib_cell.csv", b"Key,When,Note\nK1,2025-01-05," + b"n" * (1 << 20) + b"\n")
    entry("csv_1mib_cell.csv", "rows:1", 128)
    write_bytes("csv_20000_fields.csv", b"Key,When" + b",x" * 19998 + b"\n")
    entry("csv_20000_fields.csv", "refused:more than 16384 fields", 64)
    write_bytes("csv_delimiters_only.csv", b"Key,When\n" + b"," * (8 << 20) + b"\n")
    entry("csv_delimiters_only.csv", "refused:more than 16384 fields", 96)
    write_bytes("csv_16384_fields.csv", b"Key,When" + b"".join(b",C%d" % i for i in range(16382)) + b"\n" +
                b"K1,2025-01-05" + b"," * 16382 + b"\n")
    entry("csv_16384_fields.csv", "rows:1", 128)

    # --- control characters: refused with line/row and column, wherever they come from
    for n, raw, frag in (("esc", b"\x1b[2A\x1b[K", "U+001B (ESC)"), ("nul", b"K\x00b", "U+0000 (NUL)"),
                         ("bel", b"K\x07", "U+0007 (BEL)"), ("del", b"K\x7f", "U+007F (DEL)"),
                         ("csi_c1", "K\u009b2A".encode(), "U+009B (a C1 control)"),
                         ("nel_c1", "K\u0085".encode(), "U+0085 (a C1 control)"),
                         ("bs", b"K\x08\x08", "U+0008 (BS)"), ("vt", b"K\x0b", "U+000B (VT)")):
        write_bytes(f"csv_ctl_{n}.csv", b"Key,When\nK1,2025-01-05\n" + raw + b",2025-01-06\n")
        entry(f"csv_ctl_{n}.csv", f"refused:line 3, field 1: the control character {frag}", 64)
    write_bytes("csv_ctl_in_header.csv", b"Key,Wh\x1ben\nK1,2025-01-05\n")
    entry("csv_ctl_in_header.csv", "refused:line 1, field 2: the control character U+001B (ESC)", 64)
    write_bytes("csv_tab_cr_ok.csv", b'Key,When,Note\nK1,2025-01-05,"a\tb\r\nc"\n')
    entry("csv_tab_cr_ok.csv", "rows:1", 64)
    write_bytes("csv_utf16_esc.csv", "Key,When\nK\x1b1,2025-01-05\n".encode("utf-16"))
    entry("csv_utf16_esc.csv", "refused:U+001B (ESC)", 64)
    for n, esc, frag in (("esc", "_x001B_", "U+001B (ESC)"), ("nul", "_x0000_", "U+0000 (NUL)"),
                         ("c1", "&#155;", "U+009B (a C1 control)"), ("del", "&#127;", "U+007F (DEL)")):
        rows = simple_rows(GOOD)
        rows[2][0] = istr("A3", "K2" + esc)
        if esc.startswith("&"):
            rows[2][0] = f'<c r="A3" t="inlineStr"><is><t>K2{esc}</t></is></c>'
        xlsx(f"xlsx_ctl_{n}.xlsx", sheet=sheet_xml(rows))
        entry(f"xlsx_ctl_{n}.xlsx", f"refused:sheet \"Data\", row 3, column A: the control character {frag}", 64)
    xlsx("xlsx_ctl_shared.xlsx", shared=f'<sst {NS}><si><t>K_x001B_[2A</t></si></sst>',
         sheet=sheet_xml([simple_rows(GOOD)[0], ['<c r="A2" t="s"><v>0</v></c>', istr("B2", "2025-01-05")]]))
    entry("xlsx_ctl_shared.xlsx", "refused:row 2, column A: the control character U+001B (ESC)", 64)
    rows = simple_rows(GOOD)
    rows[1][0] = '<c r="A2" t="inlineStr"><is><t>K&#27;1</t></is></c>'
    xlsx("xlsx_raw_esc_ref.xlsx", sheet=sheet_xml(rows))
    entry("xlsx_raw_esc_ref.xlsx", "refused:malformed XML", 64)
    c = content_xml([("Data", [orow([ocell("Key"), ocell("When")]), orow([ocell("K\u009b1"), ocell("2025-01-05")])])])
    ods("ods_ctl_c1.ods", content=c)
    entry("ods_ctl_c1.ods", "refused:sheet \"Data\", row 2, column A: the control character U+009B", 64)
    ods("ods_raw_esc_ref.ods", content=content_xml([("Data", [orow([ocell("Key"), ocell("When")])])]).replace(
        "Key", "K&#27;ey"))
    entry("ods_raw_esc_ref.ods", "refused:malformed XML", 64)

    # --- lone surrogates: UTF-16 with a BOM, CESU-8 in UTF-8
    for n, enc, bom, lone in (("le_high", "utf-16-le", b"\xff\xfe", b"\x00\xd8"),
                              ("le_low", "utf-16-le", b"\xff\xfe", b"\x00\xdc"),
                              ("be_high", "utf-16-be", b"\xfe\xff", b"\xd8\x00")):
        data = bom + "Key,When\nK".encode(enc) + lone + ",2025-01-05\n".encode(enc)
        write_bytes(f"csv_utf16_{n}.csv", data)
        entry(f"csv_utf16_{n}.csv", "refused:bytes that are not valid UTF-16", 64)
    write_bytes("csv_utf16_odd.csv", b"\xff\xfe" + "Key,When\nK1,2025-01-05\n".encode("utf-16-le") + b"\x41")
    entry("csv_utf16_odd.csv", "refused:cut short", 64)
    cesu = b"\xed\xa0\x80\xed\xb0\x80"  # U+10000 as two surrogates, each encoded as UTF-8
    write_bytes("csv_cesu_after_utf8.csv", "Key,When\nZażółć,2025-01-05\nK".encode() + cesu + b",2025-01-06\n")
    entry("csv_cesu_after_utf8.csv", "refused:line 3: bytes that are not valid UTF-8", 64)
    write_bytes("csv_cesu_given_utf8.csv", b"Key,When\nK" + cesu + b",2025-01-06\n")
    entry("csv_cesu_given_utf8.csv", "refused:bytes that are not valid UTF-8", 64, "--encoding UTF-8")
    # No other non-ASCII text and no BOM: read as Windows-1252, where those six bytes are letters.
    write_bytes("csv_cesu_alone.csv", b"Key,When\nK" + cesu + b",2025-01-06\n")
    entry("csv_cesu_alone.csv", "rows:1", 64)
    write_bytes("csv_cp1252_undefined.csv", b"Key,When\nK\x81,2025-01-06\n")
    entry("csv_cp1252_undefined.csv", "refused:not valid Windows-1252|not valid WINDOWS-1252", 64)
    write_bytes("csv_overlong.csv", "Key,When\nZażółć,2025-01-05\n".encode() + b"K\xc0\xaf,2025-01-06\n")
    entry("csv_overlong.csv", "refused:not valid UTF-8", 64)
    rows = simple_rows(GOOD)
    xml = sheet_xml(rows).encode().replace(b"K2", b"K\xed\xa0\x80")
    xlsx("xlsx_cesu.xlsx", sheet=xml)
    entry("xlsx_cesu.xlsx", "refused:malformed XML", 64)
    xml = content_xml([("Data", ods_good_rows())]).encode().replace(b"K2", b"K\xed\xb0\x80")
    ods("ods_cesu.ods", content=xml)
    entry("ods_cesu.ods", "refused:malformed XML", 64)

    # --- shared strings: too many, too much text, a reference past the end
    if not QUICK:
        # 13M strings, varied enough (one random string in 40) that the part compresses like real text.
        with zipfile.ZipFile(path("xlsx_13m_shared.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
            for k, v in (("[Content_Types].xml", CT), ("_rels/.rels", ROOT_RELS),
                         ("xl/workbook.xml", workbook_xml(["Data"])),
                         ("xl/_rels/workbook.xml.rels", workbook_rels(1, shared=True)),
                         ("xl/worksheets/sheet1.xml", sheet_xml(simple_rows(GOOD)))):
                z.writestr(k, v)
            with z.open(zipinfo("xl/sharedStrings.xml"), "w", force_zip64=True) as wr:
                wr.write(f'<sst {NS}>'.encode())
                rnd = base64.b64encode(os.urandom(3 * 13_000_000 // 40 * 4 // 4 + 64))
                for block in range(13_000_000 // 40 // 1000 + 1):
                    parts = []
                    for i in range(1000):
                        k = (block * 1000 + i) * 4
                        parts.append(b"<si/>" * 39 + b"<si><t>" + rnd[k:k + 4] + b"</t></si>")
                    wr.write(b"".join(parts))
                wr.write(b"</sst>")
        entry("xlsx_13m_shared.xlsx", "refused:more than 12000000 shared strings", 160)
    with zipfile.ZipFile(path("xlsx_40m_empty_shared.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in (("[Content_Types].xml", CT), ("_rels/.rels", ROOT_RELS),
                     ("xl/workbook.xml", workbook_xml(["Data"])),
                     ("xl/_rels/workbook.xml.rels", workbook_rels(1, shared=True)),
                     ("xl/worksheets/sheet1.xml", sheet_xml(simple_rows(GOOD)))):
            z.writestr(k, v)
        bomb_part(z, "xl/sharedStrings.xml", f'<sst {NS}>'.encode(), b"<si/>", 40_000_000 * 5, b"</sst>")
    entry("xlsx_40m_empty_shared.xlsx", "refused:zip bomb|shared strings", 160)
    # 100 strings of 1 MiB (the cap is 96 MiB), each with a random run every 16 KiB so it compresses ~100:1.
    with zipfile.ZipFile(path("xlsx_shared_bytes.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in (("[Content_Types].xml", CT), ("_rels/.rels", ROOT_RELS),
                     ("xl/workbook.xml", workbook_xml(["Data"])),
                     ("xl/_rels/workbook.xml.rels", workbook_rels(1, shared=True)),
                     ("xl/worksheets/sheet1.xml", sheet_xml(simple_rows(GOOD)))):
            z.writestr(k, v)
        with z.open(zipinfo("xl/sharedStrings.xml"), "w", force_zip64=True) as wr:
            wr.write(f'<sst {NS}>'.encode())
            for i in range(100):
                s = b"".join(b"s" * (16384 - 128) + base64.b64encode(os.urandom(96)) for _ in range(64))
                wr.write(b"<si><t>" + s[:(1 << 20) - 16] + b"</t></si>")
            wr.write(b"</sst>")
    entry("xlsx_shared_bytes.xlsx", "refused:MiB of text, the limit this reader holds in memory", 192)
    for n, v in (("past_end", "5"), ("negative", "-1"), ("sci", "1e0"), ("empty", "")):
        xlsx(f"xlsx_shared_{n}.xlsx", shared=f'<sst {NS}><si><t>only</t></si></sst>',
             sheet=sheet_xml([simple_rows(GOOD)[0], [f'<c r="A2" t="s"><v>{v}</v></c>', istr("B2", "2025-01-05")]]))
        entry(f"xlsx_shared_{n}.xlsx", "refused:refers to a shared string the workbook does not have", 64)

    # --- the workbook's structure
    xlsx("xlsx_no_sheets.xlsx", sheets=(), rels=workbook_rels(0), parts={"xl/worksheets/sheet1.xml": None})
    entry("xlsx_no_sheets.xlsx", "refused:the workbook has no sheets", 64)
    ods("ods_no_sheets.ods", content=content_xml([]))
    entry("ods_no_sheets.ods", "refused:the workbook has no sheets", 64)
    xlsx("xlsx_sheet_part_missing.xlsx", parts={"xl/worksheets/sheet1.xml": None})
    entry("xlsx_sheet_part_missing.xlsx", "refused:is missing; the file is damaged", 64)
    xlsx("xlsx_no_workbook.xlsx", parts={"xl/workbook.xml": None})
    entry("xlsx_no_workbook.xlsx", "refused:not an XLSX workbook", 64)
    with zipfile.ZipFile(path("ods_no_content.ods"), "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("META-INF/manifest.xml", MANIFEST_XML)
    entry("ods_no_content.ods", "refused:has no content.xml", 64)
    xlsx("xlsx_5000_sheets.xlsx", workbook=workbook_xml([f"S{i}" for i in range(5000)]))
    entry("xlsx_5000_sheets.xlsx", "refused:more than 4096 sheets", 64)
    ods("ods_5000_sheets.ods", content=content_xml([(f"S{i}", []) for i in range(5000)]))
    entry("ods_5000_sheets.ods", "refused:more than 4096 sheets", 64)
    xfs = "".join('<xf numFmtId="14"/>' for _ in range(70000))
    xlsx("xlsx_70000_formats.xlsx", styles=f'<styleSheet {NS}><cellXfs>{xfs}</cellXfs></styleSheet>')
    entry("xlsx_70000_formats.xlsx", "refused:more than 65536 cell formats", 64)
    ods("ods_bad_name.ods", content=content_xml([("Data", ods_good_rows())]).replace('table:name="Data"',
                                                                                      'table:name="P&#n;"'))
    entry("ods_bad_name.ods", "refused:malformed XML", 64)

    # --- XML that is too deep, too long in one tag, broken or cut short
    deep = "<x>" * 10000 + "</x>" * 10000
    rows = simple_rows(GOOD)
    xlsx("xlsx_deep.xlsx", sheet=sheet_xml(rows).replace("<sheetData>", "<sheetData>" + deep))
    entry("xlsx_deep.xlsx", "refused:nested more than 256 deep", 64)
    ods("ods_deep.ods", content=content_xml([("Data", ods_good_rows())]).replace("<office:body>", "<office:body>" + deep))
    entry("ods_deep.ods", "refused:nested more than 256 deep", 64)
    xlsx("xlsx_20mb_attribute.xlsx", sheet=sheet_xml(rows).replace("<sheetData>", '<sheetData><x a="' + "v" * (20 << 20) + '"/>'))
    entry("xlsx_20mb_attribute.xlsx", "refused:MiB of XML in one tag", 128)
    xlsx("xlsx_20mb_comment.xlsx", sheet=sheet_xml(rows).replace("<sheetData>", "<sheetData><!--" + "c" * (20 << 20) + "-->"))
    entry("xlsx_20mb_comment.xlsx", "refused:MiB of XML in one tag", 128)
    ods("ods_20mb_attribute.ods", content=content_xml([("Data", ods_good_rows())]).replace(
        '<table:table table:name="Data"', '<table:table table:name="' + "n" * (20 << 20) + '"'))
    entry("ods_20mb_attribute.ods", "refused:MiB of XML in one tag", 128)
    xlsx("xlsx_mismatched.xlsx", sheet=sheet_xml(rows).replace("</sheetData>", "</sheetDat>"))
    entry("xlsx_mismatched.xlsx", "refused:malformed XML", 64)
    xml = sheet_xml(simple_rows(GOOD + [["K4", "2025-04-01"], ["K5", "2025-05-01"]]))
    cut = xml.index('<row r="3">')
    xlsx("xlsx_sheet_cut_at_row.xlsx", sheet=xml[:cut])
    entry("xlsx_sheet_cut_at_row.xlsx", "refused:cut short", 64)
    xlsx("xlsx_sheet_cut_mid.xlsx", sheet=xml[:cut + 17])
    entry("xlsx_sheet_cut_mid.xlsx", "refused:cut short", 64)
    xlsx("xlsx_shared_cut.xlsx", shared=f'<sst {NS}><si><t>a</t></si><si><t>b',
         sheet=sheet_xml([simple_rows(GOOD)[0], ['<c r="A2" t="s"><v>0</v></c>', istr("B2", "2025-01-05")]]))
    entry("xlsx_shared_cut.xlsx", "refused:cut short", 64)
    c = content_xml([("Data", ods_good_rows(5))])
    cut = [i for i in range(len(c)) if c.startswith("<table:table-row>", i)][3]
    ods("ods_content_cut_at_row.ods", content=c[:cut])
    entry("ods_content_cut_at_row.ods", "refused:cut short", 64)
    ods("ods_content_cut_mid.ods", content=c[:cut + 40])
    entry("ods_content_cut_mid.ods", "refused:cut short", 64)
    ods("ods_not_xml.ods", raw_content=b"\x00\x01binary")
    entry("ods_not_xml.ods", "refused:malformed XML", 64)

    # --- ODS repeats: expanded exactly, numbered, bounded
    rows = [orow([ocell("Key"), ocell("When")]), orow([ocell("R1"), ocell("2025-01-05")]),
            orow([ocell("R2"), ocell("2025-01-06")]), orow([ocell("R3"), ocell("2025-01-07")], rep=2),
            orow([ocell("R5"), ocell("2025-01-09")]), orow([], rep=1048570)]
    ods("ods_repeat_identical.ods", content=content_xml([("Data", rows)]))
    entry("ods_repeat_identical.ods", "rows:5;duplicate_keys=1;duplicate_rows=2", 64)
    if not QUICK:
        rows = [orow([ocell("Key"), ocell("When")]), orow([ocell("SAME"), ocell("2025-01-05")], rep=1048575)]
        ods("ods_repeat_1048575.ods", content=content_xml([("Data", rows)]))
        entry("ods_repeat_1048575.ods", "rows:1048575;duplicate_keys=1;duplicate_rows=1048575", 256)
    rows = [orow([ocell("Key"), ocell("When")]), orow([ocell("SAME"), ocell("2025-01-05")], rep=1048576)]
    ods("ods_repeat_past_end.ods", content=content_xml([("Data", rows)]))
    entry("ods_repeat_past_end.ods", "refused:beyond row 1,048,576", 64)
    for n, v in (("huge", "1048577"), ("zero", "0"), ("neg", "-1"), ("sci", "1e3"), ("empty", ""),
                 ("overflow", "18446744073709551617")):
        rows = [orow([ocell("Key"), ocell("When")]), orow([ocell("K"), ocell("2025-01-05")]).replace(
            "<table:table-row>", f'<table:table-row table:number-rows-repeated="{v}">')]
        ods(f"ods_rows_repeated_{n}.ods", content=content_xml([("Data", rows)]))
        entry(f"ods_rows_repeated_{n}.ods", "refused:which is not a count from 1 to 1,048,576", 64)
        rows = [orow([ocell("Key"), ocell("When")]),
                orow([ocell("K"), ocell("2025-01-05").replace("<table:table-cell ",
                                                              f'<table:table-cell table:number-columns-repeated="{v}" ')])]
        ods(f"ods_cols_repeated_{n}.ods", content=content_xml([("Data", rows)]))
        entry(f"ods_cols_repeated_{n}.ods", "refused:which is not a count from 1 to 16,384", 64)
    rows = [orow([ocell("Key"), ocell("When")]), orow([ocell("K"), ocell("x", rep=100)], rep=1000000)]
    ods("ods_repeat_amplified.ods", content=content_xml([("Data", rows)]))
    entry("ods_repeat_amplified.ods", "refused:repeated rows and cells add more than", 64)
    rows = [orow([ocell("Key"), ocell("When")]), orow([ocell("K"), ocell("2025-01-05"), ocell("x", rep=16384)])]
    ods("ods_repeat_cols_past_end.ods", content=content_xml([("Data", rows)]))
    entry("ods_repeat_cols_past_end.ods", "refused:beyond column XFD", 64)
    empty = '<table:table-cell table:number-columns-repeated="16000"/>'
    rows = [orow([ocell("Key"), ocell("When")]), orow([ocell("K1"), ocell("2025-01-05")]) .replace(
        "</table:table-row>", empty + "</table:table-row>"), orow([], rep=1048570)]
    ods("ods_trailing_empty.ods", content=content_xml([("Data", rows)]))
    entry("ods_trailing_empty.ods", "rows:1", 64)
    rows = [orow([ocell("Key"), ocell("Mid"), ocell("When")]),
            orow([ocell("K1"), '<table:covered-table-cell office:value-type="string"><text:p>cov</text:p>'
                               '</table:covered-table-cell>', ocell("2025-01-05")]),
            orow([ocell("K2"), ocell("m", rep=1), ocell("2025-01-06")]), orow([], rep=3),
            orow([ocell("K2"), ocell("m"), ocell("2025-01-06")])]
    ods("ods_covered_and_gap.ods", content=content_xml([("Data", rows)]))
    entry("ods_covered_and_gap.ods", "rows:3;duplicate_keys=1", 64)

    # --- amounts: finite decimals only
    am = [["Key", "When", "Amount"], ["A1", "2025-01-05", "nan"], ["A2", "2025-01-05", "inf"],
          ["A3", "2025-01-05", "-infinity"], ["A4", "2025-01-05", "1e999"], ["A5", "2025-01-05", "0x1A"],
          ["A6", "2025-01-05", "1,234.50"], ["A7", "2025-01-05", "(12.00)"], ["A8", "2025-01-05", "1.5E+06"]]
    write_bytes("csv_amounts.csv", "".join(",".join(f'"{c}"' for c in r) + "\n" for r in am).encode())
    entry("csv_amounts.csv", "rows:8;bad_amounts=5", 64, "--amount Amount")
    rows = [[istr(f"{'ABC'[j]}{i + 1}", v) for j, v in enumerate(r)] for i, r in enumerate(am[:1])]
    for i, (k, d, a) in enumerate(am[1:]):
        rows.append([istr(f"A{i + 2}", k), istr(f"B{i + 2}", d), f'<c r="C{i + 2}"><v>{a}</v></c>'])
    xlsx("xlsx_amounts.xlsx", sheet=sheet_xml(rows))
    entry("xlsx_amounts.xlsx", "rows:8;bad_amounts=5", 64, "--amount Amount")
    rows = [orow([ocell("Key"), ocell("When"), ocell("Amount")])]
    for k, d, a in am[1:]:
        rows.append(orow([ocell(k), ocell(d), f'<table:table-cell office:value-type="float" office:value="{a}">'
                                              f'<text:p>{a}</text:p></table:table-cell>']))
    ods("ods_amounts.ods", content=content_xml([("Data", rows)]))
    entry("ods_amounts.ods", "rows:8;bad_amounts=5", 64, "--amount Amount")

    with open(os.path.join(OUT, "manifest.tsv"), "w") as f:
        for e in MANIFEST:
            f.write("\t".join(e) + "\n")
    print(len(MANIFEST))


main()
