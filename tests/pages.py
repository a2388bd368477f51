"""Read pages the way a reader does: parsed tables, rows and named cells, never string counts."""

import io

import pandas as pd
from bs4 import BeautifulSoup


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def table_rows(response, selector: str = "table.league") -> list[dict[str, str]]:
    """The first matching table's body rows as {column heading: cell text}, in page order.

    The PCT's ODS code, where the row names one, is under "code" as well.
    """
    table = soup(response).select_one(selector)
    if table is None:
        return []
    headings = [th.get_text(" ", strip=True).rstrip(" ▲▼") for th in table.select("thead th")]
    rows = []
    for tr in table.select("tbody tr"):
        cells = tr.find_all(["th", "td"], recursive=False)
        if len(cells) != len(headings):  # "No flags." spans the whole row
            continue
        row = {
            heading: cell.get_text(" ", strip=True)
            for heading, cell in zip(headings, cells, strict=True)
        }
        code = tr.select_one(".code")
        row["code"] = code.get_text(strip=True) if code else None
        rows.append(row)
    return rows


def flag_markers(response) -> dict[str, str]:
    """PCT code -> the flag marker's status class (proposed, confirmed) on a league table."""
    markers = {}
    for tr in soup(response).select("table.league tbody tr"):
        marker = tr.select_one("a.flag")
        if marker is not None:
            status = next(c for c in marker["class"] if c.startswith("flag-"))
            markers[tr.select_one(".code").get_text(strip=True)] = status.removeprefix("flag-")
    return markers


def csv_rows(response) -> pd.DataFrame:
    """A CSV download as text cells, blanks kept as empty strings."""
    return pd.read_csv(io.BytesIO(response.content), dtype=str, keep_default_na=False)
