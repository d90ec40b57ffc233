"""The Riverbend codebook, all invented: the twelve themes of DOMAIN.md §5 coded to passages of
the demo conversations, their quotes and the demo form's written answers; the priorities drawn
from them; a share-back meeting at Eastgate ten weeks ago whose dot vote endorsed two of
them; and a share-back planned at Northside.

Passages are found by their words, so every excerpt is an exact part of its source. Some
sources stay uncoded on purpose: new form responses and the latest conversations fill the
"to code" queue.
"""

from calendar import SATURDAY, WEDNESDAY
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from app.accounts.models import Branch, User
from app.community.models import FocusCommunity
from app.conversations.models import Conversation, Quote
from app.demo.riverbend import (
    AMIRA,
    DANIEL,
    DOWNTOWN_YOUTH,
    EASTGATE_FAMILIES,
    LUCIA,
    MARCUS,
    MILLBROOK_WORKERS,
    NORTHSIDE_ELDERS,
)
from app.extensions import db
from app.meetings.models import ActionItem, AgendaItem, Decision, Meeting
from app.records import library_today
from app.surveys.models import Answer, ReviewStatus, SurveyResponse
from app.themes.coding import (
    Source,
    answer_source,
    code_passage,
    conversation_source,
    meeting_source,
    quote_source,
)
from app.themes.models import Priority, Theme
from app.themes.priorities import decide_from_votes, record_votes, set_candidates

FREE = "Fear of costs and fines; unclear that services are free"
FORMS = "Forms that ask for ID or an address put people off"
HOURS = "Hours don't fit workers' days"
UNWELCOME = "Feeling unwelcome or watched in the library"
HOMEWORK = "Homework help in home languages"
ONLINE = "Help with online government and school systems"
ISOLATION = "Isolation of older adults in winter"
CONVERSATION = "Conversation practice in English"
TEENS = "A safe, warm space for teens where nobody watches them"
SKILLS = "Neighbours want to share their skills"
TRUSTED = "Trusted people: tenants' association president, clinic nurse, settlement workers"
NEIGHBOURS = "A place where neighbours know each other"

#: name: (kind, focus community or None for several, status, who started it, description)
THEMES: dict[str, tuple[str, str | None, str, str, str]] = {
    FREE: ("barrier", EASTGATE_FAMILIES, "emerging", AMIRA,
           "People do not know the card is free, and fear fines that stopped two years ago."),
    FORMS: ("barrier", MILLBROOK_WORKERS, "emerging", LUCIA,
            "Being asked for proof of address or ID keeps workers from signing up."),
    HOURS: ("barrier", MILLBROOK_WORKERS, "confirmed", LUCIA,
            "The branch closes when the working day ends."),
    UNWELCOME: ("barrier", DOWNTOWN_YOUTH, "emerging", MARCUS,
                "Some people feel the library is not for them, or that staff watch them."),
    HOMEWORK: ("need", EASTGATE_FAMILIES, "emerging", AMIRA,
               "Children need someone to explain homework in the language spoken at home."),
    ONLINE: ("need", None, "confirmed", AMIRA,
             "School portals, rent subsidy forms and tablets that people cannot set up alone."),
    ISOLATION: ("concern", NORTHSIDE_ELDERS, "confirmed", DANIEL,
                "Older people living alone see no one for days in winter."),
    CONVERSATION: ("need", EASTGATE_FAMILIES, "confirmed", AMIRA,
                   "ESL classes are full; what people miss is someone to talk with."),
    TEENS: ("need", DOWNTOWN_YOUTH, "emerging", MARCUS,
            "Teens want somewhere warm, with Wi-Fi, where they are not followed around."),
    SKILLS: ("asset", None, "emerging", DANIEL,
             "Radio repair, Tigrinya teaching, retired teachers: neighbours offer what they "
             "know."),
    TRUSTED: ("trusted_actor", None, "emerging", DANIEL,
              "People trust the tenants' association president, the clinic nurse and the "
              "settlement workers more than \"the city\"."),
    NEIGHBOURS: ("aspiration", None, "emerging", MARCUS,
                 "A town where neighbours know each other."),
}

#: Passages of conversation notes: (exact words, themes).
NOTES = [
    ("None knew a library card is free.", [FREE]),
    ("Two thought kids' books cost money if they come back late; fines stopped two years ago "
     "but word hasn't reached them.", [FREE]),
    ("They want a place where kids do homework with someone who can explain in Arabic.",
     [HOMEWORK]),
    ("Parents asked about help with the school's online portal: passwords, messages from "
     "teachers they can't find.", [ONLINE]),
    ("Volunteers teach Tigrinya to about 25 kids in a borrowed church basement that's cold and "
     "cramped.", [SKILLS]),
    ("They asked if the library room is free on Saturday mornings. They'd bring their own "
     "teachers.", [HOMEWORK, SKILLS]),
    ("One woman said the library is for students.", [UNWELCOME]),
    ("Her English class is full and she's on a waitlist.", [CONVERSATION]),
    ("Three older men said winter is long and they see no one some days.", [ISOLATION]),
    ("One used to fix radios and would happily show others.", [SKILLS]),
    ("None use email; one has a tablet from his son he can't set up.", [ONLINE]),
    ("rent subsidy forms now online only", [ONLINE]),
    ("They trust Gloria and the nurse who visits monthly, not \"the city\".", [TRUSTED]),
    ("Many would come to things if there were a ride; the bus stop has no bench.", [ISOLATION]),
    ("Workers say they finish at 6 pm and the branch closes at 6 pm.", [HOURS]),
    ("Worried about giving their address on forms.", [FORMS]),
    ("She offered her waiting room for a book box.", [TRUSTED]),
    ("Some were asked to leave Central for sleeping and feel unwelcome.", [UNWELCOME]),
    ("Teens want somewhere warm with Wi-Fi and no one \"watching\" them.", [TEENS]),
    ("Say the security guard at Central follows them around.", [UNWELCOME]),
    ("Waitlist of 40 for ESL; conversation practice is the gap.", [CONVERSATION]),
    ("Several retired teachers in the area might volunteer to run conversation circles at the "
     "branch.", [SKILLS, CONVERSATION]),
    ("Aspirations heard: neighbours who know each other", [NEIGHBOURS]),
]

#: Quotes coded whole: (words that pick out the quote, themes).
QUOTES = [
    ("Nobody told us the card is free.", [FREE]),
    ("explain the homework in Arabic", [HOMEWORK]),
    ("Our children should not learn their language in a cold basement.", [HOMEWORK]),
    ("The library is for students, not for people like me.", [UNWELCOME]),
    ("Some days in winter I don't say a word to anybody.", [ISOLATION]),
    ("We trust Gloria and the nurse.", [TRUSTED]),
    ("If there was a ride, I'd be there every week.", [ISOLATION]),
    ("We finish at six, you close at six.", [HOURS]),
    ("I got asked to leave for falling asleep.", [UNWELCOME]),
    ("Somewhere warm with Wi-Fi where nobody's watching us.", [TEENS]),
    ("what they never get is someone to talk to", [CONVERSATION]),
    ("A town where neighbours know each other.", [NEIGHBOURS]),
]

#: Passages of the form's written answers, coded wherever they occur in a reviewed response.
ANSWERS = [
    ("Please open later at least one evening a week.", [HOURS]),
    ("I didn't know the library card was free.", [FREE]),
    ("My kids had fines years ago and I'm still scared to come back.", [FREE]),
    ("Help with my phone and email. I can't set up the tablet my son gave me.", [ONLINE]),
    ("A quiet place to study after school, with Wi-Fi that works.", [TEENS]),
    ("Someone to help with the online rent subsidy forms.", [ONLINE]),
    ("English conversation groups, please.", [CONVERSATION]),
    ("The guard at Central follows teenagers around. It doesn't feel welcoming.", [UNWELCOME]),
    ("Abrir más tarde un día a la semana.", [HOURS]),
    ("No sabía que la tarjeta era gratis.", [FREE]),
    ("Me da miedo dar mi dirección.", [FORMS]),
    ("Un lugar tranquilo para que mis hijos hagan la tarea.", [HOMEWORK]),
    ("أريد مساعدة لأطفالي في الواجبات المدرسية باللغة العربية.", [HOMEWORK]),
    ("لم أكن أعرف أن بطاقة المكتبة مجانية.", [FREE]),
    ("أخاف من الغرامات إذا تأخرت الكتب.", [FREE]),
    ("مجموعة للمحادثة بالإنجليزية للأمهات.", [CONVERSATION]),
    ("غرفة للأطفال صباح يوم السبت مع متطوعين يتكلمون العربية.", [HOMEWORK]),
    ("مساعدة في بوابة المدرسة الإلكترونية وكلمات المرور.", [ONLINE]),
    ("ساعات أطول في المساء بعد العمل.", [HOURS]),
]

SATURDAY_MORNINGS = ("Saturday homework and language mornings co-run with the Horn of Africa "
                     "Families Association")
SAY_IT_IS_FREE = "Say clearly, in four languages, that the library is free"
CONVERSATION_CIRCLES = "English conversation circles with retired teachers"
PORTAL_EVENINGS = "Evening help with the school's online portal"
FIX_IT_AND_TEA = "Winter Fix-it and tea afternoons led by residents"
SCAM_AWARENESS = "Scam-awareness afternoons with the tenants' association"
THURSDAY_STOP = "A bookmobile stop at St. Brendan's on Thursdays"
LATE_EVENING = "One late evening a week at Millbrook in season"

#: title: (theme, focus community, who drafted it, why it matters)
PRIORITIES: dict[str, tuple[str, str, str, str]] = {
    SATURDAY_MORNINGS: (HOMEWORK, EASTGATE_FAMILIES, AMIRA,
                        "Parents want a place where children do homework with someone who "
                        "explains in their language. The association has volunteer teachers "
                        "and needs a warm room on Saturday mornings."),
    SAY_IT_IS_FREE: (FREE, EASTGATE_FAMILIES, AMIRA,
                     "Many families did not know a card is free, and some still fear fines "
                     "that stopped two years ago. Signs, card forms and a short welcome in "
                     "Arabic, Dari, Tigrinya and English."),
    CONVERSATION_CIRCLES: (CONVERSATION, EASTGATE_FAMILIES, AMIRA,
                           "English classes have a waitlist of 40; what people miss is someone "
                           "to talk with. Retired teachers nearby may volunteer."),
    PORTAL_EVENINGS: (ONLINE, EASTGATE_FAMILIES, AMIRA,
                      "Parents cannot find teachers' messages or reset passwords on the "
                      "school's portal."),
    FIX_IT_AND_TEA: (ISOLATION, NORTHSIDE_ELDERS, DANIEL,
                     "Some residents see no one for days in winter, and a neighbour who used "
                     "to fix radios would happily show others."),
    SCAM_AWARENESS: (TRUSTED, NORTHSIDE_ELDERS, DANIEL,
                     "Tenants fear phone scams and trust their association more than the "
                     "city; it offered to co-host."),
    THURSDAY_STOP: (ISOLATION, NORTHSIDE_ELDERS, DANIEL,
                    "People at the Thursday lunch want large-print books and cannot easily "
                    "get to the branch."),
    LATE_EVENING: (HOURS, MILLBROOK_WORKERS, LUCIA,
                   "Workers finish at 6 pm, when the branch closes."),
}

#: The Eastgate share-back's dot vote: candidates in sheet order, with their dots.
EASTGATE_DOTS = {SATURDAY_MORNINGS: 24, SAY_IT_IS_FREE: 18, CONVERSATION_CIRCLES: 13,
                 PORTAL_EVENINGS: 8}
EASTGATE_VOTERS = 21
NORTHSIDE_CANDIDATES = [FIX_IT_AND_TEA, SCAM_AWARENESS, THURSDAY_STOP]

EASTGATE_NOTES = (
    "23 people came, and 9 children played in the story corner with the childcare worker. "
    "Amira went through what we heard, with Arabic and Tigrinya interpreters at two tables. "
    "People said we heard them right about the card being free and about homework. Several "
    "mothers said they would come on Saturdays if there was a room for younger children too. "
    "Volunteers from the Horn of Africa Families Association offered to bring their teachers. "
    "Parents want portal help as well but said it can wait until the homework mornings start. "
    "Dot vote on four ideas; the two with most dots were agreed by everyone present.")
#: Passages of the share-back's notes: (exact words, themes).
MEETING_NOTES = [
    ("Several mothers said they would come on Saturdays if there was a room for younger "
     "children too.", [HOMEWORK]),
    ("Volunteers from the Horn of Africa Families Association offered to bring their "
     "teachers.", [SKILLS]),
]

AGENDAS = {
    "eastgate": [("Welcome, and how today works", "Amira Haddad", 10),
                 ("What we heard since the summer", "Amira Haddad", 25),
                 ("Did we hear you right? Small groups with interpreters", "Table hosts", 30),
                 ("Dot vote: what should come first?", "Everyone", 20),
                 ("What happens next", "Amira Haddad", 15)],
    "northside": [("Welcome and tea", "Daniel Okafor", 15),
                  ("What we heard in the towers and at St. Brendan's", "Daniel Okafor", 20),
                  ("Did we hear you right?", "Everyone", 25),
                  ("Dot vote on three ideas", "Everyone", 20),
                  ("Rides home and next steps", "Daniel Okafor", 10)],
}


def add_demo_themes(people: dict[str, User], communities: dict[str, FocusCommunity],
                    branches: dict[str, Branch]) -> dict[str, dict[str, Any]]:
    """Add the codebook, priorities and share-back meetings; return them by name. Flushes."""
    today = library_today()
    themes = _add_themes(people, communities)
    _code_conversations(themes)
    _code_answers(themes, people[AMIRA])
    priorities = _add_priorities(themes, people, communities)
    eastgate = _eastgate_share_back(people, communities, branches, today)
    _code_passages(meeting_source(eastgate), MEETING_NOTES, themes, people[AMIRA])
    decision = _hold_dot_vote(eastgate, priorities, people[AMIRA])
    northside = _northside_share_back(people, communities, branches, today)
    set_candidates(northside, [priorities[title].id for title in NORTHSIDE_CANDIDATES])
    return {"themes": themes, "priorities": priorities,
            "meetings": {"eastgate_share_back": eastgate, "northside_share_back": northside},
            "decisions": {"eastgate_priorities": decision}}


def _add_themes(people: dict[str, User],
                communities: dict[str, FocusCommunity]) -> dict[str, Theme]:
    themes = {}
    for name, (kind, community, status, creator, description) in THEMES.items():
        themes[name] = Theme(name=name, kind=kind, status=status, description=description,
                             focus_community=communities[community] if community else None,
                             created_by=people[creator])
    db.session.add_all(themes.values())
    db.session.flush()
    return themes


def _code_conversations(themes: dict[str, Theme]) -> None:
    conversations = db.session.scalars(
        sa.select(Conversation).options(selectinload(Conversation.quotes))).all()
    for phrase, names in NOTES:
        conversation = _only([item for item in conversations if phrase in item.notes], phrase)
        _code_passages(conversation_source(conversation), [(phrase, names)], themes,
                       conversation.logged_by)
    quotes = [quote for conversation in conversations for quote in conversation.quotes]
    for phrase, names in QUOTES:
        quote: Quote = _only([item for item in quotes if phrase in item.text], phrase)
        code_passage(quote_source(quote), [themes[name] for name in names],
                     by=quote.conversation.logged_by)


def _code_answers(themes: dict[str, Theme], coder: User) -> None:
    """Code the written answers of reviewed responses; new responses wait in the queue."""
    query = (sa.select(Answer).join(Answer.response)
             .where(Answer.text_value.is_not(None),
                    SurveyResponse.review_status != ReviewStatus.NEW)
             .options(selectinload(Answer.response).selectinload(SurveyResponse.branch),
                      selectinload(Answer.response).selectinload(SurveyResponse.survey))
             .order_by(Answer.id))
    for answer in db.session.scalars(query):
        passages = [(phrase, names) for phrase, names in ANSWERS if phrase in answer.text_value]
        if passages:
            _code_passages(answer_source(answer), passages, themes, coder)


def _code_passages(source: Source, passages: list[tuple[str, list[str]]],
                   themes: dict[str, Theme], coder: User) -> None:
    for phrase, names in passages:
        start = source.text.find(phrase)
        if start < 0:
            raise ValueError(f"The demo passage {phrase!r} is not in {source.ref}.")
        code_passage(source, [themes[name] for name in names], by=coder, start=start,
                     end=start + len(phrase))


def _add_priorities(themes: dict[str, Theme], people: dict[str, User],
                    communities: dict[str, FocusCommunity]) -> dict[str, Priority]:
    priorities = {
        title: Priority(title=title, theme=themes[theme], rationale=rationale,
                        focus_community=communities[community], created_by=people[creator])
        for title, (theme, community, creator, rationale) in PRIORITIES.items()}
    db.session.add_all(priorities.values())
    db.session.flush()
    return priorities


def _eastgate_share_back(people: dict[str, User], communities: dict[str, FocusCommunity],
                         branches: dict[str, Branch], today: date) -> Meeting:
    meeting = Meeting(
        title="Did we hear you right? Eastgate share-back", kind="share_back",
        held_on=_weekday_on_or_before(today - timedelta(days=70), SATURDAY),
        starts_at=time(10), ends_at=time(12), branch=branches["Eastgate"],
        focus_community=communities[EASTGATE_FAMILIES], place_text="Eastgate branch program room",
        languages=["en", "ar", "ti", "prs"],
        facilitator="Amira Haddad, community librarian, with two volunteer table hosts",
        headcount=23, notes=EASTGATE_NOTES, supports=["interpretation", "childcare", "food"],
        supports_note="Arabic and Tigrinya interpreters; childcare in the story corner; lunch "
                      "from a family-run caterer.",
        next_meeting="The first Saturday morning, in the program room",
        created_by=people[AMIRA], agenda_items=_agenda("eastgate"))
    meeting.mark_held(today)
    day = meeting.held_on
    meeting.action_items = [
        ActionItem(description="Book the Eastgate program room for Saturday mornings, 10 to "
                               "12, from next month", owner=people[AMIRA],
                   due_on=today + timedelta(days=5)),
        ActionItem(description="Bring the list of volunteer teachers who can come on "
                               "Saturdays",
                   owner_name="A volunteer from the Horn of Africa Families Association",
                   due_on=today + timedelta(days=3)),
        ActionItem(description="Draft the \"The library is free\" sign in Arabic, Dari, "
                               "Tigrinya and English", owner=people[AMIRA],
                   due_on=day + timedelta(days=10),
                   done_at=_afternoon(day + timedelta(days=8))),
    ]
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _hold_dot_vote(meeting: Meeting, priorities: dict[str, Priority],
                   recorder: User) -> Decision:
    set_candidates(meeting, [priorities[title].id for title in EASTGATE_DOTS])
    record_votes(meeting, {priorities[title].id: dots for title, dots in EASTGATE_DOTS.items()})
    chosen = [priorities[SATURDAY_MORNINGS].id, priorities[SAY_IT_IS_FREE].id]
    decision = decide_from_votes(
        meeting, chosen, decided_by="The 23 people at the Eastgate share-back",
        voters=EASTGATE_VOTERS, by=recorder)
    decision.recorded_at = _afternoon(meeting.held_on + timedelta(days=2))
    db.session.flush()
    return decision


def _northside_share_back(people: dict[str, User], communities: dict[str, FocusCommunity],
                          branches: dict[str, Branch], today: date) -> Meeting:
    meeting = Meeting(
        title="Northside winter share-back", kind="share_back", status="planned",
        held_on=_weekday_on_or_before(today + timedelta(days=18), WEDNESDAY),
        starts_at=time(14), ends_at=time(15, 30), branch=branches["Northside"],
        focus_community=communities[NORTHSIDE_ELDERS],
        place_text="Community room, Northside Towers", languages=["en", "fr"],
        facilitator="Daniel Okafor, community librarian", supports=["transit", "food"],
        supports_note="Rides from Tower D and St. Brendan's; tea and sandwiches.",
        created_by=people[DANIEL], agenda_items=_agenda("northside"))
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _agenda(name: str) -> list[AgendaItem]:
    return [AgendaItem(position=position, title=title, led_by=led_by, minutes=minutes)
            for position, (title, led_by, minutes) in enumerate(AGENDAS[name], start=1)]


def _only(matches: list, phrase: str):
    if len(matches) != 1:
        raise ValueError(f"The demo passage {phrase!r} matches {len(matches)} sources, not 1.")
    return matches[0]


def _weekday_on_or_before(day: date, weekday: int) -> date:
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _afternoon(day: date) -> datetime:
    return datetime.combine(day, time(16), tzinfo=UTC)
