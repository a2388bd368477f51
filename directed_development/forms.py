"""Forms of the directed development pages: proposing a flag, lifting one."""

from django import forms

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
