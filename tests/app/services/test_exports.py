"""Downloads: CSV that reads back exactly, a row at a time; XLSX that a spreadsheet opens; no formula ever runs."""

import csv
import io
from datetime import date

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from app.services import exports

TABLE = exports.Table("Approved premises", ("Name", "Beds", "Notes"),
                      [("Ribble House", 24, "=HYPERLINK(\"http://evil.example\")"), ("Fell View", 18, "-3 beds")])


def _read_csv(table: exports.Table) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(exports.csv_lines(table)), newline="")))


def test_csv_has_the_header_then_a_line_per_row_and_formulas_are_defused():
    assert _read_csv(TABLE) == [
        ["Name", "Beds", "Notes"],
        ["Ribble House", "24", "'=HYPERLINK(\"http://evil.example\")"],
        ["Fell View", "18", "'-3 beds"],
    ]


def test_csv_is_written_a_row_at_a_time_from_rows_it_is_given_lazily():
    drawn = []

    def rows():
        for number in range(3):
            drawn.append(number)
            yield (f"Premises {number}",)

    lines = exports.csv_lines(exports.Table("Premises", ("Name",), rows()))
    assert next(lines) == "Name\r\n" and drawn == []
    assert next(lines) == "Premises 0\r\n" and drawn == [0]


@given(st.lists(st.tuples(st.text(), st.integers()), max_size=5))
def test_any_text_reads_back_from_csv_as_written_or_with_one_apostrophe_before_a_formula(rows):
    read = _read_csv(exports.Table("T", ("Text", "Number"), rows))[1:]
    assert len(read) == len(rows)
    for (text, number), (read_text, read_number) in zip(rows, read, strict=True):
        expected = "'" + text if text.startswith(exports.FORMULA_STARTS) else text
        assert read_text == expected
        assert int(read_number) == number


def test_xlsx_opens_with_the_header_numbers_as_numbers_and_formulas_as_text():
    workbook = load_workbook(io.BytesIO(exports.xlsx_bytes(TABLE)))
    sheet = workbook["Approved premises"]
    assert [list(row) for row in sheet.iter_rows(values_only=True)] == [
        ["Name", "Beds", "Notes"],
        ["Ribble House", 24, "'=HYPERLINK(\"http://evil.example\")"],
        ["Fell View", 18, "'-3 beds"],
    ]


def test_the_file_is_named_after_the_table_and_the_day():
    assert exports.filename(TABLE, "xlsx", date(2030, 6, 1)) == "approved-premises-2030-06-01.xlsx"
