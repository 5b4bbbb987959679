// A merchant configuration: built in code or from PAGOEFECTIVO_* variables, checked by the core at build().
package pe.pagoefectivo

import pe.pagoefectivo.internal.Calls
import pe.pagoefectivo.internal.Obj
import java.nio.file.Path
import java.time.Duration

/** `SANDBOX` (the default) or `PRODUCTION`; a URL (a local sandbox) goes in [Config.Builder.baseUrl]. */
enum class Environment(override val wire: String) : WireValue {
    SANDBOX("sandbox"),
    PRODUCTION("production"),
}

/**
 * One merchant store's configuration. Several can live in one process, one [PagoEfectivo] client
 * each. The core checks it when it is built (a `ConfigurationException` names the problem), and
 * [toString] shows the [settings]: never the secret key, never a proxy password.
 */
class Config private constructor(
    internal val options: Map<String, Any?>,
    /** What this configuration amounts to, as the core reads it (no secret). */
    val settings: Settings,
) {
    override fun toString(): String = "Config($settings)"

    /** A builder for this configuration: everything set in code. */
    class Builder internal constructor() {
        private val options = LinkedHashMap<String, Any?>()

        private fun set(key: String, value: Any?) = apply { options[key] = value }

        private fun millis(key: String, d: Duration?) = set(key, d?.toMillis())

        /** `SANDBOX` (default) or `PRODUCTION`. */
        fun environment(environment: Environment?) = set("environment", environment?.wire)

        /** `sandbox`, `production` or a URL, as in `PAGOEFECTIVO_ENVIRONMENT`. */
        fun environment(environment: String?) = set("environment", environment)

        /** Another API base URL (a local sandbox); checked against the environment. */
        fun baseUrl(url: String?) = set("base_url", url)

        fun accessKey(key: String?) = set("access_key", key)

        /** Kept by the core as a secret: it appears in no `toString`, exception or log. */
        fun secretKey(key: String?) = set("secret_key", key)

        /** The service id (`idService`, 1 to 4 digits). */
        fun serviceId(id: Int) = set("id_service", id)

        fun connectTimeout(d: Duration?) = millis("connect_timeout_ms", d)

        /** Per attempt (default 30 s). */
        fun requestTimeout(d: Duration?) = millis("request_timeout_ms", d)

        /** The whole call, retries and back-off included (default 60 s). */
        fun totalTimeout(d: Duration?) = millis("total_timeout_ms", d)

        fun maxAttempts(n: Int) = set("max_attempts", n)

        fun initialBackoff(d: Duration?) = millis("initial_backoff_ms", d)

        fun maxBackoff(d: Duration?) = millis("max_backoff_ms", d)

        /** `es-PE` (default) or `en-US`. */
        fun language(language: String?) = set("language", language)

        /** Appended to the SDK's own User-Agent. */
        fun userAgent(agent: String?) = set("user_agent", agent)

        /** CIPs per search request (1 to 100, default 50). */
        fun searchBatchSize(n: Int) = set("search_batch_size", n)

        fun tokenRefreshMargin(d: Duration?) = millis("token_refresh_margin_ms", d)

        /** Days after payment a refund is allowed (default 90). */
        fun refundWindowDays(days: Int) = set("refund_window_days", days)

        fun refundsPath(path: String?) = set("refunds_path", path)

        fun reportsPath(path: String?) = set("reports_path", path)

        /** The largest API answer read (a larger one is an error, not an out-of-memory). */
        fun maxResponseBytes(n: Long) = set("max_response_bytes", n)

        /** An HTTP proxy (`http://user:pass@host:3128`, HTTPS tunnelled through it); `HTTPS_PROXY` is read when not set. */
        fun proxy(url: String?) = set("proxy", url)

        fun noProxy(hosts: String?) = set("no_proxy", hosts)

        /** An extra CA bundle (PEM) to trust, e.g. a corporate proxy's. */
        fun caFile(path: Path?) = set("ca_file", path?.toString())

        /**
         * A token cache several servers share (`redis://host:6379/0`, `postgres://...`): one
         * authorization for the fleet instead of one per process.
         */
        fun tokenStore(url: String?) = set("token_store", url)

        /** Where refund audit records go (JSON lines), one per refund operation. */
        fun refundAuditFile(path: Path?) = set("refund_audit_file", path?.toString())

        /** Checks the configuration (the core's rules) and builds it. */
        fun build(): Config = of(LinkedHashMap(options))
    }

    companion object {
        @JvmStatic
        fun builder(): Builder = Builder()

        /** From `PAGOEFECTIVO_ACCESS_KEY`, `_SECRET_KEY`, `_SERVICE_ID`, `_ENVIRONMENT` and the other variables. */
        @JvmStatic
        fun fromEnv(): Config = fromEnv(System.getenv())

        /** From a map of `PAGOEFECTIVO_*` variables (other names are ignored). */
        @JvmStatic
        fun fromEnv(env: Map<String, String>): Config = of(mapOf("env" to env.filterKeys { it.startsWith("PAGOEFECTIVO_") }))

        /**
         * From an options map with the core's names in any casing (`access_key`, `requestTimeoutMs`,
         * `refund_audit_file`...), as a framework's properties bind them. An unknown name is refused.
         */
        @JvmStatic
        fun fromOptions(options: Map<String, Any?>): Config = of(LinkedHashMap(options))

        private fun of(options: Map<String, Any?>): Config =
            Config(options, Settings.of(Obj(Calls.call("config.from_options", options), "settings")))
    }
}

/** A configuration as it may be shown: every setting but the secrets (the core's `Settings`). */
data class Settings(
    /** `sandbox`, `production` or `custom` (a URL given). */
    val environment: String,
    val baseUrl: String,
    val idService: Long,
    val accessKey: String,
    val connectTimeoutMs: Long,
    val requestTimeoutMs: Long,
    val totalTimeoutMs: Long,
    val maxAttempts: Long,
    val initialBackoffMs: Long,
    val maxBackoffMs: Long,
    val language: String,
    val userAgent: String?,
    val searchBatchSize: Long,
    val tokenRefreshMarginMs: Long,
    val refundsPath: String,
    val refundWindowDays: Long,
    val reportsPath: String,
    val maxResponseBytes: Long,
    /** With any user and password replaced by `[REDACTED]`. */
    val proxy: String?,
    val noProxy: String?,
    val caFile: String?,
    /** The shared token store's URL, with any password replaced by `[REDACTED]`. */
    val tokenStore: String?,
) {
    internal companion object {
        fun of(o: Obj) = Settings(
            environment = o.string("environment"),
            baseUrl = o.string("baseUrl"),
            idService = o.long("idService"),
            accessKey = o.string("accessKey"),
            connectTimeoutMs = o.long("connectTimeoutMs"),
            requestTimeoutMs = o.long("requestTimeoutMs"),
            totalTimeoutMs = o.long("totalTimeoutMs"),
            maxAttempts = o.long("maxAttempts"),
            initialBackoffMs = o.long("initialBackoffMs"),
            maxBackoffMs = o.long("maxBackoffMs"),
            language = o.string("language"),
            userAgent = o.stringOrNull("userAgent"),
            searchBatchSize = o.long("searchBatchSize"),
            tokenRefreshMarginMs = o.long("tokenRefreshMarginMs"),
            refundsPath = o.string("refundsPath"),
            refundWindowDays = o.long("refundWindowDays"),
            reportsPath = o.string("reportsPath"),
            maxResponseBytes = o.long("maxResponseBytes"),
            proxy = o.stringOrNull("proxy"),
            noProxy = o.stringOrNull("noProxy"),
            caFile = o.stringOrNull("caFile"),
            tokenStore = o.stringOrNull("tokenStore"),
        )
    }
}
