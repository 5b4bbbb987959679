// The API as a Java caller writes it: builders, resources, futures, typed exceptions caught by class.
package pe.pagoefectivo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import pe.pagoefectivo.testing.Sandbox;

class JavaApiTest {
    static CreateCipRequest order(String code) {
        return CreateCipRequest.builder()
            .currency(Currency.USD)
            .amount(new BigDecimal("1500.00"))
            .transactionCode(code)
            .userEmail("a@example.com")
            .paymentConcept("Order " + code)
            .expiresIn(Duration.ofHours(48))
            .build();
    }

    @Test
    void javaCreatesRefundsAndCatchesByType() throws Exception {
        try (Sandbox sb = Sandbox.start(); PagoEfectivo client = new PagoEfectivo(sb.config())) {
            Cip cip = client.cips().create(order("java-1"));
            assertEquals(new BigDecimal("1500.00"), cip.getAmount());
            assertEquals(Currency.USD, cip.getCurrency());

            CipInfo info = client.cips().get(cip.getCip());
            assertEquals(CipStatus.GENERATED, info.getStatus());

            try {
                client.cips().get(99_999_999_999_999L);
            } catch (NotFoundException e) {
                assertEquals("not_found", e.getCode());
                assertFalse(e.isRetryable());
            }

            ValidationException v = assertThrows(ValidationException.class, () ->
                client.cips().create(CreateCipRequest.builder().currency(Currency.PEN).amount(new BigDecimal("1.001")).build()));
            assertTrue(v.getFieldErrors().stream().anyMatch(f -> f.getField().equals("amount")));
            assertInstanceOf(PagoEfectivoException.class, v);

            sb.pay(cip.getCip());
            RefundEligibility left = client.refunds().eligibility(cip.getCip());
            assertEquals(new BigDecimal("1500.00"), left.getRefundableAmount());
            Refund refund = client.refunds().create(CreateRefundRequest.builder()
                .cip(cip.getCip())
                .amount(new BigDecimal("100.00"))
                .currency(Currency.USD)
                .reason("Pedido cancelado")
                .merchantRefundId("RF-java-1")
                .destination(RefundDestination.bankAccount("00219100123456789053"))
                .beneficiary(new Beneficiary(DocumentType.DNI, "44556677", "Ana Quispe"))
                .build());
            assertEquals(RefundStatus.REQUESTED, refund.getStatus());
            assertEquals(refund, client.refunds().get(refund.getRefundId()));
            assertEquals(1, client.refunds().list(cip.getCip()).size());
            RefundNotAllowedException tooMuch = assertThrows(RefundNotAllowedException.class, () ->
                client.refunds().create(new CreateRefundRequest(cip.getCip(), new BigDecimal("1400.01"), Currency.USD, "x", "RF-java-2",
                    RefundDestination.bankAccount("00219100123456789053"), new Beneficiary(DocumentType.DNI, "44556677", "Ana"))));
            assertEquals("amount_exceeds_refundable", tooMuch.getReason());
        }
    }

    @Test
    void javaFuturesAndWebhooks() throws Exception {
        try (Sandbox sb = Sandbox.start(); PagoEfectivo client = new PagoEfectivo(sb.config())) {
            List<CompletableFuture<Cip>> futures = List.of(client.cips().createAsync(order("java-a")), client.cips().createAsync(order("java-b")));
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            long cip = futures.get(0).join().getCip();

            CompletionException failed = assertThrows(CompletionException.class, () -> client.cips().getAsync(99_999_999_999_999L).join());
            assertInstanceOf(NotFoundException.class, failed.getCause());

            sb.pay(cip);
            CipInfo paid = client.cips().waitForFinalStatus(cip, new WaitOptions(Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofMillis(100)));
            assertEquals(CipStatus.PAID, paid.getStatus());

            String body = "{\"eventType\":\"cip.paid\",\"operationNumber\":\"7\",\"data\":{\"cip\":\"" + cip + "\",\"currency\":\"USD\",\"amount\":1500.00}}";
            byte[] raw = body.getBytes(StandardCharsets.UTF_8);
            String signature = Webhooks.sign(raw, sb.getSecretKey());
            Event event = client.webhooks().constructEvent(raw, Webhooks.findSignature(Map.of("pe-signature", signature)));
            if (event instanceof Event.CipPaid p) {
                assertEquals(new BigDecimal("1500.00"), p.getAmount());
                assertEquals("cip.paid:7:" + cip, p.getDedupKey());
            } else {
                throw new AssertionError(event);
            }
            try (Deduplicator dedup = Deduplicator.inMemory()) {
                assertTrue(dedup.firstDelivery(event));
                assertFalse(dedup.firstDelivery(event));
            }
            SignatureVerificationException e = assertThrows(SignatureVerificationException.class,
                () -> Webhooks.constructEvent(raw, signature, sb.getSecretKey() + " "));
            assertEquals("signature_mismatch", e.getReason());
        }
    }

    @Test
    void javaConfiguresInCode() {
        Config config = Config.builder()
            .environment(Environment.SANDBOX)
            .accessKey("ACCESSKEY00000000000")
            .secretKey("SECRETKEY0000000000000000000000000000000")
            .serviceId(1234)
            .requestTimeout(Duration.ofSeconds(20))
            .maxAttempts(2)
            .build();
        assertEquals("sandbox", config.getSettings().getEnvironment());
        assertEquals(20_000, config.getSettings().getRequestTimeoutMs());
        assertFalse(config.toString().contains("SECRETKEY"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Config.builder().accessKey("x").build());
        assertEquals("configuration_error", e.getCode());
        assertEquals(OffsetDateTime.parse("2026-11-20T18:00:00-05:00"), LimaTime.parse("2026-11-20T23:00:00Z"));
    }
}
