"""Writes through the API, where the pages write: each one a POST on a record, checked
by the page's own form (its fields, messages and checks), allowed by the app's
permission rule, and done by the page's service. Nothing here knows a rule.

``write`` makes a view method such an endpoint: idempotent (``Idempotency-Key``),
throttled (``WriteThrottle``), documented with its form's fields.
``form_serializer`` describes a form for the schema; ``bind`` reads a request into
the form, and ``cleaned`` answers 400 with the form's errors."""

import datetime
import functools
from collections.abc import Callable

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import exception_handler as drf_exception_handler

from partnership.errors import PortalError

from .idempotency import HEADER, idempotent


class WriteThrottle(UserRateThrottle):
    """Writes per user per period, at the ``api-write`` rate. The rates are read when
    asked, not once at import, so that settings (and tests) can change them."""

    scope = "api-write"

    @property
    def THROTTLE_RATES(self):  # noqa: N802 - the name ScopedRateThrottle reads
        return api_settings.DEFAULT_THROTTLE_RATES


def exception_handler(error, context):
    """DRF's handling, and a service's refusal answered 400 with the message the page
    shows: on the field it names (as the page puts it there), else as ``detail``."""
    if isinstance(error, PortalError):
        error = ValidationError(
            {error.field: [error.message]} if error.field else {"detail": error.message}
        )
    return drf_exception_handler(error, context)


# Forms read as API input --------------------------------------------------------------


def _described(field: forms.Field) -> serializers.Field:
    """A serializer field standing for a form field in the schema."""
    options = {"required": field.required, "help_text": str(field.label or "")}
    if isinstance(field, DateInputField):
        return serializers.DateField(**options)
    if isinstance(field, forms.FileField):
        many = getattr(field.widget, "allow_multiple_selected", False)
        upload = serializers.FileField(**options)
        return serializers.ListField(child=serializers.FileField(), **options) if many else upload
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(child=serializers.IntegerField(min_value=1), **options)
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(min_value=1, **options)
    if isinstance(field, forms.TypedChoiceField):
        return serializers.IntegerField(allow_null=not field.required, **options)
    if isinstance(field, forms.ChoiceField):
        return serializers.ChoiceField(choices=field.choices, **options)
    if isinstance(field, forms.DecimalField):
        # A string, as amounts are read; a number is taken too.
        return serializers.DecimalField(
            max_digits=field.max_digits, decimal_places=field.decimal_places, **options
        )
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(allow_null=not field.required, **options)
    if isinstance(field, forms.BooleanField):
        return serializers.BooleanField(**options)
    return serializers.CharField(
        allow_blank=not field.required, max_length=getattr(field, "max_length", None), **options
    )


def form_serializer(
    form_class: type[forms.Form], name: str, *, leave_out=(), **extra
) -> type[serializers.Serializer]:
    """The API input of a write, for the schema: the fields of the page's form (less
    ``leave_out``, plus ``extra``) as serializer fields. The form does the checking."""
    fields = {
        field_name: _described(field)
        for field_name, field in form_class.base_fields.items()
        if field_name not in leave_out
    }
    return type(name, (serializers.Serializer,), {**fields, **extra})


def form_data(form_class: type[forms.Form], data) -> MultiValueDict:
    """What a client sent, as the form's inputs would post it: one value or a list of
    them a name. Dates come as ISO 8601 ("2011-09-30") and go into the form's day,
    month and year boxes."""
    if isinstance(data, QueryDict):
        posted = MultiValueDict({name: data.getlist(name) for name in data})
    else:
        # JSON's null is an input left empty.
        posted = MultiValueDict(
            {
                name: ["" if item is None else item for item in value]
                if isinstance(value, list)
                else ["" if value is None else value]
                for name, value in data.items()
            }
        )
    for name, field in form_class.base_fields.items():
        if isinstance(field, DateInputField) and name in posted:
            given = str(posted.pop(name)[-1])
            try:
                day = datetime.date.fromisoformat(given)
            except ValueError:
                # Not a date: the form says so, as the page does of a nonsense day.
                boxes = (given, "", "")
            else:
                boxes = (day.day, day.month, day.year)
            for number, box in enumerate(boxes):
                posted[f"{name}_{number}"] = box
    return posted


def bind(form_class: type[forms.Form], request, **kwargs) -> forms.Form:
    """The page's form, bound to what the client sent (and the files it uploaded)."""
    data = form_data(form_class, request.data)
    files = request.FILES if request.FILES else None
    return form_class(data, files, **kwargs)


def form_errors(form: forms.Form) -> dict:
    """A form's messages by field name; those about no one field as ``detail``."""
    errors = dict(form.errors)
    if forms.forms.NON_FIELD_ERRORS in errors:
        errors["detail"] = " ".join(errors.pop(forms.forms.NON_FIELD_ERRORS))
    return errors


def cleaned(form: forms.Form) -> dict:
    """The form's cleaned data; a 400 with its messages, field by field, if any."""
    if not form.is_valid():
        raise ValidationError(form_errors(form))
    return form.cleaned_data


def allowed(user, obj, rule: Callable) -> None:
    """The app's rule about doing this to ``obj``: 403 when it refuses."""
    if not rule(user, obj):
        raise PermissionDenied


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused")


REFUSALS = {
    400: OpenApiResponse(
        description="Refused as the page refuses it: `detail`, or messages by field name"
    ),
    403: OpenApiResponse(ErrorSerializer, description="The user may not do this"),
    404: OpenApiResponse(ErrorSerializer, description="No such record the user may see"),
    422: OpenApiResponse(ErrorSerializer, description=f"The {HEADER} was used for another request"),
    429: OpenApiResponse(ErrorSerializer, description="Too many writes: wait and retry"),
}
KEY = OpenApiParameter(
    HEADER,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (a UUID): the same request sent again with it gets the first "
        "answer back and does nothing twice."
    ),
)


def write(
    *,
    summary: str,
    request=None,
    response=None,
    detail: bool = True,
    files: bool = False,
    status_code: int = 200,
    **action_kwargs,
) -> Callable:
    """A POST endpoint that writes (a DRF action, ``detail`` on one record): idempotent,
    throttled at the write rate, and documented with its input and refusals. ``files``
    takes multipart uploads; otherwise the body is JSON."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def without_format(self, request, *args, format=None, **kwargs):
            # The router also routes ``<action>.json``: the suffix is the renderer's.
            return method(self, request, *args, **kwargs)

        endpoint = action(
            detail=detail,
            methods=["post"],
            throttle_classes=[WriteThrottle],
            parser_classes=[MultiPartParser] if files else [JSONParser],
            **action_kwargs,
        )(idempotent(without_format))
        # drf-spectacular reads an action's schema from above the action.
        return extend_schema(
            summary=summary,
            request=request,
            responses={status_code: response, **REFUSALS},
            parameters=[KEY],
        )(endpoint)

    return decorate
