// The core's serialized Error as the exception class of its code (or, for a code this version
// does not know, of its family).
package pe.pagoefectivo.internal

import pe.pagoefectivo.AmountAboveMaximumException
import pe.pagoefectivo.ApiException
import pe.pagoefectivo.ApiTimeoutException
import pe.pagoefectivo.AuthenticationException
import pe.pagoefectivo.ConfigurationException
import pe.pagoefectivo.ConnectionException
import pe.pagoefectivo.ErrorInfo
import pe.pagoefectivo.FieldError
import pe.pagoefectivo.FileAccessException
import pe.pagoefectivo.IdempotencyConflictException
import pe.pagoefectivo.IdempotencyException
import pe.pagoefectivo.InternalException
import pe.pagoefectivo.InvalidStateException
import pe.pagoefectivo.MalformedResponseException
import pe.pagoefectivo.NotFoundException
import pe.pagoefectivo.OutcomeUnknownException
import pe.pagoefectivo.PagoEfectivoException
import pe.pagoefectivo.RefundNotAllowedException
import pe.pagoefectivo.SignatureVerificationException
import pe.pagoefectivo.ValidationException
import pe.pagoefectivo.WaitTimeoutException

internal object Errors {
    /** The exception for the core's error JSON (`code`, `family`, `message`, `display`...). */
    fun fromJson(m: Map<String, Any?>): PagoEfectivoException {
        val o = Obj(m, "error")
        val fields = o.list("field_errors").map {
            val f = Obj(it, "field_errors")
            FieldError(f.string("field"), f.string("code"), f.string("message"))
        }
        val info = ErrorInfo(
            code = o.string("code"),
            family = o.string("family"),
            detail = o.string("message"),
            display = o.stringOrNull("display") ?: o.string("message"),
            httpStatus = o.longOrNull("http_status")?.toInt(),
            peCode = o.stringOrNull("pe_code"),
            peMessage = o.stringOrNull("pe_message"),
            fieldErrors = fields,
            retryable = o.bool("retryable"),
            attempts = o.long("attempts").toInt(),
            reason = o.stringOrNull("reason"),
            hint = o.stringOrNull("hint"),
            transactionCode = o.stringOrNull("transaction_code"),
            requestId = o.stringOrNull("request_id"),
        )
        return of(info)
    }

    fun of(i: ErrorInfo): PagoEfectivoException = when (i.code) {
        "validation_error" -> ValidationException(i)
        "configuration_error" -> ConfigurationException(i)
        "authentication_error" -> AuthenticationException(i)
        "api_error" -> ApiException(i)
        "not_found" -> NotFoundException(i)
        "invalid_state" -> InvalidStateException(i)
        "amount_above_maximum" -> AmountAboveMaximumException(i)
        "malformed_response" -> MalformedResponseException(i)
        "connection_error" -> ConnectionException(i)
        "timeout" -> ApiTimeoutException(i)
        "outcome_unknown" -> OutcomeUnknownException(i)
        "idempotency_conflict" -> IdempotencyConflictException(i)
        "refund_not_allowed" -> RefundNotAllowedException(i)
        "signature_verification_failed" -> SignatureVerificationException(i)
        "wait_timeout" -> WaitTimeoutException(i)
        "io_error" -> FileAccessException(i)
        "internal_error" -> InternalException(i)
        else -> when (i.family) {
            "validation" -> ValidationException(i)
            "configuration" -> ConfigurationException(i)
            "authentication" -> AuthenticationException(i)
            "api" -> ApiException(i)
            "connection" -> ConnectionException(i)
            "idempotency" -> IdempotencyException(i)
            "refund" -> RefundNotAllowedException(i)
            "signature" -> SignatureVerificationException(i)
            "wait" -> WaitTimeoutException(i)
            "io" -> FileAccessException(i)
            "internal" -> InternalException(i)
            else -> PagoEfectivoException(i)
        }
    }

    private fun simple(code: String, family: String, message: String, fields: List<FieldError> = emptyList()) =
        of(ErrorInfo(code, family, message, "[$code] $message", null, null, null, fields, false, 0, null, null, null, null))

    /**
     * A `validation_error` for input that cannot even be written as JSON (a lone surrogate, a NaN),
     * in the shape and wording of the core's `Error::invalid_fields`.
     */
    fun validation(fields: List<FieldError>): PagoEfectivoException =
        simple("validation_error", "validation", "invalid input: " + fields.joinToString("; ") { "${it.field} ${it.message}" }, fields)

    /** A bug of this binding (an answer it cannot read): never the caller's fault. */
    fun internal(what: String): PagoEfectivoException =
        simple("internal_error", "internal", "internal error in pagoefectivo (please report it): $what")
}
