"""Accounts: a person signs in with an email and holds one or more roles, scoped to a premises or region."""

import secrets

from flask import current_app
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models.types import enum_type
from app.permissions import Permission, Role, permissions_for

SESSION_TOKEN_LENGTH = 43  # what token_urlsafe(32) makes: 256 random bits


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


class UserRole(db.Model):
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[Role] = mapped_column(enum_type(Role), primary_key=True)


class User(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    is_active: Mapped[bool] = mapped_column(default=True)
    premises_id: Mapped[int | None] = mapped_column(ForeignKey("premises.id"), index=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"), index=True)
    # Part of every session's user id: replacing it ends all the account's sessions, even copied cookies.
    session_token: Mapped[str] = mapped_column(String(SESSION_TOKEN_LENGTH), default=new_session_token)

    role_rows: Mapped[list[UserRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    premises: Mapped["Premises | None"] = relationship()  # noqa: F821
    region: Mapped["Region | None"] = relationship()  # noqa: F821

    # Flask-Login protocol
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        """What Flask-Login keeps in the session (and would keep in a remember-me cookie)."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Sign the account out everywhere: a session made before this no longer matches the account."""
        self.session_token = new_session_token()

    @property
    def roles(self) -> list[Role]:
        return sorted((row.role for row in self.role_rows), key=list(Role).index)

    @roles.setter
    def roles(self, roles) -> None:
        wanted = {Role(role) for role in roles}
        self.role_rows = [row for row in self.role_rows if row.role in wanted]
        self.role_rows += [UserRole(role=role) for role in wanted - {row.role for row in self.role_rows}]

    @property
    def permissions(self) -> frozenset[Permission]:
        return permissions_for(self.roles)

    def can(self, permission: Permission) -> bool:
        return permission in self.permissions

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
