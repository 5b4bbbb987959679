"""The orders app: orders paid with PagoEfectivo CIPs."""

from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "orders"
