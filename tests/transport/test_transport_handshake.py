"""Unit tests of the pure handshake rules (no sockets)."""

from __future__ import annotations

import base64

import pytest

import harness.transport
from harness.ocppj.versions import OcppVersion
from harness.transport.handshake import (
    HandshakeRecord,
    IdentityError,
    basic_auth_header,
    check_basic_auth,
    choose_subprotocol,
    identity_from_path,
    judge_handshake,
    normalize_prefix,
    parse_basic_auth,
)

V16, V201, V21 = OcppVersion.V16, OcppVersion.V201, OcppVersion.V21


def test_package_exports_its_public_api_only() -> None:
    """The package re-exports a short, explicit public surface."""
    assert sorted(harness.transport.__all__) == [
        "CsmsServer",
        "HandshakeRecord",
        "OnConnect",
        "WebsocketChannel",
        "client_ssl_context",
        "connect_station",
        "server_ssl_context",
        "station_url",
    ]
    for name in harness.transport.__all__:
        assert getattr(harness.transport, name) is not None


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("/ocpp", "/ocpp"), ("ocpp/", "/ocpp"), ("/a/b/", "/a/b"), ("/", ""), ("", "")],
)
def test_normalize_prefix_keeps_one_leading_slash(prefix: str, expected: str) -> None:
    """Prefixes are compared in one canonical form."""
    assert normalize_prefix(prefix) == expected


@pytest.mark.parametrize(
    ("path", "prefix", "identity"),
    [
        ("/ocpp/CP1", "/ocpp", "CP1"),
        ("/ocpp/CP%201", "/ocpp", "CP 1"),
        ("/ocpp/Lad%C3%A9s%C3%A4ule", "/ocpp/", "Ladésäule"),
        ("/ocpp/CP%2F1", "/ocpp", "CP/1"),
        ("/ocpp/CP1?token=x", "/ocpp", "CP1"),
        ("/CP1", "", "CP1"),
        ("/a/b/CP1", "/a/b", "CP1"),
        ("/ocpp/" + "x" * 48, "/ocpp", "x" * 48),
    ],
)
def test_identity_is_the_decoded_segment_after_the_prefix(
    path: str, prefix: str, identity: str
) -> None:
    """The identity is percent-decoded as UTF-8; the query is ignored."""
    assert identity_from_path(path, prefix) == identity


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/other/CP1", 404, "not of the form '/ocpp/<identity>'"),
        ("/ocppx/CP1", 404, "not of the form"),
        ("/ocpp/CP1/extra", 404, "not of the form"),
        ("/ocpp", 400, "no station identity"),
        ("/ocpp/", 400, "no station identity"),
        ("/ocpp/" + "x" * 49, 400, "49 characters long; at most 48"),
        ("/ocpp/%FF", 400, "not percent-encoded UTF-8"),
    ],
)
def test_bad_paths_are_refused_with_a_status_and_reason(path: str, status: int, words: str) -> None:
    """A wrong prefix is 404; an empty, oversize or undecodable identity is 400."""
    with pytest.raises(IdentityError) as caught:
        identity_from_path(path, "/ocpp")
    assert caught.value.status == status
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("offered", "accepted", "chosen"),
    [
        (["ocpp1.6"], {V16}, V16),
        (["ocpp2.0.1"], {V201}, V201),
        (["ocpp2.1"], {V21}, V21),
        (["ocpp2.1", "ocpp2.0.1", "ocpp1.6"], {V16, V201, V21}, V21),
        (["ocpp1.6", "ocpp2.1"], {V16, V201, V21}, V16),
        (["foo", "ocpp2.0", "ocpp2.0.1"], {V201}, V201),
        (["ocpp2.1", "ocpp2.0.1"], {V201}, V201),
        ([], {V201}, None),
        (["foo", "OCPP2.0.1"], {V201}, None),
        (["ocpp1.6"], {V201, V21}, None),
    ],
)
def test_choose_subprotocol_takes_the_first_accepted_in_client_order(
    offered: list[str], accepted: set[OcppVersion], chosen: OcppVersion | None
) -> None:
    """Client order decides among accepted versions; unknown tokens are skipped."""
    assert choose_subprotocol(offered, accepted) is chosen


def test_basic_auth_header_round_trips_through_the_parser() -> None:
    """The header built for a station parses back into the same credentials."""
    header = basic_auth_header("CP 1", "pä:ss word")
    assert header.startswith("Basic ")
    assert parse_basic_auth(header) == ("CP 1", "pä:ss word")
    assert parse_basic_auth("basic   " + header.split(" ", 1)[1]) == ("CP 1", "pä:ss word")


def test_basic_auth_header_refuses_a_colon_in_the_username() -> None:
    """RFC 7617 Basic auth cannot carry a username with a colon."""
    with pytest.raises(ValueError, match="cannot contain ':'"):
        basic_auth_header("CP:1", "secret")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("Bearer abc", "scheme is 'Bearer'"),
        ("Basic !!!", "not valid base64"),
        ("Basic " + base64.b64encode(b"\xff\xfe:x").decode(), "not valid UTF-8"),
        ("Basic " + base64.b64encode(b"nocolon").decode(), "no ':'"),
    ],
)
def test_parse_basic_auth_names_what_is_malformed(value: str, words: str) -> None:
    """Malformed headers raise ValueError with the reason."""
    with pytest.raises(ValueError, match=words):
        parse_basic_auth(value)


def test_check_basic_auth_accepts_the_right_credentials() -> None:
    """The identity as username and the right password pass."""
    assert check_basic_auth(basic_auth_header("CP1", "s3cret-pass"), "CP1", "s3cret-pass") is None


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (None, "missing Authorization header"),
        (basic_auth_header("CP1", "wrong-guess"), "wrong password for station 'CP1'"),
        (basic_auth_header("CP2", "s3cret-pass"), "username 'CP2' does not match"),
        ("Basic " + base64.b64encode(b"s3cret-pass").decode(), "malformed Authorization"),
    ],
)
def test_check_basic_auth_explains_refusals_without_the_password(
    header: str | None, words: str
) -> None:
    """Each refusal has a reason, and no reason quotes a password."""
    reason = check_basic_auth(header, "CP1", "s3cret-pass")
    assert reason is not None
    assert words in reason
    assert "s3cret-pass" not in reason
    assert "wrong-guess" not in reason


def test_handshake_record_reads_as_one_line() -> None:
    """Records print the request, the offers and the outcome for reports."""
    refused = HandshakeRecord(
        accepted=False,
        status=401,
        path="/ocpp/CP1",
        identity="CP1",
        offered_subprotocols=("ocpp2.0.1",),
        subprotocol=None,
        authorization_present=False,
        reason="missing Authorization header",
        remote="127.0.0.1:5000",
    )
    assert str(refused) == (
        "127.0.0.1:5000 GET /ocpp/CP1 [ocpp2.0.1] without Authorization"
        " -> 401 refused: missing Authorization header"
    )


@pytest.mark.parametrize(
    ("path", "protocols", "authorization", "status", "words"),
    [
        ("/csms/CP1", ["ocpp1.6"], [], 404, "not of the form"),
        ("/ocpp/CP1", ["ocpp1.6"], [], 401, "missing Authorization"),
        ("/ocpp/CP1", ["ocpp1.6"], [basic_auth_header("CP1", "pw")], 400, "got [ocpp1.6]"),
        ("/ocpp/CP1", ["ocpp2.0.1"], [basic_auth_header("CP1", "pw")] * 2, 401, "more than one"),
        ("/ocpp/CP1", ["ocpp 2.0.1"], [basic_auth_header("CP1", "pw")], 400, "malformed"),
        ("/ocpp/CP1", ["foo, ocpp2.0.1", "ocpp1.6"], [basic_auth_header("CP1", "pw")], 101, ""),
    ],
)
def test_judge_handshake_checks_path_then_credentials_then_subprotocol(
    path: str, protocols: list[str], authorization: list[str], status: int, words: str
) -> None:
    """The first failing rule decides the status; comma-separated offers are split."""
    verdict = judge_handshake(
        path, protocols, authorization, prefix="/ocpp", versions={V201}, password="pw"
    )
    assert verdict.status == status
    assert words in verdict.reason
    assert verdict.authorization_present == bool(authorization)
    if status == 101:
        assert verdict.version is V201
        assert verdict.offered == ("foo", "ocpp2.0.1", "ocpp1.6")


def test_judge_handshake_without_password_ignores_credentials() -> None:
    """Profiles 0 and 3 (password None) accept with or without a header."""
    for authorization in ([], ["Basic garbage"]):
        verdict = judge_handshake(
            "/ocpp/CP1", ["ocpp2.0.1"], authorization, prefix="ocpp", versions={V201}, password=None
        )
        assert (verdict.status, verdict.identity, verdict.version) == (101, "CP1", V201)
