"""The ``[transfer]`` table: where a station downloads firmware and uploads diagnostics.

::

    [transfer]
    firmware_location = "http://files.lab:8080/charger/fw-2.4.bin"
    firmware_invalid_location = "http://files.lab:8080/charger/not-a-firmware.bin"
    diagnostics_location = "ftp://files.lab/uploads/"

The 1.6 Firmware Management cases send these locations in UpdateFirmware and
GetDiagnostics (PIXIT: <Firmware Download URL>, <Configured log location>).
With ``[embedded]`` every location a profile leaves out is served by the
harness on 127.0.0.1 for the case that needs it. For a real device the failing
locations default to the catalogue's own (an FTP server on the station's
loopback that is not there), and a case whose other location is missing is
not run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # _tables imports the model, which imports this module
    from harness.profile._tables import Table

__all__ = ["CATALOGUE_LOCATIONS", "TRANSFER_KEYS", "Transfer", "read_transfer"]

TRANSFER_KEYS = (
    "firmware_location",
    "firmware_invalid_location",
    "firmware_failing_location",
    "diagnostics_location",
    "diagnostics_failing_location",
)
"""The keys ``[transfer]`` may hold."""

#: The failing locations the catalogue itself gives (TC_044_2_CS, TC_045_2_CS step 1).
CATALOGUE_LOCATIONS = {
    "firmware_failing_location": "ftp://127.0.0.1:21/download_fail.fwi",
    "diagnostics_failing_location": "ftp://127.0.0.1:21/files/failedLocation",
}

_SCHEMES = ("http", "https", "ftp", "ftps")


@dataclass(frozen=True)
class Transfer:
    """File locations for firmware updates and diagnostics uploads (None: not given).

    Attributes:
        firmware_location: a valid firmware the station downloads and installs.
        firmware_invalid_location: a file the station downloads but cannot install.
        firmware_failing_location: a location the download fails from
            (TC_044_2_CS).
        diagnostics_location: the directory the station uploads its diagnostics to.
        diagnostics_failing_location: a location the upload fails to
            (TC_045_2_CS).

    Where the failing locations are not given, the cases use the catalogue's
    (:data:`CATALOGUE_LOCATIONS`), or, for an embedded station, the harness's
    loopback server.
    """

    firmware_location: str | None = None
    firmware_invalid_location: str | None = None
    firmware_failing_location: str | None = None
    diagnostics_location: str | None = None
    diagnostics_failing_location: str | None = None

    def location(self, key: str) -> str | None:
        """The location ``key`` (one of :data:`TRANSFER_KEYS`), or None."""
        value: str | None = getattr(self, key)
        return value


def read_transfer(table: Table) -> Transfer:
    """Read and check the ``[transfer]`` table.

    Raises:
        ConfigurationError: a location is not an http(s) or ftp(s) URL (or holds
            a user name and password).
    """
    example = '"http://files.lab:8080/fw.bin"'
    return Transfer(**{key: table.url(key, _SCHEMES, example) for key in TRANSFER_KEYS})
