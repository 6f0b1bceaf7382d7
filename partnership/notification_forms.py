"""The notification settings form: one GOV.UK radio group per kind of update."""

from crispy_forms_gds.layout import Size
from django import forms

from .govuk_forms import GovukForm
from .models import Notification


class NotificationSettingsForm(GovukForm):
    label_size = Size.SMALL

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for event in Notification.Event:
            self.fields[event.value] = forms.ChoiceField(
                label=event.label,
                choices=Notification.Delivery.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose how to be told: {event.label.lower()}"},
            )
