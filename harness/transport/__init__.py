"""Websocket transport for both roles of an OCPP-J connection.

- :class:`CsmsServer` plays the CSMS: stations connect to it.
- :func:`connect_station` plays the charging station: it connects to a CSMS.
- Both deliver a :class:`WebsocketChannel`, the engine's ``Channel``.
- :func:`server_ssl_context` and :func:`client_ssl_context` build the TLS
  contexts of security profiles 2 and 3.
"""

from __future__ import annotations

from harness.transport.channel import WebsocketChannel
from harness.transport.client import connect_station, station_url
from harness.transport.handshake import HandshakeRecord
from harness.transport.server import CsmsServer, OnConnect
from harness.transport.tls import client_ssl_context, server_ssl_context

__all__ = [
    "CsmsServer",
    "HandshakeRecord",
    "OnConnect",
    "WebsocketChannel",
    "client_ssl_context",
    "connect_station",
    "server_ssl_context",
    "station_url",
]
