#!/usr/bin/python3
"""Seeds for the libFuzzer harnesses, from the files the tests and the demo read.

  make_seeds.py OUTDIR

Writes OUTDIR/{csv,xlsx,ods,controls}/: the demo's data files, the workbooks tests/tools/make_sheets.py
writes, and the small files of the malformed corpus (tests/tools/make_malformed.py --quick), each in
the input format its harness reads (see the harnesses: a mode byte, then the file or its parts).
"""
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile

OUT = sys.argv[1]
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MAX = 65000
SEP = b"\xff\xfe"


def put(harness, data):
    if len(data) > MAX:
        return
    d = os.path.join(OUT, harness)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)


def xlsx_parts(path):
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            get = lambda n: z.read(n) if n in names else b""
            sheet = next((n for n in sorted(names) if n.startswith("xl/worksheets/sheet")), None)
            if not sheet:
                return None
            return SEP.join([get(sheet), get("xl/sharedStrings.xml"), get("xl/styles.xml"), get("xl/workbook.xml"),
                             get("xl/_rels/workbook.xml.rels")])
    except Exception:  # a damaged corpus file: its raw seed is enough
        return None


def ods_content(path):
    try:
        with zipfile.ZipFile(path) as z:
            return z.read("content.xml")
    except Exception:  # a damaged corpus file: its raw seed is enough
        return None


def inflated(path):
    try:
        with zipfile.ZipFile(path) as z:
            return sum(i.file_size for i in z.infolist())
    except Exception:
        return 0


def add_file(path):
    data = open(path, "rb").read()
    if inflated(path) > (2 << 20):
        return  # a bomb or a 10 MB cell: seconds per run under ASan, and the corpus test has it

    low = path.lower()
    if low.endswith(".xlsx"):
        put("xlsx", b"\x01" + data)
        parts = xlsx_parts(path)
        if parts is not None:
            put("xlsx", b"\x00" + parts)
        put("controls", data)
    elif low.endswith(".ods"):
        put("ods", b"\x01" + data)
        c = ods_content(path)
        if c is not None:
            put("ods", b"\x00" + c)
        put("controls", data)
    else:
        put("csv", data)
        put("controls", data)


with tempfile.TemporaryDirectory() as tmp:
    for kind in ("openpyxl", "shared", "ods", "beyond", "workday", "matrix"):
        ext = ".ods" if kind == "ods" else ".xlsx"
        out = os.path.join(tmp, kind + ext)
        subprocess.run(["/usr/bin/python3", os.path.join(SRC, "tests", "tools", "make_sheets.py"), kind, out], check=True)
        add_file(out)
    corpus = os.path.join(tmp, "corpus")
    subprocess.run(["/usr/bin/python3", os.path.join(SRC, "tests", "tools", "make_malformed.py"), corpus, "--quick"],
                   check=True, stdout=subprocess.DEVNULL)
    for name in sorted(os.listdir(corpus)):
        if name != "manifest.tsv":
            add_file(os.path.join(corpus, name))
for d in ("demo/data", "templates"):
    for name in sorted(os.listdir(os.path.join(SRC, d))):
        if name.endswith((".csv", ".txt", ".xlsx", ".ods")):
            add_file(os.path.join(SRC, d, name))
# Matrices as the control-import tests write them.
put("controls", b"Control ID,Description,Criteria,Frequency,Nature,Owner\nCM-01,Changes approved,CC8.1,Daily,Manual,IT\n"
                b"CM-02,\"Access, reviewed\",\"CC6.2; CC 6.3\",Quarterly,IT-dependent manual,\n")
put("controls", "ID;Activity;TSC;Frequency;Type\r\nA-1;Reviewed — quarterly;cc6.2\nCC6.3;Quarterly;Automated\r\n".encode())
for h in ("csv", "xlsx", "ods", "controls"):
    print(h, len(os.listdir(os.path.join(OUT, h))))
