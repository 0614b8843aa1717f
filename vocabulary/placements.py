"""What AP staff record about a placement: how it was prepared, and why a person did not arrive or left."""

from vocabulary._labelled import LabelledEnum


class PreparationItem(LabelledEnum):
    """The preparation checklist before an arrival, in the order staff work through it."""

    BED_ALLOCATED = "bed_allocated", "Bed allocated"
    KEY_WORKER_ASSIGNED = "key_worker_assigned", "Key worker assigned"
    RISK_READ = "risk_read", "Risk summary and risk management plan read"
    LICENCE_CONDITIONS_BRIEFED = "licence_conditions_briefed", "Licence conditions and exclusion zones briefed to staff"
    POLICE_NOTIFIED = "police_notified", "Police notified of the licence conditions"
    NON_ASSOCIATES_CHECKED = "non_associates_checked", "Non-associates checked against current residents"
    MOVE_ON_PLAN_KNOWN = "move_on_plan_known", "Move-on plan known"


# Done by allocating a bed or a key worker, never ticked: a tick could then disagree with the allocation.
ALLOCATED_ITEMS = frozenset({PreparationItem.BED_ALLOCATED, PreparationItem.KEY_WORKER_ASSIGNED})
TICKED_ITEMS = tuple(item for item in PreparationItem if item not in ALLOCATED_ITEMS)


class PoliceNotificationMethod(LabelledEnum):
    SECURE_EMAIL = "secure_email", "Secure email"
    TELEPHONE = "telephone", "Telephone"
    IN_PERSON = "in_person", "In person"


class NonArrivalReason(LabelledEnum):
    FAILED_TO_ARRIVE = "failed_to_arrive", "Failed to arrive"
    PAROLE_NOT_GRANTED = "parole_not_granted", "Parole release not granted"
    ADMITTED_TO_HOSPITAL = "admitted_to_hospital", "Admitted to hospital"
    IN_CUSTODY = "in_custody", "Arrested, in custody or recalled"
    OTHER = "other", "Another reason"


class CancellationReason(LabelledEnum):
    """Why a booking was cancelled before the person arrived (the brief lists none: these follow the national
    service's and the non-arrival reasons)."""

    WITHDRAWN = "withdrawn", "Withdrawn by the probation practitioner"
    BOOKED_IN_ERROR = "booked_in_error", "Booked in error"
    ERROR_IN_DETAILS = "error_in_details", "Error in the booking details"
    ALTERNATIVE_ACCOMMODATION = "alternative_accommodation", "Alternative accommodation found"
    PAROLE_NOT_GRANTED = "parole_not_granted", "Parole release not granted"
    IN_CUSTODY = "in_custody", "Arrested, in custody or recalled"
    DIED = "died", "Died"
    OTHER = "other", "Another reason"


class DepartureReason(LabelledEnum):
    PLANNED_MOVE_ON = "planned_move_on", "Planned move-on"
    BREACH_OR_RECALL = "breach_or_recall", "Breach or recall"
    ARRESTED = "arrested", "Arrested, remanded in custody or sentenced"
    ADMITTED_TO_HOSPITAL = "admitted_to_hospital", "Admitted to hospital"
    DIED = "died", "Died"
    END_OF_ROTL = "end_of_rotl", "End of release on temporary licence (ROTL)"
    ORDER_OR_LICENCE_EXPIRED = "order_or_licence_expired", "Order or licence expired"
    BED_WITHDRAWN = "bed_withdrawn", "Bed withdrawn"


class BreachOrRecallReason(LabelledEnum):
    """Why a breach or recall ended the stay: asked only when that is the departure reason."""

    ABSCONDED = "absconded", "Absconded"
    BEHAVIOUR_OR_RISK = "behaviour_or_risk", "Behaviour or increasing risk in the AP"
    CURFEW = "curfew", "Curfew"
    LICENCE_OR_BAIL_CONDITION = "licence_or_bail_condition", "Licence or bail condition"
    POSITIVE_DRUG_TEST = "positive_drug_test", "Positive drug test"
    POSITIVE_ALCOHOL_TEST = "positive_alcohol_test", "Positive alcohol test"


class UnableToMatchReason(LabelledEnum):
    """The rule that binds when no premises can take a placement request: the hard rules a placement must keep."""

    NO_BED_IN_WINDOW = "no_bed_in_window", "No suitable bed is free in the arrival window"
    AP_TYPE_OR_GENDER = "ap_type_or_gender", "No AP of the type and gender needed"
    ESSENTIAL_CHARACTERISTICS = "essential_characteristics", "No AP has the essential characteristics"
    EXCLUSION_ZONES = "exclusion_zones", "Every suitable AP is inside or near an exclusion zone"
    NON_ASSOCIATES = "non_associates", "A non-associate is at every suitable AP"
    MAXIMUM_DISTANCE = "maximum_distance", "No suitable AP within the maximum distance"
    LEFT_UNPLACED = "left_unplaced", "Left unplaced by the optimiser"
    OTHER = "other", "Another reason"
