package pe.pagoefectivo.spring;

import java.nio.file.Path;

import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import pe.pagoefectivo.Config;
import pe.pagoefectivo.Deduplicator;
import pe.pagoefectivo.PagoEfectivo;

/**
 * The {@link PagoEfectivo} client from {@code pagoefectivo.*} (or the {@code PAGOEFECTIVO_*} variables), a
 * {@link Deduplicator}, the {@link PagoEfectivoWebhooks} helper and, with Actuator, a health indicator. Each bean
 * backs off when the application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(PagoEfectivo.class)
@EnableConfigurationProperties(PagoEfectivoProperties.class)
public class PagoEfectivoAutoConfiguration {
    /** The configuration the core checks at start-up (a bad key fails the context, naming the problem). */
    @Bean
    @ConditionalOnMissingBean
    public Config pagoEfectivoConfig(PagoEfectivoProperties p) {
        if (p.getAccessKey() == null) {
            return Config.fromEnv();
        }
        Config.Builder b = Config.builder().accessKey(p.getAccessKey()).secretKey(p.getSecretKey());
        if (p.getEnvironment() != null) b.environment(p.getEnvironment());
        if (p.getBaseUrl() != null) b.baseUrl(p.getBaseUrl());
        if (p.getServiceId() != null) b.serviceId(p.getServiceId());
        if (p.getConnectTimeout() != null) b.connectTimeout(p.getConnectTimeout());
        if (p.getRequestTimeout() != null) b.requestTimeout(p.getRequestTimeout());
        if (p.getTotalTimeout() != null) b.totalTimeout(p.getTotalTimeout());
        if (p.getMaxAttempts() != null) b.maxAttempts(p.getMaxAttempts());
        if (p.getRefundWindowDays() != null) b.refundWindowDays(p.getRefundWindowDays());
        if (p.getRefundAuditFile() != null) b.refundAuditFile(Path.of(p.getRefundAuditFile()));
        if (p.getProxy() != null) b.proxy(p.getProxy());
        if (p.getNoProxy() != null) b.noProxy(p.getNoProxy());
        if (p.getCaFile() != null) b.caFile(Path.of(p.getCaFile()));
        if (p.getTokenStore() != null) b.tokenStore(p.getTokenStore());
        return b.build();
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public PagoEfectivo pagoEfectivo(Config config) {
        return new PagoEfectivo(config);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Deduplicator pagoEfectivoDeduplicator(PagoEfectivoProperties p) {
        PagoEfectivoProperties.Dedup d = p.getDedup();
        return Deduplicator.create(d.getUrl(), d.getTtl(), d.getLease());
    }

    @Bean
    @ConditionalOnMissingBean
    public PagoEfectivoWebhooks pagoEfectivoWebhooks(PagoEfectivo client, Deduplicator deduplicator, PagoEfectivoProperties p) {
        return new PagoEfectivoWebhooks(client, deduplicator, p.getWebhook().getMaxBodyBytes());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    @ConditionalOnEnabledHealthIndicator("pagoefectivo")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "pagoEfectivoHealthIndicator")
        PagoEfectivoHealthIndicator pagoEfectivoHealthIndicator(PagoEfectivo client, PagoEfectivoProperties p) {
            return new PagoEfectivoHealthIndicator(client, p.getHealth().getCacheFor());
        }
    }
}
