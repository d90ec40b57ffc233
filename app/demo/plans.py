"""The demo's action groups and plans: the Eastgate Families Table and its plan for Saturday
homework and language mornings, and the Northside Winter Circle with a plan still in draft.

The Eastgate plan goes draft → community-endorsed → active through decisions recorded at the
group's meetings, so its history reads as it would in real use. The demo member login belongs to
the Eastgate group only, which shows how members see their own group and nothing else.
"""

from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from app.accounts.models import Branch, User
from app.community.models import FocusCommunity, Organization
from app.conversations.models import Quote
from app.demo import riverbend
from app.extensions import db
from app.meetings.models import Decision, Meeting
from app.plans.activities import ActivityDetails, SessionDetails, add_activity, add_session
from app.plans.models import ActionGroup, Indicator, Membership, Plan, PlanStatus
from app.records import library_today
from app.themes.coding import code_passage, quote_source
from app.themes.models import Priority, Theme

EASTGATE_GROUP = "Eastgate Families Table"
NORTHSIDE_GROUP = "Northside Winter Circle"
EASTGATE_PLAN = "Saturday homework and language mornings"
HOMEWORK_THEME = "Homework help in home languages"
COSTS_THEME = "Fear of costs and fines; unclear that services are free"
#: Quotes heard in Eastgate that speak to the plan's themes, coded when the themes demo is absent.
THEME_QUOTES = {
    HOMEWORK_THEME: ["My son needs someone who can explain the homework in Arabic, not only in "
                     "English.",
                     "Our children should not learn their language in a cold basement."],
    COSTS_THEME: ["Nobody told us the card is free."],
}

#: (display name, role, consent to be listed, login email or None, days since joining)
EASTGATE_MEMBERS = [
    ("Selam", "co_chair", True, riverbend.MEMBER, 70),
    ("Hana", "member", True, None, 70),
    ("Farida", "member", False, None, 66),
    ("Rose", "member", False, None, 56),
    ("Tesfaye", "member", True, None, 70),
    ("Miriam", "member", False, None, 66),
    ("Nadia Karimi", "partner_rep", True, None, 70),
    ("Amira Haddad", "staff_liaison", True, riverbend.AMIRA, 70),
]
NORTHSIDE_MEMBERS = [
    ("Walter", "co_chair", True, None, 30),
    ("Irene", "member", True, None, 30),
    ("Mr. Baptiste", "member", False, None, 30),
    ("Joan", "member", True, None, 23),
    ("Ed", "member", False, None, 23),
    ("Gloria Mensah", "partner_rep", True, None, 30),
    ("Bookmobile driver", "member", True, None, 23),
    ("Daniel Okafor", "staff_liaison", True, riverbend.DANIEL, 30),
]

#: Saturday mornings so far: (people, new cards, items borrowed, referrals, notes)
SATURDAYS = [
    (9, 4, 11, 0, "First morning. Kids shy at first; the Tigrinya class filled the back half "
                  "of the room."),
    (12, 3, 18, 1, "Two mothers stayed for the whole morning."),
    (14, 2, 22, 0, ""),
    (13, 1, 19, 2, "Settlement worker came by and helped two families with school forms."),
    (17, 3, 27, 0, "Ran out of chairs. Need the folding ones from storage."),
    (16, 0, 24, 1, ""),
    (19, 2, 31, 0, "Three kids asked to take Arabic picture books home for little sisters."),
]


def add_demo_plans(people: Mapping[str, User], communities: Mapping[str, FocusCommunity],
                   branches: Mapping[str, Branch], organizations: Mapping[str, Organization],
                   themes_demo: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Add the demo action groups, their meetings and plans. The caller commits."""
    today = library_today()
    amira = people[riverbend.AMIRA]
    eastgate = _group(EASTGATE_GROUP, communities[riverbend.EASTGATE_FAMILIES], people,
                      EASTGATE_MEMBERS, today, cadence="Every third Tuesday, 6 to 7:30 pm",
                      purpose="Parents and volunteers from Eastgate who plan with the library "
                              "what our children and mothers need.",
                      rules="We decide by consensus. If we cannot agree after two meetings, "
                            "we vote and the majority decides.")
    northside = _group(NORTHSIDE_GROUP, communities[riverbend.NORTHSIDE_ELDERS], people,
                       NORTHSIDE_MEMBERS, today, cadence="Every other Thursday after lunch",
                       purpose="Residents of the Northside Towers who want nobody to spend "
                               "winter alone.", rules="We talk until we agree.")
    meetings = _eastgate_meetings(eastgate, branches["Eastgate"], amira, today)
    themes = _themes(themes_demo, communities[riverbend.EASTGATE_FAMILIES], amira)
    plan = _eastgate_plan(eastgate, branches["Eastgate"], amira, themes, meetings, today)
    _eastgate_activities(plan, people, organizations, today)
    winter = _northside_plan(northside, branches["Northside"], people[riverbend.DANIEL], today)
    db.session.flush()
    return {"groups": {EASTGATE_GROUP: eastgate, NORTHSIDE_GROUP: northside},
            "plans": {EASTGATE_PLAN: plan, winter.title: winter}, "meetings": meetings}


def _group(name: str, community: FocusCommunity, people: Mapping[str, User],
           members: list[tuple], today: date, *, cadence: str, purpose: str,
           rules: str) -> ActionGroup:
    group = ActionGroup(name=name, focus_community=community, status="active", purpose=purpose,
                        meeting_cadence=cadence, decision_rules=rules,
                        supports=["interpretation", "childcare", "food"])
    group.memberships = [
        Membership(display_name=display, role=role, consent_to_be_listed=consent,
                   user=people[email] if email else None,
                   joined_on=today - timedelta(days=days))
        for display, role, consent, email, days in members]
    db.session.add(group)
    return group


def _eastgate_meetings(group: ActionGroup, branch: Branch, amira: User,
                       today: date) -> dict[str, Meeting]:
    rows = [
        ("first", 63, "Eastgate Families Table: getting started", 11,
         "We shared what we heard at the settlement office, the family room and the Saturday "
         "school. Homework help in our languages and knowing the library is free came up "
         "again and again."),
        ("success", 56, "Eastgate Families Table: how will we know it worked?", 9,
         "Each person said what would make them say the mornings worked. We kept two signs in "
         "our own words, and the counts the library keeps anyway."),
        ("endorse", 49, "Eastgate Families Table: our plan", 10,
         "We read the plan together in Arabic, Tigrinya and English and agreed it is ours."),
    ]
    meetings = {}
    for key, days, title, headcount, notes in rows:
        meetings[key] = Meeting(
            title=title, kind="action_group", status="held",
            held_on=today - timedelta(days=days), starts_at=time(18), ends_at=time(19, 30),
            branch=branch, focus_community=group.focus_community, action_group=group,
            place_text="Eastgate branch, community room", languages=["en", "ar", "ti"],
            facilitator="Selam and Amira", headcount=headcount, notes=notes,
            supports=["interpretation", "childcare", "food"], created_by=amira)
        db.session.add(meetings[key])
    return meetings


def _themes(themes_demo: Mapping[str, Any] | None, community: FocusCommunity,
            amira: User) -> list[Theme]:
    """Return the plan's themes from the themes demo, the database, or made here with quotes."""
    known = dict((themes_demo or {}).get("themes") or {})
    themes = []
    for name, texts in THEME_QUOTES.items():
        theme = known.get(name) or db.session.scalar(sa.select(Theme).where(Theme.name == name))
        if theme is None:
            theme = Theme(name=name, kind="need" if name == HOMEWORK_THEME else "barrier",
                          status="prioritised", focus_community=community, created_by=amira)
            db.session.add(theme)
            for text in texts:
                quote = db.session.scalar(sa.select(Quote).where(Quote.text == text))
                if quote is not None:
                    code_passage(quote_source(quote), [theme], by=amira)
        themes.append(theme)
    return themes


def _eastgate_plan(group: ActionGroup, branch: Branch, amira: User, themes: list[Theme],
                   meetings: dict[str, Meeting], today: date) -> Plan:
    starts_on = _saturday_on_or_after(today - timedelta(days=46))
    plan = Plan(
        title=EASTGATE_PLAN, focus_community=group.focus_community, action_group=group,
        branch=branch, created_by=amira, themes=themes,
        goal="Our children get help with homework in the languages they think in, and mothers "
             "know the library is a place for them too, free and open to all.",
        why="Parents told us their children struggle with homework nobody at home can explain "
            "in English, and that the Saturday language school meets in a cold basement. Many "
            "did not know a library card is free or thought late books cost money.",
        summary="Every Saturday morning the branch community room becomes a homework and "
                "language space, run with the Horn of Africa Families Association's teachers "
                "and Arabic-speaking volunteers. Cards and signs say \u201cIt's free\u201d in "
                "four languages.",
        starts_on=starts_on, ends_on=starts_on + timedelta(weeks=20),
        staff_hours="Amira: 4 hours a week; one page (3 hours) every Saturday morning.",
        budget="Snacks: $40 a Saturday ($800 to the end of June).\n\u201cIt's free\u201d cards "
               "and signs in 4 languages: $350.\nInterpretation at group meetings: $60 each.",
        resources="Community room Saturdays 9:30 to 12:30; two laptops; dual-language picture "
                  "books moved to a cart for the mornings.",
        risks="Volunteer teachers may tire by spring: ask the association for a rota.\nThe "
              "room can be double-booked by rentals: block Saturdays for the whole term.\n"
              "Families may fear card forms that ask for an address: use the no-address card.",
        created_at=_moment(today, 70))
    db.session.add(plan)
    plan.record_change(amira, "community", "Drafted the plan from the group's first meeting")
    success = _decision(meetings["success"], amira,
                        "We agree on how we will know the mornings worked: kids leave with "
                        "homework done, mothers feel fine coming alone, and the counts the "
                        "library keeps.", method="consensus", decided_by=f"{group.name}, 9 "
                                                                          "members present")
    endorse = _decision(meetings["endorse"], amira,
                        f"We endorse \u201c{EASTGATE_PLAN}\u201d as our plan.", method="vote",
                        decided_by=f"{group.name}, 10 members present", votes_for=9,
                        votes_against=0, abstentions=1)
    plan.indicators = _indicators(success, endorse)
    plan.priorities = list(db.session.scalars(sa.select(Priority).where(
        Priority.theme_id.in_([theme.id for theme in themes if theme.id]),
        Priority.focus_community_id == group.focus_community.id)))
    db.session.flush()
    plan.move_to(PlanStatus.ENDORSED, by=amira, decision=endorse)
    plan.move_to(PlanStatus.ACTIVE, by=amira)
    for change, days in zip(plan.changes, (70, 49, 48), strict=True):
        change.changed_at = _moment(today, days)
    return plan


def _decision(meeting: Meeting, amira: User, text: str, **fields: Any) -> Decision:
    decision = meeting.record_decision(text=text, recorded_by=amira, **fields)
    decision.recorded_at = datetime.combine(meeting.held_on, time(23, 30), tzinfo=UTC)
    return decision


def _indicators(success: Decision, endorse: Decision) -> list[Indicator]:
    return [
        Indicator(position=1, statement="Kids in our group bring homework and leave with it "
                  "done", kind="observation", level="short_term",
                  how_measured="Volunteers tick a sheet for each child: homework brought, "
                               "homework finished. We count the ticks.",
                  collected_by="Saturday volunteers", frequency="Every Saturday",
                  baseline="Set by the first four Saturdays",
                  target="Most children, most Saturdays", agreed_at=success),
        Indicator(position=2, statement="Mothers say they feel fine coming to the library "
                  "alone", kind="story", level="intermediate",
                  how_measured="A short survey in Arabic, Dari, Tigrinya and English, and "
                               "stories mothers choose to tell at the group",
                  collected_by="Group members, with Amira", frequency="At 3 and 6 months",
                  baseline="At our first meeting, 2 of 9 mothers had come alone",
                  target="Most mothers in the group", agreed_at=success),
        Indicator(position=3, statement="Families use the library on days that are not "
                  "Saturday", kind="story", level="long_term",
                  how_measured="Stories at group meetings; staff notice familiar faces",
                  collected_by="The group and branch staff", frequency="Each term",
                  agreed_at=endorse),
        Indicator(position=4, statement="Saturday mornings held and children coming",
                  kind="count", level="output", how_measured="Headcount at each morning",
                  collected_by="Library staff", frequency="Every Saturday",
                  target="20 mornings, about 15 children each", agreed_at=success),
    ]


def _eastgate_activities(plan: Plan, people: Mapping[str, User],
                         organizations: Mapping[str, Organization], today: date) -> None:
    selam, amira = people[riverbend.MEMBER], people[riverbend.AMIRA]
    mornings = add_activity(plan, ActivityDetails(
        title="Saturday homework and language mornings", kind="program",
        description="Homework help with volunteers who speak Arabic, Dari and Tigrinya, and "
                    "the Horn of Africa association's Tigrinya class in the same room.",
        owner_id=selam.id,
        organization_ids=[organizations["Horn of Africa Families Association"].id],
        place="Eastgate branch, community room", schedule="Saturdays 9:30 to 12:30",
        starts_on=plan.starts_on, ends_on=plan.ends_on, languages=["ar", "prs", "ti", "en"],
        status="running"), by=amira)
    _backdate(plan, plan.starts_on - timedelta(days=4))
    free = add_activity(plan, ActivityDetails(
        title="\u201cIt's free\u201d cards and signs in 4 languages", kind="service_change",
        description="Cards and signs that say the library card, borrowing and the mornings "
                    "are free, and that late books cost nothing.", owner_id=amira.id,
        organization_ids=[organizations["Eastgate Settlement Services"].id],
        place="Eastgate branch, settlement office, school family room",
        schedule="Printed once; handed out every week", starts_on=plan.starts_on,
        ends_on=plan.starts_on + timedelta(weeks=6), languages=["ar", "prs", "ti", "en"],
        status="done"), by=amira)
    _backdate(plan, plan.starts_on - timedelta(days=4))
    add_activity(plan, ActivityDetails(
        title="Mothers' morning: coffee and a library tour", kind="outreach_service",
        description="A morning for mothers only, with childcare, to get a card and see the "
                    "branch with someone who speaks their language.", owner_name="Hana",
        place="Eastgate branch", schedule="One Tuesday morning in spring",
        starts_on=today + timedelta(days=24), ends_on=today + timedelta(days=24),
        languages=["ar", "ti"]), by=selam)
    _backdate(plan, today - timedelta(days=9))
    saturday = plan.starts_on
    for index, (headcount, cards, borrowed, referrals, notes) in enumerate(SATURDAYS):
        if saturday >= today:
            break
        add_session(mornings, SessionDetails(
            held_on=saturday, place="Eastgate branch, community room",
            facilitators="Tesfaye, Miriam and Amira", headcount=headcount, new_cards=cards,
            items_borrowed=borrowed, referrals=referrals, notes=notes),
            by=selam if index % 2 else amira, today=today)
        _backdate(plan, saturday)
        saturday += timedelta(weeks=1)
    add_session(free, SessionDetails(
        held_on=plan.starts_on + timedelta(days=3), place="Eastgate Settlement Services lobby",
        facilitators="Nadia Karimi and Amira", headcount=22, new_cards=6,
        other_outputs="400 cards printed; signs up at the branch and settlement office"),
        by=amira, today=today)
    _backdate(plan, plan.starts_on + timedelta(days=3))


def _backdate(plan: Plan, day: date) -> None:
    """Date the change just recorded on `plan` to the day it would have happened."""
    plan.changes[-1].changed_at = datetime.combine(day, time(16), tzinfo=UTC)


def _northside_plan(group: ActionGroup, branch: Branch, daniel: User, today: date) -> Plan:
    plan = Plan(
        title="Winter Fix-it & tea afternoons", focus_community=group.focus_community,
        action_group=group, branch=branch, created_by=daniel,
        goal="Nobody on our floor goes a whole week in January without seeing someone.",
        why="Residents of Tower B told us some days in winter they do not say a word to anyone.",
        summary="Afternoons in the tower's community room where residents fix small things, "
                "drink tea and get help with tablets.",
        starts_on=today + timedelta(days=30), ends_on=today + timedelta(days=120),
        staff_hours="Daniel: 3 hours a week", created_at=_moment(today, 21))
    db.session.add(plan)
    plan.record_change(daniel, "community", "Drafted the plan")
    plan.changes[0].changed_at = _moment(today, 21)
    return plan


def _saturday_on_or_after(day: date) -> date:
    return day + timedelta(days=(5 - day.weekday()) % 7)


def _moment(today: date, days_ago: int) -> datetime:
    # Mid-afternoon UTC is working hours anywhere in the Americas.
    return datetime.combine(today - timedelta(days=days_ago), time(16), tzinfo=UTC)
