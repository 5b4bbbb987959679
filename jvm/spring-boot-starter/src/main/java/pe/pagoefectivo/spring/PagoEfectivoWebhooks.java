package pe.pagoefectivo.spring;

import java.util.Map;
import java.util.function.Consumer;

import pe.pagoefectivo.Begin;
import pe.pagoefectivo.Deduplicator;
import pe.pagoefectivo.Event;
import pe.pagoefectivo.PagoEfectivo;
import pe.pagoefectivo.PagoEfectivoException;
import pe.pagoefectivo.SignatureVerificationException;
import pe.pagoefectivo.Webhooks;

/**
 * Notifications for a controller: pass the raw body ({@code @RequestBody byte[]}, never a parsed object) and the
 * request headers ({@code @RequestHeader HttpHeaders}, or any map: {@code PE-Signature} is found in any case).
 *
 * <pre>{@code
 * @PostMapping("/webhooks/pagoefectivo")
 * ResponseEntity<Void> notify(@RequestBody byte[] body, @RequestHeader HttpHeaders headers) {
 *     return ResponseEntity.status(webhooks.receive(body, headers, event -> orders.markPaid(event))).build();
 * }
 * }</pre>
 */
public class PagoEfectivoWebhooks {
    private final PagoEfectivo client;
    private final Deduplicator deduplicator;
    private final int maxBodyBytes;

    public PagoEfectivoWebhooks(PagoEfectivo client, Deduplicator deduplicator, Integer maxBodyBytes) {
        this.client = client;
        this.deduplicator = deduplicator;
        this.maxBodyBytes = maxBodyBytes == null ? -1 : maxBodyBytes;
    }

    /** Verifies the raw body with the client's secret key and parses it; a refusal is a {@link SignatureVerificationException}. */
    public Event constructEvent(byte[] rawBody, Map<String, ?> headers) {
        return constructEvent(rawBody, Webhooks.findSignature(headers));
    }

    /** The same with the {@code PE-Signature} value itself (null when the header is missing). */
    public Event constructEvent(byte[] rawBody, String signature) {
        return client.webhooks().constructEvent(rawBody, signature, maxBodyBytes);
    }

    /**
     * Verifies, deduplicates and processes one delivery; returns the HTTP status to answer: 200 when processed
     * now or before (a redelivery), 400 when refused (forged, tampered, or seen before with another payload),
     * 409 while another worker holds it (PagoEfectivo delivers it again), 500 when {@code process} threw (the
     * lease is released, so PagoEfectivo's next attempt is processed), 503 when the deduplicator's store could
     * not be reached (nothing is marked done: the redelivery is processed). Keep {@code process} short, or queue
     * the work: a slow answer is a retried one. With a shared store ({@code pagoefectivo.dedup.url}) every server
     * of the fleet sees the others' leases; make {@code process} idempotent all the same, since a store lost
     * after processing (503) or a worker that dies mid-way means the event is processed again once its lease
     * runs out.
     */
    public int receive(byte[] rawBody, Map<String, ?> headers, Consumer<Event> process) {
        Event event;
        try {
            event = constructEvent(rawBody, headers);
        } catch (SignatureVerificationException e) {
            return 400;
        }
        Begin begun;
        try {
            begun = deduplicator.begin(event);
        } catch (PagoEfectivoException e) {
            return 503;
        }
        switch (begun) {
            case DUPLICATE:
                return 200;
            case IN_PROGRESS:
                return 409;
            case CONFLICT:
                return 400;
            default:
                break;
        }
        try {
            process.accept(event);
        } catch (RuntimeException e) {
            try {
                deduplicator.fail(event);
            } catch (PagoEfectivoException unreachable) {
                // The lease runs out by itself: the redelivery is processed then.
            }
            return 500;
        }
        try {
            deduplicator.complete(event);
        } catch (PagoEfectivoException e) {
            return 503;
        }
        return 200;
    }
}
