"""Hand-worked cases for the rules for concern, at their boundaries, with their evidence."""

from fractions import Fraction

import pytest

from directed_development import concerns
from leaguetable import ranking
from leaguetable.ranking import PCTScorecard, RankedRow, RankInterval, Standing


def row(code="A", ratings="AAA", scores=(2, 2), band=None, sha="Q30", clear_band="band"):
    """A PCT ranked 50th in `band`, its rank interval clearly in `clear_band` (by default the
    same band; None: the interval crosses a band's edge)."""
    strategy, finance, board = ratings
    result = PCTScorecard(
        code, f"PCT {code}", sha, f"SHA {sha}", strategy, finance, board,
        dict(enumerate(scores, start=1)),
    )  # fmt: skip
    clear = band if clear_band == "band" else clear_band
    interval = RankInterval(45, 60, clear)
    standing = Standing({"governance": 50}, Fraction(50), None, interval)
    return RankedRow(result, rank=50, band=band, standing=standing)


NO_NATIONAL_CUTOFF = concerns.National(bottom_total_cutoff=None)


def evidence(a_row, before=None, national=NO_NATIONAL_CUTOFF) -> dict[str, str]:
    """Each rule the row meets, by slug, with what it found."""
    found = {}
    for rule in concerns.RULES:
        if (finding := rule.evidence(a_row, before, national)) is not None:
            found[rule.slug] = finding
    return found


def met(a_row, before=None, national=NO_NATIONAL_CUTOFF) -> set[str]:
    return set(evidence(a_row, before, national))


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ("RRR", {"triple-red", "red-finance"}),
        ("RRA", {"two-reds", "red-finance"}),
        ("RAR", {"two-reds"}),
        ("ARA", {"red-finance"}),
        ("RAA", set()),
        ("GGG", set()),
    ],
)
def test_red_rules_count_reds_exactly(ratings, expected):
    assert met(row(ratings=ratings)) == expected


@pytest.mark.parametrize(
    ("before", "now", "finding"),
    [
        ("AGA", "RGA", "strategy amber → red"),
        ("GAA", "GAR", "board governance amber → red"),
        ("GGA", "RGR", "strategy green → red; board governance amber → red"),
        ("RAA", "RAA", None),  # red both years: not a fall
        ("AAA", "AAA", None),
    ],
)
def test_a_rating_falling_to_red_says_which_and_from_what(before, now, finding):
    assert evidence(row(ratings=now), row(ratings=before)).get("fell-to-red") == finding


def test_a_rating_is_not_said_to_fall_when_there_is_no_year_before():
    assert "fell-to-red" not in met(row(ratings="RAA"), None)
    unassessed = RankedRow(PCTScorecard("A", "PCT A", "Q30", "SHA Q30"), rank=None)
    assert "fell-to-red" not in met(row(ratings="RAA"), unassessed)


@pytest.mark.parametrize(
    ("then", "now", "finding"),
    [
        ((3, 3, 3), (2, 2, 1), "total 9 → 5 on the 3 competencies both years scored"),  # -4
        ((3, 3, 3), (2, 2, 2), None),  # -3: under the threshold
        ((1, 1), (1, 1, 4), None),  # a competency scored only this year does not count
        ((4, 4), (2, 2, 1), "total 8 → 4 on the 2 competencies both years scored"),
    ],
)
def test_a_drop_in_total_counts_only_competencies_both_years_scored(then, now, finding):
    assert concerns.TOTAL_DROP_POINTS == 4
    assert evidence(row(scores=now), row(scores=then)).get("total-drop") == finding


@pytest.mark.parametrize(
    ("before", "now", "finding"),
    [
        # two bands, into the bottom quarter (clearly: row() puts the interval in the band)
        (2, 4, "band 2 → 4, clearly in the bottom quarter (likely rank 45–60)"),
        (1, 4, "band 1 → 4, clearly in the bottom quarter (likely rank 45–60)"),
        (3, 4, None),  # one band only
        (1, 3, None),  # two bands, but not into the bottom quarter
        (4, 4, None),
        (None, 4, None),  # not ranked the year before
    ],
)
def test_a_fall_of_two_bands_into_the_bottom_quarter_is_a_concern(before, now, finding):
    assert evidence(row(band=now), row(band=before)).get("band-fall") == finding


@pytest.mark.parametrize("clear_band", [None, 3])
def test_a_fall_into_the_bottom_quarter_counts_only_when_clearly_in_it(clear_band):
    """Band 4 on the observed rank, but the interval reaches band 3: not a concern."""
    now, before = row(band=4, clear_band=clear_band), row(band=1)
    assert "band-fall" not in met(now, before)


def test_suggestions_removed_by_asking_for_clarity_are_those_meeting_no_other_rule():
    before = [row(code, band=1) for code in "ABC"]
    now = [
        # C's total is the bottom tenth's; A's and B's are above it.
        row("A", scores=(3, 3), band=4, clear_band=None),  # removed: the band fall alone
        row("B", "ARA", (3, 3), band=4, clear_band=None),  # still suggested: red for finance
        row("C", band=4),  # clearly in the bottom quarter: still suggested
    ]
    assert concerns.removed_by_clarity(now, before) == 1
    assert [c.row.scorecard.pct_code for c in concerns.concerns(now, previous_rows=before)] == [
        "B",
        "C",
    ]


@pytest.mark.parametrize(
    ("scores", "expected"), [((1, 1, 1), True), ((1, 2, 1), False), ((), False)]
)
def test_no_competency_above_one(scores, expected):
    assert ("no-competency-above-1" in met(row(scores=scores))) is expected


@pytest.mark.parametrize(
    ("totals", "cutoff"),
    [
        (range(1, 11), 1),  # 10 PCTs: the bottom tenth is 1 PCT
        (range(1, 12), 2),  # 11 PCTs: ceil(1.1) = 2 PCTs
        (range(1, 21), 2),  # 20 PCTs: 2
        (range(1, 22), 3),  # 21 PCTs: ceil(2.1) = 3
        ([5], 5),
    ],
)
def test_the_bottom_tenth_cutoff_takes_the_lowest_tenth_rounded_up(totals, cutoff):
    rows = [row(code=str(t), scores=(t,)) for t in totals]
    assert concerns.national_picture(rows).bottom_total_cutoff == cutoff


def test_pcts_tied_at_the_bottom_tenth_line_all_count_with_the_line_in_the_evidence():
    totals = [3, 3, 3, 4, 5, 6, 7, 8, 9, 9]
    rows = [row(code=c, scores=(s,)) for c, s in zip("ABCDEFGHIJ", totals, strict=True)]
    found = {c.row.scorecard.pct_code: c for c in concerns.concerns(rows)}
    assert set(found) == {"A", "B", "C"}
    assert found["A"].evidence["bottom-tenth"] == (
        "total 3, at or below 3, the bottom 10% nationally"
    )


def test_no_assessed_pcts_have_no_bottom_tenth():
    unassessed = RankedRow(PCTScorecard("N", "PCT N", "Q30", "SHA Q30"), rank=None)
    assert concerns.national_picture([unassessed]).bottom_total_cutoff is None
    assert concerns.concerns([unassessed]) == []


def test_concerns_are_limited_to_one_sha_but_measured_nationally():
    rows = [row("LOW", scores=(1, 1), sha="Q31")] + [
        row(f"N{i}", scores=(3, 3), sha="Q30") for i in range(9)
    ]
    found = concerns.concerns(rows, sha_code="Q31")
    assert [c.row.scorecard.pct_code for c in found] == ["LOW"]
    assert {r.slug for r in found[0].rules} == {"bottom-tenth", "no-competency-above-1"}
    assert concerns.concerns(rows, sha_code="Q30") == []


def test_the_previous_years_table_is_matched_by_pct_code():
    now = [row("A", ratings="RAA", scores=(3, 3)), row("B", ratings="GGG", scores=(4, 4))]
    then = [row("B", ratings="GGA", scores=(4, 4)), row("A", ratings="AAA", scores=(3, 3))]
    found = {c.row.scorecard.pct_code: c.evidence for c in concerns.concerns(now, None, then)}
    assert set(found) == {"A"}  # B's ratings rose; A is also the bottom tenth of two
    assert found["A"]["fell-to-red"] == "strategy amber → red"


def test_every_rule_has_a_name_a_kind_and_a_unique_slug():
    assert len(concerns.RULES_BY_SLUG) == len(concerns.RULES)
    assert all(rule.name for rule in concerns.RULES)
    assert {rule.kind for rule in concerns.RULES} == {"governance", "competency", "table"}
    assert "rank-fall" not in concerns.RULES_BY_SLUG  # places fallen hinged on ties


def test_rules_run_on_ranked_rows_from_the_ranking_module():
    ranked = ranking.rank(
        [
            row(code, ratings, (s,)).scorecard
            for code, ratings, s in [("X", "RRR", 1), ("Y", "GGG", 4)]
        ],
        ranking.METHODS["governance"],
    )
    found = {c.row.scorecard.pct_code: {r.slug for r in c.rules} for c in concerns.concerns(ranked)}
    assert found == {"X": {"triple-red", "red-finance", "bottom-tenth", "no-competency-above-1"}}
