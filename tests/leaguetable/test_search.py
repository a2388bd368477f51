"""The rules for finding PCTs by name, "NHS" name or code: plain Python, no database."""

import pytest

from leaguetable.search import (
    Candidate,
    Closeness,
    aliases,
    closeness,
    did_you_mean,
    resolve,
    search,
    suggestions,
)

SOMERSET = Candidate("5QL", "Somerset PCT")
NORTH_SOMERSET = Candidate("5M8", "North Somerset PCT")
BATH = Candidate("5FL", "Bath and North East Somerset PCT")
HULL = Candidate("5NX", "Hull Teaching PCT")
SOLIHULL = Candidate("TAM", "Solihull Care Trust")
STOKE = Candidate("5PJ", "Stoke on Trent PCT")
STOCKTON = Candidate("5E1", "Stockton-on-Tees Teaching PCT")
WIGHT = Candidate("5QT", "Isle of Wight NHS PCT")
TAMESIDE = Candidate("5LH", "Tameside and Glossop PCT")
BIRMINGHAM_EAST = Candidate("5PG", "Birmingham East and North PCT")
HEART = Candidate("5MX", "Heart of Birmingham Teaching PCT")
NE_LINCS = Candidate("TAN", "North East Lincolnshire Care Trust Plus")
BOLTON = Candidate("5HQ", "Bolton PCT")
ENGLAND = [
    SOMERSET,
    NORTH_SOMERSET,
    BATH,
    HULL,
    SOLIHULL,
    STOKE,
    STOCKTON,
    WIGHT,
    TAMESIDE,
    BIRMINGHAM_EAST,
    HEART,
    NE_LINCS,
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Somerset PCT", [("somerset", "pct"), ("somerset",), ("nhs", "somerset")]),
        ("Hull Teaching PCT", [("hull", "teaching", "pct"), ("hull",), ("nhs", "hull")]),
        (
            "Solihull Care Trust",
            [("solihull", "care", "trust"), ("solihull",), ("nhs", "solihull")],
        ),
        (
            "North East Lincolnshire Care Trust Plus",
            [
                ("north", "east", "lincolnshire", "care", "trust", "plus"),
                ("north", "east", "lincolnshire"),
                ("nhs", "north", "east", "lincolnshire"),
            ],
        ),
        (
            "Isle of Wight NHS PCT",
            [
                ("isle", "of", "wight", "nhs", "pct"),
                ("isle", "of", "wight"),
                ("nhs", "isle", "of", "wight"),
            ],
        ),
        (
            "Stockton-on-Tees Teaching PCT",
            [
                ("stockton", "on", "tees", "teaching", "pct"),
                ("stockton", "on", "tees"),
                ("nhs", "stockton", "on", "tees"),
            ],
        ),
    ],
)
def test_a_pct_answers_to_its_name_its_place_and_nhs_before_its_place(name, expected):
    assert aliases(name) == tuple(expected)


@pytest.mark.parametrize(
    ("query", "candidate", "expected"),
    [
        ("5QL", SOMERSET, Closeness.EXACT),
        ("5ql", SOMERSET, Closeness.EXACT),
        (" 5QL ", SOMERSET, Closeness.EXACT),
        ("NHS Somerset", SOMERSET, Closeness.EXACT),
        ("nhs somerset", SOMERSET, Closeness.EXACT),
        ("somerset", SOMERSET, Closeness.EXACT),
        ("Somerset PCT", SOMERSET, Closeness.EXACT),
        ("stoke-on-trent", STOKE, Closeness.EXACT),
        ("STOKE ON TRENT", STOKE, Closeness.EXACT),
        ("Stockton on Tees", STOCKTON, Closeness.EXACT),
        ("NHS Isle of Wight", WIGHT, Closeness.EXACT),
        ("NHS Hull", HULL, Closeness.EXACT),
        ("hull", HULL, Closeness.EXACT),
        ("somer", SOMERSET, Closeness.PREFIX),
        ("nhs som", SOMERSET, Closeness.PREFIX),
        ("hull teach", HULL, Closeness.PREFIX),
        ("NHS Somerset", NORTH_SOMERSET, Closeness.WORD_PREFIX),
        ("somerset", BATH, Closeness.WORD_PREFIX),
        ("heart birm", HEART, Closeness.WORD_PREFIX),
        ("hull", SOLIHULL, Closeness.SUBSTRING),
        ("olihull", SOLIHULL, Closeness.SUBSTRING),
        ("tam", TAMESIDE, Closeness.PREFIX),
        ("tam", SOLIHULL, Closeness.EXACT),  # Solihull Care Trust's code
        ("Bolton Teaching PCT", BOLTON, Closeness.EXACT),  # its name in the ONS list of 2012
        ("NHS Bolton", BOLTON, Closeness.EXACT),
        ("Isle of Wight National Health Service", WIGHT, Closeness.EXACT),
        ("wight national", WIGHT, Closeness.WORD_PREFIX),
        ("Bolton Teaching PCT", HULL, None),
        ("5Q", SOMERSET, None),  # a code matches whole or not at all
        ("hull", SOMERSET, None),
        ("", SOMERSET, None),
        ("---", SOMERSET, None),
        ("somerset hull", SOMERSET, None),  # every word must match
    ],
)
def test_how_closely_a_query_matches_a_pct(query, candidate, expected):
    assert closeness(query, candidate) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("hull", [HULL]),  # not Solihull: a whole word matched
        ("olihull", [SOLIHULL]),  # nothing better, so inside a word will do
        ("somerset", [SOMERSET, BATH, NORTH_SOMERSET]),
        ("NHS Somerset", [SOMERSET, BATH, NORTH_SOMERSET]),
        ("north", [NE_LINCS, NORTH_SOMERSET, BATH, BIRMINGHAM_EAST]),
        ("birmingham", [BIRMINGHAM_EAST, HEART]),
        ("5QL", [SOMERSET]),
        ("tam", [SOLIHULL, TAMESIDE]),
        ("zzz", []),
    ],
)
def test_search_puts_exact_then_prefix_then_word_matches_first(query, expected):
    assert search(query, ENGLAND) == expected


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("5ql", SOMERSET),
        ("Somerset", SOMERSET),
        ("NHS Somerset", SOMERSET),
        ("hull", HULL),
        ("stoke-on-trent", STOKE),
        ("heart of birm", HEART),  # the only match, though not exact
        ("tam", SOLIHULL),  # the code wins over a name that starts with it
    ],
)
def test_an_entry_resolves_to_one_pct(entry, expected):
    resolution = resolve(entry, ENGLAND)
    assert resolution.pct == expected
    assert resolution.problem is None


def test_an_ambiguous_entry_names_its_candidates_closest_first():
    resolution = resolve("birmingham", ENGLAND)
    assert resolution.pct is None
    assert resolution.candidates == (BIRMINGHAM_EAST, HEART)
    assert resolution.problem == (
        "“birmingham” could be Birmingham East and North PCT (5PG), "
        "Heart of Birmingham Teaching PCT (5MX): give the code or more of the name."
    )


def test_an_ambiguous_entry_names_at_most_six_candidates():
    many = [Candidate(f"X{n:02d}", f"North Place {n} PCT") for n in range(8)]
    assert resolve("north", many).problem.endswith(
        "North Place 5 PCT (X05) and 2 more: give the code or more of the name."
    )


def test_an_unknown_entry_says_so():
    resolution = resolve("Atlantis", ENGLAND)
    assert (resolution.pct, resolution.candidates) == (None, ())
    assert resolution.problem == "No PCT has the name or code “Atlantis”."


def fixture_pcts() -> list[Candidate]:
    """The 153 PCTs of the reference data (fixtures/pcts.csv)."""
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "fixtures" / "pcts.csv"
    with path.open(encoding="utf-8") as handle:
        return [Candidate(row["code"], row["name"]) for row in csv.DictReader(handle)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("towerhamlets", ["5C4"]),  # typed without the space
        ("TowerHamlets PCT", ["5C4"]),
        ("east and north herts", ["5P3"]),  # a county's common abbreviation
        ("east & north hertfordshire", ["5P3"]),  # "&" for "and"
        ("West Herts", ["5P4"]),
    ],
)
def test_search_forgives_missing_spaces_abbreviations_and_ampersands(query, expected):
    assert [pct.code for pct in search(query, fixture_pcts())] == expected


@pytest.mark.parametrize(
    ("query", "offered"),
    [
        ("Sommerset", "Did you mean Somerset PCT, Bath and North East Somerset PCT or North "
         "Somerset PCT?"),
        ("Birmigham", "Did you mean Birmingham East and North PCT, Heart of Birmingham Teaching "
         "PCT or South Birmingham PCT?"),
        ("towerhamlts", "Did you mean Tower Hamlets PCT?"),
        ("Atlantis", ""),
    ],
)  # fmt: skip
def test_a_misspelt_search_finds_nothing_but_offers_the_closest_names(query, offered):
    candidates = fixture_pcts()
    assert search(query, candidates) == []
    assert did_you_mean([pct.name for pct in suggestions(query, candidates)]) == offered


def test_an_unknown_entry_offers_what_it_probably_meant():
    resolution = resolve("Sommerset", ENGLAND)
    assert resolution.problem == (
        "No PCT has the name or code “Sommerset”. Did you mean Somerset PCT (5QL), "
        "Bath and North East Somerset PCT (5FL) or North Somerset PCT (5M8)?"
    )
