"""The documentation page's Python example, as published on /api/, run against a live server:
it must read the same rows and columns as the league page's CSV download."""

import contextlib
import io

import pandas as pd
import pytest
import requests
from django.core.management import call_command
from django.test import Client

from tests.pages import soup

EXAMPLE_SITE = '"http://127.0.0.1:8000"'


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's address, with the real reference data and the illustrative demo."""
    call_command("load_reference_data", stdout=io.StringIO())
    call_command("load_demo_data", stdout=io.StringIO())
    return live_server.url


def published_example(element_id: str) -> str:
    """The example's code as the documentation page shows it to a reader."""
    page = soup(Client().get("/api/"))
    return page.select_one(f"code#{element_id}").get_text()


def test_the_python_example_reads_the_rows_of_the_csv_download(site):
    code = published_example("python-example")
    assert EXAMPLE_SITE in code
    printed = io.StringIO()
    namespace = {}
    with contextlib.redirect_stdout(printed):
        exec(compile(code.replace(EXAMPLE_SITE, repr(site)), "example.py", "exec"), namespace)
    from_api = namespace["league"]

    download = requests.get(
        f"{site}/league/2009-10/", params={"method": "equal-weight", "_export": "csv"}, timeout=30
    )
    from_csv = pd.read_csv(io.StringIO(download.text))
    assert len(from_csv) == 152
    assert list(from_api.columns) == list(from_csv.columns)
    # Written as CSV and read back, the API's rows are the download's, cell for cell.
    pd.testing.assert_frame_equal(pd.read_csv(io.StringIO(from_api.to_csv(index=False))), from_csv)
    assert "ILLUSTRATIVE" in printed.getvalue()


def test_the_python_example_reads_every_page(site):
    """Past one page (152 PCTs fit in the default 200 rows), the loop follows `pages`."""
    code = published_example("python-example").replace(
        '"page": page}', '"page": page, "per_page": 50}'
    )
    assert '"per_page": 50' in code
    namespace = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(code.replace(EXAMPLE_SITE, repr(site)), "example.py", "exec"), namespace)
    assert namespace["page"] == 4
    assert namespace["league"]["pct_code"].is_unique
    assert len(namespace["league"]) == 152


@pytest.mark.django_db
def test_the_r_example_asks_for_the_same_table():
    """R is not installed where the suite runs: the R example is checked for the request it
    makes (the same path and query as the Python one) rather than run."""
    python, r = published_example("python-example"), published_example("r-example")
    assert '"api", "v1", "league", "2009-10"' in r
    assert "/api/v1/league/2009-10" in python
    assert 'method = "equal-weight", page = page' in r
    assert '"method": "equal-weight", "page": page' in python
