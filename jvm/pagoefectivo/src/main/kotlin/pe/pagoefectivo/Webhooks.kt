// Payment notifications: PE-Signature verified over the raw bytes, then a typed event.
package pe.pagoefectivo

import pe.pagoefectivo.internal.Calls
import pe.pagoefectivo.internal.Errors
import pe.pagoefectivo.internal.FlatEvent
import pe.pagoefectivo.internal.Handle
import pe.pagoefectivo.internal.JsonWriter
import pe.pagoefectivo.internal.Native
import pe.pagoefectivo.internal.Obj
import java.math.BigDecimal
import java.nio.charset.StandardCharsets
import java.time.OffsetDateTime

/**
 * A verified notification. Every kind has [eventType] and [dedupKey] (`eventType:operationNumber:cip`,
 * the identity of a delivery, as the core computes it): `when (event) { is Event.CipPaid -> ...;
 * is Event.Refund -> ...; is Event.Other -> ... }`.
 */
sealed class Event {
    abstract val eventType: String
    abstract val dedupKey: String
    abstract val operationNumber: String?
    abstract val cip: Long?

    /** The raw body this event was verified from: the deduplicator hands it back to the core. */
    internal var rawBody: ByteArray = ByteArray(0)

    /** `cip.paid`: the money is confirmed. */
    data class CipPaid(
        override val eventType: String,
        override val dedupKey: String,
        override val operationNumber: String,
        override val cip: Long,
        val currency: Currency,
        val amount: BigDecimal,
        val paymentDate: OffsetDateTime?,
        val transactionCode: String?,
    ) : Event()

    /** A refund changed state (`refund.processing`, `refund.refunded`, `refund.rejected`, `cip.refunded`). */
    data class Refund(
        override val eventType: String,
        override val dedupKey: String,
        override val operationNumber: String,
        val refundId: String?,
        override val cip: Long,
        val merchantRefundId: String?,
        val currency: Currency,
        val amount: BigDecimal,
        val status: RefundStatus,
        val reasonCode: String?,
    ) : Event()

    /** Any other event type (`cip.expired`, future ones), with the whole body parsed. */
    data class Other(
        override val eventType: String,
        override val dedupKey: String,
        override val operationNumber: String?,
        override val cip: Long?,
        val body: Map<String, Any?>,
    ) : Event()

    internal companion object {
        fun of(o: Obj, raw: ByteArray): Event {
            val type = o.string("eventType")
            val key = o.string("dedupKey")
            val e = when (o.string("type")) {
                "cip_paid" -> CipPaid(
                    type, key, o.string("operationNumber"), o.long("cip"), Currency.fromWire(o.string("currency")),
                    o.decimal("amount"), o.timeOrNull("paymentDate"), o.stringOrNull("transactionCode"),
                )
                "refund" -> Refund(
                    type, key, o.string("operationNumber"), o.stringOrNull("refundId"), o.long("cip"),
                    o.stringOrNull("merchantRefundId"), Currency.fromWire(o.string("currency")), o.decimal("amount"),
                    RefundStatus.of(o.string("status")), o.stringOrNull("reasonCode"),
                )
                else -> Other(type, key, o.stringOrNull("operationNumber"), o.longOrNull("cip"), o.obj("body").map)
            }
            e.rawBody = raw
            return e
        }
    }
}

/**
 * Verifies notifications: pass the **raw request bytes** exactly as received (Spring:
 * `@RequestBody byte[]`) and the `PE-Signature` header. A refusal is a
 * [SignatureVerificationException] whose `reason` and `hint` name the likely mistake (a body
 * re-serialized after parsing, a padded secret, the other environment's key).
 */
object Webhooks {
    /** The header PagoEfectivo signs notifications with. */
    const val SIGNATURE_HEADER = "PE-Signature"

    /** Verifies [rawBody] against [signature] with [secret] and parses it (bodies over 64 KiB are refused). */
    @JvmStatic
    fun constructEvent(rawBody: ByteArray?, signature: String?, secret: String?): Event = constructEvent(rawBody, signature, secret, -1)

    /** The same with another body limit (`maxBodyBytes`; below 0: the core's default). */
    @JvmStatic
    fun constructEvent(rawBody: ByteArray?, signature: String?, secret: String?, maxBodyBytes: Int): Event {
        if (rawBody == null || secret == null) {
            // Let the core say what is missing, as every language does.
            val args = mapOf("body" to rawBody?.let { String(it, StandardCharsets.UTF_8) }, "signature" to signature, "secret" to secret)
            Calls.call("webhook.verify", args)
            throw pe.pagoefectivo.internal.Errors.internal("webhook.verify accepted a missing body or secret")
        }
        val sig = signature?.let { JsonWriter.text(it, "signature") }
        val reply = Native.webhookVerify(rawBody, sig, JsonWriter.text(secret, "secret"), maxBodyBytes)
        return FlatEvent.read(reply, rawBody)
    }

    /** The `PE-Signature` value for [body] (to test your own endpoint). */
    @JvmStatic
    fun sign(body: ByteArray, secret: String): String =
        Calls.call("webhook.sign", mapOf("body" to String(body, StandardCharsets.UTF_8), "secret" to secret)) as String

    /**
     * The `PE-Signature` value among request headers, the name compared case-insensitively
     * (`pe-signature`, `PE-SIGNATURE`...), or null.
     */
    @JvmStatic
    fun findSignature(headers: Map<String, *>): String? {
        val flat = headers.mapValues { (_, v) -> if (v is Iterable<*>) v.firstOrNull()?.toString() else v?.toString() }
        return Calls.call("webhook.find_signature", mapOf("headers" to flat)) as String?
    }
}

/** What [Deduplicator.begin] found. */
enum class Begin(override val wire: String) : WireValue {
    /** The lease is yours: process the event, then `complete` (or `fail`). */
    STARTED("started"),

    /** Already processed: answer 200 and do nothing. */
    DUPLICATE("duplicate"),

    /** Another worker holds a live lease: answer non-200 so PagoEfectivo retries later. */
    IN_PROGRESS("in_progress"),

    /** The key was seen with a different payload: a forged or changed notification. */
    CONFLICT("conflict"),
}

/**
 * "Was this notification already processed?" PagoEfectivo can deliver one twice. In memory for
 * one server ([inMemory]), or a store several servers share ([fromUrl]: `postgres://...`,
 * `redis://...`), the core's in both cases. Thread-safe; [close] frees it.
 */
class Deduplicator private constructor(options: Map<String, Any?>) : AutoCloseable {
    private val handle = Handle((Obj(Calls.decode(Native.dedupNew(JsonWriter.write(options))), "dedup").long("handle")), Native::dedupFree)

    /** The store's kind only (`memory`, `postgres`, `redis`): a store URL may carry a password. */
    private val store: String = (options["url"] as? String)?.let { scheme.find(it)?.groupValues?.get(1)?.lowercase() } ?: "memory"

    private fun call(op: String, event: Event): Any? = Calls.decode(handle.use { Native.dedupCall(it, op, event.rawBody) })

    /** Takes the lease for [event]: see [Begin]. */
    fun begin(event: Event): Begin {
        // One call: each `begin` may take the lease, so the answer is read once and matched after.
        val answer = call("begin", event)
        return Begin.entries.firstOrNull { it.wire == answer } ?: throw Errors.internal("begin answered $answer")
    }

    /** Processing succeeded: redeliveries are duplicates from now on. */
    fun complete(event: Event) {
        call("complete", event)
    }

    /** Processing failed: release the lease so the redelivery is processed. */
    fun fail(event: Event) {
        call("fail", event)
    }

    /** `true` the first time [event] is seen (marked done at once), `false` for a redelivery. */
    fun firstDelivery(event: Event): Boolean = call("first_delivery", event) as Boolean

    /** Forgets [event] (after [firstDelivery], when processing failed), so its redelivery is processed. */
    fun forget(event: Event) {
        call("forget", event)
    }

    override fun close() = handle.close()

    /** `Deduplicator(store=postgres)`: never the URL, which may carry the store's password. */
    override fun toString(): String = "Deduplicator(store=$store)"

    companion object {
        private val scheme = Regex("^([A-Za-z][A-Za-z0-9+.-]*):")

        /** In this process only: one server. */
        @JvmStatic
        fun inMemory(): Deduplicator = Deduplicator(emptyMap())

        /** The store a URL names: `memory:`, `postgres://user:pass@host/db`, `redis://host:6379/0`. */
        @JvmStatic
        fun fromUrl(url: String): Deduplicator = Deduplicator(mapOf("url" to url))

        /** With another retention ([ttl], default a week) or lease ([lease], default 60 s). */
        @JvmStatic
        @JvmOverloads
        fun create(url: String? = null, ttl: java.time.Duration? = null, lease: java.time.Duration? = null): Deduplicator =
            Deduplicator(mapOf("url" to url, "ttlMs" to ttl?.toMillis(), "leaseMs" to lease?.toMillis()))

        /**
         * From the options object every language takes: `url`, `ttlMs`, `leaseMs` (milliseconds, or a
         * `java.time.Duration`). An unknown name or a bad value is the core's [ValidationException] naming it.
         */
        @JvmStatic
        fun fromOptions(options: Map<String, Any?>): Deduplicator =
            Deduplicator(options.mapValues { (_, v) -> if (v is java.time.Duration) v.toMillis() else v })
    }
}
