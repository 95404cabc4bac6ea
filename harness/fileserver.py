"""A small HTTP file server on the loopback, for the stations' downloads and uploads.

The Firmware Management cases need a location the station under test
downloads firmware from and uploads diagnostics to. For an embedded station
the harness serves them itself (:class:`LoopbackFileServer`): files by GET,
uploads by PUT or POST into the upload folders, a 404 for anything else and a
403 for an upload into a refusing folder. It listens on 127.0.0.1 only, on an
ephemeral port, in a thread of its own, for as long as a case needs it.

:class:`TransferLocations` gives a case the locations of the DUT profile's
``[transfer]`` table, completed by the loopback server's where the profile
leaves them out, and says "not run" for a location nobody gives.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from harness.errors import NotRun
from harness.profile.transfer import CATALOGUE_LOCATIONS, TRANSFER_KEYS, Transfer

__all__ = ["LoopbackFileServer", "TransferLocations"]

_MAX_UPLOAD = 16 * 1024 * 1024


class LoopbackFileServer:
    """An HTTP server on 127.0.0.1: ``files`` to download, ``uploads`` folders to upload into.

    Args:
        files: path -> content, served by GET.
        uploads: folders (``/name/``) a PUT or POST may store a file into.
        refused: folders whose uploads are answered 403.

    Use it as a context manager; :attr:`received` holds the uploaded files.
    """

    def __init__(
        self,
        files: Mapping[str, bytes],
        *,
        uploads: Iterable[str] = (),
        refused: Iterable[str] = (),
    ) -> None:
        self.files = dict(files)
        self.uploads = tuple(uploads)
        self.refused = tuple(refused)
        self.received: dict[str, bytes] = {}
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="loopback-file-server",
            daemon=True,
        )

    def url(self, path: str) -> str:
        """The server's URL for ``path`` (which starts with ``/``)."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}{path}"

    def __enter__(self) -> LoopbackFileServer:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                content = server.files.get(self.path)
                if content is None:
                    self._answer(404)
                    return
                self._answer(200, content)

            def do_PUT(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if any(self.path.startswith(folder) for folder in server.refused):
                    self._answer(403)
                    return
                if not any(self.path.startswith(f) for f in server.uploads) or length > _MAX_UPLOAD:
                    self._answer(404)
                    return
                body = self.rfile.read(length)
                with server._lock:
                    server.received[self.path] = body
                self._answer(201)

            do_POST = do_PUT

            def _answer(self, code: int, body: bytes = b"") -> None:
                self.send_response(code)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if body:
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet: the case's trace shows what the station did."""

        return Handler


@dataclass(frozen=True)
class TransferLocations:
    """The locations a Firmware Management case sends, by ``[transfer]`` key.

    Attributes:
        given: the profile's ``[transfer]`` table.
        served: locations the harness serves itself (embedded DUTs), by key.
        server: the loopback server serving them, if any.
    """

    given: Transfer
    served: Mapping[str, str] = field(default_factory=dict)
    server: LoopbackFileServer | None = None

    def get(self, key: str) -> str:
        """The location ``key`` (one of ``[transfer]``'s keys).

        Raises:
            NotRun: nobody gives that location.
        """
        if key not in TRANSFER_KEYS:
            raise KeyError(key)
        value = self.given.location(key) or self.served.get(key) or CATALOGUE_LOCATIONS.get(key)
        if value is None:
            raise NotRun(f"[transfer].{key} missing: the location for the station to use")
        return value
