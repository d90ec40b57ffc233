"""Write tests/security/access_table.csv: who may use each endpoint, by method, from the app.

Run it after adding or changing routes, then read the diff:

    .venv/bin/python -m tests.security.make_access_table

tests/security/test_access_table.py fails while the table and the app disagree.
"""

import csv
from pathlib import Path

from flask import Flask
from werkzeug.routing import Rule

from app.accounts.access import Access, access_for

TABLE = Path(__file__).with_name("access_table.csv")
COLUMNS = ("endpoint", "methods", "anonymous", "kiosk", "member", "staff", "admin")
#: Id arguments that name an action group's records: members reach only their own groups'.
GROUP_SCOPED = {"group_id", "plan_id", "meeting_id", "activity_id", "session_id",
                "action_item_id", "item_id", "indicator_id", "decision_id", "membership_id",
                "story_id", "selection_id", "measurement_id", "evaluation_id"}


def methods_of(rule: Rule) -> str:
    return " ".join(sorted(rule.methods - {"HEAD", "OPTIONS"}))


def roles_for(level: Access | None, rule: Rule) -> dict[str, str]:
    """Return who may use `rule` at `level`: yes, no, own groups, or token (the link's secret)."""
    if level == Access.PUBLIC:
        # A public route with a secret in its path opens only for whoever holds the link.
        anyone = "token" if "token" in rule.arguments else "yes"
        return {"anonymous": anyone, "kiosk": anyone, "member": anyone, "staff": anyone,
                "admin": anyone}
    reach = {Access.MEMBER: ("member", "staff", "admin"), Access.STAFF: ("staff", "admin"),
             Access.ADMIN: ("admin",)}.get(level, ())
    roles = {role: ("yes" if role in reach else "no")
             for role in ("anonymous", "kiosk", "member", "staff", "admin")}
    if roles["member"] == "yes" and GROUP_SCOPED & set(rule.arguments):
        roles["member"] = "own groups"
    return roles


def table_rows(app: Flask) -> list[dict[str, str]]:
    """Return one row per (endpoint, methods) of the URL map, sorted by endpoint."""
    rows = {}
    for rule in app.url_map.iter_rules():
        row = {"endpoint": rule.endpoint, "methods": methods_of(rule),
               **roles_for(access_for(app, rule.endpoint), rule)}
        key = (row["endpoint"], row["methods"])
        if key in rows and rows[key] != row:
            # Two rules of one endpoint (e.g. with and without an optional part): the wider
            # wins, so a member's "own groups" shows when any of its URLs takes a group's id.
            row = {column: rows[key][column] if rows[key][column] != "yes" else row[column]
                   for column in COLUMNS}
        rows[key] = row
    return [rows[key] for key in sorted(rows)]


def read_table() -> list[dict[str, str]]:
    with TABLE.open(newline="") as table:
        return list(csv.DictReader(table))


def write_table(rows: list[dict[str, str]]) -> None:
    with TABLE.open("w", newline="") as table:
        writer = csv.DictWriter(table, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    from app import create_app

    built = create_app({"SECRET_KEY": "access-table", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    write_table(table_rows(built))
    print(f"Wrote {TABLE} ({len(read_table())} rows).")
