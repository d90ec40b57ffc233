"""Theme suggestions by likeness to text already coded, on a small corpus in two languages."""

import subprocess
import sys
from pathlib import Path

import pytest

from app.extensions import db
from app.themes.coding import conversation_source
from app.themes.suggesting import (
    MIN_SIMILARITY,
    _looks_english,
    rank_documents,
    suggest_themes,
)
from tests.themes.test_coding import make_excerpt  # noqa: F401 (a fixture)

#: Passages already coded, per theme.
CODED = {
    "Homework help": ["Kids need homework help in Arabic.",
                      "The homework club is full on Tuesdays.",
                      "Someone who explains maths homework."],
    "Fear of fines": ["They think late books cost money.",
                      "Fear of fines keeps families away.", "Nobody knew fines stopped."],
    "Evening hours": ["The library closes before the factory shift ends.",
                      "Open later in the evening for workers."],
    "Ayuda con las tareas": ["Los niños necesitan ayuda con las tareas.",
                             "Un club de tareas los sábados."],
}
LOBBY_NOTES = ("Sat with the mums in the lobby while they waited. None knew a library card is "
               "free. Two thought kids' books cost money if they come back late; fines stopped "
               "two years ago but word hasn't reached them. They want a place where kids do "
               "homework with someone who can explain in Arabic.")


@pytest.fixture
def corpus(make_conversation, make_theme, make_excerpt):  # noqa: F811
    """Code each passage of CODED, one conversation per passage; return themes by name."""
    themes = {name: make_theme(name=name) for name in CODED}
    for name, passages in CODED.items():
        for passage in passages:
            make_excerpt(conversation_source(make_conversation(notes=passage)), themes[name])
    themes["Never coded"] = make_theme(name="Never coded")
    return themes


def _suggested(make_conversation, notes: str) -> list[str]:
    return [suggestion.theme.name
            for suggestion in suggest_themes(conversation_source(make_conversation(notes=notes)))]


def test_notes_about_what_a_theme_holds_get_that_theme_first(corpus, make_conversation):
    assert _suggested(make_conversation, LOBBY_NOTES) == ["Fear of fines", "Homework help"]
    assert _suggested(make_conversation, "Is the library open in the evening after work?") == [
        "Evening hours"]


def test_a_passing_mention_of_one_word_stays_under_the_threshold():
    documents = {name: "\n".join(passages) for name, passages in CODED.items()}
    scores = dict(rank_documents(LOBBY_NOTES, documents))
    assert scores["Fear of fines"] > scores["Homework help"] > MIN_SIMILARITY
    passing = dict(rank_documents("The library is nice and the people are kind.", documents))
    assert 0 < passing["Evening hours"] < MIN_SIMILARITY
    assert all(score == 0 for score in dict(rank_documents(
        "We walked past the park and it was sunny.", documents)).values())


def test_other_languages_are_matched_without_english_stop_words(corpus, make_conversation):
    assert _suggested(make_conversation, "Mi hija necesita ayuda con las tareas.") == [
        "Ayuda con las tareas"]
    # "no" is an English stop word; in Spanish it is the word that tells these two apart.
    documents = {"none": "no hay libros", "some": "hay libros"}
    scores = dict(rank_documents("Dicen que no hay libros para niños.", documents))
    assert scores["none"] > scores["some"]
    assert _looks_english(LOBBY_NOTES) and _looks_english("Is the library open after work?")
    assert not _looks_english("Mi hija necesita ayuda con las tareas de la escuela.")


def test_themes_on_the_text_or_ignored_for_it_are_not_suggested_again(
        staff_client, corpus, make_conversation, make_excerpt):  # noqa: F811
    conversation = make_conversation(notes=LOBBY_NOTES)
    make_excerpt(conversation_source(conversation), corpus["Fear of fines"],
                 words="fines stopped")
    db.session.commit()
    url = f"/themes/code/conversation/{conversation.id}"
    page = staff_client.get(url).get_data(as_text=True)
    suggestions = page[page.index('id="suggestions-heading"'):page.index('id="excerpts-heading"')]
    assert "Homework help" in suggestions and "Fear of fines" not in suggestions
    assert 'data-suggestion="1"' in page  # the digit 1 ticks it
    homework = corpus["Homework help"]
    response = staff_client.post(f"{url}/ignore/{homework.id}")
    assert response.location == url
    page = staff_client.get(url).get_data(as_text=True)
    assert "No suggestions" in page and "will not be suggested for this text again" in page


def test_an_empty_codebook_or_an_empty_text_suggests_nothing(make_conversation, make_theme):
    assert _suggested(make_conversation, LOBBY_NOTES) == []
    make_theme(name="Only a name")
    assert _suggested(make_conversation, LOBBY_NOTES) == []
    assert rank_documents("  ...  ", {"x": "words"}) == []
    assert rank_documents("the and of", {"x": "the and of"}) == []  # stop words only


def test_starting_the_app_does_not_load_scikit_learn():
    script = ("import sys; from app import create_app; create_app({'SECRET_KEY': 'x'}); "
              "print('sklearn' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,  # noqa: S603
                            cwd=Path(__file__).resolve().parents[2], check=True)
    assert result.stdout.strip() == "False"
