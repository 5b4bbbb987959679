package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import pe.pagoefectivo.testing.Delivery;
import pe.pagoefectivo.testing.Sandbox;

/**
 * {@code pagoefectivo.dedup.url} naming a store that is not there (a closed port): the shop starts (connections
 * are made on first use), and a notification is answered 503, not processed, so PagoEfectivo delivers it again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StoreDownShopTest {
    static final Sandbox SANDBOX = Sandbox.start(Map.of("webhookRetryDelayMs", 50));

    static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void pagoefectivo(DynamicPropertyRegistry r) {
        r.add("pagoefectivo.base-url", SANDBOX::getBaseUrl);
        r.add("pagoefectivo.access-key", SANDBOX::getAccessKey);
        r.add("pagoefectivo.secret-key", SANDBOX::getSecretKey);
        r.add("pagoefectivo.service-id", SANDBOX::getIdService);
        r.add("pagoefectivo.dedup.url", () -> "redis://127.0.0.1:" + closedPort() + "/0");
    }

    @AfterAll
    static void stop() {
        SANDBOX.close();
    }

    @Autowired TestRestTemplate http;

    @Test
    @SuppressWarnings("unchecked")
    void aNotificationIsAnswered503AndNotProcessed() {
        Map<String, Object> order = http.postForEntity("/checkout", Map.of("amount", "19.90", "email", "ana@example.pe"), Map.class).getBody();
        SANDBOX.setNotificationUrl(null);
        SANDBOX.pay(((Number) order.get("cip")).longValue());
        List<Delivery> all = SANDBOX.deliveries(1, 5000);
        Delivery paid = all.get(all.size() - 1);
        HttpHeaders h = new HttpHeaders();
        h.setContentType(MediaType.APPLICATION_JSON);
        h.set("PE-Signature", paid.getSignature());
        for (int attempt = 0; attempt < 2; attempt++) {
            assertEquals(503, http.postForEntity("/webhooks/pagoefectivo", new HttpEntity<>(paid.getBody(), h), Void.class).getStatusCode().value());
        }
        Map<String, Object> state = http.getForObject("/orders/" + order.get("orderId"), Map.class);
        assertEquals("PENDING", state.get("status"));
        assertEquals(0, ((Number) state.get("paidNotifications")).intValue());
    }
}
