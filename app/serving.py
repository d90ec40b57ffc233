"""gunicorn's sync worker, for a machine with fewer cores than workers (gunicorn.conf.py).

Woken one at a time. Idle sync workers wait for a connection with select() on the shared
listening socket, and the kernel wakes every one of them for each connection: one accepts it,
the rest find nothing and go back to waiting. This worker waits with epoll and EPOLLEXCLUSIVE
instead (Linux 4.5 or later), which wakes one waiting worker per connection, as nginx does.

Turns on the cores. On SQLite the database runs inside the worker, so answering a request is
processor work from its start to its end. With more workers than cores, the kernel switches
between workers in the middle of their requests, and each switch starts a Python process on
caches the others have filled: four workers on one core served about a fifth less than one
(bench P2). So a worker takes a turn on a core (one of as many as the server may use) before
it takes a connection, and keeps it while more connections wait; the other workers wait for a
turn. A request that has run longer than `SLOW_REQUEST` (a big document, say) does not hold
the rest up: waiting workers then take connections without a turn, as plain sync workers do.
On PostgreSQL a worker spends much of a request waiting for the database server, and another
worker uses the core meanwhile, so turns are off there (`WORKER_CORE_TURNS`).

Everything else is gunicorn's SyncWorker; where epoll is missing it is the SyncWorker itself.
"""

import errno
import mmap
import multiprocessing
import os
import select
import time

from gunicorn.workers.sync import StopWaiting, SyncWorker

#: How long a request may run before waiting workers stop waiting for a turn, in seconds.
SLOW_REQUEST = 0.02
#: Workers one server can give turns to; a worker beyond them serves without turns.
SLOTS = 256
#: Per worker slot in the shared table: whether it holds a turn, and when its request began.
_HOLDS, _BEGAN, _FIELDS = 0, 1, 2


def turns_wanted(environ=os.environ) -> bool:
    """WORKER_CORE_TURNS: `on`, `off`, or `auto` (the default): on when the database is SQLite
    (DATABASE_URL unset, as the app then uses SQLite, or a sqlite: URL)."""
    setting = environ.get("WORKER_CORE_TURNS", "auto").strip().lower()
    if setting == "auto":
        return environ.get("DATABASE_URL", "sqlite").startswith("sqlite")
    if setting in ("on", "off"):
        return setting == "on"
    raise RuntimeError(f"WORKER_CORE_TURNS is {setting!r}; it must be on, off or auto.")


def _cores() -> int:
    """The processor cores this server may run on (taskset and cpusets count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _alive(pid) -> bool:
    if not isinstance(pid, int):  # "[booting]": the fork never happened
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class CoreTurns:
    """The turns on the cores of one gunicorn server, made in its master before the first fork:
    a semaphore with one token per core, and per worker a slot of shared memory that says
    whether the worker holds a turn and when its current request began (0: none)."""

    def __init__(self, cores: int):
        self.tokens = multiprocessing.get_context("fork").Semaphore(cores)
        self._memory = mmap.mmap(-1, SLOTS * _FIELDS * 8)
        self.table = memoryview(self._memory).cast("q")
        self._workers: dict[int, object] = {}  # slot -> worker, kept by the master only

    def claim(self, worker) -> int | None:
        """In the master: a slot for a new worker, or None when every slot is taken. A slot
        whose worker has died is free again, and a turn it held is given back (a worker killed
        with SIGKILL cannot give it back itself)."""
        for slot, owner in list(self._workers.items()):
            if not _alive(owner.pid):
                if self.table[slot * _FIELDS + _HOLDS]:
                    self.table[slot * _FIELDS + _HOLDS] = 0
                    self.tokens.release()
                self.table[slot * _FIELDS + _BEGAN] = 0
                del self._workers[slot]
        slot = next((slot for slot in range(SLOTS) if slot not in self._workers), None)
        if slot is not None:
            self._workers[slot] = worker
        return slot

    def take(self, slot: int, timeout: float) -> bool:
        """Wait up to `timeout` seconds for a turn; return whether it came."""
        if not self.tokens.acquire(timeout=timeout):
            return False
        self.table[slot * _FIELDS + _HOLDS] = 1
        return True

    def give_back(self, slot: int) -> None:
        self.table[slot * _FIELDS + _HOLDS] = 0
        self.tokens.release()

    def began(self, slot: int, when_ns: int) -> None:
        self.table[slot * _FIELDS + _BEGAN] = when_ns

    def slow_request_running(self) -> bool:
        """Whether some worker's request has run longer than SLOW_REQUEST."""
        oldest = time.monotonic_ns() - int(SLOW_REQUEST * 1e9)
        return any(0 < began < oldest for began in self.table[_BEGAN::_FIELDS])


class ExclusiveAcceptWorker(SyncWorker):
    """SyncWorker whose idle wait wakes one worker per new connection, and whose workers take
    turns on the cores when the database is SQLite."""

    _poller = None
    #: The server's turns, made in the master by the first worker it creates (None: no turns).
    _turns: CoreTurns | None = None
    _turns_decided = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # gunicorn's master makes each worker before forking it: the turns and the slot are
        # made here so that every worker shares them.
        cls = type(self)
        if not cls._turns_decided:
            cls._turns_decided = True
            if turns_wanted():
                cls._turns = CoreTurns(_cores())
        self._slot = cls._turns.claim(self) if cls._turns is not None else None

    def run_for_one(self, timeout):
        if self._slot is None:
            return super().run_for_one(timeout)
        turns, slot, listener = self._turns, self._slot, self.sockets[0]
        holding = False
        try:
            while self.alive:
                self.notify()
                if not holding:
                    holding = self._wait_for_turn(turns, slot)
                try:
                    # Connections waiting are answered one after another on the same turn.
                    self.accept(listener)
                    continue
                except OSError as error:
                    if error.errno not in (errno.EAGAIN, errno.ECONNABORTED,
                                           errno.EWOULDBLOCK):
                        raise
                if holding:
                    turns.give_back(slot)
                    holding = False
                if not self.is_parent_alive():
                    return
                try:
                    self.wait(timeout)
                except StopWaiting:
                    return
        finally:
            if holding:
                turns.give_back(slot)

    def _wait_for_turn(self, turns: CoreTurns, slot: int) -> bool:
        """Wait for a turn; False when the wait ends without one (the worker is stopping, or
        a slow request is running and the connection should not wait for it)."""
        while self.alive:
            if turns.take(slot, SLOW_REQUEST):
                return True
            self.notify()
            if turns.slow_request_running():
                return False
        return False

    def accept(self, listener):
        if self._slot is None:
            return super().accept(listener)
        self._turns.began(self._slot, time.monotonic_ns())
        try:
            return super().accept(listener)
        finally:
            self._turns.began(self._slot, 0)

    def wait(self, timeout):
        if not hasattr(select, "EPOLLEXCLUSIVE"):
            return super().wait(timeout)
        self.notify()
        if self._poller is None:
            self._poller = select.epoll()
            self._by_fd = {}
            for waited in self.wait_fds:
                fd = waited if isinstance(waited, int) else waited.fileno()
                exclusive = 0 if waited is self.PIPE[0] else select.EPOLLEXCLUSIVE
                self._poller.register(fd, select.EPOLLIN | exclusive)
                self._by_fd[fd] = waited
        try:
            events = self._poller.poll(timeout)
        except OSError as error:
            if error.errno == errno.EINTR:
                return self.sockets
            if error.errno == errno.EBADF:
                if self.nr < 0:
                    return self.sockets
                raise StopWaiting from error
            raise
        ready = [self._by_fd[fd] for fd, _ in events if fd in self._by_fd]
        if self.PIPE[0] in ready:
            os.read(self.PIPE[0], 1)
        return ready or None
