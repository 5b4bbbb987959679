// Java calls the Kotlin API directly: plain long/int/String/Map types, checked fields on the exception.
package pe.pagoefectivo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import pe.pagoefectivo.ffi.CipInfo;
import pe.pagoefectivo.ffi.CreatedCip;
import pe.pagoefectivo.ffi.PagoEfectivoClient;
import pe.pagoefectivo.ffi.PagoEfectivoException;
import pe.pagoefectivo.ffi.Pagoefectivo_uniffiKt;
import pe.pagoefectivo.ffi.PaidCip;
import pe.pagoefectivo.ffi.Sandbox;
import pe.pagoefectivo.ffi.WebhookEvent;

class JavaApiTest {
    @Test
    void createAndPayFromJava() throws Exception {
        try (Sandbox sb = Sandbox.Companion.start(Map.of());
             PagoEfectivoClient client = new PagoEfectivoClient(sb.clientConfig())) {
            CreatedCip created = client.cipsCreate("{\"currency\":\"USD\",\"amount\":\"1500.00\","
                + "\"transactionCode\":\"java-1\",\"userEmail\":\"a@example.com\",\"paymentConcept\":\"Java\"}");
            long cip = created.getCip();
            assertEquals(new BigDecimal("1500.00"), Money.amount(created));
            assertEquals("USD", created.getCurrency());
            PaidCip paid = sb.pay(cip);
            assertEquals(cip, paid.getCip());
            assertTrue(paid.getDatePayment().endsWith("-05:00"));
            CipInfo info = client.cipsGet(cip);
            assertEquals("paid", info.getStatus());
            assertEquals(new BigDecimal("1500.00"), Money.amount(info));
        }
    }

    @Test
    void errorsAreExceptionsWithTheStableCode() throws Exception {
        PagoEfectivoException.Failed e = assertThrows(PagoEfectivoException.Failed.class,
            () -> Pagoefectivo_uniffiKt.webhookVerify("{}".getBytes(StandardCharsets.UTF_8), null, "k"));
        assertEquals("signature_verification_failed", e.getCode());
        assertEquals("missing_signature", e.getReason());
        assertEquals("paid", Pagoefectivo_uniffiKt.cipStatusName(23));
        String body = "{\"eventType\":\"cip.paid\",\"operationNumber\":\"7\",\"data\":{\"cip\":\"9\","
            + "\"currency\":\"PEN\",\"amount\":2.50}}";
        byte[] raw = body.getBytes(StandardCharsets.UTF_8);
        WebhookEvent event = Pagoefectivo_uniffiKt.webhookVerify(raw, Pagoefectivo_uniffiKt.webhookSign(raw, "k"), "k");
        WebhookEvent.CipPaid paid = (WebhookEvent.CipPaid) event;
        assertEquals(9L, paid.getCip());
        assertEquals(new BigDecimal("2.50"), new BigDecimal(paid.getAmount()));
    }
}
