"""Forms: logging in, entering results, uploading a spreadsheet, flagging PCTs."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from assurance import logins
from assurance.models import RAG, AssessmentYear, CompetencyScore
from assurance.results import PanelResult

SCORE_CHOICES = [("", "–")] + [
    (str(n), str(n)) for n in range(CompetencyScore.MIN_SCORE, CompetencyScore.MAX_SCORE + 1)
]
RATING_AREAS = {
    "strategy": "Strategy",
    "finance": "Finance",
    "board_governance": "Board governance",
}


class LoginForm(AuthenticationForm):
    """Django's login form, saying so plainly when the throttle has locked the user out."""

    def clean(self):
        if logins.is_locked_out(self.request, self.cleaned_data.get("username", "")):
            raise ValidationError(
                "Too many failed attempts to log in. Wait a while and try again, or ask an "
                "assurance admin to check your account.",
                code="locked_out",
            )
        return super().clean()


class AssessmentForm(forms.Form):
    """One PCT's results in one year: a score per competency the year scored, three ratings."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    panel_date = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
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
                error_messages={"required": "Score this competency from 1 to 4."},
            )
            self.score_fields.append(name)
        for area, label in RATING_AREAS.items():
            self.fields[area] = forms.ChoiceField(
                label=label,
                choices=RAG.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Rate {label.lower()} red, amber or green."},
            )
        self.order_fields([*self.score_fields, *RATING_AREAS, "panel_date", "notes", "version"])

    def score_bound_fields(self):
        return [self[name] for name in self.score_fields]

    def rating_bound_fields(self):
        return [self[name] for name in RATING_AREAS]

    def result_for(self, pct_code: str) -> PanelResult:
        data = self.cleaned_data
        return PanelResult(
            pct_code=pct_code,
            strategy=data["strategy"],
            finance=data["finance"],
            board_governance=data["board_governance"],
            scores={int(name[1:]): data[name] for name in self.score_fields},
            panel_date=data["panel_date"],
            notes=data["notes"].strip(),
        )

    @staticmethod
    def initial_for(result: PanelResult | None, version: int | None) -> dict:
        if result is None:
            return {"version": version}
        values = {key: value for key, value in result.values().items() if value is not None}
        return values | {"version": version}


class ImportForm(forms.Form):
    year = forms.ModelChoiceField(
        queryset=AssessmentYear.objects.order_by("-start_year"),
        empty_label=None,
        to_field_name="start_year",
        help_text="The assurance year the results belong to.",
    )
    file = forms.FileField(help_text="CSV (UTF-8) or Excel .xlsx, using the year's template.")


REASON_MAX_LENGTH = 5000


class FlagForm(forms.Form):
    """Propose a PCT for directed development: the rules it meets (all ticked at first) and why.

    The rules on offer are those the PCT meets, worked out by the read side and passed in as
    (slug, name) pairs: a flag can rest on fewer of them, never on a rule the PCT does not meet.
    """

    rules = forms.MultipleChoiceField(
        label="Rules for concern this flag rests on",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label="Reason",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why this PCT should go into directed development. Kept in the audit trail.",
        error_messages={"required": "Give a reason for the flag."},
    )

    def __init__(self, *args, rule_choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_names = dict(rule_choices)
        self.fields["rules"].choices = rule_choices

    def chosen_rules(self) -> dict[str, str]:
        """slug -> name of the ticked rules, in the order they were offered."""
        chosen = set(self.cleaned_data["rules"])
        return {slug: name for slug, name in self.rule_names.items() if slug in chosen}


class LiftForm(forms.Form):
    reason = forms.CharField(
        label="Reason for lifting",
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Give a reason for lifting the flag."},
    )
