"""Peers to compare a PCT with, on hand-worked cases (no database)."""

import math

import pytest

from leaguetable import peers, ranking
from leaguetable.ranking import PCTScorecard


def card(code, scores, sha="Q30", ratings="AAA", name=None):
    numbered = {n: s for n, s in enumerate(scores, start=1) if s is not None}
    return PCTScorecard(code, name or f"PCT {code}", sha, f"SHA {sha}", *ratings, numbered)


@pytest.mark.parametrize(
    ("own", "other", "expected"),
    [
        ((2, 2, 2), (2, 2, 2), 0),
        ((1, 2, 3), (2, 2, 1), math.sqrt(1 + 0 + 4)),
        ((4, 1), (1, 1), 3),
        # Only the competencies both were scored on count: C3 is missing from one.
        ((1, 1, 4), (2, 1, None), 1),
    ],
)
def test_distance_is_euclidean_over_the_competencies_both_had(own, other, expected):
    assert peers.distance(card("A", own).scores, card("B", other).scores) == expected


def test_two_pcts_with_no_competency_in_common_have_no_distance():
    assert peers.distance({1: 2}, {2: 2}) is None


def test_the_nearest_come_first_and_equal_distances_go_by_code():
    own = card("MID", (2, 2, 2))
    others = [
        card("ZZZ", (2, 2, 3)),  # 1
        card("AAA", (3, 2, 2)),  # 1: same distance, earlier code
        card("FAR", (4, 4, 4)),  # sqrt(12)
        card("SAM", (2, 2, 2)),  # 0
        card("TWO", (1, 1, 2)),  # sqrt(2)
        card("OFF", (1, 1, 1)),  # sqrt(3)
        card("NOT", (), ratings=(None, None, None)),  # not assessed
        own,
    ]
    assert [n.scorecard.pct_code for n in peers.nearest(own, others)] == [
        "SAM",
        "AAA",
        "ZZZ",
        "TWO",
        "OFF",
    ]
    assert [round(n.distance, 3) for n in peers.nearest(own, others, 3)] == [0, 1, 1]


def test_the_sha_peers_are_the_other_pcts_of_its_sha_by_name():
    own = card("AAA", (1,), sha="Q30", name="Middle")
    others = [own, card("BBB", (1,), name="Zeta"), card("CCC", (1,), name="alpha")]
    others.append(card("DDD", (1,), sha="Q31"))
    assert [p.pct_code for p in peers.same_sha(own, others)] == ["CCC", "BBB"]


def ranked(cards):
    return ranking.rank(cards, ranking.METHODS["governance"])


def test_tied_pcts_share_its_rank():
    rows = ranked([card("AAA", (2, 2)), card("BBB", (2, 2)), card("CCC", (1, 1))])
    assert [r.scorecard.pct_code for r in peers.tied_with("AAA", rows)] == ["BBB"]
    assert peers.tied_with("CCC", rows) == []
    assert peers.tied_with("XXX", rows) == []


def test_peer_groups_read_the_year_before_and_offer_only_pcts_still_there():
    before = ranked(
        [
            card("OWN", (2, 2)),
            card("NEA", (2, 3)),  # distance 1
            card("GON", (2, 2)),  # distance 0, but gone by the latest year
            card("FAR", (4, 4), sha="Q31"),
        ]
    )
    latest = ranked(
        [card("OWN", (1, 1, 1)), card("NEA", (1, 1, 1)), card("FAR", (3, 3, 3), sha="Q31")]
    )
    similar, tied, sha = peers.peer_groups("OWN", latest, "2009/10", (before, "2008/09"))
    assert [p.pct_code for p in similar.pcts] == ["NEA", "FAR"]
    assert similar.distances == [1, math.sqrt(8)]
    assert "2008/09" in similar.name and "Euclidean" in similar.how
    assert [p.pct_code for p in tied.pcts] == ["NEA"]
    assert [p.pct_code for p in sha.pcts] == ["NEA"]
    assert similar.compare_codes("OWN") == ["OWN", "NEA", "FAR"]


def test_a_group_too_big_for_one_comparison_offers_no_group_link():
    group = peers.PeerGroup("SHA", "", [card(f"P{n:02d}", (1,)) for n in range(6)])
    assert group.compare_codes("OWN") is None
    assert peers.PeerGroup("Tied", "", []).compare_codes("OWN") is None


def test_with_one_year_the_nearest_are_read_from_that_year():
    latest = ranked([card("OWN", (2,)), card("NEA", (3,)), card("FAR", (1, 4))])
    similar, *_ = peers.peer_groups("OWN", latest, "2009/10")
    assert [p.pct_code for p in similar.pcts] == ["FAR", "NEA"]  # both 1 apart: by code
    assert "2009/10" in similar.name


def test_a_pct_not_in_the_latest_table_has_no_peers_yet():
    # Hertfordshire PCT (5QV) was formed on 1 April 2010, after the latest published year.
    latest = ranked([card("OLD", (2,)), card("ANO", (3,))])
    assert peers.peer_groups("NEW", latest, "2009/10") == []
