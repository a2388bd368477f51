"""The comparison form: two to six PCTs, named by their ODS codes in repeated ?pct= values."""

from collections.abc import Container

from django import forms
from django.core.exceptions import ValidationError

MIN_COMPARED = 2
MAX_COMPARED = 6


class PCTCodesField(forms.Field):
    """Repeated values, upper-cased, with blanks and repeats dropped, in the order given."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        codes = (code.strip().upper() for code in value or [])
        return list(dict.fromkeys(code for code in codes if code))


class CompareForm(forms.Form):
    pct = PCTCodesField(label="PCT codes", required=False)

    def __init__(self, *args, known_codes: Container[str], **kwargs):
        self.known_codes = known_codes
        super().__init__(*args, **kwargs)

    def clean_pct(self) -> list[str]:
        codes = self.cleaned_data["pct"]
        unknown = [code for code in codes if code not in self.known_codes]
        if unknown:
            raise ValidationError(f"No PCT has the code {', '.join(unknown)}.")
        if not MIN_COMPARED <= len(codes) <= MAX_COMPARED:
            raise ValidationError(
                f"Choose from {MIN_COMPARED} to {MAX_COMPARED} PCTs to compare; "
                f"{len(codes)} {'was' if len(codes) == 1 else 'were'} chosen."
            )
        return codes

    def slots(self) -> list[str]:
        """The codes to show in the form's boxes: those given, then blanks up to the maximum."""
        given = self.fields["pct"].to_python(self.data.getlist("pct")) if self.is_bound else []
        return given + [""] * (MAX_COMPARED - len(given))
