"""File transfers of the reference stations: firmware downloads and diagnostics uploads.

A real charge point fetches its firmware from, and sends its logs to, the
location the CSMS gives: this module does it for the simulators over HTTP(S)
(GET; upload by PUT) and FTP (RETR; STOR), with the standard library, in a
worker thread so the station's event loop goes on meanwhile. Every failure
(refused connection, an HTTP status outside 2xx, a timeout, a scheme it does
not speak) is a :class:`TransferFailed`.
"""

from __future__ import annotations

import asyncio
import ftplib
import io
import urllib.error
import urllib.request
from urllib.parse import unquote, urlsplit

__all__ = ["SCHEMES", "TransferFailed", "download", "upload"]

#: The URL schemes the stations can transfer files with.
SCHEMES = ("http", "https", "ftp")

# A charge point talks to the location itself: no proxy from the harness's environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class TransferFailed(Exception):
    """A download or upload did not succeed."""


def _scheme(url: str) -> str:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        raise TransferFailed(f"{url}: the station does not transfer files over {scheme or '?'}")
    return scheme


def _ftp(url: str, timeout: float) -> tuple[ftplib.FTP, str]:
    parts = urlsplit(url)
    client = ftplib.FTP(timeout=timeout)
    client.connect(parts.hostname or "", parts.port or 21)
    client.login(unquote(parts.username or "anonymous"), unquote(parts.password or ""))
    return client, unquote(parts.path)


def _get(url: str, timeout: float) -> bytes:
    try:
        if _scheme(url) == "ftp":
            client, path = _ftp(url, timeout)
            with client:
                data = io.BytesIO()
                client.retrbinary(f"RETR {path}", data.write)
                return data.getvalue()
        with _OPENER.open(url, timeout=timeout) as answer:
            body: bytes = answer.read()
            return body
    except (OSError, ftplib.Error, urllib.error.URLError, ValueError) as error:
        raise TransferFailed(f"{url}: {error}") from error


def _put(url: str, data: bytes, timeout: float) -> None:
    try:
        if _scheme(url) == "ftp":
            client, path = _ftp(url, timeout)
            with client:
                client.storbinary(f"STOR {path}", io.BytesIO(data))
            return
        request = urllib.request.Request(url, data=data, method="PUT")
        request.add_header("Content-Type", "text/plain")
        with _OPENER.open(request, timeout=timeout):
            return
    except (OSError, ftplib.Error, urllib.error.URLError, ValueError) as error:
        raise TransferFailed(f"{url}: {error}") from error


async def download(url: str, *, timeout: float) -> bytes:
    """The file at ``url``.

    Raises:
        TransferFailed: the file could not be fetched.
    """
    return await asyncio.to_thread(_get, url, timeout)


async def upload(url: str, data: bytes, *, timeout: float) -> None:
    """Store ``data`` at ``url`` (the file's own URL).

    Raises:
        TransferFailed: the server refused it, or could not be reached.
    """
    await asyncio.to_thread(_put, url, data, timeout)
