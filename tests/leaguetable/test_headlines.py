"""What the charts' titles say to notice, on hand-worked cases (no database)."""

import pytest

from leaguetable.charts import headlines


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(1, 2), (2, 3), (3, 3), (2, 1)], "2 of 4 competencies rose, 1 fell"),
        ([(1, 2), (None, 3)], "1 of 1 competencies rose"),
        ([(3, 2), (2, 2)], "1 of 2 fell"),
        ([(2, 2), (3, 3)], "none of 2 competencies scored both years changed"),
        ([(None, 2)], "no competency was scored in both years"),
    ],
)
def test_competency_moves_count_rises_and_falls_among_those_scored_both_years(pairs, expected):
    assert headlines.competency_moves(pairs) == expected


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("Finance", "A", "G"), "finance improved from amber to green"),
        (("Strategy", "G", "R"), "strategy fell from green to red"),
        (("Board governance", "A", "A"), "board governance stayed amber"),
        (("Finance", None, "G"), "finance green"),
        (("Finance", "G", None), "finance not rated"),
    ],
)
def test_a_rating_change_is_named_by_direction(change, expected):
    assert headlines.rating_change(*change) == expected


def test_ratings_that_changed_come_before_those_that_held():
    changes = [("Strategy", "G", "G"), ("Finance", "A", "G"), ("Board governance", "G", "A")]
    assert headlines.rating_changes(changes) == (
        "finance improved from amber to green; board governance fell from green to amber; "
        "strategy stayed green"
    )


def test_three_ratings_that_all_held_the_same_colour_are_said_once():
    changes = [("Strategy", "G", "G"), ("Finance", "G", "G"), ("Board governance", "G", "G")]
    assert headlines.rating_changes(changes) == "all 3 governance ratings stayed green"


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (12, 3, "rose from 12th to 3rd of 152"),
        (3, 12, "fell from 3rd to 12th of 152"),
        (1, 1, "stayed 1st of 152"),
        (None, 21, "ranked 21st of 152"),
        (5, None, "not ranked in the latest year"),
    ],
)
def test_a_rank_move_says_which_way_and_of_how_many(before, after, expected):
    assert headlines.rank_move(before, after, 152) == expected
