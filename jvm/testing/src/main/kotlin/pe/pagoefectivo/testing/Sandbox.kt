// The PagoEfectivo sandbox in-process, for your tests: a real HTTP server on 127.0.0.1 with controls.
package pe.pagoefectivo.testing

import pe.pagoefectivo.Config
import pe.pagoefectivo.PagoEfectivo
import pe.pagoefectivo.internal.Interop
import java.time.OffsetDateTime

/** The sandbox's native methods (only in the test library this jar carries). */
internal object SandboxNative {
    init {
        Interop.load()
    }

    @JvmStatic external fun start(options: ByteArray): ByteArray

    @JvmStatic external fun call(handle: Long, op: String, args: ByteArray): ByteArray

    @JvmStatic external fun free(handle: Long)

    @JvmStatic external fun panic(): ByteArray
}

/** A payment the sandbox recorded. */
data class Payment(val cip: Long, val operationNumber: String, val datePayment: OffsetDateTime)

/** One notification the sandbox sent, with the HTTP status of each attempt (null: no answer). */
data class Delivery(
    val eventType: String,
    val url: String,
    /** The exact bytes sent (UTF-8 JSON) and their `PE-Signature`. */
    val body: String,
    val signature: String,
    val statuses: List<Int?>,
    val errors: List<String?>,
)

/**
 * The emulator on a free loopback port, the same one every language's tests use. Options (any
 * casing; an unknown one is refused): `tokenLifetimeSeconds`, `maxAmount`, `defaultExpirySeconds`,
 * `webhookRetryDelayMs`, `notificationUrl`, `firstCip`, `idService`, `port`. [close] stops it.
 *
 * ```kotlin
 * Sandbox.start().use { sb -> sb.client().use { client -> ... sb.pay(cip.cip) ... } }
 * ```
 */
class Sandbox private constructor(private val handle: Long, info: Map<*, *>, private val clientOptions: Map<String, Any?>) : AutoCloseable {
    @Volatile private var closed = false

    val baseUrl: String = info["baseUrl"] as String
    val idService: Int = (info["idService"] as Long).toInt()

    /** The demo service's keys (sandbox credentials are not secrets); the secret also signs notifications. */
    val accessKey: String = info["accessKey"] as String
    val secretKey: String = info["secretKey"] as String

    /** The options of a client for this sandbox, to extend (`request_timeout_ms`...) before [Config.fromOptions]. */
    fun clientOptions(): Map<String, Any?> = LinkedHashMap(clientOptions)

    /** A configuration for this sandbox. */
    fun config(): Config = Config.fromOptions(clientOptions)

    /** A client for this sandbox (close it too). */
    fun client(): PagoEfectivo = PagoEfectivo(config())

    /** Any control operation by name (`pay`, `fault`, `request_count`...), JSON-like arguments. */
    fun call(op: String, args: Any? = null): Any? {
        check(!closed) { "the sandbox was stopped" }
        return Interop.decode(SandboxNative.call(handle, op, Interop.write(args)))
    }

    /** Pays a pending CIP as a bank would (and sends `cip.paid` when a notification URL is set). */
    fun pay(cip: Long): Payment {
        val p = call("pay", mapOf("cip" to cip)) as Map<*, *>
        return Payment(p["cip"] as Long, p["operationNumber"].toString(), Interop.time(p["datePayment"] as String)!!)
    }

    fun expire(cip: Long) {
        call("expire", mapOf("cip" to cip))
    }

    /** Moves the sandbox clock forward; returns the new time. */
    fun advanceClock(seconds: Long): OffsetDateTime = Interop.time(call("advance_clock", mapOf("seconds" to seconds)) as String)!!

    fun now(): OffsetDateTime = Interop.time(call("now") as String)!!

    /** Injects a fault (`{endpoint, kind, times, status, body, headers...}`, see sandbox/README.md). */
    fun fault(fault: Map<String, Any?>) {
        call("fault", fault)
    }

    fun clearFaults() {
        call("clear_faults")
    }

    /** Requests the sandbox received on `endpoint` (`cips_create`, `cips_search`..., or `any`). */
    @JvmOverloads
    fun requestCount(endpoint: String = "any"): Long = call("request_count", mapOf("endpoint" to endpoint)) as Long

    /** The notifications sent so far, waiting up to [timeoutMs] for at least [count] of them. */
    @JvmOverloads
    fun deliveries(count: Int = 0, timeoutMs: Long = 5000): List<Delivery> =
        (call("deliveries", mapOf("count" to count, "timeoutMs" to timeoutMs)) as List<*>).map {
            val d = it as Map<*, *>
            Delivery(
                d["eventType"] as String, d["url"] as String, d["body"] as String, d["signature"] as String,
                (d["statuses"] as List<*>).map { s -> (s as Long?)?.toInt() }, (d["errors"] as List<*>).map { e -> e as String? },
            )
        }

    /** Where notifications go (null: nowhere). */
    fun setNotificationUrl(url: String?) {
        call("set_notification_url", mapOf("url" to url))
    }

    /** Moves a refund to `processing`, `refunded` or `rejected` (with a `reasonCode`). */
    @JvmOverloads
    fun refund(refundId: String, to: String, reasonCode: String? = null): Any? =
        call("refund", mapOf("refundId" to refundId, "to" to to, "reasonCode" to reasonCode))

    /** The refunds the sandbox holds, as JSON-like maps. */
    fun refunds(): List<*> = call("refunds") as List<*>

    override fun close() {
        if (!closed) {
            closed = true
            SandboxNative.free(handle)
        }
    }

    companion object {
        /**
         * Makes the native library panic inside a call, as a bug would: the SDK's own tests check
         * that it arrives as an `InternalException` and the process goes on.
         */
        @JvmStatic
        fun nativePanicForTests(): Any? = Interop.decode(SandboxNative.panic())

        /** Starts a sandbox (see the class for the options). */
        @JvmStatic
        @JvmOverloads
        fun start(options: Map<String, Any?> = emptyMap()): Sandbox {
            val started = Interop.decode(SandboxNative.start(Interop.write(options))) as Map<*, *>
            @Suppress("UNCHECKED_CAST")
            return Sandbox(started["handle"] as Long, started["info"] as Map<*, *>, started["clientOptions"] as Map<String, Any?>)
        }
    }
}
