#!/usr/bin/python3
"""Reads a workbook with openpyxl, as a user's tools would, and prints what the tests check as JSON:
the document properties, and per sheet the freeze panes, print setup, page header and footer, column
widths, date columns with their formats, and every cell (value and openpyxl's data type).

usage: xlsx_dump.py WORKBOOK.xlsx
"""
import datetime
import json
import sys

import openpyxl
from openpyxl.utils import get_column_letter


def width_of(ws, idx):
    """The width openpyxl reads for column idx (1-based); a <col> may cover a range."""
    for dim in ws.column_dimensions.values():
        lo, hi = dim.min or 0, dim.max or 0
        if lo <= idx <= hi and dim.width:
            return dim.width
    dim = ws.column_dimensions.get(get_column_letter(idx))
    return dim.width if dim is not None and dim.width else None


def cell_value(c):
    v = c.value
    if isinstance(v, (datetime.datetime, datetime.date)):
        return v.isoformat()
    return v


def main(path):
    wb = openpyxl.load_workbook(path)
    p = wb.properties
    out = {
        "properties": {
            "title": p.title, "subject": p.subject, "creator": p.creator, "keywords": p.keywords,
            "description": p.description, "category": p.category, "status": p.contentStatus,
            "created": p.created.isoformat() if p.created else None,
        },
        "sheetnames": wb.sheetnames,
        "sheets": {},
    }
    for ws in wb.worksheets:
        ps = ws.page_setup
        fit = ws.sheet_properties.pageSetUpPr
        rows = []
        date_columns = {}
        for row in ws.iter_rows():
            cells = []
            for c in row:
                cells.append([cell_value(c), c.data_type])
                if c.is_date and c.value is not None:
                    col = date_columns.setdefault(str(c.column), {"format": "", "width": width_of(ws, c.column)})
                    if len(c.number_format) > len(col["format"]):
                        col["format"] = c.number_format
            rows.append(cells)
        widths = [width_of(ws, i) for i in range(1, ws.max_column + 1)]
        out["sheets"][ws.title] = {
            "freeze_panes": ws.freeze_panes,
            "orientation": ps.orientation,
            "paper_size": int(ps.paperSize) if ps.paperSize is not None else None,
            "fit_to_page": bool(fit.fitToPage) if fit is not None else False,
            # absent means 1 (the schema's default), as Excel and LibreOffice read it
            "fit_to_width": int(ps.fitToWidth) if ps.fitToWidth is not None else 1,
            "fit_to_height": int(ps.fitToHeight) if ps.fitToHeight is not None else None,
            "print_title_rows": ws.print_title_rows,
            "auto_filter": ws.auto_filter.ref,
            "header": {"left": ws.oddHeader.left.text, "center": ws.oddHeader.center.text, "right": ws.oddHeader.right.text},
            "footer": {"left": ws.oddFooter.left.text, "center": ws.oddFooter.center.text, "right": ws.oddFooter.right.text},
            "widths": widths,
            "row_heights": {str(i): d.ht for i, d in ws.row_dimensions.items() if d.ht},
            "wrapped_columns": sorted({c.column for row in ws.iter_rows(min_row=2) for c in row
                                      if c.value is not None and c.alignment is not None and c.alignment.wrap_text}),
            "date_columns": date_columns,
            "rows": rows,
        }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
