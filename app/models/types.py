"""Column types shared by the models."""

from enum import Enum

from sqlalchemy import Enum as SAEnum


def _stored(member: Enum) -> str:
    return member.value if isinstance(member.value, str) else member.name


def enum_type(enum_class: type[Enum]) -> SAEnum:
    """Store an enum as its readable value (names for integer enums) in a portable VARCHAR column."""
    return SAEnum(
        enum_class,
        native_enum=False,
        create_constraint=False,
        length=max(len(_stored(m)) for m in enum_class),
        values_callable=lambda cls: [_stored(m) for m in cls],
        validate_strings=True,
    )
