"""Every target set before agreements existed belongs to a "partnership programme"
agreement of its council's partnership (its first, for a council in several), over
the years of the targets it holds, with those councils as its members: the pages and
figures read the same targets as before."""

from django.db import migrations


def targets_into_agreements(apps, schema_editor):
    Agreement = apps.get_model("savings", "Agreement")
    SavingsTarget = apps.get_model("savings", "SavingsTarget")
    held: dict[int, list] = {}
    for target in SavingsTarget.objects.filter(agreement__isnull=True).select_related(
        "organisation"
    ):
        partnership = target.organisation.partnerships.order_by("pk").first()
        if partnership is None:
            raise RuntimeError(
                f"{target.organisation.name}'s targets belong to no partnership: add the "
                "council to its partnership, then migrate again."
            )
        held.setdefault(partnership.pk, []).append(target)
    for partnership_id, targets in held.items():
        years = [target.financial_year for target in targets]
        agreement = Agreement.objects.create(
            partnership_id=partnership_id,
            kind="programme",
            name="Partnership programme targets",
            first_year=min(years),
            last_year=max(years),
        )
        agreement.members.add(*{target.organisation_id for target in targets})
        SavingsTarget.objects.filter(pk__in=[target.pk for target in targets]).update(
            agreement=agreement
        )


def agreements_into_targets(apps, schema_editor):
    """Back to one target per council and year: the agreements are forgotten."""
    SavingsTarget = apps.get_model("savings", "SavingsTarget")
    SavingsTarget.objects.filter(organisation__isnull=True).delete()
    SavingsTarget.objects.update(agreement=None)


class Migration(migrations.Migration):
    dependencies = [("savings", "0007_agreements")]

    operations = [
        migrations.RunPython(targets_into_agreements, agreements_into_targets),
    ]
