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
