"""The estate: premises, their rooms and beds, characteristics and beds taken out of service."""

from datetime import date, datetime
from enum import Enum

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    literal,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.types import enum_type
from vocabulary import APType, CharacteristicScope, Gender


class OutOfServiceReason(str, Enum):
    PLANNED_WORKS = "planned_works"
    REFURBISHMENT = "refurbishment"
    UNPLANNED_WORKS = "unplanned_works"
    FLOOD_FIRE_REPAIR = "flood_fire_repair"
    DAMAGE_BY_RESIDENT = "damage_by_resident"
    INCIDENT = "incident"
    DOUBLE_ROOM_KEPT_SINGLE = "double_room_kept_single"
    STAFF_SHORTAGE = "staff_shortage"
    CLOSURE_OR_REDUCTION = "closure_or_reduction"
    BED_ON_HOLD = "bed_on_hold"

    @property
    def label(self) -> str:
        return OUT_OF_SERVICE_LABELS[self]


OUT_OF_SERVICE_LABELS = {
    OutOfServiceReason.PLANNED_WORKS: "Planned works",
    OutOfServiceReason.REFURBISHMENT: "Refurbishment",
    OutOfServiceReason.UNPLANNED_WORKS: "Unplanned works",
    OutOfServiceReason.FLOOD_FIRE_REPAIR: "Flood or fire repair",
    OutOfServiceReason.DAMAGE_BY_RESIDENT: "Damage by resident",
    OutOfServiceReason.INCIDENT: "Incident",
    OutOfServiceReason.DOUBLE_ROOM_KEPT_SINGLE: "Double room kept single for risk",
    OutOfServiceReason.STAFF_SHORTAGE: "Staff shortage",
    OutOfServiceReason.CLOSURE_OR_REDUCTION: "AP closure or reduction",
    OutOfServiceReason.BED_ON_HOLD: "Bed on hold (expires automatically)",
}

premises_characteristics = Table(
    "premises_characteristic",
    db.metadata,
    Column("premises_id", ForeignKey("premises.id", ondelete="CASCADE"), primary_key=True),
    Column("characteristic_id", ForeignKey("characteristic.id"), primary_key=True),
)

room_characteristics = Table(
    "room_characteristic",
    db.metadata,
    Column("room_id", ForeignKey("room.id", ondelete="CASCADE"), primary_key=True),
    Column("characteristic_id", ForeignKey("characteristic.id"), primary_key=True),
)


class Characteristic(db.Model):
    """Reference data: a property of a premises or of a room, named as in the national service."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    scope: Mapped[CharacteristicScope] = mapped_column(enum_type(CharacteristicScope))


def natural_order(*names) -> list:
    """ORDER BY terms for names people number, so that "Room 2" comes before "Room 10": names that differ only
    in a trailing number sort by its value. Plain SQL that SQLite and PostgreSQL share."""
    return [term for name in names for term in (func.rtrim(name, "0123456789"), func.length(name), name)]


class Premises(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    gender: Mapped[Gender] = mapped_column(enum_type(Gender))
    ap_type: Mapped[APType] = mapped_column(enum_type(APType))
    address: Mapped[str] = mapped_column(String(200))
    town: Mapped[str] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(10))
    longitude: Mapped[float] = mapped_column(Float)
    latitude: Mapped[float] = mapped_column(Float)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    local_restrictions: Mapped[str] = mapped_column(Text, default="")
    # Where bookings are announced to the premises' staff; none until an administrator records it.
    email: Mapped[str | None] = mapped_column(String(254))

    region: Mapped["Region"] = relationship()  # noqa: F821
    characteristics: Mapped[list[Characteristic]] = relationship(
        secondary=premises_characteristics, order_by=Characteristic.label
    )
    rooms: Mapped[list["Room"]] = relationship(
        back_populates="premises", order_by=lambda: natural_order(Room.name), cascade="all, delete-orphan"
    )


class Room(db.Model):
    __table_args__ = (UniqueConstraint("premises_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    premises_id: Mapped[int] = mapped_column(ForeignKey("premises.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))

    premises: Mapped[Premises] = relationship(back_populates="rooms")
    characteristics: Mapped[list[Characteristic]] = relationship(
        secondary=room_characteristics, order_by=Characteristic.label
    )
    beds: Mapped[list["Bed"]] = relationship(
        back_populates="room", order_by=lambda: natural_order(Bed.name), cascade="all, delete-orphan"
    )


class Bed(db.Model):
    __table_args__ = (UniqueConstraint("room_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("room.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    active_from: Mapped[date] = mapped_column(Date)
    active_to: Mapped[date | None] = mapped_column(Date)

    room: Mapped[Room] = relationship(back_populates="beds")
    out_of_service: Mapped[list["OutOfServiceBed"]] = relationship(
        back_populates="bed", order_by="OutOfServiceBed.start_date"
    )

    @property
    def label(self) -> str:
        """How staff name a bed: "Room 3, Bed 1"."""
        return f"{self.room.name}, {self.name}"

    def is_active_on(self, day: date) -> bool:
        return self.active_from <= day and (self.active_to is None or day <= self.active_to)


class OutOfServiceBed(db.Model):
    """A bed that cannot be used from start_date to end_date inclusive; cancelling keeps the record."""

    id: Mapped[int] = mapped_column(primary_key=True)
    bed_id: Mapped[int] = mapped_column(ForeignKey("bed.id", ondelete="CASCADE"), index=True)
    reason: Mapped[OutOfServiceReason] = mapped_column(enum_type(OutOfServiceReason))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(60), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))

    # PostgreSQL refuses a second period for a bed on any day an uncancelled one covers, whatever gets past the
    # service's check; SQLite has no such constraint, and relies on the check in a write transaction.
    __table_args__ = (
        ExcludeConstraint(
            (bed_id.column, "="),
            (func.daterange(start_date.column, end_date.column, literal("[]")), "&&"),
            where=cancelled_at.column.is_(None),
            using="gist",
            name="ex_out_of_service_bed_no_overlap",
        ).ddl_if(dialect="postgresql"),
    )

    bed: Mapped[Bed] = relationship(back_populates="out_of_service")

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    def covers(self, day: date) -> bool:
        return not self.is_cancelled and self.start_date <= day <= self.end_date
