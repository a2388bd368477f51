"""Benchmark the next step for every PCT (leaguetable.explain.next_steps), 152 and 15,000 PCTs.

Run with `.venv/bin/python bench/next_steps.py`. Pure Python, no database: it generates random
results (seeded, illustrative only) for 11 competencies, times next_steps under each ranking
method, median of a few runs, and prints one line per case. The work is O(n·k·log n): each of
n PCTs tries its k one-step changes and finds each changed key's rank by bisection.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assurance.vocabulary import RAG_CODES, SCORES  # noqa: E402
from leaguetable import explain, ranking  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="Runs per case (default 3).")
    parser.add_argument("--large", type=int, default=15_000, help="PCTs in the large case.")
    return parser.parse_args()


def scorecards(count: int, seed: int = 12) -> list[ranking.PCTScorecard]:
    rng = random.Random(seed)
    return [
        ranking.PCTScorecard(
            f"P{n:05}",
            f"Generated PCT {n}",
            "Q30",
            "Generated SHA",
            *(rng.choice(RAG_CODES) for _ in range(3)),
            scores={number: rng.choice(SCORES) for number in range(1, 12)},
        )
        for n in range(count)
    ]


def main():
    args = parse_args()
    for count in (152, args.large):
        table = scorecards(count)
        for method in ranking.METHODS.values():
            seconds = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                steps = explain.next_steps(table, method)
                seconds.append(time.perf_counter() - start)
            print(
                f"next steps, {count:>6} PCTs, {method.slug:<12}: "
                f"{statistics.median(seconds) * 1000:8.1f} ms median of {args.repeat} "
                f"({len(steps)} PCTs with a step)"
            )


if __name__ == "__main__":
    main()
