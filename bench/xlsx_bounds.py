"""Benchmark reading spreadsheets: time and peak memory for .xlsx and CSV bombs and 15,000 rows.

Run with `.venv/bin/python bench/xlsx_bounds.py [--skip-before]`. Each read runs in a fresh
subprocess, so the peak resident size (getrusage maxrss) is that read's alone; the first line
is an idle process that only imports Django, pandas and the readers, and "above idle" is what
the read itself cost.

- before: pandas.read_excel, as assurance/importers.py read workbooks until issue 16;
- after: assurance.importers.read_spreadsheet, bounded by sheet_bounds() for 15,000 PCTs
  (the larger the PCT count, the looser the bounds);
- calamine: python-calamine alone, with no bounds (what "after" now reads the checked copy with).

The shared-string bomb (issue 27): one shared string of a megabyte in 20 x 20 cells, 3.5 KB on
disk; "calamine" shows what reading it without the text bounds of assurance/workbooks.py costs.

The bomb: one cell at XFD1 and one at A1048576 (openpyxl writes the dimension A1:XFD1048576);
and its CSV cousin, 5 MB of commas (one row of five million columns). "before" on either needs
gigabytes; it runs under a 3 GB address-space limit and a 120 s timeout, so this script cannot
take the machine down. --skip-before leaves those two out.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PCTS = 15_000
COMPETENCIES = 10
MEMORY_LIMIT = 3 * 1024**3
TIMEOUT_SECONDS = 120


def shared_string_bomb(**size) -> bytes:
    from tests.assurance.bombs import shared_string_bomb

    return shared_string_bomb(**size)


def bomb() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["A1"], sheet["XFD1"], sheet["A1048576"] = "pct_code", "x", "y"
    return _saved(workbook)


def valid_sheet() -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    numbers = range(1, COMPETENCIES + 1)
    sheet.append(
        ["pct_code", *(f"c{n}" for n in numbers), "strategy", "finance", "board_governance"]
    )
    for index in range(PCTS):
        scores = [1 + (index * 7 + n * 3) % 4 for n in numbers]
        sheet.append([f"{index:05d}", *scores, "GAR"[index % 3], "A", "RAG"[index % 3]])
    return _saved(workbook)


def _saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(reader: str, path: str) -> dict:
    """In the child: read the file as `reader` would, and report what it cost."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wcc.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    import pandas as pd

    from assurance import importers

    content = Path(path).read_bytes() if path else b""
    started = time.perf_counter()
    outcome = "idle"
    try:
        if reader == "before" and path.endswith(".csv"):
            frame = pd.read_csv(io.BytesIO(content), header=None, dtype=str, keep_default_na=False)
            outcome = f"read {frame.shape[0]:,} x {frame.shape[1]:,}"
        elif reader == "before":
            frame = pd.read_excel(io.BytesIO(content), header=None, dtype=object, engine="openpyxl")
            outcome = f"read {frame.shape[0]:,} x {frame.shape[1]:,}"
        elif reader == "after":
            max_rows, max_columns = importers.sheet_bounds(range(PCTS), range(1, COMPETENCIES + 1))
            frame = importers.read_spreadsheet(
                Path(path).name,
                content,
                max_bytes=len(content),
                max_rows=max_rows,
                max_columns=max_columns,
            )
            outcome = f"read {frame.shape[0]:,} x {frame.shape[1]:,}"
        elif reader == "calamine" and path.endswith(".xlsx"):
            from python_calamine import CalamineWorkbook

            rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0)
            outcome = f"read {len(rows.to_python()):,} rows"
    except importers.SpreadsheetRejected as rejected:
        outcome = "refused: " + rejected.errors[0].message[:60] + "…"
    except MemoryError:
        outcome = "MemoryError"
    return {
        "seconds": time.perf_counter() - started,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "outcome": outcome,
    }


def measure(reader: str, path: str) -> dict:
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", reader, path],
            capture_output=True,
            text=True,
            timeout=TIMEOUT_SECONDS,
            preexec_fn=limit_memory,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": TIMEOUT_SECONDS, "peak_mb": float("nan"), "outcome": "timed out"}
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or ["?"]
        why = next((line for line in lines if "alloc" in line), lines[-1]).strip()[:70]
        outcome = f"process died (exit {done.returncode}): {why}"
        return {"seconds": float("nan"), "peak_mb": float("nan"), "outcome": outcome}
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-before", action="store_true", help="Leave out pandas on the bomb.")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(read(*args.child)))
        return
    try:
        import python_calamine  # noqa: F401

        readers = ["before", "after", "calamine"]
    except ImportError:
        readers = ["before", "after"]
    with tempfile.TemporaryDirectory() as folder:
        files = {"bomb": Path(folder) / "bomb.xlsx", "15,000 rows": Path(folder) / "valid.xlsx"}
        files["bomb"].write_bytes(bomb())
        files["15,000 rows"].write_bytes(valid_sheet())
        files["shared-string bomb"] = Path(folder) / "shared.xlsx"
        files["shared-string bomb"].write_bytes(
            shared_string_bomb(characters=1024 * 1024, rows=20, columns=20)
        )
        files["CSV of 5 MB of commas"] = Path(folder) / "commas.csv"
        files["CSV of 5 MB of commas"].write_bytes(b"," * (5 * 1024 * 1024 - 1))
        idle = measure("idle", "")
        print(f"{'file, reader':52} {'time':>8} {'peak RSS':>9} {'above idle':>11}")
        print(f"{'idle process (imports only)':52} {'':>8} {idle['peak_mb']:6.0f} MB")
        for label, path in files.items():
            size = path.stat().st_size
            for reader in readers:
                if args.skip_before and reader == "before" and label != "15,000 rows":
                    continue
                if reader == "before" and label == "shared-string bomb":  # read as calamine
                    continue
                if reader == "calamine" and label.startswith("CSV"):
                    continue
                figures = measure(reader, str(path))
                above = figures["peak_mb"] - idle["peak_mb"]
                print(
                    f"{label + f' ({size:,} bytes), ' + reader:52} {figures['seconds']:7.2f}s "
                    f"{figures['peak_mb']:6.0f} MB {above:8.0f} MB  {figures['outcome']}"
                )


if __name__ == "__main__":
    main()
