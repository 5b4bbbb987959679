package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import pe.pagoefectivo.ReconcileClass;
import pe.pagoefectivo.Reconciliation;
import pe.pagoefectivo.testing.Delivery;
import pe.pagoefectivo.testing.Sandbox;

/** The shop over real HTTP on a random port, the sandbox delivering signed notifications to it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ShopTest {
    static final Sandbox SANDBOX = Sandbox.start(Map.of("webhookRetryDelayMs", 50));

    @DynamicPropertySource
    static void pagoefectivo(DynamicPropertyRegistry r) {
        r.add("pagoefectivo.base-url", SANDBOX::getBaseUrl);
        r.add("pagoefectivo.access-key", SANDBOX::getAccessKey);
        r.add("pagoefectivo.secret-key", SANDBOX::getSecretKey);
        r.add("pagoefectivo.service-id", SANDBOX::getIdService);
    }

    @AfterAll
    static void stop() {
        SANDBOX.close();
    }

    @LocalServerPort int port;
    @Autowired TestRestTemplate http;
    @Autowired ReconciliationCommand reconciliation;

    @BeforeEach
    void notificationsComeHere() {
        SANDBOX.setNotificationUrl("http://127.0.0.1:" + port + "/webhooks/pagoefectivo");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> checkout(String amount) {
        ResponseEntity<Map> r = http.postForEntity("/checkout", Map.of("amount", amount, "email", "ana@example.pe"), Map.class);
        assertEquals(201, r.getStatusCode().value(), String.valueOf(r.getBody()));
        return r.getBody();
    }

    @SuppressWarnings("unchecked")
    String status(Object orderId) {
        return (String) http.getForObject("/orders/" + orderId, Map.class).get("status");
    }

    String awaitStatus(Object orderId, String want) throws InterruptedException {
        for (int i = 0; i < 100 && !want.equals(status(orderId)); i++) Thread.sleep(50);
        return status(orderId);
    }

    ResponseEntity<Void> post(String body, String signature) {
        HttpHeaders h = new HttpHeaders();
        h.setContentType(MediaType.APPLICATION_JSON);
        if (signature != null) h.set("pe-signature", signature);
        return http.postForEntity("/webhooks/pagoefectivo", new HttpEntity<>(body, h), Void.class);
    }

    @Test
    void checkoutPaymentNotificationAndRefund() throws Exception {
        Map<String, Object> order = checkout("149.90");
        long cip = ((Number) order.get("cip")).longValue();
        assertEquals("PENDING", status(order.get("orderId")));

        int before = SANDBOX.deliveries().size();
        SANDBOX.pay(cip);
        assertEquals("PAID", awaitStatus(order.get("orderId"), "PAID"));
        List<Delivery> deliveries = SANDBOX.deliveries(before + 1, 5000);
        Delivery paid = deliveries.get(deliveries.size() - 1);
        assertEquals(List.of(200), paid.getStatuses());

        // A redelivery of the same notification is acknowledged and not processed again; a forged one is refused.
        assertEquals(200, post(paid.getBody(), paid.getSignature()).getStatusCode().value());
        assertEquals(1, ((Number) http.getForObject("/orders/" + order.get("orderId"), Map.class).get("paidNotifications")).intValue());
        assertEquals(400, post(paid.getBody().replace("149.90", "1.00"), paid.getSignature()).getStatusCode().value());
        assertEquals(400, post(paid.getBody(), null).getStatusCode().value());

        ResponseEntity<Map> refund = http.postForEntity("/orders/" + order.get("orderId") + "/refunds",
            Map.of("amount", "50.00", "cci", "00219100123456789053", "documentNumber", "44556677", "name", "Ana Quispe", "reference", "1"),
            Map.class);
        assertEquals(201, refund.getStatusCode().value(), String.valueOf(refund.getBody()));
        assertEquals("requested", refund.getBody().get("status"));
        assertEquals("50.00", refund.getBody().get("amount"));
        ResponseEntity<Map> tooMuch = http.postForEntity("/orders/" + order.get("orderId") + "/refunds",
            Map.of("amount", "100.00", "cci", "00219100123456789053", "documentNumber", "44556677", "name", "Ana Quispe", "reference", "2"),
            Map.class);
        assertEquals(422, tooMuch.getStatusCode().value());
        assertEquals("amount_exceeds_refundable", tooMuch.getBody().get("reason"));
    }

    @Test
    void checkoutRefusesEveryInvalidFieldAtOnce() {
        ResponseEntity<Map> r = http.postForEntity("/checkout", Map.of("amount", "10.001", "email", ""), Map.class);
        assertEquals(400, r.getStatusCode().value());
        assertEquals(List.of("amount", "userEmail"), ((List<?>) r.getBody().get("fields")).stream().sorted().toList());
    }

    @Test
    void reconciliationConfirmsAPaymentWhoseNotificationWasLost() throws Exception {
        SANDBOX.setNotificationUrl(null);
        Map<String, Object> order = checkout("35.00");
        SANDBOX.pay(((Number) order.get("cip")).longValue());
        assertEquals("PENDING", status(order.get("orderId")));
        Reconciliation result = reconciliation.run();
        assertTrue(result.getSummary().count(ReconcileClass.MISSED_NOTIFICATION) >= 1);
        assertEquals("PAID", status(order.get("orderId")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void healthShowsTheCredentialsWork() {
        Map<String, Object> health = http.getForObject("/actuator/health", Map.class);
        Map<String, Object> pe = (Map<String, Object>) ((Map<String, Object>) health.get("components")).get("pagoEfectivo");
        assertEquals("UP", pe.get("status"), String.valueOf(health));
        assertTrue(!health.toString().contains(SANDBOX.getSecretKey()));
    }
}
