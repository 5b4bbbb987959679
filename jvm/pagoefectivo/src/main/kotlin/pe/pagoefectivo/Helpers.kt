// Client-less helpers of the core: Lima time, CCI check digits, the auth hash, and every operation by name.
package pe.pagoefectivo

import pe.pagoefectivo.internal.Calls
import pe.pagoefectivo.internal.Times
import java.time.OffsetDateTime
import java.time.temporal.TemporalAccessor

/** Lima time (UTC-5), as the core converts it: every time the SDK returns is already in it. */
object LimaTime {
    /**
     * Any time text the API or a caller writes (`2026-11-20T18:00:00-05:00`, `...Z`, `-0500`, a
     * space for the `T`) in Lima time; a text without an offset is refused (`ValidationException`).
     */
    @JvmStatic
    fun parse(text: String?): OffsetDateTime = of(Calls.call("time.parse", mapOf("time" to text)) as String)

    /**
     * [time] in Lima time: an `OffsetDateTime`, `ZonedDateTime` or `Instant`. A `LocalDateTime`
     * is refused: without an offset the instant is ambiguous.
     */
    @JvmStatic
    fun of(time: TemporalAccessor?): OffsetDateTime = of(Calls.call("time.parse", mapOf("time" to time)) as String)

    private fun of(wire: String): OffsetDateTime = Times.parse(wire) ?: throw drift("time", wire)
}

/** The CCI (a Peruvian interbank account code: 20 digits, two check digits) of bank refunds. */
object Cci {
    /** Throws `ValidationException` (field `cci`) unless [cci] is 20 digits with valid check digits. */
    @JvmStatic
    fun validate(cci: String?) {
        Calls.call("payee.cci", mapOf("cci" to cci))
    }

    /** The full CCI for its first 18 digits (bank, branch, account). */
    @JvmStatic
    fun withCheckDigits(first18: String?): String = Calls.call("payee.cci_with_check_digits", mapOf("cci" to first18)) as String
}

/** The wire protocol's authentication hash, for checking a hand-written client against the SDK. */
object Auth {
    /** `sha256_hex(idService.accessKey.secretKey.dateRequest)`. */
    @JvmStatic
    fun hashString(idService: Long, accessKey: String?, secretKey: String?, dateRequest: String?): String =
        Calls.call(
            "auth.hash_string",
            mapOf("idService" to idService, "accessKey" to accessKey, "secretKey" to secretKey, "dateRequest" to dateRequest),
        ) as String
}

/**
 * Every client-less operation of the core by name (`errors.table`, `reconcile.holidays`...), with
 * arguments as maps of native values and answers as the core's JSON read into maps, lists, strings,
 * `Long`s, `BigDecimal`s and booleans. The typed API covers them all; this reaches the same core
 * rules from dynamic code (`PagoEfectivo.call` does the same for client operations).
 */
object Operations {
    @JvmStatic
    fun call(op: String, args: Any?): Any? = Calls.call(op, args)

    /** The core's error taxonomy: `{families: [{name, code}], codes: [{code, family, root, retryable, http}]}`. */
    @JvmStatic
    fun errorTable(): Map<*, *> = Calls.call("errors.table", null) as Map<*, *>
}
