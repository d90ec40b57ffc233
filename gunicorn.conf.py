"""gunicorn settings for Groundwork; gunicorn reads this file from the working directory.

    .venv/bin/gunicorn --bind 127.0.0.1:8000 wsgi:app

- No `Server` header: gunicorn would announce itself; the app announces nothing either.
- Access lines carry no client address, no user agent, no referrer and no query string:
  people answering public forms are anonymous, and a query string can carry a language or a
  token. Each line is the time, method, path, status, size and duration.
- The app is loaded once, before the workers are forked (`preload_app`), and everything it
  made then is frozen out of the garbage collector (`gc.freeze()`, as Python's documentation
  advises for forking servers): the workers' collections never touch those objects, so the
  workers keep sharing their memory instead of each copying it, and several workers on one
  core pay less for switching between them (bench P2). After an update, restart gunicorn:
  a HUP reloads the workers but not the preloaded code.
- The workers (app/serving.py) are woken one at a time for a new connection, and on SQLite
  they take turns on the processor cores: a worker answers waiting connections one after
  another while the others wait for a core, unless a request runs long. WORKER_CORE_TURNS
  (on, off, auto) overrides the choice, which follows DATABASE_URL.
"""

import gc
import os

from gunicorn.http import wsgi as _gunicorn_wsgi

#: gunicorn reads WEB_CONCURRENCY itself too; the app uses it to check its rate-limit storage.
workers = int(os.environ.get("WEB_CONCURRENCY", "1"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
preload_app = True
#: gunicorn's sync worker, woken one at a time for a new connection, taking turns on the cores
#: (app/serving.py).
worker_class = "app.serving.ExclusiveAcceptWorker"


def pre_fork(_server, _worker) -> None:
    gc.freeze()


def _without_server_header(default_headers):
    def headers(self) -> list[str]:
        return [line for line in default_headers(self) if not line.startswith("Server:")]

    return headers


_gunicorn_wsgi.Response.default_headers = _without_server_header(
    _gunicorn_wsgi.Response.default_headers)
