"""gunicorn's sync worker, woken one at a time for a new connection (gunicorn.conf.py).

Idle sync workers wait for a connection with select() on the shared listening socket, and the
kernel wakes every one of them for each connection: one accepts it, the rest find nothing and
go back to waiting. On a machine with fewer cores than workers, each of those wake-ups takes
the processor from the worker that is answering a request, and the request then goes on with
cold processor caches. This worker waits with epoll and EPOLLEXCLUSIVE instead (Linux 4.5 or
later), which wakes one waiting worker per connection, as nginx does. Everything else is
gunicorn's SyncWorker; where epoll is missing it is the SyncWorker itself.
"""

import errno
import os
import select

from gunicorn.workers.sync import StopWaiting, SyncWorker


class ExclusiveAcceptWorker(SyncWorker):
    """SyncWorker whose idle wait wakes one worker per new connection."""

    _poller = None

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
