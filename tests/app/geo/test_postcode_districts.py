import pytest
import sqlalchemy as sa

from app.extensions import db
from app.geo.postcodes import Place, PostcodeImportError, import_postcode_districts, locate
from app.models import AuditEvent, PostcodeDistrict

GOOD_FILE = """postcode district,latitude,longitude
SE5,51.4739,-0.0913
se 1,51.4988,-0.0886
EC1A,51.5202,-0.0979
"""


def _districts() -> dict[str, tuple[float, float]]:
    return {d.code: (d.longitude, d.latitude) for d in db.session.scalars(sa.select(PostcodeDistrict))}


def _write(tmp_path, text: str, name="districts.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(text: str):
    return import_postcode_districts(text.splitlines(keepends=True), source="test.csv")


def test_imports_districts_and_records_it():
    result = _import(GOOD_FILE)
    assert result.added == 3 and result.updated == 0
    assert _districts() == {"SE5": (-0.0913, 51.4739), "SE1": (-0.0886, 51.4988), "EC1A": (-0.0979, 51.5202)}
    event = db.session.scalar(sa.select(AuditEvent))
    assert event.action == "postcode_districts_imported" and event.details["added"] == 3


@pytest.mark.parametrize(
    "header",
    [
        "pcd_district,lat,long",
        "Postcode,Latitude,Longitude,Easting,Northing",  # district files that call the outward code "postcode"
        "\ufeffid,outcode,lng,lat",  # a byte-order mark, other names and another order
    ],
)
def test_accepts_the_header_names_of_district_files(header):
    columns = header.lstrip("\ufeff").lower().split(",")
    values = {"lat": "53.7632", "latitude": "53.7632", "long": "-2.7031", "longitude": "-2.7031", "lng": "-2.7031"}
    row = ",".join(values.get(column, "PR1" if column in {"pcd_district", "postcode", "outcode"} else "1") for column in columns)
    _import(f"{header}\n{row}\n")
    assert _districts() == {"PR1": (-2.7031, 53.7632)}


def test_updates_districts_already_imported():
    _import(GOOD_FILE)
    result = _import("postcode district,latitude,longitude\nSE5,51.47,-0.09\nM1,53.48,-2.23\n")
    assert result.added == 1 and result.updated == 1
    assert _districts()["SE5"] == (-0.09, 51.47)
    assert len(_districts()) == 4


BAD_FILE = """postcode district,latitude,longitude
SE5,51.4739,-0.0913
SE5 8AF,51.47,-0.09
N1,abc,-0.1
N7,99.999999,0.000000
W12,-0.22,51.5
E17,51.58
,51.5,-0.1
SE5,51.47,-0.09

12X,,-0.1
"""


def test_malformed_rows_are_reported_by_line_and_nothing_is_imported():
    _import("postcode district,latitude,longitude\nM1,53.48,-2.23\n")
    with pytest.raises(PostcodeImportError) as error:
        _import(BAD_FILE)
    assert error.value.problems == [
        "Line 3: 'SE5 8AF' is not a postcode district like SE5 or EC1A",
        "Line 4: latitude 'abc' is not a number",
        "Line 5: latitude 99.999999 is outside the UK (49 to 61)",
        "Line 6: latitude -0.22 is outside the UK (49 to 61)",
        "Line 6: longitude 51.5 is outside the UK (-8.7 to 2)",
        "Line 7: longitude is missing",
        "Line 8: district is missing",
        "Line 9: SE5 already appears on line 2",
        "Line 11: '12X' is not a postcode district like SE5 or EC1A",
        "Line 11: latitude is missing",
    ]
    assert _districts() == {"M1": (-2.23, 53.48)}


def test_missing_columns_are_named_with_the_names_accepted():
    with pytest.raises(PostcodeImportError) as error:
        _import("district,lat\nSE5,51.47\n")
    assert error.value.problems == ["Line 1: no longitude column (name it one of: longitude, long, lon, lng)"]
    assert _districts() == {}


@pytest.mark.parametrize("text", ["", "postcode district,latitude,longitude\n"])
def test_a_file_without_districts_is_refused(text):
    with pytest.raises(PostcodeImportError):
        _import(text)


def test_a_file_that_is_not_csv_is_refused_with_its_line():
    with pytest.raises(PostcodeImportError) as error:
        _import('postcode district,latitude,longitude\nSE5,51.47,-0.09\nN1,"51.5"x,-0.1\nN7,51.55,-0.11\n')
    assert error.value.problems == ["Line 3: cannot be read as CSV (',' expected after '\"')"]


def test_locate_finds_an_imported_district_then_a_town():
    _import(GOOD_FILE)
    assert locate("se5") == Place("SE5", -0.0913, 51.4739)
    assert locate("SE5 8AF").name == "SE5"  # a full postcode is located by its district
    assert locate("Preston").name == "Preston"
    assert locate("SW2") is None  # not imported, and not a town
    assert locate("Atlantis") is None


def test_command_imports_a_file(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["geo", "import-postcode-districts", str(_write(tmp_path, GOOD_FILE))])
    assert result.exit_code == 0, result.output
    assert "Imported 3 postcode districts (3 new, 0 updated)" in result.output
    assert set(_districts()) == {"SE5", "SE1", "EC1A"}


def test_command_reports_problems_and_imports_nothing(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["geo", "import-postcode-districts", str(_write(tmp_path, BAD_FILE))])
    assert result.exit_code == 1
    assert "Line 4: latitude 'abc' is not a number" in result.stderr
    assert "Nothing was imported" in result.stderr
    assert _districts() == {}


def test_command_refuses_a_file_that_is_not_utf8(app, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("postcode district,latitude,longitude\nSE5,51.47,-0.09\nN1,51.53,-0.1\n".encode() + b"\xff\xfe,1,2\n")
    result = app.test_cli_runner().invoke(args=["geo", "import-postcode-districts", str(path)])
    assert result.exit_code == 1
    assert "The file is not UTF-8 text" in result.stderr
    assert _districts() == {}


def test_locate_command_shows_the_point_and_distance(app):
    _import(GOOD_FILE)
    result = app.test_cli_runner().invoke(args=["geo", "locate", "SE5", "--from", "Manchester"])
    assert result.exit_code == 0, result.output
    assert "SE5: longitude -0.09130, latitude 51.47390" in result.output
    assert "km (" in result.output and "miles) from Manchester" in result.output
    result = app.test_cli_runner().invoke(args=["geo", "locate", "Atlantis"])
    assert result.exit_code == 1
