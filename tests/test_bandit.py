"""Bandit, the security linter, finds nothing in app/ beyond the findings bandit.yaml allows,
each with its reason; and every `# nosec` in app/ names the check it silences and says why."""

import json
import os
import re
import subprocess  # noqa: S404 (runs bandit, our own interpreter with fixed arguments)
import sys
from importlib.util import find_spec
from pathlib import Path

import pytest
import yaml

from app.config import ROOT

CONFIG = ROOT / "bandit.yaml"
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)$")
#: `# nosec B603 # why`: one or more test ids, then a comment giving the reason.
NOSEC_WITH_REASON = re.compile(r"^:?\s*B\d{3}(\s*,?\s*B\d{3})*\s*#\s*\S.{3,}$")


@pytest.fixture(scope="module")
def allowed() -> list[dict]:
    entries = yaml.safe_load(CONFIG.read_text())["allowed_findings"]
    for entry in entries:
        assert {"test_id", "file", "code", "reason"} <= set(entry), entry
        assert len(entry["reason"].split()) >= 5, f"say why this is safe: {entry}"
    return entries


@pytest.fixture(scope="module")
def findings() -> list[dict]:
    if find_spec("bandit") is None:
        message = "bandit is not installed: pip install -r requirements-dev.txt"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    finished = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "bandit", "-r", "app", "-c", str(CONFIG), "-q", "-f", "json"],
        cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert finished.stdout, finished.stderr
    report = json.loads(finished.stdout)
    assert report["errors"] == [], report["errors"]
    return report["results"]


def _flagged_line(finding: dict) -> str:
    lines = (ROOT / finding["filename"]).read_text().splitlines()
    return "\n".join(lines[number - 1] for number in finding["line_range"])


def _matches(entry: dict, finding: dict) -> bool:
    return (entry["test_id"] == finding["test_id"]
            and Path(finding["filename"]).is_relative_to(entry["file"])
            and entry["code"] in _flagged_line(finding))


def test_bandit_finds_nothing_beyond_the_allowed_findings(findings, allowed):
    unexpected = [f for f in findings if not any(_matches(entry, f) for entry in allowed)]

    assert not unexpected, "Bandit found these; fix them, or allow them in bandit.yaml with a " \
        "reason:\n" + "\n".join(
            f"{f['filename']}:{f['line_number']} {f['test_id']} {f['issue_text']}\n"
            f"    {_flagged_line(f).strip()}" for f in unexpected)


def test_every_allowed_finding_is_still_there(findings, allowed):
    stale = [entry for entry in allowed if not any(_matches(entry, f) for f in findings)]

    assert not stale, "Remove these from bandit.yaml, bandit no longer finds them:\n" + \
        "\n".join(f"{e['file']} {e['test_id']} {e['code']}" for e in stale)


def test_no_test_is_skipped_everywhere():
    assert not yaml.safe_load(CONFIG.read_text()).get("skips"), \
        "allow single findings with a reason in allowed_findings instead of skipping a test"


def test_every_nosec_in_the_app_names_its_check_and_says_why():
    bare = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            found = NOSEC.search(line)
            if found and not NOSEC_WITH_REASON.match(found.group("rest").strip()):
                bare.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")

    assert not bare, "Write `# nosec BXXX # why it is safe`:\n" + "\n".join(bare)
