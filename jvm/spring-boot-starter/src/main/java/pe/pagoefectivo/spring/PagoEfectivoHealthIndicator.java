package pe.pagoefectivo.spring;

import java.time.Duration;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import pe.pagoefectivo.PagoEfectivo;
import pe.pagoefectivo.PagoEfectivoException;
import pe.pagoefectivo.Settings;

/**
 * {@code /actuator/health}'s {@code pagoefectivo} component: UP when the credentials authenticate (checked at most
 * once per {@code pagoefectivo.health.cache-for}), DOWN with the error's code and hint otherwise. No secret is shown.
 */
public class PagoEfectivoHealthIndicator extends AbstractHealthIndicator {
    private final PagoEfectivo client;
    private final long cacheNanos;
    private volatile long checkedAt;
    private volatile PagoEfectivoException lastError;
    private volatile boolean checked;

    public PagoEfectivoHealthIndicator(PagoEfectivo client, Duration cacheFor) {
        super("PagoEfectivo health check failed");
        this.client = client;
        this.cacheNanos = cacheFor.toNanos();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        long now = System.nanoTime();
        if (!checked || now - checkedAt > cacheNanos) {
            try {
                client.authenticate();
                lastError = null;
            } catch (PagoEfectivoException e) {
                lastError = e;
            }
            checkedAt = now;
            checked = true;
        }
        Settings s = client.getSettings();
        builder.withDetail("environment", s.getEnvironment()).withDetail("baseUrl", s.getBaseUrl()).withDetail("idService", s.getIdService());
        PagoEfectivoException e = lastError;
        if (e == null) {
            builder.up();
        } else {
            builder.down().withDetail("code", e.getCode()).withDetail("retryable", e.isRetryable());
            if (e.getHint() != null) builder.withDetail("hint", e.getHint());
        }
    }
}
