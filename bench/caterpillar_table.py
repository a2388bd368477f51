"""Benchmark the rank-interval (caterpillar) chart's data table at 152 and 1,500 PCTs.

Run with `.venv/bin/python bench/caterpillar_table.py`. No database: bench/next_steps.py's
seeded random results (illustrative only) are ranked and given their rank intervals, the chart
is built (leaguetable.charts.caterpillar) and its include, templates/leaguetable/_chart.html,
rendered; then the same table body through the template loop that rendered every chart's table
before issue 25 (kept below), to show why the body is built in Python (Chart.body_html).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wcc.settings")
os.environ.setdefault("DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.template import engines  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from bench.next_steps import scorecards  # noqa: E402
from leaguetable import explain, intervals, ranking  # noqa: E402
from leaguetable.charts import caterpillar  # noqa: E402

COMPETENCIES = list(range(1, 12))
REPEAT = 7
TEMPLATE_LOOP = engines["django"].from_string(
    "{% for row in chart.table_rows %}<tr>{% for cell in row %}{% if forloop.first %}"
    '<th scope="row">{% else %}<td>{% endif %}{% if cell.pct_code %}<a href="'
    "{% url 'leaguetable:pct' cell.pct_code %}\">{{ cell.text }}</a>{% elif cell.sha_code %}"
    "<a href=\"{% url 'leaguetable:sha' cell.sha_code %}\">{{ cell.text }}</a>{% else %}"
    "{{ cell.text }}{% endif %}{% if forloop.first %}</th>{% else %}</td>{% endif %}"
    "{% endfor %}</tr>\n{% endfor %}"
)


def chart(count: int):
    table = scorecards(count)
    method = ranking.METHODS["governance"]
    rows = ranking.rank(table, method)
    ranks = {slug: {r.scorecard.pct_code: r.rank for r in rows} for slug in ranking.METHODS}
    found = intervals.rank_intervals(table, COMPETENCIES, 2009)["governance"]
    rows = explain.with_standing(rows, ranks, {}, found)
    return caterpillar.caterpillar_chart(rows, "England", "2009/10", True)


def median_ms(run) -> float:
    times = []
    for _ in range(REPEAT):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def main():
    request = RequestFactory().get("/")
    for count in (152, 1_500):
        built = chart(count)
        include = median_ms(
            lambda built=built: render_to_string(
                "leaguetable/_chart.html", {"chart": built, "chart_file_stem": "x"}, request
            )
        )
        loop = median_ms(lambda built=built: TEMPLATE_LOOP.render({"chart": built}, request))
        print(
            f"caterpillar, {count:>5} PCTs: the whole include {include:6.1f} ms CPU; the table "
            f"body through the old template loop alone {loop:6.1f} ms CPU (median of {REPEAT})"
        )


if __name__ == "__main__":
    main()
