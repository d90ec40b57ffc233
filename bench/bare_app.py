"""The bare baseline of P1: the least a Flask app can do for a form submission.

GET /b/form answers a small page with a fresh submission id; POST /b/form stores the sent
fields as one row with one INSERT (a second send of the same page is ignored by the unique
submission id) and redirects to GET /b/thanks. No sessions, templates, ORM, validation or rate
limit. It writes into the same SQLite file as Groundwork (table bare_responses), with the same
connection settings the app uses (WAL, synchronous NORMAL, busy timeout).

    DATABASE_URL=sqlite:////tmp/x.sqlite gunicorn bench.bare_app:app
"""

import json
import os
import secrets
import sqlite3
import threading

from flask import Flask, redirect, request

PAGE = ("<!doctype html><html lang=en><title>Form</title><form method=post>"
        "<input type=hidden name=submission_id value={sid}><button>Send</button></form>")
CREATE = ("CREATE TABLE IF NOT EXISTS bare_responses (id INTEGER PRIMARY KEY, "
          "submission_id VARCHAR(64) NOT NULL UNIQUE, payload TEXT NOT NULL, "
          "created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)")
INSERT = ("INSERT INTO bare_responses (submission_id, payload) VALUES (?, ?) "
          "ON CONFLICT (submission_id) DO NOTHING")

app = Flask(__name__)
_local = threading.local()


def database_path() -> str:
    url = os.environ["DATABASE_URL"]
    if not url.startswith("sqlite:///"):
        raise RuntimeError("The bare baseline runs on a SQLite file: DATABASE_URL=sqlite:///...")
    return url[len("sqlite:///"):]


def connection() -> sqlite3.Connection:
    """One connection per worker thread, opened once, set up as the app sets up its own."""
    if getattr(_local, "connection", None) is None:
        db = sqlite3.connect(database_path(), isolation_level=None)
        db.execute("PRAGMA busy_timeout=10000")
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        _local.connection = db
    return _local.connection


def create_table(path: str) -> None:
    with sqlite3.connect(path) as db:
        db.execute(CREATE)


@app.get("/healthz")
def healthz():
    connection().execute("SELECT 1").fetchone()
    return {"status": "ok"}


@app.get("/b/form")
def form():
    return PAGE.format(sid=secrets.token_urlsafe(24))


@app.post("/b/form")
def submit():
    fields = request.form.to_dict(flat=False)
    submission_id = request.form.get("submission_id", "")
    connection().execute(INSERT, (submission_id, json.dumps(fields)))
    return redirect("/b/thanks", 303)


@app.get("/b/thanks")
def thanks():
    return "<!doctype html><html lang=en><title>Thank you</title><p>Thank you."
