"""The saved group's forms: its name and alert, and a PCT to add by name or code."""

from django import forms

from leaguetable import search
from watchlists.models import Watchlist


class GroupForm(forms.ModelForm):
    class Meta:
        model = Watchlist
        fields = ["name", "email_on_publication"]
        labels = {
            "name": "Group name",
            "email_on_publication": "Email me this group's ranks when results are published",
        }
        help_texts = {
            "email_on_publication": "One email covers all your groups that ask for it, each "
            "time a year's results are published.",
        }

    def __init__(self, *args, owner, **kwargs):
        self.owner = owner
        super().__init__(*args, **kwargs)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Watchlist.objects.owned_by(self.owner).filter(name=name)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(f"You already have a group named “{name}”.")
        return name


class AddPCTForm(forms.Form):
    """One PCT by name, "NHS" name or code, resolved as the comparison resolves its boxes."""

    pct = forms.CharField(
        label="PCT name or code",
        max_length=120,
        # The page's <datalist id="pct-names"> offers every PCT's name as the reader types.
        widget=forms.TextInput(attrs={"list": "pct-names", "autocomplete": "off"}),
    )

    def __init__(self, *args, candidates, **kwargs):
        self.candidates = list(candidates)
        super().__init__(*args, **kwargs)

    def clean_pct(self) -> str:
        """The code of the one PCT named."""
        resolution = search.resolve(self.cleaned_data["pct"], self.candidates)
        if resolution.problem is not None:
            raise forms.ValidationError(resolution.problem)
        return resolution.pct.code
