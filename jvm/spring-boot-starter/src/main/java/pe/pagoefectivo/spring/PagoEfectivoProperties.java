package pe.pagoefectivo.spring;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code pagoefectivo.*}: the client's configuration. When {@code access-key} is not set, the SDK's own
 * {@code PAGOEFECTIVO_*} environment variables are read instead ({@code Config.fromEnv()}).
 */
@ConfigurationProperties("pagoefectivo")
public class PagoEfectivoProperties {
    /** {@code sandbox} (default), {@code production}, or an API URL. */
    private String environment;
    /** Another base URL (a local sandbox), checked against the environment. */
    private String baseUrl;
    private String accessKey;
    /** Kept by the SDK as a secret: never shown, never logged. */
    private String secretKey;
    /** The service id ({@code idService}). */
    private Integer serviceId;
    private Duration connectTimeout;
    /** Per attempt (default 30 s). */
    private Duration requestTimeout;
    /** The whole call, retries included (default 60 s). */
    private Duration totalTimeout;
    private Integer maxAttempts;
    /** Days after payment a refund is allowed (default 90). */
    private Integer refundWindowDays;
    /** A JSON-lines file for the refund audit trail. */
    private String refundAuditFile;
    /** An HTTPS proxy URL. */
    private String proxy;
    private String noProxy;
    /** An extra CA bundle (PEM). */
    private String caFile;
    /** A token cache shared by the fleet ({@code redis://...}, {@code postgres://...}). */
    private String tokenStore;

    private final Webhook webhook = new Webhook();
    private final Dedup dedup = new Dedup();
    private final Health health = new Health();

    /** {@code pagoefectivo.webhook.*}. */
    public static class Webhook {
        /** The largest notification body accepted (default 64 KiB). */
        private Integer maxBodyBytes;

        public Integer getMaxBodyBytes() { return maxBodyBytes; }
        public void setMaxBodyBytes(Integer maxBodyBytes) { this.maxBodyBytes = maxBodyBytes; }
    }

    /** {@code pagoefectivo.dedup.*}: where processed notifications are remembered. */
    public static class Dedup {
        /** A store several servers share ({@code postgres://...}, {@code redis://...}); in memory when unset. */
        private String url;
        /** How long processed notifications are remembered (default a week). */
        private Duration ttl;
        /** How long a worker holds a notification before another may take it (default 60 s). */
        private Duration lease;

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public Duration getTtl() { return ttl; }
        public void setTtl(Duration ttl) { this.ttl = ttl; }
        public Duration getLease() { return lease; }
        public void setLease(Duration lease) { this.lease = lease; }
    }

    /** {@code pagoefectivo.health.*}. */
    public static class Health {
        /** How long a credentials check is reused before the health indicator authenticates again. */
        private Duration cacheFor = Duration.ofMinutes(1);

        public Duration getCacheFor() { return cacheFor; }
        public void setCacheFor(Duration cacheFor) { this.cacheFor = cacheFor; }
    }

    public String getEnvironment() { return environment; }
    public void setEnvironment(String environment) { this.environment = environment; }
    public String getBaseUrl() { return baseUrl; }
    public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
    public String getAccessKey() { return accessKey; }
    public void setAccessKey(String accessKey) { this.accessKey = accessKey; }
    public String getSecretKey() { return secretKey; }
    public void setSecretKey(String secretKey) { this.secretKey = secretKey; }
    public Integer getServiceId() { return serviceId; }
    public void setServiceId(Integer serviceId) { this.serviceId = serviceId; }
    public Duration getConnectTimeout() { return connectTimeout; }
    public void setConnectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; }
    public Duration getRequestTimeout() { return requestTimeout; }
    public void setRequestTimeout(Duration requestTimeout) { this.requestTimeout = requestTimeout; }
    public Duration getTotalTimeout() { return totalTimeout; }
    public void setTotalTimeout(Duration totalTimeout) { this.totalTimeout = totalTimeout; }
    public Integer getMaxAttempts() { return maxAttempts; }
    public void setMaxAttempts(Integer maxAttempts) { this.maxAttempts = maxAttempts; }
    public Integer getRefundWindowDays() { return refundWindowDays; }
    public void setRefundWindowDays(Integer refundWindowDays) { this.refundWindowDays = refundWindowDays; }
    public String getRefundAuditFile() { return refundAuditFile; }
    public void setRefundAuditFile(String refundAuditFile) { this.refundAuditFile = refundAuditFile; }
    public String getProxy() { return proxy; }
    public void setProxy(String proxy) { this.proxy = proxy; }
    public String getNoProxy() { return noProxy; }
    public void setNoProxy(String noProxy) { this.noProxy = noProxy; }
    public String getCaFile() { return caFile; }
    public void setCaFile(String caFile) { this.caFile = caFile; }
    public String getTokenStore() { return tokenStore; }
    public void setTokenStore(String tokenStore) { this.tokenStore = tokenStore; }
    public Webhook getWebhook() { return webhook; }
    public Dedup getDedup() { return dedup; }
    public Health getHealth() { return health; }

    /** Never the secret key, nor a proxy's password. */
    @Override
    public String toString() {
        return "PagoEfectivoProperties(environment=" + environment + ", baseUrl=" + baseUrl + ", serviceId=" + serviceId + ")";
    }
}
