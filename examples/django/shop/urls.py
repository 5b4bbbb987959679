"""Routes: checkout, the PagoEfectivo notification endpoint, order status."""

from django.urls import path

from orders import views

urlpatterns = [
    path("checkout", views.checkout, name="checkout"),
    path("orders/<str:reference>", views.order_status, name="order"),
    path("webhooks/pagoefectivo", views.pagoefectivo_webhook, name="pagoefectivo-webhook"),
]
