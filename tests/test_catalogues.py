"""Every word that public pages and printouts mark for translation is translated in every
catalogue (translations/<code>/LC_MESSAGES/messages.po): a word added without its translations
would print in English in the middle of a Spanish or Arabic page or handout."""

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = sorted(path.name for path in (ROOT / "translations").iterdir() if path.is_dir())


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The words babel.cfg's files mark, extracted as its header comment says."""
    template = tmp_path_factory.mktemp("catalogue") / "messages.pot"
    subprocess.run(  # noqa: S603 - this Python, fixed arguments
        [sys.executable, "-m", "babel.messages.frontend", "--quiet", "extract", "-F",
         "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2",
         "--no-location", "-o", str(template), "."], cwd=ROOT, check=True, capture_output=True)
    with template.open("rb") as file:
        return [message.id for message in read_po(file) if message.id]


def test_there_are_catalogues_and_words_to_check(extracted):
    assert {"es", "fr", "ar"} <= set(LANGUAGES)
    assert "Please answer this question." in extracted  # the public form
    assert "Signing in is optional." in extracted  # the meeting sign-in sheet


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_word_is_translated(extracted, language):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        catalogue = read_po(file)
    untranslated = []
    for message_id in extracted:
        message = catalogue.get(message_id)
        strings = (message.string if message is not None else "") or ""
        if isinstance(strings, tuple | list):
            strings = "".join(strings) if all(strings) else ""
        if not strings:
            untranslated.append(message_id)
    assert untranslated == []
