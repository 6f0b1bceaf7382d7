"""Asking the database whether it refuses a row."""

from django.db import IntegrityError, transaction


def refused(create, *args, **kwargs) -> bool:
    """True when ``create(*args, **kwargs)`` is refused by a database constraint. The
    attempt runs in a savepoint, so the test can go on using the database."""
    try:
        with transaction.atomic():
            create(*args, **kwargs)
    except IntegrityError:
        return True
    return False
