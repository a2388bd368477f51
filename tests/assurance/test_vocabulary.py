"""The words of WCC assurance: triples, the score range, and the places that must agree on them."""

import pytest

from assurance.forms import SCORE_CHOICES
from assurance.models import RAG, CompetencyScore
from assurance.vocabulary import (
    GOVERNANCE_AREAS,
    RAG_CODES,
    SCORES,
    is_triple_green,
    is_triple_red,
)


@pytest.mark.parametrize(
    ("ratings", "green", "red"),
    [
        (("G", "G", "G"), True, False),
        (("R", "R", "R"), False, True),
        (("G", "G", "A"), False, False),
        (("R", "R", None), False, False),  # not assessed in one area: no triple
        ((None, None, None), False, False),
    ],
)
def test_a_triple_needs_the_same_rating_in_all_three_areas(ratings, green, red):
    assert (is_triple_green(ratings), is_triple_red(ratings)) == (green, red)


def test_the_model_the_form_and_the_vocabulary_agree_on_ratings_and_scores():
    assert tuple(RAG.values) == RAG_CODES
    assert [int(value) for value, _ in SCORE_CHOICES if value] == list(SCORES)
    constraint = next(
        c for c in CompetencyScore._meta.constraints if c.name == "score_between_1_and_4"
    )
    assert dict(constraint.condition.children) == {"score__gte": 1, "score__lte": 4}
    assert GOVERNANCE_AREAS == ("strategy", "finance", "board_governance")
