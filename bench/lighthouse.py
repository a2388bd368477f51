"""Lighthouse's four scores for the main pages, phone and desktop, served as in production.

`make lighthouse` runs this: a SQLite copy of the demo in var/lighthouse/, `collectstatic`
(hashed, compressed files), gunicorn with WhiteNoise and DEBUG off on a spare port, then npm's
`lighthouse` (a developer tool, installed by the make target into var/lighthouse/, never by
`make test`) driving Debian's Chromium. Each page is fetched once first, so Lighthouse sees
what a reader sees: a page from the page cache. Each page is measured `--runs` times (3 by
default) and the run with the median Performance score is shown, as Lighthouse's own advice
on variability suggests: on a busy machine one run's Performance can be 20 points off.
Reports: var/lighthouse/reports/*.json.
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "lighthouse"
PAGES = {
    "/": "league",
    "/pct/5C4/": "profile",
    "/overview/": "overview",
    "/compare/?pct=5C4&pct=5PG": "compare",
}
DEVICES = ("mobile", "desktop")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
# The machine's network is closed: without these Chromium tries to reach Google at start-up.
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --disable-sync --no-first-run"
)


def production_env(port: int) -> dict:
    """Production settings (docs/operations.md) on plain HTTP: localhost is a secure context."""
    database = WORK / "wcc.sqlite3"
    return os.environ | {
        "DEBUG": "0",
        "HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{database}",
        "STATIC_MANIFEST": "1",
        "BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def prepare(env: dict) -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    manage(env, "migrate", "--no-input", "--verbosity", "0")
    manage(env, "load_reference_data")
    manage(env, "load_demo_data")


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                response.read()
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def lighthouse(binary: str, chrome: str, url: str, form_factor: str, report: Path) -> dict:
    command = [
        binary,
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    if form_factor == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, env=os.environ | {"CHROME_PATH": chrome}, check=True)
    return json.loads(report.read_text())


def summary(result: dict) -> dict:
    scores = {c: round(result["categories"][c]["score"] * 100) for c in CATEGORIES}
    audits = result["audits"]
    requests = audits["network-requests"]["details"]["items"]
    script_bytes = sum(r.get("transferSize", 0) for r in requests if r["resourceType"] == "Script")
    return scores | {
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "lcp_s": round(audits["largest-contentful-paint"]["numericValue"] / 1000, 1),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "js_kb": round(script_bytes / 1024),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--lighthouse", default=str(WORK / "node_modules/.bin/lighthouse"))
    parser.add_argument("--chrome", default=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--runs", type=int, default=3, help="runs per page and device")
    parser.add_argument("--skip-prepare", action="store_true", help="reuse var/lighthouse")
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES))
    parser.add_argument("--devices", nargs="+", choices=DEVICES, default=list(DEVICES))
    arguments = parser.parse_args()
    env = production_env(arguments.port)
    if not arguments.skip_prepare:
        prepare(env)
    base = f"http://127.0.0.1:{arguments.port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "wcc/gunicorn.py", "wcc.wsgi"],
        cwd=ROOT,
        env=env,
    )
    reports = WORK / "reports"
    reports.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        wait_for(base + "/healthz")
        for path in arguments.pages:
            wait_for(base + path)  # into the page cache, as for any reader after the first
        for path in arguments.pages:
            name = PAGES[path]
            for form_factor in arguments.devices:
                runs = []
                for run in range(arguments.runs):
                    report = reports / f"{name}-{form_factor}-{run + 1}.json"
                    result = lighthouse(
                        arguments.lighthouse, arguments.chrome, base + path, form_factor, report
                    )
                    runs.append(summary(result))
                runs.sort(key=lambda row: row["performance"])
                rows.append((path, form_factor, runs[len(runs) // 2], len(runs)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    load = os.getloadavg()[0]
    print(
        f"\nLighthouse {result['lighthouseVersion']}, {time.strftime('%Y-%m-%d %H:%M %Z')}, "
        f"median of {arguments.runs} run(s), load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(
        "| page | device | Performance | Accessibility | Best Practices | SEO "
        "| TBT ms | LCP s | CLS | JS KB (transferred) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for path, form_factor, row, _ in rows:
        print(
            f"| `{path}` | {form_factor} | {row['performance']} | {row['accessibility']} "
            f"| {row['best-practices']} | {row['seo']} | {row['tbt_ms']} | {row['lcp_s']} "
            f"| {row['cls']} | {row['js_kb']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
