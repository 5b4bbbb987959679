// The small value types of the API: currencies, document types, statuses, written as their wire names.
package pe.pagoefectivo

import pe.pagoefectivo.internal.Calls

/** A value with a wire name: how it is written in requests and read from answers. */
interface WireValue {
    val wire: String
}

/** The currencies PagoEfectivo accepts. */
enum class Currency : WireValue {
    PEN,
    USD;

    override val wire: String get() = name

    companion object {
        @JvmStatic
        fun fromWire(s: String): Currency = entries.firstOrNull { it.name == s } ?: throw drift("currency", s)
    }
}

/** Identity document types PagoEfectivo accepts. */
enum class DocumentType : WireValue {
    DNI,
    PAR,
    PAS,
    LMI,
    NAN;

    override val wire: String get() = name

    companion object {
        @JvmStatic
        fun fromWire(s: String): DocumentType = entries.firstOrNull { it.name == s } ?: throw drift("document type", s)
    }
}

/** Where a CIP stands: `UNKNOWN` for a code this SDK does not know (`CipInfo.statusCode` keeps it). */
enum class CipStatus(override val wire: String) : WireValue {
    GENERATED("generated"),
    PAID("paid"),
    EXPIRED("expired"),
    DELETED("deleted"),
    UNKNOWN("unknown");

    companion object {
        @JvmStatic
        fun fromWire(s: String): CipStatus = entries.firstOrNull { it.wire == s } ?: UNKNOWN

        /** The status of PagoEfectivo's numeric code (`23` is [PAID], legacy `593` too), as the core maps it. */
        @JvmStatic
        fun fromCode(code: Long): CipStatus = fromWire(Calls.callRaw("cip.status", code.toString().toByteArray()) as String)
    }
}

/**
 * A refund's status: `requested` → `processing` → `refunded` | `rejected`. A status this SDK does
 * not know is kept as sent ([value]), so it is a class with constants rather than an enum.
 */
class RefundStatus private constructor(override val wire: String) : WireValue {
    val value: String get() = wire

    override fun equals(other: Any?): Boolean = other is RefundStatus && other.wire == wire

    override fun hashCode(): Int = wire.hashCode()

    override fun toString(): String = wire

    companion object {
        @JvmField val REQUESTED = RefundStatus("requested")
        @JvmField val PROCESSING = RefundStatus("processing")
        @JvmField val REFUNDED = RefundStatus("refunded")
        @JvmField val REJECTED = RefundStatus("rejected")

        @JvmStatic
        fun of(s: String): RefundStatus = when (s) {
            "requested" -> REQUESTED
            "processing" -> PROCESSING
            "refunded" -> REFUNDED
            "rejected" -> REJECTED
            else -> RefundStatus(s)
        }
    }
}

internal fun drift(what: String, s: String): PagoEfectivoException =
    pe.pagoefectivo.internal.Errors.internal("the core answered an unknown $what ${s.take(40)}")
