// Reads a verified event's flat reply (bindings/jvm/src/event.rs): the core's fields in a fixed order, no JSON.
package pe.pagoefectivo.internal

import pe.pagoefectivo.Currency
import pe.pagoefectivo.Event
import pe.pagoefectivo.RefundStatus
import java.math.BigDecimal
import java.nio.charset.StandardCharsets
import java.time.LocalDateTime
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * A webhook verification's reply: `P` (cip.paid) or `R` (a refund event) with the fields flat, or
 * the JSON reply (`O` another event type, `E` an error) read as every other reply.
 */
internal class FlatEvent private constructor(private val b: ByteArray) {
    private var at = 1

    private fun int(): Int = Native.int(b, at).also { at += 4 }

    private fun long(): Long = Native.long(b, at).also { at += 8 }

    private fun textOrNull(): String? {
        val n = int()
        if (n < 0) return null
        val s = String(b, at, n, StandardCharsets.UTF_8)
        at += n
        return s
    }

    private fun text(): String = textOrNull() ?: throw Errors.internal("a flat event's text field is null")

    private fun amount(): BigDecimal {
        val unscaled = long()
        return BigDecimal.valueOf(unscaled, b[at++].toInt() and 255)
    }

    private fun timeOrNull(): OffsetDateTime? {
        if (b[at++].toInt() == 0) return null
        val seconds = long()
        val nanos = int()
        val offset = offset(int())
        return OffsetDateTime.of(LocalDateTime.ofEpochSecond(seconds, nanos, offset), offset)
    }

    private fun cipPaid(): Event = Event.CipPaid(
        eventType = text(), dedupKey = text(), operationNumber = text(), cip = long(),
        currency = Currency.fromWire(text()), amount = amount(), paymentDate = timeOrNull(), transactionCode = textOrNull(),
    )

    private fun refund(): Event = Event.Refund(
        eventType = text(), dedupKey = text(), operationNumber = text(), refundId = textOrNull(), cip = long(),
        merchantRefundId = textOrNull(), currency = Currency.fromWire(text()), amount = amount(),
        status = RefundStatus.of(text()), reasonCode = textOrNull(),
    )

    companion object {
        private const val CIP_PAID = 'P'.code.toByte()
        private const val REFUND = 'R'.code.toByte()
        private val LIMA: ZoneOffset = ZoneOffset.ofHours(-5)

        private fun offset(seconds: Int): ZoneOffset = if (seconds == -18000) LIMA else ZoneOffset.ofTotalSeconds(seconds)

        /** The event of [reply], verified from [raw] (kept for the deduplicator). */
        fun read(reply: ByteArray, raw: ByteArray): Event {
            val e = when (reply.firstOrNull()) {
                CIP_PAID -> FlatEvent(reply).cipPaid()
                REFUND -> FlatEvent(reply).refund()
                else -> return Event.of(Obj(Calls.decode(reply), "event"), raw.copyOf())
            }
            e.rawBody = raw.copyOf()
            return e
        }
    }
}
