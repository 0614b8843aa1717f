"""Enums whose members carry the words people read, so that nobody restates a label elsewhere."""

from enum import Enum, IntEnum


class LabelledEnum(str, Enum):
    """Stored by its value (``"pipe"``), shown by its label: ``PIPE = "pipe", "Psychologically informed ..."``."""

    label: str

    def __new__(cls, value: str, label: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


class LabelledIntEnum(IntEnum):
    """A numbered term shown with its meaning: ``ONE = 1, "Level 1: ordinary agency management"``."""

    label: str

    def __new__(cls, value: int, label: str):
        member = int.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
