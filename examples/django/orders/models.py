"""An order and its CIP (which notifications were processed is the dedup store's: see payments.py)."""

from django.db import models


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending"  # CIP issued, waiting for the cash payment
        PAID = "paid"
        EXPIRED = "expired"
        UNKNOWN = "unknown"  # the CIP creation's outcome is unknown: show nothing, retry later

    reference = models.CharField(max_length=36, unique=True)  # sent as transactionCode
    email = models.EmailField()
    currency = models.CharField(max_length=3, default="PEN")
    amount = models.DecimalField(max_digits=18, decimal_places=2)  # money is decimal, never float
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    cip = models.BigIntegerField(null=True, unique=True)  # 14-digit CIP numbers need 64 bits
    cip_url = models.URLField(max_length=300, blank=True)
    operation_number = models.CharField(max_length=40, blank=True)
    paid_at = models.DateTimeField(null=True)
