// BigDecimal views of the amounts the core returns as decimal strings: money never passes through a double.
@file:JvmName("Money")

package pe.pagoefectivo

import pe.pagoefectivo.ffi.CipInfo
import pe.pagoefectivo.ffi.CreatedCip
import pe.pagoefectivo.ffi.Refund
import pe.pagoefectivo.ffi.RefundEligibility
import pe.pagoefectivo.ffi.WebhookEvent
import java.math.BigDecimal

/** The amount as a BigDecimal, scale kept (`25.50`). From Java: `Money.amount(cip)`. */
@get:JvmName("amount")
val CreatedCip.amountValue: BigDecimal get() = BigDecimal(amount)

@get:JvmName("amount")
val CipInfo.amountValue: BigDecimal get() = BigDecimal(amount)

@get:JvmName("amount")
val Refund.amountValue: BigDecimal get() = BigDecimal(amount)

@get:JvmName("refundableAmount")
val RefundEligibility.refundableAmountValue: BigDecimal get() = BigDecimal(refundableAmount)

@get:JvmName("paidAmount")
val RefundEligibility.paidAmountValue: BigDecimal get() = BigDecimal(paidAmount)

@get:JvmName("refundedAmount")
val RefundEligibility.refundedAmountValue: BigDecimal get() = BigDecimal(refundedAmount)

@get:JvmName("amount")
val WebhookEvent.CipPaid.amountValue: BigDecimal get() = BigDecimal(amount)

@get:JvmName("amount")
val WebhookEvent.RefundChanged.amountValue: BigDecimal get() = BigDecimal(amount)

/** An amount for a request's JSON: plain decimal text, never scientific notation (`1E+3`). */
fun wireAmount(value: BigDecimal): String = value.toPlainString()
