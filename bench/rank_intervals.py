"""Benchmark the rank intervals (leaguetable.intervals) for all three methods, 152 and 1,500 PCTs.

Run with `.venv/bin/python bench/rank_intervals.py`. Numpy, no database: random results
(seeded, illustrative only; bench/next_steps.py's generator) for 11 competencies, 2,000
replicates, timed through rank_intervals (the replicate totals once, then each method's keys,
ranks in every replicate, and intervals), median of a few runs, wall and CPU time. The goal in
issue 25: under 0.5 s for all three methods at 1,500 PCTs.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.next_steps import scorecards  # noqa: E402
from leaguetable import intervals  # noqa: E402

COMPETENCIES = list(range(1, 12))  # 2009/10's eleven


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="Runs per case (default 7).")
    parser.add_argument("--large", type=int, default=1_500, help="PCTs in the large case.")
    return parser.parse_args()


def timed(run, repeat):
    """Median wall and CPU milliseconds of `repeat` calls of run(), and its last result."""
    wall, cpu = [], []
    for _ in range(repeat):
        start_wall, start_cpu = time.perf_counter(), time.process_time()
        result = run()
        wall.append(time.perf_counter() - start_wall)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000, result


def main():
    args = parse_args()
    for count in (152, args.large):
        table = scorecards(count)
        wall, cpu, found = timed(
            lambda table=table: intervals.rank_intervals(table, COMPETENCIES, 2009), args.repeat
        )
        unplaced = {slug: intervals.headline(f).not_placeable for slug, f in found.items()}
        print(
            f"rank intervals, {count:>5} PCTs, all three methods: {wall:7.1f} ms "
            f"({cpu:7.1f} ms CPU) median of {args.repeat}; not placeable: {unplaced}"
        )


if __name__ == "__main__":
    main()
