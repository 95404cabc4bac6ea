"""The server certificate the harness's CSMS endpoints present to a station over TLS.

A station that keeps one CSMS root at a time (AdditionalRootCertificateCheck)
trusts only the profile's root 2 once TC_B_50_CS has passed, in this run or
an earlier one. When root 2 is signed by the profile's root (as the new-root
cases ask), the endpoints present root 2's server certificate with root 2 as
an intermediate: a station that trusts either root accepts it, so it reaches
the harness whichever root it has.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

__all__ = ["TlsFiles", "chained", "first_presented", "signed_by"]

_folder: Path | None = None


class TlsFiles(Protocol):
    """The TLS material a profile's ``[connection]`` names (harness.profile.Connection)."""

    @property
    def cert_file(self) -> Path | None: ...
    @property
    def key_file(self) -> Path | None: ...
    @property
    def csms_root_file(self) -> Path | None: ...
    @property
    def csms_root2_file(self) -> Path | None: ...
    @property
    def cert2_file(self) -> Path | None: ...
    @property
    def key2_file(self) -> Path | None: ...


def chained(leaf: Path, intermediates: Sequence[str]) -> Path:
    """A PEM file of the ``leaf`` certificate followed by ``intermediates`` (PEM texts).

    It holds certificates only (public), in a private temporary folder
    removed when the process ends.
    """
    global _folder
    if _folder is None:
        _folder = Path(tempfile.mkdtemp(prefix="ocpp-harness-chain-"))
        atexit.register(shutil.rmtree, _folder, True)
    pems = [leaf.read_text(encoding="ascii").strip(), *(pem.strip() for pem in intermediates)]
    path = _folder / f"chain-{len(list(_folder.iterdir()))}.pem"
    path.write_text("\n".join(pems) + "\n", encoding="ascii")
    return path


def first_presented(conn: TlsFiles) -> tuple[Path, Path] | None:
    """What both endpoints present from the start (certificate file, key file); None: no TLS.

    The profile's ``cert_file``, or root 2's chain as the module says when
    the profile names root 2 signed by its root.
    """
    if conn.cert_file is None or conn.key_file is None:
        return None
    root, root2, cert2, key2 = (
        conn.csms_root_file,
        conn.csms_root2_file,
        conn.cert2_file,
        conn.key2_file,
    )
    if root is None or root2 is None or cert2 is None or key2 is None:
        return conn.cert_file, conn.key_file
    if not signed_by(root2.read_text(encoding="ascii"), root.read_text(encoding="ascii")):
        return conn.cert_file, conn.key_file
    return chained(cert2, [root2.read_text(encoding="ascii")]), key2


def signed_by(pem: str, issuer_pem: str) -> bool:
    """Whether the certificate ``pem`` is issued and signed by ``issuer_pem``."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
    issuer = x509.load_pem_x509_certificate(issuer_pem.encode("ascii"))
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True
