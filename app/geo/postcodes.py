"""Postcode districts (outward codes like SE5): imported from a CSV derived from the ONS Postcode Directory,
and `locate()`, which turns what a practitioner types, a district or a town, into a point."""

import csv
import re
from collections.abc import Iterable
from math import isfinite
from typing import NamedTuple

from app.extensions import db
from app.geo.gazetteer import find_town
from app.models import PostcodeDistrict
from app.services import audit
from vocabulary import Point

DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")
FULL_POSTCODE = re.compile(rf"({DISTRICT.pattern}) ?[0-9][A-Z]{{2}}")

# Header names used by ONS Postcode Directory-derived district files, compared after _normalise_header().
COLUMN_NAMES = {
    "district": ("postcode district", "pcd district", "pcds district", "district", "outcode", "postcode"),
    "latitude": ("latitude", "lat"),
    "longitude": ("longitude", "long", "lon", "lng"),
}
# Bounds of the UK, Channel Islands and Isle of Man. The ONS directory writes latitude 99.999999 where a
# postcode has no grid reference, and swapped columns are a common slip: both fall outside these.
COORDINATE_RANGES = {"latitude": (49.0, 61.0), "longitude": (-8.7, 2.0)}


class PostcodeImportError(Exception):
    """The file cannot be imported; `problems` says where, one line number each, so it can be corrected."""

    def __init__(self, problems: list[str]):
        super().__init__(f"{len(problems)} problem(s) in the postcode district file")
        self.problems = problems


class ImportResult(NamedTuple):
    added: int
    updated: int


class Place(NamedTuple):
    name: str
    lon: float
    lat: float

    @property
    def point(self) -> Point:
        return Point(self.lon, self.lat)


def normalise_district(text: str) -> str | None:
    """'se 5' -> 'SE5'; None when the text is not an outward code."""
    code = re.sub(r"\s+", "", text).upper()
    return code if DISTRICT.fullmatch(code) else None


def district_of(text: str) -> str | None:
    """The district of a district or of a full postcode ('SE5 8AF' -> 'SE5')."""
    text = " ".join(text.upper().split())
    full = FULL_POSTCODE.fullmatch(text)
    return full.group(1) if full else normalise_district(text)


def locate(district_or_town: str) -> Place | None:
    """A district imported from the postcode directory, else a town from the gazetteer."""
    district = district_of(district_or_town)
    found = db.session.get(PostcodeDistrict, district) if district else None
    if found is not None:
        return Place(found.code, found.longitude, found.latitude)
    town = find_town(district_or_town)
    return Place(town.name, town.lon, town.lat) if town else None


def import_postcode_districts(lines: Iterable[str], source: str = "") -> ImportResult:
    """Add or update every district in a CSV in one transaction; any bad row means nothing is imported."""
    districts = _read_districts(lines)
    existing = {district.code: district for district in db.session.scalars(db.select(PostcodeDistrict))}
    for code, (longitude, latitude) in districts.items():
        if code in existing:
            existing[code].longitude, existing[code].latitude = longitude, latitude
        else:
            db.session.add(PostcodeDistrict(code=code, longitude=longitude, latitude=latitude))
    result = ImportResult(added=len(districts.keys() - existing.keys()), updated=len(districts.keys() & existing.keys()))
    audit.record("postcode_districts_imported", object_type="postcode_district", source=source, **result._asdict())
    db.session.commit()
    return result


def _read_districts(lines: Iterable[str]) -> dict[str, Point]:
    rows = csv.reader(lines, strict=True)
    problems: list[str] = []
    districts: dict[str, Point] = {}
    first_line_of: dict[str, int] = {}
    try:
        columns = _column_positions(next(rows, []))
        for row in rows:
            if not any(cell.strip() for cell in row):
                continue
            line = rows.line_num
            try:
                code, point = _parse_row(row, columns)
            except ValueError as error:
                problems.extend(f"Line {line}: {problem}" for problem in error.args)
                continue
            if code in first_line_of:
                problems.append(f"Line {line}: {code} already appears on line {first_line_of[code]}")
                continue
            first_line_of[code] = line
            districts[code] = point
    except UnicodeDecodeError:  # decoding runs ahead of the rows read, so no line number can be trusted
        problems.append("The file is not UTF-8 text: save it as 'CSV UTF-8' and try again")
    except csv.Error as error:
        problems.append(f"Line {rows.line_num}: cannot be read as CSV ({error})")
    if not problems and not districts:
        problems.append("The file has no postcode districts below its header row")
    if problems:
        raise PostcodeImportError(problems)
    return districts


def _normalise_header(name: str) -> str:
    return " ".join(re.sub(r"[_\-]", " ", name.replace("\ufeff", "")).lower().split())


def _column_positions(header: list[str]) -> dict[str, int]:
    names = [_normalise_header(name) for name in header]
    positions, problems = {}, []
    for column, accepted in COLUMN_NAMES.items():
        position = next((names.index(name) for name in accepted if name in names), None)
        if position is None:
            problems.append(f"Line 1: no {column} column (name it one of: {', '.join(accepted)})")
        positions[column] = position
    if problems:
        raise PostcodeImportError(problems)
    return positions


def _parse_row(row: list[str], columns: dict[str, int]) -> tuple[str, Point]:
    """Raise ValueError with every problem in the row, each a message of its own."""
    cells = {column: row[position].strip() if position < len(row) else "" for column, position in columns.items()}
    values, problems = {}, []
    for column, cell in cells.items():
        try:
            if not cell:
                raise ValueError(f"{column} is missing")
            values[column] = _district(cell) if column == "district" else _coordinate(column, cell)
        except ValueError as error:
            problems.append(str(error))
    if problems:
        raise ValueError(*problems)
    return values["district"], (values["longitude"], values["latitude"])


def _district(text: str) -> str:
    code = normalise_district(text)
    if code is None:
        raise ValueError(f"'{text}' is not a postcode district like SE5 or EC1A")
    return code


def _coordinate(column: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{column} '{text}' is not a number") from None
    low, high = COORDINATE_RANGES[column]
    if not (isfinite(value) and low <= value <= high):
        raise ValueError(f"{column} {text} is outside the UK ({low:g} to {high:g})")
    return value
