"""The request class: text that no database column can hold never reaches a form.

PostgreSQL refuses the NUL character in text, and no person types one; browsers never send it
from a form field. It is removed from every submitted value and query argument, so a pasted or
hostile NUL gets the same treatment on SQLite and PostgreSQL instead of an error.
"""

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict


def _without_nul(values: MultiDict) -> ImmutableMultiDict:
    return ImmutableMultiDict(
        (key.replace("\x00", ""), value.replace("\x00", "") if isinstance(value, str) else value)
        for key, value in values.items(multi=True))


class GroundworkRequest(Request):
    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = _without_nul(self.__dict__["form"])

    @property
    def args(self) -> ImmutableMultiDict:  # type: ignore[override]
        cached = self.__dict__.get("_clean_args")
        if cached is None:
            cached = self.__dict__["_clean_args"] = _without_nul(super().args)
        return cached
