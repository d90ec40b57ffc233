"""Shared tools for the benchmarks in bench/ (issue 8).

Every benchmark compares A (Groundwork) with B (a bare baseline) on the same machine in the same
run: A and B run interleaved (A B A B ...), and the figure is the median of the per-pair ratios,
because absolute times on a shared machine move by 10-30 %.

    SHORT            BENCH_SHORT=1: small data; targets are reported but not enforced
    PAIRS            pairs of A/B runs (4 normally, 2 when SHORT)
    scale(full, short)
    Sample(seconds, peak_rss_mb=None, extra={})
    interleaved(a, b, pairs=PAIRS) -> [(Sample, Sample), ...]
    median_ratio(pairs, key=..., invert=False) -> float
    report(name, ratio=, target=, met=, a=, b=, **details)
    pin_to_core(core), free_port()
    gunicorn_server(app=, workers=, env=, core=) -> base URL (context manager)
    load(base_url, targets, threads=, seconds=, requests=) -> LoadResult
    peak_rss_of_child(cmd) -> (seconds, peak RSS MB)
    postgres_database(name) -> SQLAlchemy URL of a fresh database, dropped afterwards

`report()` prints one line `NAME: ratio=0.83 target=>=0.6 A=... B=...` and records the figure;
`bench/run.py` collects the records (through BENCH_RESULTS_FILE) into bench/results.json.
"""

from __future__ import annotations

import atexit
import http.client
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

#: BENCH_SHORT=1 runs small data: the benchmarks keep working in CI, the targets are not enforced.
SHORT: bool = os.environ.get("BENCH_SHORT", "").strip().lower() in {"1", "true", "yes", "on"}
#: Pairs of interleaved A/B runs; the issue asks for at least 4.
PAIRS: int = 2 if SHORT else max(4, int(os.environ.get("BENCH_PAIRS", "4")))
#: The core the server under test runs on, and the core the load generator runs on.
SERVER_CORE = 0
LOAD_CORE = 1
#: Where report() appends one JSON line per figure (set by bench/run.py).
RESULTS_FILE_VARIABLE = "BENCH_RESULTS_FILE"
#: The PostgreSQL server the benchmarks create their databases on (the database part is
#: replaced by each benchmark's own name).
DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"

#: Every figure reported in this process, in order.
RESULTS: list[dict[str, Any]] = []


def scale(full: int, short: int) -> int:
    """Pick a data size: `short` under BENCH_SHORT=1, otherwise `full`."""
    return short if SHORT else full


@dataclass
class Sample:
    """One run of A or of B."""

    seconds: float
    peak_rss_mb: float | None = None
    extra: dict = field(default_factory=dict)


def timed(function: Callable[[], Any]) -> Sample:
    """Run `function` once and return its wall-clock time (its result goes in extra["result"])."""
    began = time.perf_counter()
    result = function()
    return Sample(time.perf_counter() - began, extra={"result": result})


def interleaved(a: Callable[[], Sample], b: Callable[[], Sample], *,
                pairs: int = PAIRS) -> list[tuple[Sample, Sample]]:
    """Run a, b, a, b, ... `pairs` times each and return the (a, b) pairs."""
    results = []
    for _ in range(pairs):
        first = a()
        second = b()
        results.append((first, second))
    return results


def median_ratio(pairs: Sequence[tuple[Sample, Sample]],
                 key: Callable[[Sample], float] = lambda sample: sample.seconds,
                 invert: bool = False) -> float:
    """The median over the pairs of key(a) / key(b), or key(b) / key(a) when `invert`.

    Use invert=True for "A must be at least x of B" on times (B's time over A's time), or
    key=throughput without invert for throughputs.
    """
    if not pairs:
        raise ValueError("No pairs to compare.")
    ratios = []
    for a, b in pairs:
        top, bottom = (key(b), key(a)) if invert else (key(a), key(b))
        ratios.append(top / bottom if bottom else float("inf"))
    return statistics.median(ratios)


def _figure(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    return str(value)


def report(name: str, *, ratio: float, target: str, met: bool, a: str, b: str,
           **details: Any) -> None:
    """Print `NAME: ratio=0.83 target=>=0.6 A=... B=...` and record the figure.

    `a` and `b` are short human-readable figures ("412 req/s"); `details` (numbers, lists,
    strings) go into results.json only.
    """
    line = f"{name}: ratio={ratio:.2f} target={target} A={a} B={b}"
    record = {"name": name, "ratio": round(ratio, 4), "target": target, "met": bool(met),
              "a": a, "b": b, "short": SHORT, "line": line,
              "details": json.loads(json.dumps(details, default=str))}
    RESULTS.append(record)
    print(line, flush=True)
    results_file = os.environ.get(RESULTS_FILE_VARIABLE)
    if results_file:
        with open(results_file, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record) + "\n")


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def can_pin() -> bool:
    return hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) >= 2


def pin_to_core(core: int) -> None:
    """Keep the calling thread (and the threads it starts afterwards) on one core, when the
    machine has at least two."""
    if can_pin():
        os.sched_setaffinity(0, {core % (os.cpu_count() or 1)})


@contextmanager
def pinned(core: int | None) -> Iterator[None]:
    """Pin the calling thread to `core` for the block, then give it back its former cores."""
    if core is None or not can_pin():
        yield
        return
    before = os.sched_getaffinity(0)
    pin_to_core(core)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server(str):
    """The base URL of a running server (a str), with its log file as `.log`."""

    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


def _get_status(base_url: str, path: str, timeout: float = 2.0) -> int | None:
    parts = urllib.parse.urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


_LOG_DIRS: list[Path] = []


def _remove_logs() -> None:  # pragma: no cover - runs at exit
    for folder in _LOG_DIRS:
        shutil.rmtree(folder, ignore_errors=True)


atexit.register(_remove_logs)


def _start_gunicorn(*, app: str, workers: int, env: dict, core: int | None, timeout: int,
                    cwd: str | Path, extra_args: Sequence[str],
                    preload: bool) -> tuple[subprocess.Popen, Server]:
    port = free_port()
    command = [PYTHON, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers",
               str(workers), "--timeout", str(timeout), *(["--preload"] if preload else []),
               *extra_args, app]
    if core is not None and can_pin() and shutil.which("taskset"):
        command = ["taskset", "-c", str(core % (os.cpu_count() or 1)), *command]
    full_env = {**os.environ, "WEB_CONCURRENCY": str(workers), **env}
    full_env.setdefault("GUNICORN_ACCESS_LOG", "/dev/null")
    log_dir = Path(tempfile.mkdtemp(prefix="bench-gunicorn-"))
    _LOG_DIRS.append(log_dir)  # kept readable after the server stops; removed at exit
    url = Server(f"http://127.0.0.1:{port}")
    url.log = log_dir / "server.log"
    with open(url.log, "wb") as log:
        process = subprocess.Popen(command, cwd=str(cwd), env=full_env, stdout=log,  # noqa: S603
                                   stderr=subprocess.STDOUT, start_new_session=True)
    return process, url


def _wait_ready(process: subprocess.Popen, url: Server, health: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped while starting:\n{url.log_text()[-3000:]}")
        if _get_status(url, health) == 200:
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"gunicorn did not answer {health} in {seconds:.0f}s:"
                               f"\n{url.log_text()[-3000:]}")
        time.sleep(0.1)


def _stop(process: subprocess.Popen) -> None:
    """Quick shutdown (SIGINT): the benchmark has no request in flight by now."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@contextmanager
def gunicorn_server(*, app: str = "wsgi:app", workers: int, env: dict,
                    core: int | None = SERVER_CORE, health: str = "/healthz",
                    timeout: int = 30, startup_seconds: float = 90.0,
                    cwd: str | Path = ROOT, extra_args: Sequence[str] = (),
                    preload: bool = False) -> Iterator[Server]:
    """Start `python -m gunicorn` on a free loopback port, wait for `health`, yield the base URL.

    `env` is added to this process's environment (DATABASE_URL, SECRET_KEY, ...). The server is
    pinned to `core` with taskset when the machine has two cores. gunicorn reads
    gunicorn.conf.py from `cwd` (the repository), as it would in production; the command line
    sets the workers and the port. Its output goes to a log file (`.log` of the yielded URL),
    so that a benchmark can look for "database is locked" afterwards. `preload` imports the app
    once before forking the workers: it only makes the start quicker.
    """
    with gunicorn_servers([dict(app=app, workers=workers, env=env, core=core, timeout=timeout,
                                cwd=cwd, extra_args=extra_args, preload=preload)],
                          health=health, startup_seconds=startup_seconds) as (url,):
        yield url


@contextmanager
def gunicorn_servers(configs: Sequence[dict], *, health: str = "/healthz",
                     startup_seconds: float = 90.0) -> Iterator[list[Server]]:
    """Start several gunicorn servers at once (each config: the keyword arguments of
    gunicorn_server), wait until all answer `health`, yield their URLs in order, stop them all."""
    defaults = dict(app="wsgi:app", core=SERVER_CORE, timeout=30, cwd=ROOT, extra_args=(),
                    preload=False)
    started: list[tuple[subprocess.Popen, Server]] = []
    try:
        for config in configs:
            started.append(_start_gunicorn(**{**defaults, **config}))
        for process, url in started:
            _wait_ready(process, url, health, startup_seconds)
        yield [url for _, url in started]
    finally:
        for process, _ in started:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process, _ in started:
            _stop(process)




# -- load generation -------------------------------------------------------------------------

class Response:
    """What a Client call returns."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers, self.body = status, headers, body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Client:
    """A tiny HTTP/1.1 client over http.client for one load thread: keeps cookies (one jar,
    names only, loopback), reconnects when the server closes the connection (gunicorn's sync
    workers close after every response), and can follow redirects."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        parts = urllib.parse.urlsplit(base_url)
        self.host, self.port, self.timeout = parts.hostname, parts.port, timeout
        self.cookies: dict[str, str] = {}
        self._connection: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _send(self, method: str, path: str, body: bytes | None,
              headers: dict[str, str]) -> Response:
        headers = dict(headers)
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self._connection is None:
                self._connection = http.client.HTTPConnection(self.host, self.port,
                                                              timeout=self.timeout)
            try:
                self._connection.request(method, path, body=body, headers=headers)
                raw = self._connection.getresponse()
                data = raw.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server had closed: only a retry on a fresh one,
                # and only before anything was answered.
                self.close()
                if attempt == 2:
                    raise
                continue
            if raw.will_close:
                self.close()
            for value in raw.headers.get_all("Set-Cookie") or []:
                pair = value.split(";", 1)[0]
                name, _, cookie = pair.partition("=")
                self.cookies[name.strip()] = cookie.strip()
            return Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, data)
        raise AssertionError("unreachable")

    def request(self, method: str, path: str, *, data: dict | Sequence | None = None,
                body: bytes | None = None, headers: dict[str, str] | None = None,
                follow: bool = False) -> Response:
        """Send one request; `data` is form-encoded (a dict or a list of pairs)."""
        headers = dict(headers or {})
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True).encode()
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        response = self._send(method, path, body, headers)
        hops = 0
        while follow and response.status in (301, 302, 303, 307, 308) and hops < 5:
            location = urllib.parse.urlsplit(response.headers.get("location", ""))
            target = location.path + (f"?{location.query}" if location.query else "")
            response = self._send("GET", target or "/", None, {})
            hops += 1
        return response

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> Response:
        return self.request("POST", path, **kwargs)


#: A load target: a path (GET), a (method, path) or (method, path, form data) tuple, or a
#: function given the thread's Client (and the running number of the call) that does one
#: transaction (several requests if it likes) and returns its status, or a list of statuses.
Target = str | tuple | Callable[[Client, int], Any]


@dataclass
class LoadResult:
    """What one load run measured. A transaction is one call of a target."""

    transactions: int
    seconds: float
    latencies_ms: list[float]
    statuses: Counter
    errors: list[str]

    @property
    def throughput(self) -> float:
        """Transactions per second."""
        return self.transactions / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return percentile(self.latencies_ms, 50)

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies_ms, 99)

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if status >= 500)

    def sample(self, **extra: Any) -> Sample:
        """This run as a Sample: seconds per transaction, with the figures in extra."""
        return Sample(seconds=self.seconds / max(self.transactions, 1),
                      extra={"throughput": self.throughput, "p50_ms": self.p50_ms,
                             "p99_ms": self.p99_ms, "transactions": self.transactions,
                             "statuses": dict(self.statuses), "errors": self.errors[:5],
                             **extra})

    def summary(self) -> str:
        return (f"{self.throughput:.0f} tx/s p50={self.p50_ms:.0f}ms p99={self.p99_ms:.0f}ms "
                f"statuses={dict(sorted(self.statuses.items()))}"
                + (f" errors={len(self.errors)}" if self.errors else ""))


def percentile(values: Sequence[float], pct: float) -> float:
    """The pct-th percentile by the nearest-rank method (0 for no values)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * pct // 100)))
    return ordered[int(rank) - 1]


def _call(client: Client, target: Target, number: int) -> list[int]:
    if callable(target):
        outcome = target(client, number)
    elif isinstance(target, str):
        outcome = client.get(target).status
    else:
        method, path, *rest = target
        outcome = client.request(method, path, data=rest[0] if rest else None).status
    if isinstance(outcome, Response):
        return [outcome.status]
    if isinstance(outcome, int):
        return [outcome]
    return [getattr(item, "status", item) for item in outcome]


def load(base_url: str, targets: Target | Iterable[Target], *, threads: int,
         seconds: float | None = None, requests: int | None = None,
         core: int | None = LOAD_CORE, warmup: int = 0) -> LoadResult:
    """Run the targets round-robin from `threads` threads until `requests` transactions are
    done or `seconds` have passed (give one of them), and measure each transaction.

    The load generator runs pinned to `core` (the other core from the server's). Each thread
    has its own Client (cookies, connection). `warmup` transactions per thread run first and
    are not counted.
    """
    if (seconds is None) == (requests is None):
        raise ValueError("Give either seconds or requests.")
    if isinstance(targets, (str, tuple)) or callable(targets):
        targets = [targets]
    targets = list(targets)
    counter = iter(range(10**12))
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors: list[str] = []
    done = 0
    start_gate = threading.Barrier(threads + 1)
    deadline = [0.0]

    def next_number() -> int | None:
        nonlocal done
        with lock:
            if requests is not None and done >= requests:
                return None
            if seconds is not None and time.perf_counter() >= deadline[0]:
                return None
            done += 1
            return next(counter)

    def worker() -> None:
        client = Client(base_url)
        for warm in range(warmup):
            try:
                _call(client, targets[warm % len(targets)], -1 - warm)
            except Exception:  # noqa: BLE001 - warm-up failures show in the run itself
                client.close()
        start_gate.wait()
        mine_latency, mine_status, mine_errors = [], Counter(), []
        while (number := next_number()) is not None:
            began = time.perf_counter()
            try:
                codes = _call(client, targets[number % len(targets)], number)
            except Exception as error:  # noqa: BLE001 - counted, not fatal
                client.close()
                mine_errors.append(f"{type(error).__name__}: {error}")
                mine_status[0] += 1
                continue
            mine_latency.append((time.perf_counter() - began) * 1000)
            mine_status.update(codes)
        client.close()
        with lock:
            latencies.extend(mine_latency)
            statuses.update(mine_status)
            errors.extend(mine_errors)

    with pinned(core):
        pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
        for thread in pool:
            thread.start()
    start_gate.wait()
    began = time.perf_counter()
    deadline[0] = began + (seconds or 0)
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - began
    return LoadResult(transactions=len(latencies), seconds=elapsed, latencies_ms=latencies,
                      statuses=statuses, errors=errors)


# -- memory ----------------------------------------------------------------------------------

#: Runs argv[2:] and writes "seconds peak_kb exit_code" to the file argv[1]. A small process
#: starts the measured one because Linux carries a parent's peak RSS into a child it forks
#: (the fork copies the memory map, and exec keeps the high-water mark): started straight from
#: a benchmark that has loaded the app, the child would report the benchmark's peak.
_RSS_HELPER = """
import os, sys, time
began = time.perf_counter()
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    code = os.waitstatus_to_exitcode(status)
    out.write(f"{time.perf_counter() - began} {usage.ru_maxrss} {code}")
"""


def peak_rss_of_child(cmd: list[str], *, env: dict | None = None,
                      cwd: str | Path = ROOT) -> tuple[float, float]:
    """Run `cmd` as a fresh process and return (seconds, its peak RSS in MB), via wait4.

    The command is started by a small helper process (see _RSS_HELPER), so the figure is the
    command's own peak and not this process's.
    """
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as result:
        subprocess.run([PYTHON, "-I", "-S", "-c", _RSS_HELPER, result.name, *cmd],  # noqa: S603
                       cwd=str(cwd), env={**os.environ, **(env or {})}, check=True)
        seconds, peak_kb, code = result.read().split()
    if int(code) != 0:
        raise subprocess.CalledProcessError(int(code), cmd)
    return float(seconds), int(peak_kb) / 1024  # Linux reports kilobytes


def peak_rss_mb() -> float:
    """This process's peak RSS so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- databases -------------------------------------------------------------------------------

def _admin_url(base: str) -> str:
    """A libpq URL for the server's `postgres` database (psql and psycopg take it)."""
    parts = urllib.parse.urlsplit(base.replace("postgresql+psycopg://", "postgresql://"))
    return urllib.parse.urlunsplit(parts._replace(path="/postgres"))


@contextmanager
def postgres_database(name: str, base_url: str | None = None) -> Iterator[str]:
    """Create a fresh PostgreSQL database `name` (dropped first if left over), yield its
    SQLAlchemy URL, and drop it at the end.

    The server comes from BENCH_DATABASE_URL (its database part is replaced by `name`), else
    postgres@127.0.0.1:5432.
    """
    import psycopg

    base = base_url or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES_URL
    admin = _admin_url(base)
    if not name.replace("_", "").isalnum():
        raise ValueError(f"Not a plain database name: {name!r}")

    def execute(statement: str) -> None:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(statement)

    execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    execute(f"CREATE DATABASE {name}")
    parts = urllib.parse.urlsplit(admin)
    url = urllib.parse.urlunsplit(parts._replace(scheme="postgresql+psycopg", path=f"/{name}"))
    try:
        yield url
    finally:
        execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def postgres_available(base_url: str | None = None) -> bool:
    """Whether the benchmark PostgreSQL server answers."""
    try:
        import psycopg

        base = base_url or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_POSTGRES_URL
        with psycopg.connect(_admin_url(base), connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means "not available"
        return False


def create_schema(database_url: str) -> None:
    """Create every table of the app in `database_url` (create_all, as the test suite does)."""
    sys.path.insert(0, str(ROOT))
    from app import create_app
    from app.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        db.engine.dispose()
