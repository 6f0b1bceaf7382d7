"""Every target has its agreement now (0008); PostgreSQL alters the column in a
transaction of its own, after the rows the data migration wrote are checked."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("savings", "0008_targets_into_agreements")]

    operations = [
        migrations.AlterField(
            model_name="savingstarget",
            name="agreement",
            field=models.ForeignKey(
                on_delete=models.deletion.PROTECT,
                related_name="targets",
                to="savings.agreement",
            ),
        ),
    ]
