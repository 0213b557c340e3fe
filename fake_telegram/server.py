"""The asyncio TCP server: one MTProto connection per client socket, serving a ``FakeTelegram`` world.

It runs either on a caller's loop (``FakeTelegramServer`` / ``serve``) or on its own thread
(``running_server``), so synchronous tests can drive the world while a Telethon client talks to it.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import os
import struct
import threading
from collections.abc import Iterator
from typing import Any, NamedTuple

from telethon.errors import TypeNotFoundError
from telethon.extensions import BinaryReader
from telethon.tl import functions, types
from telethon.tl.core import GzipPacked, MessageContainer, RpcResult
from telethon.tl.tlobject import TLRequest

from fake_telegram.mtproto import (
    Handshake,
    MsgIdClock,
    ProtocolError,
    decrypt_client_message,
    encode_full_packet,
    encrypt_server_message,
    read_full_packet,
    transport_error,
)
from fake_telegram.rpc import Api, CallContext, request_names
from fake_telegram.world import AuthKeyRecord, FakeTelegram, RpcFailure, now_ts, to_dt

log = logging.getLogger(__name__)

_BOOL_TRUE = struct.pack("<I", 0x997275B5)
_BOOL_FALSE = struct.pack("<I", 0xBC799737)
_VECTOR = struct.pack("<I", 0x1CB5C415)
# Answers bigger than this are sent gzip_packed, as Telegram does (file parts are never worth compressing).
GZIP_THRESHOLD = 64 * 1024
_WRAPPERS = (
    functions.InvokeWithLayerRequest,
    functions.InvokeAfterMsgRequest,
    functions.InvokeAfterMsgsRequest,
    functions.InvokeWithMessagesRangeRequest,
    functions.InvokeWithTakeoutRequest,
)


class ServerAddress(NamedTuple):
    """Where the fake listens; a client does ``client.session.set_dc(dc_id, host, port)``."""

    host: str
    port: int
    dc_id: int


def serialize_result(result: Any) -> bytes:
    """TL bytes of a handler's answer: TL objects, bools and vectors (``Vector<User>`` ...)."""
    if isinstance(result, bool):
        return _BOOL_TRUE if result else _BOOL_FALSE
    if isinstance(result, list):
        return _VECTOR + struct.pack("<i", len(result)) + b"".join(bytes(item) for item in result)
    if isinstance(result, bytes):
        return result
    data: bytes = bytes(result)
    return data


class _Connection:
    """One client socket: transport framing, the handshake, then encrypted MTProto messages."""

    def __init__(
        self, server: FakeTelegramServer, conn_id: int, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.server = server
        self.world = server.world
        self.conn_id = conn_id
        self.reader = reader
        self.writer = writer
        self.recv_seq = 0
        self.send_seq = 0
        self.key: AuthKeyRecord | None = None
        self.session_id: int | None = None
        self.content_seq = 0
        self.receive_updates = True
        self.handshake = Handshake()
        self.closed = False

    # region io

    async def run(self) -> None:
        try:
            while not self.closed:
                packet = await read_full_packet(self.reader, self.recv_seq)
                self.recv_seq += 1
                self.handle_packet(packet)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        except ProtocolError as e:
            log.info("fake Telegram: closing connection %d: %s", self.conn_id, e)
        except Exception:
            log.exception("fake Telegram: connection %d failed", self.conn_id)
        finally:
            self.close()

    def write_packet(self, payload: bytes) -> None:
        if self.closed:
            return
        self.writer.write(encode_full_packet(payload, self.send_seq))
        self.send_seq += 1

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.writer.close()
        self.server.forget(self)

    # endregion

    # region mtproto

    def handle_packet(self, packet: bytes) -> None:
        if len(packet) < 8:
            raise ProtocolError("packet too short")
        key_id = struct.unpack("<Q", packet[:8])[0]
        if key_id == 0:
            self.handle_plain(packet)
        else:
            self.handle_encrypted(key_id, packet)

    def handle_plain(self, packet: bytes) -> None:
        length = struct.unpack("<i", packet[16:20])[0]
        request = BinaryReader(packet[20 : 20 + length]).tgread_object()
        answer, new_key = self.handshake.answer(request)
        if new_key is not None:
            self.world.transport_stats["auth_key"] += 1
            self.world.register_auth_key(new_key.key, new_key.key_id)
        body = bytes(answer)
        self.write_packet(struct.pack("<qqi", 0, self.server.clock.next(True), len(body)) + body)

    def handle_encrypted(self, key_id: int, packet: bytes) -> None:
        key = self.world.auth_key(key_id)
        if key is None:
            # What Telegram does for a key it does not know: Telethon raises AuthKeyNotFound.
            self.write_packet(transport_error(404))
            self.close()
            return
        plain = decrypt_client_message(key.key, packet)
        _salt, session_id, msg_id, _seq, length = struct.unpack("<qqqii", plain[:32])
        if length < 0 or 32 + length > len(plain):
            raise ProtocolError("bad inner message length")
        self.key = key
        if session_id != self.session_id:
            self.session_id = session_id
            self.content_seq = 0
            created = types.NewSessionCreated(
                first_msg_id=msg_id,
                unique_id=int.from_bytes(os.urandom(8), "little", signed=True),
                server_salt=key.salt,
            )
            self.send(bytes(created), answer=False)
        self.process(msg_id, plain[32 : 32 + length])

    def send(self, body: bytes, *, answer: bool, content_related: bool = True) -> None:
        """Encrypt one message for this session (no-op once closed)."""
        key, session_id = self.key, self.session_id
        if key is None or session_id is None or self.closed:
            return
        if content_related:
            seq = self.content_seq * 2 + 1
            self.content_seq += 1
        else:
            seq = self.content_seq * 2
        msg_id = self.server.clock.next(answer)
        plain = struct.pack("<qqqii", key.salt, session_id, msg_id, seq, len(body)) + body
        self.write_packet(encrypt_server_message(key.key, key.key_id, plain))

    def process(self, msg_id: int, body: bytes) -> None:
        """One client message: containers and gzip are unpacked, service messages answered, requests run."""
        constructor = struct.unpack("<I", body[:4])[0] if len(body) >= 4 else 0
        if constructor == MessageContainer.CONSTRUCTOR_ID:
            self.world.transport_stats["container"] += 1
            reader = BinaryReader(body[4:])
            for _ in range(reader.read_int()):
                inner_id = reader.read_long()
                reader.read_int()  # seq_no
                inner = reader.read(reader.read_int())
                self.process(inner_id, inner)
            return
        if constructor == GzipPacked.CONSTRUCTOR_ID:
            self.world.transport_stats["gzip_in"] += 1
            self.process(msg_id, GzipPacked.read(BinaryReader(body)))
            return
        try:
            obj = BinaryReader(body).tgread_object()
        except TypeNotFoundError as e:
            log.warning("fake Telegram: unknown constructor %08x", e.invalid_constructor_id)
            self.answer(msg_id, bytes(types.RpcError(400, "INPUT_CONSTRUCTOR_INVALID")))
            return
        self.dispatch(msg_id, obj)

    def dispatch(self, msg_id: int, obj: Any) -> None:
        if isinstance(obj, types.MsgsAck | types.MsgsStateReq | types.MsgResendReq | types.HttpWait):
            return
        if isinstance(obj, functions.PingRequest | functions.PingDelayDisconnectRequest):
            # Telethon clears its keep-alive marker only for a top-level pong.
            self.send(bytes(types.Pong(msg_id=msg_id, ping_id=obj.ping_id)), answer=True)
            return
        if isinstance(obj, functions.GetFutureSaltsRequest):
            key = self.key
            assert key is not None
            now = now_ts()
            salts = [
                types.FutureSalt(
                    valid_since=to_dt(now + i * 3600), valid_until=to_dt(now + (i + 1) * 3600), salt=key.salt
                )
                for i in range(max(1, min(obj.num, 64)))
            ]
            self.send(bytes(types.FutureSalts(req_msg_id=msg_id, now=now, salts=salts)), answer=True)
            return
        if isinstance(obj, functions.DestroySessionRequest):
            cls = types.DestroySessionOk if obj.session_id == self.session_id else types.DestroySessionNone
            self.send(bytes(cls(session_id=obj.session_id)), answer=True)
            return
        if isinstance(obj, functions.DestroyAuthKeyRequest):
            if self.key is not None:
                self.send(bytes(types.DestroyAuthKeyOk()), answer=True)
                self.world.forget_auth_key(self.key.key_id)
            return
        if isinstance(obj, TLRequest):
            self.rpc(msg_id, obj)

    def unwrap(self, request: Any) -> Any:
        """Strip invokeWithLayer / initConnection / invokeWithoutUpdates / invokeAfterMsg(s) wrappers."""
        while True:
            if isinstance(request, functions.InitConnectionRequest):
                if self.key is not None:
                    self.key.api_id, self.key.device_model = request.api_id, request.device_model
            elif isinstance(request, functions.InvokeWithoutUpdatesRequest):
                self.receive_updates = False
            elif not isinstance(request, _WRAPPERS):
                return request
            request = request.query

    def rpc(self, msg_id: int, request: Any) -> None:
        key = self.key
        assert key is not None
        inner = self.unwrap(request)
        drop = self.world.take_drop(request_names(inner))
        try:
            result = self.server.api.call(CallContext(key=key, conn_id=self.conn_id), inner)
            body = serialize_result(result)
        except RpcFailure as e:
            body = bytes(types.RpcError(error_code=e.code, error_message=e.message))
        except Exception as e:
            # A bug in the fake must fail the one request loudly, not kill the connection (Telethon would
            # reconnect and resend forever). Tests can assert that ``world.server_errors`` stays empty.
            log.exception("fake Telegram: %s crashed", type(inner).__name__)
            self.world.server_errors.append(f"{type(inner).__name__}: {type(e).__name__}: {e}")
            body = bytes(types.RpcError(error_code=400, error_message="FAKE_SERVER_BUG"))
        if drop:
            log.info("fake Telegram: dropping connection %d after %s", self.conn_id, type(inner).__name__)
            self.close()
            return
        self.answer(msg_id, body, compress=not isinstance(inner, functions.upload.GetFileRequest))

    def answer(self, req_msg_id: int, body: bytes, *, compress: bool = False) -> None:
        if compress and len(body) > GZIP_THRESHOLD:
            packed = bytes(GzipPacked(body))
            if len(packed) < len(body):
                self.world.transport_stats["gzip_out"] += 1
                body = packed
        self.send(struct.pack("<Iq", RpcResult.CONSTRUCTOR_ID, req_msg_id) + body, answer=True)

    def push(self, payload: bytes) -> None:
        if self.receive_updates:
            self.world.transport_stats["push"] += 1
            self.send(payload, answer=False)

    # endregion


class FakeTelegramServer:
    """Serves ``world`` over TCP on the running loop. Use ``async with FakeTelegramServer(world) as address``."""

    def __init__(self, world: FakeTelegram, host: str = "127.0.0.1", port: int = 0) -> None:
        self.world = world
        self.host = host
        self.port = port
        self.api = Api(world)
        self.clock = MsgIdClock()
        self._server: asyncio.Server | None = None
        self._connections: dict[int, _Connection] = {}
        self._tasks: set[asyncio.Task[None]] = set()
        self._ids = itertools.count(1)
        self.address: ServerAddress | None = None

    async def start(self) -> ServerAddress:
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        sockname = self._server.sockets[0].getsockname()
        self.address = ServerAddress(self.host, int(sockname[1]), self.world.dc_id)
        self.world.attach(asyncio.get_running_loop(), self.push, self.close_all_connections, (self.host, sockname[1]))
        log.info("fake Telegram listening on %s:%d (dc %d)", *self.address)
        return self.address

    async def aclose(self) -> None:
        self.world.detach()
        if self._server is not None:
            self._server.close()
        self.close_all_connections()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._server is not None:
            with contextlib.suppress(Exception):
                await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> ServerAddress:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = _Connection(self, next(self._ids), reader, writer)
        self._connections[conn.conn_id] = conn
        task = asyncio.current_task()
        if task is not None:
            self._tasks.add(task)
        try:
            await conn.run()
        finally:
            if task is not None:
                self._tasks.discard(task)

    def forget(self, conn: _Connection) -> None:
        self._connections.pop(conn.conn_id, None)

    def push(self, user_id: int, payload: bytes, exclude_conn: int | None) -> None:
        """Deliver a serialized Updates to every live session logged in as ``user_id``."""
        for conn in list(self._connections.values()):
            key = conn.key
            if conn.conn_id != exclude_conn and key is not None and key.user_id == user_id:
                conn.push(payload)

    def close_all_connections(self) -> None:
        for conn in list(self._connections.values()):
            conn.close()

    def connection_count(self) -> int:
        return len(self._connections)


async def serve(world: FakeTelegram, host: str = "127.0.0.1", port: int = 0) -> FakeTelegramServer:
    """Start serving ``world`` on the running loop; ``await server.aclose()`` stops it."""
    server = FakeTelegramServer(world, host, port)
    await server.start()
    return server


@contextlib.contextmanager
def running_server(world: FakeTelegram, host: str = "127.0.0.1", port: int = 0) -> Iterator[ServerAddress]:
    """Run the server on a background thread with its own loop for the duration of the ``with`` block."""
    ready = threading.Event()
    state: dict[str, Any] = {}

    def main() -> None:
        loop = asyncio.new_event_loop()
        state["loop"] = loop
        server = FakeTelegramServer(world, host, port)
        stop = asyncio.Event()
        state["stop"] = stop

        async def run() -> None:
            try:
                state["address"] = await server.start()
            except BaseException as e:
                state["error"] = e
                ready.set()
                return
            ready.set()
            try:
                await stop.wait()
            finally:
                await server.aclose()

        try:
            loop.run_until_complete(run())
        finally:
            loop.close()

    thread = threading.Thread(target=main, name="fake-telegram", daemon=True)
    thread.start()
    if not ready.wait(30):
        raise RuntimeError("fake Telegram server did not start")
    if "error" in state:
        thread.join(5)
        raise state["error"]
    try:
        yield state["address"]
    finally:
        state["loop"].call_soon_threadsafe(state["stop"].set)
        thread.join(30)
