"""The search form: what a reader searches for and the filters they chose; bad input
becomes a message on the page, never an error."""

from django import forms
from django.utils.translation import gettext_lazy as _

from digests.models import public_entities
from digests.search.words import MAX_QUERY_LENGTH
from people.models import Organization, Person


class SearchForm(forms.Form):
    """What a reader searches for; bad input becomes a message on the page, never an error."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        strip=True,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "Search for at most %(limit_value)d characters (this search has "
                "%(show_value)d). Try a name or a few words."
            )
        },
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("There is no public page for that person.")},
    )
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(),
        to_field_name="slug",
        required=False,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("There is no public page for that organization.")},
    )
    tag = forms.SlugField(
        required=False,
        max_length=100,
        widget=forms.HiddenInput,
        error_messages={"invalid": _("That is not a topic address.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Visibility depends on the time of the request, not of the import. Built only for a
        # filter the reader chose: most searches have none.
        for name, model in (("person", Person), ("organization", Organization)):
            if self.data.get(name):
                self.fields[name].queryset = public_entities(model.objects)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return data

    @property
    def filters(self) -> dict:
        """The valid filters the reader chose (empty while the form has errors)."""
        if not self.is_valid():
            return {}
        keys = ("date_from", "date_to", "person", "organization", "tag")
        return {k: self.cleaned_data[k] for k in keys if self.cleaned_data.get(k)}
