"""Optimiser runs and the placements they propose.

A run is kept whatever becomes of it: who started it, when, over which region (none: nationally), with which
parameters, how far it got and what it found. The proposals of a run are stored with their explanation as data,
so that review pages show why without solving again. Ids inside the explanation's words are the optimiser's
(premises P<id>, placement requests R<id>): `app.services.optimiser_runs.in_words` names them when shown.
"""

from datetime import date, datetime
from enum import Enum

import sqlalchemy as sa
from sqlalchemy import JSON, BigInteger, Date, Float, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.extensions import db
from app.models.types import enum_type


class RunStatus(str, Enum):
    QUEUED = "queued"
    RUNNING = "running"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def is_active(self) -> bool:
        return self in ACTIVE_RUN_STATUSES


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class ProposalDecision(str, Enum):
    """What became of a proposal: waiting, booked (as proposed or one of its alternatives), rejected, or replaced by a
    later run's proposal for the same request before anyone decided."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class OptimiserRun(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(default=clock.utc_now, index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)  # None: national
    method: Mapped[str] = mapped_column(String(10))
    time_limit_s: Mapped[int]
    parameters: Mapped[dict] = mapped_column(JSON, default=dict)  # the solver's other parameters
    status: Mapped[RunStatus] = mapped_column(enum_type(RunStatus), default=RunStatus.QUEUED, index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # Objectives reach billions: a million per person left unplaced, times urgency.
    objective: Mapped[int | None] = mapped_column(BigInteger)
    bound: Mapped[float | None] = mapped_column(Float)
    gap: Mapped[float | None] = mapped_column(Float)
    placed: Mapped[int | None]
    unplaced: Mapped[int | None]
    # Every better plan found: [seconds since the solve began, objective, bound or None, placed or None].
    progress: Mapped[list] = mapped_column(JSON, default=list)
    # While it runs, the best complete plan so far: [placement request id, premises id, arrival (ISO date)] for each
    # person it places, so that proposals are on screen seconds after the start, long before the run finishes.
    plan_so_far: Mapped[list] = mapped_column(JSON, default=list, server_default="[]")
    cancel_requested: Mapped[bool] = mapped_column(default=False)
    # Asked to stop searching and keep its best plan so far, as if its time limit had come.
    finish_requested: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    error: Mapped[str | None] = mapped_column(Text)
    # A what-if run plans the scenario's changed instance beside today's, stores no proposals and changes no request:
    # only the two plans' figures, side by side (app/services/scenarios.py comparison).
    scenario_id: Mapped[int | None] = mapped_column(ForeignKey("scenario.id", ondelete="CASCADE"), index=True)
    comparison: Mapped[dict | None] = mapped_column(JSON)

    created_by: Mapped["User"] = relationship()  # noqa: F821
    region: Mapped["Region | None"] = relationship()  # noqa: F821
    scenario: Mapped["Scenario | None"] = relationship(back_populates="runs")  # noqa: F821
    proposals: Mapped[list["Proposal"]] = relationship(back_populates="run", cascade="all, delete-orphan",
                                                       passive_deletes=True)

    @property
    def scope(self) -> str:
        return self.region.name if self.region else "National"


class Proposal(db.Model):
    """Where a run proposes to place one placement request, or why it could not place it.

    `alternatives`: the two best other placements, [{"premises_id", "arrival_on" (ISO date), "extra_cost"}];
    `ruled_out`: for each other premises the first rule that ruled it out, [{"premises_id", "reason"}].
    """

    __table_args__ = (UniqueConstraint("run_id", "placement_request_id"),)  # also the index of a run's proposals

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("optimiser_run.id", ondelete="CASCADE"))
    placement_request_id: Mapped[int] = mapped_column(ForeignKey("placement_request.id"), index=True)
    premises_id: Mapped[int | None] = mapped_column(ForeignKey("premises.id"), index=True)  # None: unplaced
    arrival_on: Mapped[date | None] = mapped_column(Date)
    departure_on: Mapped[date | None] = mapped_column(Date)
    move_on_provider_id: Mapped[int | None] = mapped_column(ForeignKey("move_on_provider.id"))  # None: unsecured
    cost_terms: Mapped[dict] = mapped_column(JSON, default=dict)
    alternatives: Mapped[list] = mapped_column(JSON, default=list)
    ruled_out: Mapped[list] = mapped_column(JSON, default=list)
    unplaced_reason: Mapped[str | None] = mapped_column(Text)
    decision: Mapped[ProposalDecision] = mapped_column(enum_type(ProposalDecision), default=ProposalDecision.PENDING)

    run: Mapped[OptimiserRun] = relationship(back_populates="proposals")
    placement_request: Mapped["PlacementRequest"] = relationship()  # noqa: F821
    premises: Mapped["Premises | None"] = relationship()  # noqa: F821
    move_on_provider: Mapped["MoveOnProvider | None"] = relationship()  # noqa: F821
