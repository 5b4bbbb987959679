// A case's request as the typed records a Kotlin caller builds, when its values fit their types.
package pe.pagoefectivo

import java.math.BigDecimal
import java.time.OffsetDateTime

/**
 * The conformance runner sends a request through `CreateCipRequest` / `CreateRefundRequest` when
 * every key is a field name and every value fits the field's type (a decimal string becomes the
 * `BigDecimal` a caller would write, a time with an offset an `OffsetDateTime`). Anything a typed
 * record cannot hold (a float amount, a misspelt key, a naive time, a number for a text field)
 * goes through the map form of the same method, which is how such input reaches the SDK in Java.
 */
object Requests {
    private fun decimal(v: Any?): BigDecimal? = when (v) {
        is BigDecimal -> v
        is String -> v.toBigDecimalOrNull()?.takeIf { v.trim() == v && !v.contains('e', true) }
        else -> null
    }

    private fun time(v: Any?): OffsetDateTime? = when (v) {
        is OffsetDateTime -> v
        is String -> runCatching { OffsetDateTime.parse(v) }.getOrNull()
        else -> null
    }

    private class Fit(val m: Map<String, Any?>, fields: Set<String>) {
        var ok = m.keys.all { it in fields }
        fun text(k: String): String? = m[k]?.let { it as? String ?: null.also { ok = false } }
        fun <T> conv(k: String, f: (Any?) -> T?): T? = m[k]?.let { f(it) ?: null.also { ok = false } }
    }

    private val CIP = setOf(
        "currency", "amount", "transactionCode", "dateExpiry", "paymentConcept", "additionalData", "adminEmail", "userEmail",
        "userId", "userName", "userLastName", "userUbigeo", "userCountry", "userDocumentType", "userDocumentNumber", "userPhone",
        "userCodeCountry",
    )

    fun cip(m: Map<String, Any?>): CreateCipRequest? {
        val f = Fit(m, CIP)
        val b = CreateCipRequest.builder()
            .currency(f.conv("currency") { v -> Currency.entries.firstOrNull { it.name == v } })
            .amount(f.conv("amount", ::decimal))
            .transactionCode(f.text("transactionCode")).userEmail(f.text("userEmail"))
            .dateExpiry(f.conv("dateExpiry", ::time)).paymentConcept(f.text("paymentConcept"))
            .additionalData(f.text("additionalData")).adminEmail(f.text("adminEmail")).userId(f.text("userId"))
            .userName(f.text("userName")).userLastName(f.text("userLastName")).userUbigeo(f.text("userUbigeo"))
            .userCountry(f.text("userCountry"))
            .userDocumentType(f.conv("userDocumentType") { v -> DocumentType.entries.firstOrNull { it.name == v } })
            .userDocumentNumber(f.text("userDocumentNumber")).userPhone(f.text("userPhone")).userCodeCountry(f.text("userCodeCountry"))
        return if (f.ok) b.build() else null
    }

    private val REFUND = setOf(
        "cip", "amount", "currency", "reason", "merchantRefundId", "destination", "beneficiary", "refundWindowDays", "requestedBy",
    )

    @Suppress("UNCHECKED_CAST")
    fun refund(m: Map<String, Any?>): CreateRefundRequest? {
        val f = Fit(m, REFUND)
        val destination = f.conv("destination") { d ->
            val dm = d as? Map<String, Any?> ?: return@conv null
            when {
                dm["type"] == "bank_account" && dm.keys.all { it in setOf("type", "cci") } && dm["cci"] is String? ->
                    RefundDestination.BankAccount(dm["cci"] as String?)
                dm["type"] == "ewallet" && dm.keys.all { it in setOf("type", "phone") } && dm["phone"] is String? ->
                    RefundDestination.Ewallet(dm["phone"] as String?)
                else -> null
            }
        }
        val beneficiary = f.conv("beneficiary") { b ->
            val bm = b as? Map<String, Any?> ?: return@conv null
            val type = bm["documentType"]?.let { t -> DocumentType.entries.firstOrNull { it.name == t } ?: return@conv null }
            if (!bm.keys.all { it in setOf("documentType", "documentNumber", "name") }) return@conv null
            if (bm["documentNumber"] !is String? || bm["name"] !is String?) return@conv null
            Beneficiary(type, bm["documentNumber"] as String?, bm["name"] as String?)
        }
        val r = CreateRefundRequest(
            f.conv("cip") { it as? Long }, f.conv("amount", ::decimal),
            f.conv("currency") { v -> Currency.entries.firstOrNull { it.name == v } }, f.text("reason"), f.text("merchantRefundId"),
            destination, beneficiary, f.conv("refundWindowDays") { (it as? Long)?.takeIf { d -> d in 0..Int.MAX_VALUE }?.toInt() },
            f.text("requestedBy"),
        )
        return if (f.ok) r else null
    }
}
