"""What kind of AP a premises is, which referrals it takes, and the characteristics of premises and rooms.

The AP type is the one truth about a premises' kind: there is no "is a PIPE" characteristic beside the PIPE
type, so the two can never disagree. Characteristics are everything else a premises or a room offers.
"""

from enum import Enum
from typing import NamedTuple

from vocabulary._labelled import LabelledEnum


class APType(LabelledEnum):
    STANDARD = "standard", "Standard"
    PIPE = "pipe", "Psychologically informed planned environment (PIPE)"
    ESAP = "esap", "Enhanced security (ESAP)"
    RECOVERY_FOCUSED = "rfap", "Recovery-focused (RFAP)"
    MENTAL_HEALTH = "mhap", "Specialist mental health (MHAP)"


# A standard referral may also go to a recovery-focused AP; every other type needs its own kind of AP.
ACCEPTED_AP_TYPES: dict[APType, frozenset[APType]] = {
    APType.STANDARD: frozenset({APType.STANDARD, APType.RECOVERY_FOCUSED}),
    APType.PIPE: frozenset({APType.PIPE}),
    APType.ESAP: frozenset({APType.ESAP}),
    APType.RECOVERY_FOCUSED: frozenset({APType.RECOVERY_FOCUSED}),
    APType.MENTAL_HEALTH: frozenset({APType.MENTAL_HEALTH}),
}


class CharacteristicScope(str, Enum):
    """Premises characteristics describe the whole building; room characteristics are counted bed by bed."""

    PREMISES = "premises"
    ROOM = "room"


class Characteristic(NamedTuple):
    code: str
    label: str
    scope: CharacteristicScope


_PREMISES, _ROOM = CharacteristicScope.PREMISES, CharacteristicScope.ROOM

# Codes and labels as in the national service, so that data maps across.
CHARACTERISTICS: tuple[Characteristic, ...] = (
    Characteristic("is_catered", "Is catered", _PREMISES),
    Characteristic("is_suitable_for_vulnerable", "Is suitable for people vulnerable to exploitation", _PREMISES),
    Characteristic("accepts_sex_offenders", "Accepts people with sexual offences against adults", _PREMISES),
    Characteristic("accepts_child_sex_offenders", "Accepts people with sexual offences against children", _PREMISES),
    Characteristic(
        "accepts_non_sexual_child_offenders", "Accepts people with non-sexual offences against children", _PREMISES
    ),
    Characteristic("accepts_hate_crime_offenders", "Accepts people with hate-crime offences", _PREMISES),
    Characteristic("has_step_free_access", "Step-free access", _PREMISES),
    Characteristic("has_lift", "Lift", _PREMISES),
    Characteristic("has_wheelchair_accessible_bathrooms", "Wheelchair-accessible bathrooms", _PREMISES),
    Characteristic("has_tactile_flooring", "Tactile flooring", _PREMISES),
    Characteristic("has_braille_signage", "Braille signage", _PREMISES),
    Characteristic("has_hearing_loop", "Hearing loop", _PREMISES),
    Characteristic("is_single", "Single room", _ROOM),
    Characteristic("has_en_suite", "En-suite", _ROOM),
    Characteristic("is_step_free_designated", "Step-free designated", _ROOM),
    Characteristic("is_wheelchair_designated", "Wheelchair designated", _ROOM),
    Characteristic("is_arson_suitable", "Suitable for people with arson offences", _ROOM),
    Characteristic("is_suited_for_sex_offenders", "Suited for people with sexual offences", _ROOM),
    Characteristic("is_ground_floor", "Ground floor", _ROOM),
)

PREMISES_CHARACTERISTICS = frozenset(c.code for c in CHARACTERISTICS if c.scope is _PREMISES)
ROOM_CHARACTERISTICS = frozenset(c.code for c in CHARACTERISTICS if c.scope is _ROOM)
