"""The codebook: listing themes with their evidence, adding, renaming, nesting and merging."""

import sqlalchemy as sa

from app.extensions import db
from app.plans.models import plan_themes
from app.themes.codebook import merge_themes
from app.themes.coding import conversation_source, quote_source
from app.themes.models import DismissedSuggestion, Excerpt, Priority, Theme, excerpt_themes
from tests.themes.test_coding import make_excerpt  # noqa: F401 (a fixture)


def _theme(name: str) -> Theme | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(Theme).where(Theme.name == name))


def test_the_codebook_groups_themes_by_kind_with_excerpt_and_source_counts(
        staff_client, make_conversation, make_theme, make_excerpt):  # noqa: F811
    homework = make_theme(name="Homework help", kind="need")
    fines = make_theme(name="Fear of fines", kind="barrier")
    make_theme(name="Nothing coded yet", kind="asset")
    one = make_conversation(notes="Kids need homework help.", quotes=[{"text": "Homework!"}])
    two = make_conversation(notes="Homework club is full; fines scare people.")
    make_excerpt(conversation_source(one), homework, words="homework help")
    make_excerpt(quote_source(one.quotes[0]), homework)  # same conversation: one source
    make_excerpt(conversation_source(two), homework, fines)
    db.session.commit()
    page = staff_client.get("/themes/").get_data(as_text=True)
    assert page.index('id="kind-need"') < page.index('id="kind-barrier"') < page.index(
        'id="kind-asset"')
    row = page[page.index("Homework help"):page.index("</tr>", page.index("Homework help"))]
    assert '<td class="number">3</td>' in row and '<td class="number">2</td>' in row
    row = page[page.index("Fear of fines"):page.index("</tr>", page.index("Fear of fines"))]
    assert row.count('<td class="number">1</td>') == 2


def test_the_codebook_filters_by_kind_status_focus_community_and_words(
        staff_client, make_theme, make_focus_community):
    eastgate = make_focus_community(name="Eastgate")
    make_theme(name="Homework help", kind="need", focus_community=eastgate)
    make_theme(name="Late hours", kind="need", status="parked",
               description="Open after the factory shift")
    make_theme(name="Tenants' association", kind="trusted_actor")
    db.session.commit()

    def names(query: str) -> set[str]:
        page = staff_client.get(f"/themes/?{query}").get_data(as_text=True)
        return {name for name in ("Homework help", "Late hours", "Tenants&#39; association")
                if name in page}

    assert names("kind=need") == {"Homework help", "Late hours"}
    assert names("status=parked") == {"Late hours"}
    assert names(f"focus_community_id={eastgate.id}") == {"Homework help"}
    assert names("q=factory") == {"Late hours"}
    assert names("q=nothing-like-it") == set()
    assert "No themes match these filters" in staff_client.get("/themes/?q=zz").get_data(
        as_text=True)


def test_a_theme_is_added_and_renamed(staff_client, staff, make_focus_community):
    eastgate = make_focus_community(name="Eastgate")
    db.session.commit()
    response = staff_client.post("/themes/new", data={
        "name": "  Homework help ", "kind": "need", "description": "Help with school work.",
        "parent_id": "0", "focus_community_id": str(eastgate.id), "status": "emerging"})
    theme = _theme("Homework help")
    assert response.location == f"/themes/{theme.id}"
    assert (theme.kind, theme.focus_community, theme.created_by) == ("need", eastgate, staff)
    staff_client.post(f"/themes/{theme.id}/edit", data={
        "name": "Homework help in home languages", "kind": "need", "parent_id": "0",
        "focus_community_id": "0", "status": "confirmed"})
    renamed = _theme("Homework help in home languages")
    assert renamed.id == theme.id and renamed.status == "confirmed"
    assert renamed.focus_community is None


def test_a_second_theme_with_the_same_name_is_refused_next_to_the_field(staff_client,
                                                                       make_theme):
    make_theme(name="Homework help")
    db.session.commit()
    response = staff_client.post("/themes/new", data={
        "name": "HOMEWORK HELP", "kind": "need", "parent_id": "0", "focus_community_id": "0",
        "status": "emerging"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="name-error"' in page
    assert "already in the codebook" in page
    assert db.session.scalar(sa.select(sa.func.count(Theme.id))) == 1


def test_a_theme_cannot_sit_inside_itself_or_its_own_sub_theme(staff_client, make_theme):
    top = make_theme(name="Top")
    middle = make_theme(name="Middle", parent=top)
    bottom = make_theme(name="Bottom", parent=middle)
    db.session.commit()
    form = staff_client.get(f"/themes/{top.id}/edit").get_data(as_text=True)
    assert f'<option value="{bottom.id}"' not in form and f'<option value="{top.id}"' not in form
    for parent in (top, bottom):
        response = staff_client.post(f"/themes/{top.id}/edit", data={
            "name": "Top", "kind": "need", "parent_id": str(parent.id),
            "focus_community_id": "0", "status": "emerging"})
        assert response.status_code == 200
    assert _theme("Top").parent_id is None
    staff_client.post(f"/themes/{bottom.id}/edit", data={
        "name": "Bottom", "kind": "need", "parent_id": str(top.id), "focus_community_id": "0",
        "status": "emerging"})
    assert _theme("Bottom").parent_id == top.id


def test_the_theme_page_lists_its_excerpts_with_source_and_coder(
        staff_client, staff, make_conversation, make_theme, make_excerpt):  # noqa: F811
    theme = make_theme(name="Homework help")
    conversation = make_conversation(notes="Kids need homework help on Saturdays.")
    make_excerpt(conversation_source(conversation), theme, words="homework help")
    db.session.commit()
    page = staff_client.get(f"/themes/{theme.id}").get_data(as_text=True)
    assert "<mark>homework help</mark>" in page and f"Coded by {staff.name}" in page
    assert f'href="/conversations/{conversation.id}"' in page
    assert f'href="/themes/code/conversation/{conversation.id}"' in page
    assert staff_client.get("/themes/999").status_code == 404


def _merge_corpus(make_conversation, make_theme, make_excerpt,  # noqa: F811
                  make_priority, make_plan):
    stays, goes = make_theme(name="Homework help"), make_theme(name="Help with homework")
    child = make_theme(name="Maths homework", parent=goes)
    source = conversation_source(make_conversation(notes="Homework help, please. Maths too."))
    on_both = make_excerpt(source, stays, goes, words="Homework help")
    only_goes = make_excerpt(source, goes, words="Maths too")
    priority = make_priority(theme=goes)
    plan_both, plan_goes = make_plan(), make_plan()
    plan_both.themes = [stays, goes]
    plan_goes.themes = [goes]
    db.session.add(DismissedSuggestion(source_ref="quote:1", theme_id=goes.id,
                                       dismissed_by_id=on_both.coded_by_id))
    db.session.commit()
    return stays, goes, child, on_both, only_goes, priority, plan_both, plan_goes


def test_merging_moves_everything_to_the_theme_that_stays(
        staff_client, make_conversation, make_theme, make_excerpt,  # noqa: F811
        make_priority, make_plan):
    stays, goes, child, on_both, only_goes, priority, plan_both, plan_goes = _merge_corpus(
        make_conversation, make_theme, make_excerpt, make_priority, make_plan)
    url = f"/themes/{goes.id}/merge"
    preview = staff_client.get(f"{url}?into_id={stays.id}").get_data(as_text=True)
    assert "1 excerpt, plus 1 already coded to both (kept once)" in preview
    assert "1 sub-theme" in preview and "1 priority" in preview
    assert "1 plan, plus 1 that already answer both (kept once)" in preview
    assert _theme("Help with homework") is not None  # nothing moved on preview

    response = staff_client.post(url, data={"into_id": str(stays.id)})
    assert response.location == f"/themes/{stays.id}"
    assert _theme("Help with homework") is None
    links = set(db.session.execute(sa.select(excerpt_themes)))
    assert links == {(on_both.id, stays.id), (only_goes.id, stays.id)}
    assert db.session.get(Theme, child.id).parent_id == stays.id
    assert db.session.get(Priority, priority.id).theme_id == stays.id
    assert set(db.session.execute(sa.select(plan_themes))) == {
        (plan_both.id, stays.id), (plan_goes.id, stays.id)}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DismissedSuggestion)) == 0
    assert db.session.scalar(sa.select(sa.func.count(Excerpt.id))) == 2
    assert "Merged “Help with homework” into “Homework help”." in staff_client.get(
        response.location).get_data(as_text=True)


def test_merging_into_a_sub_theme_keeps_the_tree_free_of_loops(make_theme):
    top = make_theme(name="Top")
    goes = make_theme(name="Goes", parent=top)
    middle = make_theme(name="Middle", parent=goes)
    stays = make_theme(name="Stays", parent=middle)
    merge_themes(goes, stays)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Theme, stays.id).parent_id == top.id
    assert db.session.get(Theme, middle.id).parent_id == stays.id


def test_a_theme_cannot_be_merged_into_itself_or_a_missing_theme(staff_client, make_theme):
    theme = make_theme(name="Alone")
    db.session.commit()
    page = staff_client.post(f"/themes/{theme.id}/merge",
                             data={"into_id": str(theme.id)}).get_data(as_text=True)
    assert 'id="into_id-error"' in page
    assert staff_client.post(f"/themes/{theme.id}/merge",
                             data={"into_id": "0"}).status_code == 200
    assert _theme("Alone") is not None
    assert f'<option value="{theme.id}"' not in staff_client.get(
        f"/themes/{theme.id}/merge").get_data(as_text=True)


def test_members_cannot_open_the_codebook(member_client):
    assert member_client.get("/themes/").status_code == 403
    assert member_client.get("/themes/to-code").status_code == 403
