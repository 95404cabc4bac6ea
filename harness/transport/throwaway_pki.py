"""A throwaway TLS test PKI for the harness's CSMS endpoints on the loopback interface.

What the TLS network-profile cases (TC_B_50_CS, TC_B_47_CS) name as configured
material, generated at run time so that no key is ever stored in the repository:

- the (old) CSMS root certificate, self-signed;
- the (new) CSMS root certificate 2, a CA certificate signed by the old root
  (the catalogue's prerequisite for a root that replaces another);
- a CSMS server certificate signed by each root, for ``127.0.0.1`` and
  ``localhost`` only.

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

__all__ = ["GeneratedPki", "generated_pki"]

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


def generated_pki() -> GeneratedPki:
    """The run's test PKI, generated on first use (one per process)."""
    global _made
    if _made is None:
        folder = Path(tempfile.mkdtemp(prefix="ocpp-harness-pki-"))
        atexit.register(shutil.rmtree, folder, True)
        _made = _generate(folder)
    return _made


def _generate(folder: Path) -> GeneratedPki:
    # cryptography is imported here: only a profile that asks for generated
    # material pays for it, not every run's start-up.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)

    def name(common: str) -> x509.Name:
        return x509.Name(
            [
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, "OCPP Harness test PKI"),
                x509.NameAttribute(NameOID.COMMON_NAME, common),
            ]
        )

    def issue(
        subject: str,
        key: ec.EllipticCurvePrivateKey,
        issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None,
        *,
        ca: bool,
    ) -> x509.Certificate:
        issuer_name, signer = issuer if issuer is not None else (name(subject), key)
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(subject))
            .issuer_name(issuer_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + VALIDITY)
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
            .add_extension(
                x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False
            )
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

    def write_cert(path: Path, cert: x509.Certificate) -> Path:
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        return path

    def write_key(path: Path, key: ec.EllipticCurvePrivateKey) -> Path:
        data = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        path.touch(mode=0o600)
        path.write_bytes(data)
        return path

    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(4)]
    root_key, root2_key, server_key, server2_key = keys
    root = issue("Test CSMS Root", root_key, None, ca=True)
    root2 = issue("Test CSMS Root 2", root2_key, (root.subject, root_key), ca=True)
    server = issue("127.0.0.1", server_key, (root.subject, root_key), ca=False)
    server2 = issue("127.0.0.1", server2_key, (root2.subject, root2_key), ca=False)
    return GeneratedPki(
        root=write_cert(folder / "csms-root.pem", root),
        root2=write_cert(folder / "csms-root2.pem", root2),
        server_cert=write_cert(folder / "csms-server.pem", server),
        server_key=write_key(folder / "csms-server.key", server_key),
        server2_cert=write_cert(folder / "csms-server2.pem", server2),
        server2_key=write_key(folder / "csms-server2.key", server2_key),
    )
