"""Read an Excel workbook's first sheet within bounds, so a small file cannot unpack into gigabytes.

An .xlsx is a zip of XML. A 5 KB file with one cell at XFD1 and one at A1048576 declares a
16,384 x 1,048,576 sheet, and readers that build a dense grid (pandas, calamine) try to allocate
it. So, before any reader opens it:

1. every part's declared unpacked size, and their sum, are checked (zipfile never reads past
   them, and it checks each part's checksum);
2. every part is read by an XML parser (expat, events only: no tree is built) and refused at
   the first sign that it is larger than a results file can be: a declared dimension, a row or
   a cell beyond the bounds, or more XML elements than that many cells need;
2a. the text the cells will hold is counted as the parts stream by, before a reader makes a
   single string: any one cell's (CELL_MAX_CHARACTERS) and a sheet's in all
   (SHEET_MAX_CHARACTERS), a shared string counted once for every cell that refers to it. A
   4 KB file whose one shared string of a megabyte fills 400 cells is small in every part, but a
   reader would make 400 copies of it;
3. the parts that passed, and only those, are copied into a new, uncompressed archive: a part
   that is not XML (an image, printer settings) or not well-formed is left out, so the reader
   cannot find cells in anything the scan did not read;
4. python-calamine (Rust) reads the copy's first sheet: about 0.3 s for 15,000 rows, where
   openpyxl in read-only mode took 7 s.

Measured by bench/xlsx_bounds.py and bench/import_results.py; why this order is in
docs/decisions.md.
"""

import io
import re
import zipfile
from collections import Counter
from xml.parsers import expat

from openpyxl.utils import column_index_from_string, get_column_letter
from python_calamine import CalamineWorkbook

MB = 1024 * 1024
# A valid 15,000-row sheet of 16 columns unpacks to about 9 MB.
WORKSHEET_MAX_UNPACKED = 64 * MB
# Shared strings, styles and the rest: a results file needs little.
OTHER_PART_MAX_UNPACKED = 8 * MB
WORKBOOK_MAX_UNPACKED = 96 * MB  # all parts together: the checked copy is held in memory
# XML elements a cell may need (<c>, <v>, <is>, <t>, …), with room for the sheet's own furniture.
ELEMENTS_PER_CELL = 4
ELEMENTS_BESIDE_CELLS = 10_000
# Excel's own limit for one cell; a note longer than this cannot have been typed into Excel.
CELL_MAX_CHARACTERS = 32_767
# The text of every cell of a sheet as a reader makes it, shared strings counted at each use. A
# valid 15,000-row sheet holds under a million characters, and 16 M characters cost at most
# 64 MB as Python strings.
SHEET_MAX_CHARACTERS = 16 * MB
CELL_REFERENCE = re.compile(r"([A-Z]{1,3})([0-9]+)")
REMEDY = (
    "Delete everything below and to the right of the results, or start from this year's template."
)


class WorkbookRefused(Exception):
    """The workbook is larger than a results file can be, or is no workbook at all."""


def read_first_sheet(content: bytes, *, max_rows: int, max_columns: int) -> list[list]:
    """The first sheet's cell values, row by row from row 1, at most max_rows x max_columns."""
    try:
        checked = _checked_copy(content, max_rows=max_rows, max_columns=max_columns)
        with CalamineWorkbook.from_filelike(io.BytesIO(checked)) as workbook:
            rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
        return _trimmed([[_blank_as_none(value) for value in row] for row in rows])
    except WorkbookRefused:
        raise
    except Exception:  # zipfile, expat and calamine raise many kinds of error for a damaged file
        raise WorkbookRefused("The file is not a readable Excel workbook (.xlsx).") from None


def _checked_copy(content: bytes, *, max_rows: int, max_columns: int) -> bytes:
    """The workbook's well-formed XML parts, in a new zip; refuses XML beyond the bounds."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    _check_unpacked_sizes(archive)
    copy = io.BytesIO()
    shared_lengths: dict[int, int] = {}
    sheets: list[_BoundsCheck] = []
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as checked:
        for part in archive.infolist():
            data = archive.read(part)  # at most the declared size, checksum verified
            check = _BoundsCheck(max_rows, max_columns)
            if _is_well_formed_within_bounds(data, check):
                checked.writestr(part.filename, data)
                sheets.append(check)
                # Whichever part holds them: the longest string at each index, to be safe.
                for index, length in enumerate(check.shared_lengths):
                    shared_lengths[index] = max(length, shared_lengths.get(index, 0))
    for sheet in sheets:
        sheet.check_expanded_text(shared_lengths)
    return copy.getvalue()


def _is_well_formed_within_bounds(data: bytes, check: "_BoundsCheck") -> bool:
    """True for XML within the bounds; False for anything that is not well-formed XML (left out
    of the copy); raises WorkbookRefused for XML beyond them."""
    parser = expat.ParserCreate()  # expat itself: xml.sax over it adds a layer per element
    parser.buffer_text = True  # one call per run of text, not one per line of it
    parser.StartElementHandler = check.start_element
    parser.EndElementHandler = check.end_element
    parser.CharacterDataHandler = check.characters
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return False
    return True


def _blank_as_none(value):
    return None if value == "" else value


def _check_unpacked_sizes(archive: zipfile.ZipFile) -> None:
    names = archive.namelist()
    if len(names) != len(set(names)):  # readers disagree on which of two same-named parts counts
        raise WorkbookRefused("The file is not a readable Excel workbook (.xlsx).")
    for part in archive.infolist():
        is_sheet = part.filename.startswith("xl/worksheets/")
        limit = WORKSHEET_MAX_UNPACKED if is_sheet else OTHER_PART_MAX_UNPACKED
        if part.file_size > limit:
            raise WorkbookRefused(
                f"The workbook's part {part.filename} unpacks to {part.file_size:,} bytes; a "
                f"results file needs at most {limit:,}. {REMEDY}"
            )
    total = sum(part.file_size for part in archive.infolist())
    if total > WORKBOOK_MAX_UNPACKED:
        raise WorkbookRefused(
            f"The workbook unpacks to {total:,} bytes; a results file needs at most "
            f"{WORKBOOK_MAX_UNPACKED:,}. {REMEDY}"
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


class _BoundsCheck:
    """Raises WorkbookRefused at the first element that puts the sheet beyond its bounds, or at
    the first cell or shared string longer than a cell can be; counts the text of the cells.

    A shared string's index is read from the cell's value, so its cells are only counted here
    (shared_uses) and priced once every part has been read (check_expanded_text): the shared
    strings may come after the sheet in the archive.
    """

    def __init__(self, max_rows: int, max_columns: int):
        self.max_rows, self.max_columns = max_rows, max_columns
        self.element_budget = max_rows * max_columns * ELEMENTS_PER_CELL + ELEMENTS_BESIDE_CELLS
        self.row = self.column = 0
        self.shared_lengths: list[int] = []  # a shared strings part's: each string's length
        self.shared_uses: Counter[int] = Counter()  # a sheet's: cells per shared string index
        self.characters_in_cells = 0  # a sheet's: text of the cells that are not shared strings
        # Inside a cell or a shared string: its length so far, and a shared string's index.
        self.text: list[str] | None = None
        self.length = 0
        self.shared_cell = False

    def start_element(self, name: str, attrs: dict) -> None:
        tag = name.rpartition(":")[2]
        self.element_budget -= 1
        if self.element_budget < 0:
            self._refuse("holds more than a results file's worth of cells and markup")
        if tag == "si":
            self.text, self.length, self.shared_cell = [], 0, False
        elif tag == "dimension":
            self._check_dimension(attrs.get("ref", ""))
        elif tag == "row":
            # Rows without r follow the one before; a cell without r follows its neighbour.
            self.row = int(attrs.get("r") or self.row + 1)
            self.column = 0
            self._check(self.row, 1)
        elif tag == "c":
            self.column += 1
            row = self.row
            # A reader places a cell by its own reference, whatever row it sits in.
            if match := CELL_REFERENCE.fullmatch(attrs.get("r", "")):
                self.column, row = column_index_from_string(match[1]), int(match[2])
            self._check(max(row, self.row), self.column)
            self.text, self.length, self.shared_cell = [], 0, attrs.get("t") == "s"

    def characters(self, data: str) -> None:
        if self.text is None:
            return
        self.length += len(data)
        if self.length > CELL_MAX_CHARACTERS:
            raise WorkbookRefused(
                f"A cell holds more than {CELL_MAX_CHARACTERS:,} characters, more than Excel "
                "allows in one cell: this is not a results file."
            )
        if self.shared_cell:
            self.text.append(data)

    def end_element(self, name: str) -> None:
        if self.text is None:  # outside cells and shared strings: nothing to count
            return
        tag = name.rpartition(":")[2]
        if tag == "si":
            self.shared_lengths.append(self.length)
        elif tag == "c":
            index = "".join(self.text).strip()
            if self.shared_cell and index.isdigit():
                self.shared_uses[int(index)] += 1
            else:
                self.characters_in_cells += self.length
                if self.characters_in_cells > SHEET_MAX_CHARACTERS:
                    self._refuse_text()
        else:
            return
        self.text = None

    def check_expanded_text(self, shared_lengths: dict[int, int]) -> None:
        """Refuses a sheet whose cells, shared strings repeated at each use, hold too much text."""
        total = self.characters_in_cells + sum(
            shared_lengths.get(index, 0) * uses for index, uses in self.shared_uses.items()
        )
        if total > SHEET_MAX_CHARACTERS:
            self._refuse_text()

    def _refuse_text(self) -> None:
        raise WorkbookRefused(
            f"The sheet's cells hold more than {SHEET_MAX_CHARACTERS:,} characters of text in "
            f"all; a results file holds far less. {REMEDY}"
        )

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
