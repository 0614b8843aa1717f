"""Tables as downloads for spreadsheets: CSV streamed a row at a time, or an XLSX workbook, each with a header.

A cell a spreadsheet would read as a formula (text starting with =, +, -, @, a tab or a carriage return) is
written with a leading apostrophe, so that opening a download never runs what somebody typed into the service.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import chain

from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@dataclass(frozen=True)
class Table:
    title: str  # names the file and the worksheet
    header: tuple[str, ...]
    rows: Iterable[tuple]


def safe_cell(value):
    """Numbers and dates as they are; text that a spreadsheet would run as a formula, with an apostrophe first."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV, one line at a time, so a long table is never held in memory whole."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in chain([table.header], ([safe_cell(value) for value in row] for row in table.rows)):
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def xlsx_bytes(table: Table) -> bytes:
    """The table as a one-sheet workbook, written in openpyxl's write-only mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.title[:31])  # Excel's limit for a sheet name
    sheet.append(table.header)
    for row in table.rows:
        sheet.append([safe_cell(value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def filename(table: Table, file_format: str, day: date) -> str:
    """'approved-premises-2026-12-02.csv': what the table is, and the day it was taken."""
    return f"{table.title.lower().replace(' ', '-')}-{day.isoformat()}.{file_format}"
