"""Orders and processed notifications."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies: list[tuple[str, str]] = []

    operations = [
        migrations.CreateModel(
            name="Order",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("reference", models.CharField(max_length=36, unique=True)),
                ("email", models.EmailField(max_length=254)),
                ("currency", models.CharField(default="PEN", max_length=3)),
                ("amount", models.DecimalField(decimal_places=2, max_digits=18)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending"),
                            ("paid", "Paid"),
                            ("expired", "Expired"),
                            ("unknown", "Unknown"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("cip", models.BigIntegerField(null=True, unique=True)),
                ("cip_url", models.URLField(blank=True, max_length=300)),
                ("operation_number", models.CharField(blank=True, max_length=40)),
                ("paid_at", models.DateTimeField(null=True)),
            ],
        ),
        migrations.CreateModel(
            name="ProcessedNotification",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("key", models.CharField(max_length=200, unique=True)),
                ("expires_at", models.DateTimeField()),
            ],
        ),
    ]
