"""A workbook's cells are priced by the text a reader would make of them, shared strings counted
at every use, before any reader makes it."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assurance import workbooks
from assurance.workbooks import WorkbookRefused
from tests.assurance.bombs import shared_string_bomb, shared_string_workbook
from tests.assurance.test_importers import rewritten

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024


def read(content: bytes) -> list[list]:
    return workbooks.read_first_sheet(content, max_rows=1004, max_columns=28)


def test_a_sheet_whose_cells_share_strings_reads_each_cell_in_place():
    content = shared_string_workbook(["pct_code", "5C4", "a long note" * 500], [[0, 2], [1, 2]])
    assert read(content) == [["pct_code", "a long note" * 500], ["5C4", "a long note" * 500]]


def test_a_shared_string_longer_than_excel_allows_in_a_cell_is_refused():
    bomb = shared_string_bomb(characters=MB, rows=20, columns=20)
    assert len(bomb) < 5_000
    with pytest.raises(WorkbookRefused, match="more than 32,767 characters"):
        read(bomb)


def test_a_cell_of_its_own_longer_than_excel_allows_is_refused():
    inline = rewritten(
        shared_string_workbook(["5C4"], [[0]]),
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(
            b'<c r="A1" t="s"><v>0</v></c>',
            b'<c r="A1" t="inlineStr"><is><t>' + b"y" * 40_000 + b"</t></is></c>",
        ),
    )
    with pytest.raises(WorkbookRefused, match="more than 32,767 characters"):
        read(inline)


def test_a_short_shared_string_repeated_past_the_sheets_budget_of_text_is_refused():
    # 30,000 characters is a legal cell; in 600 cells it is 18 M characters of text.
    bomb = shared_string_bomb(characters=30_000, rows=30, columns=20)
    assert len(bomb) < 5_000
    with pytest.raises(WorkbookRefused, match="more than 16,777,216 characters of text"):
        read(bomb)


def test_the_same_text_in_fewer_cells_is_within_the_budget():
    rows = read(shared_string_bomb(characters=30_000, rows=20, columns=20))
    assert len(rows) == 20 and rows[19][19] == "x" * 30_000


# The child imports the readers first, then caps its address space at what it holds plus 256 MB:
# either bomb, read carelessly, makes some 800 MB of strings.
CHILD = textwrap.dedent(
    """
    import re, resource, sys
    sys.path.insert(0, {root!r})
    from assurance import workbooks
    from tests.assurance.bombs import shared_string_bomb

    bomb = shared_string_bomb(characters={characters}, rows={rows}, columns={columns})
    held = int(re.search(r"VmSize:\\s+(\\d+) kB", open("/proc/self/status").read())[1]) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (held + 256 * 1024 * 1024, resource.RLIM_INFINITY))
    try:
        workbooks.read_first_sheet(bomb, max_rows=1004, max_columns=28)
        print("read")
    except workbooks.WorkbookRefused:
        print("refused")
    except MemoryError:
        print("MemoryError")
    """
)


@pytest.mark.parametrize(
    ("characters", "rows", "columns"),
    [(MB, 20, 20), (32_000, 1000, 28)],
    ids=["one-megabyte-string-in-400-cells", "legal-string-in-28000-cells"],
)
def test_a_shared_string_bomb_is_refused_within_256_mb_of_memory(characters, rows, columns):
    script = CHILD.format(root=str(ROOT), characters=characters, rows=rows, columns=columns)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert (done.returncode, done.stdout.strip()) == (0, "refused"), done.stderr[-2000:]
