"""Login, logout, and the admin screens for users and branches."""

import sqlalchemy as sa
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from app.accounts import bp
from app.accounts.access import Access, allow, note_password_confirmed
from app.accounts.forms import BranchForm, ConfirmPasswordForm, LoginForm, UserForm
from app.accounts.models import Branch, User
from app.accounts.services import (
    BranchNameTaken,
    EmailTaken,
    authenticate,
    branch_choices,
    safe_next_url,
    save_branch,
    save_user,
)
from app.accounts.sessions import end_session, resume_session, start_session
from app.extensions import db, limiter, login_manager
from app.privacy.audit import AuditAction, account_change_detail, record

#: Where the browser's login-session token lives in the signed Flask session.
SESSION_TOKEN_KEY = "login_token"  # noqa: S105 -- a key name, not a secret


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return resume_session(int(user_id), session.get(SESSION_TOKEN_KEY))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _account_key() -> str:
    """Count login attempts per account named, whichever address they come from."""
    return "login-account:" + User.normalise_email(request.form.get("email", ""))[:254]


@bp.route("/login", methods=["GET", "POST"])
@allow(Access.PUBLIC)
@limiter.limit(_login_limit, methods=["POST"])
@limiter.limit(_account_limit, methods=["POST"], key_func=_account_key)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(
                "That email and password do not match an active account. Check both and try again.")
        else:
            session.clear()  # a new session at login: nothing carries over from before
            session[SESSION_TOKEN_KEY] = start_session(user)
            note_password_confirmed()
            db.session.commit()
            login_user(user)
            return redirect(safe_next_url(request.args.get("next")) or url_for("main.index"))
    return render_template("accounts/login.html", form=form)


#: Wrong passwords on the confirm page before the login is ended.
CONFIRM_ATTEMPTS = 5


@bp.route("/account/confirm", methods=["GET", "POST"])
@allow(Access.MEMBER)
def confirm_password():
    """Ask for the password again before admin pages, when it was typed a while ago."""
    form = ConfirmPasswordForm()
    next_url = safe_next_url(request.args.get("next")) or url_for("main.index")
    if form.validate_on_submit():
        if current_user.check_password(form.password.data):
            session.pop("confirm_failures", None)
            note_password_confirmed()
            return redirect(next_url)
        failures = session.get("confirm_failures", 0) + 1
        if failures >= CONFIRM_ATTEMPTS:
            end_session(session.get(SESSION_TOKEN_KEY))
            db.session.commit()
            logout_user()
            session.clear()
            flash("That password was wrong too many times, so you have been logged out. Log in "
                  "again.", "warning")
            return redirect(url_for("accounts.login"))
        session["confirm_failures"] = failures
        form.password.errors.append("That is not your password. Check it and try again.")
    return render_template("accounts/confirm_password.html", form=form)


@bp.route("/logout", methods=["POST"])
@allow(Access.MEMBER)
def logout():
    # CSRFProtect has already refused a post without a valid token.
    end_session(session.get(SESSION_TOKEN_KEY))
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have logged out.", "info")
    return redirect(url_for("accounts.login"))


@bp.route("/admin/users")
@allow(Access.ADMIN)
def users():
    people = db.session.scalars(sa.select(User).order_by(User.disabled_at.is_not(None), User.name))
    return render_template("accounts/users.html", users=people.all())


def _user_form(user: User) -> UserForm:
    form = UserForm(obj=user)
    form.branch_id.choices = branch_choices()
    if request.method == "GET":
        form.branch_id.data = user.branch_id or 0
        form.is_disabled.data = user.disabled_at is not None
    return form


@bp.route("/admin/users/new", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@allow(Access.ADMIN)
def edit_user(user_id: int | None):
    user = db.get_or_404(User, user_id) if user_id else User()
    form = _user_form(user)
    if form.validate_on_submit():
        if not user.id and not form.password.data:
            form.password.errors.append("A new account needs a password.")
        elif user.id == current_user.id and (form.is_disabled.data or form.role.data != "admin"):
            form.role.errors.append("You cannot disable your own account or remove your own "
                                    "admin role; ask another admin.")
        else:
            try:
                save_user(user, name=form.name.data, email=form.email.data, role=form.role.data,
                          branch_id=form.branch_id.data, password=form.password.data,
                          is_disabled=form.is_disabled.data)
            except EmailTaken:
                form.email.errors.append("Another account already uses this email address.")
            else:
                record(AuditAction.ACCOUNT_CHANGE, f"user {user.id}", account_change_detail(
                    user, is_new=user_id is None, password_set=bool(form.password.data)))
                db.session.commit()
                flash(f"Saved the account of {user.name}.", "success")
                return redirect(url_for(".users"))
    return render_template("accounts/edit_user.html", form=form, user=user)


@bp.route("/admin/branches")
@allow(Access.ADMIN)
def branches():
    rows = db.session.scalars(sa.select(Branch).order_by(Branch.is_active.desc(), Branch.name))
    return render_template("accounts/branches.html", branches=rows.all())


@bp.route("/admin/branches/new", methods=["GET", "POST"], defaults={"branch_id": None})
@bp.route("/admin/branches/<int:branch_id>", methods=["GET", "POST"])
@allow(Access.ADMIN)
def edit_branch(branch_id: int | None):
    branch = db.get_or_404(Branch, branch_id) if branch_id else Branch(is_active=True)
    form = BranchForm(obj=branch)
    if form.validate_on_submit():
        try:
            save_branch(branch, name=form.name.data, kind=form.kind.data,
                        catchment=form.catchment.data, is_active=form.is_active.data)
        except BranchNameTaken:
            form.name.errors.append("Another branch already has this name.")
        else:
            db.session.commit()
            flash(f"Saved {branch.name}.", "success")
            return redirect(url_for(".branches"))
    return render_template("accounts/edit_branch.html", form=form, branch=branch)
