# The phone is stored encrypted at rest (zhaoshang.core.fields): the column widened to a
# token's length, then the plain values encrypted; reversed, decrypted and narrowed again.

import zhaoshang.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0001_trips_events_introducers'),
    ]

    operations = [
        migrations.AlterField(
            model_name='introducer',
            name='phone',
            field=zhaoshang.core.fields.EncryptedCharField(blank=True, max_length=30, verbose_name='联系电话'),
        ),
        zhaoshang.core.fields.encrypt_existing("campaigns", "Introducer", "phone"),
    ]
