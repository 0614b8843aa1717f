"""Who a person is and how dangerous they may be: gender, risk of serious harm and MAPPA."""

from enum import IntEnum

from vocabulary._labelled import LabelledEnum, LabelledIntEnum


class Gender(LabelledEnum):
    MALE = "male", "Men"
    FEMALE = "female", "Women"

    @property
    def person_label(self) -> str:
        """How one person's gender reads ("Male"), where `label` says whom a premises is for ("Men")."""
        return self.name.capitalize()


class RiskLevel(IntEnum):
    """Risk of serious harm (RoSH), overall or towards one group; ordered so that ``risk >= HIGH`` reads true."""

    LOW = 1
    MEDIUM = 2
    HIGH = 3
    VERY_HIGH = 4

    @property
    def label(self) -> str:
        return self.name.replace("_", " ").capitalize()


class MappaCategory(LabelledIntEnum):
    """Why a person is managed under MAPPA (multi-agency public protection arrangements)."""

    REGISTERED_SEXUAL_OFFENDER = 1, "Category 1: registered sexual offender"
    VIOLENT_OFFENDER = 2, "Category 2: violent offender"
    OTHER_DANGEROUS_OFFENDER = 3, "Category 3: other dangerous offender"


class MappaLevel(LabelledIntEnum):
    """How many agencies manage the person under MAPPA; level 3 is the most intensive."""

    ORDINARY = 1, "Level 1: ordinary agency management"
    MULTI_AGENCY = 2, "Level 2: multi-agency management"
    SENIOR_MULTI_AGENCY = 3, "Level 3: senior multi-agency management"
