"""Spreadsheet cells that must stay text: a formula-looking value is neutralised on the way out
and read back as the same text on the way in.

Spreadsheet programs run a cell that starts with one of FORMULA_PREFIXES as a formula (and
openpyxl writes such a string as one). Writing it with a leading apostrophe keeps it text; an
import removes that apostrophe again, so a note written "=HYPERLINK(…)" survives a round trip
through a downloaded template unchanged.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
TEXT_MARK = "'"


def neutralise(value):
    """The value as a spreadsheet should hold it: text that cannot run as a formula."""
    if isinstance(value, str) and value.startswith((*FORMULA_PREFIXES, TEXT_MARK)):
        return TEXT_MARK + value
    return value


def read_back(text: str) -> str:
    """What was written before neutralise(): one leading apostrophe goes, if it guarded a
    formula-looking value (or another apostrophe)."""
    rest = text.removeprefix(TEXT_MARK)
    return (
        rest
        if text.startswith(TEXT_MARK) and rest.startswith((*FORMULA_PREFIXES, TEXT_MARK))
        else text
    )
