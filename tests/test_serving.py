"""Served by gunicorn with the repository's gunicorn.conf.py: idle workers are woken one at a
time for a new connection (app/serving.py), not all of them."""

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import types
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


# -- turns on the cores ------------------------------------------------------------------------

#: A WSGI app that keeps the processor busy for ?<seconds> and records, across its workers, how
#: many of its requests were under way at once (a count in a file, under an flock).
TURNS_APP = '''
import fcntl, json, os, time

STATE = os.environ["TURNS_STATE"]


def _change(step):
    with open(STATE, "r+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        state = json.load(handle)
        state["running"] += step
        state["most"] = max(state["most"], state["running"])
        handle.seek(0), handle.truncate(), json.dump(state, handle)


def app(environ, start_response):
    _change(1)
    try:
        until = time.monotonic() + float(environ.get("QUERY_STRING") or "0.005")
        while time.monotonic() < until:
            pass
    finally:
        _change(-1)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"done"]
'''
#: The repository's gunicorn.conf.py, with SLOW_REQUEST set from TURNS_SLOW_REQUEST: a test on
#: a busy machine can wait on the processor for longer than the usual 20 ms.
TURNS_CONFIG = '''
import os
exec(open("gunicorn.conf.py").read())
import app.serving
app.serving.SLOW_REQUEST = float(os.environ["TURNS_SLOW_REQUEST"])
'''


@pytest.fixture
def busy_server(tmp_path):
    """Start gunicorn (the repository's gunicorn.conf.py, four workers, one core) serving
    TURNS_APP with WORKER_CORE_TURNS and SLOW_REQUEST set as asked; yield (port, read the
    state)."""
    servers = []

    def start(turns: str, slow_request: float) -> tuple[int, callable]:
        state = tmp_path / f"state-{turns}.json"
        state.write_text(json.dumps({"running": 0, "most": 0}))
        (tmp_path / "turns_app.py").write_text(TURNS_APP)
        (tmp_path / "turns.conf.py").write_text(TURNS_CONFIG)
        port = _free_port()
        environment = {**os.environ, "WEB_CONCURRENCY": "4", "WORKER_CORE_TURNS": turns,
                       "TURNS_STATE": str(state), "TURNS_SLOW_REQUEST": str(slow_request),
                       "GUNICORN_ACCESS_LOG": "/dev/null"}
        one_core = min(os.sched_getaffinity(0))
        server = subprocess.Popen(  # noqa: S603  # nosec B603 - our interpreter and arguments
            [sys.executable, "-m", "gunicorn", "-c", str(tmp_path / "turns.conf.py"),
             "--bind", f"127.0.0.1:{port}", "--pythonpath", str(tmp_path), "turns_app:app"],
            cwd=ROOT, env=environment,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=lambda: os.sched_setaffinity(0, {one_core}))  # noqa: PLW1509
        servers.append(server)
        deadline = time.monotonic() + 60
        while _get(port, "0") is None:
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail("gunicorn did not start")
            time.sleep(0.2)
        for _ in range(8):
            _get(port, "0")
        state.write_text(json.dumps({"running": 0, "most": 0}))
        return port, lambda: json.loads(state.read_text())

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=15)


def _get(port: int, seconds: str) -> float | None:
    """GET /?seconds; return when it was answered (time.monotonic), or None on failure."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", f"/?{seconds}")
        answered = connection.getresponse().status == 200
        connection.close()
    except OSError:
        return None
    return time.monotonic() if answered else None


def _at_once(port: int, seconds: list[str], gap: float = 0.0) -> list[float | None]:
    """Send one request per entry of `seconds` from threads of their own, started `gap`
    seconds apart; return when each was answered."""
    answered: list[float | None] = [None] * len(seconds)

    def send(place: int) -> None:
        answered[place] = _get(port, seconds[place])

    threads = [threading.Thread(target=send, args=(place,)) for place in range(len(seconds))]
    for thread in threads:
        thread.start()
        time.sleep(gap)
    for thread in threads:
        thread.join()
    return answered


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="Linux's processor affinity")
def test_workers_on_one_core_answer_short_requests_one_at_a_time(busy_server):
    """With turns on, four workers on one core answer 5 ms requests one after another; without
    them, the kernel switches between workers in the middle of requests. (SLOW_REQUEST is a
    second here: on a busy machine a 5 ms request can wait longer than 20 ms for the core.)"""
    port, state = busy_server("on", slow_request=1.0)
    assert None not in _at_once(port, ["0.005"] * 24)
    assert state() == {"running": 0, "most": 1}

    port, state = busy_server("off", slow_request=1.0)
    assert None not in _at_once(port, ["0.005"] * 24)
    assert state()["most"] > 1


@pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="Linux's processor affinity")
def test_a_slow_request_does_not_hold_up_the_others(busy_server):
    """A request that runs long (a big document) keeps its turn, but the workers waiting for
    one take the next connections anyway once it has run SLOW_REQUEST."""
    port, state = busy_server("on", slow_request=0.02)
    slow, quick = _at_once(port, ["1.5", "0.001"], gap=0.05)
    assert quick < slow - 0.5, (quick, slow)
    assert state()["most"] == 2


def test_the_turns_follow_the_database_unless_set():
    from app.serving import turns_wanted

    assert turns_wanted({}) is True  # the app then keeps its data in SQLite
    assert turns_wanted({"DATABASE_URL": "sqlite:////srv/groundwork.sqlite"}) is True
    assert turns_wanted({"DATABASE_URL": "postgresql+psycopg://db/groundwork"}) is False
    assert turns_wanted({"DATABASE_URL": "postgresql+psycopg://db/g",
                         "WORKER_CORE_TURNS": "On"}) is True
    assert turns_wanted({"WORKER_CORE_TURNS": "off"}) is False
    with pytest.raises(RuntimeError, match="WORKER_CORE_TURNS is 'sometimes'; it must be on, "
                                           "off or auto"):
        turns_wanted({"WORKER_CORE_TURNS": "sometimes"})


def test_a_worker_that_died_holding_a_turn_gives_it_back_through_the_master():
    """A worker killed with SIGKILL cannot give its turn back; the master finds it dead when it
    makes the next worker and gives the turn back for it."""
    from app.serving import CoreTurns

    turns = CoreTurns(1)
    worker = types.SimpleNamespace(pid=os.getpid())
    slot = turns.claim(worker)
    assert turns.take(slot, timeout=1)
    assert not turns.tokens.acquire(timeout=0.05)  # the one core's turn is held

    worker.pid = _exited_pid()  # the worker is killed
    replacement = turns.claim(types.SimpleNamespace(pid="[booting]"))
    assert replacement == slot  # its slot is free again
    assert turns.take(replacement, timeout=1)  # and so is its turn
    assert not turns.tokens.acquire(timeout=0.05)


def _exited_pid() -> int:
    process = subprocess.Popen(["true"])  # noqa: S603, S607
    process.wait()
    return process.pid
