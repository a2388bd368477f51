"""Reading and validating spreadsheets: plain functions, no database."""

import datetime
import io
import re
import zipfile

import openpyxl
import pandas as pd
import pytest

from assurance import importers
from assurance.decisions import ChangeKind, FieldChange, PanelDecision, compare
from assurance.importers import RowError, SpreadsheetRejected

PCTS = {"5C4", "5PG", "5QL"}
HEADER = "pct_code,c1,c2,strategy,finance,board_governance"
LIMIT = 5 * 1024 * 1024


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def parse(content: bytes, name: str = "results.csv", max_bytes: int = LIMIT):
    return importers.parse(
        name, content, pct_codes=PCTS, competency_numbers={1, 2}, max_bytes=max_bytes
    )


def rejection(content: bytes, name: str = "results.csv", max_bytes: int = LIMIT):
    with pytest.raises(SpreadsheetRejected) as rejected:
        parse(content, name, max_bytes)
    return rejected.value.errors


def xlsx_file(rows: list[list]) -> bytes:
    buffer = io.BytesIO()
    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(buffer, index=False)
    return buffer.getvalue()


def test_it_reads_a_valid_csv_into_panel_results():
    results = parse(csv_file("5C4,2,3,G,A,R", "5pg , 4,1, red ,Amber,GREEN"))
    assert results == [
        PanelDecision("5C4", "G", "A", "R", {1: 2, 2: 3}),
        PanelDecision("5PG", "R", "A", "G", {1: 4, 2: 1}),
    ]


@pytest.mark.parametrize("rating", ["R", "a", "Green", " amber ", "RED", "g "])
def test_it_accepts_red_amber_green_in_any_case_with_spaces(rating):
    (result,) = parse(csv_file(f"5C4,1,1,{rating},G,G"))
    assert result.strategy == rating.strip()[0].upper()


@pytest.mark.parametrize("rating", ["X", "Gr", "Redd", "1", "", "R/A", "Rouge"])
def test_it_rejects_any_other_rating(rating):
    errors = rejection(csv_file(f"5C4,1,1,{rating},G,G"))
    assert [(e.row, e.column) for e in errors] == [(2, "strategy")]
    assert "R, A or G" in errors[0].message


@pytest.mark.parametrize("score", ["0", "5", "2.5", "two", "", "-1", "1 2", "3.5", "4.0.0"])
def test_it_rejects_a_score_that_is_not_a_whole_number_from_1_to_4(score):
    errors = rejection(csv_file(f"5C4,{score},1,G,G,G"))
    assert [(e.row, e.column) for e in errors] == [(2, "c1")]
    assert "whole number from 1 to 4" in errors[0].message


def test_it_rejects_an_unknown_pct_code():
    errors = rejection(csv_file("5C4,1,1,G,G,G", "ZZZ,1,1,G,G,G"))
    assert errors == [RowError(3, "pct_code", "unknown PCT code 'ZZZ'")]


def test_it_rejects_the_same_pct_twice_naming_both_rows():
    errors = rejection(csv_file("5C4,1,1,G,G,G", "5PG,1,1,G,G,G", "5c4,2,2,A,A,A"))
    assert errors == [RowError(4, "pct_code", "5C4 appears twice (first on row 2)")]


def test_it_lists_every_problem_by_row_and_column_at_once():
    errors = rejection(csv_file("5C4,9,1,G,G,G", "ZZZ,1,1,G,X,G", "5QL,1,,G,G,G"))
    assert [(e.row, e.column) for e in errors] == [
        (2, "c1"),
        (3, "pct_code"),
        (3, "finance"),
        (4, "c2"),
    ]


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        ("pct_code,c1,strategy,finance,board_governance", (1, "c2", "missing column")),
        ("pct_code,c1,c2,strategy,finance", (1, "board_governance", "missing column")),
        ("c1,c2,strategy,finance,board_governance", (1, "pct_code", "missing column")),
    ],
)
def test_it_rejects_a_missing_column(header, problem):
    row = ",".join(["5C4", "1", "1", "G", "G"])
    errors = rejection(csv_file(row, header=header))
    assert [(e.row, e.column, e.message) for e in errors] == [problem]


@pytest.mark.parametrize("extra", ["c3", "pct", "score"])
def test_it_rejects_an_unknown_column(extra):
    errors = rejection(csv_file("5C4,1,1,G,G,G,x", header=f"{HEADER},{extra}"))
    assert [(e.row, e.column) for e in errors] == [(1, extra)]
    assert "unknown column" in errors[0].message and "c1, c2" in errors[0].message


def test_it_rejects_a_column_given_twice():
    errors = rejection(csv_file("5C4,1,1,G,G,G,1", header=f"{HEADER},c1"))
    assert [(e.row, e.column) for e in errors] == [(1, "c1")]


def test_headings_are_read_without_regard_to_case_or_spaces():
    header = " PCT_Code ,C1,c2 ,Strategy,FINANCE,board_governance"
    assert len(parse(csv_file("5C4,1,1,G,G,G", header=header))) == 1


def test_optional_panel_date_and_notes_are_read():
    header = f"{HEADER},panel_date,notes"
    results = parse(
        csv_file(
            "5C4,1,1,G,G,G,2010-03-31, Good panel ", "5PG,1,1,G,G,G,15/04/2010,", header=header
        )
    )
    assert results[0].panel_date == datetime.date(2010, 3, 31)
    assert results[0].notes == "Good panel"
    assert results[1].panel_date == datetime.date(2010, 4, 15)


def test_it_rejects_a_date_it_cannot_read():
    errors = rejection(csv_file("5C4,1,1,G,G,G,31/02/2010", header=f"{HEADER},panel_date"))
    assert [(e.row, e.column) for e in errors] == [(2, "panel_date")]


def test_blank_lines_are_skipped_and_row_numbers_stay_true_to_the_file():
    errors = rejection(csv_file("", "5C4,1,1,G,G,G", "", "5PG,7,1,G,G,G"))
    assert [(e.row, e.column) for e in errors] == [(5, "c1")]


def test_a_row_with_only_a_pct_code_is_a_pct_without_results_in_this_file():
    """As the year's template lists every PCT, those not assessed yet with only their code."""
    results = parse(csv_file("5C4,,,,,", "5PG,1,2,A,A,A"))
    assert [r.pct_code for r in results] == ["5PG"]


def test_a_row_with_only_an_unknown_pct_code_is_still_reported():
    errors = rejection(csv_file("ZZZ,,,,,"))
    assert [(e.row, e.column) for e in errors] == [(2, "pct_code")]


@pytest.mark.parametrize("content", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_it_rejects_an_empty_file(content):
    assert [e.message for e in rejection(content)] == ["The file is empty."]


def test_it_rejects_a_heading_with_no_results():
    assert [e.message for e in rejection(csv_file())] == ["The file has a heading but no results."]


@pytest.mark.parametrize("name", ["results.txt", "results.xls", "results.ods", "results"])
def test_it_rejects_a_file_that_is_not_csv_or_xlsx(name):
    (error,) = rejection(csv_file("5C4,1,1,G,G,G"), name=name)
    assert "only those are accepted" in error.message


def test_it_rejects_an_xlsx_name_on_a_file_that_is_not_a_workbook():
    (error,) = rejection(csv_file("5C4,1,1,G,G,G"), name="results.xlsx")
    assert "not a readable Excel workbook" in error.message


def test_it_rejects_a_workbook_named_as_csv():
    (error,) = rejection(xlsx_file([HEADER.split(","), ["5C4", 1, 1, "G", "G", "G"]]))
    assert "not CSV text" in error.message


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16", "cp1252"])
def test_it_rejects_a_csv_that_is_not_utf8_and_names_the_accepted_encoding(encoding):
    content = f"{HEADER},notes\n5C4,1,1,G,G,G,Café\n".encode(encoding)
    (error,) = rejection(content)
    assert "not UTF-8" in error.message and "UTF-8 (with or without a byte-order mark" in (
        error.message
    )


def test_it_accepts_a_utf8_csv_with_a_byte_order_mark():
    content = "\ufeff" + f"{HEADER},notes\n5C4,1,1,G,G,G,Café\n"
    (result,) = parse(content.encode("utf-8"))
    assert result.notes == "Café"


def test_it_rejects_a_file_over_the_size_limit_and_says_the_limit():
    content = csv_file("5C4,1,1,G,G,G")
    (error,) = rejection(content, max_bytes=len(content) - 1)
    assert f"largest accepted is {len(content) - 1:,} bytes" in error.message


def test_it_reads_an_xlsx_with_numbers_dates_and_blank_columns():
    rows = [
        [*HEADER.split(","), "panel_date", None],
        ["5C4", 2, 3.0, "g", "A", "r", datetime.datetime(2010, 3, 31), None],
    ]
    (result,) = parse(xlsx_file(rows), name="results.xlsx")
    assert result == PanelDecision("5C4", "G", "A", "R", {1: 2, 2: 3}, datetime.date(2010, 3, 31))


def test_it_rejects_a_ragged_csv_without_a_traceback():
    (error,) = rejection(csv_file("5C4,1,1,G,G,G,extra,more"))
    assert "not valid CSV" in error.message


def test_a_template_round_trips_through_the_importer():
    current = {"5C4": PanelDecision("5C4", "G", "A", "R", {1: 2, 2: 3}, datetime.date(2010, 3, 1))}
    frame = importers.template_frame({"5C4": "Tower Hamlets PCT"}, [1, 2], current)
    for fmt, name in (("csv", "t.csv"), ("xlsx", "t.xlsx")):
        assert parse(importers.template_bytes(frame, fmt), name=name) == [current["5C4"]]


def test_comparing_results_sorts_them_into_new_changed_and_unchanged():
    before = PanelDecision("5C4", "G", "A", "R", {1: 2, 2: 3})
    changes = compare(
        {"5C4": before, "5PG": PanelDecision("5PG", "G", "G", "G", {1: 1, 2: 1})},
        [
            PanelDecision("5C4", "G", "G", "R", {1: 2, 2: 4}),
            PanelDecision("5PG", "G", "G", "G", {1: 1, 2: 1}),
            PanelDecision("5QL", "R", "R", "R", {1: 1, 2: 1}),
        ],
    )
    assert [c.kind for c in changes] == [ChangeKind.CHANGED, ChangeKind.UNCHANGED, ChangeKind.NEW]
    assert changes[0].fields == (FieldChange("finance", "A", "G"), FieldChange("c2", 3, 4))


def workbook_bytes(cells: dict[str, object]) -> bytes:
    workbook = openpyxl.Workbook()
    for ref, value in cells.items():
        workbook.active[ref] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewritten(content: bytes, part: str, change) -> bytes:
    """The workbook with one part's bytes changed, or added when it is not there."""
    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != part:
                target.writestr(name, source.read(name))
        original = source.read(part) if part in source.namelist() else b""
        target.writestr(part, change(original))
    return buffer.getvalue()


BOMB_CELLS = {
    **{f"{letter}1": name for letter, name in zip("ABCDEF", HEADER.split(","), strict=True)},
    **{
        f"{letter}2": value
        for letter, value in zip("ABCDEF", ["5C4", 1, 1, "G", "G", "G"], strict=True)
    },
    "XFD1": "x",
    "A1048576": "y",
}


def test_it_refuses_a_workbook_declaring_a_sheet_of_every_row_and_column_without_reading_it():
    bomb = workbook_bytes(BOMB_CELLS)
    assert len(bomb) < 10_000
    (error,) = rejection(bomb, name="results.xlsx")
    assert "declares 1,048,576 rows and 16,384 columns (to XFD1048576)" in error.message
    assert "at most 1,004 rows and 28 columns" in error.message  # 3 PCTs, 8 columns + margins


def test_it_refuses_a_cell_far_beyond_the_results_when_the_sheet_declares_no_size():
    bomb = rewritten(
        workbook_bytes(BOMB_CELLS),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml),
    )
    (error,) = rejection(bomb, name="results.xlsx")
    assert "has a cell at XFD1" in error.message


def test_it_refuses_a_part_that_unpacks_far_beyond_what_a_results_file_needs():
    rows = [HEADER.split(","), ["5C4", 1, 1, "G", "G", "G"]]
    padded = rewritten(xlsx_file(rows), "xl/sharedStrings.xml", lambda xml: xml + b" " * 9 * 2**20)
    assert len(padded) < 100_000
    (error,) = rejection(padded, name="results.xlsx")
    assert "xl/sharedStrings.xml unpacks to 9,437" in error.message


def test_a_workbook_within_the_bounds_reads_every_row_with_spreadsheet_row_numbers():
    cells = {**BOMB_CELLS, "A1004": "5PG", "B1004": 9}
    del cells["XFD1"], cells["A1048576"]
    errors = rejection(workbook_bytes(cells), name="results.xlsx")
    assert {(error.row, error.column) for error in errors} == {
        (1004, column) for column in ("c1", "c2", "strategy", "finance", "board_governance")
    }


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"," * 200_000, "Row 1 has 200,001 columns; a results file for this year has at most 28"),
        (csv_file(*["5C4,1,1,G,G,G"] * 1004), "The file has more than 1,004 rows"),
    ],
    ids=["wide", "tall"],
)
def test_it_refuses_a_csv_beyond_the_rows_and_columns_a_results_file_needs(content, message):
    (error,) = rejection(content)
    assert message in error.message


def moved_sheet(content: bytes, to: str) -> bytes:
    """The workbook with its sheet stored under another part name, the workbook pointing there."""
    source, buffer = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    renames = {b"/xl/worksheets/sheet1.xml": to.encode()}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            for old, new in renames.items():
                data = data.replace(old, new)
            target.writestr(to.lstrip("/") if name == "xl/worksheets/sheet1.xml" else name, data)
    return buffer.getvalue()


def test_a_sheet_stored_outside_the_worksheets_folder_is_still_read_within_the_bounds():
    rows = [HEADER.split(","), ["5C4", 1, 2, "G", "A", "R"]]
    moved = moved_sheet(xlsx_file(rows), "/xl/elsewhere/cells.xml")
    assert "xl/elsewhere/cells.xml" in zipfile.ZipFile(io.BytesIO(moved)).namelist()
    (result,) = parse(moved, name="results.xlsx")
    assert (result.pct_code, result.scores, result.ratings) == ("5C4", {1: 1, 2: 2}, tuple("GAR"))

    bomb = moved_sheet(workbook_bytes(BOMB_CELLS), "/xl/elsewhere/cells.xml")
    (error,) = rejection(bomb, name="results.xlsx")
    assert "declares 1,048,576 rows and 16,384 columns" in error.message


def test_a_part_that_is_not_xml_is_left_out_and_the_sheet_still_reads():
    rows = [HEADER.split(","), ["5C4", 1, 2, "G", "A", "R"]]
    with_printer_settings = rewritten(
        xlsx_file(rows), "xl/printerSettings/printerSettings1.bin", lambda _: bytes(range(256))
    )
    (result,) = parse(with_printer_settings, name="results.xlsx")
    assert result.scores == {1: 1, 2: 2}


def test_a_sheet_that_is_not_well_formed_before_its_cells_is_not_read_at_all():
    # Lenient readers would read on past the fault and meet the far cells the scan never saw.
    broken = rewritten(
        workbook_bytes(BOMB_CELLS),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml).replace(
            b"<sheetData>", b"<sheetData><<!>", 1
        ),
    )
    (error,) = rejection(broken, name="results.xlsx")
    assert error.message == "The file is not a readable Excel workbook (.xlsx)."


def test_a_workbook_holding_two_parts_of_the_same_name_is_refused():
    rows = [HEADER.split(","), ["5C4", 1, 2, "G", "A", "R"]]
    content = xlsx_file(rows)
    buffer = io.BytesIO(content)
    with zipfile.ZipFile(buffer, "a") as archive, pytest.warns(UserWarning, match="Duplicate"):
        archive.writestr("xl/worksheets/sheet1.xml", workbook_sheet_xml(BOMB_CELLS))
    (error,) = rejection(buffer.getvalue(), name="results.xlsx")
    assert error.message == "The file is not a readable Excel workbook (.xlsx)."


def workbook_sheet_xml(cells) -> bytes:
    return zipfile.ZipFile(io.BytesIO(workbook_bytes(cells))).read("xl/worksheets/sheet1.xml")


def test_a_far_cell_inside_a_near_row_is_refused_by_its_own_reference():
    cells = {ref: value for ref, value in BOMB_CELLS.items() if ref != "XFD1"}
    bomb = rewritten(
        workbook_bytes(cells),
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml).replace(
            b'<row r="1048576"', b'<row r="3"'
        ),
    )
    assert b'<row r="3"><c r="A1048576"' in zipfile.ZipFile(io.BytesIO(bomb)).read(
        "xl/worksheets/sheet1.xml"
    )
    (error,) = rejection(bomb, name="results.xlsx")
    assert "has a cell at A1048576" in error.message


def test_a_score_written_as_a_whole_number_decimal_reads_as_that_number():
    (result,) = parse(csv_file("5C4,3.0,1.0,G,A,R"))
    assert result.scores == {1: 3, 2: 1}
    (error,) = rejection(csv_file("5C4,3.5,1,G,A,R"))
    assert error.column == "c1" and "whole number from 1 to 4" in error.message


def test_a_semicolon_separated_csv_gets_one_error_saying_how_to_save_it():
    content = csv_file("5C4;3;1;G;A;R", header=HEADER.replace(",", ";"))
    (error,) = rejection(content)
    assert error.message == importers.SEMICOLONS


def test_the_template_names_each_pct_and_the_importer_ignores_the_name():
    current = {"5C4": PanelDecision("5C4", "G", "A", "R", {1: 2, 2: 3})}
    frame = importers.template_frame({"5C4": "Tower Hamlets PCT"}, [1, 2], current)
    assert list(frame.columns[:2]) == ["pct_code", "pct_name"]
    assert frame.loc[0, "pct_name"] == "Tower Hamlets PCT"
    assert parse(importers.template_bytes(frame, "csv")) == [current["5C4"]]


def test_the_xlsx_template_offers_scores_and_ratings_to_choose_from():
    frame = importers.template_frame({"5C4": "Tower Hamlets PCT"}, [1, 2], {})
    book = openpyxl.load_workbook(io.BytesIO(importers.template_bytes(frame, "xlsx")))
    offered = {
        str(ranges): check.formula1
        for check in book["Results"].data_validations.dataValidation
        for ranges in [check.sqref]
    }
    # pct_code, pct_name, c1, c2, strategy, finance, board_governance, panel_date, notes
    assert offered == {"C2 D2": '"1,2,3,4"', "E2 F2 G2": '"R,A,G"'}
