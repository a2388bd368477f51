"""The comparison form: two to six PCTs, named by ODS code or name in repeated ?pct= values."""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError

from leaguetable import search

MIN_COMPARED = 2
MAX_COMPARED = 6


class PCTEntriesField(forms.Field):
    """Repeated values as typed, with blanks dropped, in the order given."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        return [entry.strip() for entry in value or [] if entry.strip()]


class CompareForm(forms.Form):
    pct = PCTEntriesField(label="PCT names or codes", required=False)

    def __init__(self, *args, candidates: Iterable[search.Candidate], **kwargs):
        self.candidates = list(candidates)
        # Index of an entry in the boxes -> why it names no single PCT, shown beside that box.
        self.entry_errors: dict[int, str] = {}
        super().__init__(*args, **kwargs)

    def clean_pct(self) -> list[str]:
        resolutions = [search.resolve(entry, self.candidates) for entry in self.cleaned_data["pct"]]
        self.entry_errors = {
            index: r.problem for index, r in enumerate(resolutions) if r.problem is not None
        }
        if self.entry_errors:
            raise ValidationError(list(self.entry_errors.values()))
        # A PCT named twice ("Somerset" and "5QL") is compared once.
        codes = list(dict.fromkeys(r.pct.code for r in resolutions))
        if not MIN_COMPARED <= len(codes) <= MAX_COMPARED:
            raise ValidationError(
                f"Choose from {MIN_COMPARED} to {MAX_COMPARED} PCTs to compare; "
                f"{len(codes)} {'was' if len(codes) == 1 else 'were'} chosen."
            )
        return codes

    def slots(self) -> list[tuple[str, str | None]]:
        """(value, error) for each of the form's boxes: the entries given, then blanks up to the
        maximum. An entry that names one PCT shows as its code."""
        if not self.is_bound:
            return [("", None)] * MAX_COMPARED
        given = self.fields["pct"].to_python(self.data.getlist("pct"))
        self.is_valid()
        slots = [
            (
                entry if index in self.entry_errors else self._code(entry),
                self.entry_errors.get(index),
            )
            for index, entry in enumerate(given)
        ]
        return slots + [("", None)] * (MAX_COMPARED - len(slots))

    def _code(self, entry: str) -> str:
        resolution = search.resolve(entry, self.candidates)
        return resolution.pct.code if resolution.pct is not None else entry
