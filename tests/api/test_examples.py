"""The documentation page's examples, as published on /api/, run against a live server: each
must read the same rows and columns as the league page's CSV download. The R example runs where
Rscript with httr2 and jsonlite is installed (a developer's machine; not the suite's)."""

import contextlib
import io
import shutil
import subprocess

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


R_PACKAGES = 'for (p in c("httr2", "jsonlite")) stopifnot(requireNamespace(p, quietly = TRUE))'


def r_is_installed() -> bool:
    if shutil.which("Rscript") is None:
        return False
    return subprocess.run(["Rscript", "-e", R_PACKAGES], capture_output=True).returncode == 0


@pytest.mark.skipif(
    not r_is_installed(),
    reason="Rscript with httr2 and jsonlite is not installed "
    "(apt-get install r-base-core r-cran-httr2 r-cran-jsonlite)",
)
def test_the_r_example_reads_the_rows_of_the_csv_download(site, tmp_path):
    code = published_example("r-example")
    assert EXAMPLE_SITE in code
    written = tmp_path / "league.csv"
    script = tmp_path / "example.R"
    script.write_text(
        code.replace(EXAMPLE_SITE, f'"{site}"')
        + f'\nwrite.csv(league, "{written}", row.names = FALSE, na = "")\n'
    )
    ran = subprocess.run(["Rscript", str(script)], capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert "ILLUSTRATIVE" in ran.stdout

    download = requests.get(
        f"{site}/league/2009-10/", params={"method": "equal-weight", "_export": "csv"}, timeout=30
    )
    from_csv = pd.read_csv(io.StringIO(download.text))
    pd.testing.assert_frame_equal(pd.read_csv(written), from_csv)
