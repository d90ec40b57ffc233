"""The demo form "Your library, your say" in English, Spanish and Arabic, with its responses.

About 230 invented responses over the last eight weeks come from the three channels and the five
branches, in three languages. A fixed random seed makes every load the same. Rows go in with
bulk inserts, so loading the demo stays quick.
"""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.accounts.models import Branch, User
from app.community.models import FocusCommunity
from app.demo import riverbend
from app.extensions import db
from app.privacy.models import ConsentRecord
from app.records import library_day_start, library_today
from app.surveys.building import FIXED_LABELS
from app.surveys.models import (
    Answer,
    KioskLink,
    Question,
    QuestionOption,
    Survey,
    SurveyArea,
    SurveyResponse,
)

SEED = 2026
RESPONSES = 230
DAYS = 56
LANGUAGES = ("en", "es", "ar")
AREAS = ("Eastgate", "Northside", "Downtown", "Millbrook", "Somewhere else")

FORM_TEXTS = {
    "en": {"title": "Your library, your say",
           "intro": "Tell us how the library could work better for you and your family. It "
                    "takes about 3 minutes. You do not need to give your name.",
           "consent_text": "Your answers are anonymous. We use them only to plan library "
                           "services.",
           "thank_you": "Thank you! We read every answer, and we will share what we heard.",
           "contact_purpose": "A library staff member may call or write to you about what you "
                              "told us."},
    "es": {"title": "Su biblioteca, su opinión",
           "intro": "Cuéntenos cómo la biblioteca puede servirle mejor a usted y a su familia. "
                    "Toma unos 3 minutos. No necesita dar su nombre.",
           "consent_text": "Sus respuestas son anónimas. Solo las usamos para planear los "
                           "servicios de la biblioteca.",
           "thank_you": "¡Gracias! Leemos cada respuesta y le contaremos lo que escuchamos.",
           "contact_purpose": "Una persona de la biblioteca puede llamarle o escribirle sobre "
                              "lo que nos dijo."},
    "ar": {"title": "مكتبتك، رأيك",
           "intro": "أخبرنا كيف يمكن للمكتبة أن تخدمك أنت وعائلتك بشكل أفضل. يستغرق ذلك ثلاث "
                    "دقائق تقريبًا. لا تحتاج إلى كتابة اسمك.",
           "consent_text": "إجاباتك بدون اسم. نستخدمها فقط لتخطيط خدمات المكتبة.",
           "thank_you": "شكرًا لك! نقرأ كل إجابة، وسنشارك ما سمعناه.",
           "contact_purpose": "قد يتصل بك أحد موظفي المكتبة أو يكتب لك بخصوص ما أخبرتنا به."},
}

#: Each question: kind, texts per language (prompt, then low and high labels for a scale),
#: choices as (en, es, ar); a choice ending in True is retired.
QUESTIONS = [
    ("single_choice", ("How often do you come to the library?",
                       "¿Con qué frecuencia viene a la biblioteca?",
                       "كم مرة تأتي إلى المكتبة؟"),
     [("Every week", "Cada semana", "كل أسبوع"),
      ("About once a month", "Más o menos una vez al mes", "مرة في الشهر تقريبًا"),
      ("A few times a year", "Algunas veces al año", "بضع مرات في السنة"),
      ("This is my first time", "Es mi primera vez", "هذه أول مرة"),
      ("Hardly ever", "Casi nunca", "نادرًا")]),
    ("multi_choice", ("What would help you use the library more? Choose all that fit.",
                      "¿Qué le ayudaría a usar más la biblioteca? Elija todas las que quiera.",
                      "ما الذي يساعدك على استخدام المكتبة أكثر؟ اختر كل ما يناسبك."),
     [("Opening later in the evening", "Abrir más tarde por la noche", "ساعات مسائية أطول"),
      ("Homework help for my children", "Ayuda con las tareas para mis hijos",
       "مساعدة أطفالي في الواجبات المدرسية"),
      ("Books in my language", "Libros en mi idioma", "كتب بلغتي"),
      ("Help with computers and online forms", "Ayuda con computadoras y formularios en línea",
       "مساعدة في الحاسوب والنماذج الإلكترونية"),
      ("Knowing that it is free", "Saber que es gratis", "معرفة أن الخدمة مجانية"),
      ("English conversation practice", "Práctica de conversación en inglés",
       "التدرّب على المحادثة بالإنجليزية"),
      ("Activities for families", "Actividades para familias", "أنشطة للعائلات"),
      ("A bigger parking lot", "Un estacionamiento más grande", "موقف سيارات أكبر", True)]),
    ("rating", ("How welcome do you feel at the library?",
                "¿Qué tan bienvenido o bienvenida se siente en la biblioteca?",
                "ما مدى شعورك بالترحيب في المكتبة؟"),
     [("Not welcome", "Nada bienvenido", "لا أشعر بالترحيب"),
      ("Very welcome", "Muy bienvenido", "أشعر بترحيب كبير")]),
    ("yes_no", ("Do you have a library card?", "¿Tiene tarjeta de la biblioteca?",
                "هل لديك بطاقة مكتبة؟"), "yes_no"),
    ("age_band", ("How old are you?", "¿Qué edad tiene?", "كم عمرك؟"), "age_band"),
    ("area", ("Where do you live?", "¿Dónde vive?", "أين تسكن؟"),
     [(name, None, None) for name in AREAS[:-1]]
     + [("Somewhere else", "En otro lugar", "مكان آخر")]),
    ("number", ("How many children under 18 live with you?",
                "¿Cuántos niños menores de 18 años viven con usted?",
                "كم طفلًا دون 18 سنة يعيش معك؟"), []),
    ("ranking", ("Which times suit you best for a family activity? Put them in order.",
                 "¿Qué horarios le convienen más para una actividad familiar? Póngalos en orden.",
                 "ما الأوقات الأنسب لك لنشاط عائلي؟ رتّبها حسب الأفضلية."),
     [("Weekday after school", "Entre semana después de la escuela", "أيام الأسبوع بعد المدرسة"),
      ("Weekday evening", "Entre semana por la noche", "مساء أيام الأسبوع"),
      ("Saturday morning", "Sábado por la mañana", "صباح السبت"),
      ("Sunday afternoon", "Domingo por la tarde", "بعد ظهر الأحد")]),
    ("long_text", ("What would make the library better for you?",
                   "¿Qué haría que la biblioteca fuera mejor para usted?",
                   "ما الذي يجعل المكتبة أفضل بالنسبة لك؟"), []),
]

#: Written answers, echoing what outreach heard (DOMAIN.md §5).
COMMENTS = {
    "en": [
        "Please open later at least one evening a week. I finish work at 6 and the branch is "
        "already closed.",
        "I didn't know the library card was free. Put that on a sign by the door, in big "
        "letters.",
        "My kids had fines years ago and I'm still scared to come back. Is that still a thing?",
        "Help with my phone and email. I can't set up the tablet my son gave me.",
        "A quiet place to study after school, with Wi-Fi that works.",
        "More large-print books, and could the bookmobile stop on Thursdays?",
        "Someone to help with the online rent subsidy forms. The office only takes them online.",
        "Staff at Eastgate are friendly. My daughter loves story time.",
        "English conversation groups, please. My class has a long waitlist.",
        "The guard at Central follows teenagers around. It doesn't feel welcoming.",
    ],
    "es": [
        "Abrir más tarde un día a la semana. Salimos del trabajo a las seis.",
        "Libros para mi hija en español y en inglés.",
        "Clases de inglés para el trabajo, con las palabras de seguridad.",
        "Más libros con dibujos en español para los niños pequeños.",
        "No sabía que la tarjeta era gratis. Me da miedo dar mi dirección.",
        "Ayuda con la computadora para mandar dinero a mi familia de forma segura.",
        "Que alguien hable español en la biblioteca de Millbrook los sábados.",
        "Actividades para familias los domingos por la tarde.",
        "Un lugar tranquilo para que mis hijos hagan la tarea.",
        "Gracias por preguntar. La bibliotecaria de Millbrook es muy amable.",
    ],
    "ar": [
        "أريد مساعدة لأطفالي في الواجبات المدرسية باللغة العربية.",
        "لم أكن أعرف أن بطاقة المكتبة مجانية.",
        "أخاف من الغرامات إذا تأخرت الكتب. هل ما زالت موجودة؟",
        "أريد أن أتعلم استخدام الحاسوب لأجد عملًا.",
        "كتب عربية أكثر للأطفال والكبار.",
        "مجموعة للمحادثة بالإنجليزية للأمهات.",
        "غرفة للأطفال صباح يوم السبت مع متطوعين يتكلمون العربية.",
        "موظفو فرع إيستغيت لطفاء جدًا، شكرًا لكم.",
        "مساعدة في بوابة المدرسة الإلكترونية وكلمات المرور.",
        "ساعات أطول في المساء بعد العمل.",
    ],
}

#: Where each channel's responses come from, and in which languages.
CHANNELS = {"kiosk": 35, "web": 40, "paper": 25}
PAPER_BRANCHES = {"Central": 20, "Eastgate": 30, "Northside": 20, "Millbrook": 20,
                  "Books on the Go": 10}
KIOSKS = {"Eastgate": "Tablet by the children's area", "Millbrook": "Tablet at the front desk"}
BRANCH_LANGUAGES = {
    "Eastgate": (35, 20, 45), "Millbrook": (45, 55, 0), "Northside": (90, 0, 10),
    "Central": (70, 15, 15), "Books on the Go": (60, 40, 0), None: (55, 25, 20)}
TRANSCRIBERS = {"Eastgate": riverbend.AMIRA, "Millbrook": riverbend.LUCIA,
                "Northside": riverbend.DANIEL, "Central": riverbend.MARCUS,
                "Books on the Go": riverbend.MARCUS}
#: What people asked for most, by language: chance of ticking each choice of question 2.
WISHES = {"en": (.35, .2, .1, .3, .25, .1, .3), "es": (.55, .3, .5, .25, .3, .35, .35),
          "ar": (.3, .6, .45, .35, .4, .4, .3)}
#: Ranking preferences per language: the choice most likely to come first.
FAVOURITE_TIME = {"en": 0, "es": 3, "ar": 2}
#: Contacts left by the few who opted in to be called back (all fictional).
CONSENTS = [
    ("ar", "Eastgate", "phone", "555-0142", "Amal"),
    ("ar", "Eastgate", "text", "555-0178", ""),
    ("es", "Millbrook", "phone", "555-0115", "José"),
    ("en", "Northside", "email", "ray.n@example.org", "Ray"),
    ("es", None, "email", "familia.ortiz@example.org", ""),
    ("en", "Central", "text", "555-0163", "Dee"),
]


def add_demo_survey(branches: dict[str, Branch], people: dict[str, User],
                    communities: dict[str, FocusCommunity]) -> Survey:
    """Add the demo form with its kiosks, responses and a few contact consents. Flushes."""
    rng = random.Random(SEED)
    today = library_day_start(library_today())
    survey = _build_survey(people[riverbend.AMIRA], communities[riverbend.EASTGATE_FAMILIES],
                           opened=today - timedelta(days=DAYS + 3))
    survey.kiosk_links = [KioskLink(branch=branches[name], label=label,
                                    created_by=people[riverbend.AMIRA])
                          for name, label in KIOSKS.items()]
    db.session.add_all([SurveyArea(name=name, position=place)
                        for place, name in enumerate(AREAS)] + [survey])
    db.session.flush()
    responses = [_response(rng, survey, branches, people, today) for _ in range(RESPONSES)]
    ids = db.session.scalars(
        sa.insert(SurveyResponse).returning(SurveyResponse.id, sort_by_parameter_order=True),
        [row for row, _ in responses]).all()
    answer = _Answering(rng, survey)
    db.session.execute(sa.insert(Answer), [
        row for response_id, (fields, age) in zip(ids, responses, strict=True)
        for row in answer.rows(response_id, fields["language"], age)])
    db.session.add_all(
        _consent(survey, branches, consent, given=today - timedelta(days=3 + 7 * n, hours=-15))
        for n, consent in enumerate(CONSENTS))
    db.session.flush()
    return survey


def _build_survey(creator: User, community: FocusCommunity, *, opened: datetime) -> Survey:
    survey = Survey(status="open", purpose="general_input", focus_community=community,
                    default_language="en", languages=list(LANGUAGES), texts=FORM_TEXTS,
                    asks_for_contact=True, consent_months=6, created_by=creator,
                    opened_at=opened)
    survey.questions = [_question(position, *spec) for position, spec in enumerate(QUESTIONS)]
    return survey


def _question(position: int, kind: str, prompts: tuple, choices) -> Question:
    texts = {lang: {"prompt": prompt} for lang, prompt in zip(LANGUAGES, prompts, strict=True)}
    question = Question(kind=kind, position=position, texts=texts,
                        is_required=kind == "single_choice")
    if kind == "rating":
        for lang, low, high in zip(LANGUAGES, *choices, strict=True):
            texts[lang].update(low_label=low, high_label=high)
    elif kind == "number":
        question.min_value, question.max_value = 0, 15
    elif isinstance(choices, str):
        labels = FIXED_LABELS[choices]
        question.options = [QuestionOption(position=place, texts={
            lang: {"label": labels[lang][place]} for lang in LANGUAGES})
            for place in range(len(labels["en"]))]
    else:
        question.options = [QuestionOption(
            position=place, is_retired=len(labels) > 3,
            texts={lang: {"label": label} for lang, label in zip(LANGUAGES, labels) if label})
            for place, labels in enumerate(choices)]
    return question


def _response(rng: random.Random, survey: Survey, branches: dict[str, Branch],
              people: dict[str, User], today: datetime) -> tuple[dict, int]:
    """Return the fields of one response and how many days ago it came in."""
    channel = _weighted(rng, CHANNELS)
    kiosk = rng.choice(survey.kiosk_links) if channel == "kiosk" else None
    branch_name = (kiosk.branch.name if kiosk else
                   _weighted(rng, PAPER_BRANCHES) if channel == "paper" else None)
    language = rng.choices(LANGUAGES, weights=BRANCH_LANGUAGES[branch_name])[0]
    days_ago = rng.randrange(1, DAYS + 1)  # today's hours may still be ahead
    submitted = today - timedelta(days=days_ago) + timedelta(minutes=rng.randrange(600, 1200))
    return {
        "survey_id": survey.id, "submission_id": f"demo-{rng.getrandbits(96):024x}",
        "channel": channel, "branch_id": branches[branch_name].id if branch_name else None,
        "kiosk_link_id": kiosk.id if kiosk else None, "language": language,
        "submitted_at": submitted.astimezone(UTC),
        "transcribed_by_id": (people[TRANSCRIBERS[branch_name]].id if channel == "paper"
                              else None),
        "review_status": _review_status(rng, days_ago),
    }, days_ago


def _review_status(rng: random.Random, days_ago: int) -> str:
    if days_ago < 14:
        return "reviewed" if rng.random() < .15 else "new"
    return rng.choices(("reviewed", "archived", "new"), weights=(80, 8, 12))[0]


class _Answering:
    """Makes up one person's answers, loosely following who they are."""

    def __init__(self, rng: random.Random, survey: Survey) -> None:
        self.rng = rng
        self.questions = {question.kind: question for question in survey.questions}

    def rows(self, response_id: int, language: str, days_ago: int) -> list[dict]:
        rng, rows = self.rng, []

        def add(kind: str, **value) -> None:
            rows.append({"response_id": response_id, "question_id": self.questions[kind].id,
                         **value})

        visits = rng.choices(range(5), weights=(30, 25, 20, 10, 15))[0]
        add("single_choice", option_id=self._option("single_choice", visits))
        for place, chance in enumerate(WISHES[language]):
            if rng.random() < chance:
                add("multi_choice", option_id=self._option("multi_choice", place))
        if days_ago > 35 and rng.random() < .15:
            add("multi_choice", option_id=self._option("multi_choice", 7))
        if rng.random() < .95:
            weights = (2, 5, 20, 38, 35) if visits < 2 else (8, 15, 30, 30, 17)
            add("rating", number_value=rng.choices(range(1, 6), weights=weights)[0])
        has_card = rng.random() < (.8 if visits < 2 else .35)
        add("yes_no", option_id=self._option("yes_no", 0 if has_card else 1))
        self._maybe(add, "age_band", .9, rng.choices(range(10), weights=(
            1, 4, 10, 22, 22, 14, 10, 8, 5, 4))[0])
        self._maybe(add, "area", .95, rng.choices(range(5), weights=(35, 20, 15, 20, 10))[0])
        if rng.random() < .85:
            add("number", number_value=rng.choices(range(6), weights=(
                (20, 20, 25, 20, 10, 5) if language != "en" else (45, 20, 20, 10, 4, 1)))[0])
        if rng.random() < .6:
            for rank, place in enumerate(self._order(language), start=1):
                add("ranking", option_id=self._option("ranking", place), rank=rank)
        if rng.random() < .45:
            add("long_text", text_value=rng.choice(COMMENTS[language]))
        return rows

    def _option(self, kind: str, place: int) -> int:
        return self.questions[kind].options[place].id

    def _maybe(self, add: Callable, kind: str, chance: float, place: int) -> None:
        if self.rng.random() < chance:
            add(kind, option_id=self._option(kind, place))

    def _order(self, language: str) -> list[int]:
        places = [0, 1, 2, 3]
        self.rng.shuffle(places)
        if self.rng.random() < .6:
            places.remove(FAVOURITE_TIME[language])
            places.insert(0, FAVOURITE_TIME[language])
        return places


def _consent(survey: Survey, branches: dict[str, Branch], consent: tuple, *,
             given: datetime) -> ConsentRecord:
    language, branch, channel, value, name = consent
    return ConsentRecord(
        purpose="form_follow_up", wording=FORM_TEXTS[language]["contact_purpose"],
        language=language, method="paper" if branch == "Central" else "online", name=name,
        channel=channel, contact_value=value, survey_id=survey.id,
        branch_id=branches[branch].id if branch else None, given_at=given.astimezone(UTC),
        expires_on=given.date() + timedelta(days=30 * survey.consent_months))


def _weighted(rng: random.Random, weights: dict[str, int]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]
