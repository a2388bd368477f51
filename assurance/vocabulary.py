"""The words of WCC assurance, once: governance areas, RAG ratings, the score range, triples.

Plain Python, no Django: the models' constraints, the entry form, the importer, ranking, charts
and the rules for concern all import these rather than spelling them out again.
"""

from collections.abc import Iterable

# The three governance areas a panel rated, in the order every table and spreadsheet shows them.
GOVERNANCE_AREAS = ("strategy", "finance", "board_governance")
AREA_NAMES = {"strategy": "Strategy", "finance": "Finance", "board_governance": "Board governance"}

# Red/amber/green: the code stored, the word shown, the points the equal-weight method gives.
RAG_CODES = ("R", "A", "G")
RAG_WORDS = {"R": "Red", "A": "Amber", "G": "Green"}
RAG_POINTS = {"R": 0, "A": 1, "G": 2}
# What a spreadsheet may say for each (case does not matter).
RAG_SPELLINGS = {"r": "R", "a": "A", "g": "G", "red": "R", "amber": "A", "green": "G"}

# The rounds of WCC assurance that took place (by the year they start in): DH said in August 2010
# there would be no third. A year outside these can hold only hypothetical results.
ASSURANCE_ROUNDS = (2008, 2009)

# A competency score: 1 (lowest) to 4 (world class).
MIN_SCORE = 1
MAX_SCORE = 4
SCORES = range(MIN_SCORE, MAX_SCORE + 1)


def competency_column(number: int) -> str:
    """The name a competency has in spreadsheets, exports and forms: c1, c2, …"""
    return f"c{number}"


def is_triple_green(ratings: Iterable[str | None]) -> bool:
    """Green for strategy, finance and board governance: the top of HSJ's table."""
    return list(ratings) == ["G", "G", "G"]


def is_triple_red(ratings: Iterable[str | None]) -> bool:
    """Red for all three: what SHAs put into directed development first."""
    return list(ratings) == ["R", "R", "R"]


def is_hypothetical_round(start_year: int) -> bool:
    """True for a year in which no WCC assurance round took place, such as 2010/11."""
    return start_year not in ASSURANCE_ROUNDS
