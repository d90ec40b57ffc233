"""Served by gunicorn with the repository's gunicorn.conf.py: idle workers are woken one at a
time for a new connection (app/serving.py), not all of them."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wake_ups_per_request(tmp_path, *arguments: str) -> float:
    """Serve with four workers; return how often the workers were woken per request (their
    voluntary context switches) over 40 requests, one at a time with the workers idle between."""
    port = _free_port()
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path}/served.sqlite",
                   "SECRET_KEY": "served-test-secret", "WEB_CONCURRENCY": "4",
                   "GROUNDWORK_INSTANCE": str(tmp_path / "instance")}
    server = subprocess.Popen(  # noqa: S603  # nosec B603 - our own interpreter and arguments
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", *arguments,
         "wsgi:app"], cwd=ROOT, env=environment, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL)
    try:
        workers: list[str] = []
        deadline = time.monotonic() + 60
        while len(workers) < 4 or _status(port) != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("gunicorn did not start four workers")
            time.sleep(0.2)
            workers = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
        for _ in range(8):
            _status(port)  # every worker has loaded what it needs
        time.sleep(0.5)
        before = _switches(workers)
        for _ in range(40):
            assert _status(port) == 200
            time.sleep(0.02)
        return (_switches(workers) - before) / 40
    finally:
        server.terminate()
        server.wait(timeout=15)


def _status(port: int) -> int | None:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/healthz")
        status = connection.getresponse().status
        connection.close()
        return status
    except OSError:
        return None


def _switches(workers: list[str]) -> int:
    return sum(int(line.split()[1]) for pid in workers
               for line in Path(f"/proc/{pid}/status").read_text().splitlines()
               if line.startswith("voluntary_ctxt_switches"))


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads Linux's /proc")
def test_one_idle_worker_is_woken_per_connection(tmp_path):
    exclusive = _wake_ups_per_request(tmp_path)
    every_worker = _wake_ups_per_request(tmp_path, "--worker-class", "sync")
    assert exclusive < 3 < every_worker, (exclusive, every_worker)
