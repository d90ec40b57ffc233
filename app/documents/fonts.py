"""Whether this server has fonts to print each language's writing.

WeasyPrint prints with the fonts fontconfig knows. A language whose writing no installed font
covers (Chinese without a CJK font, say) prints as empty boxes, with nothing to tell staff why.
The pages that print in a chosen language ask `fonts_missing_for()` and say so before anyone
prints, with the package that fixes it. Fonts are looked up once per process: a font installed
later shows after a restart.
"""

import functools
import shutil
import subprocess  # nosec B404 # asks fontconfig's fc-list only, see has_font_for()
import unicodedata
from dataclasses import dataclass

import click
from babel import Locale, UnknownLocaleError
from flask import current_app
from flask.cli import with_appcontext

from app.languages import language_name

#: Languages Babel does not know, written like one it does (Dari in the Persian alphabet).
WRITTEN_LIKE = {"prs": "fa"}
#: Languages whose fonts come in their own Debian/Ubuntu package.
FONT_PACKAGES = {"zh": "fonts-noto-cjk", "ja": "fonts-noto-cjk", "ko": "fonts-noto-cjk"}
DEFAULT_FONT_PACKAGE = "fonts-noto-core"


def sample_of(language: str) -> str:
    """Return the letters of the language's own name for itself ('中文' for zh) that are not
    Latin: the writing a printout in that language needs. Empty for languages written in the
    Latin alphabet and for unknown codes."""
    code = WRITTEN_LIKE.get(language, language)
    try:
        name = Locale.parse(code, sep="-").get_language_name(code) or ""
    except (ValueError, UnknownLocaleError):
        return ""
    return "".join(sorted({letter for letter in name if letter.isalpha()
                           and not unicodedata.name(letter, "LATIN").startswith("LATIN")}))


@functools.cache
def has_font_for(language: str) -> bool:
    """Return whether an installed font covers the language's writing. When fontconfig cannot be
    asked, assume it does: a warning that may be wrong is worse than none."""
    letters = sample_of(language)
    if not letters:
        return True
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True
    charset = " ".join(f"{ord(letter):x}" for letter in letters)
    try:
        found = subprocess.run(  # noqa: S603  # nosec B603 # a fixed list: fc-list, hex code points
            [fc_list, f":charset={charset}", "family"], capture_output=True, text=True,
            timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return True
    return found.returncode != 0 or bool(found.stdout.strip())


def font_package_for(language: str) -> str:
    return FONT_PACKAGES.get(language.split("-")[0], DEFAULT_FONT_PACKAGE)


def fonts_missing_for(languages) -> list[tuple[str, str, str]]:
    """Return (code, English name, font package) for each language that would print as empty
    boxes on this server, in the order given."""
    seen: set[str] = set()
    missing = []
    for code in languages:
        if code and code not in seen and not has_font_for(code):
            missing.append((code, language_name(code), font_package_for(code)))
        seen.add(code)
    return missing


@dataclass(frozen=True)
class FontGap:
    """What the warning before printing says: the languages, and the packages that fix them."""

    names: tuple[str, ...]
    packages: tuple[str, ...]

    @property
    def names_text(self) -> str:
        """"Chinese", "Chinese or Punjabi", "Chinese, Punjabi or Tigrinya"."""
        if len(self.names) == 1:
            return self.names[0]
        return f"{', '.join(self.names[:-1])} or {self.names[-1]}"


def print_font_gap(languages) -> FontGap | None:
    """Return what the pages that print in `languages` must warn about, or None."""
    missing = fonts_missing_for(languages)
    if not missing:
        return None
    return FontGap(names=tuple(name for _, name, _ in missing),
                   packages=tuple(dict.fromkeys(package for _, _, package in missing)))


@click.command("print-fonts")
@with_appcontext
def print_fonts() -> None:
    """Say, for each community language, whether this server can print its writing."""
    codes = [code.strip() for code in current_app.config["COMMUNITY_LANGUAGES"] if code.strip()]
    missing = {code for code, _, _ in fonts_missing_for(codes)}
    for code in codes:
        verdict = (f"no font: prints as empty boxes; install {font_package_for(code)}"
                   if code in missing else "prints")
        click.echo(f"{code:<6} {language_name(code):<20} {verdict}")
    if missing:
        raise click.exceptions.Exit(1)
