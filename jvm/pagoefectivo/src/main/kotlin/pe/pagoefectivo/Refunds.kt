// Refunds: the request (destination, beneficiary), its results, and client.refunds().
package pe.pagoefectivo

import pe.pagoefectivo.internal.Calls
import pe.pagoefectivo.internal.ClientCalls
import pe.pagoefectivo.internal.Obj
import java.math.BigDecimal
import java.time.OffsetDateTime
import java.util.concurrent.CompletableFuture

/** Where the money goes: a bank account by its 20-digit CCI, or an e-wallet by its mobile number. */
sealed class RefundDestination {
    internal abstract fun toMap(): Map<String, Any?>

    data class BankAccount(val cci: String?) : RefundDestination() {
        override fun toMap() = mapOf("type" to "bank_account", "cci" to cci)
    }

    data class Ewallet(val phone: String?) : RefundDestination() {
        override fun toMap() = mapOf("type" to "ewallet", "phone" to phone)
    }

    companion object {
        @JvmStatic fun bankAccount(cci: String?): RefundDestination = BankAccount(cci)
        @JvmStatic fun ewallet(phone: String?): RefundDestination = Ewallet(phone)
    }
}

/** The person paid back. */
data class Beneficiary(val documentType: DocumentType?, val documentNumber: String?, val name: String?) {
    internal fun toMap() = mapOf("documentType" to documentType, "documentNumber" to documentNumber, "name" to name)
}

/**
 * A refund request. [merchantRefundId] is your reference for this refund: the idempotency key
 * comes from it, so retrying with the same reference can never refund twice. The core checks
 * every field first (all problems at once), then the refund rules (paid, currency, window, amount).
 */
data class CreateRefundRequest @JvmOverloads constructor(
    val cip: Long?,
    val amount: BigDecimal?,
    val currency: Currency?,
    val reason: String?,
    val merchantRefundId: String?,
    val destination: RefundDestination?,
    val beneficiary: Beneficiary?,
    /** Overrides the configured refund window (e.g. 7 days for some goods). */
    val refundWindowDays: Int? = null,
    /** Who asked (an operator id), for the audit trail only; not sent. */
    val requestedBy: String? = null,
) {
    internal fun toMap(): Map<String, Any?> = linkedMapOf<String, Any?>(
        "cip" to cip, "amount" to amount, "currency" to currency, "reason" to reason,
        "merchantRefundId" to merchantRefundId, "destination" to destination?.toMap(),
        "beneficiary" to beneficiary?.toMap(), "refundWindowDays" to refundWindowDays, "requestedBy" to requestedBy,
    ).filterValues { it != null }

    /** Checks the request's format as `create` would, without calling the API. */
    fun validate() {
        Calls.call("refund.validate", toMap())
    }

    /** For Java: every field by name. */
    class Builder {
        private var cip: Long? = null
        private var amount: BigDecimal? = null
        private var currency: Currency? = null
        private var reason: String? = null
        private var merchantRefundId: String? = null
        private var destination: RefundDestination? = null
        private var beneficiary: Beneficiary? = null
        private var refundWindowDays: Int? = null
        private var requestedBy: String? = null

        fun cip(v: Long?) = apply { cip = v }
        fun amount(v: BigDecimal?) = apply { amount = v }
        fun currency(v: Currency?) = apply { currency = v }
        fun reason(v: String?) = apply { reason = v }
        fun merchantRefundId(v: String?) = apply { merchantRefundId = v }
        fun destination(v: RefundDestination?) = apply { destination = v }
        fun beneficiary(v: Beneficiary?) = apply { beneficiary = v }
        fun refundWindowDays(v: Int?) = apply { refundWindowDays = v }
        fun requestedBy(v: String?) = apply { requestedBy = v }

        fun build() = CreateRefundRequest(cip, amount, currency, reason, merchantRefundId, destination, beneficiary, refundWindowDays, requestedBy)
    }

    companion object {
        @JvmStatic fun builder() = Builder()

        /** [validate] for a request as a map (camelCase or snake_case names). */
        @JvmStatic
        fun validate(request: Map<String, Any?>) {
            Calls.call("refund.validate", request)
        }
    }
}

/** A refund as PagoEfectivo (the SDK's extension) reports it. */
data class Refund(
    val refundId: String,
    val cip: Long,
    val merchantRefundId: String,
    val amount: BigDecimal,
    val currency: Currency,
    val reason: String,
    val status: RefundStatus,
    /** Why it was rejected (a bank's or PagoEfectivo's code). */
    val reasonCode: String?,
    val dateCreation: OffsetDateTime?,
    val dateUpdate: OffsetDateTime?,
) {
    internal companion object {
        fun of(o: Obj) = Refund(
            o.string("refundId"), o.long("cip"), o.string("merchantRefundId"), o.decimal("amount"),
            Currency.fromWire(o.string("currency")), o.string("reason"), RefundStatus.of(o.string("status")),
            o.stringOrNull("reasonCode"), o.timeOrNull("dateCreation"), o.timeOrNull("dateUpdate"),
        )

        fun list(v: Any?): List<Refund> = (v as List<*>).map { of(Obj(it, "refund")) }
    }
}

/** What can still be refunded on a CIP, and until when. */
data class RefundEligibility(
    val cip: Long,
    val currency: Currency,
    val paidAmount: BigDecimal,
    /** Sum of refunds not rejected. */
    val refundedAmount: BigDecimal,
    val refundableAmount: BigDecimal,
    val paymentDate: OffsetDateTime?,
    val deadline: OffsetDateTime?,
    /** Seconds until the deadline (0 when past). */
    val secondsLeft: Long,
    /** Null when a refund is possible; else `cip_not_paid`, `window_expired` or `nothing_left`. */
    val blockedBy: String?,
) {
    internal companion object {
        fun of(o: Obj) = RefundEligibility(
            o.long("cip"), Currency.fromWire(o.string("currency")), o.decimal("paidAmount"), o.decimal("refundedAmount"),
            o.decimal("refundableAmount"), o.timeOrNull("paymentDate"), o.timeOrNull("deadline"), o.long("secondsLeft"),
            o.stringOrNull("blockedBy"),
        )
    }
}

/** `client.refunds()`: request, follow and check refunds (blocking and `...Async`). */
class Refunds internal constructor(private val calls: ClientCalls) {
    /** Checks the format, then the rules with the API, then requests the refund (idempotent by reference). */
    fun create(request: CreateRefundRequest): Refund = Refund.of(Obj(calls.call("refunds.create", request.toMap()), "refund"))

    /** The same from a map of field names to values (camelCase or snake_case). */
    fun create(request: Map<String, Any?>): Refund = Refund.of(Obj(calls.call("refunds.create", request), "refund"))

    fun createAsync(request: CreateRefundRequest): CompletableFuture<Refund> =
        calls.async("refunds.create", request.toMap()) { Refund.of(Obj(it, "refund")) }

    fun get(refundId: String?): Refund = Refund.of(Obj(calls.call("refunds.get", mapOf("refundId" to refundId)), "refund"))

    fun getAsync(refundId: String?): CompletableFuture<Refund> =
        calls.async("refunds.get", mapOf("refundId" to refundId)) { Refund.of(Obj(it, "refund")) }

    /** A CIP's refunds. */
    fun list(cip: Long): List<Refund> = Refund.list(calls.call("refunds.list", mapOf("cip" to cip)))

    fun listAsync(cip: Long): CompletableFuture<List<Refund>> = calls.async("refunds.list", mapOf("cip" to cip)) { Refund.list(it) }

    /** How much of a paid CIP can still be refunded, and for how long. */
    @JvmOverloads
    fun eligibility(cip: Long, refundWindowDays: Int? = null): RefundEligibility =
        RefundEligibility.of(Obj(calls.call("refunds.eligibility", mapOf("cip" to cip, "refundWindowDays" to refundWindowDays)), "eligibility"))

    @JvmOverloads
    fun eligibilityAsync(cip: Long, refundWindowDays: Int? = null): CompletableFuture<RefundEligibility> =
        calls.async("refunds.eligibility", mapOf("cip" to cip, "refundWindowDays" to refundWindowDays)) {
            RefundEligibility.of(Obj(it, "eligibility"))
        }

    /** Polls until refunded or rejected. */
    @JvmOverloads
    fun waitForFinalStatus(refundId: String?, options: WaitOptions = WaitOptions.DEFAULT): Refund =
        Refund.of(Obj(calls.call("refunds.wait_for_final_status", options.into(mutableMapOf("refundId" to refundId))), "refund"))

    @JvmOverloads
    fun waitForFinalStatusAsync(refundId: String?, options: WaitOptions = WaitOptions.DEFAULT): CompletableFuture<Refund> =
        calls.async("refunds.wait_for_final_status", options.into(mutableMapOf("refundId" to refundId))) { Refund.of(Obj(it, "refund")) }
}
