"""The form that makes a personal API token."""

from django import forms

from .govuk_forms import GovukForm, text_input
from .models import ApiToken


class ApiTokenForm(GovukForm):
    name = forms.CharField(
        label="Name",
        help_text="What the token is for, so that you know which to revoke: "
        "for example, the council's finance system",
        max_length=100,
        widget=text_input(autocomplete="off", spellcheck="false"),
        error_messages={
            "required": "Enter a name for the token",
            "max_length": "The name must be 100 characters or fewer",
        },
    )
    scope = forms.ChoiceField(
        label="What it may do",
        choices=[
            (ApiToken.Scope.READ, "Read only: see what you can see on the portal"),
            (
                ApiToken.Scope.READ_WRITE,
                "Read and write: also make the changes you can make on the portal",
            ),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the token may do"},
    )
