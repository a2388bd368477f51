"""What each chart's title says to notice, worked out from its data: plain Python.

A chart titled "competency scores by year" leaves the reader to find the story; these
sentences say it ("7 of 10 competencies rose, 1 fell"), so a PNG pasted into a board paper
carries it too.
"""

from collections.abc import Iterable, Sequence

from assurance.vocabulary import RAG_POINTS, RAG_WORDS
from leaguetable.ranking import ordinal


def score_moves(pairs: Iterable[tuple[float | None, float | None]]) -> tuple[int, int, int]:
    """(rose, fell, held) among the pairs scored both times."""
    both = [(before, after) for before, after in pairs if before is not None and after is not None]
    rose = sum(after > before for before, after in both)
    fell = sum(after < before for before, after in both)
    return rose, fell, len(both) - rose - fell


def competency_moves(pairs: Sequence[tuple[float | None, float | None]]) -> str:
    """'7 of 10 competencies rose, 1 fell' (or 'none of 10 competencies changed')."""
    rose, fell, held = score_moves(pairs)
    compared = rose + fell + held
    if not compared:
        return "no competency was scored in both years"
    if rose == fell == 0:
        return f"none of {compared} competencies scored both years changed"
    parts = []
    if rose:
        parts.append(f"{rose} of {compared} competencies rose")
    if fell:
        parts.append(f"{fell} of {compared} fell" if not rose else f"{fell} fell")
    return ", ".join(parts)


def rating_change(area: str, before: str | None, after: str | None) -> str:
    """'finance improved from amber to green', 'strategy stayed green', 'board governance: red'."""
    area = area.lower()
    if after is None:
        return f"{area} not rated"
    if before is None:
        return f"{area} {RAG_WORDS[after].lower()}"
    words = RAG_WORDS[before].lower(), RAG_WORDS[after].lower()
    if RAG_POINTS[after] > RAG_POINTS[before]:
        return f"{area} improved from {words[0]} to {words[1]}"
    if RAG_POINTS[after] < RAG_POINTS[before]:
        return f"{area} fell from {words[0]} to {words[1]}"
    return f"{area} stayed {words[1]}"


def rating_changes(changes: Sequence[tuple[str, str | None, str | None]]) -> str:
    """The areas that changed first, then those that held, as one sentence."""
    moved = [c for c in changes if c[1] and c[2] and c[1] != c[2]]
    latest = {after for _, _, after in changes}
    if not moved and len(latest) == 1 and None not in latest and all(c[1] for c in changes):
        return f"all {len(changes)} governance ratings stayed {RAG_WORDS[latest.pop()].lower()}"
    held = [c for c in changes if c not in moved]
    return "; ".join(rating_change(*change) for change in [*moved, *held])


def rank_move(before: int | None, after: int | None, of: int) -> str:
    """'rose from 12th to 3rd of 152', 'stayed 1st of 152', 'fell …'; 'not ranked' for None."""
    if after is None:
        return "not ranked in the latest year"
    if before is None:
        return f"ranked {ordinal(after)} of {of}"
    if after < before:
        return f"rose from {ordinal(before)} to {ordinal(after)} of {of}"
    if after > before:
        return f"fell from {ordinal(before)} to {ordinal(after)} of {of}"
    return f"stayed {ordinal(after)} of {of}"


def sharing_the_top(items: Iterable, value) -> tuple[list, object]:
    """Every item sharing the highest `value(item)`, in their order, and that value: a headline
    that names a best, worst, most or least names all who share it, never one of a tie."""
    items = list(items)
    top = max(value(item) for item in items)
    return [item for item in items if value(item) == top], top


def joined(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
