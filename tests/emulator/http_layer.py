"""The HTTP layer: a threaded server on 127.0.0.1 routing /bot<token>/<method> and /file/bot<token>/<path>,
request-body decoding (JSON, form, multipart) into typed parameters, dispatch to the ``_api_<method>``
handlers, the request log, and the emulator's start/stop lifecycle.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import json
import re
import select
import socket
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from .common import (
    BOOL_FIELDS,
    CLIENT_GONE,
    INT_FIELDS,
    JSON_FIELDS,
    SEND_METHODS,
    ApiError,
    JSONDict,
    _ClientGone,
    bad_request,
)
from .records import RequestRecord

if TYPE_CHECKING:
    from .core import BotApiEmulator


class _Server(ThreadingHTTPServer):
    """ThreadingHTTPServer that tracks connections so stop() can close idle keep-alive sockets."""

    daemon_threads = True
    # The stdlib default backlog of 5 resets connections when a bot's 64 handlers connect at once.
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        """Track the connection, then serve it in a daemon thread."""
        with self.connections_lock:
            self.connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        """Forget the connection and close it."""
        with self.connections_lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Shut down every open client connection."""
        with self.connections_lock:
            sockets = list(self.connections)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    """Routes /bot<token>/<method> and /file/bot<token>/<path> to the emulator."""

    protocol_version = "HTTP/1.1"
    server_version = "BotApiEmulator/1.0"
    timeout = 30
    disable_nagle_algorithm = True  # headers and body are separate writes; Nagle would add ~40 ms each
    emulator: BotApiEmulator

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: request lines contain the token."""

    def do_GET(self) -> None:
        """Serve file downloads and GET-style method calls."""
        parts = urlsplit(self.path)
        if parts.path.startswith("/file/bot"):
            status, body, content_type = self.emulator._download(parts.path)
            self._respond(status, body, content_type)
            return
        self._call(parts.path, "application/x-www-form-urlencoded", parts.query.encode())

    def do_POST(self) -> None:
        """Serve a Bot API method call."""
        body = self._read_body()
        self._call(urlsplit(self.path).path, self.headers.get("Content-Type", ""), body)

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _call(self, path: str, content_type: str, body: bytes) -> None:
        status, payload = self.emulator._handle(path, content_type, body, self._client_alive)
        if status == CLIENT_GONE:
            self.close_connection = True
            return
        self._respond(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json")

    def _client_alive(self) -> bool:
        """Tell whether the client still holds the connection (a cancelled long poll closes it)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            return not readable or self.connection.recv(1, socket.MSG_PEEK) != b""
        except (OSError, ValueError):
            return False

    def _respond(self, status: int, body: bytes, content_type: str) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            self.close_connection = True


def _decode_params(content_type: str, body: bytes) -> tuple[JSONDict, dict[str, tuple[str, bytes]]]:
    """Decode a request body into (parameters, uploaded files by field name)."""
    files: dict[str, tuple[str, bytes]] = {}
    raw: JSONDict = {}
    ctype = content_type.split(";")[0].strip().lower()
    if not body.strip():
        return {}, files
    if ctype == "application/json":
        try:
            loaded = json.loads(body)
        except ValueError as exc:
            raise bad_request("can't parse JSON request body") from exc
        if not isinstance(loaded, dict):
            raise bad_request("request body must be a JSON object")
        raw = loaded
    elif ctype == "multipart/form-data":
        head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
        if not message.is_multipart():
            raise bad_request("can't parse multipart/form-data body")
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            decoded = part.get_payload(decode=True)
            payload = decoded if isinstance(decoded, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                files[str(name)] = (filename, payload)
            else:
                raw[str(name)] = payload.decode()
    else:
        raw = {key: values[-1] for key, values in parse_qs(body.decode(), keep_blank_values=True).items()}
    return {key: _convert(key, value) for key, value in raw.items()}, files


def _convert(key: str, value: Any) -> Any:
    """Convert one form field to its Bot API type (PTB sends nested objects as JSON strings)."""
    if not isinstance(value, str):
        return value
    if key in JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError as exc:
            what = "reply keyboard markup" if key == "reply_markup" else f'field "{key}"'
            raise bad_request(f"can't parse {what} JSON object") from exc
    if key in INT_FIELDS or (key == "chat_id" and not value.startswith("@")):
        try:
            return int(value)
        except ValueError as exc:
            raise bad_request(f'invalid integer value "{value}" for parameter {key}') from exc
    if key in BOOL_FIELDS:
        return value.lower() in ("true", "1")
    if key == "timeout":
        try:
            return float(value)
        except ValueError as exc:
            raise bad_request(f'invalid number "{value}" for parameter timeout') from exc
    return value


class HttpMixin:
    """Lifecycle, URLs and request dispatch of the emulator."""

    def start(self) -> BotApiEmulator:
        """Bind 127.0.0.1 (port 0 = a free port) and serve in a daemon thread."""
        if self._server is not None:
            raise RuntimeError("emulator already started")
        handler = type("BoundHandler", (_Handler,), {"emulator": self})
        self._stop_event.clear()
        self._server = _Server(("127.0.0.1", self._requested_port), handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="bot-api-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake long polls and delays, stop serving and close all connections."""
        server, self._server = self._server, None
        if server is None:
            return
        self._stop_event.set()
        with self._cond:
            self._cond.notify_all()
        server.shutdown()
        server.close_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> BotApiEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The TCP port the emulator listens on."""
        if self._server is None:
            raise RuntimeError("emulator not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        """Value for ApplicationBuilder.base_url / Bot(base_url=...)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for ApplicationBuilder.base_file_url / Bot(base_file_url=...)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    def _handle(
        self, path: str, content_type: str, body: bytes, client_alive: Callable[[], bool] = lambda: True
    ) -> tuple[int, JSONDict]:
        started = time.monotonic()
        match = re.fullmatch(r"/bot([^/]*)/([A-Za-z]+)", unquote(path))
        if match is None:
            return 404, ApiError(404, "Not Found").body()
        token, method = match.groups()
        params: JSONDict = {}
        polling = method.lower() == "getupdates"
        with self._cond:
            self._inflight += not polling
        try:
            if token != self.token:
                raise ApiError(401, "Unauthorized")
            params, files = _decode_params(content_type, body)
            self._apply_faults(method, params)
            if self.flood_limits is not None and method.lower() in SEND_METHODS:
                self._check_flood(params.get("chat_id"))
            handler = getattr(self, f"_api_{method.lower()}", None)
            if handler is None:
                raise bad_request(f'method "{method}" not found (the emulator does not implement it)')
            if polling:
                result = handler(params, client_alive)
            elif method.lower() in ("senddocument", "sendphoto"):
                result = handler(params, files)
            else:
                result = handler(params)
            status, payload, description = 200, {"ok": True, "result": result}, None
        except _ClientGone:
            status, payload, description = CLIENT_GONE, {}, "client closed the connection"
        except ApiError as exc:
            status, payload, description = exc.status, exc.body(), exc.description
        except Exception as exc:  # an emulator bug must surface in the test, not hang it
            self.internal_errors.append(f"{method}: {exc!r}")
            status, payload, description = 500, ApiError(500, f"Internal Server Error: {exc!r}").body(), repr(exc)
        with self._cond:
            self._inflight -= not polling
            if not polling:
                self._last_activity = time.monotonic()
            self._requests.append(RequestRecord(
                self._tick(), method, self._clock(), time.monotonic() - started, status, description, params,
            ))
            self._cond.notify_all()
        return status, payload

    def _download(self, path: str) -> tuple[int, bytes, str]:
        prefix = f"/file/bot{self.token}/"
        path = unquote(path)
        if not path.startswith(prefix):
            return 401, b'{"ok":false,"error_code":401,"description":"Unauthorized"}', "application/json"
        file_id = path[len(prefix):].split("/")[-1]
        with self._cond:
            found = self._files.get(file_id)
        if found is None:
            return 404, b'{"ok":false,"error_code":404,"description":"Not Found"}', "application/json"
        return 200, found[1], "application/octet-stream"
