"""One demo user per role, all sharing one published password: fine on a laptop,
never on a live site, so they are only made while DEBUG is on."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.models import User

from partnership.models import Organisation, Partnership, Role
from partnership.scopes import Kind

from .fixture_files import rows

DEMO_PASSWORD = "partnership-demo"


def load_demo_users(
    *,
    partnerships: dict[str, Partnership],
    organisations: dict[str, Organisation],
    log: Callable[[str], object],
) -> list[User]:
    if not settings.DEBUG:
        log(
            "Demo users skipped: DEBUG is off. Demo users share a published password, "
            "so they are never created on a live site."
        )
        return []
    users = []
    for row in rows("demo_users.csv"):
        # Only the support team uses the admin (partnership.admin_site).
        user, created = User.objects.get_or_create(
            username=row["username"],
            defaults={
                "is_staff": row["role"] in (Kind.ADMINISTRATOR, Kind.PROGRAMME_MANAGER),
                "is_superuser": row["is_superuser"] == "yes",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Role.objects.get_or_create(
            user=user,
            kind=row["role"],
            partnership=partnerships[row["partnership"]] if row["partnership"] else None,
            organisation=organisations[row["organisation"]] if row["organisation"] else None,
            defaults={"title": row["title"]},
        )
        users.append(user)
    log(f'Demo users: {", ".join(user.username for user in users)} (password "{DEMO_PASSWORD}").')
    return users
