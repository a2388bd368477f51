"""Forms of the assurance pages: entering one PCT's results, uploading a spreadsheet."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from assurance.decisions import PanelDecision
from assurance.models import RAG, AssessmentYear
from assurance.vocabulary import AREA_NAMES, GOVERNANCE_AREAS, MAX_SCORE, MIN_SCORE, SCORES

SCORE_CHOICES = [("", "–")] + [(str(n), str(n)) for n in SCORES]


class AssessmentForm(forms.Form):
    """One PCT's results in one year: a score per competency the year scored, three ratings."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    panel_date = forms.DateField(
        required=False,
        # A browser's date input reads only ISO dates (2010-04-21); the site's British format
        # (21/04/2010) shows it as empty, and saving the form would then clear the date.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="The day the assurance panel met (optional).",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, year: AssessmentYear, competencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.year = year
        self.score_fields = []
        for competency in competencies:
            name = competency.column_name
            self.fields[name] = forms.TypedChoiceField(
                label=f"{competency.number}. {competency.name}",
                choices=SCORE_CHOICES,
                coerce=int,
                error_messages={
                    "required": f"Score this competency from {MIN_SCORE} to {MAX_SCORE}."
                },
            )
            self.score_fields.append(name)
        for area, label in AREA_NAMES.items():
            self.fields[area] = forms.ChoiceField(
                label=label,
                choices=RAG.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Rate {label.lower()} red, amber or green."},
            )
        if year.is_approved:
            self.fields["correction_reason"] = correction_reason_field()
        self.order_fields(
            [*self.score_fields, *GOVERNANCE_AREAS, "panel_date", "notes", "correction_reason"]
        )

    def score_bound_fields(self):
        return [self[name] for name in self.score_fields]

    def rating_bound_fields(self):
        return [self[name] for name in GOVERNANCE_AREAS]

    def result_for(self, pct_code: str) -> PanelDecision:
        data = self.cleaned_data
        return PanelDecision(
            pct_code=pct_code,
            **{area: data[area] for area in GOVERNANCE_AREAS},
            scores={int(name[1:]): data[name] for name in self.score_fields},
            panel_date=data["panel_date"],
            notes=data["notes"].strip(),
        )

    @staticmethod
    def initial_for(result: PanelDecision | None, version: int | None) -> dict:
        if result is None:
            return {"version": version}
        values = {key: value for key, value in result.values().items() if value is not None}
        return values | {"version": version}


class YearChoiceField(forms.ModelChoiceField):
    """A year chosen by its slug ('2009-10'), as every URL and `?year=` names one."""

    def prepare_value(self, value):
        return value.slug if isinstance(value, AssessmentYear) else super().prepare_value(value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        year = self.queryset.by_slug(str(value)).first()
        if year is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return year


class ImportForm(forms.Form):
    year = YearChoiceField(
        queryset=AssessmentYear.objects.order_by("-start_year"),
        empty_label=None,
        help_text="The assurance year the results belong to.",
    )
    file = forms.FileField(help_text="CSV (UTF-8) or Excel .xlsx, using the year's template.")


EMBARGO_HOUR = datetime.time(9, 0)  # results go public at the start of a working day


class PublishRequestForm(forms.Form):
    public_on = forms.DateField(
        label="Embargo (optional): public from 09:00 on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Leave blank to publish as soon as the request is approved.",
    )

    def public_from(self) -> datetime.datetime | None:
        day = self.cleaned_data["public_on"]
        return timezone.make_aware(datetime.datetime.combine(day, EMBARGO_HOUR)) if day else None


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Why withdraw it from public view",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown to readers on the methodology page.",
        error_messages={"required": "Say why the year should be withdrawn."},
    )


class ReverseImportForm(forms.Form):
    reason = forms.CharField(
        label="Why reverse it",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why the import is being reversed."},
    )


def correction_reason_field() -> forms.CharField:
    """Why a published result changes: readers see it beside the PCT and in downloads."""
    return forms.CharField(
        label="Why correct this published result",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Readers see this reason beside the PCT, with the date, and in every download.",
        error_messages={"required": "Say why a published result is being corrected."},
    )
