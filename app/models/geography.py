"""Probation regions, the referral-unit areas that group them, and located postcode districts."""

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db


class Area(db.Model):
    """A central referral unit's area; the women's estate is a national area of its own."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    is_womens_estate: Mapped[bool] = mapped_column(default=False)

    regions: Mapped[list["Region"]] = relationship(back_populates="area", order_by="Region.name")


class Region(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("area.id"), index=True)

    area: Mapped[Area | None] = relationship(back_populates="regions")


class PostcodeDistrict(db.Model):
    """An outward code such as SE5 with its centre, imported from the ONS Postcode Directory."""

    code: Mapped[str] = mapped_column(String(4), primary_key=True)
    longitude: Mapped[float] = mapped_column(Float)
    latitude: Mapped[float] = mapped_column(Float)
