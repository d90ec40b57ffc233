"""The quick reader of sent public pages agrees with the full answer form on every page it takes.

`AnswerReader.read()` may leave any page to the full form (None), but a page it takes must be
one the full form finds valid, with the same answers. Thousands of pages, valid and broken in
the ways people and bots break them, go to both.
"""

import random
import secrets

import pytest
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.surveys.answer_forms import AnswerForm, build_answer_form
from app.surveys.answer_reading import AnswerReader
from app.surveys.locale import use_interface_language
from tests.surveys.conftest import every_kind
from tests.surveys.filling import good_answers, name_of, responses

PAGES = 4000

#: What people and bots put in a field, beside a proper answer.
ODD_VALUES = ["", " ", "  \t", "abc", "1.5", "-1", "0", "\u0663", "\u0662\u0660", "3_0", "1e3",
              "nan", "inf", "99999999999999999999", " 2 ", "+2", "2,5", "\u00a02", "2025-02-30",
              "2025-3-4", "3025-01-01", "1899-12-31", "0001-01-01", " 2025-01-05", "x" * 501]


@pytest.fixture
def forms(app, make_survey):
    """Two forms of every kind: one with conditions and required questions, one asking for a
    contact; each with its full answer form class and its reader."""
    built = []
    for asks in (False, True):
        questions = every_kind()
        for place in (0, 1, 2, 6, 7):
            questions[place].is_required = True
        survey = make_survey(questions=questions, asks_for_contact=asks)
        visits, helps, ranking = questions[0], questions[1], questions[8]
        helps.options[2].is_retired = True
        helps.show_if_question_id = visits.id
        helps.show_if_option_ids = [visits.options[0].id, visits.options[1].id]
        ranking.show_if_question_id = helps.id
        ranking.show_if_option_ids = [helps.options[1].id]
        db.session.flush()
        db.session.refresh(survey)
        form_class = build_answer_form(survey, "en")
        built.append((survey, form_class, AnswerReader(survey, form_class)))
    return built


def proper_answer(question, rng: random.Random) -> list[tuple[str, str]]:
    """A field or fields with an answer the form accepts."""
    name = f"q_{question.id}"
    options = [option.id for option in question.active_options]
    kind = question.kind
    if kind == "multi_choice":
        return [(name, str(choice)) for choice in rng.sample(options, rng.randint(1, len(options)))]
    if kind == "ranking":
        chosen = rng.sample(options, rng.randint(1, len(options)))
        ranks = rng.sample(range(1, len(options) + 1), len(chosen))
        return [(f"{name}-{option}", str(rank)) for option, rank in zip(chosen, ranks, strict=True)]
    value = {"rating": lambda: str(rng.randint(1, 5)),
             "number": lambda: rng.choice(["0", "3", "20", "2.5", "7,5", " 4 "]),
             "date": lambda: f"20{rng.randint(10, 30)}-{rng.randint(1, 12):02d}-"
                             f"{rng.randint(1, 28):02d}",
             "short_text": lambda: rng.choice(["Eastgate", "  by the river ", "x" * 500]),
             "long_text": lambda: rng.choice(["More evening hours, please.", "x" * 5000])}
    return [(name, value[kind]() if kind in value else str(rng.choice(options)))]


def odd_answer(question, rng: random.Random, other_ids: list[int]) -> list[tuple[str, str]]:
    """Something else in the question's field or fields: blank, broken, doubled, foreign."""
    name = f"q_{question.id}"
    if question.kind == "ranking":
        option = rng.choice([option.id for option in question.options])
        return [(f"{name}-{option}", rng.choice(ODD_VALUES + ["1", "2", "3", "4"]))
                for _ in range(rng.randint(1, 3))]
    choice = rng.random()
    if choice < 0.2:
        return []
    if choice < 0.3:
        return [(name, rng.choice(ODD_VALUES)), (name, rng.choice(ODD_VALUES))]
    if choice < 0.4:
        return [(name, str(rng.choice(other_ids)))]
    if choice < 0.5 and question.options:
        return [(name, str(rng.choice(question.options).id)), (name, rng.choice(ODD_VALUES))]
    return [(name, rng.choice(ODD_VALUES))]


def page(survey, rng: random.Random, *, oddness: float) -> MultiDict:
    other_ids = [option.id for question in survey.questions for option in question.options]
    fields = [("submission_id", secrets.token_urlsafe(24) if rng.random() > oddness / 4
               else rng.choice(["", "short", "x" * 65, "not/valid" * 3])),
              ("language", "en"),
              ("website", "" if rng.random() > oddness / 4 else rng.choice([" ", "spam"]))]
    for question in survey.active_questions:
        fields += (odd_answer(question, rng, other_ids) if rng.random() < oddness
                   else proper_answer(question, rng))
    if rng.random() < oddness / 3:
        fields.append((rng.choice(["contact_ok", "contact_channel", "contact_value",
                                   "contact_name"]), rng.choice(["y", "email", " ", "", "Sam"])))
    rng.shuffle(fields)
    return MultiDict(fields)


def full_form_answers(form_class, sent: MultiDict):
    """What the full form makes of a page: its answers if it would store them as sent, else
    None (a message to show, the honeypot, a contact to keep, or a new submission id)."""
    form = form_class(formdata=sent)
    if not form.validate() or form.caught_a_bot() or form.wants_contact():
        return None
    if form.submission_id.data != sent.get("submission_id"):
        return None
    return form.answers()


def test_every_page_the_reader_takes_the_full_form_takes_alike(app, forms):
    rng = random.Random(8)
    taken = left = 0
    with app.test_request_context(method="POST"):
        use_interface_language("en")
        for number in range(PAGES):
            survey, form_class, reader = forms[number % 2]
            sent = page(survey, rng, oddness=rng.choice([0.05, 0.2, 0.6]))
            read = reader.read(sent)
            if read is None:
                left += 1
                continue
            taken += 1
            assert read == full_form_answers(form_class, sent), sent
    # Both ways are exercised: many pages are taken, many left to the full form.
    assert taken > PAGES / 10 and left > PAGES / 10


def test_the_reader_takes_every_proper_page(app, forms):
    """Pages answered properly never need the full form: the quick way is the usual way."""
    rng = random.Random(3)
    with app.test_request_context(method="POST"):
        use_interface_language("en")
        for number in range(500):
            survey, form_class, reader = forms[number % 2]
            sent = page(survey, rng, oddness=0)
            assert reader.read(sent) == full_form_answers(form_class, sent) is not None, sent


@pytest.mark.parametrize("change", [
    "required left blank", "honeypot", "contact ticked", "submission id", "option of another",
    "number out of range", "rank twice", "text too long"])
def test_the_reader_leaves_pages_with_something_to_say_to_the_full_form(app, forms, change):
    survey, _, reader = forms[1]
    questions = {question.kind: question for question in survey.active_questions}
    sent = MultiDict([("submission_id", secrets.token_urlsafe(24)), ("language", "en")])
    for question in survey.active_questions:
        sent.update(MultiDict(proper_answer(question, random.Random(question.id))))
    visits = f"q_{questions['single_choice'].id}"
    helps, ranking = questions["multi_choice"], questions["ranking"]
    # Every question shown: the conditions of the second and the ranking are met.
    sent.setlist(visits, [str(questions["single_choice"].options[0].id)])
    sent.setlist(f"q_{helps.id}", [str(helps.options[1].id)])
    edits = {
        "required left blank": lambda: sent.poplist(visits),
        "honeypot": lambda: sent.setlist("website", ["https://spam.example"]),
        "contact ticked": lambda: sent.setlist("contact_ok", ["y"]),
        "submission id": lambda: sent.setlist("submission_id", ["tooshort"]),
        "option of another": lambda: sent.setlist(visits, [str(ranking.options[0].id)]),
        "number out of range": lambda: sent.setlist(f"q_{questions['number'].id}", ["21"]),
        "rank twice": lambda: [sent.setlist(f"q_{ranking.id}-{option.id}", ["1"])
                               for option in ranking.options],
        "text too long": lambda: sent.setlist(f"q_{questions['short_text'].id}", ["x" * 501]),
    }
    with app.test_request_context(method="POST"):
        assert reader.read(sent) is not None
        edits[change]()
        assert reader.read(sent) is None


def test_a_proper_page_is_stored_without_building_the_form_and_a_wrong_one_gets_messages(
        public_app, client, make_survey, monkeypatch):
    """The public form takes the usual page the quick way; the full form still answers the
    rest, with its message next to the field."""
    survey = make_survey()
    built = []
    original = AnswerForm.__init__

    def counting(self, *args, **kwargs):
        built.append(type(self))
        original(self, *args, **kwargs)

    monkeypatch.setattr(AnswerForm, "__init__", counting)
    sent = dict(good_answers(survey), submission_id=secrets.token_urlsafe(24), language="es")
    assert client.post(f"/f/{survey.token}", data=sent).status_code == 303
    assert built == [] and len(responses()) == 1
    assert responses()[0].language == "es"

    wrong = dict(sent, submission_id=secrets.token_urlsafe(24))
    wrong[name_of(survey, "number")] = "veinte"
    page = client.post(f"/f/{survey.token}", data=wrong)
    assert page.status_code == 200 and len(built) == 1
    assert "Por favor" in page.text and len(responses()) == 1
