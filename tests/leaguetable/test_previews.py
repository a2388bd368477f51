"""What admins see before they act: ranks an import would move, the table a year would publish."""

import pytest

from assurance import actions
from assurance.decisions import ChangeKind, DecisionChange, PanelDecision
from assurance.models import AssessmentYear
from leaguetable import ranking
from leaguetable.previews import RankMove, rank_moves
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


def test_a_change_moves_only_the_changed_pct_and_says_from_where_to_where():
    moves = rank_moves(TABLE, [change("CCC", "GGG", {1: 4})], GOVERNANCE_FIRST)
    assert moves == [RankMove("CCC", "PCT CCC", "3", "1")]


def test_a_tie_created_by_the_change_shows_as_a_shared_rank():
    moves = rank_moves(TABLE, [change("CCC", "GGG", {1: 3})], GOVERNANCE_FIRST)
    assert moves == [RankMove("CCC", "PCT CCC", "3", "=1")]


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
    assert moves == [RankMove("DDD", "PCT DDD", "Not assessed", "3")]  # 3 ambers beat CCC's 1


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
    assert [(row["code"], row["Rank now"], row["After the import"]) for row in moves] == [
        ("5C4", "5", "=1")  # RRR 1+1 last; GGG 4+4 ties 5ND at the top
    ]
    assert "PCT 5C4" in table_rows(response, "table.league:not(.rank-moves)")[0]["PCT"]


@pytest.mark.django_db
def test_a_draft_years_import_preview_has_no_rank_moves(client, flag_world):
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
    assert table_rows(response, "table.rank-moves") == []
    assert "PCT 5C4" in table_rows(response, "table.league")[0]["PCT"]
