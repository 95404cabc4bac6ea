"""Websocket endpoints configured from a DUT profile, for the judge and the reference alike.

Both the harness's CSMS role (:mod:`harness.roles`) and the reference CSMS
(:mod:`harness.sim.csms`) listen as a CSMS with the profile's
``[connection]`` settings; this module builds that server once, so neither
depends on the other.
"""

from __future__ import annotations

from harness.errors import ConfigurationError
from harness.profile import DutProfile
from harness.transport import CsmsServer, OnConnect, server_ssl_context

__all__ = ["csms_server"]


def csms_server(
    dut: DutProfile,
    *,
    host: str | None = None,
    port: int | None = None,
    on_connect: OnConnect | None = None,
) -> CsmsServer:
    """A CSMS websocket server configured from the profile's ``[connection]``.

    Security profiles 1 and 2 use the profile's Basic-auth password; 2 and 3
    the TLS certificate and key (and CA, for client certificates).

    Raises:
        ConfigurationError: TLS is required and the profile lacks its material.
    """
    conn = dut.connection
    password = conn.basic_auth_password  # the Secret: revealed only to check a handshake
    ssl = None
    if conn.security_profile in (2, 3):
        if conn.cert_file is None or conn.key_file is None:
            raise ConfigurationError(
                f"security profile {conn.security_profile} needs cert_file and key_file",
                field="connection.cert_file",
            )
        ssl = server_ssl_context(
            conn.security_profile, cert=conn.cert_file, key=conn.key_file, ca=conn.ca_file
        )
    return CsmsServer(
        versions=[dut.version],
        host=conn.host if host is None else host,
        port=conn.port if port is None else port,
        path=conn.path,
        security_profile=conn.security_profile,
        password=password,
        ssl=ssl,
        on_connect=on_connect,
    )
