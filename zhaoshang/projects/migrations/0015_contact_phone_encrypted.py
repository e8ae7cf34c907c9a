# The phone is stored encrypted at rest (zhaoshang.core.fields): the column widened to a
# token's length, then the plain values encrypted; reversed, decrypted and narrowed again.


import zhaoshang.core.fields
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0014_merge_ledger_columns'),
    ]

    operations = [
        migrations.AlterField(
            model_name='project',
            name='contact_phone',
            field=zhaoshang.core.fields.EncryptedCharField(blank=True, max_length=30, verbose_name='投资方联系电话'),
        ),
        zhaoshang.core.fields.encrypt_existing("projects", "Project", "contact_phone"),
    ]
