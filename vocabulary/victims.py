"""What a referral records to keep victims and others safe: the victim contact scheme, how an exclusion zone was
given, and why someone must never share an AP with the person."""

from vocabulary._labelled import LabelledEnum


class VictimContactScheme(LabelledEnum):
    """Whether a victim takes part in the statutory victim contact scheme, whose victim liaison officer the AP may
    need to consult before a placement near the victim."""

    OPTED_IN = "opted_in", "Yes, a victim has opted in to the victim contact scheme"
    DECLINED = "declined", "No, the victims declined or have not replied"
    NOT_ELIGIBLE = "not_eligible", "No, the case is not eligible for the scheme"


class ExclusionZoneSource(LabelledEnum):
    """How an exclusion zone was given: the optimiser reads them all as geometry, people read how each was made."""

    DRAWN = "drawn", "Drawn on a map"
    CIRCLE = "circle", "A centre and a radius"
    UPLOADED = "uploaded", "Uploaded as a GeoJSON file"


class NonAssociateReason(LabelledEnum):
    """Why two people must never stay in the same AP at the same time."""

    CO_DEFENDANT = "co_defendant", "Co-defendant"
    GANG = "gang", "Rival or same gang"
    VICTIM = "victim", "Victim or perpetrator"
    OTHER = "other", "Another reason"
