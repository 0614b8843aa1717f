"""Referrals (applications) for a place in an approved premises, written by offender managers.

One row per referral, each section's answers in typed columns of that row, added section by section with a
migration: every answer is a column that the assessor's queue, the optimiser's input and reports can filter and
sort on in SQL (arrival date, notice, MAPPA...), where a blob of answers per page would need reading in Python.
Whether a section is complete is derived from its answers by app/services/referrals.py, never stored, so it can
never disagree with them. What repeats has child tables: preferred APs (app/models/referral_location.py), exclusion
zones and non-associates (app/models/victims.py).
"""

from datetime import date, datetime, time

from sqlalchemy import Date, ForeignKey, SmallInteger, String, Text, Time
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app import clock
from app.extensions import db
from app.models.referral_location import PreferredPremises
from app.models.types import EnumList, NumberedEnum, enum_type
from app.models.victims import ExclusionZone, NonAssociate
from vocabulary import (
    KM_PER_MILE,
    APType,
    MappaCategory,
    MappaLevel,
    MoveOnCategory,
    Need,
    OffenceHistory,
    PlacementPurpose,
    ReferralStatus,
    ReleaseType,
    ReoffendingTier,
    RiskFlag,
    RiskLevel,
    SentenceType,
    VictimContactScheme,
)
from vocabulary.referrals import WithdrawalReason


def _risk_column():
    return mapped_column(enum_type(RiskLevel))


def _offence_column():
    return mapped_column(enum_type(OffenceHistory))


class Referral(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    # The probation region the referral belongs to: its author's when it was started, so that colleagues of that
    # region can resume it even if the author moves on.
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=clock.utc_now)
    updated_at: Mapped[datetime] = mapped_column(default=clock.utc_now, onupdate=clock.utc_now)
    submitted_at: Mapped[datetime | None]
    status: Mapped[ReferralStatus] = mapped_column(enum_type(ReferralStatus), default=ReferralStatus.DRAFT, index=True)
    # What people quote about a submitted referral (on the phone, in an email): given when it is submitted.
    reference: Mapped[str | None] = mapped_column(String(12), unique=True)
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[WithdrawalReason | None] = mapped_column(enum_type(WithdrawalReason))
    withdrawal_detail: Mapped[str | None] = mapped_column(String(500))

    # Sentence and release
    sentence_type: Mapped[SentenceType | None] = mapped_column(enum_type(SentenceType))
    release_type: Mapped[ReleaseType | None] = mapped_column(enum_type(ReleaseType))
    arrival_date: Mapped[date | None] = mapped_column(Date)
    is_emergency: Mapped[bool | None]
    lateness_reason: Mapped[str | None] = mapped_column(Text)
    licence_expiry_date: Mapped[date | None] = mapped_column(Date)
    is_mappa_case: Mapped[bool | None]
    mappa_category: Mapped[MappaCategory | None] = mapped_column(NumberedEnum(MappaCategory))
    mappa_level: Mapped[MappaLevel | None] = mapped_column(NumberedEnum(MappaLevel))
    placement_purpose: Mapped[PlacementPurpose | None] = mapped_column(enum_type(PlacementPurpose))
    placement_purpose_other: Mapped[str | None] = mapped_column(String(200))
    requested_ap_type: Mapped[APType | None] = mapped_column(enum_type(APType))

    # Risk of serious harm, as assessed on a date and due for review by another
    rosh_overall: Mapped[RiskLevel | None] = _risk_column()
    rosh_children: Mapped[RiskLevel | None] = _risk_column()
    rosh_public: Mapped[RiskLevel | None] = _risk_column()
    rosh_known_adult: Mapped[RiskLevel | None] = _risk_column()
    rosh_staff: Mapped[RiskLevel | None] = _risk_column()
    rosh_assessed_on: Mapped[date | None] = mapped_column(Date)
    rosh_review_due_on: Mapped[date | None] = mapped_column(Date)
    risk_flags: Mapped[list[RiskFlag] | None] = mapped_column(EnumList(RiskFlag))

    # Likelihood of reoffending: never risk of serious harm
    ogrs_percentage: Mapped[int | None] = mapped_column(SmallInteger)
    reoffending_tier: Mapped[ReoffendingTier | None] = mapped_column(enum_type(ReoffendingTier))

    # Offences, each current, previous only, or none
    arson_offence: Mapped[OffenceHistory | None] = _offence_column()
    sexual_offence_against_adults: Mapped[OffenceHistory | None] = _offence_column()
    contact_sexual_offence_against_children: Mapped[OffenceHistory | None] = _offence_column()
    non_contact_sexual_offence_against_children: Mapped[OffenceHistory | None] = _offence_column()
    non_sexual_offence_against_children: Mapped[OffenceHistory | None] = _offence_column()
    hate_crime_offence: Mapped[OffenceHistory | None] = _offence_column()

    # Needs: one yes or no per vocabulary.Need, named as its value, and a detail where one is asked
    uses_wheelchair: Mapped[bool | None]
    has_mobility_needs: Mapped[bool | None]
    has_sight_impairment: Mapped[bool | None]
    has_hearing_impairment: Mapped[bool | None]
    has_learning_disability: Mapped[bool | None]
    is_neurodivergent: Mapped[bool | None]
    has_health_needs: Mapped[bool | None]
    takes_medication: Mapped[bool | None]
    is_pregnant: Mapped[bool | None]
    needs_catering: Mapped[bool | None]
    needs_single_room: Mapped[bool | None]
    is_vulnerable_to_exploitation: Mapped[bool | None]
    needs_interpreter: Mapped[bool | None]
    health_needs_detail: Mapped[str | None] = mapped_column(Text)
    medication_detail: Mapped[str | None] = mapped_column(Text)
    interpreter_language: Mapped[str | None] = mapped_column(String(60))

    # Location: the home area is a town or a postcode district as typed (app.geo.postcodes.locate finds it). The
    # furthest distance is kept in whole miles, as people give it; max_distance_km converts it for the optimiser.
    home_area: Mapped[str | None] = mapped_column(String(60))
    home_area_ties: Mapped[str | None] = mapped_column(Text)
    max_distance_miles: Mapped[int | None] = mapped_column(SmallInteger)
    areas_to_avoid: Mapped[str | None] = mapped_column(Text)
    has_preferred_premises: Mapped[bool | None]

    # Victims and exclusion zones; the zones and non-associates themselves are child rows
    victim_contact_scheme: Mapped[VictimContactScheme | None] = mapped_column(enum_type(VictimContactScheme))
    has_exclusion_zones: Mapped[bool | None]
    has_non_associates: Mapped[bool | None]

    # Licence conditions
    has_standard_licence_conditions: Mapped[bool | None]
    additional_licence_conditions: Mapped[str | None] = mapped_column(Text)
    has_electronic_monitoring: Mapped[bool | None]
    has_curfew: Mapped[bool | None]
    curfew_starts_at: Mapped[time | None] = mapped_column(Time)
    curfew_ends_at: Mapped[time | None] = mapped_column(Time)

    # Move-on
    move_on_category: Mapped[MoveOnCategory | None] = mapped_column(enum_type(MoveOnCategory))
    relocation_area: Mapped[str | None] = mapped_column(String(60))
    has_move_on_plans: Mapped[bool | None]
    has_immigration_issues: Mapped[bool | None]

    # Contingency plan and arrival information
    contingency_plan: Mapped[str | None] = mapped_column(Text)
    arrival_information: Mapped[str | None] = mapped_column(Text)

    person: Mapped["Person"] = relationship()  # noqa: F821
    created_by: Mapped["User"] = relationship()  # noqa: F821
    region: Mapped["Region"] = relationship()  # noqa: F821
    events: Mapped[list["ReferralEvent"]] = relationship(  # noqa: F821
        back_populates="referral", order_by="ReferralEvent.at, ReferralEvent.id")
    # Loaded with the referrals in one query each, since every section's status reads them
    preferred_premises: Mapped[list[PreferredPremises]] = relationship(
        order_by=PreferredPremises.rank, cascade="all, delete-orphan", lazy="selectin")
    exclusion_zones: Mapped[list[ExclusionZone]] = relationship(
        order_by=ExclusionZone.id, cascade="all, delete-orphan", lazy="selectin")
    non_associates: Mapped[list[NonAssociate]] = relationship(
        order_by=NonAssociate.id, cascade="all, delete-orphan", lazy="selectin")
    assessment: Mapped["Assessment | None"] = relationship(back_populates="referral")  # noqa: F821

    @property
    def is_draft(self) -> bool:
        return self.status is ReferralStatus.DRAFT

    @property
    def preferred_premises_ids(self) -> list[int] | None:
        """The preferred APs' ids, most preferred first; None when there are none, like any answer not given."""
        return [preferred.premises_id for preferred in self.preferred_premises] or None

    @preferred_premises_ids.setter
    def preferred_premises_ids(self, premises_ids: list[int] | None) -> None:
        self.preferred_premises = [PreferredPremises(premises_id=premises_id, rank=rank)
                                   for rank, premises_id in enumerate(premises_ids or (), start=1)]

    @property
    def max_distance_km(self) -> float | None:
        return None if self.max_distance_miles is None else self.max_distance_miles * KM_PER_MILE

    @property
    def needs(self) -> list[Need] | None:
        """The needs the person has, or None before the needs are answered (an empty list is none)."""
        answers = {need: getattr(self, need.value) for need in Need}
        if all(answer is None for answer in answers.values()):
            return None
        return [need for need, answer in answers.items() if answer]
