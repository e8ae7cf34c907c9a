# The phone is stored encrypted at rest (zhaoshang.core.fields): the column widened to a
# token's length, then the plain values encrypted; reversed, decrypted and narrowed again.

import zhaoshang.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('industry', '0002_chain_maps_and_targets'),
    ]

    operations = [
        migrations.AlterField(
            model_name='targetcompany',
            name='contact_phone',
            field=zhaoshang.core.fields.EncryptedCharField(blank=True, max_length=30, verbose_name='联系电话'),
        ),
        zhaoshang.core.fields.encrypt_existing("industry", "TargetCompany", "contact_phone"),
    ]
