// Suspending forms of the client's blocking calls for coroutine code: each runs on Dispatchers.IO, never on the caller's thread.
package pe.pagoefectivo

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import pe.pagoefectivo.ffi.CipInfo
import pe.pagoefectivo.ffi.CreatedCip
import pe.pagoefectivo.ffi.PagoEfectivoClient
import pe.pagoefectivo.ffi.Refund

suspend fun PagoEfectivoClient.createCip(requestJson: String): CreatedCip =
    withContext(Dispatchers.IO) { cipsCreate(requestJson) }

suspend fun PagoEfectivoClient.getCip(cip: Long): CipInfo = withContext(Dispatchers.IO) { cipsGet(cip) }

suspend fun PagoEfectivoClient.searchCips(cips: List<Long>): List<CipInfo> =
    withContext(Dispatchers.IO) { cipsSearch(cips) }

suspend fun PagoEfectivoClient.awaitFinalStatus(cip: Long, timeoutMs: Long? = null): CipInfo =
    withContext(Dispatchers.IO) { cipsWaitForFinalStatus(cip, timeoutMs, null, null) }

suspend fun PagoEfectivoClient.createRefund(requestJson: String): Refund =
    withContext(Dispatchers.IO) { refundsCreate(requestJson) }

suspend fun PagoEfectivoClient.getRefund(refundId: String): Refund = withContext(Dispatchers.IO) { refundsGet(refundId) }
