package shop;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import pe.pagoefectivo.Event;
import pe.pagoefectivo.spring.PagoEfectivoWebhooks;

/**
 * PagoEfectivo's notifications: the raw body as received (never a parsed object: the signature is over the bytes)
 * and the headers. Verified, deduplicated, then the order is marked paid. {@code receive} takes the event's lease
 * ({@code begin}), processes it, then {@code complete}s it (or {@code fail}s it when processing threw): a redelivery
 * answers 200 and does nothing, one another server is processing answers 409 and one the dedup store could not be
 * asked about 503 (PagoEfectivo delivers both again), the same key with another payload 400. Several servers share
 * the leases with one property, {@code pagoefectivo.dedup.url=postgres://...} (or {@code redis://...}).
 */
@RestController
public class WebhookController {
    private final PagoEfectivoWebhooks webhooks;
    private final Orders orders;

    public WebhookController(PagoEfectivoWebhooks webhooks, Orders orders) {
        this.webhooks = webhooks;
        this.orders = orders;
    }

    @PostMapping("/webhooks/pagoefectivo")
    public ResponseEntity<Void> notification(@RequestBody byte[] body, @RequestHeader HttpHeaders headers) {
        int status = webhooks.receive(body, headers, event -> {
            if (event instanceof Event.CipPaid paid && paid.getTransactionCode() != null) {
                Orders.Order order = orders.get(paid.getTransactionCode());
                if (order != null) {
                    order.paidNotifications.incrementAndGet();
                    orders.markPaid(order.id);
                }
            }
        });
        return ResponseEntity.status(status).build();
    }
}
