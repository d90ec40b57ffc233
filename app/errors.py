"""Error pages in plain words, for people and for scripts.

Staff pages get the staff layout in English. The pages a respondent opens from a link (a public
form, a kiosk, a short link) get the public layout in the respondent's language instead: the
one named by ?lang=, else the browser's, when a catalogue of interface words exists for it.
"""

from babel import Locale
from flask import Flask, render_template, request
from flask_babel import force_locale, get_babel
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
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

#: Paths of the pages respondents open from a link, poster or kiosk, without an account.
RESPONDENT_PATHS = ("/f/", "/kiosk/", "/s/")


def _respondent_messages(code: int) -> tuple[str, str]:
    """Return the title and explanation for a respondent, in the current interface language.

    Called under force_locale(), so gettext looks the words up in the respondent's catalogue.
    """
    if code == 404:
        return (_("We could not find this form"),
                _("The link may be mistyped or no longer in use. Please check it, or ask "
                  "someone at the library desk."))
    if code == 413:
        return (_("That was too much to send at once"),
                _("Your answers are longer than this form accepts. Go back, shorten the "
                  "longest answers and send the form again."))
    if code == 429:
        return (_("Too many tries in a short time"),
                _("Please wait a minute, then send the form again."))
    if code >= 500:
        return (_("Something went wrong on our side"),
                _("The problem is ours, not yours. Please try again in a moment."))
    return (_("Something in that request was not right"),
            _("Please go back to the form and try again."))


def respondent_language() -> str:
    """Return the language of a respondent's error page: ?lang=, else the browser's, else the
    default, among the languages with a catalogue of interface words. The request body is
    never read (it may be the too-large body that caused the error)."""
    babel = get_babel()
    default = str(babel.default_locale).split("_")[0]
    available = {str(locale) for locale in babel.instance.list_translations()} | {default}
    requested = (request.args.get("lang") or "").replace("_", "-").split("-")[0].lower()
    if requested in available:
        return requested
    return request.accept_languages.best_match(sorted(available), default=default)


def is_respondent_page() -> bool:
    return request.path.startswith(RESPONDENT_PATHS)


def forget_unread_body() -> None:
    """Make an unread request body look empty to the error page.

    The page layout builds small forms (the log-out button) that read request.form; after a
    413 that read would raise the same error again, inside the error handler, and the person
    would get a bare 500 instead of this page.
    """
    for name in ("form", "files"):
        request.__dict__.setdefault(name, ImmutableMultiDict())


def render_error(code: int, detail: str | None = None):
    """Return the error page for `code`, as HTML or as a short text for non-browsers."""
    if code == 413:
        forget_unread_body()
    if is_respondent_page():
        return render_respondent_error(code)
    title, explanation = MESSAGES.get(code, MESSAGES[500])
    explanation = detail or explanation
    if request.accept_mimetypes.best == "application/json":
        return {"error": title, "detail": explanation}, code
    return render_template("errors/error.html", code=code, title=title,
                           explanation=explanation), code


def render_respondent_error(code: int):
    language = respondent_language()
    direction = Locale.parse(language).text_direction
    with force_locale(language):
        title, explanation = _respondent_messages(code)
        page = render_template("errors/public_error.html", code=code, title=title,
                               explanation=explanation, language=language,
                               direction=direction, language_links=[])
    return page, code


class Refused(HTTPException):
    """A request refused with our own words: `raise Refused(400, "Use audience=…")` gives the
    error page for the code with `detail` as its explanation."""

    def __init__(self, code: int, detail: str):
        super().__init__(description=detail)
        self.code, self.detail = code, detail


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(400, CSRF_MESSAGE)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        return render_error(error.code if error.code in MESSAGES else 400,
                            getattr(error, "detail", None))

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError):
        db.session.rollback()
        return render_error(500)
