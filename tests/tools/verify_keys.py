#!/usr/bin/python3
"""An independent check of Tickmark's signing keys (issue 11), from the file alone, with Python's
hashlib (scrypt) and the cryptography package (AES-256-GCM, Ed25519): not Tickmark's code.

usage: verify_keys.py ENGAGEMENT INITIALS PASSWORD
Opens the member's sealed key with the password (scrypt N=2^17, r=8, p=1; AES-256-GCM with the public
key as associated data), checks the opened private key is the recorded public key, then checks every
sign-off and every trail seal the member made, building the signed message from the documented format.
Prints "opened; N sign-offs and M seals verify" or exits 1 naming the first failure."""
import hashlib
import json
import sqlite3
import sys

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives import serialization


def message(tag, fields):
    out = tag.encode() + b"\n"
    for f in fields:
        b = f.encode()
        out += str(len(b)).encode() + b":" + b
    return out


def main():
    path, initials, password = sys.argv[1:4]
    db = sqlite3.connect(path)
    pid, record, pub = db.execute("SELECT id, password_hash, public_key FROM person WHERE initials = ?", (initials,)).fetchone()
    root = db.execute("SELECT root_key FROM engagement").fetchone()[0]
    kind, n, r, p, salt, nonce, body = record.split("$")
    assert (kind, n, r, p) == ("sealed", "131072", "8", "1"), record[:20]
    key = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=131072, r=8, p=1, maxmem=256 * 1024 * 1024, dklen=32)
    priv = AESGCM(key).decrypt(bytes.fromhex(nonce), bytes.fromhex(body), ("tickmark signing key v1:" + pub).encode())
    opened = Ed25519PrivateKey.from_private_bytes(priv).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    if opened != pub:
        sys.exit("the sealed key is not the recorded public key")
    verifier = Ed25519PublicKey.from_public_bytes(bytes.fromhex(pub))
    signoffs = seals = 0
    for wp, role, signed_at, seq, thash, digest, sig in db.execute(
            "SELECT workpaper, role, signed_at, trail_seq, trail_hash, content_digest, signature FROM signoff WHERE person_id = ?", (pid,)):
        verifier.verify(bytes.fromhex(sig), message("tickmark sign-off v1", [root, wp, role, str(pid), signed_at, str(seq), thash, digest]))
        signoffs += 1
    for seq, states, sig, thash in db.execute(
            "SELECT s.seq, s.states, s.signature, t.hash FROM trail_seal s JOIN audit_trail t ON t.seq = s.seq WHERE s.person_id = ?", (pid,)):
        json.loads(states)
        verifier.verify(bytes.fromhex(sig), message("tickmark trail seal v1", [root, str(seq), thash, str(pid), states]))
        seals += 1
    print(f"opened; {signoffs} sign-offs and {seals} seals verify")


main()
