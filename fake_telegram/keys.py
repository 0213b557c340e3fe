"""Server-side key material: the committed test RSA key and the Diffie-Hellman group.

Telethon only talks to servers whose RSA public key it knows, so the fake server ships a fixed test key pair
(``test_server_key.pem``) and tests hand the public half to ``telethon.crypto.rsa.add_key``. The key guards
nothing; it exists only so the auth-key handshake runs exactly as against Telegram.
"""

from __future__ import annotations

import struct
from functools import cache
from hashlib import sha1
from pathlib import Path

import rsa
from telethon.tl.tlobject import TLObject

KEY_PATH = Path(__file__).with_name("test_server_key.pem")

# Telegram's published 2048-bit safe prime (https://core.telegram.org/mtproto/auth_key), used with g = 3 both for
# the auth-key exchange and for 2FA SRP, because Telethon's password check recognises it without factorising.
DH_PRIME_BYTES = bytes.fromhex(
    "C71CAEB9C6B1C9048E6C522F70F13F73980D40238E3E21C14934D037563D930F"
    "48198A0AA7C14058229493D22530F4DBFA336F6E0AC925139543AED44CCE7C37"
    "20FD51F69458705AC68CD4FE6B6B13ABDC9746512969328454F18FAF8C595F64"
    "2477FE96BB2A941D5BCD1D4AC8CC49880708FA9B378E3C4F3A9060BEE67CF9A4"
    "A4A695811051907E162753B56B0F6B410DBA74D8A84B2A14B3144E0EF1284754"
    "FD17ED950D5965B4B9DD46582DB1178D169C6BC465B0D6FF9CA3928FEF5B9AE4"
    "E418FC15E83EBEA0F87FA9FF5EED70050DED2849F47BF959D956850CE929851F"
    "0D8115F635B105EE2E4E15D04B2454BF6F4FADF034B10403119CD8E3B92FCC5B"
)
DH_PRIME = int.from_bytes(DH_PRIME_BYTES, "big")
DH_G = 3


def byte_array(value: int) -> bytes:
    """Big-endian bytes of minimal length, as Telethon's ``rsa.get_byte_array`` (auth keys depend on it)."""
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


@cache
def private_key() -> rsa.PrivateKey:
    """The committed test key, loaded once."""
    return rsa.PrivateKey.load_pkcs1(KEY_PATH.read_bytes())


def public_key_pem() -> bytes:
    """PKCS#1 PEM of the test public key: what ``telethon.crypto.rsa.add_key(pem, old=False)`` accepts."""
    key = private_key()
    pem: bytes = rsa.PublicKey(key.n, key.e).save_pkcs1()
    return pem


@cache
def key_fingerprint() -> int:
    """Telegram's fingerprint (low 64 bits of SHA1 over the TL-serialised n and e), as Telethon computes it."""
    key = private_key()
    data = TLObject.serialize_bytes(byte_array(key.n)) + TLObject.serialize_bytes(byte_array(key.e))
    value: int = struct.unpack("<q", sha1(data).digest()[-8:])[0]
    return value


def rsa_decrypt(cipher: bytes) -> bytes:
    """Raw RSA (no padding) with the private key, via CRT because the machine is slow; 255 bytes out."""
    key = private_key()
    c = int.from_bytes(cipher, "big")
    m1 = pow(c, key.exp1, key.p)
    m2 = pow(c, key.exp2, key.q)
    h = (key.coef * (m1 - m2)) % key.p
    m = m2 + h * key.q
    return m.to_bytes(256, "big")[1:]
