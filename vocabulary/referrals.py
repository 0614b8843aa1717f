"""What a referral records about the sentence: sentence and release types, notice and the placement's purpose."""

from vocabulary._labelled import LabelledEnum


class SentenceType(LabelledEnum):
    STANDARD_DETERMINATE = "standard_determinate", "Standard determinate custody"
    EXTENDED_DETERMINATE = "extended_determinate", "Extended determinate sentence"
    LIFE = "life", "Life sentence"
    IPP = "ipp", "Imprisonment for public protection (IPP)"
    COMMUNITY_ORDER = "community_order", "Community order or suspended sentence"
    BAIL_PLACEMENT = "bail_placement", "Bail placement"
    NON_STATUTORY_MAPPA = "non_statutory_mappa", "Non-statutory MAPPA case"


class ReleaseType(LabelledEnum):
    LICENCE = "licence", "Licence"
    HDC = "hdc", "Home detention curfew (HDC)"
    ROTL = "rotl", "Release on temporary licence (ROTL)"
    POST_SENTENCE_SUPERVISION = "pss", "Post-sentence supervision"
    PAROLE_DIRECTED_LICENCE = "parole_directed_licence", "Parole-directed licence"
    EXTENDED_DETERMINATE_LICENCE = "extended_determinate_licence", "Extended determinate licence"
    RE_RELEASED_STANDARD_RECALL = "re_released_standard_recall", "Re-release after a standard recall"
    RE_RELEASED_FIXED_TERM_RECALL = "re_released_fixed_term_recall", "Re-release after a fixed-term recall"
    IN_COMMUNITY = "in_community", "In the community"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class Notice(LabelledEnum):
    STANDARD = "standard", "Standard"
    SHORT_NOTICE = "short_notice", "Short notice"
    EMERGENCY = "emergency", "Emergency"


class PlacementPurpose(LabelledEnum):
    PUBLIC_PROTECTION = "public_protection", "Public protection"
    PREVENT_CONTACT = "prevent_contact", "Prevent contact with victims or others"
    READJUST_TO_COMMUNITY = "readjust", "Help the person adjust to life in the community"
    MONITOR_DRUGS_AND_ALCOHOL = "drugs_alcohol", "Monitor drug or alcohol use"
    PREVENT_SELF_HARM = "prevent_self_harm", "Prevent self-harm or suicide"
    OTHER = "other", "Another purpose"


class RiskFlag(LabelledEnum):
    """Flags from the national service's registers that warn about a person before they arrive."""

    RISK_TO_KNOWN_ADULT = "risk_to_known_adult", "Risk to known adult"
    DOMESTIC_ABUSE_PERPETRATOR = "domestic_abuse_perpetrator", "Domestic abuse perpetrator"
    HATE_CRIME = "hate_crime", "Hate crime"
    WEAPONS = "weapons", "Weapons"
    ARSON = "arson", "Arson"
    GANG_AFFILIATION = "gang_affiliation", "Gang affiliation"
    STREET_GANGS = "street_gangs", "Street gangs"
    RISK_TO_CHILDREN = "risk_to_children", "Risk to children"
    SERIOUS_ORGANISED_CRIME = "serious_organised_crime", "Serious organised crime"


class ReoffendingTier(LabelledEnum):
    """The tier of likelihood of reoffending, A the most likely: never a measure of risk of serious harm."""

    A = "a", "Tier A"
    B = "b", "Tier B"
    C = "c", "Tier C"
    D = "d", "Tier D"


class OffenceHistory(LabelledEnum):
    """Whether a kind of offence is among the person's current offences, only their previous ones, or neither."""

    CURRENT = "current", "Yes, a current offence"
    PREVIOUS = "previous", "Yes, a previous offence only"
    NONE = "none", "No"


class Need(LabelledEnum):
    """A person's needs that the AP must meet, each recorded on the referral as a yes or no of the same name."""

    USES_WHEELCHAIR = "uses_wheelchair", "Uses a wheelchair"
    HAS_MOBILITY_NEEDS = "has_mobility_needs", "Has other mobility needs, for example cannot use stairs"
    HAS_SIGHT_IMPAIRMENT = "has_sight_impairment", "Is blind or partially sighted"
    HAS_HEARING_IMPAIRMENT = "has_hearing_impairment", "Is deaf or hard of hearing"
    HAS_LEARNING_DISABILITY = "has_learning_disability", "Has a learning disability"
    IS_NEURODIVERGENT = "is_neurodivergent", "Is neurodivergent, for example autistic or with ADHD"
    HAS_HEALTH_NEEDS = "has_health_needs", "Has physical or mental health needs"
    TAKES_MEDICATION = "takes_medication", "Takes medication"
    IS_PREGNANT = "is_pregnant", "Is pregnant"
    NEEDS_CATERING = "needs_catering", "Needs meals provided (a catered AP)"
    NEEDS_SINGLE_ROOM = "needs_single_room", "Cannot share a room"
    IS_VULNERABLE_TO_EXPLOITATION = "is_vulnerable_to_exploitation", "Is vulnerable to exploitation"
    NEEDS_INTERPRETER = "needs_interpreter", "Needs an interpreter"


class MoveOnCategory(LabelledEnum):
    """Where a person goes after the AP: expected on the referral, recorded again when they leave."""

    FAMILY_OR_PARTNER = "family_partner_other", "Living with family, partner or others"
    PRIVATE_RENTED = "private_rented", "Private rented"
    SOCIAL_RENTED = "social_rented", "Local authority or housing association rented"
    SUPPORTED_HOUSING = "supported_housing", "Supported housing"
    CAS3 = "cas3", "CAS3 (temporary accommodation)"
    CAS2 = "cas2", "CAS2"
    TEMPORARY = "temporary", "B&B, temporary or short-term"
    OWNER_OCCUPIED = "owner_occupied", "Owner occupied"
    CUSTODY = "custody", "Custody"
    DEPORTED = "deported", "Deported or detention centre"
    ANOTHER_AP = "another_ap", "Transferred to another AP"
    NO_FIXED_ABODE = "no_fixed_abode", "No fixed abode"


class ReferralStatus(LabelledEnum):
    """Where a referral is in its life: written, with the assessor, decided, or withdrawn by its author."""

    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Submitted"
    AWAITING_INFORMATION = "awaiting_information", "Further information requested"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"

    @property
    def is_open(self) -> bool:
        """Still to be decided: its author may withdraw it and an assessor may act on it."""
        return self in (ReferralStatus.SUBMITTED, ReferralStatus.AWAITING_INFORMATION)


class RejectionReason(LabelledEnum):
    """Why an assessor rejects a referral, as the national service records it."""

    ACCOMMODATION_NEED_ONLY = "accommodation_need_only", "Accommodation need only"
    NEEDS_CANNOT_BE_MET = "needs_cannot_be_met", "Needs cannot be met"
    SUPERVISION_TOO_SHORT = "supervision_too_short", "Remaining supervision too short"
    NOT_NECESSARY_OR_PROPORTIONATE = "not_necessary_or_proportionate", "AP not necessary or proportionate"
    RISK_MANAGED_OTHERWISE = "risk_managed_otherwise", "Risk can be managed otherwise"
    INSUFFICIENT_MOVE_ON_PLAN = "insufficient_move_on_plan", "Insufficient move-on plan"
    INSUFFICIENT_CONTINGENCY_PLAN = "insufficient_contingency_plan", "Insufficient contingency plan"
    INFORMATION_NOT_PROVIDED = "information_not_provided", "Information not provided"
    INACCURATE_INFORMATION = "inaccurate_information", "Inaccurate or outdated information"
    RISK_TO_COMMUNITY = "risk_to_community", "Risk to community"
    RISK_TO_OTHERS_IN_AP = "risk_to_others_in_ap", "Risk to others in the AP"
    RISK_TO_STAFF = "risk_to_staff", "Risk to staff"
    RISK_TO_SELF = "risk_to_self", "Risk to self"
    WITHDRAWN_BY_PRACTITIONER = "withdrawn_by_practitioner", "Withdrawn by practitioner"


class WithdrawalReason(LabelledEnum):
    """Why an offender manager withdraws their referral; the codes are the national service's."""

    NEW_REFERRAL_TO_FOLLOW = ("change_in_circumstances_new_application_to_be_submitted",
                              "Change in circumstances: a new referral will be submitted")
    ERROR_IN_REFERRAL = "error_in_application", "Error in the referral"
    DUPLICATE = "duplicate_application", "Duplicate referral"
    OTHER_ACCOMMODATION_FOUND = "other_accommodation_identified", "Other accommodation found"
    DEATH = "death", "The person has died"
    OTHER = "other", "Another reason"
