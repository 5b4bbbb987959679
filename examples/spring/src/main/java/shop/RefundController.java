package shop;

import java.math.BigDecimal;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import pe.pagoefectivo.Beneficiary;
import pe.pagoefectivo.CreateRefundRequest;
import pe.pagoefectivo.Currency;
import pe.pagoefectivo.DocumentType;
import pe.pagoefectivo.PagoEfectivo;
import pe.pagoefectivo.Refund;
import pe.pagoefectivo.RefundDestination;
import pe.pagoefectivo.RefundNotAllowedException;

/** Refunds of paid orders into the shopper's bank account; the reference makes a retried request refund once. */
@RestController
public class RefundController {
    private final PagoEfectivo pagoEfectivo;
    private final Orders orders;

    public RefundController(PagoEfectivo pagoEfectivo, Orders orders) {
        this.pagoEfectivo = pagoEfectivo;
        this.orders = orders;
    }

    public record RefundForm(BigDecimal amount, String cci, String documentNumber, String name, String reference) {}

    @PostMapping("/orders/{id}/refunds")
    public ResponseEntity<Map<String, Object>> refund(@PathVariable String id, @RequestBody RefundForm form) {
        Orders.Order order = orders.get(id);
        if (order == null || order.cip == null) return ResponseEntity.notFound().build();
        Refund refund = pagoEfectivo.refunds().create(CreateRefundRequest.builder()
            .cip(order.cip)
            .amount(form.amount())
            .currency(Currency.PEN)
            .reason("Pedido cancelado")
            .merchantRefundId("RF-" + id + "-" + form.reference())
            .destination(RefundDestination.bankAccount(form.cci()))
            .beneficiary(new Beneficiary(DocumentType.DNI, form.documentNumber(), form.name()))
            .requestedBy("shop-admin")
            .build());
        return ResponseEntity.status(HttpStatus.CREATED)
            .body(Map.of("refundId", refund.getRefundId(), "status", refund.getStatus().getValue(), "amount", refund.getAmount().toPlainString())); // money as a decimal string
    }

    /** Not paid, too much, another currency or too late: the core says which ({@code reason}). */
    @ExceptionHandler(RefundNotAllowedException.class)
    public ResponseEntity<Map<String, Object>> refused(RefundNotAllowedException e) {
        return ResponseEntity.unprocessableEntity().body(Map.of("code", e.getCode(), "reason", String.valueOf(e.getReason())));
    }
}
