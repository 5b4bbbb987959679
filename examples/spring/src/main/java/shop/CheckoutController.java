package shop;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import pe.pagoefectivo.Cip;
import pe.pagoefectivo.CreateCipRequest;
import pe.pagoefectivo.Currency;
import pe.pagoefectivo.PagoEfectivo;
import pe.pagoefectivo.ValidationException;

/** Checkout: the order gets a CIP the shopper pays in cash; the order ships only once a verified notification says so. */
@RestController
public class CheckoutController {
    private final PagoEfectivo pagoEfectivo;
    private final Orders orders;

    public CheckoutController(PagoEfectivo pagoEfectivo, Orders orders) {
        this.pagoEfectivo = pagoEfectivo;
        this.orders = orders;
    }

    public record Checkout(BigDecimal amount, String email) {}

    @PostMapping("/checkout")
    public ResponseEntity<Map<String, Object>> checkout(@RequestBody Checkout request) {
        Orders.Order order = orders.create(request.amount(), request.email());
        Cip cip = pagoEfectivo.cips().create(CreateCipRequest.builder()
            .currency(Currency.PEN)
            .amount(request.amount())
            .transactionCode(order.id)
            .userEmail(request.email())
            .paymentConcept("Pedido " + order.id)
            .expiresIn(Duration.ofHours(48))
            .build());
        order.cip = cip.getCip();
        return ResponseEntity.status(HttpStatus.CREATED)
            .body(Map.of("orderId", order.id, "cip", cip.getCip(), "cipUrl", cip.getCipUrl(), "expires", cip.getDateExpiry().toString()));
    }

    @GetMapping("/orders/{id}")
    public ResponseEntity<Map<String, Object>> order(@PathVariable String id) {
        Orders.Order o = orders.get(id);
        if (o == null) return ResponseEntity.notFound().build();
        return ResponseEntity.ok(Map.of("orderId", o.id, "status", o.status.name(), "paidNotifications", o.paidNotifications.get()));
    }

    /** The SDK's validation lists every invalid field at once: hand them to the shopper's form. */
    @ExceptionHandler(ValidationException.class)
    public ResponseEntity<Map<String, Object>> invalid(ValidationException e) {
        return ResponseEntity.badRequest().body(Map.of("code", e.getCode(), "fields", e.getFieldErrors().stream().map(f -> f.getField()).toList()));
    }
}
