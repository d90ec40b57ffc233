"""Privacy operations: consent records, retention, one person's export and anonymisation, the
audit log, and backups. `flask privacy ...` runs its commands; `flask backup` and
`flask restore` keep the database safe."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, cli_group="privacy")

#: Modules that attach routes and commands to `bp`; create_app() loads them.
ROUTE_MODULES = ("views", "commands")
