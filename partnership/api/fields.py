from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def derived_amount(help_text: str, *, allow_null: bool = False) -> serializers.DecimalField:
    """A figure worked out as it is read (an annotation from a selector or a property
    of the row), never stored: a decimal string to the penny."""
    return serializers.DecimalField(
        max_digits=None,
        decimal_places=2,
        read_only=True,
        allow_null=allow_null,
        help_text=help_text,
    )


# JSON Schema's "time" format asks for an offset from UTC, which a meeting's local
# starting time does not have.
@extend_schema_field(
    {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "example": "10:30:00"}
)
class LocalTimeField(serializers.TimeField):
    """A time of day in the UK, as the minutes give it."""
