// CIPs: the creation request, its results, and client.cips() (blocking, CompletableFuture).
package pe.pagoefectivo

import pe.pagoefectivo.internal.Calls
import pe.pagoefectivo.internal.ClientCalls
import pe.pagoefectivo.internal.Obj
import java.math.BigDecimal
import java.time.Duration
import java.time.OffsetDateTime
import java.util.concurrent.CompletableFuture

/**
 * A CIP creation request. Required: [currency], [amount], [transactionCode] (your order id) and
 * [userEmail]. Nothing is checked here: the core checks every field with the API's limits and
 * reports every problem at once (`ValidationException.fieldErrors`).
 *
 * Kotlin: `CreateCipRequest(Currency.PEN, BigDecimal("149.90"), "ORD-1001", "ana@example.pe", dateExpiry = ...)`;
 * Java: `CreateCipRequest.builder().currency(Currency.PEN).amount(new BigDecimal("149.90"))...build()`.
 */
class CreateCipRequest private constructor(b: Builder) {
    val currency: Currency? = b.currency
    val amount: BigDecimal? = b.amount
    val transactionCode: String? = b.transactionCode
    val userEmail: String? = b.userEmail

    /** Absent: the merchant's agreed default applies. Any offset; sent as Lima time. */
    val dateExpiry: OffsetDateTime? = b.dateExpiry
    val paymentConcept: String? = b.paymentConcept
    val additionalData: String? = b.additionalData
    val adminEmail: String? = b.adminEmail
    val userId: String? = b.userId
    val userName: String? = b.userName
    val userLastName: String? = b.userLastName
    val userUbigeo: String? = b.userUbigeo
    val userCountry: String? = b.userCountry
    val userDocumentType: DocumentType? = b.userDocumentType
    val userDocumentNumber: String? = b.userDocumentNumber
    val userPhone: String? = b.userPhone
    val userCodeCountry: String? = b.userCodeCountry

    constructor(
        currency: Currency,
        amount: BigDecimal,
        transactionCode: String,
        userEmail: String,
        dateExpiry: OffsetDateTime? = null,
        paymentConcept: String? = null,
        additionalData: String? = null,
        adminEmail: String? = null,
        userId: String? = null,
        userName: String? = null,
        userLastName: String? = null,
        userUbigeo: String? = null,
        userCountry: String? = null,
        userDocumentType: DocumentType? = null,
        userDocumentNumber: String? = null,
        userPhone: String? = null,
        userCodeCountry: String? = null,
    ) : this(
        Builder().currency(currency).amount(amount).transactionCode(transactionCode).userEmail(userEmail)
            .dateExpiry(dateExpiry).paymentConcept(paymentConcept).additionalData(additionalData).adminEmail(adminEmail)
            .userId(userId).userName(userName).userLastName(userLastName).userUbigeo(userUbigeo).userCountry(userCountry)
            .userDocumentType(userDocumentType).userDocumentNumber(userDocumentNumber).userPhone(userPhone)
            .userCodeCountry(userCodeCountry),
    )

    /** The request as the core reads it: the spec's camelCase names, absent fields left out. */
    internal fun toMap(): Map<String, Any?> = linkedMapOf<String, Any?>(
        "currency" to currency, "amount" to amount, "transactionCode" to transactionCode, "userEmail" to userEmail,
        "dateExpiry" to dateExpiry, "paymentConcept" to paymentConcept, "additionalData" to additionalData,
        "adminEmail" to adminEmail, "userId" to userId, "userName" to userName, "userLastName" to userLastName,
        "userUbigeo" to userUbigeo, "userCountry" to userCountry, "userDocumentType" to userDocumentType,
        "userDocumentNumber" to userDocumentNumber, "userPhone" to userPhone, "userCodeCountry" to userCodeCountry,
    ).filterValues { it != null }

    /** Checks every field as `create` would, without sending anything (`ValidationException` lists every problem). */
    fun validate() {
        Calls.call("cip.validate_create", toMap())
    }

    override fun equals(other: Any?): Boolean = other is CreateCipRequest && other.toMap() == toMap()

    override fun hashCode(): Int = toMap().hashCode()

    override fun toString(): String = "CreateCipRequest(" + toMap().entries.joinToString(", ") { "${it.key}=${it.value}" } + ")"

    /** Builds a request field by field (nothing is checked before the core sees it). */
    class Builder {
        internal var currency: Currency? = null
        internal var amount: BigDecimal? = null
        internal var transactionCode: String? = null
        internal var userEmail: String? = null
        internal var dateExpiry: OffsetDateTime? = null
        internal var paymentConcept: String? = null
        internal var additionalData: String? = null
        internal var adminEmail: String? = null
        internal var userId: String? = null
        internal var userName: String? = null
        internal var userLastName: String? = null
        internal var userUbigeo: String? = null
        internal var userCountry: String? = null
        internal var userDocumentType: DocumentType? = null
        internal var userDocumentNumber: String? = null
        internal var userPhone: String? = null
        internal var userCodeCountry: String? = null

        fun currency(v: Currency?) = apply { currency = v }

        /** Money is a `BigDecimal` with at most two decimals: never a binary float. */
        fun amount(v: BigDecimal?) = apply { amount = v }

        fun transactionCode(v: String?) = apply { transactionCode = v }
        fun userEmail(v: String?) = apply { userEmail = v }
        fun dateExpiry(v: OffsetDateTime?) = apply { dateExpiry = v }

        /** The expiry as a duration from now (typically 24 to 72 hours). */
        fun expiresIn(d: Duration) = apply { dateExpiry = OffsetDateTime.now().plus(d) }

        fun paymentConcept(v: String?) = apply { paymentConcept = v }
        fun additionalData(v: String?) = apply { additionalData = v }
        fun adminEmail(v: String?) = apply { adminEmail = v }
        fun userId(v: String?) = apply { userId = v }
        fun userName(v: String?) = apply { userName = v }
        fun userLastName(v: String?) = apply { userLastName = v }
        fun userUbigeo(v: String?) = apply { userUbigeo = v }
        fun userCountry(v: String?) = apply { userCountry = v }
        fun userDocumentType(v: DocumentType?) = apply { userDocumentType = v }
        fun userDocumentNumber(v: String?) = apply { userDocumentNumber = v }
        fun userPhone(v: String?) = apply { userPhone = v }
        fun userCodeCountry(v: String?) = apply { userCodeCountry = v }

        fun build(): CreateCipRequest = CreateCipRequest(this)
    }

    companion object {
        @JvmStatic
        fun builder(): Builder = Builder()

        /** [validate] for a request as a map of field names to values (camelCase or snake_case). */
        @JvmStatic
        fun validate(request: Map<String, Any?>) {
            Calls.call("cip.validate_create", request)
        }
    }
}

/** A newly created CIP: the code to show the shopper and its voucher page. */
data class Cip(
    val cip: Long,
    val currency: Currency,
    val amount: BigDecimal,
    val transactionCode: String,
    val dateExpiry: OffsetDateTime,
    val cipUrl: String,
) {
    internal companion object {
        fun of(o: Obj) = Cip(
            o.long("cip"), Currency.fromWire(o.string("currency")), o.decimal("amount"), o.string("transactionCode"),
            o.time("dateExpiry"), o.string("cipUrl"),
        )
    }
}

/** A CIP as `cips/search` reports it. `datePayment` is null while unpaid. */
data class CipInfo(
    val cip: Long,
    val transactionCode: String,
    val amount: BigDecimal,
    val currency: Currency,
    val status: CipStatus,
    /** PagoEfectivo's numeric status (kept for an [CipStatus.UNKNOWN] one). */
    val statusCode: Long,
    val statusName: String,
    val dateCreation: OffsetDateTime?,
    val dateExpiry: OffsetDateTime?,
    val datePayment: OffsetDateTime?,
    val dateRemoval: OffsetDateTime?,
    /** The voucher page's GUID. */
    val token: String?,
) {
    internal companion object {
        fun of(o: Obj) = CipInfo(
            o.long("cip"), o.string("transactionCode"), o.decimal("amount"), Currency.fromWire(o.string("currency")),
            CipStatus.fromWire(o.string("status")), o.long("statusCode"), o.string("statusName"),
            o.timeOrNull("dateCreation"), o.timeOrNull("dateExpiry"), o.timeOrNull("datePayment"),
            o.timeOrNull("dateRemoval"), o.stringOrNull("token"),
        )

        fun list(v: Any?): List<CipInfo> = (v as List<*>).map { of(Obj(it, "cip")) }
    }
}

/** How `waitForFinalStatus` polls: absent values take the core's defaults (2 s doubling to 60 s, 10 minutes in all). */
data class WaitOptions @JvmOverloads constructor(
    val timeout: Duration? = null,
    val initialInterval: Duration? = null,
    val maxInterval: Duration? = null,
) {
    internal fun into(args: MutableMap<String, Any?>): MutableMap<String, Any?> {
        timeout?.let { args["timeoutMs"] = it.toMillis() }
        initialInterval?.let { args["initialIntervalMs"] = it.toMillis() }
        maxInterval?.let { args["maxIntervalMs"] = it.toMillis() }
        return args
    }

    companion object {
        @JvmField val DEFAULT = WaitOptions()

        @JvmStatic
        fun timeout(d: Duration) = WaitOptions(timeout = d)
    }
}

/**
 * `client.cips()`: create, look up, extend, cancel and wait for CIPs. Each call has a blocking
 * form and an `...Async` one (a `CompletableFuture` driven by the core's runtime; its stages run
 * on the client's executor). CIP numbers are `Long`; a digit string (a path parameter) works too.
 */
class Cips internal constructor(private val calls: ClientCalls) {
    /** Validates every field (all problems at once), then creates the CIP; never twice for one call. */
    fun create(request: CreateCipRequest): Cip = Cip.of(Obj(calls.call("cips.create", request.toMap()), "cip"))

    /**
     * The same from a map of field names to values (a form or JSON body as bound): names in
     * camelCase or snake_case; the core refuses an unknown name, a float amount, a time without offset.
     */
    fun create(request: Map<String, Any?>): Cip = Cip.of(Obj(calls.call("cips.create", request), "cip"))

    fun createAsync(request: CreateCipRequest): CompletableFuture<Cip> =
        calls.async("cips.create", request.toMap()) { Cip.of(Obj(it, "cip")) }

    fun createAsync(request: Map<String, Any?>): CompletableFuture<Cip> =
        calls.async("cips.create", request) { Cip.of(Obj(it, "cip")) }

    /** One CIP; `NotFoundException` if unknown. */
    fun get(cip: Long): CipInfo = CipInfo.of(Obj(calls.call("cips.get", mapOf("cip" to cip)), "cip"))

    /** One CIP by its digits (as a URL path carries it). */
    fun get(cip: String?): CipInfo = CipInfo.of(Obj(calls.call("cips.get", mapOf("cip" to cip)), "cip"))

    fun getAsync(cip: Long): CompletableFuture<CipInfo> = calls.async("cips.get", mapOf("cip" to cip)) { CipInfo.of(Obj(it, "cip")) }

    /** Several CIPs, in batches the API allows; unknown ones are absent. */
    fun search(cips: List<Long>): List<CipInfo> = CipInfo.list(calls.call("cips.search", mapOf("cips" to cips)))

    fun searchAsync(cips: List<Long>): CompletableFuture<List<CipInfo>> =
        calls.async("cips.search", mapOf("cips" to cips)) { CipInfo.list(it) }

    /** Moves the expiry (an expired CIP becomes payable again). */
    fun extend(cip: Long, dateExpiry: OffsetDateTime?) {
        calls.call("cips.extend", mapOf("cip" to cip, "dateExpiry" to dateExpiry))
    }

    fun extendAsync(cip: Long, dateExpiry: OffsetDateTime?): CompletableFuture<Void?> =
        calls.async("cips.extend", mapOf("cip" to cip, "dateExpiry" to dateExpiry)) { null }

    /** Cancels an unpaid CIP. */
    fun delete(cip: Long) {
        calls.call("cips.delete", mapOf("cip" to cip))
    }

    fun deleteAsync(cip: Long): CompletableFuture<Void?> = calls.async("cips.delete", mapOf("cip" to cip)) { null }

    /** Polls with back-off until paid, expired or deleted; `WaitTimeoutException` at the deadline. */
    @JvmOverloads
    fun waitForFinalStatus(cip: Long, options: WaitOptions = WaitOptions.DEFAULT): CipInfo =
        CipInfo.of(Obj(calls.call("cips.wait_for_final_status", options.into(mutableMapOf("cip" to cip))), "cip"))

    @JvmOverloads
    fun waitForFinalStatusAsync(cip: Long, options: WaitOptions = WaitOptions.DEFAULT): CompletableFuture<CipInfo> =
        calls.async("cips.wait_for_final_status", options.into(mutableMapOf("cip" to cip))) { CipInfo.of(Obj(it, "cip")) }
}
