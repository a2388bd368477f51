"""Read an Excel workbook's first sheet within bounds, so a small file cannot unpack into gigabytes.

An .xlsx is a zip of XML. A 5 KB file with one cell at XFD1 and one at A1048576 declares a
16,384 x 1,048,576 sheet, and readers that build a dense grid (pandas, calamine) try to allocate
it. Here, before openpyxl opens anything:

1. every part's declared unpacked size is checked (zipfile never reads past it);
2. every worksheet is scanned as a stream (SAX: no tree is built) and refused at the first sign
   that it is larger than a results file can be: a declared dimension, a row or a cell beyond
   the bounds, or more XML elements than that many cells need. openpyxl, even in read-only mode,
   holds a whole row (and, without a <dimension>, each sheet's top-level elements) in memory
   while it finds a sheet's size, so this must come first;
3. openpyxl reads the first sheet in read-only mode, at most max_rows x max_columns cells.

Measured by bench/xlsx_bounds.py; why openpyxl rather than python-calamine is in
docs/decisions.md.
"""

import io
import re
import xml.sax
import zipfile

import openpyxl
from openpyxl.utils import column_index_from_string, get_column_letter

MB = 1024 * 1024
# A worksheet is streamed, twice; a valid 15,000-row sheet of 16 columns unpacks to about 9 MB.
WORKSHEET_MAX_UNPACKED = 64 * MB
# Shared strings, styles and the rest are loaded whole by openpyxl; a results file needs little.
OTHER_PART_MAX_UNPACKED = 8 * MB
# XML elements a cell may need (<c>, <v>, <is>, <t>, …), with room for the sheet's own furniture.
ELEMENTS_PER_CELL = 4
ELEMENTS_BESIDE_CELLS = 10_000
CELL_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]+)")
REMEDY = (
    "Delete everything below and to the right of the results, or start from this year's template."
)


class WorkbookRefused(Exception):
    """The workbook is larger than a results file can be, or is no workbook at all."""


def read_first_sheet(content: bytes, *, max_rows: int, max_columns: int) -> list[list]:
    """The first sheet's cell values, row by row from row 1, at most max_rows x max_columns."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        _check_unpacked_sizes(archive)
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as sheet:
                    _scan_worksheet(sheet, max_rows=max_rows, max_columns=max_columns)
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        rows = workbook.worksheets[0].iter_rows(
            max_row=max_rows, max_col=max_columns, values_only=True
        )
        return _trimmed([list(row) for row in rows])
    except WorkbookRefused:
        raise
    except Exception:  # zipfile, SAX and openpyxl raise many kinds of error for a damaged file
        raise WorkbookRefused("The file is not a readable Excel workbook (.xlsx).") from None


def _check_unpacked_sizes(archive: zipfile.ZipFile) -> None:
    for part in archive.infolist():
        is_sheet = part.filename.startswith("xl/worksheets/")
        limit = WORKSHEET_MAX_UNPACKED if is_sheet else OTHER_PART_MAX_UNPACKED
        if part.file_size > limit:
            raise WorkbookRefused(
                f"The workbook's part {part.filename} unpacks to {part.file_size:,} bytes; a "
                f"results file needs at most {limit:,}. {REMEDY}"
            )


def _trimmed(rows: list[list]) -> list[list]:
    """Without the blank rows and columns openpyxl pads to max_row x max_col (as pandas read it)."""
    while rows and all(value is None for value in rows[-1]):
        rows.pop()
    width = max(
        (index + 1 for row in rows for index, value in enumerate(row) if value is not None),
        default=0,
    )
    return [row[:width] for row in rows]


def _scan_worksheet(source, *, max_rows: int, max_columns: int) -> None:
    parser = xml.sax.make_parser()
    parser.setContentHandler(_BoundsCheck(max_rows, max_columns))
    parser.parse(source)


class _BoundsCheck(xml.sax.handler.ContentHandler):
    """Raises WorkbookRefused at the first element that puts the sheet beyond its bounds."""

    def __init__(self, max_rows: int, max_columns: int):
        super().__init__()
        self.max_rows, self.max_columns = max_rows, max_columns
        self.element_budget = max_rows * max_columns * ELEMENTS_PER_CELL + ELEMENTS_BESIDE_CELLS
        self.row = self.column = 0

    def startElement(self, name, attrs):
        tag = name.rpartition(":")[2]
        self.element_budget -= 1
        if self.element_budget < 0:
            self._refuse("holds more than a results file's worth of cells and markup")
        if tag == "dimension":
            self._check_dimension(attrs.get("ref", ""))
        elif tag == "row":
            # Rows without r follow the one before; a cell without r follows its neighbour.
            self.row = int(attrs.get("r") or self.row + 1)
            self.column = 0
            self._check(self.row, 1)
        elif tag == "c":
            self.column += 1
            if match := CELL_REFERENCE.fullmatch(attrs.get("r", "")):
                self.column = column_index_from_string(match[1])
            self._check(self.row, self.column)

    def _check(self, row: int, column: int) -> None:
        if row > self.max_rows or column > self.max_columns:
            where = f"{get_column_letter(min(column, 18_278))}{row}"
            self._refuse(f"has a cell at {where}")

    def _check_dimension(self, ref: str) -> None:
        end = CELL_REFERENCE.fullmatch(ref.rpartition(":")[2])
        if end is None:
            return
        rows, columns = int(end[2]), column_index_from_string(end[1])
        if rows > self.max_rows or columns > self.max_columns:
            self._refuse(f"declares {rows:,} rows and {columns:,} columns (to {end[0]})")

    def _refuse(self, what: str) -> None:
        raise WorkbookRefused(
            f"The sheet {what}; a results file for this year has at most {self.max_rows:,} "
            f"rows and {self.max_columns} columns (to "
            f"{get_column_letter(self.max_columns)}{self.max_rows}). {REMEDY}"
        )
