// Kotlin coroutines: each call suspends on the future the core's runtime completes (no thread parked).
// Needs kotlinx-coroutines-core on the classpath (every coroutine program has it); Java never loads this.
package pe.pagoefectivo

import kotlinx.coroutines.suspendCancellableCoroutine
import pe.pagoefectivo.internal.Calls
import java.time.OffsetDateTime
import java.util.concurrent.CompletableFuture
import kotlin.coroutines.resume
import kotlin.coroutines.resumeWithException

/** Suspends until the future completes; cancelling the coroutine cancels the future. */
suspend fun <T> CompletableFuture<T>.awaitResult(): T = suspendCancellableCoroutine { cont ->
    whenComplete { value, error ->
        if (error == null) cont.resume(value) else cont.resumeWithException(Calls.cause(error))
    }
    cont.invokeOnCancellation { cancel(false) }
}

/** `client.suspending()`: the client's operations as `suspend` functions. */
class SuspendingPagoEfectivo internal constructor(private val client: PagoEfectivo) {
    fun cips(): SuspendingCips = SuspendingCips(client.cips())
    fun refunds(): SuspendingRefunds = SuspendingRefunds(client.refunds())
    fun reconciliation(): SuspendingReconciliation = SuspendingReconciliation(client.reconciliation())
}

class SuspendingCips internal constructor(private val cips: Cips) {
    suspend fun create(request: CreateCipRequest): Cip = cips.createAsync(request).awaitResult()
    suspend fun create(request: Map<String, Any?>): Cip = cips.createAsync(request).awaitResult()
    suspend fun get(cip: Long): CipInfo = cips.getAsync(cip).awaitResult()
    suspend fun search(cips: List<Long>): List<CipInfo> = this.cips.searchAsync(cips).awaitResult()
    suspend fun extend(cip: Long, dateExpiry: OffsetDateTime?) {
        cips.extendAsync(cip, dateExpiry).awaitResult()
    }
    suspend fun delete(cip: Long) {
        cips.deleteAsync(cip).awaitResult()
    }
    suspend fun waitForFinalStatus(cip: Long, options: WaitOptions = WaitOptions.DEFAULT): CipInfo =
        cips.waitForFinalStatusAsync(cip, options).awaitResult()
}

class SuspendingRefunds internal constructor(private val refunds: Refunds) {
    suspend fun create(request: CreateRefundRequest): Refund = refunds.createAsync(request).awaitResult()
    suspend fun get(refundId: String): Refund = refunds.getAsync(refundId).awaitResult()
    suspend fun list(cip: Long): List<Refund> = refunds.listAsync(cip).awaitResult()
    suspend fun eligibility(cip: Long, refundWindowDays: Int? = null): RefundEligibility =
        refunds.eligibilityAsync(cip, refundWindowDays).awaitResult()
    suspend fun waitForFinalStatus(refundId: String, options: WaitOptions = WaitOptions.DEFAULT): Refund =
        refunds.waitForFinalStatusAsync(refundId, options).awaitResult()
}

class SuspendingReconciliation internal constructor(private val r: ClientReconciliation) {
    suspend fun search(orders: List<Order>, options: ReconcileOptions? = null): Reconciliation = r.searchAsync(orders, options).awaitResult()
    suspend fun report(orders: List<Order>, query: ReportQuery = ReportQuery(), options: ReconcileOptions? = null): Reconciliation =
        r.reportAsync(orders, query, options).awaitResult()
}
