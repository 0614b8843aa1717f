"""Administration: user accounts and roles, the estate's premises, rooms and beds, the audit log and the outbox.

Premises, rooms and beds load through the access module: out of scope (or of another premises than the address
names) raises NotInScope, which answers 404.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.admin.forms import (
    AccountStatusForm,
    BedsForm,
    EndBedForm,
    NewPremisesForm,
    NewRoomForm,
    NewUserForm,
    PremisesForm,
    RoomForm,
    UserForm,
    UserSearchForm,
)
from app.extensions import db
from app.filters import govuk_date
from app.flashes import flash_outcome
from app.models import AuditEvent, Bed, OutboxMessage, Premises, Room, User
from app.pagination import paginate, pagination_params
from app.permissions import Permission, requires
from app.services import access, estate, notifications, premises_admin
from app.services import users as user_admin
from app.services.audit import readable

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@requires(Permission.MANAGE_USERS)
def users():
    search = UserSearchForm(request.args)
    page = paginate(user_admin.users_query(search.q.data or "", search.role.data, search.active))
    return render_template(
        "admin/users/list.html", title="Users", search=search, page=page, pagination=pagination_params(page)
    )


@bp.route("/users/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def new_user():
    form = NewUserForm()
    if form.submitted_and_valid(lambda: user_admin.new_user_problems(form.details(), form.password.data)):
        user = user_admin.create_user(form.details(), form.password.data, by=current_user)
        flash(f"Account created for {user.name}", "success")
        return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/users/form.html", title="Add a user", form=form, user=None)


@bp.get("/users/<int:user_id>")
@requires(Permission.MANAGE_USERS)
def user(user_id: int):
    account = db.get_or_404(User, user_id)
    return render_template("admin/users/show.html", title=account.name, user=account)


@bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def edit_user(user_id: int):
    account = db.get_or_404(User, user_id)
    form = UserForm.editing(account)
    if form.submitted_and_valid(lambda: user_admin.user_problems(form.details(), user=account, by=current_user)):
        user_admin.update_user(account, form.details(), by=current_user)
        if account.id == current_user.id:
            login_user(account)  # changing your own roles ends your other sessions, not this one
        flash(f"Account updated for {account.name}", "success")
        return redirect(url_for("admin.user", user_id=account.id))
    return render_template("admin/users/form.html", title=f"Change {account.name}'s account", form=form, user=account)


@bp.route("/users/<int:user_id>/status", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def user_status(user_id: int):
    """Confirm deactivating an active account, or reactivating a deactivated one."""
    account = db.get_or_404(User, user_id)
    if request.method == "POST":
        form = AccountStatusForm()
        if not form.validate():
            abort(400)
        flash_outcome(lambda: user_admin.set_active(account, form.active.data == "true", by=current_user),
                      lambda _: f"{account.name}'s account is {'active' if account.is_active else 'deactivated'}")
        return redirect(url_for("admin.user", user_id=account.id))
    verb = "Deactivate" if account.is_active else "Reactivate"
    form = AccountStatusForm(data={"active": "false" if account.is_active else "true"})
    return render_template(
        "admin/users/status.html", title=f"{verb} {account.name}'s account", verb=verb, user=account, status_form=form
    )


@bp.get("/premises")
@requires(Permission.MANAGE_PREMISES)
def premises():
    return render_template("admin/premises/list.html", title="Manage premises", rows=premises_admin.premises_list(current_user))


@bp.route("/premises/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_PREMISES)
def new_premises():
    form = NewPremisesForm()
    if form.submitted_and_valid(
        lambda: premises_admin.new_premises_problems(form.details(), form.room_details(), form.beds.data)
    ):
        created = premises_admin.create_premises(form.details(), form.room_details(), form.beds.data, by=current_user)
        flash(f"{created.name} added with {_beds(form.beds.data)} in {created.rooms[0].name}", "success")
        return redirect(url_for("admin.premises_summary", premises_id=created.id))
    return render_template("admin/premises/form.html", title="Add a premises", form=form, premises=None)


@bp.get("/premises/<int:premises_id>")
@requires(Permission.MANAGE_PREMISES)
def premises_summary(premises_id: int):
    found = _premises(premises_id)
    return render_template(
        "admin/premises/show.html", title=f"Manage {found.name}", premises=found, rooms=estate.rooms_with_beds(found)
    )


@bp.route("/premises/<int:premises_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_PREMISES)
def edit_premises(premises_id: int):
    found = _premises(premises_id)
    form = PremisesForm.editing(found)
    if form.submitted_and_valid(lambda: premises_admin.premises_problems(form.details(), premises=found)):
        premises_admin.update_premises(found, form.details(), by=current_user)
        flash(f"{found.name} updated", "success")
        return redirect(url_for("admin.premises_summary", premises_id=found.id))
    return render_template("admin/premises/form.html", title=f"Change {found.name}", form=form, premises=found)


@bp.route("/premises/<int:premises_id>/rooms/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_PREMISES)
def new_room(premises_id: int):
    found = _premises(premises_id)
    form = NewRoomForm()
    if form.submitted_and_valid(lambda: premises_admin.new_room_problems(found, form.room_details(), form.beds.data)):
        room = premises_admin.add_room(found, form.room_details(), form.beds.data, by=current_user)
        flash(f"{room.name} added with {_beds(len(room.beds))}", "success")
        return redirect(url_for("admin.premises_summary", premises_id=found.id))
    return render_template("admin/rooms/form.html", title=f"Add a room to {found.name}", form=form, premises=found, room=None)


@bp.route("/premises/<int:premises_id>/rooms/<int:room_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_PREMISES)
def edit_room(premises_id: int, room_id: int):
    room = _room(premises_id, room_id)
    form = RoomForm.editing(room)
    if form.submitted_and_valid(lambda: premises_admin.room_problems(form.room_details(), room.premises, room=room)):
        premises_admin.update_room(room, form.room_details(), by=current_user)
        flash(f"{room.name} updated", "success")
        return redirect(url_for("admin.premises_summary", premises_id=premises_id))
    return render_template(
        "admin/rooms/form.html", title=f"Change {room.name}, {room.premises.name}", form=form, premises=room.premises, room=room
    )


@bp.route("/premises/<int:premises_id>/rooms/<int:room_id>/beds/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_PREMISES)
def new_beds(premises_id: int, room_id: int):
    room = _room(premises_id, room_id)
    form = BedsForm()
    if form.submitted_and_valid(lambda: premises_admin.beds_problems(form.beds.data)):
        beds = premises_admin.add_beds(room, form.beds.data, by=current_user)
        flash(f"{', '.join(bed.name for bed in beds)} added to {room.name}", "success")
        return redirect(url_for("admin.premises_summary", premises_id=premises_id))
    return render_template("admin/beds/new.html", title=f"Add beds to {room.name}, {room.premises.name}", form=form, room=room)


@bp.route("/premises/<int:premises_id>/beds/<int:bed_id>/end", methods=["GET", "POST"])
@requires(Permission.MANAGE_PREMISES)
def end_bed(premises_id: int, bed_id: int):
    bed = access.find(current_user, Bed, bed_id, at_premises=premises_id, to=Permission.MANAGE_PREMISES)
    form = EndBedForm.filled_from({"active_to": bed.active_to})
    if form.submitted_and_valid(lambda: premises_admin.bed_end_problems(bed, form.active_to.data)):
        premises_admin.end_bed(bed, form.active_to.data, by=current_user)
        flash(f"{bed.name} in {bed.room.name} is available until {govuk_date(bed.active_to)}", "success")
        return redirect(url_for("admin.premises_summary", premises_id=premises_id))
    return render_template(
        "admin/beds/end.html", title=f"End {bed.name}, {bed.room.name}, {bed.room.premises.name}", form=form, bed=bed
    )


@bp.get("/audit")
@requires(Permission.VIEW_AUDIT)
def audit():
    page = paginate(
        select(AuditEvent).options(joinedload(AuditEvent.user)).order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
    )
    return render_template(
        "admin/audit.html", title="Audit log", page=page, entries=readable(page.items), pagination=pagination_params(page)
    )


@bp.get("/outbox")
@requires(Permission.READ_OUTBOX)
def outbox():
    page = paginate(notifications.outbox_query())
    return render_template("admin/outbox/list.html", title="Outbox", page=page, status=notifications.status,
                           pagination=pagination_params(page))


@bp.get("/outbox/<int:message_id>")
@requires(Permission.READ_OUTBOX)
def outbox_message(message_id: int):
    message = db.session.get(OutboxMessage, message_id) or abort(404)
    return render_template("admin/outbox/message.html", title=message.subject, message=message,
                           status=notifications.status(message))


def _beds(count: int) -> str:
    return f"{count} bed{'' if count == 1 else 's'}"


def _premises(premises_id: int) -> Premises:
    return access.find(current_user, Premises, premises_id, to=Permission.MANAGE_PREMISES)


def _room(premises_id: int, room_id: int) -> Room:
    return access.find(current_user, Room, room_id, at_premises=premises_id, to=Permission.MANAGE_PREMISES)
