"""The access table (tests/security/access_table.csv) lists every endpoint and method with who
may use it, and stays true: a route missing from it, a row for a route that is gone, or a row
whose roles differ from the app's declared access level fails here. Refresh it with
`.venv/bin/python -m tests.security.make_access_table` and read the diff."""

from app.accounts.access import Access, access_for
from tests.security.make_access_table import COLUMNS, read_table, roles_for, table_rows

REFRESH = "Run .venv/bin/python -m tests.security.make_access_table and review the diff."


def _keys(rows) -> set[tuple[str, str]]:
    return {(row["endpoint"], row["methods"]) for row in rows}


def test_every_route_and_method_is_in_the_access_table(app):
    missing = _keys(table_rows(app)) - _keys(read_table())
    assert missing == set(), f"Routes missing from the access table. {REFRESH}"


def test_the_access_table_names_no_route_that_is_gone(app):
    gone = _keys(read_table()) - _keys(table_rows(app))
    assert gone == set(), f"The access table lists routes the app no longer has. {REFRESH}"


def test_each_rows_roles_match_the_apps_access_level(app):
    live = {(row["endpoint"], row["methods"]): row for row in table_rows(app)}
    wrong = []
    for row in read_table():
        assert tuple(row) == COLUMNS
        expected = live.get((row["endpoint"], row["methods"]))
        if expected is not None and expected != row:
            wrong.append((row, access_for(app, row["endpoint"])))
    assert wrong == [], f"Rows that disagree with the app. {REFRESH}"


def test_the_table_never_opens_a_closed_page_to_anonymous_people_or_kiosks(app):
    for row in read_table():
        level = access_for(app, row["endpoint"])
        assert level is not None, row["endpoint"]
        if level > Access.PUBLIC:
            assert row["anonymous"] == row["kiosk"] == "no", row
        if level >= Access.STAFF:
            assert row["member"] == "no", row
        if level == Access.ADMIN:
            assert row["staff"] == "no", row
        assert row["admin"] in {"yes", "token"}, row


def test_member_rows_with_a_groups_id_say_own_groups(app):
    rule = next(rule for rule in app.url_map.iter_rules() if rule.endpoint == "plans.plan")
    assert roles_for(Access.MEMBER, rule)["member"] == "own groups"
    row = next(row for row in read_table() if row["endpoint"] == "plans.plan")
    assert row["member"] == "own groups"
