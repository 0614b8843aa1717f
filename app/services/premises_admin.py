"""Editing the estate: premises, their rooms and beds, and the characteristics that matching relies on.

A premises always keeps at least one bed with no end date: it is created with its first room and beds, and
the last open bed cannot be ended.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app import clock
from app.extensions import db
from app.filters import govuk_date
from app.models import (
    Bed,
    Characteristic,
    Premises,
    Region,
    Room,
    User,
)
from app.permissions import Permission
from app.services import access, audit, estate
from app.services.periods import day_after, day_before
from app.services.premises_location import located, location_problems
from app.services.validation import (
    EMAIL_FORMAT_MESSAGE,
    existing,
    is_email_address,
    is_possible_id,
    refuse_if_any,
    text_problem,
)
from vocabulary import APType, CharacteristicScope, Gender

# Outward code, optional space, inward code; the space is put back when the postcode is stored.
UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
PREMISES_CODE = re.compile(r"^[A-Z0-9-]{2,12}$")
MAX_BEDS_ADDED_AT_ONCE = 50


@dataclass(frozen=True)
class PremisesDetails:
    name: str
    code: str
    gender: Gender | None
    ap_type: APType | None
    address: str
    town: str
    postcode: str
    longitude: float | None
    latitude: float | None
    region_id: int | None
    characteristic_ids: frozenset[int] = field(default_factory=frozenset)
    is_active: bool = True
    local_restrictions: str = ""
    email: str = ""


@dataclass(frozen=True)
class RoomDetails:
    name: str
    characteristic_ids: frozenset[int] = field(default_factory=frozenset)


def premises_list(user: User) -> list[tuple[Premises, int]]:
    """Every premises the user may see, by name, with its number of open beds (beds with no end date)."""
    open_beds = (
        select(Room.premises_id, func.count(Bed.id).label("beds"))
        .select_from(Bed)
        .join(Bed.room)
        .where(Bed.active_to.is_(None))
        .group_by(Room.premises_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Premises, func.coalesce(open_beds.c.beds, 0))
        .outerjoin(open_beds, open_beds.c.premises_id == Premises.id)
        .where(access.visible_premises(user))
        .options(joinedload(Premises.region))
        .order_by(Premises.name)
    )
    return [(premises, beds) for premises, beds in rows]


def characteristics(scope: CharacteristicScope) -> list[Characteristic]:
    return list(db.session.scalars(select(Characteristic).where(Characteristic.scope == scope).order_by(Characteristic.label)))


def normalised_postcode(postcode: str | None) -> str:
    """'pr11aa' becomes 'PR1 1AA'; anything that is not a UK postcode comes back upper-cased and stripped."""
    match = UK_POSTCODE.match(_compact(postcode))
    return f"{match[1]} {match[2]}" if match else (postcode or "").strip().upper()


def _compact(postcode: str | None) -> str:
    return re.sub(r"\s+", "", postcode or "").upper()


def premises_problems(details: PremisesDetails, *, premises: Premises | None = None) -> dict[str, str]:
    """Every rule `details` breaks, keyed by field; `premises` is the one being edited, if any."""
    checks = {
        "name": text_problem(details.name, missing="Enter the premises name", max_length=120, what="Name"),
        "code": _code_problem(details.code),
        "gender": None if details.gender else "Select who the premises is for",
        "ap_type": None if details.ap_type else "Select the type of AP",
        "address": text_problem(details.address, missing="Enter the address", max_length=200, what="Address"),
        "town": text_problem(details.town, missing="Enter the town or city", max_length=100, what="Town or city"),
        "postcode": _postcode_problem(details.postcode),
        "region": _region_problem(details.region_id),
        "characteristics": _characteristics_problem(details.characteristic_ids, CharacteristicScope.PREMISES),
        "email": EMAIL_FORMAT_MESSAGE if details.email.strip() and not is_email_address(details.email.strip())
        else None,
    }
    problems = _location_problems(details) | {name: problem for name, problem in checks.items() if problem}
    if "name" not in problems and _taken(Premises.name, details.name.strip(), premises):
        problems["name"] = "Another premises already has this name"
    if "code" not in problems and _taken(Premises.code, details.code.strip(), premises):
        problems["code"] = "Another premises already has this code"
    return problems


def room_problems(details: RoomDetails, premises: Premises, *, room: Room | None = None) -> dict[str, str]:
    problems = {}
    if problem := text_problem(details.name, missing="Enter the room name", max_length=40, what="Room name"):
        problems["room_name"] = problem
    elif any(other is not room and other.name.lower() == details.name.strip().lower() for other in premises.rooms):
        problems["room_name"] = f"{premises.name} already has a room with this name"
    if problem := _characteristics_problem(details.characteristic_ids, CharacteristicScope.ROOM):
        problems["room_characteristics"] = problem
    return problems


def beds_problems(count: int | None) -> dict[str, str]:
    if count is None or not 1 <= count <= MAX_BEDS_ADDED_AT_ONCE:
        return {"beds": f"Enter a number of beds from 1 to {MAX_BEDS_ADDED_AT_ONCE}"}
    return {}


def new_premises_problems(details: PremisesDetails, first_room: RoomDetails, bed_count: int | None) -> dict[str, str]:
    return premises_problems(details) | room_problems(first_room, Premises(rooms=[])) | beds_problems(bed_count)


def new_room_problems(premises: Premises, details: RoomDetails, bed_count: int | None) -> dict[str, str]:
    return room_problems(details, premises) | beds_problems(bed_count)


def _code_problem(code: str | None) -> str | None:
    code = (code or "").strip()
    if not code:
        return "Enter the premises code"
    if not PREMISES_CODE.match(code.upper()):
        return "Premises code must be 2 to 12 letters, numbers or hyphens"
    return None


def _postcode_problem(postcode: str | None) -> str | None:
    if not (postcode or "").strip():
        return "Enter the postcode"
    if not UK_POSTCODE.match(_compact(postcode)):
        return "Enter a full UK postcode, like PR1 1AA"
    return None


def _location_problems(details: PremisesDetails) -> dict[str, str]:
    """Whether the point agrees with the postcode, town and region; a field's own problem, added after, wins."""
    region = existing(Region, details.region_id)
    return location_problems(details.longitude, details.latitude, details.postcode, details.town,
                             region.name if region else None)


def _region_problem(region_id: int | None) -> str | None:
    if region_id is None:
        return "Select the probation region"
    return None if existing(Region, region_id) else "Select a region from the list"


def _characteristics_problem(ids: frozenset[int], scope: CharacteristicScope) -> str | None:
    if not ids:
        return None
    if all(is_possible_id(i) for i in ids):
        found = db.session.scalar(
            select(func.count(Characteristic.id)).where(Characteristic.id.in_(ids), Characteristic.scope == scope)
        )
        if found == len(ids):
            return None
    return "Select characteristics from the list"


def _taken(column, value: str, premises: Premises | None) -> bool:
    holder = db.session.scalar(select(Premises).where(func.lower(column) == value.lower()))
    return holder is not None and (premises is None or holder.id != premises.id)


def _characteristics_by_id(ids: frozenset[int]) -> list[Characteristic]:
    return list(db.session.scalars(select(Characteristic).where(Characteristic.id.in_(ids)))) if ids else []


def create_premises(details: PremisesDetails, first_room: RoomDetails, bed_count: int | None, *, by: User) -> Premises:
    """A new premises comes with its first room and at least one bed, so it is never without beds."""
    refuse_if_any(new_premises_problems(details, first_room, bed_count))
    premises = Premises()
    _apply_details(premises, details)
    room = _new_room(premises, first_room, bed_count)
    db.session.add(premises)
    db.session.flush()
    access.require(by, premises, Permission.MANAGE_PREMISES)  # nobody creates a premises they could not then manage
    audit.record("premises_created", premises, user=by, **_describe(premises), first_room=room.name, beds=bed_count)
    db.session.commit()
    return premises


def update_premises(premises: Premises, details: PremisesDetails, *, by: User) -> Premises:
    access.require(by, premises, Permission.MANAGE_PREMISES)
    refuse_if_any(premises_problems(details, premises=premises))
    before = _describe(premises)
    _apply_details(premises, details)
    audit.record_changes("premises_updated", premises, before, _describe(premises), user=by)
    db.session.commit()
    return premises


def add_room(premises: Premises, details: RoomDetails, bed_count: int | None, *, by: User) -> Room:
    access.require(by, premises, Permission.MANAGE_PREMISES)
    refuse_if_any(new_room_problems(premises, details, bed_count))
    room = _new_room(premises, details, bed_count)
    db.session.flush()
    audit.record("room_added", room, user=by, premises=premises.name, room=room.name, beds=bed_count,
                 characteristics=_codes(room.characteristics))
    db.session.commit()
    return room


def update_room(room: Room, details: RoomDetails, *, by: User) -> Room:
    access.require(by, room, Permission.MANAGE_PREMISES)
    refuse_if_any(room_problems(details, room.premises, room=room))
    before = {"room": room.name, "characteristics": _codes(room.characteristics)}
    room.name = details.name.strip()
    room.characteristics = _characteristics_by_id(details.characteristic_ids)
    after = {"room": room.name, "characteristics": _codes(room.characteristics)}
    audit.record_changes("room_updated", room, before, after, user=by, premises=room.premises.name)
    db.session.commit()
    return room


def add_beds(room: Room, count: int | None, *, by: User) -> list[Bed]:
    access.require(by, room, Permission.MANAGE_PREMISES)
    refuse_if_any(beds_problems(count))
    beds = _new_beds(room, count)
    db.session.flush()
    audit.record("beds_added", room, user=by, premises=room.premises.name, room=room.name, beds=[bed.name for bed in beds])
    db.session.commit()
    return beds


def bed_end_problems(bed: Bed, active_to: date | None) -> dict[str, str]:
    if active_to is None:
        return {"active_to": "Enter the date the bed stops being available"}
    if active_to < bed.active_from:
        return {"active_to": f"The end date must be on or after the date the bed came into use, {govuk_date(bed.active_from)}"}
    open_beds_left = [
        other for room in bed.room.premises.rooms for other in room.beds if other is not bed and other.active_to is None
    ]
    if bed.active_to is None and not open_beds_left:
        return {"active_to": f"{bed.room.premises.name} must keep at least one bed. Add another bed before ending this one"}
    if active_to < date.max and (residents := estate.residents_in_bed(bed, day_after(active_to), date.max)):
        last = max(residents, key=lambda placement: placement.departure)
        return {"active_to": f"The bed is occupied by {estate.resident_description(last)}. "
                             f"Enter {govuk_date(day_before(last.departure))} or later, or move them to another bed first"}
    return {}


def end_bed(bed: Bed, active_to: date | None, *, by: User) -> Bed:
    """The bed stays in the records (placements refer to it) but is not available after `active_to`."""
    access.require(by, bed, Permission.MANAGE_PREMISES)
    refuse_if_any(bed_end_problems(bed, active_to))
    previous = bed.active_to
    bed.active_to = active_to
    audit.record("bed_ended", bed, user=by, premises=bed.room.premises.name, room=bed.room.name, bed=bed.name,
                 active_to=active_to.isoformat(), previous_active_to=previous.isoformat() if previous else None)
    db.session.commit()
    return bed


def _apply_details(premises: Premises, details: PremisesDetails) -> None:
    premises.name = details.name.strip()
    premises.code = details.code.strip().upper()
    premises.gender = details.gender
    premises.ap_type = details.ap_type
    premises.address = details.address.strip()
    premises.town = details.town.strip()
    premises.postcode = normalised_postcode(details.postcode)
    premises.longitude, premises.latitude = located(details.longitude, details.latitude, details.postcode, details.town).point
    premises.region = existing(Region, details.region_id)
    premises.characteristics = _characteristics_by_id(details.characteristic_ids)
    premises.is_active = details.is_active
    premises.local_restrictions = (details.local_restrictions or "").strip()
    premises.email = details.email.strip() or None


def _new_room(premises: Premises, details: RoomDetails, bed_count: int) -> Room:
    room = Room(name=details.name.strip(), characteristics=_characteristics_by_id(details.characteristic_ids))
    premises.rooms.append(room)
    _new_beds(room, bed_count)
    return room


def _new_beds(room: Room, count: int) -> list[Bed]:
    """Beds are numbered on from the room's highest 'Bed N', so names stay unique within the room."""
    numbers = [int(bed.name.removeprefix("Bed ")) for bed in room.beds if re.fullmatch(r"Bed \d+", bed.name)]
    start = max(numbers, default=0) + 1
    beds = [Bed(name=f"Bed {number}", active_from=clock.today()) for number in range(start, start + count)]
    room.beds.extend(beds)
    return beds


def _describe(premises: Premises) -> dict:
    """What an audit event records about a premises, in readable values."""
    return {
        "name": premises.name,
        "code": premises.code,
        "gender": premises.gender.value,
        "ap_type": premises.ap_type.value,
        "address": premises.address,
        "town": premises.town,
        "postcode": premises.postcode,
        "longitude": premises.longitude,
        "latitude": premises.latitude,
        "region": premises.region.name,
        "characteristics": _codes(premises.characteristics),
        "is_active": premises.is_active,
        "local_restrictions": premises.local_restrictions,
        "email": premises.email,
    }


def _codes(characteristics: list[Characteristic]) -> list[str]:
    return sorted(c.code for c in characteristics)
