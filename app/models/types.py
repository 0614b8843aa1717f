"""Column types shared by the models."""

from enum import Enum, IntEnum

from sqlalchemy import JSON, Integer, TypeDecorator
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


class NumberedEnum(TypeDecorator):
    """An integer enum whose numbers mean something on their own (MAPPA level 3), stored as that number."""

    impl = Integer
    cache_ok = True

    def __init__(self, enum_class: type[IntEnum]):
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else int(self.enum_class(value))

    def process_result_value(self, value, dialect):
        return None if value is None else self.enum_class(value)


class EnumList(TypeDecorator):
    """Several members of one enum (a person's risk flags), stored as a JSON list of their values; None is no
    answer yet, where an empty list is the answer "none of these"."""

    impl = JSON
    cache_ok = True

    def __init__(self, enum_class: type[Enum]):
        super().__init__()
        self.enum_class = enum_class

    def process_bind_param(self, value, dialect):
        return None if value is None else [self.enum_class(member).value for member in value]

    def process_result_value(self, value, dialect):
        return None if value is None else [self.enum_class(member) for member in value]
