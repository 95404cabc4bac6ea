"""The reference stations' file transfers against the harness's loopback file server."""

from __future__ import annotations

import pytest

from harness.errors import NotRun
from harness.fileserver import LoopbackFileServer, TransferLocations
from harness.profile.transfer import Transfer
from harness.sim.station.file_transfer import TransferFailed, download, upload


async def test_download_and_upload_over_http() -> None:
    """A file served by GET is downloaded, and an upload by PUT lands in the upload folder."""
    with LoopbackFileServer({"/fw.bin": b"image"}, uploads=("/up/",)) as server:
        assert await download(server.url("/fw.bin"), timeout=5) == b"image"
        await upload(server.url("/up/log.txt"), b"log", timeout=5)
        assert server.received == {"/up/log.txt": b"log"}


async def test_missing_file_and_refused_upload_fail() -> None:
    """A 404 download, a 403 upload and a scheme the station does not speak are failures."""
    with LoopbackFileServer({}, refused=("/no/",)) as server:
        with pytest.raises(TransferFailed):
            await download(server.url("/missing.bin"), timeout=5)
        with pytest.raises(TransferFailed):
            await upload(server.url("/no/log.txt"), b"log", timeout=5)
    with pytest.raises(TransferFailed):
        await download("ftps://127.0.0.1:1/fw.bin", timeout=5)


async def test_ftp_to_a_closed_port_fails() -> None:
    """An FTP location nobody listens at fails (the catalogue's failing locations)."""
    with pytest.raises(TransferFailed):
        await upload("ftp://127.0.0.1:1/files/failedLocation/x.log", b"log", timeout=5)


def test_locations_come_from_the_profile_then_the_server_then_the_catalogue() -> None:
    """The profile's location wins; a missing one is served, or from the catalogue, or not run."""
    given = Transfer(firmware_location="http://files.lab/fw.bin")
    served = TransferLocations(given, {"firmware_location": "x", "diagnostics_location": "y"})
    assert served.get("firmware_location") == "http://files.lab/fw.bin"
    assert served.get("diagnostics_location") == "y"
    real = TransferLocations(given)
    assert real.get("firmware_failing_location").startswith("ftp://127.0.0.1:21/")
    with pytest.raises(NotRun, match=r"\[transfer\].diagnostics_location missing"):
        real.get("diagnostics_location")
