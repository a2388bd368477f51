"""Every download, in every format, walked from the pages that offer it: file names that say
what they hold, text as written (guarded in CSV only), blanks as null, one rounding rule."""

import csv
import io
import json
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import openpyxl
import pytest

from assurance.models import PCT
from directed_development.models import DirectedDevelopmentFlag
from leaguetable import exports, ranking
from tests.pages import soup
from tests.test_visibility import linked_data

# A name a spreadsheet would run as a formula, given to Tower Hamlets PCT (5C4).
FORMULA_NAME = "=Tower Hamlets PCT"
# The reading pages whose downloads are walked: each offers its table or its charts' data.
PAGES = [
    "/",
    "/?sha=Q36&pattern=triple-green",
    "/?q=NHS+Birmingham",
    "/league/2008-09/?method=equal-weight",
    "/pct/5C4/",
    "/sha/Q36/",
    "/sha/Q36/?method=competency",
    "/overview/",
    "/compare/?pct=5C4&pct=5PG&pct=5QL",
]


def filename(response) -> str:
    found = re.search(r'filename="([^"]+)"', response["Content-Disposition"])
    return found.group(1)


def every_download(client) -> dict[str, str]:
    """URL -> the page offering it, for every download the pages link to, in every format."""
    found = {}
    for page in PAGES:
        response = client.get(page)
        assert response.status_code == 200, page
        for url in linked_data(page, soup(response)):
            parts = urlsplit(url)
            query = parse_qs(parts.query)
            formats = exports.FORMATS if "_export" in query else [None]
            for fmt in formats:
                if fmt is not None:
                    query["_export"] = [fmt]
                found[f"{parts.path}?{urlencode(query, doseq=True)}"] = page
    return found


@pytest.fixture
def downloads(client, demo_data):
    PCT.objects.filter(code="5C4").update(name=FORMULA_NAME)
    urls = every_download(client)
    assert sum("_export=xlsx" in url for url in urls) >= 6  # the table of every page
    assert sum("_export" not in url for url in urls) >= 10  # the charts' data
    return {url: client.get(url) for url in urls}


def xlsx_cells(response):
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def json_values(response) -> list:
    return [value for row in json.loads(response.content)["rows"] for value in row.values()]


def csv_fields(response) -> list[str]:
    return [field for row in csv.reader(io.StringIO(response.content.decode())) for field in row]


def test_every_download_file_name_names_the_method_once_and_its_filters(downloads):
    for url, response in downloads.items():
        assert response.status_code == 200, url
        name = filename(response).rsplit(".", 1)[0]
        if (chart := re.search(r"/charts/([\w-]+)\.csv", url)) is not None:
            # The chart's own name ("governance") is not the method's.
            head, _, tail = name.rpartition(f"-{chart.group(1)}")
            name = head + tail
        named = [slug for slug in ranking.METHODS if f"-{slug}-" in f"{name}-"]
        assert len(named) == 1, name
        assert name.count(named[0]) == 1, name
    names = {url: filename(response) for url, response in downloads.items()}
    filtered = [name for url, name in names.items() if "pattern=triple-green" in url]
    assert filtered and all("-sha-Q36-pattern-triple-green" in name for name in filtered)
    searched = [name for url, name in names.items() if url.startswith("/?q=NHS")]
    assert searched and all("-q-NHS-Birmingham" in name for name in searched)
    assert "wcc-sha-Q36-2009-10-governance-illustrative.csv" in names.values()


def test_every_download_holds_text_as_written_guarded_in_csv_only(downloads):
    shown = 0
    for url, response in downloads.items():
        if "_export=xlsx" in url:
            cells = [c for c in xlsx_cells(response) if isinstance(c.value, str)]
            assert not any(c.value.startswith("'") for c in cells), url
            named = [c for c in cells if "Tower Hamlets" in c.value]
            assert all((c.value, c.data_type) == (FORMULA_NAME, "s") for c in named), url
            shown += bool(named)
        elif "_export=json" in url:
            texts = [v for v in json_values(response) if isinstance(v, str)]
            assert not any(text.startswith("'") for text in texts), url
            named = [text for text in texts if "Tower Hamlets" in text]
            assert set(named) <= {FORMULA_NAME}, url
            shown += bool(named)
        else:
            fields = csv_fields(response)
            named = [field for field in fields if "Tower Hamlets" in field]
            assert set(named) <= {"'" + FORMULA_NAME}, url
            shown += bool(named)
    assert shown >= 15  # the tables that list 5C4 in three formats, and its charts


def test_every_json_download_writes_a_blank_as_null(downloads):
    for url, response in downloads.items():
        if "_export=json" in url:
            values = json_values(response)
            assert "" not in values, url
            assert None in values, url  # every table has a blank somewhere: corrected_on


def test_every_csv_download_rounds_figures_by_one_rule(downloads):
    """At most two decimal places, no trailing zero, whole numbers without a point."""
    checked = 0
    for url, response in downloads.items():
        if "_export=xlsx" in url or "_export=json" in url:
            continue
        for field in csv_fields(response):
            if re.fullmatch(r"-?\d+\.\d+", field):
                checked += 1
                decimals = field.split(".")[1]
                assert len(decimals) <= 2 and not decimals.endswith("0"), (url, field)
    assert checked > 100


def test_every_table_download_has_the_previous_rank_beside_the_movement(downloads):
    for url, response in downloads.items():
        if "_export=json" in url:
            rows = json.loads(response.content)["rows"]
            columns = list(rows[0])
            assert columns[columns.index("movement") + 1] == "previous_rank", url
            for row in rows:
                if row["movement"] is not None:
                    assert row["previous_rank"] - row["rank"] == row["movement"], url


def test_the_data_dictionary_is_in_good_english_and_states_the_rounding_rule(downloads):
    books = [response for url, response in downloads.items() if "_export=xlsx" in url]
    for response in books:
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        meanings = dict(book["Data dictionary"].iter_rows(min_row=2, values_only=True))
        text = " ".join(meanings.values())
        assert "(1 points)" not in text and "(1 point)" in text
        assert "hsj map style" not in text and "equal weight (HSJ map style)" in text
        assert "2 decimal places" in meanings["numbers"]
        assert "previous_rank" in meanings


@pytest.mark.parametrize("fmt", ["xlsx", "json"])
def test_the_flags_download_holds_free_text_as_written_and_blanks_as_null(client, flag_world, fmt):
    formula = '=HYPERLINK("http://example.invalid")'
    DirectedDevelopmentFlag.objects.filter(pk=flag_world.flag.pk).update(
        reason=formula, status=DirectedDevelopmentFlag.Status.LIFTED, lift_reason="+1"
    )
    client.force_login(flag_world.users["admin"])
    response = client.get(f"/flags/?_export={fmt}")
    if fmt == "json":
        row = json.loads(response.content)["rows"][0]
        assert (row["reason"], row["lift_reason"]) == (formula, "+1")
        assert "" not in row.values()
    else:
        cells = {c.value: c for c in xlsx_cells(response) if isinstance(c.value, str)}
        assert cells[formula].data_type == "s" and cells["+1"].data_type == "s"
        assert not any(value.startswith("'") for value in cells)
