// The core's error taxonomy as exception classes: one base, one class per family, one per code inside a family.
// ErrorTreeTest checks this tree against the core's own table (`errors.table`).
package pe.pagoefectivo

/** One invalid field: PagoEfectivo's `code` is `112` (required) or `113` (invalid). */
data class FieldError(val field: String, val code: String, val message: String)

/** Everything the core says about a failure (never a secret). */
internal class ErrorInfo(
    val code: String,
    val family: String,
    val detail: String,
    val display: String,
    val httpStatus: Int?,
    val peCode: String?,
    val peMessage: String?,
    val fieldErrors: List<FieldError>,
    val retryable: Boolean,
    val attempts: Int,
    val reason: String?,
    val hint: String?,
    val transactionCode: String?,
    val requestId: String?,
)

/**
 * Every failure of the SDK. Catch a family (`ApiException`, `ConnectionException`...) or one code
 * (`NotFoundException`...); [code] is the core's stable code in every language.
 */
open class PagoEfectivoException internal constructor(private val info: ErrorInfo) : RuntimeException(info.display) {
    /** The stable code, e.g. `validation_error`. */
    val code: String get() = info.code

    /** The code's family (`api` for `not_found`): the class right under this one. */
    val family: String get() = info.family

    /** The core's message, without the code and hint. */
    val detail: String get() = info.detail

    /** The HTTP status of PagoEfectivo's answer, when there was one. */
    val httpStatus: Int? get() = info.httpStatus

    /** PagoEfectivo's own code (`"111"`, `"511"`...). */
    val peCode: String? get() = info.peCode

    /** PagoEfectivo's own message. */
    val peMessage: String? get() = info.peMessage

    /** Whether the same call can succeed later. */
    @get:JvmName("isRetryable")
    val retryable: Boolean get() = info.retryable

    /** HTTP attempts made (0: refused before any request). */
    val attempts: Int get() = info.attempts

    /** The `X-Request-Id` sent, to find the exchange in the logs. */
    val requestId: String? get() = info.requestId

    /** A hint at the likely mistake. */
    val hint: String? get() = info.hint

    /** A machine-readable sub-reason (`signature_mismatch`, `cip_not_paid`...). */
    val reason: String? get() = info.reason

    /** For `outcome_unknown`: the order whose CIP may exist. */
    val transactionCode: String? get() = info.transactionCode

    /** The invalid fields, for `validation_error`. */
    val fieldErrors: List<FieldError> get() = info.fieldErrors
}

/** Input refused before any request, or PagoEfectivo's 111 field errors ([fieldErrors]). */
open class ValidationException internal constructor(info: ErrorInfo) : PagoEfectivoException(info)

/** The configuration is unusable (empty or padded key, sandbox URL in production...). */
open class ConfigurationException internal constructor(info: ErrorInfo) : PagoEfectivoException(info)

/** Credentials refused, or the token stayed invalid after one refresh. */
open class AuthenticationException internal constructor(info: ErrorInfo) : PagoEfectivoException(info)

/** PagoEfectivo answered with an error (`api_error`, or a narrower code below). */
open class ApiException internal constructor(info: ErrorInfo) : PagoEfectivoException(info)

/** The CIP (or refund) does not exist for this service. */
open class NotFoundException internal constructor(info: ErrorInfo) : ApiException(info)

/** Not allowed in the resource's current state. */
open class InvalidStateException internal constructor(info: ErrorInfo) : ApiException(info)

/** Above the merchant's maximum amount (PagoEfectivo 511). */
open class AmountAboveMaximumException internal constructor(info: ErrorInfo) : ApiException(info)

/** An answer that is not the documented JSON. */
open class MalformedResponseException internal constructor(info: ErrorInfo) : ApiException(info)

/** No (complete) answer: the connection failed or broke (`connection_error`), or [ApiTimeoutException]. */
open class ConnectionException internal constructor(info: ErrorInfo) : PagoEfectivoException(info)

/** No answer within the configured timeouts (`timeout`). */
open class ApiTimeoutException internal constructor(info: ErrorInfo) : ConnectionException(info)

/** Whether an operation happened, or would happen twice: [OutcomeUnknownException], [IdempotencyConflictException]. */
open class IdempotencyException internal constructor(info: ErrorInfo) : PagoEfectivoException(info)

/** A creation was sent but no usable answer came: the CIP may exist ([transactionCode]). Not retried. */
open class OutcomeUnknownException internal constructor(info: ErrorInfo) : IdempotencyException(info)

/** The same idempotency key (refund reference) came with different parameters. */
open class IdempotencyConflictException internal constructor(info: ErrorInfo) : IdempotencyException(info)

/** A refund rule refused the request ([reason]: `cip_not_paid`, `window_expired`...). */
open class RefundNotAllowedException internal constructor(info: ErrorInfo) : PagoEfectivoException(info)

/** A notification failed verification ([reason]: `signature_mismatch`, `missing_signature`...; [hint]). */
open class SignatureVerificationException internal constructor(info: ErrorInfo) : PagoEfectivoException(info)

/** A wait for a final status reached its deadline. */
open class WaitTimeoutException internal constructor(info: ErrorInfo) : PagoEfectivoException(info)

/** A local file could not be read or written (`io_error`: reconciliation inputs and reports). */
open class FileAccessException internal constructor(info: ErrorInfo) : PagoEfectivoException(info)

/** A bug in this SDK, never the caller's input (`internal_error`): please report it. */
open class InternalException internal constructor(info: ErrorInfo) : PagoEfectivoException(info)
