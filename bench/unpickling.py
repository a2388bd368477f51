"""How long one year's ranked rows take to unpickle, as a restarted worker reads them.

Run with `.venv/bin/python bench/unpickling.py [PCTS]` (default 1,500): synthetic scorecards
ranked as leaguetable.queries ranks them, pickled and compressed as assurance.cache stores
them, then unpickled seven times (best CPU time), with the garbage collector running and
paused. Compare a checkout without leaguetable/pickled.py to see what it buys.
"""

import gc
import os
import pickle
import random
import sys
import time
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wcc.settings")
os.environ.setdefault("DEBUG", "1")


def ranked_rows(count: int) -> list:
    from leaguetable import explain, ranking

    rng = random.Random(1)

    def scorecards():
        return [
            ranking.PCTScorecard(
                f"{n:04d}", f"PCT {n}", f"Q{n % 10}", f"SHA {n % 10}",
                *(rng.choice("RAG") for _ in range(3)),
                {number: rng.randint(1, 4) for number in range(1, 12)},
            )
            for n in range(count)
        ]  # fmt: skip

    method = ranking.METHODS[ranking.DEFAULT_METHOD]
    year, previous = scorecards(), scorecards()
    ranked = {slug: ranking.rank(year, other) for slug, other in ranking.METHODS.items()}
    ranks = {slug: {r.scorecard.pct_code: r.rank for r in rows} for slug, rows in ranked.items()}
    rows = explain.with_standing(ranked[method.slug], ranks, explain.next_steps(year, method))
    return ranking.with_movement(rows, ranking.rank(previous, method))


def best_ms(stored: bytes, *, collector_paused: bool) -> float:
    best = float("inf")
    for _ in range(7):
        gc.collect()
        started = time.process_time()
        if collector_paused:
            gc.disable()
        pickle.loads(zlib.decompress(stored))
        gc.enable()
        best = min(best, time.process_time() - started)
    return best * 1000


def main():
    import django

    django.setup()
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    stored = zlib.compress(pickle.dumps(ranked_rows(count), pickle.HIGHEST_PROTOCOL), 1)
    plain = best_ms(stored, collector_paused=False)
    paused = best_ms(stored, collector_paused=True)
    print(
        f"{count} PCTs, {len(stored) // 1024} KB: {plain:.1f} ms, collector paused {paused:.1f} ms"
    )


if __name__ == "__main__":
    main()
