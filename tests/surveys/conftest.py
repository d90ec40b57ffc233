"""Builders for forms: a form in English, Spanish and Arabic with one question of each kind."""

import os
import tempfile
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.extensions import db
from app.surveys.models import Question, QuestionOption, Survey

AGE_BANDS = ["Under 18", "18 to 34", "35 to 54", "55 to 74", "75 or older"]


def texts(en: str, es: str | None = None, ar: str | None = None, field: str = "label") -> dict:
    """Return a texts dict with one field in the languages given."""
    return {lang: {field: value} for lang, value in (("en", en), ("es", es), ("ar", ar)) if value}


def options(*labels: tuple[str, str, str]) -> list[QuestionOption]:
    return [QuestionOption(position=i, texts=texts(*label)) for i, label in enumerate(labels)]


def question(kind: str, prompt: tuple[str, str, str], position: int, **fields) -> Question:
    fields.setdefault("texts", texts(*prompt, field="prompt"))
    return Question(kind=kind, position=position, **fields)


@pytest.fixture
def make_survey(app):
    """Build a form; by default open, in en/es/ar, with one question of every kind."""

    def make(*, questions: list[Question] | None = None, **fields) -> Survey:
        fields.setdefault("status", "open")
        fields.setdefault("default_language", "en")
        fields.setdefault("languages", ["en", "es", "ar"])
        fields.setdefault("texts", {
            "en": {"title": "Your library, your say", "intro": "Tell us what you need.",
                   "thank_you": "Thank you for telling us."},
            "es": {"title": "Su biblioteca, su opinión", "intro": "Díganos qué necesita.",
                   "thank_you": "Gracias por decírnoslo."},
            "ar": {"title": "مكتبتك، رأيك", "intro": "أخبرنا بما تحتاجه.",
                   "thank_you": "شكرا لك."},
        })
        survey = Survey(**fields)
        survey.questions = questions if questions is not None else every_kind()
        db.session.add(survey)
        db.session.flush()
        return survey

    return make


def every_kind() -> list[Question]:
    """Return one question of each kind, in a sensible order."""
    visits = question("single_choice", ("How often do you visit?", "¿Con qué frecuencia viene?",
                                        "كم مرة تزور المكتبة؟"), 0, is_required=True)
    visits.options = options(("Every week", "Cada semana", "كل أسبوع"),
                             ("Sometimes", "A veces", "أحيانا"), ("Never", "Nunca", "أبدا"))
    return [
        visits,
        question("multi_choice", ("What would help?", "¿Qué ayudaría?", "ما الذي سيساعد؟"), 1,
                 options=options(("Longer hours", "Más horas", "ساعات أطول"),
                                 ("Homework help", "Ayuda con tareas", "مساعدة في الواجبات"),
                                 ("Books in my language", "Libros en mi idioma", "كتب بلغتي"))),
        question("rating", ("How welcome do you feel?", "¿Qué tan bienvenido se siente?",
                            "ما مدى شعورك بالترحيب؟"), 2,
                 texts={"en": {"prompt": "How welcome do you feel?", "low_label": "Not at all",
                               "high_label": "Very welcome"},
                        "es": {"prompt": "¿Qué tan bienvenido se siente?"}}),
        question("yes_no", ("Do you have a library card?", "¿Tiene tarjeta?", "هل لديك بطاقة؟"), 3,
                 options=options(("Yes", "Sí", "نعم"), ("No", "No", "لا"))),
        question("short_text", ("Your neighbourhood", "Su barrio", "حيك"), 4),
        question("long_text", ("Anything else?", "¿Algo más?", "أي شيء آخر؟"), 5),
        question("number", ("How many children live with you?", "¿Cuántos niños viven con usted?",
                            "كم طفلا يعيش معك؟"), 6, min_value=0, max_value=20),
        question("date", ("When did you last visit?", "¿Cuándo vino por última vez?",
                          "متى كانت آخر زيارة؟"), 7),
        question("ranking", ("Rank these", "Ordene estos", "رتب هذه"), 8,
                 options=options(("Books", "Libros", "كتب"),
                                 ("Computers", "Computadoras", "حواسيب"),
                                 ("Quiet space", "Espacio tranquilo", "مكان هادئ"))),
        question("age_band", ("Your age", "Su edad", "عمرك"), 9,
                 options=options(*[(band, None, None) for band in AGE_BANDS])),
        question("area", ("Where do you live?", "¿Dónde vive?", "أين تسكن؟"), 10,
                 options=options(("Eastgate", None, None), ("Northside", None, None))),
    ]


# The public pages: compiled catalogues of interface words, and the locale selector ------------

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"


@pytest.fixture(scope="session")
def interface_catalogues() -> None:
    """Compile the catalogues of interface words when `make translations` has not."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with tempfile.NamedTemporaryFile(dir=mo_path.parent, delete=False) as mo_file:
            write_mo(mo_file, catalog)
        os.replace(mo_file.name, mo_path)  # atomic: other test runs may read it meanwhile


@pytest.fixture
def public_app(app, interface_catalogues):
    """The app, with the catalogues of interface words compiled."""
    return app
