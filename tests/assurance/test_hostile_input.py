"""Random and hostile input for the importer and the entry form: a clear answer, never a 500,
never a partial write (property-based, with hypothesis)."""

import csv
import io

import pytest
from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from assurance import importers
from assurance.importers import SpreadsheetRejected
from leaguetable.computed import forget_ranked_rows
from tests.assurance.conftest import record_snapshot

PCTS = ("5C4", "5PG", "5QL")
HEADER = ["pct_code", "c1", "c2", "strategy", "finance", "board_governance", "notes"]
LIMIT = 1024 * 1024
# Hypothesis runs many examples per test; fixtures are set up once per test, which is right here
# because each example rolls its own writes back.
DATABASE_EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

HOSTILE_TEXT = st.one_of(
    st.sampled_from(
        [
            '=HYPERLINK("http://evil.example","click")',
            "=1+1",
            "+SUM(A1:A9)",
            "-2+3",
            "@cmd",
            "\u202eRTL override",
            "ｇｒｅｅｎ",  # full-width letters
            "G\u0301",  # G with a combining accent
            "Ｒ",
            "0",
            "5",
            "2.0",
            " 4 ",
            "",
            "x" * 20_000,
        ]
    ),
    st.text(min_size=1, max_size=40).filter(lambda t: "\x00" not in t),
)
VALID_SCORE = st.sampled_from(["1", "2", "3", "4", " 3 "])
VALID_RATING = st.sampled_from(["R", "a", "Green", " amber ", "RED", "g"])


def is_valid_score(text: str) -> bool:
    """1 to 4, written as a whole number or as a spreadsheet's whole-number decimal ("3.0")."""
    return text.strip() in {"1", "2", "3", "4", "1.0", "2.0", "3.0", "4.0"}


def is_valid_rating(text: str) -> bool:
    return text.strip().lower() in {"r", "a", "g", "red", "amber", "green"}


def rag(text: str) -> str:
    return text.strip()[0].upper()


@st.composite
def hostile_rows(draw):
    """1–4 rows, each field either valid or hostile; notes may hold anything but NUL."""
    codes = draw(st.lists(st.sampled_from(PCTS), min_size=1, max_size=4))
    rows = []
    for code in codes:
        row = [code]
        row += [draw(st.one_of(VALID_SCORE, HOSTILE_TEXT)) for _ in range(2)]
        row += [draw(st.one_of(VALID_RATING, HOSTILE_TEXT)) for _ in range(3)]
        row.append(draw(st.one_of(st.just(""), HOSTILE_TEXT)))
        rows.append(row)
    return rows


def as_csv(rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def acceptable(rows) -> bool:
    """Our own statement of the rules, independent of the importer's code."""
    codes = [row[0] for row in rows]
    return len(codes) == len(set(codes)) and all(
        all(is_valid_score(cell) for cell in row[1:3])
        and all(is_valid_rating(cell) for cell in row[3:6])
        for row in rows
    )


def parse(content: bytes, name: str = "results.csv"):
    return importers.parse(
        name, content, pct_codes=set(PCTS), competency_numbers={1, 2}, max_bytes=LIMIT
    )


@settings(max_examples=300, deadline=None)
@given(content=st.binary(max_size=2000), name=st.sampled_from(["r.csv", "r.xlsx", "r.txt"]))
def test_any_bytes_are_read_or_rejected_with_reasons(content, name):
    try:
        results = parse(content, name)
    except SpreadsheetRejected as rejected:
        assert rejected.errors
        assert all(str(error) for error in rejected.errors)
    else:
        assert all(r.pct_code in PCTS for r in results)


@settings(max_examples=300, deadline=None)
@given(rows=hostile_rows())
@example(rows=[["5PG", *"14GAR", "=1+1"], ["5QL", *"25GGG", ""]])
@example(rows=[["5PG", "3", "3", "ｇｒｅｅｎ", "A", "R", ""]])
@example(rows=[["5PG", "3", "3", "G", "A", "R", "x" * 20_000]])
@example(rows=[["5C4", "1", "2.0", "R", "R", "R", ""]])  # a whole-number decimal: read as 2
def test_hostile_cells_are_rejected_row_by_row_or_read_exactly(rows):
    try:
        results = parse(as_csv(rows))
    except SpreadsheetRejected as rejected:
        assert not acceptable(rows)
        assert all(
            error.row is None or 2 <= error.row <= len(rows) + 1 for error in rejected.errors
        )
    else:
        assert acceptable(rows)
        by_code = {r.pct_code: r for r in results}
        for row in rows:
            result = by_code[row[0]]
            assert result.scores == {1: int(float(row[1])), 2: int(float(row[2]))}
            # Formulas and odd text are kept as text, exactly, never evaluated.
            assert result.notes == row[6].strip()


@given(rows=hostile_rows(), position=st.integers(min_value=0, max_value=10))
@settings(max_examples=100, deadline=None)
def test_a_nul_byte_anywhere_rejects_the_file(rows, position):
    content = as_csv(rows)
    at = min(position, len(content))
    with pytest.raises(SpreadsheetRejected):
        parse(content[:at] + b"\x00" + content[at:])


@pytest.fixture
def admin_client_for_imports(client, users, draft_year):
    from tests.factories import PASSWORD

    client.login(username="ada", password=PASSWORD)
    return client


def rolled_back(example):
    """Run one example's requests and undo its writes, so examples don't see each other's."""
    with transaction.atomic():
        example()
        transaction.set_rollback(True)
    cache.clear()
    forget_ranked_rows()


@pytest.mark.django_db
@DATABASE_EXAMPLES
@given(rows=hostile_rows())
# Both outcomes, always: a valid file whose notes hold a formula, and one bad cell among good rows.
@example(rows=[["5PG", "1", " 4 ", "green", "A", "r", "=HYPERLINK(1)"], ["5QL", *"22GGG", ""]])
@example(rows=[["5PG", *"14GAR", ""], ["5QL", *"25GGG", ""]])
@example(rows=[["5C4", "1", "2.0", "R", "R", "R", ""]])
def test_a_web_import_of_hostile_rows_lands_whole_or_not_at_all(admin_client_for_imports, rows):
    client = admin_client_for_imports

    def example():
        before = record_snapshot()
        upload = io.BytesIO(as_csv(rows))
        upload.name = "hostile.csv"
        response = client.post("/assurance/import/", {"year": "2009-10", "file": upload})
        assert response.status_code in (200, 302)
        if not acceptable(rows):
            assert response.status_code == 200
            assert "The file was rejected and nothing was imported" in response.content.decode()
            assert record_snapshot() == before
            return
        assert response.status_code == 302
        preview = client.get(response["Location"])
        assert preview.status_code == 200
        confirmed = client.post(
            response["Location"] + "confirm/", {"revision": preview.context["year"].revision}
        )
        assert confirmed.status_code == 302
        recorded = {a[0]: a for a in record_snapshot()["assessments"]}
        for code, _, _, strategy, finance, board, notes in rows:
            # pct, year, strategy, finance, board governance, panel date, notes, …
            assert recorded[code][2:5] == (rag(strategy), rag(finance), rag(board))
            assert recorded[code][6] == notes.strip()

    rolled_back(example)


FIELD_VALUES = st.one_of(HOSTILE_TEXT, VALID_SCORE, VALID_RATING, st.sampled_from(["G", "A"]))


@pytest.mark.django_db
@DATABASE_EXAMPLES
@given(
    values=st.fixed_dictionaries(
        dict.fromkeys(
            ("c1", "c2", "strategy", "finance", "board_governance", "panel_date"), FIELD_VALUES
        )
    ),
    notes=st.one_of(st.just(""), HOSTILE_TEXT),
)
def test_the_entry_form_answers_hostile_values_without_a_500(
    admin_client_for_imports, values, notes
):
    client = admin_client_for_imports

    def example():
        before = record_snapshot()
        response = client.post("/assurance/2009-10/pct/5PG/", values | {"notes": notes})
        assert response.status_code in (200, 302)
        if response.status_code == 200:  # refused: the form is shown again with its errors
            assert 'class="error' in response.content.decode()
            assert record_snapshot() == before

    rolled_back(example)
