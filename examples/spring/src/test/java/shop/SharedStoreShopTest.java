package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;

import pe.pagoefectivo.Begin;
import pe.pagoefectivo.Deduplicator;
import pe.pagoefectivo.Event;
import pe.pagoefectivo.Webhooks;
import pe.pagoefectivo.spring.PagoEfectivoProperties;
import pe.pagoefectivo.testing.Delivery;
import pe.pagoefectivo.testing.Sandbox;

/**
 * The shop as one server of a fleet: {@code pagoefectivo.dedup.url} set to a real PostgreSQL or Redis server
 * (PAGOEFECTIVO_TEST_POSTGRES_URL / _REDIS_URL, from scripts/services.sh), and "another server" a
 * {@link Deduplicator} on the same store in the test. Subclasses name the store; they are skipped when its URL is
 * not set, and fail in CI ({@code CI} set) then.
 */
abstract class SharedStoreShopTest {
    /** A password PostgreSQL's trust authentication ignores: it must never show. */
    static final String PASSWORD = "Pw-0f-the-sh0p";

    /**
     * A sandbox whose CIP numbers start at random: the store outlives this run (and other suites share it), and an
     * event's key is its type, operation number and CIP.
     */
    static Sandbox sandbox() {
        return Sandbox.start(Map.of("webhookRetryDelayMs", 50, "firstCip", ThreadLocalRandom.current().nextLong(1_000_000_000L, 90_000_000_000_000L)));
    }

    /** True when the store's URL is set, or in CI (where its absence then fails the context). */
    static boolean given(String variable) {
        return System.getenv(variable) != null || System.getenv("CI") != null;
    }

    /** For the subclasses' {@code @EnabledIf}: here, so that evaluating it starts no sandbox. */
    static boolean postgresGiven() {
        return given("PAGOEFECTIVO_TEST_POSTGRES_URL");
    }

    static boolean redisGiven() {
        return given("PAGOEFECTIVO_TEST_REDIS_URL");
    }

    static String storeUrl(String variable) {
        String url = System.getenv(variable);
        if (url == null || url.isEmpty()) throw new IllegalStateException("CI must run the shared-store tests: " + variable + " is not set");
        // postgres://postgres@host/db -> postgres://postgres:<password>@host/db
        return url.startsWith("postgres") ? url.replaceFirst("://([^:@/]+)@", "://$1:" + PASSWORD + "@") : url;
    }

    static void register(DynamicPropertyRegistry r, Sandbox sandbox, String url) {
        r.add("pagoefectivo.base-url", sandbox::getBaseUrl);
        r.add("pagoefectivo.access-key", sandbox::getAccessKey);
        r.add("pagoefectivo.secret-key", sandbox::getSecretKey);
        r.add("pagoefectivo.service-id", sandbox::getIdService);
        // The one property that makes the fleet share its leases.
        r.add("pagoefectivo.dedup.url", () -> url);
    }

    abstract Sandbox sb();

    abstract String url();

    abstract String store();

    @LocalServerPort int port;
    @Autowired TestRestTemplate http;
    @Autowired Deduplicator deduplicator;
    @Autowired PagoEfectivoProperties properties;

    @BeforeEach
    void notificationsComeHere() {
        sb().setNotificationUrl("http://127.0.0.1:" + port + "/webhooks/pagoefectivo");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> order(String amount) {
        Map<String, Object> o = http.postForEntity("/checkout", Map.of("amount", amount, "email", "ana@example.pe"), Map.class).getBody();
        assertTrue(o != null && o.get("cip") != null, String.valueOf(o));
        return o;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> state(Map<String, Object> order) {
        return http.getForObject("/orders/" + order.get("orderId"), Map.class);
    }

    int paidNotifications(Map<String, Object> order) {
        return ((Number) state(order).get("paidNotifications")).intValue();
    }

    /** Pays the order's CIP with notifications going nowhere: the test delivers the notification itself. */
    Delivery payQuietly(Map<String, Object> order) {
        sb().setNotificationUrl(null);
        int before = sb().deliveries().size();
        sb().pay(((Number) order.get("cip")).longValue());
        List<Delivery> all = sb().deliveries(before + 1, 5000);
        return all.get(all.size() - 1);
    }

    int post(String body, String signature) {
        HttpHeaders h = new HttpHeaders();
        h.setContentType(MediaType.APPLICATION_JSON);
        h.set("PE-Signature", signature);
        return http.postForEntity("/webhooks/pagoefectivo", new HttpEntity<>(body, h), Void.class).getStatusCode().value();
    }

    Event event(Delivery d) {
        return Webhooks.constructEvent(d.getBody().getBytes(StandardCharsets.UTF_8), d.getSignature(), sb().getSecretKey());
    }

    @Test
    void aNotificationProcessedHereIsADuplicateForTheOtherServers() throws Exception {
        Map<String, Object> order = order("25.00");
        int before = sb().deliveries().size();
        sb().pay(((Number) order.get("cip")).longValue());
        List<Delivery> all = sb().deliveries(before + 1, 5000);
        Delivery paid = all.get(all.size() - 1);
        for (int i = 0; i < 100 && !"PAID".equals(state(order).get("status")); i++) Thread.sleep(50);
        assertEquals("PAID", state(order).get("status"));
        try (Deduplicator otherServer = Deduplicator.fromUrl(url())) {
            assertEquals(Begin.DUPLICATE, otherServer.begin(event(paid)), "the store is shared: the other server sees it done");
        }
        assertEquals(200, post(paid.getBody(), paid.getSignature()), "a redelivery is acknowledged");
        assertEquals(1, paidNotifications(order), "and not processed again");
    }

    @Test
    void whileAnotherServerHoldsTheNotificationThisOneAnswersNon200() {
        Map<String, Object> order = order("31.00");
        Delivery paid = payQuietly(order);
        try (Deduplicator otherServer = Deduplicator.fromUrl(url())) {
            Event e = event(paid);
            assertEquals(Begin.STARTED, otherServer.begin(e));
            assertEquals(409, post(paid.getBody(), paid.getSignature()), "in progress elsewhere: PagoEfectivo delivers it again");
            assertEquals("PENDING", state(order).get("status"));
            assertEquals(0, paidNotifications(order));
            // The other server's processing failed: it releases the lease, and the redelivery is processed here.
            otherServer.fail(e);
            assertEquals(200, post(paid.getBody(), paid.getSignature()));
            assertEquals("PAID", state(order).get("status"));
            assertEquals(200, post(paid.getBody(), paid.getSignature()));
            assertEquals(1, paidNotifications(order), "processed once");
            assertEquals(Begin.DUPLICATE, otherServer.begin(e));
        }
    }

    @Test
    void theSameNotificationWithAnotherPayloadIsRefused() {
        Map<String, Object> order = order("42.00");
        Delivery paid = payQuietly(order);
        assertEquals(200, post(paid.getBody(), paid.getSignature()));
        // Signed with the right secret, but the amount changed: a conflict on the key, not a duplicate.
        String changed = paid.getBody().replace("42.00", "4.20");
        assertTrue(!changed.equals(paid.getBody()), paid.getBody());
        String signature = Webhooks.sign(changed.getBytes(StandardCharsets.UTF_8), sb().getSecretKey());
        assertEquals(400, post(changed, signature));
        assertEquals(1, paidNotifications(order));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theBeanIsTheSharedStoreAndItsPasswordNeverShows() {
        assertEquals("Deduplicator(store=" + store() + ")", deduplicator.toString());
        assertEquals(url(), properties.getDedup().getUrl());
        Map<String, Object> health = http.getForObject("/actuator/health", Map.class);
        for (String shown : List.of(deduplicator.toString(), properties.toString(), String.valueOf(health))) {
            assertFalse(shown.contains(PASSWORD), shown);
        }
    }
}
