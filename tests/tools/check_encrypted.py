#!/usr/bin/python3
"""An independent reading of an encrypted engagement file (Python's hashlib scrypt and the
`cryptography` package's AES-GCM, not Tickmark's code): picks the current copy of the key header,
unwraps the engagement key with a member's initials and password, opens every page of the main file
and every frame of its WAL, and checks that page 1 is an SQLite header with 16 KiB pages and 28
reserved bytes. Prints "ok pages=N frames=M" and exits 0, or names what failed and exits 1.
Usage: check_encrypted.py FILE INITIALS PASSWORD"""
import hashlib
import struct
import sys

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PS, SLOT = 16384, 4096


def fail(msg):
    print("fail: " + msg)
    sys.exit(1)


def main(path, initials, password):
    data = open(path, "rb").read()
    slots = [data[:SLOT], data[SLOT:2 * SLOT]]
    whole = [s for s in slots if s.startswith(b"Tickmark encrypted engagement\n") and hashlib.sha256(s[:4064]).digest() == s[4064:]]
    if not whole:
        fail("no whole copy of the key header")
    hdr = max(whole, key=lambda s: struct.unpack(">Q", s[64:72])[0])
    count, file_id = struct.unpack(">I", hdr[44:48])[0], hdr[48:64]
    key = None
    for i in range(count):
        e = hdr[72 + i * 100:172 + i * 100]
        if e[8:24].rstrip(b"\0") != initials.upper().encode():
            continue
        kek = hashlib.scrypt(password.encode(), salt=e[24:40], n=2 ** 17, r=8, p=1, maxmem=256 * 1024 * 1024, dklen=32)
        try:
            key = AESGCM(kek).decrypt(e[40:52], e[52:100], b"tickmark engagement key v1\0" + file_id + e[:8] + e[8:24].rstrip(b"\0"))
        except Exception:
            continue
    if key is None:
        fail("no wrap for %s opens with that password" % initials)
    g = AESGCM(key)

    def open_page(page, aad):
        return g.decrypt(page[PS - 28:PS - 16], page[:PS - 28] + page[PS - 16:], b"TMK1" + aad)

    pages = (len(data) - 2 * SLOT) // PS
    if (len(data) - 2 * SLOT) % PS:
        fail("the file is not the header and whole pages")
    for p in range(pages):
        try:
            plain = open_page(data[2 * SLOT + p * PS:2 * SLOT + (p + 1) * PS], bytes([1]) + struct.pack(">Q", p + 1))
        except Exception:
            fail("page %d does not open" % (p + 1))
        if p == 0 and (not plain.startswith(b"SQLite format 3\0") or plain[16:18] != b"\x40\x00" or plain[20] != 28):
            fail("page 1 is not an SQLite header with 16 KiB pages and 28 reserved bytes")
    frames = 0
    try:
        wal = open(path + "-wal", "rb").read()
    except FileNotFoundError:
        wal = b""
    fs = 24 + PS
    for i in range((len(wal) - 32) // fs if len(wal) > 32 else 0):
        h = wal[32 + i * fs:32 + i * fs + 24]
        try:
            open_page(wal[32 + i * fs + 24:32 + (i + 1) * fs], bytes([2]) + struct.pack(">Q", i) + h[:8])
        except Exception:
            fail("WAL frame %d does not open" % (i + 1))
        frames += 1
    print("ok pages=%d frames=%d" % (pages, frames))


main(*sys.argv[1:4])
