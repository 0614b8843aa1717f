"""Reviewing what an optimiser run proposes: each request's proposed AP and arrival, how far it is from home and from
the relocation area, the move-on place secured, who else lives there on arrival, a map, and why; then accepting one
or a selection (bookings re-check every rule against the live data), choosing an alternative, or rejecting it.

A proposal waits for review while its request is PROPOSED. Accepting or choosing an alternative books the request
(BOOKED: app/services/bookings.py); rejecting makes it ready to match again, with the reason on the timeline, so
that the next run plans it afresh. The run's proposals are never changed: they are the record of what it proposed.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.geo.postcodes import Place, locate
from app.models import (
    MoveOnProvider,
    OptimiserRun,
    Person,
    Placement,
    PlacementRequest,
    PlacementRequestStatus,
    Premises,
    Proposal,
    ProposalDecision,
    ReferralEventKind,
    RunStatus,
    User,
)
from app.permissions import Permission
from app.services import access, audit, bookings, optimiser_runs, placement_requests, referral_timeline
from app.services.estate import occupying_on
from app.services.locking import write_transaction
from app.services.validation import Refused, refuse_if_any, text_problem
from optimizer.schema import Weights
from vocabulary import MappaLevel, Point, RiskLevel, distance_km, km_to_miles

MAX_REASON_LENGTH = 2000
# What one extra kilometre from home adds to the objective: how an alternative's extra cost is put into words.
POINTS_PER_KM_FROM_HOME = Weights().distance_home_per_km


# --- a run's proposals --------------------------------------------------------------------------------------------


def proposals_of(user: User, run: OptimiserRun) -> list[Proposal]:
    """The run's proposals for the requests the user may place: placed ones first, most urgent first."""
    query = (
        sa.select(Proposal)
        .join(Proposal.placement_request)
        .where(Proposal.run_id == run.id, access.visible(user, PlacementRequest))
        .options(joinedload(Proposal.placement_request).joinedload(PlacementRequest.person),
                 joinedload(Proposal.premises))
    )
    return sorted(db.session.scalars(query), key=lambda p: (
        p.premises_id is None, placement_requests.URGENCY[p.placement_request.notice],
        p.placement_request.created_at, p.id))


def latest_for(request: PlacementRequest) -> Proposal | None:
    """What the latest finished run proposed for the request (placed or not), if any run planned it."""
    return db.session.scalar(
        sa.select(Proposal).join(Proposal.run)
        .where(Proposal.placement_request_id == request.id, OptimiserRun.status == RunStatus.FINISHED)
        .order_by(OptimiserRun.finished_at.desc(), OptimiserRun.id.desc()).limit(1))


def is_pending(proposal: Proposal) -> bool:
    """Waiting for a decision: a place is proposed, nobody has decided, no later run has proposed another, and the
    request has not been booked or sent back since."""
    return (proposal.premises_id is not None and proposal.decision is ProposalDecision.PENDING
            and proposal.placement_request.status is PlacementRequestStatus.PROPOSED)


# --- one proposal, reviewed ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapPlace:
    label: str
    lon: float
    lat: float

    @property
    def marker(self) -> dict:
        """What static/js/zone-map.js marks on the map."""
        return {"label": self.label, "lon": self.lon, "lat": self.lat}


@dataclass(frozen=True)
class Mix:
    """Who lives at a premises on a day, counted by risk of serious harm and by MAPPA level."""

    residents: int
    by_rosh: list[tuple[str, int]]
    by_mappa: list[tuple[str, int]]


@dataclass(frozen=True)
class Alternative:
    premises: Premises
    arrival: date
    extra_cost: int

    @property
    def in_words(self) -> str:
        return (f"{self.extra_cost:,} more on the objective, as much as placing the person "
                f"{self.extra_cost / POINTS_PER_KM_FROM_HOME:,.0f} km further from home")


@dataclass(frozen=True)
class Review:
    proposal: Proposal
    home: Place | None
    relocation: Place | None
    home_km: float | None
    relocation_km: float | None
    move_on: MoveOnProvider | None
    mix: Mix | None
    proposed_alongside: int  # others the run proposes at the premises who would be there too, still undecided
    reasons: list[str]
    alternatives: list[Alternative]
    ruled_out: list[tuple[str, str]]  # premises name, the first rule that ruled it out
    unplaced_reason: str | None
    places: list[MapPlace]


def review(user: User, proposal: Proposal) -> Review:
    """Everything the review page shows about a proposal, from the run's explanation and today's data."""
    request = proposal.placement_request
    access.require(user, request, Permission.PLACE_PEOPLE)
    referral, premises = request.referral, proposal.premises
    home = locate(referral.home_area) if referral.home_area else None
    relocation = locate(referral.relocation_area) if referral.relocation_area else None
    move_on = db.session.get(MoveOnProvider, proposal.move_on_provider_id) if proposal.move_on_provider_id else None
    names = optimiser_runs.namer(user, [item["reason"] for item in proposal.ruled_out]
                                 + [proposal.unplaced_reason or ""])
    premises_names = dict(db.session.execute(sa.select(Premises.id, Premises.name).where(
        Premises.id.in_([item["premises_id"] for item in proposal.ruled_out]))).all())
    return Review(
        proposal=proposal, home=home, relocation=relocation,
        home_km=_km(home, premises), relocation_km=_km(relocation, premises), move_on=move_on,
        mix=resident_mix(premises.id, proposal.arrival_on) if premises else None,
        proposed_alongside=_proposed_alongside(proposal) if premises else 0,
        reasons=_reasons(proposal, home, relocation, move_on) if premises else [],
        alternatives=_alternatives(proposal),
        ruled_out=sorted((premises_names.get(item["premises_id"], f"Premises {item['premises_id']}"),
                          names(item["reason"])) for item in proposal.ruled_out),
        unplaced_reason=names(proposal.unplaced_reason) if proposal.unplaced_reason else None,
        places=[place for place in (
            _map_place("Home area", home), _map_place("Relocation area", relocation),
            MapPlace(f"Proposed: {premises.name}", premises.longitude, premises.latitude) if premises else None,
        ) if place is not None],
    )


def unplaced_reason(user: User, proposal: Proposal) -> str | None:
    """Why the run left the request unplaced, ids named, for recording it as unable to match."""
    access.require(user, proposal.placement_request, Permission.PLACE_PEOPLE)
    return optimiser_runs.namer(user, [proposal.unplaced_reason])(proposal.unplaced_reason) if proposal.unplaced_reason else None


def resident_mix(premises_id: int, day: date) -> Mix:
    """The residents and people booked at the premises on `day`, by RoSH and by MAPPA level (live data)."""
    people = db.session.execute(
        sa.select(Person.rosh_overall, Person.mappa_level).join(Placement.person)
        .where(Placement.premises_id == premises_id, occupying_on(day))).all()
    rosh = Counter(level for level, _ in people)
    mappa = Counter(level for _, level in people)
    return Mix(
        residents=len(people),
        by_rosh=[(level.label, rosh[level]) for level in reversed(RiskLevel)] + [("Not recorded", rosh[None])],
        by_mappa=[(level.label, mappa[level]) for level in reversed(MappaLevel)] + [("Not a MAPPA case", mappa[None])],
    )


def _proposed_alongside(proposal: Proposal) -> int:
    """The run's other undecided proposals at the same premises whose stay covers this one's arrival day: the
    residents' mix is live data, which they are not part of until booked."""
    day = proposal.arrival_on
    return db.session.scalar(sa.select(sa.func.count(Proposal.id)).where(
        Proposal.run_id == proposal.run_id, Proposal.id != proposal.id, Proposal.premises_id == proposal.premises_id,
        Proposal.decision == ProposalDecision.PENDING, Proposal.arrival_on <= day, Proposal.departure_on > day))


def _km(place: Place | None, premises: Premises | None) -> float | None:
    return distance_km(place.point, Point(premises.longitude, premises.latitude)) if place and premises else None


def _map_place(label: str, place: Place | None) -> MapPlace | None:
    return MapPlace(f"{label}: {place.name}", place.lon, place.lat) if place else None


def _miles(km: float) -> str:
    return f"{km_to_miles(km):.0f} miles ({km:.0f} km)"


def _reasons(proposal: Proposal, home: Place | None, relocation: Place | None,
             move_on: MoveOnProvider | None) -> list[str]:
    """Why this AP, in the words of what the optimiser weighed."""
    request, premises, terms = proposal.placement_request, proposal.premises, proposal.cost_terms
    reasons = []
    if home:
        reasons.append(f"It is {_miles(_km(home, premises))} from the home area, {home.name}.")
    if relocation:
        reasons.append(f"It is {_miles(_km(relocation, premises))} from where they will live afterwards, "
                       f"{relocation.name}.")
    if move_on:
        reasons.append(f"A move-on place is secured at {move_on.name} in {move_on.town} "
                       f"({move_on.category.label}) for the week they leave, {_date(proposal.departure_on)}.")
    elif terms.get("move_on_unsecured"):
        reasons.append(f"No move-on place is free for the week they leave, {_date(proposal.departure_on)}.")
    if terms.get("preferred_bonus", 0) < 0:
        reasons.append("It is one of the APs the offender manager preferred.")
    missing = [label for label in request.desirable_labels if label not in _characteristic_labels(proposal)]
    if missing:
        reasons.append(f"It lacks desirable characteristics: {', '.join(missing)}.")
    elif request.desirable_characteristics:
        reasons.append("It has every desirable characteristic.")
    if proposal.arrival_on > request.expected_arrival:
        reasons.append(f"They would arrive on {_date(proposal.arrival_on)}, "
                       f"{(proposal.arrival_on - request.expected_arrival).days} days after the expected "
                       f"{_date(request.expected_arrival)}: no bed is free sooner there.")
    if terms.get("change_from_previous"):
        reasons.append("It moves the person from the place an earlier run proposed.")
    return reasons


def _characteristic_labels(proposal: Proposal) -> set[str]:
    premises = proposal.premises
    rooms = [characteristic for room in premises.rooms for characteristic in room.characteristics]
    return {characteristic.label for characteristic in [*premises.characteristics, *rooms]}


def _alternatives(proposal: Proposal) -> list[Alternative]:
    found = {p.id: p for p in db.session.scalars(sa.select(Premises).where(
        Premises.id.in_([item["premises_id"] for item in proposal.alternatives])))}
    return [Alternative(found[item["premises_id"]], date.fromisoformat(item["arrival_on"]), item["extra_cost"])
            for item in proposal.alternatives if item["premises_id"] in found]


def _date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


# --- deciding ----------------------------------------------------------------------------------------------------


def _refuse_unless_pending(proposal: Proposal) -> None:
    if not is_pending(proposal):
        raise Refused(f"This proposal is no longer waiting for a decision: the request is "
                      f"{proposal.placement_request.status.label.lower()}")


def accept(user: User, proposal: Proposal) -> Placement:
    """Book the proposed place; bookings.BookingRefused names each rule the live data now breaks."""
    _refuse_unless_pending(proposal)
    placement = bookings.book(user, proposal.placement_request, proposal.premises, proposal.arrival_on,
                              departure=proposal.departure_on)
    _decided(ProposalDecision.ACCEPTED, proposal)
    return placement


def accept_many(user: User, proposals: list[Proposal]) -> list[bookings.Outcome]:
    """Book every pending proposal of a selection in one transaction; each refused one is left out with why."""
    for proposal in proposals:
        _refuse_unless_pending(proposal)
    outcomes = bookings.book_many(user, [bookings.Choice(p.placement_request, p.premises, p.arrival_on,
                                                         p.departure_on) for p in proposals])
    _decided(ProposalDecision.ACCEPTED, *(p for p, outcome in zip(proposals, outcomes) if outcome.placement))
    return outcomes


def choose_alternative(user: User, proposal: Proposal, premises_id: int | None) -> Placement:
    """Book one of the two best alternatives the run found instead of its proposal."""
    _refuse_unless_pending(proposal)
    chosen = next((a for a in _alternatives(proposal) if a.premises.id == premises_id), None)
    refuse_if_any({} if chosen else {"alternative": "Select one of the alternatives"})
    placement = bookings.book(user, proposal.placement_request, chosen.premises, chosen.arrival)
    _decided(ProposalDecision.ACCEPTED, proposal)
    return placement


def _decided(decision: ProposalDecision, *proposals: Proposal) -> None:
    """Record the decision on proposals whose booking (or rejection) is already committed."""
    db.session.execute(sa.update(Proposal).where(Proposal.id.in_([p.id for p in proposals])).values(decision=decision))
    db.session.commit()


def rejection_problems(reason: str | None) -> dict[str, str]:
    problem = text_problem(reason, missing="Enter why the proposal is rejected", max_length=MAX_REASON_LENGTH,
                           what="The reason")
    return {"reason": problem} if problem else {}


def reject(user: User, proposal: Proposal, reason: str | None) -> None:
    """Send the request back to be matched again, saying why the proposed place will not do."""
    access.require(user, proposal.placement_request, Permission.PLACE_PEOPLE)
    with write_transaction(PlacementRequest, proposal.placement_request_id) as request:
        _refuse_unless_pending(proposal)
        refuse_if_any(rejection_problems(reason))
        request.status = PlacementRequestStatus.READY_TO_MATCH
        proposal.decision = ProposalDecision.REJECTED
        note = f"{proposal.premises.name} from {_date(proposal.arrival_on)}: {reason.strip()}"
        referral_timeline.record(request.referral, ReferralEventKind.PROPOSAL_REJECTED, user, note=note)
        audit.record("proposal_rejected", request, user=user, run_id=proposal.run_id,
                     premises_id=proposal.premises_id)
