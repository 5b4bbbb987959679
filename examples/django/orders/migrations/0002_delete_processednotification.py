"""Processed notifications moved to the SDK's dedup store (``PAGOEFECTIVO_DEDUP_URL``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("orders", "0001_initial")]

    operations = [migrations.DeleteModel(name="ProcessedNotification")]
