"""Deterministic ILLUSTRATIVE results shaped after what HSJ reported; never official results.

No per-PCT results were ever published in machine-readable form, so the demo generates them. The
aggregate figures reported for each year (DOMAIN.md) are reproduced exactly where they were
reported (green counts per area, triple greens, triple reds, red total in year 1); everything
else is a plausible pattern: stronger PCTs get more greens and higher scores, softer competencies
score higher than harder-edged ones, year 2 improves most in partnership, clinical and public
engagement.
"""

import datetime
import random
from dataclasses import dataclass

from assurance.decisions import PanelDecision

AREAS = ("strategy", "finance", "board_governance")

# HSJ named these three as leading the field in year 1.
YEAR_ONE_LEADERS = ("5PG", "5C4", "5QL")
# The Hertfordshire PCTs merged into 5QV on 1 April 2010 (fixtures/organisation_changes.csv):
# the two real years assess the predecessors, the hypothetical 2010/11 round assesses 5QV.
MERGED_BEFORE_2010_11 = ("5P3", "5P4")
FORMED_IN_2010 = {"5QV": MERGED_BEFORE_2010_11}  # successor -> its predecessors
MERGED_ON = datetime.date(2010, 4, 1)  # the predecessors' panels sat before this
# The reports of year 2 cite NHS Newham and NHS Stoke on Trent, so the demo assesses both.
CITED_IN_YEAR_TWO = ("5C5", "5PJ")


@dataclass(frozen=True)
class YearShape:
    """The reported (or, for later years, assumed) shape of one assurance year."""

    start_year: int
    greens: dict[str, int]  # area -> number of PCTs rated green
    triple_green: int
    triple_red: int
    reds: int  # red ratings in all, triple reds included
    score_base: float  # typical competency score of an average PCT
    max_score: int
    competency_offsets: dict[int, float]
    panel_window: tuple[datetime.date, datetime.date] | None = None
    not_assessed: tuple[str, ...] = ()
    # PCTs left out at random besides `not_assessed` (which ones were not reported).
    unassessed_at_random: int = 0
    # PCTs placed first with the same high scores, strictly clear of every other PCT.
    leaders: tuple[str, ...] = ()
    # "Some 3s and some 4s for the better PCTs": only the strongest this many PCTs may score a 4,
    # and none more than `most_fours` of them (None: no limit beyond max_score).
    fours_for_strongest: int | None = None
    most_fours: int | None = None


SHAPES = {
    # 2008/09: greens per area, 27 triple green, 2 triple red, 33 reds (HSJ); no 4s; mostly 1–2;
    # softer skills (leadership, partners, clinicians) above procurement and market stimulation.
    2008: YearShape(
        start_year=2008,
        greens={"strategy": 45, "finance": 61, "board_governance": 71},
        triple_green=27,
        triple_red=2,
        reds=33,
        score_base=1.55,
        max_score=3,
        competency_offsets={1: 0.35, 2: 0.3, 4: 0.3, 7: -0.4, 9: -0.45},
        leaders=YEAR_ONE_LEADERS,
        not_assessed=tuple(FORMED_IN_2010),
    ),
    # 2009/10: 146 of 152 PCTs analysed, so the reported shares are of 146: board green 61% (89),
    # triple green about 23% (34), no triple red; mostly 2–3, some 3s and 4s for the better PCTs
    # (the strongest 20 may score a 4, none more than three); competency 11 lowest (average 1.46).
    2009: YearShape(
        start_year=2009,
        greens={"strategy": 66, "finance": 75, "board_governance": 89},
        triple_green=34,
        triple_red=0,
        reds=20,
        score_base=2.3,
        max_score=4,
        competency_offsets={2: 0.4, 3: 0.35, 4: 0.4, 7: -0.3, 9: -0.35, 11: -1.0},
        panel_window=(datetime.date(2010, 3, 1), datetime.date(2010, 5, 28)),
        not_assessed=tuple(FORMED_IN_2010),
        unassessed_at_random=6,
        fours_for_strongest=20,
        most_fours=3,
    ),
    # 2010/11 never took place: a hypothetical draft to exercise entry, import and publishing.
    2010: YearShape(
        start_year=2010,
        greens={"strategy": 80, "finance": 85, "board_governance": 100},
        triple_green=42,
        triple_red=0,
        reds=15,
        score_base=2.55,
        max_score=4,
        competency_offsets={2: 0.3, 3: 0.3, 4: 0.3, 7: -0.25, 9: -0.3, 11: -0.8},
        not_assessed=MERGED_BEFORE_2010_11,
        fours_for_strongest=30,
        most_fours=4,
    ),
}


def base_strengths(pct_codes: list[str], seed: int) -> dict[str, float]:
    """A latent 'commissioning strength' per PCT, stable across years for the same seed.

    A PCT formed by a merger inherits its predecessors' average, and draws nothing from the
    random stream, so adding it changes no other PCT's results.
    """
    rng = random.Random(f"{seed}-strength")
    drawn = sorted(code for code in pct_codes if code not in FORMED_IN_2010)
    strengths = {code: rng.gauss(0, 1) for code in drawn}
    for successor, predecessors in FORMED_IN_2010.items():
        if successor in pct_codes:
            known = [strengths[code] for code in predecessors if code in strengths]
            strengths[successor] = sum(known) / len(known) if known else 0.0
    for code in YEAR_ONE_LEADERS:
        if code in strengths:
            strengths[code] = 3.0
    return strengths


def assessed_codes(shape: YearShape, pct_codes: list[str], seed: int) -> list[str]:
    """The PCTs assessed in the year: all but `not_assessed` and, drawn at random (never a named
    leader, a PCT the reports cite or one whose merger the demo shows), `unassessed_at_random`
    more."""
    codes = sorted(c for c in pct_codes if c not in shape.not_assessed)
    if not shape.unassessed_at_random:
        return codes
    spared = {*YEAR_ONE_LEADERS, *CITED_IN_YEAR_TWO, *MERGED_BEFORE_2010_11}
    candidates = [c for c in codes if c not in spared]
    rng = random.Random(f"{seed}-{shape.start_year}-unassessed")
    left_out = set(rng.sample(candidates, shape.unassessed_at_random))
    return [c for c in codes if c not in left_out]


def generate_year(
    shape: YearShape, pct_codes: list[str], competency_numbers: list[int], seed: int = 2008
) -> list[PanelDecision]:
    """Illustrative results for every assessed PCT in one year, the same for the same inputs."""
    rng = random.Random(f"{seed}-{shape.start_year}")
    strengths = base_strengths(pct_codes, seed)
    years_on = shape.start_year - 2008
    codes = assessed_codes(shape, pct_codes, seed)
    strength = {c: strengths[c] + sum(rng.gauss(0, 0.45) for _ in range(years_on)) for c in codes}
    ratings = _governance_ratings(shape, strength, rng)
    raw = {code: _raw_scores(shape, strength[code], competency_numbers, rng) for code in codes}
    scores = _scores(shape, raw, strength)
    return [
        PanelDecision(
            pct_code=code,
            strategy=ratings[code]["strategy"],
            finance=ratings[code]["finance"],
            board_governance=ratings[code]["board_governance"],
            scores=scores[code],
            panel_date=_panel_date(shape, rng, code),
        )
        for code in codes
    ]


def _raw_scores(shape, strength, competency_numbers, rng) -> dict[int, float]:
    """Each competency's score before rounding: the year's base, the PCT's strength, how hard
    the competency is, and noise."""
    return {
        number: shape.score_base
        + 0.45 * strength
        + shape.competency_offsets.get(number, 0.0)
        + rng.gauss(0, 0.45)
        for number in competency_numbers
    }


def _scores(shape, raw, strength) -> dict[str, dict[int, int]]:
    """Rounded scores within 1..max_score, 4s only where the shape allows, leaders clear."""
    may_score_four = set(sorted(raw, key=lambda c: (-strength[c], c))[: shape.fours_for_strongest])
    scores = {}
    for code, values in raw.items():
        top = shape.max_score if shape.fours_for_strongest is None or code in may_score_four else 3
        rounded = {n: max(1, min(top, round(v))) for n, v in values.items()}
        fours = sorted((n for n in rounded if rounded[n] == 4), key=lambda n: -values[n])
        for number in fours[shape.most_fours :] if shape.most_fours is not None else ():
            rounded[number] = 3
        scores[code] = rounded
    leaders = [c for c in shape.leaders if c in scores]
    if leaders:
        _keep_leaders_clear(shape, scores, leaders)
    return scores


def _keep_leaders_clear(shape, scores, leaders) -> None:
    """The leaders score the most a PCT can that year, less one on the hard-edged competencies;
    any other PCT that would reach their total loses points from its highest scores until it
    stands strictly below them, so the leaders are first, together, under every method."""
    for code in leaders:
        scores[code] = {
            n: shape.max_score - (shape.competency_offsets.get(n, 0.0) < 0) for n in scores[code]
        }
    bar = min(sum(scores[code].values()) for code in leaders)
    for code, rounded in scores.items():
        while code not in leaders and sum(rounded.values()) >= bar:
            highest = max(rounded, key=lambda n: (rounded[n], n))
            rounded[highest] -= 1


def _panel_date(shape, rng, code: str) -> datetime.date | None:
    """A day in the year's panel window; never after the PCT ceased (no panel sits for an
    organisation that no longer exists). The draw is the same either way, so no other PCT's
    date moves."""
    if shape.panel_window is None:
        return None
    first, last = shape.panel_window
    day = rng.randrange((last - first).days + 1)
    if code in MERGED_BEFORE_2010_11 and first + datetime.timedelta(days=day) >= MERGED_ON:
        day %= (MERGED_ON - first).days
    return first + datetime.timedelta(days=day)


def _governance_ratings(shape, strength, rng) -> dict[str, dict[str, str]]:
    """Green/red counts exactly as the shape says; the stronger a PCT, the likelier its greens."""
    noisy = sorted(strength, key=lambda code: strength[code] + rng.gauss(0, 0.7), reverse=True)
    leaders = [c for c in shape.leaders if c in strength]
    ordered = leaders + [c for c in noisy if c not in leaders]
    triple_green = ordered[: shape.triple_green]
    triple_red = ordered[len(ordered) - shape.triple_red :] if shape.triple_red else []
    middle = [c for c in ordered if c not in triple_green and c not in triple_red]

    ratings = {code: dict.fromkeys(AREAS, "A") for code in middle}
    ratings.update({code: dict.fromkeys(AREAS, "G") for code in triple_green})
    ratings.update({code: dict.fromkeys(AREAS, "R") for code in triple_red})

    for area in AREAS:
        wanted = shape.greens[area] - len(triple_green)
        candidates = sorted(middle, key=lambda c: strength[c] + rng.gauss(0, 0.8), reverse=True)
        for code in candidates:
            if wanted == 0:
                break
            # A third green would make another triple green, which the reported count forbids.
            if sum(r == "G" for r in ratings[code].values()) < 2:
                ratings[code][area] = "G"
                wanted -= 1

    reds_wanted = shape.reds - 3 * len(triple_red)
    slots = [(code, area) for code in middle for area in AREAS if ratings[code][area] == "A"]
    slots.sort(key=lambda slot: strength[slot[0]] + rng.gauss(0, 0.8))
    for code, area in slots:
        if reds_wanted == 0:
            break
        if sum(r == "R" for r in ratings[code].values()) < 2:
            ratings[code][area] = "R"
            reds_wanted -= 1
    return ratings
