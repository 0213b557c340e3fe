"""The server side of Telegram's 2FA SRP (https://core.telegram.org/api/srp).

The client half is ``telethon.password.compute_check``; reusing its hashing helpers here means a proof is
accepted exactly when Telegram would accept it, so a wrong password really fails with PASSWORD_HASH_INVALID.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from telethon import password as tpw
from telethon.tl import types

from fake_telegram.keys import DH_G, DH_PRIME, DH_PRIME_BYTES

_MIN_BITS = 2048 - 64


def _algo(salt1: bytes, salt2: bytes) -> types.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow:
    return types.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow(
        salt1=salt1, salt2=salt2, g=DH_G, p=DH_PRIME_BYTES
    )


def _good(value: int) -> bool:
    """Telethon's ``is_good_mod_exp_first`` bounds; a server value outside them would make the client refuse."""
    diff = DH_PRIME - value
    return diff > 0 and diff.bit_length() >= _MIN_BITS and value.bit_length() >= _MIN_BITS


@dataclass
class Challenge:
    """One ``account.getPassword`` answer: the server's secret b and public B for that srp_id."""

    b: int
    big_b: bytes


@dataclass
class PasswordSecret:
    """What Telegram stores for a 2FA password: salts and the verifier v = g^x (never the password)."""

    salt1: bytes
    salt2: bytes
    v: int
    hint: str | None = None
    challenges: dict[int, Challenge] = field(default_factory=dict)

    @classmethod
    def create(cls, password: str, hint: str | None = None) -> PasswordSecret:
        """Derive the verifier once (PBKDF2 with 100000 rounds, so this takes a moment)."""
        salt1, salt2 = os.urandom(40), os.urandom(16)
        x = int.from_bytes(tpw.compute_hash(_algo(salt1, salt2), password), "big")
        return cls(salt1=salt1, salt2=salt2, v=pow(DH_G, x, DH_PRIME), hint=hint)

    @property
    def algo(self) -> types.PasswordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow:
        """The KDF parameters the client needs to hash the password the same way."""
        return _algo(self.salt1, self.salt2)

    def new_challenge(self) -> tuple[int, bytes]:
        """A fresh (srp_id, srp_B); B = k*v + g^b mod p."""
        k = int.from_bytes(tpw.sha256(tpw.num_bytes_for_hash(DH_PRIME_BYTES), tpw.big_num_for_hash(DH_G)), "big")
        while True:
            b = int.from_bytes(os.urandom(256), "big")
            g_b = pow(DH_G, b, DH_PRIME)
            if _good(g_b):
                break
        big_b = ((k * self.v + g_b) % DH_PRIME).to_bytes(256, "big")
        srp_id = int.from_bytes(os.urandom(8), "big") >> 1
        if len(self.challenges) > 16:
            self.challenges.pop(next(iter(self.challenges)))
        self.challenges[srp_id] = Challenge(b=b, big_b=big_b)
        return srp_id, big_b

    def verify(self, srp_id: int, a_bytes: bytes, m1: bytes) -> bool | None:
        """True if the proof M1 is right, False if wrong, None if srp_id is unknown (SRP_ID_INVALID)."""
        challenge = self.challenges.get(srp_id)
        if challenge is None:
            return None
        a = int.from_bytes(a_bytes, "big")
        if not 0 < a < DH_PRIME:
            return False
        a_for_hash = tpw.big_num_for_hash(a)
        b_for_hash = tpw.num_bytes_for_hash(challenge.big_b)
        u = int.from_bytes(tpw.sha256(a_for_hash, b_for_hash), "big")
        s = pow(a * pow(self.v, u, DH_PRIME) % DH_PRIME, challenge.b, DH_PRIME)
        k_hash = tpw.sha256(tpw.big_num_for_hash(s))
        expected = tpw.sha256(
            tpw.xor(tpw.sha256(tpw.num_bytes_for_hash(DH_PRIME_BYTES)), tpw.sha256(tpw.big_num_for_hash(DH_G))),
            tpw.sha256(self.salt1),
            tpw.sha256(self.salt2),
            a_for_hash,
            b_for_hash,
            k_hash,
        )
        if expected == m1:
            self.challenges.pop(srp_id, None)
            return True
        return False
