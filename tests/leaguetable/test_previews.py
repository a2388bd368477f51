"""What admins see before they act: ranks an import would move, the table a year would publish."""

import pytest

from assurance import actions
from assurance.decisions import ChangeKind, DecisionChange, PanelDecision
from assurance.models import AssessmentYear
from leaguetable import ranking
from leaguetable.previews import RankMove, rank_moves, top_and_bottom
from tests.assurance.test_importers import csv_file
from tests.pages import table_rows

GOVERNANCE_FIRST = ranking.METHODS["governance"]


def card(code, ratings, scores):
    strategy, finance, board = ratings
    return ranking.PCTScorecard(
        code, f"PCT {code}", "Q36", "London", strategy, finance, board, scores
    )


def change(code, ratings, scores, kind=ChangeKind.CHANGED):
    return DecisionChange(PanelDecision(code, *ratings, scores), kind)


TABLE = [card("AAA", "GGG", {1: 3}), card("BBB", "GGA", {1: 4}), card("CCC", "RRA", {1: 1})]


def test_a_change_lists_the_changed_pct_and_every_pct_it_moves():
    # CCC (RRA, 1) -> GGG, 4: first; AAA and BBB each pushed down a place.
    moves = rank_moves(TABLE, [change("CCC", "GGG", {1: 4})], GOVERNANCE_FIRST)
    assert moves == [
        RankMove("CCC", "PCT CCC", "3", "1"),
        RankMove("AAA", "PCT AAA", "1", "2", knock_on=True),
        RankMove("BBB", "PCT BBB", "2", "3", knock_on=True),
    ]


def test_a_tie_created_by_the_change_shows_as_a_shared_rank():
    moves = rank_moves(TABLE, [change("CCC", "GGG", {1: 3})], GOVERNANCE_FIRST)
    assert moves == [
        RankMove("AAA", "PCT AAA", "1", "=1", knock_on=True),  # now shares first place
        RankMove("CCC", "PCT CCC", "3", "=1"),
        RankMove("BBB", "PCT BBB", "2", "3", knock_on=True),
    ]


def test_pcts_pushed_from_one_shared_rank_to_the_next_are_listed():
    """The issue's case: a change lifts a PCT above four sharing =4, which become =5."""
    table = [
        card("TOP", "GGG", {1: 4}),
        card("TWO", "GGG", {1: 3}),
        card("THR", "GGA", {1: 4}),
        *(card(f"TI{n}", "GGA", {1: 3}) for n in range(4)),
        card("LOW", "RRR", {1: 1}),
    ]
    moves = rank_moves(table, [change("LOW", "GGA", {1: 4})], GOVERNANCE_FIRST)
    assert moves == [
        RankMove("LOW", "PCT LOW", "8", "=3"),  # ties THR; by name within the tie
        RankMove("THR", "PCT THR", "3", "=3", knock_on=True),
        *(RankMove(f"TI{n}", f"PCT TI{n}", "=4", "=5", knock_on=True) for n in range(4)),
    ]


def test_a_changed_pct_whose_rank_holds_is_still_listed_and_no_one_else():
    moves = rank_moves(TABLE, [change("AAA", "GGG", {1: 4})], GOVERNANCE_FIRST)
    assert moves == [RankMove("AAA", "PCT AAA", "1", "1")]


def test_unchanged_rows_and_new_pcts_are_handled():
    unassessed = [*TABLE, ranking.PCTScorecard("DDD", "PCT DDD", "Q36", "London")]
    moves = rank_moves(
        unassessed,
        [
            change("AAA", "GGG", {1: 3}, ChangeKind.UNCHANGED),
            change("DDD", "AAA", {1: 2}, ChangeKind.NEW),
        ],
        GOVERNANCE_FIRST,
    )
    assert moves == [
        RankMove("DDD", "PCT DDD", "Not assessed", "3"),  # 3 ambers beat CCC's 1
        RankMove("CCC", "PCT CCC", "3", "4", knock_on=True),
    ]


@pytest.mark.django_db
def test_an_import_preview_for_a_published_year_names_pcts_and_shows_rank_moves(client, flag_world):
    admin = flag_world.users["admin"]
    batch, _ = actions.store_import(
        year=flag_world.year,
        file_name="fix.csv",
        content=csv_file("5C4,4,4,G,G,G"),
        by=admin,
        max_bytes=10**6,
    )
    client.force_login(admin)
    response = client.get(f"/assurance/import/{batch.pk}/")
    moves = table_rows(response, "table.rank-moves")
    # 5C4: RRR 1+1 last; GGG 4+4 ties 5ND at the top, and pushes every other PCT down one.
    assert [
        (row["code"], row["Rank now"], row["After the import"], row["Why"]) for row in moves
    ] == [
        ("5C4", "5", "=1", "Its results change"),
        ("5ND", "1", "=1", "Others' changes"),
        ("5K5", "2", "3", "Others' changes"),
        ("5QL", "3", "4", "Others' changes"),
        ("5PG", "4", "5", "Others' changes"),
    ]
    assert "PCT 5C4" in table_rows(response, "table.league:not(.rank-moves)")[0]["PCT"]


@pytest.mark.django_db
def test_a_draft_years_import_preview_shows_the_ranks_the_draft_would_give(client, flag_world):
    AssessmentYear.objects.filter(pk=flag_world.year.pk).update(status="draft")
    admin = flag_world.users["admin"]
    batch, _ = actions.store_import(
        year=AssessmentYear.objects.get(pk=flag_world.year.pk),
        file_name="r.csv",
        content=csv_file("5C4,4,4,G,G,G"),
        by=admin,
        max_bytes=10**6,
    )
    client.force_login(admin)
    response = client.get(f"/assurance/import/{batch.pk}/")
    moves = table_rows(response, "table.rank-moves")
    # The draft as it stands ranks 5C4 last; with the import it shares first, all others down.
    assert [(row["code"], row["Rank now"], row["After the import"]) for row in moves] == [
        ("5C4", "5", "=1"),
        ("5ND", "1", "=1"),
        ("5K5", "2", "3"),
        ("5QL", "3", "4"),
        ("5PG", "4", "5"),
    ]
    assert "is a draft: these are the ranks it would give" in response.content.decode()
    assert "PCT 5C4" in table_rows(response, "table.league:not(.rank-moves)")[0]["PCT"]


def test_the_publication_previews_top_and_bottom_include_everyone_tied_at_their_edge():
    # Governance first, by total: A 8; B to L share =2 on 7 (11 PCTs); M to P 6 down to 3.
    cards = [card("A", "GGG", {1: 4, 2: 4})]
    cards += [card(f"T{n:02}", "GGG", {1: 4, 2: 3}) for n in range(11)]
    cards += [card(f"Z{n}", "GGG", {1: 3 - n // 2, 2: 3 - (n + 1) // 2}) for n in range(4)]
    rows = ranking.rank(cards, GOVERNANCE_FIRST)
    top, bottom = top_and_bottom(rows, 10)
    assert [row.rank for row in top] == [1] + [2] * 11  # the 10th is =2: every =2 is shown
    assert [row.rank for row in bottom] == [2] * 11 + [13, 14, 15, 16]
    assert top_and_bottom(rows[:5], 10) == (rows[:5], [])
