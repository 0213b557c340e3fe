"""The server half of MTProto: TCP-full framing, auth-key creation and MTProto 2.0 message encryption.

Each function mirrors a client-side counterpart in Telethon (``network/connection/tcpfull.py``,
``network/authenticator.py``, ``network/mtprotostate.py``) so that a real ``TelegramClient`` cannot tell this
server from Telegram at the protocol level.
"""

from __future__ import annotations

import asyncio
import os
import struct
import time
from dataclasses import dataclass
from hashlib import sha1, sha256
from typing import Any
from zlib import crc32

from telethon.crypto import AES, AuthKey
from telethon.extensions import BinaryReader
from telethon.helpers import generate_key_data_from_nonce
from telethon.tl import functions, types

from fake_telegram.keys import (
    DH_G,
    DH_PRIME,
    DH_PRIME_BYTES,
    byte_array,
    key_fingerprint,
    rsa_decrypt,
)

MAX_PACKET = 16 * 1024 * 1024
# pq for the proof of work: two 31-bit primes, as small as Telegram's, quick for Telethon's Pollard rho.
PQ_P = 1_500_000_001
PQ_Q = 2_000_000_011
SAFETY_RANGE = 2 ** (2048 - 64)


class ProtocolError(Exception):
    """The peer broke the protocol; the connection is closed without an answer."""


# region transport


async def read_full_packet(reader: asyncio.StreamReader, expected_seq: int) -> bytes:
    """One TCP-full packet (length, seq, payload, crc32), checked as Telegram checks it."""
    header = await reader.readexactly(8)
    length, seq = struct.unpack("<ii", header)
    if length < 12 or length > MAX_PACKET:
        raise ProtocolError(f"bad packet length {length}")
    rest = await reader.readexactly(length - 8)
    payload, checksum = rest[:-4], struct.unpack("<I", rest[-4:])[0]
    if crc32(header + payload) != checksum:
        raise ProtocolError("bad crc32")
    if seq != expected_seq:
        raise ProtocolError(f"bad transport seq {seq}, expected {expected_seq}")
    return payload


def encode_full_packet(payload: bytes, seq: int) -> bytes:
    """Frame ``payload`` for TCP-full: what ``FullPacketCodec.read_packet`` unpacks."""
    data = struct.pack("<ii", len(payload) + 12, seq) + payload
    return data + struct.pack("<I", crc32(data))


def transport_error(code: int) -> bytes:
    """The 4-byte negative code Telegram sends instead of a message (e.g. -404: unknown auth key)."""
    return struct.pack("<i", -code)


# endregion

# region encrypted messages


def _aes_key_iv(auth_key: bytes, msg_key: bytes, x: int) -> tuple[bytes, bytes]:
    """MTProto 2.0 key derivation; x = 0 for client-to-server, 8 for server-to-client (as MTProtoState)."""
    sha256a = sha256(msg_key + auth_key[x : x + 36]).digest()
    sha256b = sha256(auth_key[x + 40 : x + 76] + msg_key).digest()
    return sha256a[:8] + sha256b[8:24] + sha256a[24:32], sha256b[:8] + sha256a[8:24] + sha256b[24:32]


def decrypt_client_message(auth_key: bytes, packet: bytes) -> bytes:
    """Decrypt and authenticate one client message; returns salt..body plaintext (with padding)."""
    msg_key = packet[8:24]
    cipher = packet[24:]
    if len(cipher) % 16 or not cipher:
        raise ProtocolError("encrypted payload is not a multiple of 16 bytes")
    key, iv = _aes_key_iv(auth_key, msg_key, 0)
    plain: bytes = AES.decrypt_ige(cipher, key, iv)
    if sha256(auth_key[88:120] + plain).digest()[8:24] != msg_key:
        raise ProtocolError("msg_key mismatch")
    return plain


def encrypt_server_message(auth_key: bytes, key_id: int, plain: bytes) -> bytes:
    """Encrypt salt..body plaintext for the client, padding 12..27 bytes as Telethon does the other way."""
    padding = os.urandom(-(len(plain) + 12) % 16 + 12)
    msg_key = sha256(auth_key[96:128] + plain + padding).digest()[8:24]
    key, iv = _aes_key_iv(auth_key, msg_key, 8)
    cipher: bytes = AES.encrypt_ige(plain + padding, key, iv)
    return struct.pack("<Q", key_id) + msg_key + cipher


class MsgIdClock:
    """Server message ids: time-based, strictly increasing, odd (1 mod 4 answers, 3 mod 4 otherwise)."""

    def __init__(self) -> None:
        self._last = 0

    def next(self, answer: bool) -> int:
        now = time.time()
        base = (int(now) << 32) | (int((now % 1) * (1 << 30)) << 2)
        if base <= self._last:
            base = self._last + 4
        self._last = base
        return base | (1 if answer else 3)


# endregion

# region auth key creation


@dataclass
class NewAuthKey:
    """A freshly negotiated key (bytes as Telethon stores them) and its id."""

    key: bytes
    key_id: int


class Handshake:
    """Unencrypted auth-key creation, step by step, as ``authenticator.do_authentication`` expects it."""

    def __init__(self) -> None:
        self._nonce: int | None = None
        self._server_nonce: int | None = None
        self._new_nonce: int | None = None
        self._a = 0
        self._aes: tuple[bytes, bytes] | None = None

    def answer(self, request: Any) -> tuple[Any, NewAuthKey | None]:
        """The answer object for one plain request, and the new key once the last step succeeds."""
        if isinstance(request, functions.ReqPqMultiRequest | functions.ReqPqRequest):
            return self._res_pq(request), None
        if isinstance(request, functions.ReqDHParamsRequest):
            return self._server_dh_params(request), None
        if isinstance(request, functions.SetClientDHParamsRequest):
            return self._dh_gen(request)
        raise ProtocolError(f"unexpected plain request {type(request).__name__}")

    def _res_pq(self, request: Any) -> Any:
        self._nonce = request.nonce
        self._server_nonce = int.from_bytes(os.urandom(16), "big", signed=True)
        return types.ResPQ(
            nonce=request.nonce,
            server_nonce=self._server_nonce,
            pq=byte_array(PQ_P * PQ_Q),
            server_public_key_fingerprints=[key_fingerprint()],
        )

    def _check_nonces(self, request: Any) -> None:
        if self._nonce is None or request.nonce != self._nonce or request.server_nonce != self._server_nonce:
            raise ProtocolError("handshake nonce mismatch")

    def _server_dh_params(self, request: Any) -> Any:
        self._check_nonces(request)
        if request.public_key_fingerprint != key_fingerprint():
            raise ProtocolError("unknown RSA key fingerprint")
        data = rsa_decrypt(request.encrypted_data)
        # Telethon 1.45 uses the old scheme: sha1(data) + data + random padding.
        reader = BinaryReader(data[20:])
        inner = reader.tgread_object()
        if sha1(data[20 : 20 + reader.tell_position()]).digest() != data[:20]:
            raise ProtocolError("p_q_inner_data hash mismatch")
        if inner.nonce != self._nonce or inner.server_nonce != self._server_nonce:
            raise ProtocolError("p_q_inner_data nonce mismatch")
        if int.from_bytes(inner.p, "big") * int.from_bytes(inner.q, "big") != PQ_P * PQ_Q:
            raise ProtocolError("wrong factorisation of pq")
        self._new_nonce = inner.new_nonce
        while True:
            self._a = int.from_bytes(os.urandom(256), "big")
            g_a = pow(DH_G, self._a, DH_PRIME)
            if SAFETY_RANGE <= g_a <= DH_PRIME - SAFETY_RANGE:
                break
        answer = bytes(
            types.ServerDHInnerData(
                nonce=self._nonce,
                server_nonce=self._server_nonce,
                g=DH_G,
                dh_prime=DH_PRIME_BYTES,
                g_a=byte_array(g_a),
                server_time=int(time.time()),
            )
        )
        self._aes = generate_key_data_from_nonce(self._server_nonce, self._new_nonce)
        key, iv = self._aes
        return types.ServerDHParamsOk(
            nonce=self._nonce,
            server_nonce=self._server_nonce,
            encrypted_answer=AES.encrypt_ige(sha1(answer).digest() + answer, key, iv),
        )

    def _dh_gen(self, request: Any) -> tuple[Any, NewAuthKey | None]:
        self._check_nonces(request)
        if self._aes is None or self._new_nonce is None:
            raise ProtocolError("set_client_DH_params before req_DH_params")
        key, iv = self._aes
        plain = AES.decrypt_ige(request.encrypted_data, key, iv)
        reader = BinaryReader(plain[20:])
        inner = reader.tgread_object()
        if sha1(plain[20 : 20 + reader.tell_position()]).digest() != plain[:20]:
            raise ProtocolError("client_DH_inner_data hash mismatch")
        g_b = int.from_bytes(inner.g_b, "big")
        if not 1 < g_b < DH_PRIME - 1:
            raise ProtocolError("g_b out of range")
        auth_key = AuthKey(byte_array(pow(g_b, self._a, DH_PRIME)))
        if len(auth_key.key) < 256:
            # Telethon keeps g^ab without leading zero bytes but StringSession pads keys to 256 bytes at the end,
            # so such a key (1 in 256) would not survive a saved session. Ask for a new exchange instead.
            retry = types.DhGenRetry(
                nonce=self._nonce,
                server_nonce=self._server_nonce,
                new_nonce_hash2=auth_key.calc_new_nonce_hash(self._new_nonce, 2),
            )
            return retry, None
        answer = types.DhGenOk(
            nonce=self._nonce,
            server_nonce=self._server_nonce,
            new_nonce_hash1=auth_key.calc_new_nonce_hash(self._new_nonce, 1),
        )
        return answer, NewAuthKey(key=auth_key.key, key_id=auth_key.key_id)


# endregion
