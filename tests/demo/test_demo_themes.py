"""The demo codebook: themes coded across sources, and a share-back whose vote endorsed two
priorities."""

import pytest
import sqlalchemy as sa

from app.community.models import FocusCommunity
from app.conversations.models import Conversation
from app.demo import riverbend
from app.demo.seed import seed_demo
from app.demo.themes import (
    CONVERSATION_CIRCLES,
    SATURDAY_MORNINGS,
    SAY_IT_IS_FREE,
    THEMES,
)
from app.extensions import db
from app.surveys.models import Answer
from app.themes.coding import answer_source, conversation_source, meeting_source, quote_source
from app.themes.models import DotVote, Excerpt, Priority, Theme


def _by(model, key: str) -> dict:
    return {getattr(record, key): record for record in db.session.scalars(sa.select(model))}


@pytest.fixture
def made(app):
    made = seed_demo()["themes"]
    db.session.commit()
    return made


def test_the_twelve_themes_have_their_kinds_and_some_focus_communities(made):
    themes = db.session.scalars(sa.select(Theme)).all()
    assert {theme.name for theme in themes} == set(THEMES)
    assert len(themes) == 12
    assert {theme.kind for theme in themes} == {
        "aspiration", "need", "concern", "barrier", "asset", "trusted_actor"}
    assert all(theme.excerpts for theme in themes)
    assert {theme.status for theme in themes} >= {"emerging", "confirmed", "prioritised"}
    assert made["themes"] == {theme.name: theme for theme in themes}


def test_two_priorities_are_endorsed_by_one_decision_of_a_held_share_back(made):
    endorsed = db.session.scalars(
        sa.select(Priority).where(Priority.status == "community_endorsed")).all()
    assert {priority.title for priority in endorsed} == {SATURDAY_MORNINGS, SAY_IT_IS_FREE}
    [decision] = {priority.decision for priority in endorsed}
    assert decision is made["decisions"]["eastgate_priorities"]
    meeting = decision.meeting
    assert meeting.is_held and meeting.kind == "share_back" and meeting.headcount == 23
    assert set(meeting.supports) == {"interpretation", "childcare", "food"}
    assert meeting.agenda_items and meeting.action_items and meeting.notes
    assert decision.method == "dot_vote" and "24" in decision.result_note
    assert all(priority.theme.status == "prioritised" for priority in endorsed)
    third = made["priorities"][CONVERSATION_CIRCLES]
    assert third.status == "staff_draft" and third.decision is None
    dots = {vote.priority.title: vote.dots for vote in meeting_votes(meeting.id)}
    assert dots[SATURDAY_MORNINGS] > dots[SAY_IT_IS_FREE] > dots[CONVERSATION_CIRCLES]


def meeting_votes(meeting_id: int) -> list[DotVote]:
    return db.session.scalars(sa.select(DotVote).filter_by(meeting_id=meeting_id)).all()


def test_a_share_back_is_planned_at_northside_with_candidates_to_print(made):
    northside = made["meetings"]["northside_share_back"]
    assert northside.status == "planned" and northside.decisions == []
    assert northside.focus_community.name == riverbend.NORTHSIDE_ELDERS
    votes = meeting_votes(northside.id)
    assert len(votes) == 3 and all(vote.dots is None for vote in votes)


def test_excerpts_come_from_every_kind_of_source_and_are_exact_passages(made):
    excerpts = db.session.scalars(sa.select(Excerpt)).all()
    assert {excerpt.source_kind for excerpt in excerpts} == {
        "conversation", "quote", "answer", "meeting"}
    builders = {"conversation": lambda e: conversation_source(e.conversation),
                "quote": lambda e: quote_source(e.quote),
                "answer": lambda e: answer_source(e.answer),
                "meeting": lambda e: meeting_source(e.meeting)}
    for excerpt in excerpts:
        text = builders[excerpt.source_kind](excerpt).text
        if excerpt.is_whole_item:
            assert excerpt.text == text
        else:
            assert text[excerpt.start_offset:excerpt.end_offset] == excerpt.text


def test_eastgate_hears_some_themes_from_five_or_more_sources_and_places(made):
    eastgate = _by(FocusCommunity, "name")[riverbend.EASTGATE_FAMILIES]
    rows = db.session.execute(
        sa.select(Theme.name, sa.func.count(sa.distinct(Excerpt.source_key)),
                  sa.func.count(sa.distinct(Excerpt.place_key)))
        .join(Excerpt.themes).where(Excerpt.focus_community_id == eastgate.id)
        .group_by(Theme.name)).all()
    counts = {name: (sources, places) for name, sources, places in rows}
    free_sources, free_places = counts["Fear of costs and fines; unclear that services are free"]
    assert free_sources >= 5 and free_places >= 3
    assert counts["Homework help in home languages"][0] >= 5


def test_some_things_heard_are_left_for_the_to_code_queue(made):
    coded = set(db.session.scalars(sa.select(Excerpt.conversation_id).distinct()))
    assert set(db.session.scalars(sa.select(Conversation.id))) - coded
    coded_answers = set(db.session.scalars(sa.select(Excerpt.answer_id).distinct())) - {None}
    written = set(db.session.scalars(sa.select(Answer.id).where(Answer.text_value.is_not(None))))
    assert coded_answers and coded_answers < written
