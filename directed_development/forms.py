"""Forms of the directed development pages: proposing a flag, lifting one."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

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

    owner = forms.ModelChoiceField(
        label="Who leads the improvement plan",
        queryset=None,
        required=False,
        empty_label="Not decided yet",
    )
    review_on = forms.DateField(
        label="Review on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="When the SHA looks at this flag again; overdue flags are listed first and "
        "named in a weekly email to the SHA's staff.",
    )
    evidence = forms.CharField(
        label="Evidence (web addresses, one a line)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, rule_choices: list[tuple[str, str]], owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_names = dict(rule_choices)
        self.fields["rules"].choices = rule_choices
        self.fields["owner"].queryset = owners

    def clean_review_on(self):
        review_on = self.cleaned_data["review_on"]
        if review_on is not None and review_on < timezone.localdate():
            raise ValidationError(
                f"Choose a review date from today ({timezone.localdate():%-d %B %Y}): a date "
                "already past would make the flag overdue at once."
            )
        return review_on

    def clean_evidence(self) -> list[str]:
        links = [line.strip() for line in self.cleaned_data["evidence"].splitlines()]
        links = [link for link in links if link]
        check = URLValidator(schemes=["http", "https"])
        bad = []
        for link in links:
            try:
                check(link)
            except ValidationError:
                bad.append(link)
        if bad:
            raise ValidationError(f"Not a web address (http:// or https://): {', '.join(bad)}")
        return links

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
