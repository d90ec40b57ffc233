"""Error pages in plain words, for people and for scripts."""

from flask import Flask, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db

#: What went wrong and what the person can do, per status code.
MESSAGES = {
    400: ("Something in that request was not right",
          "The page could not use what was sent. Go back, check the form and try again."),
    403: ("This page is not open to you",
          "Your account does not give access to this page. If you need it, ask a Groundwork "
          "administrator at your library."),
    404: ("We could not find that page",
          "The link may be old, or the record may have been removed. Try the menu above."),
    405: ("That action is not possible here",
          "This page does not accept that kind of request. Go back and use the buttons on the "
          "page."),
    413: ("That was too much to send at once",
          "What you sent is larger than this site accepts. Shorten the longest answers or send "
          "fewer files, then try again."),
    429: ("Too many tries in a short time",
          "Please wait a minute before trying again. This protects everyone's accounts."),
    500: ("Something went wrong on our side",
          "The problem is ours, not yours, and it has been noted. Please try again in a moment."),
}

CSRF_MESSAGE = ("This form had expired or was sent from another page. Nothing was saved. "
                "Go back, reload the page and send it again.")


def render_error(code: int, detail: str | None = None):
    """Return the error page for `code`, as HTML or as a short text for non-browsers."""
    title, explanation = MESSAGES.get(code, MESSAGES[500])
    explanation = detail or explanation
    if request.accept_mimetypes.best == "application/json":
        return {"error": title, "detail": explanation}, code
    return render_template("errors/error.html", code=code, title=title,
                           explanation=explanation), code


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code if error.code in MESSAGES else 400)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        db.session.rollback()
        return render_error(500)
