"""The new-CSMS-root cases in any order and again, on one station that keeps one root at a time.

TC_B_50_CS moves a station with AdditionalRootCertificateCheck to root 2 for
good; the next case must start from that root and install the next one. The
file runs twice on one reference station (``station-2.0.1-serial-rig``, A-S2),
its cases sorted by name and then the reverse, so each case follows itself
and the other one: B_47 B_47 B_50 B_50, then B_50 B_50 B_47 B_47. The same
runs from a lab's files (a real device's profile): with the key of root 2 the
harness makes the next roots; without it the cases after B_50 are not run.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import oid

from harness.transport.throwaway_pki import _issue, _write_cert, _write_key
from tests.selftest.conftest import TESTCASES, mutant_profile
from tests.selftest.proof_timing import SELFTEST_TIMING

CASES = TESTCASES / "v201" / "cs" / "test_cs201_b_tls_network.py"
#: Imported with this module, not first inside a test: pytester forgets the modules a
#: test imported, and a second import of these breaks cryptography's class checks.
PRELOADED = (x509, hashes, serialization, oid)
RAN = re.compile(r"::test_(TC_B_\d+_CS)\S* PASSED", re.MULTILINE)

#: A pytest plugin that runs the collected cases sorted by name (reversed if asked).
ORDERING = """
import os


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.name, reverse=bool(os.environ.get("REVERSED_ORDER")))
"""


def _run_twice(pytester: pytest.Pytester, profile: Path) -> pytest.RunResult:
    """The file twice on one station of ``profile``, in the order REVERSED_ORDER says."""
    pytester.makepyfile(root_case_order=ORDERING)
    return pytester.runpytest_subprocess(
        str(CASES),
        str(CASES),
        "--keep-duplicates",
        f"--dut={profile}",
        "--dut-lifetime=run",
        "-p",
        "root_case_order",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "-o",
        "addopts=",
        "-o",
        f"ocpp_reports_dir={pytester.path / 'reports'}",
        "-v",
        "-rs",
        "--timeout=120",
        timeout=280,
    )


@pytest.mark.timeout(300)
@pytest.mark.parametrize("reverse", [False, True], ids=["b47_first", "b50_first"])
def test_new_root_cases_pass_in_either_order_and_again_on_one_station(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reverse: bool
) -> None:
    """Both cases pass twice each on one A-S2 station, whichever comes first."""
    profile = mutant_profile(tmp_path, "station-2.0.1-serial-rig", (), timing=SELFTEST_TIMING)
    if reverse:
        monkeypatch.setenv("REVERSED_ORDER", "1")
    result = _run_twice(pytester, profile)
    result.assert_outcomes(passed=4)
    ran = RAN.findall(result.stdout.str())
    first, second = ("TC_B_50_CS", "TC_B_47_CS") if reverse else ("TC_B_47_CS", "TC_B_50_CS")
    assert ran == [first, first, second, second], result.stdout.str()[-3000:]


def _lab_pki(folder: Path) -> dict[str, Path]:
    """A lab's TLS files as a real device's profile names them: root, root 2 (and its key)."""
    keys = [ec.generate_private_key(ec.SECP256R1()) for _ in range(4)]
    root = _issue("Lab CSMS Root", keys[0], None, ca=True)
    root2 = _issue("Lab CSMS Root 2", keys[1], (root.subject, keys[0]), ca=True)
    server = _issue("127.0.0.1", keys[2], (root.subject, keys[0]), ca=False)
    server2 = _issue("127.0.0.1", keys[3], (root2.subject, keys[1]), ca=False)
    return {
        "csms_root_file": _write_cert(folder / "root.pem", root),
        "csms_root2_file": _write_cert(folder / "root2.pem", root2),
        "csms_root2_key_file": _write_key(folder / "root2.key", keys[1]),
        "cert_file": _write_cert(folder / "server.pem", server),
        "key_file": _write_key(folder / "server.key", keys[2]),
        "cert2_file": _write_cert(folder / "server2.pem", server2),
        "key2_file": _write_key(folder / "server2.key", keys[3]),
    }


@pytest.mark.timeout(300)
@pytest.mark.parametrize("with_key", [True, False], ids=["root2_key", "no_root2_key"])
def test_a_lab_pki_from_files_runs_the_cases_again_with_the_root2_key(
    pytester: pytest.Pytester, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, with_key: bool
) -> None:
    """From profile files, B_50 B_50 B_47 B_47 pass with csms_root2_key_file; without it, the
    cases after the first B_50 are not run, saying which key is missing."""
    files = _lab_pki(tmp_path)
    if not with_key:
        del files["csms_root2_key_file"]
    profile = mutant_profile(tmp_path, "station-2.0.1-serial-rig", (), timing=SELFTEST_TIMING)
    named = "\n".join(f'{key} = "{path}"' for key, path in files.items())
    text = profile.read_text(encoding="utf-8").replace('tls_material = "generated"', named)
    profile.write_text(text, encoding="utf-8")
    monkeypatch.setenv("REVERSED_ORDER", "1")
    result = _run_twice(pytester, profile)
    if with_key:
        result.assert_outcomes(passed=4)
        return
    result.assert_outcomes(passed=1, skipped=3)
    assert "csms_root2_key_file" in result.stdout.str()
