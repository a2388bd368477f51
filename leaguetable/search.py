"""Finding PCTs by name, "NHS" name or ODS code, forgiving case, punctuation and word endings."""

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum

# Trailing words that say what kind of body a PCT is, not where it is. From 2009 most PCTs
# called themselves "NHS <place>" (HSJ's year-two tables use those names), so the place name
# with "NHS" before it is each PCT's alias, derived here rather than stored.
KIND_WORDS = (
    ("teaching", "pct"),
    ("care", "trust", "plus"),
    ("care", "trust"),
    ("pct",),
    ("nhs",),
)
# Names some PCTs took after 2010 that the rule above cannot derive, from the ONS list of
# primary care organisations of 2012 (shared/data/ons_pco_sha_2012, PCO12NM), by ODS code.
LATER_NAMES = {
    "5HQ": "Bolton Teaching PCT",
    "5NT": "Manchester Teaching PCT",
    "5QT": "Isle of Wight National Health Service",
}
# How many candidates an "ambiguous" message names before it says "and N more".
CANDIDATES_NAMED = 6


class Closeness(IntEnum):
    """How well a query matches a PCT, best first."""

    EXACT = 0  # the code, the full name, the place name or the "NHS" name
    PREFIX = 1  # the start of one of those names: "tower ham", "somer"
    WORD_PREFIX = 2  # each query word starts some word of a name: "hull", "NHS Somerset"
    SUBSTRING = 3  # inside a name: "olihull"; offered only when nothing closer matches


@dataclass(frozen=True)
class Candidate:
    """A PCT that can be searched for."""

    code: str
    name: str


def words(text: str) -> tuple[str, ...]:
    """Lower-case words of letters and digits: punctuation and case never decide a match."""
    return tuple(re.findall(r"[^\W_]+", text.casefold()))


def place_words(name: str) -> tuple[str, ...]:
    """The name without the words for its kind of body: "Hull Teaching PCT" -> ("hull",)."""
    place = words(name)
    stripped = True
    while stripped:
        stripped = False
        for kind in KIND_WORDS:
            if len(place) > len(kind) and place[-len(kind) :] == kind:
                place, stripped = place[: -len(kind)], True
    return place


# Memoised because every search checks every PCT's names, and the names rarely change.
@functools.lru_cache(maxsize=32_768)
def aliases(name: str) -> tuple[tuple[str, ...], ...]:
    """Every name a PCT answers to, as words: its own, its place's, and "NHS <place>"."""
    place = place_words(name)
    return tuple(dict.fromkeys([words(name), place, ("nhs", *place)]))


def closeness(query: str, candidate: Candidate) -> Closeness | None:
    """How well `query` matches the PCT, or None when it does not."""
    return _closeness(words(query), candidate)


def _closeness(asked: tuple[str, ...], candidate: Candidate) -> Closeness | None:
    if not asked:
        return None
    if "".join(asked) == candidate.code.casefold():
        return Closeness.EXACT
    names = aliases(candidate.name)
    if (later := LATER_NAMES.get(candidate.code)) is not None:
        names += aliases(later)
    if asked in names:
        return Closeness.EXACT
    if any(_starts(name, asked) for name in names):
        return Closeness.PREFIX
    if any(all(any(w.startswith(a) for w in name) for a in asked) for name in names):
        return Closeness.WORD_PREFIX
    if any(" ".join(asked) in " ".join(name) for name in names):
        return Closeness.SUBSTRING
    return None


def _starts(name: tuple[str, ...], asked: tuple[str, ...]) -> bool:
    """True when `asked` is the start of `name`, its last word possibly cut short."""
    head, last = asked[:-1], asked[-1]
    return (
        len(name) >= len(asked) and name[: len(head)] == head and name[len(head)].startswith(last)
    )


def search(query: str, candidates: Iterable[Candidate]) -> list[Candidate]:
    """The PCTs matching `query`, closest first, then by name.

    A match inside a word ("hull" in Solihull) counts only when nothing matches better, so a
    search for a place does not drag in every name that happens to contain it.
    """
    asked = words(query)
    graded = [(_closeness(asked, c), c) for c in candidates]
    graded = [(grade, c) for grade, c in graded if grade is not None]
    if any(grade < Closeness.SUBSTRING for grade, _ in graded):
        graded = [(grade, c) for grade, c in graded if grade < Closeness.SUBSTRING]
    graded.sort(key=lambda pair: (pair[0], pair[1].name.casefold(), pair[1].code))
    return [c for _, c in graded]


@dataclass(frozen=True)
class Resolution:
    """What one entry names: exactly one PCT (`pct`), or the candidates it could mean."""

    entry: str
    pct: Candidate | None
    candidates: tuple[Candidate, ...] = ()

    @property
    def problem(self) -> str | None:
        """Why the entry names no single PCT, in words for the reader; None when it does."""
        if self.pct is not None:
            return None
        if not self.candidates:
            return f"No PCT has the name or code “{self.entry}”."
        named = ", ".join(f"{c.name} ({c.code})" for c in self.candidates[:CANDIDATES_NAMED])
        more = len(self.candidates) - CANDIDATES_NAMED
        if more > 0:
            named += f" and {more} more"
        return f"“{self.entry}” could be {named}: give the code or more of the name."


def resolve(entry: str, candidates: Iterable[Candidate]) -> Resolution:
    """The one PCT `entry` names: an exact match if there is only one, else the only match."""
    matches = search(entry, candidates)
    exact = [c for c in matches if closeness(entry, c) == Closeness.EXACT]
    chosen = exact if exact else matches
    if len(chosen) == 1:
        return Resolution(entry, chosen[0])
    return Resolution(entry, None, tuple(chosen))


def candidates_of(rows) -> list[Candidate]:
    """The ranked rows' PCTs, to search or to offer as the reader types, in name order."""
    pcts = (Candidate(row.scorecard.pct_code, row.scorecard.pct_name) for row in rows)
    return sorted(pcts, key=lambda pct: pct.name.casefold())
