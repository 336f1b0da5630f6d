#!/usr/bin/python3
"""Writes the workbooks the spreadsheet tests read, with programs other than Tickmark.

  openpyxl OUT   an XLSX by openpyxl (inline strings, absolute relationship targets): sheet "Summary"
                 first, then "Items" with text, integers, decimals, a date-formatted column, a
                 date-time column, a boolean, an empty row and a formula.
  shared OUT     an XLSX assembled part by part as Excel writes it: shared strings (one rich-text,
                 one with a phonetic run), a custom date format, a formula with its cached result,
                 cells without r attributes.
  ods OUT        an OpenDocument spreadsheet with text, float, date and a repeated empty column.
  beyond OUT     an XLSX with a value to the right of the header.
  workday OUT    an XLSX as Workday exports a report: a cover sheet "How to use this workbook" first, then
                 "Terminations" with a title, a filters line and a blank row above the header on row 4,
                 text dates ("Jan 5, 2026"), names with accents, a Total row with a count, a footnote.
  matrix OUT     an XLSX control matrix: a logo line, a title, a blank row, the header on row 4, a
                 "CONTROL ENVIRONMENT" banner merged across the columns, criteria written "CC 6.2",
                 "cc6.3" and on two lines, and a footnote under the table.
"""
import datetime as dt
import sys
import zipfile

import openpyxl


def openpyxl_book(out):
    wb = openpyxl.Workbook()
    s = wb.active
    s.title = "Summary"
    s.append(["This sheet is not the data"])
    ws = wb.create_sheet("Items")
    ws.append(["Ticket", "Opened", "Amount", "Closed At", "Urgent", "Note", "Total"])
    ws.append(["T-1", dt.date(2025, 3, 14), 1250.5, dt.datetime(2025, 3, 15, 9, 30), True, "Zażółć gęślą jaźń", "=C2*2"])
    ws.append(["T-2", dt.date(2025, 12, 31), 7, dt.datetime(2026, 1, 2, 0, 0), False, "=not a formula?", None])
    ws.append([])
    ws.append(["T-3", dt.date(2024, 12, 31), 0.1, None, None, 'quote " and, comma', None])
    for row in ws.iter_rows(min_row=2):
        row[1].number_format = "yyyy-mm-dd"
        row[3].number_format = "yyyy-mm-dd hh:mm"
    ws["F3"].data_type = "s"  # keep the leading = as text
    wb.save(out)


CT = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WB = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<sheets><sheet name="Population" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WB_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""
SST = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="6" uniqueCount="6">
<si><t>Key</t></si><si><t>When</t></si><si><t>Total</t></si>
<si><r><t>Rich </t></r><r><rPr><b/></rPr><t>text</t></r></si>
<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>
<si><t xml:space="preserve">  padded  </t></si>
</sst>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts>
<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>
<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/><xf numFmtId="4" applyNumberFormat="1"/></cellXfs>
</styleSheet>"""
SHEET = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c t="s"><v>0</v></c><c t="s"><v>1</v></c><c t="s"><v>2</v></c></row>
<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" s="1"><v>45292</v></c><c r="C2" s="2"><f>1+1</f><v>2</v></c></row>
<row r="4"><c r="A4" t="s"><v>4</v></c><c r="B4" s="1"><v>45658.5</v></c><c r="C4" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row>
<row r="5"><c r="A5" t="s"><v>5</v></c><c r="B5" t="e"><v>#N/A</v></c></row>
</sheetData></worksheet>"""


def shared_book(out):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CT)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WB)
        z.writestr("xl/_rels/workbook.xml.rels", WB_RELS)
        z.writestr("xl/sharedStrings.xml", SST)
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/worksheets/sheet1.xml", SHEET)


ODS_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.2"><office:body><office:spreadsheet>
<table:table table:name="Backups">
<table:table-row><table:table-cell office:value-type="string"><text:p>Job</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>Run Date</text:p></table:table-cell>
<table:table-cell office:value-type="string"><text:p>GB</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>BK-1</text:p></table:table-cell>
<table:table-cell office:value-type="date" office:date-value="2025-02-03"><text:p>03/02/25</text:p></table:table-cell>
<table:table-cell office:value-type="float" office:value="412.5"><text:p>412.5</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>BK-2</text:p></table:table-cell>
<table:table-cell table:number-columns-repeated="1"/>
<table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"""
ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def ods_book(out):
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", ODS_CONTENT, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", ODS_MANIFEST, compress_type=zipfile.ZIP_DEFLATED)


def beyond_book(out):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Key", "Date"])
    ws.append(["A", "2025-01-01"])
    ws.append(["B", "2025-01-02", None, "stray note"])
    wb.save(out)


def workday_book(out):
    wb = openpyxl.Workbook()
    cover = wb.active
    cover.title = "How to use this workbook"
    cover.append(["How to use this workbook"])
    cover.append(["Each tab is one report. Filters are listed above each table."])
    cover.append(["Questions: hris-support@northwind.example"])
    ws = wb.create_sheet("Terminations")
    ws.append(["NORTHWIND ◆ PAYROLL CLOUD — Terminations"])
    ws.append(["Filters: Effective Date between 01/01/2026 and 03/31/2026; Company = Northwind US"])
    ws.append([])
    ws.append(["Worker ID", "Worker", "Termination Date", "Reason", "Access Removed"])
    rows = [
        ("W-1001", "José Peña", "Jan 5, 2026", "Voluntary", "Jan 5, 2026"),
        ("W-1002", "Jürgen Müller", "Feb 28, 2026", "Involuntary", "Mar 2, 2026"),
        ("W-1003", "Zoë Ångström", "Mar 31, 2026", "Voluntary", ""),
        ("W-1004", "Chloé Dubois", "Apr 1, 2026", "Retirement", "Apr 1, 2026"),
        ("W-1005", "Anaïs Nin", "Dec 31, 2025", "Voluntary", "Jan 2, 2026"),
    ]
    for r in rows:
        ws.append(list(r))
    ws.append(["Total", None, None, None, 5])
    ws.append([])
    ws.append(["* Report run by HRIS on 2026-04-02 09:14 PT"])
    wb.save(out)


def matrix_book(out):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Controls"
    ws.append(["[Northwind logo]"])
    ws.append(["Northwind Payroll Cloud — SOC 2 control matrix FY2026"])
    ws.append([])
    ws.append(["Control ID", "Control Activity", "TSC", "Frequency", "Nature", "Owner"])
    ws.append(["CONTROL ENVIRONMENT"])
    ws.merge_cells("A5:F5")
    ws.append(["CE-01", "Code of conduct acknowledged by staff", "CC 1.1", "Annual", "Manual", "HR"])
    ws.append(["LOGICAL ACCESS"])
    ws.merge_cells("A7:F7")
    ws.append(["LA-01", "Access reviewed quarterly", "cc6.2; CC6.3 ", "Quarterly", "Manual", "IT"])
    ws.append(["LA-02", "Terminated access removed", "CC6.2\nCC 6.3/CC6.5", "As needed", "Manual", "IT"])
    ws.append([])
    ws.append(["* Key controls reviewed by CISO"])
    wb.save(out)


if __name__ == "__main__":
    {"openpyxl": openpyxl_book, "shared": shared_book, "ods": ods_book, "beyond": beyond_book,
     "workday": workday_book, "matrix": matrix_book}[sys.argv[1]](sys.argv[2])
