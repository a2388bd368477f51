"""Spreadsheet cells that must stay text: a formula-looking value is neutralised on the way out
and read back as the same text on the way in.

Spreadsheet programs run a cell that starts with one of FORMULA_PREFIXES as a formula (and
openpyxl writes such a string as one). Writing it with a leading apostrophe keeps it text; an
import removes that apostrophe again, so a note written "=HYPERLINK(…)" survives a round trip
through a downloaded template unchanged.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Characters a spreadsheet (or a user's input method, which turns a full-width "＝" into "=")
# may take for one of = + - @: every character whose compatibility form (NFKC) begins with one
# (full-width, small, superscript and subscript forms, "⩵"), and the minus signs and hyphens
# that NFKC leaves apart. The dashes of prose (en, em) are not among them.
LOOKALIKE_PREFIXES = (
    "\uff1d\ufe66\u207c\u208c\u2a75\u2a76"  # =
    "\uff0b\ufe62\u207a\u208a\ufb29\u2795"  # +
    "\uff0d\ufe63\u2212\u207b\u208b\u2010\u2011\u2012\u2796"  # -
    "\uff20\ufe6b"  # @
)
TEXT_MARK = "'"
GUARDED = (*FORMULA_PREFIXES, *LOOKALIKE_PREFIXES, TEXT_MARK)


def neutralise(value):
    """The value as a spreadsheet should hold it: text that cannot run as a formula."""
    if isinstance(value, str) and value.startswith(GUARDED):
        return TEXT_MARK + value
    return value


def read_back(text: str) -> str:
    """What was written before neutralise(): one leading apostrophe goes, if it guarded a
    formula-looking value (or another apostrophe)."""
    rest = text.removeprefix(TEXT_MARK)
    return rest if text.startswith(TEXT_MARK) and rest.startswith(GUARDED) else text
