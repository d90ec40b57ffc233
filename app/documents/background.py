"""Big documents, printed in a background process so that no worker time-out kills them half-way.

A view renders a document's HTML as usual (that part is queries and a template, and quick) and
asks `is_big(html)`. A small document is printed at once. A big one goes to `start()`: the HTML
is written to the documents folder and a separate process prints it, one document of a kind at
a time (a lock file per kind; the others wait their turn). The person gets a page that refreshes
itself until the document is ready, then a download link. Only the person who asked may
download it. Everything in the folder is readable by the app's user alone (0600) and removed
after a day.

Files, per document, in DOCUMENT_DIR (instance/documents by default), named by a random token:

    <token>.json     who asked, for what, under which file name, when
    <token>.html     the HTML to print; removed once printed
    <token>.started  the printing process has its turn
    <token>.pdf      the document, once ready
    <token>.failed   why printing failed, in plain words

The worker's own process never waits on the printing: the printing process is started in its
own session, so a worker restart or time-out leaves it running.

    python -m app.documents.background DIRECTORY TOKEN     (what start() runs)
"""

import contextlib
import fcntl
import json
import os
import re
import secrets
import subprocess  # nosec B404 # starts only this module as the printing process, see start()
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Response, current_app, render_template, send_file

from app.documents.pdf import html_to_pdf, pdf_response

#: Printed rows and paragraphs above which a document is prepared in the background.
DEFAULT_ABOVE = 1000
#: How many big documents of one kind may wait or be printed at once; more are refused.
DEFAULT_QUEUE = 3
#: Seconds a document is kept.
KEEP_SECONDS = 24 * 60 * 60
#: Seconds after which a document still not printed counts as failed.
GIVE_UP_SECONDS = 2 * 60 * 60
#: Seconds between refreshes of the "being prepared" page.
REFRESH_SECONDS = 3
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
#: What a printed row or paragraph starts with, for the size estimate.
BLOCKS = re.compile(r"<(?:tr|p|li|h[1-6])[\s>]")
ROOT = Path(__file__).resolve().parent.parent.parent

WAITING, PREPARING, READY, FAILED = "waiting", "preparing", "ready", "failed"
GONE_MESSAGE = ("This document is no longer here. Documents prepared in the background are kept "
                "for a day; print it again to get a fresh copy.")
NOT_YOURS_MESSAGE = ("Only the person who asked for this document can download it. Print it "
                     "yourself from the page it came from.")
FAILED_MESSAGE = "Printing this document failed. Try again later, or print a smaller part of it."

_children: list[subprocess.Popen] = []


class DocumentGone(LookupError):
    """No such document: never asked for, removed after a day, or another record's."""


class NotYourDocument(PermissionError):
    """Someone other than the person who asked for the document tried to open it."""


class DocumentsBusy(RuntimeError):
    """Too many big documents of this kind are being prepared already."""


@dataclass(frozen=True)
class DocumentJob:
    token: str
    user_id: int
    kind: str
    subject: str
    title: str
    filename: str
    created_at: float
    state: str
    #: Why it failed, when it did.
    error: str = ""

    @property
    def is_ready(self) -> bool:
        return self.state == READY

    @property
    def is_finished(self) -> bool:
        return self.state in (READY, FAILED)


# Deciding ------------------------------------------------------------------------------------


def estimated_size(html: str) -> int:
    """Return how many rows, paragraphs, list items and headings the HTML prints."""
    return len(BLOCKS.findall(html))


def threshold() -> int:
    return int(current_app.config.get("DOCUMENT_BACKGROUND_ABOVE", DEFAULT_ABOVE))


def is_big(html: str) -> bool:
    """Whether the document is too big to print while the person waits on the request."""
    return estimated_size(html) > threshold()


def document_dir() -> Path:
    """Return the documents folder, made readable by the app's user alone."""
    configured = current_app.config.get("DOCUMENT_DIR")
    directory = Path(configured) if configured else Path(current_app.instance_path) / "documents"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


# Starting ------------------------------------------------------------------------------------


def start(html: str, *, kind: str, subject: str, user_id: int, title: str,
          filename: str) -> DocumentJob:
    """Have `html` printed in the background for `user_id` and return the job.

    `kind` names the document ("evaluation-summary"); one of a kind is printed at a time.
    `subject` names what was asked for (record and options); asking again for the same subject
    while it is still being prepared returns that job rather than starting another. Raise
    DocumentsBusy when too many of this kind are waiting already.
    """
    directory = document_dir()
    remove_old(directory)
    _reap()
    unfinished = [job for job in _jobs(directory) if not job.is_finished and job.kind == kind]
    for job in unfinished:
        if job.user_id == user_id and job.subject == subject:
            return job
    if len(unfinished) >= int(current_app.config.get("DOCUMENT_BACKGROUND_QUEUE",
                                                     DEFAULT_QUEUE)):
        raise DocumentsBusy(kind)
    token = secrets.token_urlsafe(24)
    _write(directory / f"{token}.html", html.encode("utf-8"))
    _write(directory / f"{token}.json", json.dumps({
        "user_id": user_id, "kind": kind, "subject": subject, "title": title,
        "filename": filename, "created_at": time.time()}).encode())
    # The command is fixed; the token is ours (token_urlsafe) and no shell is involved.
    _children.append(subprocess.Popen(  # noqa: S603  # nosec B603 # a fixed list: this Python, this module, a token
        [sys.executable, "-m", "app.documents.background", str(directory), token],
        cwd=ROOT, start_new_session=True, stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    return _job(directory, token)


def _write(path: Path, data: bytes) -> None:
    """Write a file only the app's user may read, all at once (via a temporary name)."""
    partial = path.with_name(path.name + ".part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(partial, path)


def _reap() -> None:
    """Collect printing processes that have finished, so none lingers as a zombie."""
    _children[:] = [child for child in _children if child.poll() is None]


# Finding -------------------------------------------------------------------------------------


def find(token: str, *, user_id: int, subject_prefix: str) -> DocumentJob:
    """Return the job of `token` for `user_id`.

    Raise DocumentGone when there is no such document or it belongs to another record than
    `subject_prefix` names, and NotYourDocument when someone else asked for it.
    """
    if not TOKEN.fullmatch(token):
        raise DocumentGone(token)
    directory = document_dir()
    remove_old(directory)
    job = _job(directory, token)
    if job is None or not job.subject.startswith(subject_prefix):
        raise DocumentGone(token)
    if job.user_id != user_id:
        raise NotYourDocument(token)
    return job


def pdf_path(job: DocumentJob) -> Path:
    return document_dir() / f"{job.token}.pdf"


def _jobs(directory: Path) -> list[DocumentJob]:
    jobs = (_job(directory, path.stem) for path in directory.glob("*.json"))
    return [job for job in jobs if job is not None]


def _job(directory: Path, token: str) -> DocumentJob | None:
    try:
        meta = json.loads((directory / f"{token}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    state, error = _state(directory, token, meta["created_at"])
    return DocumentJob(token=token, user_id=meta["user_id"], kind=meta["kind"],
                       subject=meta["subject"], title=meta["title"],
                       filename=meta["filename"], created_at=meta["created_at"],
                       state=state, error=error)


def _state(directory: Path, token: str, created_at: float) -> tuple[str, str]:
    if (directory / f"{token}.pdf").exists():
        return READY, ""
    failed = directory / f"{token}.failed"
    if failed.exists():
        return FAILED, failed.read_text(encoding="utf-8")[:500] or FAILED_MESSAGE
    if time.time() - created_at > GIVE_UP_SECONDS:
        return FAILED, FAILED_MESSAGE
    return (PREPARING if (directory / f"{token}.started").exists() else WAITING), ""


def remove_old(directory: Path, *, now: float | None = None) -> int:
    """Remove documents and their files older than a day; return how many files went."""
    cutoff = (now or time.time()) - KEEP_SECONDS
    removed = 0
    for path in directory.iterdir():
        if path.suffix == ".lock" or not path.is_file():
            continue
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            pass
    return removed


# Answering ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """Where a document comes from, for the links on its pages: `urls(token)` returns the
    status page's and the file's address, `back_url` and `back_label` lead back to the record."""

    urls: Callable[[str], tuple[str, str]]
    back_url: str
    back_label: str
    #: How to ask for a smaller document, in plain words.
    narrow: str


def print_or_start(html: str, *, kind: str, subject: str, title: str, filename: str,
                   user_id: int, place: Place) -> Response | tuple[str, int]:
    """Answer a request for a document: the PDF when it is small, otherwise start it in the
    background and answer with the page that says it is being prepared (202)."""
    if not is_big(html):
        return pdf_response(html_to_pdf(html), filename)
    try:
        job = start(html, kind=kind, subject=subject, user_id=user_id, title=title,
                    filename=filename)
    except DocumentsBusy:
        return unavailable_page(
            503, "Other big documents are being prepared",
            "Several big documents like this one are being printed right now. Try again in a "
            f"few minutes. {place.narrow}", place)
    return preparing_page(job, place, status=202)


def job_page(token: str, *, user_id: int, subject_prefix: str,
             place: Place) -> tuple[str, int]:
    """Answer the status page of a document: how it is coming along, or why it cannot open."""
    try:
        job = find(token, user_id=user_id, subject_prefix=subject_prefix)
    except DocumentGone:
        return unavailable_page(410, "This document is no longer here", GONE_MESSAGE, place)
    except NotYourDocument:
        return unavailable_page(403, "This document is not yours", NOT_YOURS_MESSAGE, place)
    return preparing_page(job, place)


def job_file(token: str, *, user_id: int, subject_prefix: str,
             place: Place) -> Response | tuple[str, int]:
    """Answer the document itself when it is ready, otherwise its status page."""
    try:
        job = find(token, user_id=user_id, subject_prefix=subject_prefix)
    except (DocumentGone, NotYourDocument):
        return job_page(token, user_id=user_id, subject_prefix=subject_prefix, place=place)
    if not job.is_ready:
        return preparing_page(job, place, status=409 if job.state == FAILED else 202)
    return download(job)


def preparing_page(job: DocumentJob, place: Place, *, status: int = 200) -> tuple[str, int]:
    """Return the page that says how the document is coming along; it refreshes itself
    until the document is ready or has failed."""
    status_url, download_url = place.urls(job.token)
    return render_template("documents/preparing.html", job=job, status_url=status_url,
                           download_url=download_url, back_url=place.back_url,
                           back_label=place.back_label, refresh=REFRESH_SECONDS), status


def unavailable_page(status: int, heading: str, message: str, place: Place) -> tuple[str, int]:
    return render_template("documents/unavailable.html", heading=heading, message=message,
                           back_url=place.back_url, back_label=place.back_label), status


def download(job: DocumentJob) -> Response:
    """Return the ready document as the browser shows a PDF."""
    response = send_file(pdf_path(job), mimetype="application/pdf", download_name=job.filename,
                         as_attachment=False, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Printing (the background process) -----------------------------------------------------------


def print_job(directory: Path, token: str) -> None:
    """Print the job's HTML to `<token>.pdf`, after any other document of its kind."""
    meta = json.loads((directory / f"{token}.json").read_text(encoding="utf-8"))
    kind = re.sub(r"[^a-z0-9-]", "-", meta["kind"].lower())
    lock_path = directory / f"{kind}.lock"
    descriptor = os.open(lock_path, os.O_WRONLY | os.O_CREAT, 0o600)
    with os.fdopen(descriptor, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (directory / f"{token}.pdf").exists():
            return  # printed already
        try:
            _write(directory / f"{token}.started", b"")
            html = (directory / f"{token}.html").read_text(encoding="utf-8")
            _write(directory / f"{token}.pdf", html_to_pdf(html))
        except BaseException:
            _write(directory / f"{token}.failed", FAILED_MESSAGE.encode())
            raise
        finally:
            (directory / f"{token}.html").unlink(missing_ok=True)
            fcntl.flock(lock, fcntl.LOCK_UN)


def main(argv: list[str]) -> int:
    directory, token = Path(argv[0]), argv[1]
    if not TOKEN.fullmatch(token):
        return 2
    with contextlib.suppress(OSError):
        os.nice(5)  # the web workers come first
    print_job(directory, token)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
