"""The one bridge between the database and the optimiser: rows into an `optimizer.schema.Instance`, and the
optimiser's ids and days back into rows and dates.

Ids name the row they come from: premises `P<id>`, placement requests `R<id>`, placements (residents and bookings)
`S<id>`, move-on providers `M<id>`. Day 0 is `Translation.first_day`. A stay occupies its nights from arrival up
to, not including, departure, as everywhere in the service (app/services/estate.py).

Every premises, resident and provider of the country is read whatever the region planned: APs are a national
resource, and a region's people may be placed anywhere. Everything is read in a dozen set-based queries, never one
per row, so that the national estate builds well within two seconds (`make bench-app`).
"""

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import sqlalchemy as sa

from app.extensions import db
from app.filters import govuk_date
from app.geo.postcodes import district_of, locate
from app.models import (
    Bed,
    Characteristic,
    MoveOnProvider,
    NonAssociate,
    OutOfServiceBed,
    Person,
    Placement,
    PlacementRequest,
    PlacementRequestStatus,
    PlacementStatus,
    PostcodeDistrict,
    Premises,
    Proposal,
    ProposalDecision,
    Referral,
    Region,
    Room,
)
from app.models.premises import premises_characteristics, room_characteristics
from app.models.victims import ExclusionZone
from app.services.periods import day_after
from optimizer import schema
from vocabulary import PREMISES_CHARACTERISTICS, ROOM_CHARACTERISTICS, Point

# How many days after its expected arrival (or after today, once that has passed) a person may still arrive: a
# week lets a bed that frees up a few days after release be used, while nobody arrives before they are released.
ARRIVAL_FLEXIBILITY_DAYS = 7
# Requests still waiting for a place: PROPOSED joins them when optimiser runs add it.
OPEN_STATUSES = tuple(status for status in PlacementRequestStatus if status.value in {"ready_to_match", "proposed"})
HOLDING_A_BED = (PlacementStatus.UPCOMING, PlacementStatus.ARRIVED)
PREMISES, REFERRAL, RESIDENT, PROVIDER = "P", "R", "S", "M"


def optimiser_id(prefix: str, row_id: int) -> str:
    return f"{prefix}{row_id}"


def row_id(prefix: str, optimiser_id_: str) -> int:
    """The row id behind an optimiser id of the given kind; ValueError for an id of another kind."""
    if not optimiser_id_.startswith(prefix) or not optimiser_id_[len(prefix):].isdigit():
        raise ValueError(f"{optimiser_id_!r} is not an id of kind {prefix!r}")
    return int(optimiser_id_[len(prefix):])


@dataclass(frozen=True)
class Translation:
    """An instance and what its ids and days stand for."""

    instance: schema.Instance
    crns: dict[str, str] = field(default_factory=dict)  # referral or resident id -> the person's CRN
    premises_names: dict[str, str] = field(default_factory=dict)

    @property
    def first_day(self) -> date:
        return self.instance.first_day

    def date_of(self, day: int) -> date:
        return self.first_day + timedelta(days=day)

    def day_of(self, when: date) -> int:
        return (when - self.first_day).days

    def placement_request_id(self, referral_id: str) -> int:
        return row_id(REFERRAL, referral_id)

    def premises_id(self, premises_id: str) -> int:
        return row_id(PREMISES, premises_id)

    def placement_id(self, resident_id: str) -> int:
        return row_id(RESIDENT, resident_id)

    def provider_id(self, provider_id: str) -> int:
        return row_id(PROVIDER, provider_id)

    def words(self, text: str) -> str:
        """The optimiser's words for people: its ids as CRNs and premises names, its days as dates."""
        names = self.crns | self.premises_names
        text = re.sub(r"\bday (-?\d+)", lambda day: govuk_date(self.date_of(int(day.group(1)))), text)
        return re.sub(r"\b[PRS]\d+\b", lambda found: names.get(found.group(0), found.group(0)), text)


def instance_for(region_id: int | None, today: date) -> Translation:
    """Every open placement request of the region (of the country when None) to plan from `today`, with the
    whole estate as it stands: residents, bookings and beds out of service fixed, and the move-on providers."""
    requests = sa.select(PlacementRequest).where(PlacementRequest.status.in_(OPEN_STATUSES))
    if region_id is not None:
        requests = requests.where(PlacementRequest.region_id == region_id)
    built = Builder(today)
    referrals = built.referrals(requests.order_by(PlacementRequest.id))
    horizon = max((r.latest_arrival for r in referrals), default=0) + 1
    built.read_estate(today + timedelta(days=horizon + max((r.length_of_stay for r in referrals), default=0)))
    built.read_providers()
    return built.translation(horizon, built.with_previous_proposals(referrals))


def reopened(premises_ids: Iterable[int], first_day: date, end: date) -> tuple[list[schema.Premises],
                                                                           list[schema.Resident]]:
    """Premises closed today as they would stand reopened from `first_day`: their beds, beds out of service and
    anybody still placed there, up to `end`."""
    built = Builder(first_day)
    built.read_estate(end, premises_ids, closed=True)
    return list(built.premises.values()), built.residents


@dataclass(frozen=True)
class Stay:
    """A stay to check: a new booking for `placement_request`, or `placement` moved to these dates or premises."""

    premises_id: int | None  # None: anywhere, for a search
    arrival: date
    departure: date  # after arrival: callers refuse the others first
    placement_request: PlacementRequest | None
    placement: Placement | None = None

    @property
    def referral_id(self) -> str:
        """A booking moved keeps its placement's id (and leaves the residents); a new one is its request's."""
        return optimiser_id(RESIDENT, self.placement.id) if self.placement else optimiser_id(REFERRAL,
                                                                                            self.placement_request.id)


def stays_instance(stays: list[Stay], *, everywhere: bool = False) -> Translation:
    """The premises of the stays (every open premises with `everywhere`, for a search) as they stand, each stay a
    referral that may arrive only on its arrival day and stays until its departure. A placement booked without a
    request asks only for a bed in an AP of the person's gender and of the premises' type."""
    built = Builder(min(stay.arrival for stay in stays))
    built.read_estate(max(stay.departure for stay in stays),
                      premises_ids=None if everywhere else {stay.premises_id for stay in stays},
                      leaving_out=[stay.placement.id for stay in stays if stay.placement])
    of_request = {stay.placement_request.id: stay for stay in stays if stay.placement_request}
    referrals = built.referrals(
        sa.select(PlacementRequest).where(PlacementRequest.id.in_(of_request)).order_by(PlacementRequest.id),
        lambda placement_request: of_request[placement_request.id].referral_id)
    referrals += [built.referral_without_request(stay.placement, built.premises[stay.premises_id])
                  for stay in stays if not stay.placement_request]
    stay_of = {stay.referral_id: stay for stay in stays}
    referrals = [replace(r, earliest_arrival=built.day(stay_of[r.id].arrival), latest_arrival=built.day(
        stay_of[r.id].arrival), length_of_stay=(stay_of[r.id].departure - stay_of[r.id].arrival).days)
        for r in referrals]
    return built.translation(max(r.latest_arrival for r in referrals) + 1, referrals)


class Builder:
    """Reads the rows of one instance whose day 0 is `first_day`: referrals first (they say how far ahead the
    estate matters), then the estate up to an end date, then the non-associates between all the people read."""

    def __init__(self, first_day: date):
        self.first_day = first_day
        self.region_names = dict(db.session.execute(sa.select(Region.id, Region.name)).all())
        self.premises: dict[int, schema.Premises] = {}
        self.premises_names: dict[str, str] = {}
        self.residents: list[schema.Resident] = []
        self.providers: list[schema.MoveOnProvider] = []
        self.person_of: dict[str, int] = {}  # optimiser id of a referral or resident -> person id
        self.crns: dict[str, str] = {}

    def day(self, when: date) -> int:
        return (when - self.first_day).days

    def arrival_window(self, placement_request: PlacementRequest) -> tuple[int, int]:
        """From the expected arrival, or today once that has passed, to a few days later."""
        earliest = max(self.day(placement_request.expected_arrival), 0)
        return earliest, earliest + ARRIVAL_FLEXIBILITY_DAYS

    # --- referrals ---------------------------------------------------------------------------------------------

    def referrals(self, requests: sa.Select,
                  referral_id: Callable[[PlacementRequest], str] | None = None) -> list[schema.Referral]:
        """The placement requests as referrals, each `R<id>` unless `referral_id` names it otherwise (a booking
        being moved keeps its placement's id)."""
        rows = db.session.execute(
            requests.add_columns(Referral, Person).join(PlacementRequest.referral).join(PlacementRequest.person)
        ).all()
        locate_once = _locator({place for _, referral, _ in rows
                                for place in (referral.home_area, referral.relocation_area) if place})
        found = []
        for placement_request, referral, person in rows:
            earliest, latest = self.arrival_window(placement_request)
            identifier = referral_id(placement_request) if referral_id else optimiser_id(REFERRAL, placement_request.id)
            self.person_of[identifier], self.crns[identifier] = person.id, person.crn
            found.append(schema.Referral(
                id=identifier,
                gender=placement_request.gender,
                home=locate_once(referral.home_area) or self._centre_of_region(placement_request.region_id),
                earliest_arrival=earliest,
                latest_arrival=latest,
                length_of_stay=placement_request.length_of_stay_weeks * 7,
                ap_type=placement_request.ap_type,
                move_on_category=referral.move_on_category,
                relocation=locate_once(referral.relocation_area),
                essential_premises=frozenset(placement_request.essential_characteristics) & PREMISES_CHARACTERISTICS,
                essential_room=frozenset(placement_request.essential_characteristics) & ROOM_CHARACTERISTICS,
                desirable_premises=frozenset(placement_request.desirable_characteristics) & PREMISES_CHARACTERISTICS,
                desirable_room=frozenset(placement_request.desirable_characteristics) & ROOM_CHARACTERISTICS,
                preferred_premises=tuple(optimiser_id(PREMISES, preferred.premises_id)
                                         for preferred in referral.preferred_premises),
                max_radius_km=referral.max_distance_km if locate_once(referral.home_area) else None,
                risk=_risk(referral, fallback=person),
                notice=placement_request.notice,
                days_waiting=max((self.first_day - placement_request.created_at.date()).days, 0),
                exclusion_zones=tuple(zone for row in referral.exclusion_zones for zone in _zones(row)),
                region=self.region_names[placement_request.region_id],
            ))
        return found

    def with_previous_proposals(self, referrals: list[schema.Referral]) -> list[schema.Referral]:
        """The referrals, each with where its proposal still waiting for a decision put it (planning again moves
        nobody from it without need: the optimiser's cost of a change) and the premises placers have turned down
        for it, which it is never proposed again."""
        request_ids = [row_id(REFERRAL, r.id) for r in referrals]
        waiting, rejected = {}, defaultdict(set)
        for request_id, premises_id, arrival, decision in db.session.execute(
            sa.select(Proposal.placement_request_id, Proposal.premises_id, Proposal.arrival_on, Proposal.decision)
            .where(Proposal.decision.in_([ProposalDecision.PENDING, ProposalDecision.REJECTED]),
                   Proposal.premises_id.in_(list(self.premises)), Proposal.placement_request_id.in_(request_ids))
        ):
            if decision is ProposalDecision.PENDING:
                waiting[request_id] = schema.PreviousProposal(optimiser_id(PREMISES, premises_id),
                                                              (arrival - self.first_day).days)
            else:
                rejected[request_id].add(optimiser_id(PREMISES, premises_id))
        return [replace(r, previous=waiting.get(request_id), rejected_premises=frozenset(rejected[request_id]))
                for r, request_id in zip(referrals, request_ids)]

    def referral_without_request(self, placement: Placement, premises: schema.Premises) -> schema.Referral:
        key = optimiser_id(RESIDENT, placement.id)
        self.person_of[key], self.crns[key] = placement.person_id, placement.person.crn
        return schema.Referral(id=key, gender=placement.person.gender, home=premises.location, earliest_arrival=0,
                               latest_arrival=0, length_of_stay=1, ap_type=premises.ap_type,
                               risk=_risk(placement.person), region=premises.region)

    def _centre_of_region(self, region_id: int) -> Point:
        """Where to measure from when a home area cannot be located (the referral form refuses such answers, so
        only data from elsewhere lacks it): the middle of the region's premises."""
        points = db.session.execute(
            sa.select(sa.func.avg(Premises.longitude), sa.func.avg(Premises.latitude))
            .where(Premises.region_id == region_id)
        ).one()
        return Point(*(value or 0.0 for value in points))

    # --- the estate --------------------------------------------------------------------------------------------

    def read_estate(self, end: date, premises_ids: Iterable[int] | None = None, leaving_out: Iterable[int] = (),
                    *, closed: bool = False) -> None:
        """The open premises (all, or these; with `closed`, these whether open or not), with their beds, residents
        and bookings from day 0 up to `end`, except the placements `leaving_out` (being moved)."""
        self._read_premises(end, premises_ids, closed)
        self._read_residents(end, list(leaving_out))

    def read_providers(self) -> None:
        self.providers = [
            schema.MoveOnProvider(optimiser_id(PROVIDER, provider.id), provider.category, provider.location,
                                  provider.places_per_week)
            for provider in db.session.scalars(
                sa.select(MoveOnProvider).where(MoveOnProvider.is_active).order_by(MoveOnProvider.id))
        ]

    def _read_premises(self, end: date, premises_ids: Iterable[int] | None, closed: bool) -> None:
        query = sa.select(Premises.id, Premises.name, Premises.gender, Premises.ap_type, Premises.longitude,
                          Premises.latitude, Premises.region_id).order_by(Premises.id)
        if not closed:
            query = query.where(Premises.is_active)
        if premises_ids is not None:
            query = query.where(Premises.id.in_(list(premises_ids)))
        rows = db.session.execute(query).all()
        ids = [row.id for row in rows]
        characteristics = _codes_by(sa.select(premises_characteristics.c.premises_id, Characteristic.code)
                                    .join(Characteristic).where(premises_characteristics.c.premises_id.in_(ids)))
        self.bed_signatures, groups, beds_out = self._beds(ids, end)
        for row in rows:
            key = optimiser_id(PREMISES, row.id)
            self.premises_names[key] = row.name
            self.premises[row.id] = schema.Premises(
                id=key, gender=row.gender, location=Point(row.longitude, row.latitude), ap_type=row.ap_type,
                characteristics=frozenset(characteristics[row.id]),
                # A premises with no bed in the period keeps an empty group, which its bookings can still be in.
                bed_groups=tuple(schema.BedGroup(signature, beds) for signature, beds in sorted(
                    groups[row.id].items(), key=lambda group: sorted(group[0]))) or (schema.BedGroup(frozenset(), 0),),
                beds_out=tuple(schema.BedsOut(signature, start, stop, beds) for (signature, start, stop), beds
                               in sorted(beds_out[row.id].items(), key=lambda out: (out[0][1], sorted(out[0][0])))),
                region=self.region_names[row.region_id],
            )

    def _beds(self, premises_ids: list[int], end: date):
        """Each bed's signature (its room's characteristics); per premises, the beds of each signature in use
        at some time before `end`, and the days they are not: before they came into use, after they left it,
        and out of service."""
        signature_of: dict[int, frozenset[str]] = {}
        premises_of, in_use = {}, {}
        codes = defaultdict(set)
        for bed_id, premises_id, active_from, active_to, code in db.session.execute(
            sa.select(Bed.id, Room.premises_id, Bed.active_from, Bed.active_to, Characteristic.code)
            .join(Bed.room)
            .outerjoin(room_characteristics, room_characteristics.c.room_id == Room.id)
            .outerjoin(Characteristic, Characteristic.id == room_characteristics.c.characteristic_id)
            .where(Room.premises_id.in_(premises_ids))
        ):
            premises_of[bed_id], in_use[bed_id] = premises_id, (active_from, active_to)
            if code is not None:
                codes[bed_id].add(code)
        groups: dict[int, dict[frozenset[str], int]] = defaultdict(lambda: defaultdict(int))
        beds_out: dict[int, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
        used = {}
        for bed_id, premises_id in premises_of.items():
            signature_of[bed_id] = signature = frozenset(codes[bed_id])
            active_from, active_to = in_use[bed_id]
            last_in_use = active_to or end
            if active_from >= end or last_in_use < self.first_day:
                continue
            used[bed_id] = (active_from, last_in_use)
            groups[premises_id][signature] += 1
            for start, stop in ((self.first_day, active_from), (day_after(last_in_use), end)):
                if start < stop:
                    beds_out[premises_id][signature, max(self.day(start), 0), self.day(stop)] += 1
        for bed_id, start, last in db.session.execute(
            sa.select(OutOfServiceBed.bed_id, OutOfServiceBed.start_date, OutOfServiceBed.end_date)
            .join(OutOfServiceBed.bed).join(Bed.room)
            .where(Room.premises_id.in_(premises_ids), OutOfServiceBed.cancelled_at.is_(None),
                   OutOfServiceBed.end_date >= self.first_day, OutOfServiceBed.start_date < end)
        ):
            if bed_id in used:  # only the days the bed is in use: the others are out already
                start, last = max(start, used[bed_id][0], self.first_day), min(last, used[bed_id][1])
                if start <= last:
                    beds_out[premises_of[bed_id]][signature_of[bed_id], self.day(start), self.day(last) + 1] += 1
        return signature_of, groups, beds_out

    def _read_residents(self, end: date, leaving_out: list[int]) -> None:
        arrival = sa.func.coalesce(Placement.actual_arrival, Placement.expected_arrival)
        departure = sa.func.coalesce(Placement.actual_departure, Placement.expected_departure)
        query = (
            sa.select(Placement.id, Placement.premises_id, Placement.bed_id, arrival.label("arrival"),
                      departure.label("departure"), PlacementRequest.essential_characteristics, Person)
            .join(Placement.person).outerjoin(Placement.placement_request)
            .where(Placement.status.in_(HOLDING_A_BED), Placement.premises_id.in_(list(self.premises)),
                   departure > self.first_day, arrival < end)
            .order_by(Placement.id)
        )
        if leaving_out:
            query = query.where(Placement.id.not_in(leaving_out))
        for row in db.session.execute(query):
            key = optimiser_id(RESIDENT, row.id)
            self.person_of[key], self.crns[key] = row.Person.id, row.Person.crn
            premises = self.premises[row.premises_id]
            self.residents.append(schema.Resident(
                id=key, premises_id=premises.id, arrival=max(self.day(row.arrival), 0),
                departure=self.day(row.departure), risk=_risk(row.Person),
                bed_characteristics=_bed_group_of(premises, self.bed_signatures.get(row.bed_id),
                                                  frozenset(row.essential_characteristics or ()) & ROOM_CHARACTERISTICS),
            ))

    # --- the instance ------------------------------------------------------------------------------------------

    def translation(self, horizon: int, referrals: list[schema.Referral]) -> Translation:
        """The instance, each person knowing the non-associates among everybody read (residents by their stay's
        id, people waiting by their referral's), whichever of a pair named the other."""
        named = _non_associates_named(set(self.person_of.values()))
        ids_of = defaultdict(set)
        for key, crn in self.crns.items():
            ids_of[crn].add(key)
        others = defaultdict(set)
        for key, person_id in self.person_of.items():
            for other in (other for crn in named[person_id] for other in ids_of[crn] if other != key):
                others[key].add(other)
                others[other].add(key)
        instance = schema.Instance(
            horizon_days=horizon,
            premises=tuple(self.premises.values()),
            residents=tuple(_with_non_associates(r, others[r.id]) for r in self.residents),
            referrals=tuple(_with_non_associates(r, others[r.id]) for r in self._known_preferences(referrals)),
            providers=tuple(self.providers),
            first_day=self.first_day,
        )
        return Translation(instance, self.crns, self.premises_names)

    def _known_preferences(self, referrals: list[schema.Referral]) -> list[schema.Referral]:
        """Preferred premises that are closed (so not in the instance) are no longer anybody's preference."""
        known = {premises.id for premises in self.premises.values()}
        return [replace(r, preferred_premises=tuple(p for p in r.preferred_premises if p in known))
                for r in referrals]


def _with_non_associates(person, non_associates: set[str]):
    return replace(person, non_associates=frozenset(non_associates)) if non_associates else person


def _non_associates_named(person_ids: set[int]) -> dict[int, set[str]]:
    """The CRNs each person's referrals name as non-associates."""
    named = defaultdict(set)
    for person_id, crn in db.session.execute(
        sa.select(Referral.person_id, NonAssociate.crn).join(NonAssociate, NonAssociate.referral_id == Referral.id)
        .where(Referral.person_id.in_(person_ids))
    ):
        named[person_id].add(crn)
    return named


def _bed_group_of(premises: schema.Premises, signature: frozenset[str] | None,
                  needs: frozenset[str]) -> frozenset[str]:
    """The bed group a resident holds a bed in: their bed's, or for somebody without a bed yet (or in a bed no
    longer in use), the plainest group with every room characteristic they need, the largest of equals."""
    signatures = {group.characteristics: group.beds for group in premises.bed_groups}
    if signature in signatures:
        return signature
    fitting = [s for s in signatures if needs <= s] or list(signatures)
    return min(fitting, key=lambda s: (len(s), -signatures[s], sorted(s)))


def _codes_by(query: sa.Select) -> dict[int, set[str]]:
    found = defaultdict(set)
    for owner_id, code in db.session.execute(query):
        found[owner_id].add(code)
    return found


def _risk(source, fallback=None) -> schema.Risk:
    """Risk of serious harm as a referral or a person records it; each level not recorded is taken from the
    fallback (the person), else the optimiser's default."""
    default = schema.Risk()

    def level(name: str, column: str):
        return (getattr(source, column) or (getattr(fallback, column) if fallback is not None else None)
                or getattr(default, name))

    return schema.Risk(
        overall=level("overall", "rosh_overall"),
        children=level("children", "rosh_children"),
        public=level("public", "rosh_public"),
        known_adult=level("known_adult", "rosh_known_adult"),
        staff=level("staff", "rosh_staff"),
        mappa_level=source.mappa_level or (fallback.mappa_level if fallback is not None else None),
    )


def _zones(zone: ExclusionZone) -> list[schema.ExclusionZone]:
    """A circle as its exact centre and radius; a polygon, or each polygon of a multipolygon, as its outline."""
    if zone.radius_km is not None:
        return [schema.ExclusionZone(centre=Point(zone.centre_longitude, zone.centre_latitude),
                                     radius_km=zone.radius_km)]
    geometry = json.loads(zone.geometry)
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [schema.ExclusionZone(polygon=tuple(Point(lon, lat) for lon, lat, *_ in rings[0])) for rings in polygons]


def _locator(places: set[str]) -> Callable[[str | None], Point | None]:
    """Locates each place once; the postcode districts among them are read in one query first."""
    districts = {district for district in map(district_of, places) if district}
    db.session.scalars(sa.select(PostcodeDistrict).where(PostcodeDistrict.code.in_(districts))).all()
    points = {}
    for place in places:
        found = locate(place)
        points[place] = found.point if found else None
    return lambda place: points.get(place) if place else None
