"""The suite runner: one pytest run per profile, results under reports/, honest exit status."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from harness.cli import main
from harness.report.html import AllureNotFound, find_allure
from harness.suite import latest_results, run_suite

ROOT = Path(__file__).resolve().parents[1]
#: How many cases the 1.6 CSMS folder holds (every one runs against csms-1.6).
CSMS16_CASES = sum(
    len(re.findall(r"^@testcase\(", path.read_text(encoding="utf-8"), re.M))
    for path in (ROOT / "testcases" / "v16" / "csms").glob("test_*.py")
)


def test_suite_writes_allure_and_junit_per_profile(tmp_path: Path) -> None:
    """A run against a reference profile passes and leaves Allure results, JUnit XML and the
    readiness summary in its own folder of its own run."""
    runs = run_suite(["csms-1.6"], testcases=ROOT / "testcases", reports=tmp_path)
    assert [run.ok for run in runs] == [True]
    assert "passed" in runs[0].summary
    folder = runs[0].folder
    assert folder.parent.parent == tmp_path / "runs"
    assert folder.name == "csms-1.6"
    assert any(runs[0].results.glob("*-result.json"))
    assert runs[0].junit.is_file()
    assert (runs[0].readiness / "readiness.json").is_file()


def test_suite_exit_status_is_non_zero_on_failures(tmp_path: Path) -> None:
    """A mutant profile makes the command exit 1 and point at the log."""
    builtin = ROOT / "harness" / "profile" / "builtin" / "csms-1.6.toml"
    mutant = tmp_path / "mutant.toml"
    text = builtin.read_text(encoding="utf-8")
    mutant.write_text(text.replace("faults = []", 'faults = ["authorize_all"]'), encoding="utf-8")
    assert 'faults = ["authorize_all"]' in mutant.read_text(encoding="utf-8")
    status = main(
        [
            "suite",
            "--dut",
            str(mutant),
            "--testcases",
            str(ROOT / "testcases"),
            "--reports",
            str(tmp_path / "out"),
        ]
    )
    assert status == 1
    assert len(list((tmp_path / "out" / "runs").glob("*/mutant/pytest.log"))) == 1


def test_unknown_builtin_is_a_usage_error(tmp_path: Path) -> None:
    """An unknown builtin profile name is refused before anything runs."""
    assert main(["suite", "--dut", "builtin:nope", "--reports", str(tmp_path)]) == 2


def test_a_profile_with_no_case_for_its_dut_exits_zero(tmp_path: Path) -> None:
    """Only 2.0.1 cases and a 1.6 DUT: every case is deselected (pytest's exit 5), and the
    run is fine, not an error."""
    testcases = ROOT / "testcases" / "v201"
    runs = run_suite(["csms-1.6"], testcases=testcases, reports=tmp_path)
    assert runs[0].returncode == 5
    assert "deselected" in runs[0].summary
    assert "skipped" not in runs[0].summary
    assert runs[0].ok
    argv = ["suite", "--dut", "csms-1.6", "--testcases", str(testcases)]
    assert main([*argv, "--reports", str(tmp_path)]) == 0


def test_a_profile_that_cannot_start_shows_its_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A profile with a mistake: the suite prints pytest's error naming the field, not
    "no summary (see log)"."""
    broken = tmp_path / "broken.toml"
    text = '[dut]\nrole = "csms"\nocpp_version = "1.6"\nidentity = "CP1"\n[timing]\n'
    broken.write_text(text + "boot_timeout = 0\nmessage_timeout = -1\n", encoding="utf-8")
    testcases = ROOT / "testcases" / "v16" / "csms"
    runs = run_suite([str(broken)], testcases=testcases, reports=tmp_path)
    assert not runs[0].ok
    assert runs[0].returncode == 4
    assert "3 problems in the DUT profile" in runs[0].error  # url too
    argv = ["suite", "--dut", str(broken), "--testcases", str(testcases)]
    assert main([*argv, "--reports", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "[timing].boot_timeout = 0 is not allowed" in out
    assert "[timing].message_timeout = -1 is not allowed" in out
    assert "no summary" not in out


def test_two_runs_and_two_profiles_keep_their_files_apart(tmp_path: Path) -> None:
    """Two runs into one reports folder, each with two profiles of the same file name: four
    folders, each with its own results, JUnit, readiness and log; nothing overwritten."""
    builtin = ROOT / "harness" / "profile" / "builtin" / "csms-1.6.toml"
    specs = []
    for lab in ("lab1", "lab2"):
        (tmp_path / lab).mkdir()
        profile = tmp_path / lab / "csms.toml"
        profile.write_text(builtin.read_text(encoding="utf-8"), encoding="utf-8")
        specs.append(str(profile))
    testcases = ROOT / "testcases" / "v16" / "csms"
    first = run_suite(specs, testcases=testcases, reports=tmp_path / "out", jobs=1)
    second = run_suite(specs, testcases=testcases, reports=tmp_path / "out", jobs=1)
    folders = [run.folder for run in (*first, *second)]
    assert len(set(folders)) == 4
    assert [f.name for f in folders] == ["csms", "csms-2", "csms", "csms-2"]
    assert first[0].folder.parent != second[0].folder.parent
    for run in (*first, *second):
        assert run.ok, run.summary
        assert len(list(run.results.glob("*-result.json"))) == CSMS16_CASES
        assert run.junit.is_file()
        assert (run.readiness / "readiness.json").is_file()
        assert run.log.is_file()
    assert latest_results(tmp_path / "out") == [r.results for r in second]


STALLING = """
import time

from harness.testcase import testcase


@testcase("TC_001_CSMS")
def test_quick():
    pass


@testcase("TC_003_CSMS")
def test_stalls():
    time.sleep(300)
"""


def test_a_run_stopped_at_its_timeout_still_has_its_readiness(tmp_path: Path) -> None:
    """A profile's run killed at the suite's timeout: its readiness summary is there,
    rebuilt from the Allure results of the cases that finished."""
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "test_stalling.py").write_text(STALLING, encoding="utf-8")
    [run] = run_suite(["csms-1.6"], testcases=cases, reports=tmp_path, timeout=8, grace=0.1)
    assert run.timed_out
    assert not run.ok
    data = json.loads((run.readiness / "readiness.json").read_text(encoding="utf-8"))
    outcomes = {case["id"]: case["outcome"] for case in data["cases"]}
    assert outcomes["TC_001_CSMS"] == "passed"


STOPPABLE = """
import os
import subprocess
import sys
import time
from pathlib import Path


def test_blocks():
    stubborn = subprocess.Popen([sys.executable, "-c",
        "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); time.sleep(300)"])
    Path(os.environ["SUITE_PIDS"]).write_text(f"{os.getpid()} {stubborn.pid}")
    time.sleep(300)
"""


def _gone(pid: int) -> bool:
    """Whether ``pid`` has ended (a zombie waiting for init to reap it counts as ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    except FileNotFoundError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_an_interrupted_suite_stops_its_pytest_runs_and_leaves_no_process(
    tmp_path: Path, sig: signal.Signals
) -> None:
    """SIGTERM or SIGINT to the suite reaches its pytest child, which stops; a grandchild
    that ignores SIGINT is killed; the suite exits 128 + signal."""
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "test_stoppable.py").write_text(STOPPABLE, encoding="utf-8")
    pids = tmp_path / "pids"
    command = [sys.executable, "-m", "harness.cli", "suite", "--dut", "csms-1.6",
               "--testcases", str(cases), "--reports", str(tmp_path / "out")]  # fmt: skip
    suite = subprocess.Popen(command, env={**os.environ, "SUITE_PIDS": str(pids)}, cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not (pids.is_file() and pids.read_text(encoding="ascii").strip()):
            assert time.monotonic() < deadline, "the test never started"
            assert suite.poll() is None, "the suite ended before its test started"
            time.sleep(0.05)
        pytest_pid, stubborn_pid = map(int, pids.read_text(encoding="ascii").split())
        suite.send_signal(sig)
        assert suite.wait(timeout=60) == 128 + sig.value
    finally:
        if suite.poll() is None:
            suite.kill()
            suite.wait()
    deadline = time.monotonic() + 10
    while not (_gone(pytest_pid) and _gone(stubborn_pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(pytest_pid), "the pytest run outlived the suite"
    assert _gone(stubborn_pid), "a process the run started outlived the suite"


def _require_allure() -> None:
    """Skip without the Allure command line and Java, or fail when CI requires them."""
    try:
        find_allure()
        missing = "" if os.environ.get("JAVA_HOME") or shutil.which("java") else "no Java"
    except AllureNotFound as error:
        missing = str(error)
    if missing:
        if os.environ.get("OCPP_HARNESS_REQUIRE_HTML") == "1":
            pytest.fail(f"OCPP_HARNESS_REQUIRE_HTML=1, but {missing}", pytrace=False)
        pytest.skip(missing)


def _json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.timeout(110)
def test_html_report_carries_history_from_run_to_run(tmp_path: Path) -> None:
    """Two nightly runs into one report folder: the second report's trend and each test's
    history include the first run."""
    _require_allure()
    report = tmp_path / "html"
    argv = ["suite", "--dut", "csms-1.6", "--testcases", str(ROOT / "testcases" / "v16" / "csms")]
    argv += ["--reports", str(tmp_path), "--html", str(report)]
    assert main(argv) == 0
    first_trend = _json(report / "history" / "history-trend.json")
    first = {case["fullName"]: case["uid"] for case in map(_json, report.glob("data/test-cases/*"))}
    assert len(first_trend) == 1

    assert main(argv) == 0
    trend = _json(report / "history" / "history-trend.json")
    assert len(trend) == 2
    assert trend[1] == first_trend[0]  # newest first
    assert trend[0]["data"]["passed"] == CSMS16_CASES
    for case in map(_json, report.glob("data/test-cases/*")):
        earlier = [item["uid"] for item in case["extra"]["history"]["items"]]
        assert first[case["fullName"]] in earlier, f"{case['name']} lost its history"
    # this run's only
    assert len(list(latest_results(tmp_path)[0].glob("*-result.json"))) == CSMS16_CASES
