"""The stories of change booklet: what each audience's copy carries, read back with pdftotext."""

import shutil
import subprocess
from datetime import date

import pytest

from app.documents.audience import Audience
from app.evaluation.models import Story, StorySelection
from app.evaluation.stories import booklet
from app.extensions import db


def pdf_text(pdf: bytes, tmp_path) -> str:
    """Return the PDF's text with whitespace collapsed, as pdftotext reads it."""
    assert pdf.startswith(b"%PDF-")
    path = tmp_path / "booklet.pdf"
    path.write_bytes(pdf)
    command = [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-enc", "UTF-8", str(path), "-"]
    # The command is fixed and the file is one this test wrote.
    text = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return " ".join(text.split())


@pytest.fixture
def plan(make_action_group, make_plan, member):
    """A plan with an internal story, an anonymous one a panel chose twice, and a named one."""
    group = make_action_group(members=[member], name="Eastgate Families Table")
    plan = make_plan(title="Homework help", action_group=group)
    inside = Story(plan=plan, title="Kept inside the group", teller_role="a teenager",
                   what_changed="Quietlake secret change.", consent_level="internal_only",
                   told_on=date(2026, 3, 20))
    anonymous = Story(plan=plan, title="A second home", teller_role="a grandmother from Tower B",
                      what_changed="My grandson comes here after school now.",
                      why_it_matters="He is not alone at home.",
                      consent_level="anonymous_public", told_on=date(2026, 2, 1))
    named = Story(plan=plan, title="Reading with my daughter", teller_role="a mother of two",
                  teller_name="Amira Haddad", what_changed="We read together every night.",
                  consent_level="named_public", told_on=date(2026, 3, 1))
    anonymous.selections = [
        StorySelection(panel="two parents and the branch librarian", round="winter",
                       chosen_on=date(2026, 2, 20), reason="It shows a safe place after school."),
        StorySelection(panel="the whole group", round="spring", chosen_on=date(2026, 4, 2),
                       reason="Still the clearest change we heard.")]
    inside.selections = [StorySelection(panel="the group", chosen_on=date(2026, 4, 3),
                                        reason="Quietlake panel reason.")]
    db.session.add_all([inside, anonymous, named])
    db.session.commit()
    return plan


@pytest.mark.parametrize("audience", ["public", "partners"])
def test_public_and_partner_copies_carry_only_public_stories(
        member_client, plan, audience, tmp_path):
    response = member_client.get(f"/plans/{plan.id}/stories.pdf?audience={audience}")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = pdf_text(response.data, tmp_path)
    assert "Stories of change: Homework help" in text
    assert "Quietlake" not in text and "Kept inside the group" not in text
    assert "Told by a grandmother from Tower B" in text
    assert "Told by Amira Haddad, a mother of two" in text
    assert "It shows a safe place after school." in text
    assert "Still the clearest change we heard." in text
    assert "The teller was told" not in text
    # The panel's choice comes first, then the other public story.
    assert text.index("The stories the panel chose") < text.index("A second home") \
        < text.index("More stories") < text.index("Reading with my daughter")


def test_the_internal_copy_carries_every_story_marked_with_its_consent(
        staff_client, plan, tmp_path):
    response = staff_client.get(f"/plans/{plan.id}/stories.pdf?audience=internal")

    text = pdf_text(response.data, tmp_path)
    assert "Internal: not for sharing outside the library" in text
    assert "Kept inside the group Internal only" in text
    assert "Quietlake secret change." in text and "Quietlake panel reason." in text
    assert "A second home Public, without a name" in text
    assert "Reading with my daughter Public, with their name" in text
    assert "The teller has not been told yet." in text
    # Newest choice first: the internal story was chosen on 3 April, the other on 2 April.
    assert text.index("Kept inside the group") < text.index("A second home")


def test_members_may_not_print_the_internal_copy(member_client, plan):
    assert member_client.get(f"/plans/{plan.id}/stories.pdf?audience=internal").status_code \
        == 403


def test_large_print_and_an_unknown_audience(member_client, plan):
    large = member_client.get(f"/plans/{plan.id}/stories.pdf?audience=public&large=1")
    unknown = member_client.get(f"/plans/{plan.id}/stories.pdf?audience=everyone")

    assert large.status_code == 200 and large.data.startswith(b"%PDF-")
    assert unknown.status_code == 400


def test_the_booklet_data_lists_the_latest_choice_first_for_each_story(plan):
    prepared = booklet(plan, Audience.PUBLIC)

    assert [story.title for story in prepared.selected] == ["A second home"]
    assert [story.title for story in prepared.others] == ["Reading with my daughter"]
    assert [choice.round for choice in prepared.selected[0].selections] == ["spring", "winter"]
    assert prepared.others[0].teller == "Amira Haddad, a mother of two"


def test_a_plan_without_public_stories_prints_a_plain_note(
        member_client, make_plan, make_action_group, member, tmp_path):
    plan = make_plan(title="Quiet plan",
                     action_group=make_action_group(members=[member]))
    db.session.commit()

    text = pdf_text(member_client.get(f"/plans/{plan.id}/stories.pdf").data, tmp_path)
    assert "No stories are ready to share yet." in text
