"""Reviewing a run's proposals: what each says (distances, mix, why, alternatives) and accepting, choosing an
alternative or rejecting, each re-checked against the live data by app/services/bookings.py."""

from datetime import date, datetime

import pytest

from app.clock import LONDON
from app.extensions import db
from app.models import AuditEvent, Placement, PlacementRequestStatus, ProposalDecision, ReferralEventKind
from app.permissions import Role
from app.services import bookings, placement_requests, proposals
from app.services.validation import InvalidInput, NotInScope, Refused

PROPOSED, BOOKED = PlacementRequestStatus.PROPOSED, PlacementRequestStatus.BOOKED


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime(2030, 6, 15, 12, tzinfo=LONDON), tick=False)


@pytest.fixture
def estate(make_premises):
    """Houses near Preston, where the requests' people come from: the nearest has a single bed."""
    return (make_premises("Near House", beds=1, longitude=-2.70, latitude=53.76),
            make_premises("Far House", beds=3, longitude=-2.30, latitude=53.70),
            make_premises("Farther House", beds=3, longitude=-2.20, latitude=53.60))


@pytest.fixture
def run(estate, make_placement_request, finished_run):
    make_placement_request(answers={"arrival_date": date(2030, 7, 1)}, expected_arrival=date(2030, 7, 1))
    make_placement_request(answers={"arrival_date": date(2030, 7, 1)}, expected_arrival=date(2030, 7, 1))
    return finished_run()


def _placed(placer, run):
    return [p for p in proposals.proposals_of(placer, run) if p.premises_id is not None]


def test_a_finished_runs_proposals_are_reviewed_with_distances_mix_reasons_and_alternatives(placer, run, estate):
    near, far, _ = estate
    shown = _placed(placer, run)
    assert {p.premises_id for p in shown} == {near.id, far.id}
    assert all(proposals.is_pending(p) for p in shown)

    at_far = next(p for p in shown if p.premises_id == far.id)
    review = proposals.review(placer, at_far)
    assert review.home.name == "Preston"
    assert 25 < review.home_km < 30
    assert review.relocation.name == "Leeds"
    assert review.mix.residents == 0
    assert review.reasons[0].startswith("It is 17 miles (28 km) from the home area, Preston.")
    assert [place.label for place in review.places] == ["Home area: Preston", "Relocation area: Leeds",
                                                        "Proposed: Far House"]
    assert dict(review.ruled_out)["Near House"].endswith("with the proposed placements")
    assert [(a.premises.name, a.arrival) for a in review.alternatives] == [("Farther House", date(2030, 7, 1))]
    assert review.alternatives[0].in_words.endswith("km further from home")


def test_a_review_counts_the_others_the_run_proposes_there_that_day(placer, estate, make_placement_request,
                                                                    finished_run):
    for _ in range(3):  # one fits at Near House, two go to Far House
        make_placement_request(answers={"arrival_date": date(2030, 7, 1)}, expected_arrival=date(2030, 7, 1))
    shown = _placed(placer, finished_run())
    alongside = sorted((p.premises.name, proposals.review(placer, p).proposed_alongside) for p in shown)
    assert alongside == [("Far House", 1), ("Far House", 1), ("Near House", 0)]


def test_the_resident_mix_counts_who_is_there_on_the_day_by_rosh_and_mappa(estate, fill):
    near, _, _ = estate
    fill(near, date(2030, 6, 1), date(2030, 7, 2))
    mix = proposals.resident_mix(near.id, date(2030, 7, 1))
    assert mix.residents == 1
    assert ("Not recorded", 1) in mix.by_rosh and ("Not a MAPPA case", 1) in mix.by_mappa
    assert proposals.resident_mix(near.id, date(2030, 7, 2)).residents == 0


def test_accepting_books_the_proposed_place(placer, run):
    proposal = _placed(placer, run)[0]
    placement = proposals.accept(placer, proposal)
    assert (placement.premises_id, placement.expected_arrival) == (proposal.premises_id, proposal.arrival_on)
    assert proposal.placement_request.status is BOOKED
    assert not proposals.is_pending(proposal)
    with pytest.raises(Refused, match="no longer waiting for a decision"):
        proposals.accept(placer, proposal)


def test_a_proposal_the_live_data_now_refuses_names_the_rule_and_saves_nothing(placer, run, fill):
    proposal = _placed(placer, run)[0]
    fill(proposal.premises, date(2030, 6, 1), date(2030, 12, 1))
    before = db.session.query(Placement).count()

    with pytest.raises(bookings.BookingRefused) as refusal:
        proposals.accept(placer, proposal)

    assert refusal.value.problems and refusal.value.problems[0].startswith("No bed free")
    assert proposal.premises.name in refusal.value.problems[0]
    db.session.rollback()
    assert db.session.query(Placement).count() == before
    assert proposal.placement_request.status is PROPOSED


def test_accepting_a_selection_books_each_that_the_rules_allow(placer, run, fill):
    first, second = _placed(placer, run)
    fill(second.premises, date(2030, 6, 1), date(2030, 12, 1))

    outcomes = proposals.accept_many(placer, [first, second])

    assert [bool(outcome.placement) for outcome in outcomes] == [True, False]
    assert first.placement_request.status is BOOKED and second.placement_request.status is PROPOSED


def test_choosing_an_alternative_books_it_instead(placer, run, estate):
    near, far, _ = estate
    proposal = next(p for p in _placed(placer, run) if p.premises_id == far.id)
    other = proposal.alternatives[0]
    placement = proposals.choose_alternative(placer, proposal, other["premises_id"])
    assert placement.premises_id == other["premises_id"]
    with pytest.raises(Refused):
        proposals.choose_alternative(placer, proposal, near.id)


def test_only_an_offered_alternative_can_be_chosen(placer, run, estate):
    proposal = _placed(placer, run)[0]
    with pytest.raises(InvalidInput) as refusal:
        proposals.choose_alternative(placer, proposal, 999)
    assert refusal.value.problems == {"alternative": "Select one of the alternatives"}


def test_rejecting_sends_the_request_back_with_the_reason_on_its_timeline(placer, run):
    proposal = _placed(placer, run)[0]
    with pytest.raises(InvalidInput):
        proposals.reject(placer, proposal, "   ")

    proposals.reject(placer, proposal, "The AP cannot manage the curfew")

    request = proposal.placement_request
    assert request.status is PlacementRequestStatus.READY_TO_MATCH
    event = placement_requests.history(request)[0]
    assert event.kind is ReferralEventKind.PROPOSAL_REJECTED
    assert event.note == f"{proposal.premises.name} from 1 July 2030: The AP cannot manage the curfew"
    assert db.session.query(AuditEvent).filter_by(action="proposal_rejected").count() == 1
    assert proposal.decision is ProposalDecision.REJECTED


def test_each_proposal_records_its_decision(placer, run, estate):
    first, second = _placed(placer, run)
    proposals.accept(placer, first)
    proposals.choose_alternative(placer, second, proposals.review(placer, second).alternatives[0].premises.id)
    db.session.expire_all()
    assert (first.decision, second.decision) == (ProposalDecision.ACCEPTED, ProposalDecision.ACCEPTED)
    assert not proposals.is_pending(first) and not proposals.is_pending(second)


def test_a_later_run_supersedes_the_proposals_nobody_decided(placer, run, finished_run):
    earlier = _placed(placer, run)
    proposals.accept(placer, earlier[0])
    later = finished_run()
    db.session.expire_all()
    assert [p.decision for p in earlier] == [ProposalDecision.ACCEPTED, ProposalDecision.SUPERSEDED]
    assert not proposals.is_pending(earlier[1])
    (again,) = _placed(placer, later)  # the booked one is planned no more
    assert again.placement_request_id == earlier[1].placement_request_id and proposals.is_pending(again)


def test_nobody_outside_the_region_reviews_or_decides(make_user, run, placer):
    proposal = _placed(placer, run)[0]
    outsider = make_user(Role.REFERRAL_UNIT)
    assert proposals.proposals_of(outsider, run) == []
    for action in (lambda: proposals.review(outsider, proposal), lambda: proposals.reject(outsider, proposal, "No")):
        with pytest.raises(NotInScope):
            action()
