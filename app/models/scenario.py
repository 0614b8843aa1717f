"""What-if scenarios: today's estate and demand with a planner's changes, for the optimiser to plan on.

A scenario stores its changes, never a copy of the estate: each run applies them to the instance read from the
live data at the time (app/services/scenarios.py), which the scenario never writes.
"""

from datetime import date, datetime
from enum import Enum

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.extensions import db
from app.models.types import enum_type
from vocabulary import APType, Gender


class ChangeKind(str, Enum):
    ADD_BEDS = "add_beds"
    REMOVE_BEDS = "remove_beds"
    CLOSE_PREMISES = "close_premises"
    OPEN_PREMISES = "open_premises"
    NEW_PREMISES = "new_premises"
    BEDS_OUT = "beds_out"
    MORE_REFERRALS = "more_referrals"
    CHANGE_MIX = "change_mix"

    @property
    def label(self) -> str:
        return {
            ChangeKind.ADD_BEDS: "Add beds at an AP",
            ChangeKind.REMOVE_BEDS: "Remove beds from an AP",
            ChangeKind.CLOSE_PREMISES: "Close an AP",
            ChangeKind.OPEN_PREMISES: "Reopen an AP that is closed today",
            ChangeKind.NEW_PREMISES: "Open a new AP",
            ChangeKind.BEDS_OUT: "Take beds out of service for a period",
            ChangeKind.MORE_REFERRALS: "More referrals in a region",
            ChangeKind.CHANGE_MIX: "Requests in a region ask for another AP type",
        }[self]


class Scenario(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)  # its owner, who alone sees it
    created_at: Mapped[datetime] = mapped_column(default=clock.utc_now)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))  # whose requests it plans; None: national

    created_by: Mapped["User"] = relationship()  # noqa: F821
    region: Mapped["Region | None"] = relationship()  # noqa: F821
    changes: Mapped[list["ScenarioChange"]] = relationship(
        back_populates="scenario", cascade="all, delete-orphan", order_by="ScenarioChange.id")
    runs: Mapped[list["OptimiserRun"]] = relationship(  # noqa: F821
        back_populates="scenario", cascade="all, delete-orphan", order_by="OptimiserRun.id")

    @property
    def scope(self) -> str:
        return self.region.name if self.region else "National"

    @property
    def latest_comparison(self) -> dict | None:
        """The figures of its latest run that finished: {"today": ..., "scenario": ...}."""
        return next((run.comparison for run in reversed(self.runs) if run.comparison), None)


class ScenarioChange(db.Model):
    """One change: which of the columns it uses depends on its kind (app/services/scenarios.py says)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("scenario.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ChangeKind] = mapped_column(enum_type(ChangeKind))
    premises_id: Mapped[int | None] = mapped_column(ForeignKey("premises.id"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    number: Mapped[int | None]  # beds, or referrals
    ap_type: Mapped[APType | None] = mapped_column(enum_type(APType))  # asked for (instead, in a change of mix)
    from_ap_type: Mapped[APType | None] = mapped_column(enum_type(APType))  # asked for now, in a change of mix
    place: Mapped[str | None] = mapped_column(String(120))  # a new AP's town or postcode district
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender))  # whom a new AP is for
    start_on: Mapped[date | None] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date)

    scenario: Mapped[Scenario] = relationship(back_populates="changes")
    premises: Mapped["Premises | None"] = relationship()  # noqa: F821
    region: Mapped["Region | None"] = relationship()  # noqa: F821
