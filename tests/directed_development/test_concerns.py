"""Hand-worked cases for the rules for concern, at their boundaries."""

import pytest

from directed_development import concerns
from leaguetable import ranking
from leaguetable.ranking import PCTScorecard, RankedRow


def row(code="A", ratings="AAA", scores=(2, 2), movement=None, sha="Q30"):
    strategy, finance, board = ratings
    result = PCTScorecard(
        code, f"PCT {code}", sha, f"SHA {sha}", strategy, finance, board,
        dict(enumerate(scores, start=1)),
    )  # fmt: skip
    previous = None if movement is None else 50 + movement
    return RankedRow(result, rank=50, previous_rank=previous)


NO_NATIONAL_CUTOFF = concerns.National(bottom_total_cutoff=None)


def met(a_row, national=NO_NATIONAL_CUTOFF):
    return {rule.slug for rule in concerns.RULES if rule.applies(a_row, national)}


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
    ("movement", "fell"), [(-21, True), (-20, False), (0, False), (25, False), (None, False)]
)
def test_a_fall_of_more_than_20_places_is_a_concern(movement, fell):
    assert ("rank-fall" in met(row(movement=movement))) is fell


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


def test_pcts_tied_at_the_bottom_tenth_line_all_count():
    totals = [3, 3, 3, 4, 5, 6, 7, 8, 9, 9]
    rows = [row(code=c, scores=(s,)) for c, s in zip("ABCDEFGHIJ", totals, strict=True)]
    flagged = {c.row.scorecard.pct_code for c in concerns.concerns(rows)}
    assert flagged == {"A", "B", "C"}


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


def test_every_rule_has_a_name_to_show_and_a_unique_slug():
    assert len(concerns.RULES_BY_SLUG) == len(concerns.RULES)
    assert all(rule.name for rule in concerns.RULES)
    assert "20 places" in concerns.RULES_BY_SLUG["rank-fall"].name


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
