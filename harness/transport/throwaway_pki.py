"""A throwaway TLS test PKI for the harness's CSMS endpoints on the loopback interface.

What the TLS network-profile cases (TC_B_50_CS, TC_B_47_CS) name as configured
material, generated at run time so that no key is ever stored in the repository:

- the (old) CSMS root certificate, self-signed;
- the (new) CSMS root certificate 2, a CA certificate signed by the old root
  (the catalogue's prerequisite for a root that replaces another);
- a CSMS server certificate signed by each root, for ``127.0.0.1`` and
  ``localhost`` only;
- on demand, the next generations (root 3 signed by root 2, and so on, each
  with its server certificate): a station that keeps one CSMS root at a time
  (AdditionalRootCertificateCheck) trusts only root 2 after TC_B_50_CS, and the
  next migration needs a root signed by that one.

The files go to a private temporary folder (mode 0700) removed when the
process ends; the private keys are written there and never logged.
Certificates use ECDSA P-256 keys: they are quick to make and every TLS 1.2
stack takes them.
"""

from __future__ import annotations

import atexit
import datetime
import ipaddress
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa

__all__ = ["GeneratedPki", "generated_pki", "next_generation", "sign_with"]

#: How long the generated certificates stay valid (they live for one run).
VALIDITY = datetime.timedelta(days=2)


@dataclass(frozen=True)
class GeneratedPki:
    """The paths of the generated material (PEM files).

    Attributes:
        root: the (old) CSMS root certificate.
        root2: the (new) CSMS root certificate 2, signed by ``root``.
        server_cert: a CSMS server certificate signed by ``root``.
        server_key: its private key.
        server2_cert: a CSMS server certificate signed by ``root2`` (the leaf only).
        server2_key: its private key.
    """

    root: Path
    root2: Path
    server_cert: Path
    server_key: Path
    server2_cert: Path
    server2_key: Path


_made: GeneratedPki | None = None
#: The roots the harness can sign with (their subject and private key), by file.
_signers: dict[Path, tuple[x509.Name, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey]] = {}
#: The generation made after each root: (new root, server certificate, its key).
_next: dict[Path, tuple[Path, Path, Path]] = {}


def generated_pki() -> GeneratedPki:
    """The run's test PKI, generated on first use (one per process)."""
    global _made
    if _made is None:
        folder = Path(tempfile.mkdtemp(prefix="ocpp-harness-pki-"))
        atexit.register(shutil.rmtree, folder, True)
        _made = _generate(folder)
    return _made


def _name(common: str) -> x509.Name:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "OCPP Harness test PKI"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _issue(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey] | None,
    *,
    ca: bool,
) -> x509.Certificate:
    """A certificate for ``subject`` (a CA or a loopback server), signed by ``issuer`` or itself."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.x509.oid import ExtendedKeyUsageOID

    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    issuer_name, signer = issuer if issuer is not None else (_name(subject), key)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ca:
        usage = x509.KeyUsage(
            digital_signature=True,
            content_commitment=False,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            key_cert_sign=True,
            crl_sign=True,
            encipher_only=False,
            decipher_only=False,
        )
        builder = builder.add_extension(usage, critical=True)
    else:
        names = [
            x509.DNSName("localhost"),
            x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        ]
        builder = builder.add_extension(x509.SubjectAlternativeName(names), critical=False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(signer.public_key()),
            critical=False,
        )
    return builder.sign(signer, hashes.SHA256())


def _write_cert(path: Path, cert: x509.Certificate) -> Path:
    from cryptography.hazmat.primitives import serialization

    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> Path:
    from cryptography.hazmat.primitives import serialization

    data = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.touch(mode=0o600)
    path.write_bytes(data)
    return path


def _generate(folder: Path) -> GeneratedPki:
    from cryptography.hazmat.primitives.asymmetric import ec

    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(4)]
    root_key, root2_key, server_key, server2_key = keys
    root = _issue("Test CSMS Root", root_key, None, ca=True)
    root2 = _issue("Test CSMS Root 2", root2_key, (root.subject, root_key), ca=True)
    server = _issue("127.0.0.1", server_key, (root.subject, root_key), ca=False)
    server2 = _issue("127.0.0.1", server2_key, (root2.subject, root2_key), ca=False)
    made = GeneratedPki(
        root=_write_cert(folder / "csms-root.pem", root),
        root2=_write_cert(folder / "csms-root2.pem", root2),
        server_cert=_write_cert(folder / "csms-server.pem", server),
        server_key=_write_key(folder / "csms-server.key", server_key),
        server2_cert=_write_cert(folder / "csms-server2.pem", server2),
        server2_key=_write_key(folder / "csms-server2.key", server2_key),
    )
    _signers[made.root] = (root.subject, root_key)
    _signers[made.root2] = (root2.subject, root2_key)
    return made


def sign_with(root: Path, key_file: Path) -> None:
    """Let the harness make generations after ``root`` (a profile's root 2) with its key.

    Raises:
        ValueError: ``key_file`` holds no private key of ``root``'s kind.
    """
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    if root in _signers:
        return
    key = load_pem_private_key(key_file.read_bytes(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError(f"{key_file} holds no EC or RSA private key")
    subject = x509.load_pem_x509_certificate(root.read_bytes()).subject
    _signers[root] = (subject, key)


def next_generation(root: Path) -> tuple[Path, Path, Path] | None:
    """The generation after ``root``: a new root signed by it, and a server certificate.

    Only for a root the harness can sign with (of this process's test PKI, or
    given to :func:`sign_with`); asking twice gives the same files. They go
    to a private temporary folder, never beside the profile's files.

    Returns:
        (new root, server certificate signed by it, its key), or None when
        ``root`` is not one the harness can sign with.
    """
    if root in _next:
        return _next[root]
    signer = _signers.get(root)
    if signer is None:
        return None
    from cryptography.hazmat.primitives.asymmetric import ec

    folder = generated_pki().root.parent
    count = len(_signers) + 1
    root_key = ec.generate_private_key(ec.SECP256R1())
    server_key = ec.generate_private_key(ec.SECP256R1())
    new_root = _issue(f"Test CSMS Root {count}", root_key, signer, ca=True)
    server = _issue("127.0.0.1", server_key, (new_root.subject, root_key), ca=False)
    made = (
        _write_cert(folder / f"csms-root{count}.pem", new_root),
        _write_cert(folder / f"csms-server{count}.pem", server),
        _write_key(folder / f"csms-server{count}.key", server_key),
    )
    _signers[made[0]] = (new_root.subject, root_key)
    _next[root] = made
    return made
